import { parseMarkdownBody } from '../../../functions/core/body/parse-markdown';
import {
  SUMMARY_MAX_CHARS,
  splitSentences,
  summarize,
  summarizeBlocks,
} from '../../../functions/core/summary';

describe('splitSentences', () => {
  it.each([
    ['titles before names', 'Dr. Abdul arrived. Mr. Lee left.', ['Dr. Abdul arrived.', 'Mr. Lee left.']],
    [
      'Mrs., Prof. and St.',
      'Mrs. Jones met Prof. Hale at St. Mary. They talked.',
      ['Mrs. Jones met Prof. Hale at St. Mary.', 'They talked.'],
    ],
    ['U.S. mid-sentence', 'The U.S. economy grew. Prices fell.', ['The U.S. economy grew.', 'Prices fell.']],
    [
      'U.K. ending a sentence',
      'She moved to the U.K. The rain followed her.',
      ['She moved to the U.K.', 'The rain followed her.'],
    ],
    [
      'e.g. and i.e.',
      'Bring fruit, e.g. Apples, i.e. Red ones. Thanks.',
      ['Bring fruit, e.g. Apples, i.e. Red ones.', 'Thanks.'],
    ],
    [
      'etc. mid-sentence',
      'Pens, paper, etc. are provided. Bring nothing.',
      ['Pens, paper, etc. are provided.', 'Bring nothing.'],
    ],
    [
      'etc. ending a sentence',
      'Bring pens, paper, etc. The rest is here.',
      ['Bring pens, paper, etc.', 'The rest is here.'],
    ],
    ['vs.', 'It was Ali vs. Frazier. The crowd roared.', ['It was Ali vs. Frazier.', 'The crowd roared.']],
    ['No. before a number', 'Room No. 5 was empty. Nobody came.', ['Room No. 5 was empty.', 'Nobody came.']],
    ['"no." as a word', 'The answer was no. Then he left.', ['The answer was no.', 'Then he left.']],
    [
      'single-letter initials',
      'J. R. R. Tolkien wrote it. It sold well.',
      ['J. R. R. Tolkien wrote it.', 'It sold well.'],
    ],
    [
      'a capital letter ending a sentence',
      'He took vitamin C. The cold went away.',
      ['He took vitamin C.', 'The cold went away.'],
    ],
    [
      'decimals and thousands',
      'It grew 3.5% to 1,000.25 units. Good.',
      ['It grew 3.5% to 1,000.25 units.', 'Good.'],
    ],
    ['an ellipsis before a capital', 'Wait... What was that?', ['Wait...', 'What was that?']],
    ['an ellipsis before lowercase', 'Wait… what was that?', ['Wait… what was that?']],
    [
      'a closing quote kept with its sentence',
      'He said "Stop." Then he left.',
      ['He said "Stop."', 'Then he left.'],
    ],
    ['curly quotes', 'She wrote “Done.” Nobody replied.', ['She wrote “Done.”', 'Nobody replied.']],
    [
      'a quotation of several sentences kept whole',
      'A sign said: "No laptops. Thank you." Reactions varied.',
      ['A sign said: "No laptops. Thank you."', 'Reactions varied.'],
    ],
    [
      'a curly quotation of several sentences kept whole',
      'He wrote: “We tried. It failed.” Then silence.',
      ['He wrote: “We tried. It failed.”', 'Then silence.'],
    ],
    ['a closing bracket', '(It worked.) Then we left.', ['(It worked.)', 'Then we left.']],
    [
      'a quoted exclamation inside a sentence',
      '"Stop!" he said. We stopped.',
      ['"Stop!" he said.', 'We stopped.'],
    ],
    ['? and !', 'Is it? Yes! Good.', ['Is it?', 'Yes!', 'Good.']],
    ['?!', 'You did what?! Incredible.', ['You did what?!', 'Incredible.']],
    [
      'a blank line ends a sentence',
      'A heading without a stop\n\nThe body begins.',
      ['A heading without a stop', 'The body begins.'],
    ],
    [
      'a single line break does not',
      'A sentence broken\nacross lines. Next.',
      ['A sentence broken across lines.', 'Next.'],
    ],
    ['Chinese', '今天天气很好。我们去公园吧！你来吗？', ['今天天气很好。', '我们去公园吧！', '你来吗？']],
    ['Japanese with a closing bracket', '「行こう。」彼は言った。', ['「行こう。」', '彼は言った。']],
    ['Devanagari danda', 'यह पहला वाक्य है। यह दूसरा है।', ['यह पहला वाक्य है।', 'यह दूसरा है।']],
    ['Arabic question mark', 'هل أنت بخير؟ نعم، أنا بخير.', ['هل أنت بخير؟', 'نعم، أنا بخير.']],
    ['Urdu full stop', 'یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔', ['یہ پہلا جملہ ہے۔', 'یہ دوسرا ہے۔']],
    ['Russian', 'Привет. Как дела? Т. е. всё хорошо.', ['Привет.', 'Как дела?', 'Т. е. всё хорошо.']],
  ])('%s', (_name, text, expected) => {
    // Act
    const sentences = splitSentences(text);

    // Assess
    expect(sentences).toEqual(expected);
  });

  it.each([
    [
      'Arabic: ؟ and ! end a sentence, the comma ، does not',
      'ذهب الطبيب إلى المستشفى، ثم عاد إلى البيت. هل كان متعبا؟ نعم! لقد كان يوما طويلا.',
      ['ذهب الطبيب إلى المستشفى، ثم عاد إلى البيت.', 'هل كان متعبا؟', 'نعم!', 'لقد كان يوما طويلا.'],
    ],
    [
      'Arabic: د. (Dr.) and أ.د. before a name',
      'قال د. أحمد زويل إن العلم مهم. ثم تحدث أ.د. سامي عن البحث.',
      ['قال د. أحمد زويل إن العلم مهم.', 'ثم تحدث أ.د. سامي عن البحث.'],
    ],
    [
      'Urdu: ۔ and ؟ end a sentence with or without a space; ، does not',
      'یہ ایک اچھی کتاب ہے۔کیا آپ نے اسے پڑھا؟ میں نے اسے کل پڑھا، اور مجھے پسند آئی۔ بہت خوب!',
      ['یہ ایک اچھی کتاب ہے۔', 'کیا آپ نے اسے پڑھا؟', 'میں نے اسے کل پڑھا، اور مجھے پسند آئی۔', 'بہت خوب!'],
    ],
    [
      'English: Dr., Mr., U.S. and e.g. stay whole',
      'Dr. Jane Doe met Mr. Smith in the U.S. on Monday. They discussed trade, e.g. tariffs. The U.S. Senate voted!',
      [
        'Dr. Jane Doe met Mr. Smith in the U.S. on Monday.',
        'They discussed trade, e.g. tariffs.',
        'The U.S. Senate voted!',
      ],
    ],
    [
      'Russian: initials and т. е. stay whole',
      'А. С. Пушкин родился в Москве. Он писал стихи, т. е. был поэтом. Правда?',
      ['А. С. Пушкин родился в Москве.', 'Он писал стихи, т. е. был поэтом.', 'Правда?'],
    ],
  ])('splits %s', (_, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('returns no sentences for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n \t ')).toEqual([]);
  });
});

