/**
 * The house defaults for every Herald Lambda function, encoded once: explicit Node 22 runtime
 * on arm64, local esbuild bundling with source maps, the Telegraf bundle shrink, an explicit
 * log group with retention, and the common environment.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FluentResource } from '@fluent/bundle';
import { type Duration, Validations } from 'aws-cdk-lib';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';

/** Repository root: entries and the shim are resolved from here, whatever the working directory. */
export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** Node's own URL in place of whatwg-url + tr46 (see functions/shims/whatwg-url.ts). */
export const WHATWG_URL_SHIM = path.join(PROJECT_ROOT, 'functions', 'shims', 'whatwg-url.ts');

/**
 * The directory of telegraf's public entry (`require.resolve('telegraf')` is its lib/index.js),
 * found the way Node finds the package, wherever npm put it. The telegraf shim loads the few
 * modules Herald uses from there as `herald-telegraf-lib/<module>`; jest.config.js maps the
 * same name the same way.
 */
export const TELEGRAF_LIB = path.dirname(require.resolve('telegraf'));

/**
 * Packages replaced in Lambda bundles by what Node 22 already provides (functions/shims/):
 * node-fetch → global fetch, whatwg-url → URL, abort-controller → AbortController, debug → no-op,
 * telegraf → only the classes Herald uses (not Scenes, session, Markup…), and @fluent/bundle → its ES modules.
 * The bench (bench/cold-start.ts) and the bundle test use the same map.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  'whatwg-url': WHATWG_URL_SHIM,
  'node-fetch': path.join(PROJECT_ROOT, 'functions', 'shims', 'node-fetch.ts'),
  'abort-controller': path.join(PROJECT_ROOT, 'functions', 'shims', 'abort-controller.ts'),
  debug: path.join(PROJECT_ROOT, 'functions', 'shims', 'debug.ts'),
  'sandwich-stream': path.join(PROJECT_ROOT, 'functions', 'shims', 'unused-telegraf-deps.ts'),
  'safe-compare': path.join(PROJECT_ROOT, 'functions', 'shims', 'unused-telegraf-deps.ts'),
  'p-timeout': path.join(PROJECT_ROOT, 'functions', 'shims', 'p-timeout.ts'),
  telegraf: path.join(PROJECT_ROOT, 'functions', 'shims', 'telegraf.js'),
  'herald-telegraf-lib': TELEGRAF_LIB,
  // Fluent's ES modules, not its UMD file: only they let the bundler leave the parser out.
  '@fluent/bundle': path.join(path.dirname(require.resolve('@fluent/bundle')), 'esm', 'index.js'),
};

/**
 * Kept out of every main bundle: the runtime's AWS SDK; the bot's on-demand features, which the
 * webhook `require`s as side files on first use (functions/bot/on-demand.ts); and Fluent's parser
 * (functions/i18n/catalogue-parser.ts), since bundles ship their catalogues parsed.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ['@aws-sdk/*', './on-demand/*', './catalogue-parser'];

/** Source of the on-demand modules: each `<name>.ts` becomes `on-demand/<name>.js` beside index.js. */
export const ON_DEMAND_DIR = path.join(PROJECT_ROOT, 'functions', 'bot', 'on-demand');

/** Side files take telegraf from the main bundle (functions/shims/provided-telegraf.js). */
export const SIDE_BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  ...BUNDLE_ALIASES,
  telegraf: path.join(PROJECT_ROOT, 'functions', 'shims', 'provided-telegraf.js'),
};

