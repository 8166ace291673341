/**
 * Extractive summaries and reading time for article cards.
 *
 * The summary is two or three sentences of the article itself, chosen by how central
 * they are to it (LexRank: power iteration over an IDF-weighted cosine similarity graph
 * of the sentences), nudged towards sentences that share words with the title and,
 * slightly, towards the top of the article. Pure TypeScript over Node built-ins: no
 * Telegram, no AWS, no randomness; the same input always gives the same summary.
 */
import { type Block, plainText, proseText } from './body/blocks';
import { countWords, titleTokens, truncate } from './text';

/** Hard cap on a summary, in UTF-16 code units (it sits in a card under the title). */
export const SUMMARY_MAX_CHARS = 600;
/**
 * Silent reading speed behind `readingMinutes`, in words per minute of {@link countWords}, by
 * language (primary subtag). English: 230, a common figure for adult silent reading of
 * non-fiction (Brysbaert 2019 puts it at 238). Arabic and Russian: that figure scaled by the
 * words per minute measured for each against English on equivalent texts (IReST,
 * Trauzettel-Klosinski & Dietz 2012: Arabic 138, Russian 184, English 228; read aloud, so only
 * the ratios are used): Arabic joins articles, prepositions and pronouns to its words, so a
 * word carries more. Urdu: no published norm that we know of; 150 is an estimate between
 * Arabic's and Russian's (Urdu writes its postpositions as words of their own). Any other
 * language uses English's.
 */
const WORDS_PER_MINUTE: Readonly<Record<string, number>> = { en: 230, ar: 140, ur: 150, ru: 185 };
const DEFAULT_WORDS_PER_MINUTE = 230;

/** Words per minute for a BCP 47 tag (see {@link WORDS_PER_MINUTE}). */
export function wordsPerMinute(language: string | undefined): number {
  return WORDS_PER_MINUTE[language?.split('-')[0]?.toLowerCase() ?? ''] ?? DEFAULT_WORDS_PER_MINUTE;
}

/**
 * Sentences ranked at most. The similarity matrix is n×n: 600 sentences (~15,000 words)
 * is under 3 MB and a few milliseconds; a 200,000-character body of `Ab. Ab. …` would
 * otherwise ask for tens of gigabytes. Longer articles are summarized from their start.
 */
const MAX_RANKED_SENTENCES = 600;
const TARGET_MIN_CHARS = 300;
const TARGET_MAX_CHARS = 500;
const MAX_SENTENCES = 3;

// ---------------------------------------------------------------------------------------
// Sentence splitting
// ---------------------------------------------------------------------------------------

/** Terminators of scripts that end a sentence without a following space. */
const SCRIPT_TERMINATORS = new Set(['。', '！', '？', '｡', '．', '।', '॥', '؟', '۔', '።']);
const LATIN_TERMINATORS = new Set(['.', '!', '?', '…', '‽']);
/** Closing quotes and brackets that belong to the sentence they follow. */
const CLOSERS = new Set(['"', "'", '”', '’', '»', '›', ')', ']', '}', '」', '』', '）', '】', '〉', '》']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '‹', '(', '[', '{', '「', '『', '（', '¿', '¡']);

/** Abbreviations that precede a name or a word, so a full stop after them never ends a sentence. */
const NON_TERMINAL_ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'st',
  'mt',
  'ft',
  'vs',
  'v',
  'e.g',
  'i.e',
  'cf',
  'viz',
  'approx',
  'gen',
  'gov',
  'sen',
  'rep',
  'capt',
  'col',
  'lt',
  'sgt',
  'rev',
  'hon',
  'fig',
  'figs',
]);
/** Abbreviations that precede a number: `No. 5`, `pp. 12`. Before anything else they may end a sentence. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'vol', 'p', 'pp', 'ch', 'sec', 'art', 'ed']);
/**
 * Words that usually open a sentence. After an initial (`J.`) or a dotted acronym
 * (`U.S.`) a capitalized word is more often a name (`U.S. Senate`, `J. Tolkien`) than a
 * new sentence, unless it is one of these (`…in the U.S. The next day…`).
 */
const SENTENCE_STARTERS = new Set(
  (
    'the a an this that these those it its he she they we i you his her their our my there here ' +
    'but and or so yet then however in on at for as if when while after before since although though ' +
    'because what who why how where which no not yes some many most all both each every one meanwhile ' +
    'still also now today yesterday tomorrow later last next with by from to of'
  ).split(' '),
);

