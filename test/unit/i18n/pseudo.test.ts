import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createI18n, findUntranslatedWords, ltr, pseudoLocalize } from '../../../functions/i18n';

const en = readFileSync(path.join(__dirname, '../../../functions/i18n/locales/en.ftl'), 'utf8');
const pseudo = createI18n({ readSource: () => en, transformText: pseudoLocalize }).translator('en');

describe('pseudo-locale', () => {
  it('replaces catalogue letters but keeps tags, entities, /commands and @handles', () => {
    expect(pseudoLocalize('<b>Latest</b> &lt;x&gt; /latest @jdoe go')).toBe(
      '<b>Ļáţéšţ</b> &lt;х&gt; /latest @jdoe ğó',
    );
  });

  it('leaves no English word in a catalogue reply, while arguments stay as they are', () => {
    const reply = pseudo.t('subscriptions-unknown-author', { handle: ltr('@jdoe') });
    expect(findUntranslatedWords(reply)).toEqual([]);
    const card = pseudo.t('articles-card-byline', {
      author: 'Jane Doe',
      handle: ltr('@jdoe'),
      date: new Date(0),
    });
    // The date is formatted by Intl in English ("1 Jan 1970"): a plain value, not interface text.
    expect(findUntranslatedWords(card)).toEqual(['Jan']);
  });

  it('finds a hard-coded English string', () => {
    expect(findUntranslatedWords(`${pseudo.t('comments-posted')}\nSee comments`)).toEqual([
      'See',
      'comments',
    ]);
  });
});
