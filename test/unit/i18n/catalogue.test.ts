/**
 * The catalogues as translators hand them in: valid Fluent, every English key in every locale
 * with the same variables and the same HTML tags, no locale with keys English lacks, plain-text
 * messages free of markup, and the command menus within Telegram's limits.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  Junk,
  Message,
  type Pattern,
  Placeable,
  parse,
  SelectExpression,
  TextElement,
  VariableReference,
} from '@fluent/syntax';
import {
  attr,
  commandMenus,
  createI18n,
  date,
  dateTime,
  ltr,
  type MessageArg,
  SUPPORTED_LOCALES,
  stripBidiControls,
} from '../../../functions/i18n';

const DIR = path.join(__dirname, '../../../functions/i18n/locales');
const source = (locale: string) => readFileSync(path.join(DIR, `${locale}.ftl`), 'utf8');

interface Entry {
  variables: Set<string>;
  /** Every way the pattern can come out (one text per combination of select variants). */
  texts: string[];
}

function expand(pattern: Pattern, variables: Set<string>): string[] {
  let outs = [''];
  for (const el of pattern.elements) {
    if (el instanceof TextElement) {
      outs = outs.map((o) => o + el.value);
      continue;
    }
    const expr = (el as Placeable).expression;
    if (expr instanceof VariableReference) {
      variables.add(expr.id.name);
      outs = outs.map((o) => `${o}{$${expr.id.name}}`);
    } else if (expr instanceof SelectExpression) {
      if (expr.selector instanceof VariableReference) variables.add(expr.selector.id.name);
      const variants = expr.variants.flatMap((v) => expand(v.value, variables));
      outs = outs.flatMap((o) => variants.map((v) => o + v));
    } else if (expr instanceof Placeable || 'value' in expr) {
      // A string literal such as {""}: contributes its value.
      const value = 'value' in expr && typeof expr.value === 'string' ? expr.value : '';
      outs = outs.map((o) => o + value);
    }
  }
  return outs;
}

function load(locale: string): Map<string, Entry> {
  const resource = parse(source(locale), { withSpans: false });
  const junk = resource.body.filter((e) => e instanceof Junk);
  expect(junk.map((j) => (j as Junk).content)).toEqual([]);
  const entries = new Map<string, Entry>();
  for (const e of resource.body) {
    if (!(e instanceof Message) || e.value === null) continue;
    const variables = new Set<string>();
    entries.set(e.id.name, { variables, texts: expand(e.value, variables) });
  }
  return entries;
}

const TAG = /<\/?([a-z]+)(?:\s[^>]*)?>/g;
function tags(text: string): string[] {
  return [...text.matchAll(TAG)].map((m) => m[0].replace(/\s.*>$/, '>'));
}
function balanced(text: string): boolean {
  const stack: string[] = [];
  for (const m of text.matchAll(TAG)) {
    const name = m[1] ?? '';
    if (m[0].startsWith('</')) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}
const isPlain = (key: string) => /-button-|-toast$|-placeholder$|-description$/.test(key);

const en = load('en');
const others = SUPPORTED_LOCALES.filter((l) => l !== 'en');

describe('catalogues', () => {
  it('English is valid Fluent with a healthy number of keys', () => {
    expect(en.size).toBeGreaterThan(90);
  });

  describe.each(others)('%s', (locale) => {
    const tr = load(locale);
    it('has every English key and no key English lacks', () => {
      expect([...tr.keys()].sort()).toEqual([...en.keys()].sort());
    });
    it('uses the same variables as English in every message', () => {
      for (const [key, entry] of en) {
        expect({ key, variables: [...(tr.get(key)?.variables ?? [])].sort() }).toEqual({
          key,
          variables: [...entry.variables].sort(),
        });
      }
    });
    it('keeps the HTML tags of English, balanced in every variant', () => {
      for (const [key, entry] of en) {
        const theirs = tr.get(key)?.texts ?? [];
        for (const text of theirs)
          expect({ key, text, balanced: balanced(text) }).toEqual({ key, text, balanced: true });
        const ours = new Set(entry.texts.flatMap(tags));
        expect({ key, tags: [...new Set(theirs.flatMap(tags))].sort() }).toEqual({
          key,
          tags: [...ours].sort(),
        });
      }
    });
  });

  it.each(SUPPORTED_LOCALES)('%s: plain-text messages carry no markup or entities', (locale) => {
    for (const [key, entry] of load(locale)) {
      if (!isPlain(key)) continue;
      for (const text of entry.texts)
        expect({ key, text, markup: /<[a-z/]|&[a-z#]+;/.test(text) }).toMatchObject({ markup: false });
    }
  });

  it('English messages have balanced tags in every variant', () => {
    for (const [key, entry] of en)
      for (const text of entry.texts) expect({ key, ok: balanced(text) }).toEqual({ key, ok: true });
  });

  it('builds one setMyCommands menu per locale within Telegram limits', () => {
    const menus = commandMenus(
      createI18n({
        logger: {
          warn: (m, e) => {
            throw new Error(`${m} ${JSON.stringify(e)}`);
          },
        },
      }),
    );
    expect(menus.map((m) => m.language_code)).toEqual([undefined, 'ar', 'ur', 'ru']);
    for (const menu of menus) {
      for (const c of menu.commands) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        const chars = stripBidiControls(c.description).length;
        expect(chars).toBeGreaterThanOrEqual(1);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
    }
    expect(menus[1]?.commands.find((c) => c.command === 'latest')?.description).toBe(
      'أحدث المقالات، الأحدث أولًا',
    );
  });

  it.each(SUPPORTED_LOCALES)('%s: toasts stay within 200 characters with long values', (locale) => {
    const tr = createI18n().translator(locale);
    const long = 'W'.repeat(64);
    for (const key of en.keys()) {
      if (!key.endsWith('-toast')) continue;
      const text = tr.text(key, { name: long, handle: long });
      expect({ key, length: text.length <= 200 }).toEqual({ key, length: true });
    }
  });

  /** The longest value each variable takes in Herald (titles ≤ 300, names ≤ 64 after truncation). */
  function longest(name: string): MessageArg {
    if (['url'].includes(name)) return attr(`https://t.me/${'b'.repeat(32)}?start=s_${'c'.repeat(56)}`);
    if (['link'].includes(name)) return ltr(`https://t.me/${'b'.repeat(32)}?start=s_${'c'.repeat(56)}`);
    if (name === 'label') return ltr('w'.repeat(100));
    if (name === 'handle') return ltr(`@${'h'.repeat(32)}`);
    if (name === 'date') return date('2026-12-31T23:59:59Z');
    if (name === 'time') return dateTime('2026-12-31T23:59:59Z');
    if (['title', 'query', 'text'].includes(name)) return '&'.repeat(300);
    if (['name', 'author'].includes(name)) return '&'.repeat(64);
    return 999_999_999;
  }

  it.each(SUPPORTED_LOCALES)('%s: every message at its longest values fits a Telegram message', (locale) => {
    const tr = createI18n().translator(locale);
    for (const [key, entry] of en) {
      const args = Object.fromEntries([...entry.variables].map((v) => [v, longest(v)]));
      const text = isPlain(key) ? tr.text(key, args) : tr.t(key, args);
      expect(text).not.toContain('{$');
      expect({ key, fits: text.length <= 4096 }).toEqual({ key, fits: true });
    }
  });
});