// An article whose first sentence is an unrelated anecdote: "the first three sentences"
// would lead with it; a centrality ranking should not.
const OFF_TOPIC_LEAD = 'My grandmother once baked forty loaves of bread for a village wedding in Sicily.';
const REEF_ARTICLE = [
  OFF_TOPIC_LEAD,
  'Coral reefs along the northern coast suffered their worst bleaching event on record this summer.',
  'Marine biologists say the bleaching was driven by ocean temperatures that stayed above normal for weeks.',
  'When water temperatures rise, corals expel the algae that feed them, and the reefs turn white.',
  'The survey team measured bleaching on nine out of ten reefs they visited.',
  'Fishing communities that depend on healthy reefs are already reporting smaller catches.',
  'Some reefs can recover if ocean temperatures fall quickly, the biologists said.',
  'But repeated bleaching events leave corals little time to recover between heatwaves.',
  'The government has promised new funding for reef monitoring next year.',
].join(' ');

describe('quotations', () => {
  it('does not let a quote that never closes swallow the paragraph', () => {
    // Prepare: an opening quote with no closing one, then many sentences
    const text = `He said: "Listen. ${'This is one more sentence of the paragraph. '.repeat(30)}`;

    // Act
    const sentences = splitSentences(text);

    // Assess
    expect(sentences.length).toBeGreaterThan(5);
    expect(Math.max(...sentences.map((x) => x.length))).toBeLessThanOrEqual(500);
  });
});

