#!/usr/bin/env -S npx tsx
/**
 * Herald's command-line tool.
 *   herald start [--lang ar]     run the bot on this machine (offline chat without a token)
 *   herald import <paths>        publish authors and articles from .json / .md files
 *   herald feeds …               add, list, pause, resume, remove feed sources
 *   herald ingest [<url|file>]   poll feeds once
 *   herald digest --now          send the digests due now
 */
import { digestCommand } from '../functions/local/digest-command';
import { EmbeddedStoreError } from '../functions/local/embedded-store';
import { feedsCommand, ingestCommand } from '../functions/local/feeds-command';
import { importCommand } from '../functions/local/import-command';
import { startCommand } from '../functions/local/start';

const USAGE = `Usage: herald <command>

  start [--lang <code>]     run Herald on this machine (embedded store; offline chat without TELEGRAM_BOT_TOKEN);
                            --lang (or HERALD_LANG) makes the offline reader's Telegram speak ar, ur, ru…
  import <file or folder>   publish authors and articles from .json/.md files
                            [--api <url>] [--key <key>] [--dry-run] [--no-alerts]; see docs/admin-api.md
  feeds add <url> [--author <handle>] [--no-alerts] | list | pause <url> | resume <url> | remove <url>
                            feed sources (RSS, Atom, JSON Feed) [--api <url> --key <key>]
  ingest [<url or file>]    poll the due feed sources once (or one feed now) and say what was stored
  digest --now [--at <time>]  send the digests due now (or at that time) through Telegram
  help                      this text`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      await startCommand(rest);
      return 0;
    case 'import':
      return importCommand(rest);
    case 'feeds':
      return feedsCommand(rest);
    case 'ingest':
      return ingestCommand(rest);
    case 'digest':
      return digestCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Something on this machine (Java, the data directory) needs the user: one sentence, exit 2.
    if (err instanceof EmbeddedStoreError) {
      process.stderr.write(`herald: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