const LOWERCASE_START = /^\p{Ll}/u;
const DIGIT_START = /^\p{N}/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const LETTER_OR_DOT = /[\p{L}\p{M}.]/u;

/** The word after a boundary candidate, opening quotes/brackets skipped ('' at the end). */
function nextWord(p: string, from: number): string {
  let i = from;
  while (i < p.length && (p[i] === ' ' || OPENERS.has(p.charAt(i)))) i++;
  let j = i;
  while (j < p.length && WORD_CHAR.test(p.charAt(j))) j++;
  // Punctuation or a symbol opens the next sentence: keep its first character for the checks.
  return j > i ? p.slice(i, j) : p.slice(i, i + 1);
}

/** The letters-and-dots word that ends just before `index` (`Dr`, `U.S`, `e.g`, `J`). */
function wordBefore(p: string, index: number): string {
  let i = index;
  while (i > 0 && LETTER_OR_DOT.test(p.charAt(i - 1))) i--;
  return p.slice(i, index).replace(/^\.+/, '');
}

/** Decides whether a single `.` at `dot` (followed by a space) ends the sentence. */
function fullStopEndsSentence(p: string, dot: number, next: string): boolean {
  const before = wordBefore(p, dot);
  const key = before.toLowerCase();
  if (NON_TERMINAL_ABBREVIATIONS.has(key)) return false;
  if (NUMBER_ABBREVIATIONS.has(key) && DIGIT_START.test(next)) return false;
  // A lone capital (`J.`), or a lone letter of a script without case: Arabic's `د.` is "Dr.".
  const isInitial = /^[\p{Lu}\p{Lo}]$/u.test(before);
  const isDottedAcronym = /\p{L}\.\p{L}/u.test(before);
  if (isInitial || isDottedAcronym) return SENTENCE_STARTERS.has(next.toLowerCase());
  return true;
}