/** The on-demand module names (`admin`, …), from the directory, so a new module needs no edit here. */
export function onDemandModules(): string[] {
  return fs
    .readdirSync(ON_DEMAND_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

/** Single-quotes a path for the shell the bundling hooks run in. */
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The esbuild command lines that write the side files into a bundle's output directory, with the
 * main bundle's options (minified, source maps, UTF-8, no legal comments, SDK external).
 */
export function sideBundleCommands(outputDir: string): string[] {
  const q = shellQuote;
  const esbuild = path.join(path.dirname(require.resolve('esbuild/package.json')), 'bin', 'esbuild');
  return onDemandModules().map((name) =>
    [
      q(esbuild),
      q(path.join(ON_DEMAND_DIR, `${name}.ts`)),
      '--bundle',
      '--minify',
      '--sourcemap',
      '--platform=node',
      '--target=node22',
      '--format=cjs',
      '--charset=utf8',
      '--legal-comments=none',
      '--log-level=warning',
      ...BUNDLE_EXTERNALS.map((x) => q(`--external:${x}`)),
      ...Object.entries(SIDE_BUNDLE_ALIASES).map(([pkg, shim]) => q(`--alias:${pkg}=${shim}`)),
      q(`--outfile=${path.join(outputDir, 'on-demand', `${name}.js`)}`),
    ].join(' '),
  );
}

/** The message catalogues (functions/i18n/locales/*.ftl). */
export const LOCALES_DIR = path.join(PROJECT_ROOT, 'functions', 'i18n', 'locales');

/**
 * The catalogues parsed, as `<locale>.json` in a directory of their own (named by a hash of the
 * sources, made once per process): what FluentBundle.addResource takes, so a bundle reads them
 * without Fluent's parser. The parser is the same one the translator uses on `.ftl` files.
 */
export function parsedCatalogues(): string {
  const sources = fs
    .readdirSync(LOCALES_DIR)
    .filter((f) => f.endsWith('.ftl'))
    .sort()
    .map((f) => ({
      locale: f.slice(0, -'.ftl'.length),
      text: fs.readFileSync(path.join(LOCALES_DIR, f), 'utf8'),
    }));
  const hash = createHash('sha256');
  for (const s of sources) hash.update(`${s.locale}\0${s.text}\0`);
  const dir = path.join(os.tmpdir(), 'herald-catalogues', hash.digest('hex').slice(0, 16));
  if (!fs.existsSync(path.join(dir, 'done'))) {
    fs.mkdirSync(dir, { recursive: true });
    for (const s of sources) {
      fs.writeFileSync(path.join(dir, `${s.locale}.json`), JSON.stringify(new FluentResource(s.text)));
    }
    fs.writeFileSync(path.join(dir, 'done'), '');
  }
  return dir;
}

/**
 * Shell commands that put the parsed catalogues into a bundle's output directory as `locales/`,
 * where the translator reads them at run time (functions/i18n/translator.ts: `locales/` beside the
 * module, which in a bundle is `index.js`). Files, not inlined strings: the bundle stays the size
 * of Fluent's runtime whatever the number of languages.
 */
export function catalogueCopyCommands(outputDir: string): string[] {
  const target = path.join(outputDir, 'locales');
  return [
    `mkdir -p ${shellQuote(target)}`,
    `cp ${shellQuote(parsedCatalogues())}/*.json ${shellQuote(target)}/`,
  ];
}

export interface HeraldFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/handlers/webhook.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly stage: StageConfig;
  /** Added to the common environment. Never put a secret value here: pass its ARN. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly reservedConcurrentExecutions?: number;
  /** Also bundle the bot's on-demand features as side files (the webhook, which runs the bot). */
  readonly onDemandFeatures?: boolean;
  /** Ship the message catalogues as `locales/` beside the bundle (whatever speaks to readers). */
  readonly catalogues?: boolean;
}

/** A NodejsFunction with Herald's defaults; grant it exact actions with ./grants.ts. */
export class HeraldFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HeraldFunctionProps) {
    // Created explicitly (retention and removal are ours), as a sibling before super(): a child
    // cannot exist before the function does. `fn.logGroup` returns it.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      // Explicit, not NODEJS_LATEST: "latest" makes NodejsFunction bundle the SDK and moves
      // under us between CDK releases.
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.DISABLED,
      logGroup,
      // JSON logs with the platform's START/END/REPORT lines dropped below WARN: about a third of
      // the log bytes per webhook update (CloudWatch bills ingestion per GB; see docs/cost.md).
      loggingFormat: LoggingFormat.JSON,
      systemLogLevelV2: SystemLogLevel.WARN,
      applicationLogLevelV2: ApplicationLogLevel[props.stage.logLevel],
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'herald',
        POWERTOOLS_METRICS_NAMESPACE: 'Herald',
        LOG_LEVEL: props.stage.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // Emoji and non-Latin strings as themselves, not \uXXXX escapes, and no licence banners
        // (the bundle is not redistributed): ~1.6 kB of the webhook's 200 kB budget.
        charset: Charset.UTF8,
        // Use the AWS SDK v3 that ships with the Lambda runtime: smaller bundles, faster
        // cold starts, and security fixes without a redeploy.
        externalModules: [...BUNDLE_EXTERNALS],
        esbuildArgs: {
          '--alias': Object.entries(BUNDLE_ALIASES).map(([pkg, shim]) => `${pkg}=${shim}`),
          '--legal-comments': 'none',
        },
        commandHooks:
          props.onDemandFeatures || props.catalogues
            ? {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  ...(props.onDemandFeatures ? sideBundleCommands(outputDir) : []),
                  ...(props.catalogues ? catalogueCopyCommands(outputDir) : []),
                ],
              }
            : undefined,
      },
    });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The AWS-maintained minimum for any function: create log streams and put log events. A hand-written copy would only drift; every other permission is granted by method.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to Node.js 22 (LTS) on purpose, not "latest": the local runtime and the tests run on Node 20/22, and an explicit runtime keeps the runtime SDK external. Moving to Node 24 is one line here.',
      },
    );
  }
}
