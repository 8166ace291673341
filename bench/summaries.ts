/**
 * Summaries: the time `summarize` takes on a 3,000-word article built from the demo bodies.
 * Run it before anything else in the process, so its first call really is the first.
 */
import { summarize } from '../functions/core/summary';
import { countWords } from '../functions/core/text';
import { DEMO_ARTICLES } from '../functions/local/demo-content';
import { median, ms, nowMs, quantile } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';

const TARGET_WORDS = 3000;
const WARM_UP = 30;
const RUNS = 200;

export const SUMMARIES_METHOD =
  `A ${TARGET_WORDS.toLocaleString('en')}-word body is made by joining the demo articles' paragraphs ` +
  '(every script the demo has: Latin, Cyrillic, Arabic, Japanese), repeating them when needed, and ' +
  'stopping at the first paragraph that reaches the target (word count as `countWords` has it). The ' +
  `first call is timed on its own (the first \`summarize\` in this process); then ${WARM_UP} warm-up ` +
  `calls, then ${RUNS} timed calls give the median and p95.`;

const SECTION = 'Summaries';

/** Paragraphs of the demo bodies, in order, repeated until the body has at least `words` words. */
export function buildLongBody(words: number): { body: string; words: number } {
  const paragraphs = DEMO_ARTICLES.flatMap((a) => a.body.split(/\n\s*\n/)).filter((p) => p.trim() !== '');
  if (paragraphs.length === 0) throw new Error('the demo content has no body text');
  const picked: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i += 1) {
    const p = paragraphs[i % paragraphs.length] ?? '';
    picked.push(p);
    count += countWords(p);
  }
  const body = picked.join('\n\n');
  return { body, words: countWords(body) };
}

/** Times `summarize` on a 3,000-word article: first call, then median and p95 after warm-up. */
export async function runSummariesBench(opts: BenchOptions): Promise<Row[]> {
  const { body, words } = buildLongBody(TARGET_WORDS);
  const input = { title: 'What the council budget really says, and what it means for our streets', body };

  let t = nowMs();
  const first = summarize(input);
  const firstMs = nowMs() - t;
  if (first.summary === '') throw new Error('the summary of a long article came out empty');

  for (let i = 0; i < WARM_UP; i += 1) summarize(input);
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < RUNS; i += 1) {
    t = nowMs();
    // Keep the result alive so the call cannot be optimised away.
    sink += summarize(input).summary.length;
    times.push(nowMs() - t);
  }
  if (sink === 0) throw new Error('unreachable: summaries were empty');
  const p50 = median(times);
  const p95 = quantile(times, 0.95);
  opts.log(`  ${words} words: first ${ms(firstMs)}, median ${ms(p50)}, p95 ${ms(p95)}`);

  return [
    {
      section: SECTION,
      metric: `summarize ${words.toLocaleString('en')} words: median / p95 (warm)`,
      value: `${ms(p50)} / ${ms(p95)}`,
      goal: '< 20 ms',
      ok: p95 < 20,
    },
    {
      section: SECTION,
      metric: 'summarize: first call in the process',
      value: ms(firstMs),
      goal: '',
    },
  ];
}
