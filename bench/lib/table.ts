/**
 * The one table `npm run bench` prints: every section returns rows of this shape.
 */

/** One measured figure. `ok` is undefined when the row has no goal to meet. */
export interface Row {
  /** Section name, e.g. `Cold start`. */
  section: string;
  metric: string;
  /** The measured value with its unit, e.g. `123 kB`. */
  value: string;
  /** The goal in words, e.g. `≤ 200 kB`; empty when the figure is informational. */
  goal?: string;
  ok?: boolean;
}

/** Options every section accepts. */
export interface BenchOptions {
  /** Progress lines go here (stderr by default), so stdout carries only the table. */
  log: (line: string) => void;
}

const HEADERS = ['section', 'metric', 'value', 'goal', 'ok?'] as const;

function okText(row: Row): string {
  if (row.ok === undefined) return '';
  return row.ok ? 'yes' : 'NO';
}

function cells(row: Row): string[] {
  return [row.section, row.metric, row.value, row.goal ?? '', okText(row)];
}

/** The table as plain-text columns for a terminal (widths by code points, good enough for this text). */
export function renderText(rows: readonly Row[]): string {
  const all = [[...HEADERS], ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [head = [], ...body] = all;
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** The table as GitHub-flavoured Markdown. */
export function renderMarkdown(rows: readonly Row[]): string {
  // `|` would split a cell and `*` could start emphasis (`@aws-sdk/*`).
  const esc = (s: string) => s.replace(/[|*]/g, (c) => `\\${c}`);
  const head = `| ${HEADERS.join(' | ')} |`;
  const rule = `| ${HEADERS.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`)].join('\n');
}
