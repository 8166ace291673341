/**
 * The layers of docs/architecture.md, checked by `npm run lint`. Imports only point downwards:
 *
 *   handlers/  local/                adapters: Lambda events, terminal, long polling, the stand-in
 *   app.ts                           composition root
 *   bot/  admin/  alerts/  ingest/   features and use-case orchestration (never import each other)
 *   telegram/  store/                outbound adapters: Bot API, DynamoDB
 *   core/                            the domain, its ports and use cases: no telegraf, no AWS SDK;
 *                                    core/mechanics/ (retry, pool, network codes) is part of it
 *
 * config.ts, logger.ts, secrets.ts and http-edge.ts are platform modules for adapters and features.
 */
const FEATURES = '^functions/(bot|admin|alerts|ingest)/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      comment:
        'core/ is the domain: of Herald it imports only core/ (packages are checked by core-no-frameworks).',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { pathNot: ['^functions/core/', '^node_modules/', '^node:'] },
    },
    {
      name: 'core-no-frameworks',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^node_modules/(telegraf|@aws-sdk|@aws-lambda-powertools)/' },
    },
    {
      name: 'store-only-core',
      comment: 'store/ implements the ports of core/ on DynamoDB; it knows nothing of Telegram or features.',
      severity: 'error',
      from: { path: '^functions/store/' },
      to: { path: '^functions/', pathNot: '^functions/(store|core)/' },
    },
    {
      name: 'telegram-only-core',
      severity: 'error',
      from: { path: '^functions/telegram/' },
      to: { path: '^functions/', pathNot: '^functions/(telegram|core)/|^functions/logger\\.ts$' },
    },
    {
      name: 'features-do-not-import-each-other',
      comment: 'bot/, admin/, alerts/ and ingest/ meet only in the composition root (app.ts) or an adapter.',
      severity: 'error',
      // bot/on-demand/<name>.ts is the composition root of a feature loaded on first use.
      from: { path: '^functions/(bot|admin|alerts|ingest)/', pathNot: '^functions/bot/on-demand/' },
      to: { path: FEATURES, pathNot: '^functions/$1/' },
    },
    {
      name: 'bot-uses-ports-not-store',
      comment:
        'the bot reaches storage through the ports of core/; the composition roots build the store (app.ts, and bot/on-demand/<name>.ts for what only its feature uses).',
      severity: 'error',
      from: { path: '^functions/bot/', pathNot: '^functions/bot/on-demand/' },
      to: { path: '^functions/store/' },
    },
    {
      name: 'nothing-imports-adapters',
      comment: 'handlers/ and local/ are entry points: nothing below them imports them.',
      severity: 'error',
      from: { pathNot: '^functions/(handlers|local)/|^bin/|^test/|^bench/' },
      to: { path: '^functions/(handlers|local)/' },
    },
    {
      name: 'only-adapters-import-the-composition-root',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/(handlers|local)/' },
      to: { path: '^functions/app\\.ts$' },
    },
    {
      name: 'functions-never-import-cdk',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'no-deep-node-modules-paths',
      comment: 'import packages by their public entry points, never by node_modules/... paths',
      severity: 'error',
      from: {},
      to: {
        path: 'node_modules/[^/]+/(lib|dist|src)/',
        dependencyTypes: ['local', 'unknown', 'undetermined'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^cdk\\.out/' },
  },
};
