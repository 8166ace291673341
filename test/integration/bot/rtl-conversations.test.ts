/**
 * Issue 13: a whole conversation in Arabic, and one in Urdu, through the webhook handler. Every
 * interpolated value is asserted with the exact code points around it: FSI (U+2068) … PDI
 * (U+2069) for titles, names, numbers and dates, LRI (U+2066) … PDI for @handles, /commands and
 * links shown as text, RLM (U+200F) in front of a line that would otherwise start left to right;
 * and nothing inside an href or callback data.
 */
import { FSI, LRI, PDI, RLM } from '../../../functions/i18n';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

const f = (s: string) => `${FSI}${s}${PDI}`;
const l = (s: string) => `${LRI}${s}${PDI}`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { authors, articles } = samplePublication(6);
  await seed(h, authors, articles);
});

afterAll(async () => {
  await h?.stop();
});

interface Expected {
  welcome: string;
  latestTitle: string;
  latestLine1: string;
  byline: string;
  counters: string;
  subscribedToast: string;
  shareHeading: string;
  shareLink: (url: string) => string;
  profileHeading: string;
  profileSince: string;
  profileCounters: string;
  searchTitle: string;
  alreadyFollow: string;
  unknownAuthor: string;
  commentPrompt: string;
  /** The posting time is now: matched as any text, isolated exactly. */
  commentHeading: RegExp;
  pageButton: string;
  helpLatest: string;
}

const TITLE0 = 'Why <br> tags & "quotes" won\'t save the web 🚲';

const EXPECTED: Record<'ar' | 'ur', Expected> = {
  ar: {
    welcome: `👋 أهلًا بك يا ${f('Sara')}!`,
    latestTitle: '📰 أحدث المقالات',
    latestLine1: `${RLM}${f('1')}. ${f(TITLE0)} — ${f('Dr. Jane Doe')} · ${f('20 نوفمبر 2026')}`,
    byline: `بقلم ${f('Dr. Jane Doe')} (${l('@jdoe')}) · ${f('18 نوفمبر 2026')} · قراءة في دقيقة واحدة`,
    counters: `👁 المشاهدات: ${f('1')} · 💬 لا تعليقات بعد`,
    subscribedToast: `🔔 اشتركت في ${f('Dr. Jane Doe')}. سيصلك تنبيه عندما ينشر جديدًا.`,
    shareHeading: `📤 مشاركة «${f('Bikes and cities, part 2')}»`,
    shareLink: (url) => `${RLM}${l(url)}`,
    profileHeading: `${RLM}${f('Dr. Jane Doe')} (${l('@jdoe')})`,
    profileSince: `عضو منذ: ${f('15 مارس 2008')}`,
    profileCounters: `المقالات: ${f('4')} · المشتركون: ${f('1')}`,
    searchTitle: `🔎 عناوين فيها «${f('bikes')}»`,
    alreadyFollow: `أنت تتابع ${f('Dr. Jane Doe')} بالفعل.`,
    unknownAuthor: `لا أعرف كاتبًا بالمعرّف ${l('@nobody')}. انظر ${l('/authors')}.`,
    commentPrompt: `✍️ اكتب تعليقك على «${f('Bikes and cities, part 2')}» (من 1 إلى ${f('1,000')} حرف) ثم أرسله. أرسل ${l('/cancel')} للتوقف.`,
    commentHeading: new RegExp(`^${RLM}${FSI}Sara${PDI} · ${FSI}[^${FSI}${PDI}]+${PDI} UTC$`),
    pageButton: `${RLM}· ${f('1')} ·`,
    helpLatest: `${l('/latest')} — أحدث المقالات`,
  },
  ur: {
    welcome: `👋 خوش آمدید، ${f('Sara')}!`,
    latestTitle: '📰 تازہ ترین مضامین',
    latestLine1: `${RLM}${f('1')}. ${f(TITLE0)} — ${f('Dr. Jane Doe')} · ${f('20 نومبر، 2026')}`,
    byline: `از ${f('Dr. Jane Doe')} (${l('@jdoe')}) · ${f('18 نومبر، 2026')} · ${f('1')} منٹ کی پڑھائی`,
    // The second open of this article in the file, after the Arabic reader's comment.
    counters: `👁 مشاہدات: ${f('2')} · 💬 تبصرے: ${f('1')}`,
    subscribedToast: `🔔 آپ نے ${f('Dr. Jane Doe')} کو سبسکرائب کر لیا۔ جب وہ کچھ شائع کریں گے تو آپ کو اطلاع ملے گی۔`,
    shareHeading: `📤 «${f('Bikes and cities, part 2')}» شیئر کریں`,
    shareLink: (url) => `${RLM}${l(url)}`,
    profileHeading: `${RLM}${f('Dr. Jane Doe')} (${l('@jdoe')})`,
    profileSince: `رکنیت کی تاریخ: ${f('15 مارچ، 2008')}`,
    profileCounters: `مضامین: ${f('4')} · سبسکرائبرز: ${f('2')}`,
    searchTitle: `🔎 وہ عنوانات جن میں «${f('bikes')}» ہے`,
    alreadyFollow: `آپ پہلے ہی ${f('Dr. Jane Doe')} کو فالو کرتے ہیں۔`,
    unknownAuthor: `میں ${l('@nobody')} نام کے کسی لکھاری کو نہیں جانتا۔ ${l('/authors')} دیکھیں۔`,
    commentPrompt: `✍️ «${f('Bikes and cities, part 2')}» پر اپنا تبصرہ لکھ کر بھیجیں (1 سے ${f('1,000')} حروف)۔ روکنے کے لیے ${l('/cancel')}۔`,
    commentHeading: new RegExp(`^${RLM}${FSI}Sara${PDI} · ${FSI}[^${FSI}${PDI}]+${PDI} UTC$`),
    pageButton: `${RLM}· ${f('1')} ·`,
    helpLatest: `${l('/latest')} — تازہ ترین مضامین`,
  },
};

