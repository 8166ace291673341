/**
 * The machine a benchmark ran on, for the report: figures mean little without it.
 */
import * as os from 'node:os';

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  date: string;
  /** 1, 5 and 15-minute load averages: a busy machine makes every timing slower and noisier. */
  load: string;
}

/** Describes this machine and the Node.js running the benchmark. */
export function describeMachine(now = new Date()): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    date: now.toISOString(),
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}
