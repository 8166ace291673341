/**
 * The webhook Lambda exactly as deployed: bundled by esbuild with the same options and package
 * aliases as the CDK (node-fetch → global fetch, whatwg-url → URL, debug → no-op), required as a
 * module, and driven with API Gateway events against DynamoDB Local and the Bot API stand-in. Proves the
 * shims do not break Telegraf and that the handler needs nothing but its environment.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import {
  BUNDLE_ALIASES,
  BUNDLE_EXTERNALS,
  catalogueCopyCommands,
  PROJECT_ROOT,
  sideBundleCommands,
} from '../../../lib/constructs/herald-function';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const TOKEN = '987654321:BUNDLE-test-token-for-the-stand-in-00';
const SECRET = 'bundle-test-secret';

type Handler = (
  event: unknown,
  context: { getRemainingTimeInMillis(): number },
) => Promise<{ statusCode: number; body?: string }>;

/** What Lambda passes: the invocation's remaining time (the function's timeout is 10 s). */
const lambdaContext = { getRemainingTimeInMillis: () => 10_000 };

describe('bundled webhook handler', () => {
  let db: TestStore | undefined;
  let standIn: BotApiStandIn | undefined;
  let handler: Handler;
  const outDir = join(PROJECT_ROOT, '.test-bundles', `webhook-${process.pid}`);
  const outfile = join(outDir, 'index.js');
  const saved = { ...process.env };

  beforeAll(async () => {
    // Prepare: bundle as the CDK does, then start the parts it talks to.
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [join(PROJECT_ROOT, 'functions/handlers/webhook.ts')],
      outfile,
      bundle: true,
      minify: true,
      charset: 'utf8',
      legalComments: 'none',
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: [...BUNDLE_EXTERNALS],
      alias: { ...BUNDLE_ALIASES },
      logLevel: 'silent',
    });
    // The on-demand features as the CDK's afterBundling hook writes them.
    for (const command of sideBundleCommands(outDir)) execSync(command, { stdio: 'pipe' });
    // …and the catalogues beside index.js, as its afterBundling hook copies them.
    for (const command of catalogueCopyCommands(outDir)) execSync(command, { stdio: 'pipe' });
    db = await startTestStore();
    await publishAuthor(db.store, { handle: 'jdoe', fullName: 'Dr. Jane Doe', userSince: '2008-03-15' });
    await publishArticle(db.store, {
      id: 'bundled',
      title: 'Tags like <b> & "quotes"',
      authorHandle: 'jdoe',
      body: 'One sentence about bundles. Another about shims. A third about fetch.',
      publishedAt: '2026-11-01T10:00:00Z',
    });
    standIn = createBotApiStandIn({
      token: TOKEN,
      botInfo: { id: 987654321, is_bot: true, first_name: 'Herald', username: 'HeraldBundleBot' },
      deliver: async (update) => {
        // The stand-in runs a method in the answer's body, as Telegram does.
        return handler(
          {
            headers: { 'x-telegram-bot-api-secret-token': SECRET },
            body: JSON.stringify(update),
            isBase64Encoded: false,
          },
          lambdaContext,
        );
      },
    });
    const apiRoot = await standIn.start();
    Object.assign(process.env, {
      TABLE_NAME: db.tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      BOT_USERNAME: 'HeraldBundleBot',
      ADMIN_IDS: '7002',
      LOG_LEVEL: 'SILENT',
      POWERTOOLS_DEV: 'false',
    });
    handler = (require(outfile) as { handler: Handler }).handler;
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await standIn?.stop();
    await db?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  test('stays under 200 kB without the AWS SDK', () => {
    expect(statSync(outfile).size).toBeLessThan(200 * 1024);
  });

  test('answers /start and opens an article card with escaped HTML', async () => {
    const user = standIn!.user({ id: 7001, first_name: 'Bea' });

    await user.send('/start');
    await user.send('/start a_bundled');

    const texts = standIn!.messages(7001).map((m) => m.text);
    expect(texts[0]).toContain('Welcome, \u2068Bea\u2069!');
    expect(texts[1]).toContain('Tags like <b> & "quotes"');
    expect(texts[1]).toContain('Views: 1');
    expect(standIn!.calls.filter((c) => !c.ok)).toEqual([]);
  });

  test('answers in Arabic from the catalogues shipped beside the bundle, and /language switches from its side file', async () => {
    // Prepare
    const reader = standIn!.user({ id: 7004, first_name: 'Amal', language_code: 'ar-EG' });

    // Act
    await reader.send('/start a_bundled');
    await reader.send('/language');
    const prompt = standIn!.messages(7004).at(-1);
    if (prompt === undefined) throw new Error('no language prompt');
    const asked = prompt.text;
    await reader.pressButton(prompt.message_id, 'Русский');
    await reader.send('/latest');

    // Assess
    const texts = standIn!.messages(7004).map((m) => m.text);
    expect(texts[0]).toContain('بقلم \u2068Dr. Jane Doe\u2069 (\u2066@jdoe\u2069)');
    expect(texts[0]).toMatch(/👁 المشاهدات: \u2068\d+\u2069/);
    expect(asked).toBe('اختر اللغة التي أحدّثك بها:');
    // The prompt is edited into the confirmation, already in the new language.
    expect(texts[1]).toBe('Готово: теперь я говорю по-русски.');
    expect(texts.at(-1)).toMatch(/^📰 Свежие статьи/);
    expect(require.cache[join(outDir, 'on-demand', 'language.js')]).toBeDefined();
    expect(standIn!.calls.filter((c) => !c.ok)).toEqual([]);
  });

  test('reads a whole article through the reading side file, from the card and from an r_ link', async () => {
    // Prepare
    const reader = standIn!.user({ id: 7005, first_name: 'Rue' });
    expect(readFileSync(outfile, 'utf8')).not.toContain('sendRichMessage');

    // Act
    await reader.send('/start a_bundled');
    const card = standIn!.messages(7005).at(-1);
    if (card === undefined) throw new Error('no card');
    await reader.pressButton(card.message_id, '📖 Read the full article');
    await reader.send('/start r_bundled');

    // Assess
    const rich = standIn!.richMessages(7005);
    expect(rich).toHaveLength(2);
    expect(JSON.stringify(rich[0]?.rich_message)).toContain('Another about shims.');
    expect(require.cache[join(outDir, 'on-demand', 'reading.js')]).toBeDefined();
    expect(standIn!.calls.filter((c) => !c.ok)).toEqual([]);
  });

  test('loads an on-demand feature from its side file for an admin, and for nobody else', async () => {
    // Prepare
    const admin = standIn!.user({ id: 7002, first_name: 'Ada' });
    const reader = standIn!.user({ id: 7003, first_name: 'Rex' });
    expect(existsSync(join(outDir, 'on-demand', 'admin.js'))).toBe(true);
    expect(readFileSync(outfile, 'utf8')).not.toContain('Delete for good');

    // Act
    await reader.send('/stats');
    await admin.send('/delete_article bundled');
    const question = standIn!.messages(7002).at(-1);
    if (question === undefined) throw new Error('no confirmation question');
    await admin.pressButton(question.message_id, 'Keep it');

    // Assess: the reader gets the unknown-command answer; the admin's command and button work
    // through the side file (the button's toast and edit use the main bundle's telegraf).
    expect(standIn!.messages(7003).at(-1)?.text).toMatch(/don’t know that command/);
    const adminTexts = standIn!.messages(7002).map((m) => m.text);
    expect(adminTexts.at(-1)).toMatch(/^Kept/);
    expect(require.cache[join(outDir, 'on-demand', 'admin.js')]).toBeDefined();
    expect(standIn!.calls.filter((c) => !c.ok)).toEqual([]);
  });

  test('rejects a wrong secret with 401', async () => {
    const res = await handler(
      { headers: { 'x-telegram-bot-api-secret-token': 'nope' }, body: '{}', isBase64Encoded: false },
      lambdaContext,
    );
    expect(res.statusCode).toBe(401);
  });
});
