import { defaultSenderOptions, reportText } from '../../../functions/alerts/sender';
import { alertRenderer } from '../../../functions/bot/views';
import { starsFor } from '../../../functions/core/delivery-time';
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
      stars: 0,
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
      stars: 0,
    });

    // Assess
    expect(text).toBe('Alert for “T”: 1,000 sent, 0 blocked, 0 failed, 3 unconfirmed');
  });

  it('adds the times to reach readers and the Stars spent when there are any', () => {
    // Act
    const text = reportText({
      articleId: 'a-1',
      title: 'T',
      total: 10_000,
      sent: 10_000,
      blocked: 0,
      failed: 0,
      unconfirmed: 0,
      times: { firstMs: 100, lastMs: 402_000, p50Ms: 201_000, p90Ms: 361_000, p99Ms: 397_000 },
      stars: 1_234.5,
    });

    // Assess
    expect(text.split('\n')).toEqual([
      'Alert for “T”: 10,000 sent, 0 blocked, 0 failed',
      'Reached 50 % in 3 min 21 s · 90 % in 6 min 01 s · 99 % in 6 min 37 s (first 100 ms, last 6 min 42 s)',
      'Paid broadcast: 1,234.5 Stars',
    ]);
  });
});

describe('starsFor', () => {
  it('charges 0.1 Star per paid message without floating-point dust', () => {
    expect(starsFor(3)).toBe(0.3);
    expect(starsFor(970_000)).toBe(97_000);
    expect(starsFor(0)).toBe(0);
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