describe('summarize', () => {
  it('prefers central sentences over an off-topic lead and keeps their original order', () => {
    // Prepare
    const input = { title: 'Record coral bleaching hits northern reefs', body: REEF_ARTICLE };
    const sentences = splitSentences(REEF_ARTICLE);

    // Act
    const { summary } = summarize(input);

    // Assess
    expect(summary).not.toContain('grandmother');
    const picked = sentences.filter((s) => summary.includes(s));
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(picked.length).toBeLessThanOrEqual(3);
    expect(summary).toBe(picked.join(' '));
    expect(summary).toMatch(/bleach/);
  });

  it('is deterministic', () => {
    // Prepare
    const input = { title: 'Record coral bleaching', body: REEF_ARTICLE };

    // Act
    const first = summarize(input);
    const second = summarize({ ...input });

    // Assess
    expect(second).toEqual(first);
  });

  it('keeps summaries of long articles within 600 characters and 2–3 sentences', () => {
    // Prepare: ~3,000 words from many paragraphs of varied sentences.
    const subjects = [
      'The river',
      'A local farmer',
      'The city council',
      'Engineers',
      'The new dam',
      'Residents',
    ];
    const verbs = ['flooded', 'inspected', 'debated', 'repaired', 'protected', 'questioned'];
    const objects = [
      'the lower valley',
      'the old bridge',
      'the water budget',
      'the northern canal',
      'the harvest',
    ];
    const body = Array.from({ length: 60 }, (_, p) =>
      Array.from({ length: 5 }, (_, s) => {
        const k = p * 5 + s;
        return `${subjects[k % 6]} ${verbs[(k * 7) % 6]} ${objects[(k * 3) % 5]} during week ${k} of the long dry season.`;
      }).join(' '),
    ).join('\n\n');
    const sentences = splitSentences(body);

    // Act
    const { summary, wordCount } = summarize({ title: 'The dam and the dry season', body });

    // Assess
    expect(wordCount).toBeGreaterThan(3000);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    const picked = sentences.filter((s) => summary.includes(s));
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(picked.length).toBeLessThanOrEqual(3);
    expect(picked.map((s) => sentences.indexOf(s))).toEqual(
      [...picked.map((s) => sentences.indexOf(s))].sort((a, b) => a - b),
    );
  });

  it('truncates a single very long sentence with an ellipsis', () => {
    // Prepare
    const body = `This sentence ${'goes on and on '.repeat(80)}until it finally stops.`;

    // Act
    const { summary } = summarize({ title: 'Long', body });

    // Assess
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary.length).toBeGreaterThan(SUMMARY_MAX_CHARS * 0.8);
    expect(summary.endsWith('…')).toBe(true);
    expect(body.startsWith(summary.slice(0, -1))).toBe(true);
  });

  it('copes with a maximal body of tiny sentences', () => {
    // Prepare: 50,000 sentences; only the first 600 are ranked.
    const body = 'Ab. '.repeat(50_000);

    // Act
    const { summary, wordCount, readingMinutes } = summarize({ title: 'Ab', body });

    // Assess
    expect(summary).toBe('Ab. Ab. Ab.');
    expect(wordCount).toBe(50_000);
    expect(readingMinutes).toBe(218);
  });

  it('returns a one- or two-sentence body as it is', () => {
    // Prepare
    const body = 'The library reopens on Monday.\nIt was closed for repairs.';

    // Act
    const { summary } = summarize({ title: 'Library', body });

    // Assess
    expect(summary).toBe('The library reopens on Monday. It was closed for repairs.');
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '  \n\n\t '],
  ])('gives an empty summary and no reading time for a %s body (title-only article)', (_name, body) => {
    // Act
    const result = summarize({ title: 'Announcement: more to follow', body });

    // Assess
    expect(result).toEqual({ summary: '', readingMinutes: 0, wordCount: 0 });
  });

  it.each([
    [
      'Arabic',
      'الذكاء الاصطناعي في المدارس',
      'بدأت المدارس في استخدام الذكاء الاصطناعي في التعليم. يقول المعلمون إن الذكاء الاصطناعي يساعد الطلاب على التعلم بسرعة. لكن بعض الآباء قلقون من الاعتماد على الذكاء الاصطناعي. هل يمكن للآلة أن تحل محل المعلم؟ يرى الخبراء أن المعلم سيبقى ضروريا في المدارس. وتخطط الوزارة لتدريب المعلمين على أدوات الذكاء الاصطناعي.',
    ],
    [
      'Chinese',
      '人工智能进入课堂',
      '越来越多的学校开始在课堂上使用人工智能。老师们说，人工智能可以帮助学生更快地学习。但是，一些家长担心孩子过度依赖人工智能。专家认为，老师在课堂上仍然不可替代。教育部计划明年为老师提供人工智能培训。',
    ],
    [
      'Russian',
      'Искусственный интеллект в школах',
      'Школы начали использовать искусственный интеллект на уроках. Учителя говорят, что искусственный интеллект помогает ученикам учиться быстрее. Но некоторые родители боятся, что дети будут слишком зависеть от технологий. Эксперты считают, что учитель в школе незаменим. Министерство планирует обучить учителей работе с искусственным интеллектом.',
    ],
  ])('summarizes a %s body', (_language, title, body) => {
    // Act
    const { summary, wordCount, readingMinutes } = summarize({ title, body });

    // Assess
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(splitSentences(summary).every((s) => body.includes(s))).toBe(true);
    expect(wordCount).toBeGreaterThan(20);
    expect(readingMinutes).toBe(1);
  });

  describe('reading time', () => {
    it('is 1 minute for any text, even a single word', () => {
      expect(summarize({ title: 't', body: 'Hello.' })).toMatchObject({ wordCount: 1, readingMinutes: 1 });
    });

    it('is words / 230, rounded up', () => {
      // Prepare
      const words = (n: number): string => 'word '.repeat(n).trim() + '.';

      // Act / Assess
      expect(summarize({ title: 't', body: words(230) })).toMatchObject({
        wordCount: 230,
        readingMinutes: 1,
      });
      expect(summarize({ title: 't', body: words(231) })).toMatchObject({
        wordCount: 231,
        readingMinutes: 2,
      });
      expect(summarize({ title: 't', body: words(2300) })).toMatchObject({
        wordCount: 2300,
        readingMinutes: 10,
      });
    });

    it.each([
      ['ar', 'كلمة', 140],
      ['ar-EG', 'كلمة', 140],
      ['ur', 'لفظ', 150],
      ['ru', 'слово', 185],
      ['en', 'word', 230],
      ['fr', 'mot', 230],
      [undefined, 'word', 230],
    ])('reads %s (%s): one minute for %d words, two for one more', (language, word, perMinute) => {
      // Prepare
      const body = (n: number) => `${`${word} `.repeat(n).trim()}.`;

      // Act
      const full = summarize({ title: 't', body: body(perMinute), language });
      const over = summarize({ title: 't', body: body(perMinute + 1), language });

      // Assess
      expect(full).toMatchObject({ wordCount: perMinute, readingMinutes: 1 });
      expect(over).toMatchObject({ wordCount: perMinute + 1, readingMinutes: 2 });
    });

    it('counts Chinese by words, not characters or lines', () => {
      // Act: 我们 / 今天 / 去 / 北京 / 大学 (ICU's dictionary segmentation).
      const { wordCount } = summarize({ title: 't', body: '我们今天去北京大学。' });

      // Assess
      expect(wordCount).toBe(5);
    });
  });
});

