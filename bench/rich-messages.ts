/**
 * Article bodies: the time to build "Read the full article" from a stored 3,000-word body (the
 * readers' path: decode the stored block model, render the Rich Message parts, or the paged
 * HTML fallback), the one-off parse at publish, and the parse of hostile Markdown at the
 * 200,000-character cap (the guard against a body that stalls the publishing Lambda).
 */
import { plainText } from '../functions/core/body/blocks';
import { parseMarkdownBody } from '../functions/core/body/parse-markdown';
import { decodeBlocks, encodeBlocks } from '../functions/core/body/stored-body';
import { countWords } from '../functions/core/text';
import { DEMO_ARTICLES } from '../functions/local/demo-content';
import { renderHtmlPages } from '../functions/render/html-pages';
import { renderRichMessages } from '../functions/render/rich-message';
import { median, ms, nowMs, quantile } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';

const TARGET_WORDS = 3000;
const WARM_UP = 30;
const RUNS = 200;
const HOSTILE_CHARS = 200_000;
const HOSTILE_RUNS = 3;

export const RICH_MESSAGES_METHOD =
  `A ${TARGET_WORDS.toLocaleString('en')}-word Markdown body is made by joining the demo articles' blocks ` +
  '(headings, quotes, lists and paragraphs in Latin, Cyrillic, Arabic, Urdu and Japanese script) until ' +
  'its text reaches the target, parsed once and stored as publishing stores it (`encodeBlocks`). ' +
  '"Build a rich message" times what a reader\'s "Read the full article" does with that stored body: ' +
  '`decodeBlocks` and `renderRichMessages` (all parts); the fallback row times `decodeBlocks` and ' +
  `\`renderHtmlPages\`. Each: ${WARM_UP} warm-up calls, then ${RUNS} timed calls give the median and p95. ` +
  'The publish row times `parseMarkdownBody` on the same body. The hostile row parses each of five ' +
  `pathological inputs of ${HOSTILE_CHARS.toLocaleString('en')} characters (nested emphasis, unclosed ` +
  `emphasis, unclosed links, nested brackets, a run of ${'`**`'}) ${HOSTILE_RUNS} times and reports the slowest median.`;

const SECTION = 'Article bodies';

/** Demo Markdown blocks, in order, repeated until their text has at least `words` words. */
export function buildLongMarkdown(words: number): { markdown: string; words: number } {
  const chunks = DEMO_ARTICLES.flatMap((a) => a.body.split(/\n\n/)).filter((c) => c.trim() !== '');
  const picked: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i += 1) {
    const chunk = chunks[i % chunks.length] ?? '';
    const parsed = parseMarkdownBody(chunk);
    picked.push(chunk);
    if (parsed.ok) count += countWords(plainText(parsed.blocks));
  }
  const markdown = picked.join('\n\n');
  const parsed = parseMarkdownBody(markdown);
  if (!parsed.ok) throw new Error(`the bench body does not parse: ${JSON.stringify(parsed.issues[0])}`);
  return { markdown, words: countWords(plainText(parsed.blocks)) };
}

function timeIt(run: () => number): { p50: number; p95: number } {
  let sink = 0;
  for (let i = 0; i < WARM_UP; i += 1) sink += run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t = nowMs();
    // Keep the result alive so the call cannot be optimised away.
    sink += run();
    times.push(nowMs() - t);
  }
  if (sink === 0) throw new Error('unreachable: nothing was rendered');
  return { p50: median(times), p95: quantile(times, 0.95) };
}

const HOSTILE: Array<[string, string]> = [
  ['nested emphasis', `${'*a **a '.repeat(HOSTILE_CHARS / 28)}b${' a** a*'.repeat(HOSTILE_CHARS / 28)}`],
  ['unclosed emphasis', '_a '.repeat(HOSTILE_CHARS / 3)],
  ['unclosed links', '[a]('.repeat(HOSTILE_CHARS / 4)],
  ['nested brackets', `${'['.repeat(HOSTILE_CHARS / 2)}a${']'.repeat(HOSTILE_CHARS / 2)}`],
  ['a run of **', `${'**'.repeat(HOSTILE_CHARS / 4)}x${'**'.repeat(HOSTILE_CHARS / 4)}`],
];

/** Times building the full article from a stored 3,000-word body, its parse at publish and hostile parses. */
export async function runRichMessagesBench(opts: BenchOptions): Promise<Row[]> {
  const { markdown, words } = buildLongMarkdown(TARGET_WORDS);
  const parsed = parseMarkdownBody(markdown);
  if (!parsed.ok) throw new Error('unreachable: checked in buildLongMarkdown');
  const stored = encodeBlocks(parsed.blocks);
  const article = { title: 'A long article', authorName: 'Mara Okafor', authorHandle: 'mara_okafor' };

  const rich = timeIt(() => {
    const blocks = decodeBlocks(stored) ?? [];
    return renderRichMessages({ ...article, blocks }).length;
  });
  const pages = timeIt(() => renderHtmlPages(decodeBlocks(stored) ?? []).length);
  const parse = timeIt(() => {
    const r = parseMarkdownBody(markdown);
    return r.ok ? r.blocks.length : 0;
  });
  const parts = renderRichMessages({ ...article, blocks: parsed.blocks }).length;
  opts.log(
    `  ${words} words (${markdown.length.toLocaleString('en')} characters, ${parts} part(s)): rich p50 ${ms(rich.p50)} p95 ${ms(rich.p95)}; pages p50 ${ms(pages.p50)}; parse p50 ${ms(parse.p50)}`,
  );

  let worst = { name: '', ms: 0 };
  for (const [name, body] of HOSTILE) {
    const times: number[] = [];
    for (let i = 0; i < HOSTILE_RUNS; i += 1) {
      const t = nowMs();
      parseMarkdownBody(body);
      times.push(nowMs() - t);
    }
    const m = median(times);
    opts.log(`  hostile ${name}: ${ms(m)}`);
    if (m > worst.ms) worst = { name, ms: m };
  }

  const w = words.toLocaleString('en');
  return [
    {
      section: SECTION,
      metric: `build the rich message from a stored ${w}-word body (${parts} part${parts === 1 ? '' : 's'}): median / p95`,
      value: `${ms(rich.p50)} / ${ms(rich.p95)}`,
      goal: '< 20 ms',
      ok: rich.p95 < 20,
    },
    {
      section: SECTION,
      metric: `↳ fallback: paged HTML from the same stored body: median / p95`,
      value: `${ms(pages.p50)} / ${ms(pages.p95)}`,
      goal: '< 20 ms',
      ok: pages.p95 < 20,
    },
    {
      section: SECTION,
      metric: `parse the ${w}-word Markdown at publish: median / p95`,
      value: `${ms(parse.p50)} / ${ms(parse.p95)}`,
      goal: '',
    },
    {
      section: SECTION,
      metric: `parse hostile Markdown of ${HOSTILE_CHARS.toLocaleString('en')} characters: slowest of 5 patterns (${worst.name})`,
      value: ms(worst.ms),
      goal: '< 2,000 ms',
      ok: worst.ms < 2000,
    },
  ];
}
