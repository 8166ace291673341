/**
 * `herald digest --now`: on a data directory of its own (DynamoDB Local on disk, as a user's run
 * has), a reader's waiting digest is sent to the Bot API stand-in at the time given with --at,
 * once; without a token the command says what it needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestCommand } from '../../../functions/local/digest-command';
import { openEmbeddedTable } from '../../../functions/local/embedded-store';
import type { ImportIo } from '../../../functions/local/import-command';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { DigestRepository } from '../../../functions/store/digest-repository';

const TOKEN = '123456789:TEST-token-for-the-digest-command-0';
let scratch: string;
let standIn: BotApiStandIn;
let apiRoot: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'herald-digest-'));
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  apiRoot = await standIn.start();
});

afterAll(async () => {
  await standIn?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    } satisfies Pick<ImportIo, 'stdout' | 'stderr'>,
    out,
    err,
  };
}

describe('herald digest --now', () => {
  it('sends the digests due at --at once, and asks for a token without one', async () => {
    // Prepare: a reader's digest waiting for 08:00 UTC on 1 December
    const env = { HERALD_DATA_DIR: scratch, TELEGRAM_API_ROOT: apiRoot, BOT_USERNAME: 'HeraldTestBot' };
    const opened = await openEmbeddedTable({ path: scratch, region: 'us-east-1', tableName: 'herald' });
    try {
      await new DigestRepository(opened.doc, 'herald').queue(4242, {
        articleId: 'waiting-one',
        title: 'Waiting for the morning',
        authorHandle: 'jdoe',
        authorName: 'Jane Doe',
        summary: 'It waited all night.',
        reason: 'daily',
        dueAt: Date.parse('2026-12-01T08:00:00Z'),
      });
    } finally {
      await opened.close();
    }
    const noToken = capture();
    const first = capture();
    const again = capture();

    // Act
    const refused = await digestCommand(['--now'], env, noToken.io);
    const code = await digestCommand(
      ['--now', '--at', '2026-12-01T08:05:00Z'],
      { ...env, TELEGRAM_BOT_TOKEN: TOKEN },
      first.io as never,
    );
    const codeAgain = await digestCommand(
      ['--now', '--at', '2026-12-01T08:05:00Z'],
      { ...env, TELEGRAM_BOT_TOKEN: TOKEN },
      again.io as never,
    );

    // Assess
    expect(refused).toBe(1);
    expect(noToken.err.join('')).toContain('set TELEGRAM_BOT_TOKEN');
    expect([code, codeAgain]).toEqual([0, 0]);
    expect(first.out.join('')).toBe('Ran 1 digest slot(s): 1 digest(s) sent.\n');
    const got = standIn.messages(4242);
    expect(got).toHaveLength(1);
    expect(got[0]?.text).toContain('Waiting for the morning');
  }, 60_000);
});