/** Splits one paragraph (whitespace already collapsed to single spaces) into sentences. */
function splitParagraph(p: string, out: string[]): void {
  let start = 0;
  let i = 0;
  const emit = (end: number): void => {
    const sentence = p.slice(start, end).trim();
    if (sentence !== '') out.push(sentence);
    start = end;
  };
  while (i < p.length) {
    const c = p.charAt(i);
    if (SCRIPT_TERMINATORS.has(c)) {
      let j = i + 1;
      while (j < p.length && (SCRIPT_TERMINATORS.has(p.charAt(j)) || LATIN_TERMINATORS.has(p.charAt(j)))) j++;
      while (j < p.length && CLOSERS.has(p.charAt(j))) j++;
      emit(j);
      i = j;
      continue;
    }
    if (!LATIN_TERMINATORS.has(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < p.length && LATIN_TERMINATORS.has(p.charAt(j))) j++;
    const run = p.slice(i, j);
    while (j < p.length && CLOSERS.has(p.charAt(j))) j++;
    // No space after the terminator: a decimal (3.5), an inner dot (U.S, example.com) or
    // a closing quote glued to the next word. Not a boundary.
    if (j < p.length && p[j] !== ' ') {
      i = j;
      continue;
    }
    const next = nextWord(p, j);
    const ends =
      next === '' || // end of paragraph
      (!LOWERCASE_START.test(next) && (run !== '.' || fullStopEndsSentence(p, i, next)));
    if (ends) emit(j);
    i = j;
  }
  emit(p.length);
}

/**
 * Splits text into sentences with a hand-written scanner.
 *
 * (`Intl.Segmenter`'s sentence granularity on Node 20 (ICU 78) splits Arabic and Urdu right,
 * but splits English after every `Dr.`, `Mr.`, initial and `U.S.`, with or without the
 * `-u-ss-standard` suppressions, which V8 ignores; so it is not used.) Handles: abbreviations
 * and titles (`Dr. Abdul`, `Mr.`, `Prof.`, `St.`, `e.g.`, `i.e.`, `vs.`, `No. 5`), initials
 * (`J. R. R. Tolkien`, and a lone letter of a caseless script: Arabic `د.` is "Dr.") and
 * dotted acronyms (`U.S.`, `U.K.`, `أ.د.`), which end a sentence only before a typical English
 * sentence opener (`the U.S. The…`); decimals and thousands (`3.5`, `1,000.25`); ellipses; `?`, `!`, `?!`;
 * closing quotes and brackets, kept with the sentence they close (`He said "Stop."` /
 * `Then…`); a following lowercase word, which never starts a new sentence (`etc. and`,
 * `"Stop!" he said`); blank lines, which always end a sentence; and the terminators of
 * Chinese/Japanese (`。！？`), Devanagari (`।`), Arabic (`؟`) and Urdu (`۔`), which need no
 * following space. The Arabic comma `،` and semicolon `؛` never end a sentence.
 *
 * Whitespace inside a sentence (single line breaks included) is collapsed to one space;
 * sentences are trimmed and never empty.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n/)) {
    const p = paragraph.replace(/\s+/gu, ' ').trim();
    if (p === '') continue;
    const own: string[] = [];
    splitParagraph(p, own);
    sentences.push(...keepQuotesWhole(own));
  }
  return sentences;
}

/** Quotation marks still open at the end of `s` (straight `"` pairs up; curly “ ” and « » count). */
function openQuotes(s: string): number {
  const straight = (s.match(/"/g) ?? []).length % 2;
  const curly = (s.match(/[“«]/g) ?? []).length - (s.match(/[”»]/g) ?? []).length;
  return straight + Math.max(0, curly);
}

/** Longest run a quotation may join into one sentence (a runaway quote must not swallow a paragraph). */
const MAX_QUOTED_SENTENCE = 500;

/**
 * Joins the sentences of a quotation that spans several (`a sign: "No laptops. Thank you."`),
 * so a summary never shows a quote that opens and does not close.
 */
function keepQuotesWhole(sentences: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    let current = sentences[i] ?? '';
    while (openQuotes(current) > 0 && i + 1 < sentences.length) {
      const joined = `${current} ${sentences[i + 1] ?? ''}`;
      if (joined.length > MAX_QUOTED_SENTENCE) break;
      current = joined;
      i++;
    }
    out.push(current);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------------------

/** Function words that would make every sentence look similar to every other. */
const STOP_WORDS = new Set(
  // English (folded: apostrophes split "don't" into "don" + a dropped "t").
  (
    'about above after again against all also am an and any are aren as at be because been before being ' +
    'below between both but by can could couldn did didn do does doesn doing don down during each few for ' +
    'from further had hadn has hasn have haven having he her here hers herself him himself his how if in ' +
    'into is isn it its itself just ll me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own re same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up us ve very was wasn we ' +
    'were weren what when where which while who whom why will with won would wouldn you your yours ' +
    'yourself yourselves said says one two new like get got also many much may might must shall ' +
    // Russian.
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне ' +
    'было вот от меня еще ещё нет о из ему теперь когда даже ну ли если уже или ни быть был была были ' +
    'это этот эта эти для при также который которая которые их они мы ' +
    // Arabic.
    'في من على إلى الى عن أن ان إن هذا هذه ذلك التي الذي الذين كان كانت قد لا ما مع هو هي هم أو او ثم ' +
    'بين كل بعد قبل عند حتى لم لن'
  ).split(' '),
);

/** Light English plural folding (`reefs` → `reef`, `studies` → `study`); other scripts untouched. */
function stem(token: string): string {
  if (token.length <= 3 || !/^[a-z]+$/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return token.slice(0, -3) + 'y';
  if (token.endsWith('s') && !/(?:ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** Content terms of a sentence: search tokens minus stop words, stemmed, deduplicated. */
function contentTerms(s: string): string[] {
  const terms = new Set<string>();
  for (const token of titleTokens(s)) if (!STOP_WORDS.has(token)) terms.add(stem(token));
  return [...terms];
}

/** Symmetric similarity matrix (row-major, n×n, zero diagonal): IDF-weighted cosine. */
function similarityMatrix(termIds: number[][], termCount: number): Float64Array {
  const n = termIds.length;
  const df = new Uint32Array(termCount);
  for (const ids of termIds) for (const id of ids) df[id] = (df[id] ?? 0) + 1;
  const idf2 = new Float64Array(termCount);
  for (let t = 0; t < termCount; t++) {
    const idf = Math.log(1 + n / (df[t] ?? 1));
    idf2[t] = idf * idf;
  }
  const norms = termIds.map((ids) => Math.sqrt(ids.reduce((sum, id) => sum + (idf2[id] ?? 0), 0)));

  // Inverted index: only pairs that share a term cost anything.
  const postings: number[][] = Array.from({ length: termCount }, () => []);
  termIds.forEach((ids, s) => {
    for (const id of ids) postings[id]?.push(s);
  });
  const sim = new Float64Array(n * n);
  for (let t = 0; t < termCount; t++) {
    const list = postings[t] ?? [];
    const w = idf2[t] ?? 0;
    for (let a = 0; a < list.length; a++) {
      const i = list[a] ?? 0;
      for (let b = a + 1; b < list.length; b++) {
        const k = i * n + (list[b] ?? 0);
        sim[k] = (sim[k] ?? 0) + w;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const denominator = (norms[i] ?? 0) * (norms[j] ?? 0);
      const value = denominator > 0 ? (sim[i * n + j] ?? 0) / denominator : 0;
      sim[i * n + j] = value;
      sim[j * n + i] = value;
    }
  }
  return sim;
}

const DAMPING = 0.85;
const MAX_ITERATIONS = 50;
const CONVERGED = 1e-6;

/**
 * LexRank centrality: the stationary distribution of a random walk that follows
 * similarity edges (row-normalized) with probability {@link DAMPING}, else jumps to a
 * uniformly random sentence. A sentence with no similar sentence (an off-topic lead
 * anecdote) only receives the jump mass.
 */
function centrality(sim: Float64Array, n: number): Float64Array {
  // Transition matrix in compressed sparse rows: most sentence pairs share no content word,
  // so each step costs the number of edges rather than n².
  const rowStart = new Uint32Array(n + 1);
  const columns: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) rowSum += sim[i * n + j] ?? 0;
    if (rowSum > 0) {
      for (let j = 0; j < n; j++) {
        const w = sim[i * n + j] ?? 0;
        if (w > 0) {
          columns.push(j);
          weights.push(w / rowSum);
        }
      }
    }
    rowStart[i + 1] = columns.length;
  }

  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Isolated sentences spread their mass evenly rather than leaking it.
    let dangling = 0;
    for (let i = 0; i < n; i++) if (rowStart[i] === rowStart[i + 1]) dangling += rank[i] ?? 0;
    next.fill((1 - DAMPING) / n + (DAMPING * dangling) / n);
    for (let i = 0; i < n; i++) {
      const share = DAMPING * (rank[i] ?? 0);
      const end = rowStart[i + 1] ?? 0;
      for (let k = rowStart[i] ?? 0; k < end; k++) {
        const column = columns[k] ?? 0;
        next[column] = (next[column] ?? 0) + share * (weights[k] ?? 0);
      }
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs((next[i] ?? 0) - (rank[i] ?? 0));
    [rank, next] = [next, rank];
    if (delta < CONVERGED) break;
  }
  return rank;
}

/** Sentences this short rarely stand alone; sentences this long would be truncated. */
function lengthFactor(chars: number): number {
  if (chars < 30) return 0.4;
  if (chars < 60) return 0.8;
  if (chars > TARGET_MAX_CHARS) return 0.5;
  if (chars > 350) return 0.8;
  return 1;
}

const TITLE_BOOST = 0.3;
const POSITION_BOOST = 0.1;
/** Above this cosine similarity a candidate mostly repeats a chosen sentence. */
const REDUNDANT = 0.6;

/** Indices of the chosen sentences, in original order. */
function chooseSentences(sentences: string[], title: string): number[] {
  const n = sentences.length;
  const vocabulary = new Map<string, number>();
  const termIdsOf = (terms: string[]): number[] =>
    terms.map((term) => {
      let id = vocabulary.get(term);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(term, id);
      }
      return id;
    });
  const terms = sentences.map(contentTerms);
  const termIds = terms.map(termIdsOf);
  const titleTerms = new Set(contentTerms(title));

  const sim = similarityMatrix(termIds, vocabulary.size);
  const rank = centrality(sim, n);

  const scores = sentences.map((sentence, i) => {
    const own = terms[i] ?? [];
    if (own.length === 0) return 0;
    let titleHits = 0;
    for (const term of own) if (titleTerms.has(term)) titleHits++;
    const titleOverlap = titleTerms.size > 0 ? titleHits / titleTerms.size : 0;
    const position = n > 1 ? 1 - i / (n - 1) : 1;
    return (
      (rank[i] ?? 0) *
      n *
      (1 + TITLE_BOOST * titleOverlap) *
      (1 + POSITION_BOOST * position) *
      lengthFactor(sentence.length)
    );
  });
  // Ties go to the earlier sentence, so the order is total and the output deterministic.
  const ranked = sentences.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);

  const chosen: number[] = [];
  let total = 0;
  const done = (): boolean =>
    chosen.length >= MAX_SENTENCES || (chosen.length >= 2 && total >= TARGET_MIN_CHARS);
  // First pass: the best sentences that add something new. Second pass, only when that
  // left fewer than two (a repetitive article): allow near-duplicates too.
  for (const avoidRedundancy of [true, false]) {
    for (const candidate of ranked) {
      if (done()) break;
      if (chosen.includes(candidate)) continue;
      if (avoidRedundancy && chosen.some((c) => (sim[c * n + candidate] ?? 0) > REDUNDANT)) continue;
      const withCandidate = total + (chosen.length > 0 ? 1 : 0) + (sentences[candidate] ?? '').length;
      const fits =
        chosen.length === 0 ||
        withCandidate <= TARGET_MAX_CHARS ||
        (total < TARGET_MIN_CHARS && withCandidate <= SUMMARY_MAX_CHARS);
      if (fits) {
        chosen.push(candidate);
        total = withCandidate;
      }
    }
    if (chosen.length >= 2) break;
  }
  return chosen.sort((a, b) => a - b);
}

/** Joins sentences with a space, except after a full stop of a script that uses none. */
function joinSentences(sentences: string[]): string {
  let out = '';
  for (const sentence of sentences) {
    if (out !== '' && !/[。！？｡．」』）]$/u.test(out)) out += ' ';
    out += sentence;
  }
  return out;
}

/** What a card shows besides the title. */
export interface ArticleSummary {
  /** Two or three sentences of the body, ≤ {@link SUMMARY_MAX_CHARS}; '' when the body is empty. */
  summary: string;
  /** `ceil(wordCount / wordsPerMinute(language))`, at least 1 when the body has any text, 0 when it is empty. */
  readingMinutes: number;
  /** Words of the body as `Intl.Segmenter` counts them (see `countWords`). */
  wordCount: number;
}

/**
 * Summarizes an article for its card: an extractive summary of two or three sentences
 * (about 300–500 characters, never more than {@link SUMMARY_MAX_CHARS}) chosen by
 * centrality, with a small boost for sharing words with the title and a smaller one for
 * coming early, emitted in their original order. Near-duplicate sentences are not picked
 * twice. The same input always gives the same output (ties go to the earlier sentence).
 *
 * Edge cases: an empty (or whitespace-only) body — including a title-only article —
 * gives `summary: ''`, and the card then shows the title alone; a body of one or two
 * sentences is the summary itself; anything over the cap, such as one very long
 * sentence, is cut at a word boundary with an ellipsis. Only the first 600 sentences
 * (~15,000 words) are ranked, which bounds time and memory on huge bodies.
 *
 * Reading time and word count are of the body only.
 */
export function summarize(input: { title: string; body: string; language?: string }): ArticleSummary {
  return summarizeText(input.title, input.body, input.body, input.language);
}

/**
 * {@link summarize} for a parsed body: the summary is drawn from the author's running prose
 * (its top-level paragraphs, see `proseText`), and word count and reading time are of its
 * whole text (headings, lists, quotes and captions too, see `plainText`) — never of markup.
 */
export function summarizeBlocks(input: {
  title: string;
  blocks: readonly Block[];
  language?: string;
}): ArticleSummary {
  return summarizeText(input.title, plainText(input.blocks), proseText(input.blocks), input.language);
}

function summarizeText(
  title: string,
  text: string,
  prose: string,
  language: string | undefined,
): ArticleSummary {
  const body = text.trim();
  if (body === '') return { summary: '', readingMinutes: 0, wordCount: 0 };
  const wordCount = countWords(body);
  const readingMinutes = Math.max(1, Math.ceil(wordCount / wordsPerMinute(language)));

  const sentences = splitSentences(prose);
  const considered = sentences.slice(0, MAX_RANKED_SENTENCES);
  const picked =
    considered.length <= 2
      ? considered
      : chooseSentences(considered, title).flatMap((i) => considered[i] ?? []);
  return { summary: truncate(joinSentences(picked), SUMMARY_MAX_CHARS), readingMinutes, wordCount };
}
