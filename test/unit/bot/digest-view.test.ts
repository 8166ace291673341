import { digestViews } from '../../../functions/bot/digest-view';
import type { DigestEntry } from '../../../functions/core/delivery';
import { createI18n } from '../../../functions/i18n';

const i18n = createI18n();
const entry = (n: number, author: string, over: Partial<DigestEntry> = {}): DigestEntry => ({
  articleId: `a-${n}`,
  title: `Title ${n}`,
  authorHandle: author,
  authorName: author === 'x' ? 'Xena <X>' : 'Yann',
  summary: `Line ${n}.`,
  reason: 'daily',
  dueAt: 0,
  queuedAt: `2026-11-30T00:00:0${n % 10}.000Z`,
  ...over,
});

describe('digestViews', () => {
  it('groups by author, numbers articles across groups and folds an author’s fourth and later into an expandable quote', () => {
    // Prepare
    const entries = [
      entry(1, 'x'),
      entry(2, 'y'),
      entry(3, 'x'),
      entry(4, 'x'),
      entry(5, 'x'),
      entry(6, 'x'),
    ];

    // Act
    const [view, ...more] = digestViews(i18n.translator('en'), entries);

    // Assess
    expect(more).toEqual([]);
    const text = view?.text ?? '';
    expect(text).toContain('Xena &lt;X&gt;');
    expect(text.indexOf('Xena')).toBeLessThan(text.indexOf('Yann'));
    // x's articles are 1–5 (1, 3, 4 shown; 5, 6 folded), y's is 6.
    expect(text).toMatch(/<blockquote expandable>[\s\S]*Title 5[\s\S]*Title 6[\s\S]*<\/blockquote>/);
    expect(text).not.toMatch(/<blockquote expandable>[\s\S]*Title 4/);
    expect(
      view?.reply_markup?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : '')),
    ).toEqual(['1:o:a-1', '1:o:a-3', '1:o:a-4', '1:o:a-5', '1:o:a-6', '1:o:a-2']);
  });

  it('names the period: held through quiet hours, weekly, or daily', () => {
    const tr = i18n.translator('en');
    expect(digestViews(tr, [entry(1, 'x', { reason: 'held' })])[0]?.text).toContain(
      'While your quiet hours were on',
    );
    expect(digestViews(tr, [entry(1, 'x', { reason: 'weekly' }), entry(2, 'x')])[0]?.text).toContain(
      'Your weekly digest',
    );
    expect(digestViews(tr, [entry(1, 'x')])[0]?.text).toContain('Your daily digest</b> · one new article');
  });
});
