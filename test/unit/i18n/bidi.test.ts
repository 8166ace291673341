import { attr, createTranslator, date, firstStrongDirection, ltr } from '../../../functions/i18n';

const FSI = '\u2068';
const LRI = '\u2066';
const PDI = '\u2069';
const RLM = '\u200F';
const LRM = '\u200E';

describe('bidi isolation of interpolated values', () => {
  it('isolates free text with FSI…PDI in English too (an Arabic title in an English sentence)', () => {
    const out = createTranslator('en').t('comments-title', { title: 'عنوان <1>' });
    expect(out).toBe(`💬 <b>Comments on “${FSI}عنوان &lt;1&gt;${PDI}”</b>`);
  });

  it('in Arabic isolates every value: names (FSI), handles (LRI), numbers and dates (FSI)', () => {
    const out = createTranslator('ar').t('articles-card-byline-reading', {
      author: 'Dr. Jane Doe',
      handle: ltr('@jdoe'),
      date: date('2026-11-25T10:00:00Z'),
      minutes: 4,
    });
    expect(out).toBe(
      `بقلم ${FSI}Dr. Jane Doe${PDI} (${LRI}@jdoe${PDI}) · ${FSI}25 نوفمبر 2026${PDI} · قراءة في ${FSI}4${PDI} دقائق`,
    );
  });

  it('in Urdu isolates the /commands the catalogue writes inside its sentences', () => {
    const out = createTranslator('ur').t('start-unknown-command');
    expect(out).toContain(`${LRI}/help${PDI}`);
    expect(out.replace(`${LRI}/help${PDI}`, '')).not.toMatch(/[\u2066-\u2069]/);
  });

  it('never puts an isolate inside an href, and isolates the shown link only in RTL', () => {
    const url = 'https://t.me/herald_bot?start=s_ab&x="1"';
    const args = { title: 'T', url: attr(url), link: ltr(url), opens: 1 };
    const escaped = 'https://t.me/herald_bot?start=s_ab&amp;x=&quot;1&quot;';
    const ar = createTranslator('ar').t('share-message', args);
    expect(ar).toContain(`<a href="${escaped}">${LRI}${escaped}${PDI}</a>`);
    const en = createTranslator('en').t('share-message', args);
    expect(en).toContain(`<a href="${escaped}">${escaped}</a>`);
  });

  it('does not escape in plain text (buttons, toasts) but still isolates', () => {
    expect(createTranslator('en').text('articles-list-button', { n: 2, title: 'A & <B>' })).toBe(
      `2. ${FSI}A & <B>${PDI}`.replace(/^/, LRM),
    );
    expect(createTranslator('en').text('subscriptions-already-toast', { name: 'A & B' })).toBe(
      `You already follow ${FSI}A & B${PDI}. /subscriptions to manage.`,
    );
  });

  it('anchors an RTL line that starts with an isolated value with RLM', () => {
    const out = createTranslator('ar').t('articles-list-item-no-author', {
      n: 1,
      title: 'English title',
      date: date('2026-11-25'),
    });
    expect(out).toBe(`${RLM}${FSI}1${PDI}. <b>${FSI}English title${PDI}</b> · ${FSI}25 نوفمبر 2026${PDI}`);
    expect(firstStrongDirection(out, true)).toBe('rtl');
  });

  it('anchors an English line whose only letters are an isolated Arabic value with LRM', () => {
    const out = createTranslator('en').text('common-button-author', { name: 'جين' });
    expect(out).toBe(`${LRM}👤 ${FSI}جين${PDI}`);
  });

  it('skips tags and isolates when finding the first strong letter', () => {
    expect(firstStrongDirection('<b>مرحبا</b>', true)).toBe('rtl');
    expect(firstStrongDirection(`${FSI}abc${PDI} مرحبا`, false)).toBe('rtl');
    expect(firstStrongDirection('123 · 456', false)).toBeUndefined();
  });
});