describe('summarizeBlocks (a Markdown body)', () => {
  const blocksOf = (markdown: string) => {
    const r = parseMarkdownBody(markdown);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.blocks;
  };

  it('summarizes the prose, never the markup, a heading, a list or a quote', () => {
    // Prepare
    const body = [
      '## A heading that must not open the card',
      '',
      'Buses are the **backbone** of the city. The [council report](https://example.org/report?x=1&y=2) counts *forty* routes.',
      '',
      '> A quotation from somebody else, which is not the author speaking.',
      '',
      '- a list fragment',
      '- another fragment',
    ].join('\n');

    // Act
    const { summary } = summarizeBlocks({ title: 'Buses', blocks: blocksOf(body) });

    // Assess
    expect(summary).toBe('Buses are the backbone of the city. The council report counts forty routes.');
  });

  it('counts the words of the whole text (headings, items, quotes, captions) and none of the markup or URLs', () => {
    // Prepare: 2 + 4 + 3 + 1 + 1 + 2 words of text; the URLs and markers add none
    const body = [
      '# Two words',
      '',
      'Four [words in](https://example.org/many/more/words/here) **prose**.',
      '',
      '> Three quoted words',
      '',
      '1. one',
      '2. two',
      '',
      '![ignored alt](https://example.org/a/b/c.png "Caption here")',
    ].join('\n');

    // Act
    const { wordCount, readingMinutes } = summarizeBlocks({ title: 't', blocks: blocksOf(body) });

    // Assess
    expect(wordCount).toBe(13);
    expect(readingMinutes).toBe(1);
  });

  it('gives a plain-text body the same summary and counts as before', () => {
    // Prepare
    const body =
      'The valley flooded in 2024. Nobody died, which was partly luck. The school lost its ground floor.\n\nThe county bought out 41 properties. The land is now a meadow.';

    // Act and assess
    expect(summarizeBlocks({ title: 'Floods', blocks: blocksOf(body) })).toEqual(
      summarize({ title: 'Floods', body }),
    );
  });
});
