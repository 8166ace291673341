import { defaultSenderOptions, reportText } from '../../../functions/alerts/sender';
import { alertRenderer } from '../../../functions/bot/views';
import type { ArticleMeta } from '../../../functions/core/model';
import { createI18n, FSI, LRI, PDI } from '../../../functions/i18n';

const meta: ArticleMeta = {
  id: 'a-1',
  title: 'Cats & <dogs>',
  authorHandle: 'jdoe',
  authorName: 'Dr. Jane "JD" Doe',
  publishedAt: '2026-11-25T08:00:00Z',
  summary: 'A summary.',
  readingMinutes: 3,
  wordCount: 600,
  views: 0,
  replies: 0,
  shares: 0,
  shareOpens: 0,
  alertsSent: 0,
};

describe('alertRenderer', () => {
  const render = alertRenderer(createI18n());

  it('is the article card under a "New from <author>" heading, escaped (English when no language is known)', () => {
    // Act
    const view = render(meta, undefined);

    // Assess
    expect(view.text.startsWith(`<i>New from ${FSI}Dr. Jane &quot;JD&quot; Doe${PDI}</i>`)).toBe(true);
    expect(view.text).toContain('<b>Cats &amp; &lt;dogs&gt;</b>');
    expect(view.reply_markup?.inline_keyboard.length).toBeGreaterThan(0);
  });

  it('speaks the subscriber’s stored language, handles isolated left to right', () => {
    // Act
    const view = render(meta, 'ar');

    // Assess
    expect(view.text.startsWith(`<i>جديد ${FSI}Dr. Jane &quot;JD&quot; Doe${PDI}</i>`)).toBe(true);
    expect(view.text).toContain(`(${LRI}@jdoe${PDI})`);
    expect(view.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('🔕 إلغاء الاشتراك');
  });

  it('falls back to English for a language Herald no longer speaks', () => {
    // Act / Assess
    expect(render(meta, 'xx').text).toBe(render(meta, undefined).text);
  });
});

describe('reportText', () => {
  it('names the article (escaped) and the three counts', () => {
    // Act
    const text = reportText({
      articleId: 'a-1',
      title: 'Cats & <dogs>',
      total: 10_050,
      sent: 10_000,
      blocked: 40,
      failed: 10,
      unconfirmed: 0,
    });

    // Assess
    expect(text).toBe('Alert for “Cats &amp; &lt;dogs&gt;”: 10,000 sent, 40 blocked, 10 failed');
  });

  it('adds the unconfirmed count only when there is one', () => {
    // Act
    const text = reportText({
      articleId: 'a-1',
      title: 'T',
      total: 1_003,
      sent: 1_000,
      blocked: 0,
      failed: 0,
      unconfirmed: 3,
    });

    // Assess
    expect(text).toBe('Alert for “T”: 1,000 sent, 0 blocked, 0 failed, 3 unconfirmed');
  });
});

describe('defaultSenderOptions', () => {
  it('keeps enough sends in flight for the rate, within bounds', () => {
    // Act / Assess
    expect(defaultSenderOptions(5).concurrency).toBe(8);
    expect(defaultSenderOptions(12.5).concurrency).toBe(13);
    expect(defaultSenderOptions(100).concurrency).toBe(100);
    expect(defaultSenderOptions(1000).concurrency).toBe(256);
  });
});