describe.each(['ar', 'ur'] as const)('a whole conversation in %s', (locale) => {
  const e = EXPECTED[locale];
  const id = locale === 'ar' ? 60_001 : 60_002;

  it('every reply, button and toast isolates each value exactly', async () => {
    // Prepare
    const u = h.standIn.user({ id, first_name: 'Sara', language_code: locale });
    const last = () => {
      const m = h.standIn.lastMessage(id);
      if (!m) throw new Error('no message');
      return m;
    };
    const lines = () => last().text.split('\n');
    const buttons = () => last().reply_markup?.inline_keyboard.flat() ?? [];

    // Act / Assess, step by step
    await u.send('/start');
    expect(lines()[0]).toBe(e.welcome);

    await u.send('/help');
    expect(lines()).toContain(e.helpLatest);

    await u.send('/latest');
    expect(lines()[0]).toBe(e.latestTitle);
    expect(lines()[2]).toBe(e.latestLine1);
    expect(buttons().map((b) => b.text)).toContain(e.pageButton);
    // Callback data carries no direction marks.
    expect(
      buttons().every(
        (b) => !/[\u200E\u200F\u2066-\u2069]/.test('callback_data' in b ? (b.callback_data ?? '') : ''),
      ),
    ).toBe(true);

    await u.pressButton(last(), `${RLM}${f('3')}. ${f('Bikes and cities, part 2')}`);
    const card = last();
    expect(card.text.split('\n').slice(0, 2)).toEqual(['Bikes and cities, part 2', e.byline]);
    expect(card.text.split('\n').at(-1)).toBe(e.counters);
    expect(buttons().map((b) => b.text)).toContain(`${RLM}👤 ${f('Dr. Jane Doe')}`);

    await u.pressButton(card, 2); // 🔔 subscribe
    expect(h.standIn.callbackAnswers.at(-1)?.text).toBe(e.subscribedToast);

    // Subscribed, the card shows the follow's mode (⚡) after 🔕: the later buttons move one along.
    await u.pressButton(card, 5); // 📤 share
    const share = last();
    expect(share.text.split('\n')[0]).toBe(e.shareHeading);
    const link = share.entities?.find((x) => x.type === 'text_link') as {
      url: string;
      offset: number;
      length: number;
    };
    // The href is the bare URL; the isolates sit in the link text only.
    expect(link.url).toMatch(/^https:\/\/t\.me\/HeraldTestBot\?start=s_[A-Za-z0-9]{10}$/);
    expect(share.text.split('\n')).toContain(e.shareLink(link.url));
    expect(share.sentText).toContain(`<a href="${link.url}">${l(link.url)}</a>`);

    await u.send('/author jdoe');
    expect(lines().slice(0, 3)).toEqual([e.profileHeading, e.profileSince, e.profileCounters]);

    await u.send('/search bikes');
    expect(lines()[0]).toBe(e.searchTitle);

    await u.send('/subscribe jdoe');
    expect(last().text).toBe(e.alreadyFollow);

    await u.send('/subscribe nobody');
    expect(last().text).toBe(e.unknownAuthor);

    await u.pressButton(card, 6); // 💬 comments
    await u.pressButton(last(), 1); // ✍️ post
    expect(last().text).toBe(e.commentPrompt);
    await u.send('تعليق قصير');
    await u.pressButton(last(), 1); // see comments
    // Newest first: this reader's comment, then (in Urdu) the Arabic reader's, also by a Sara.
    expect(lines().filter((line) => e.commentHeading.test(line))).toHaveLength(locale === 'ar' ? 1 : 2);

    expect(h.standIn.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
