/**
 * Who wrote a feed item, as a Herald handle. In order:
 * 1. the source's author mapping (the feed's name or e-mail → a handle), set by an admin;
 * 2. the source's default author, when set: every other item is attributed to it;
 * 3. an author this feed's name was matched to or created for on an earlier poll;
 * 4. otherwise a new author, named as the feed names them, with a handle derived from the
 *    name (or e-mail). A handle already taken by someone of a different name gets `_2`,
 *    `_3`, …; one taken by an author of the same name is that author.
 * An item that names nobody is the feed's author's, or else the publication's (the feed title).
 */
import { createHash } from 'node:crypto';

import type { AuthorInput } from '../core/model';
import { cleanText } from './html-text';
import type { FeedPerson } from './types';

/** What author resolution needs from storage (the author repository satisfies it). */
export interface AuthorLookup {
  getAuthor(handle: string): Promise<{ fullName: string } | undefined>;
}

/** Handles tried with a numeric suffix before falling back to a hashed one. */
const MAX_SUFFIX = 20;
const MAX_FULL_NAME = 128;

/** The form names and e-mails are matched in: NFKC, lower-case, whitespace collapsed. */
export function authorKey(s: string): string {
  return cleanText(s.normalize('NFKC')).toLowerCase();
}

function toHandle(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32)
    .replace(/_+$/, '');
}

const shortHash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

/**
 * A handle for a name: its Latin letters and digits ("Dr. Jane Doe" → "dr_jane_doe"); for a
 * name without them (Arabic, Urdu, …) the e-mail's local part, else `author_` and a hash.
 */
export function deriveHandle(name: string, email?: string): string {
  const fromName = toHandle(name);
  if (fromName.length >= 2) return fromName;
  const fromEmail = email ? toHandle(email.split('@')[0] ?? '') : '';
  if (fromEmail.length >= 2) return fromEmail;
  return `author_${shortHash(authorKey(name || email || ''), 8)}`;
}

function candidates(base: string, key: string): string[] {
  const out = [base];
  for (let n = 2; n <= MAX_SUFFIX; n++) out.push(`${base.slice(0, 32 - String(n).length - 1)}_${n}`);
  out.push(`${base.slice(0, 23)}_${shortHash(key, 8)}`);
  return out;
}

export interface AuthorResolverOptions {
  defaultAuthor?: string;
  authorMap?: Readonly<Record<string, string>>;
  /** The source's learned names (mutated copy is returned by {@link AuthorResolver.learned}). */
  learned: Readonly<Record<string, string>>;
  lookup: AuthorLookup;
  /** Who an item that names nobody belongs to: the feed's title (or host). */
  publicationName: string;
}

/** Resolves the authors of one poll's items, remembering what it created and learned. */
export class AuthorResolver {
  private readonly map = new Map<string, string>();
  private readonly learnedMap: Record<string, string>;
  private readonly created = new Map<string, AuthorInput>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly opts: AuthorResolverOptions) {
    for (const [k, v] of Object.entries(opts.authorMap ?? {}))
      this.map.set(authorKey(k), v.trim().toLowerCase());
    this.learnedMap = { ...opts.learned };
  }

  /** The handle for an item's (or, failing that, its feed's) first named person. `date` is the item's (YYYY-MM-DD). */
  async resolve(persons: readonly FeedPerson[], date: string): Promise<string> {
    const person = persons.find((p) => p.name || p.email);
    const keys = person ? [person.email, person.name].filter((k): k is string => !!k).map(authorKey) : [];
    for (const k of keys) {
      const mapped = this.map.get(k);
      if (mapped) return mapped;
    }
    if (this.opts.defaultAuthor) return this.opts.defaultAuthor.trim().toLowerCase();
    const name =
      person?.name ?? (person?.email ? person.email.split('@')[0] : undefined) ?? this.opts.publicationName;
    // Learned by name first: platforms give every author the same no-reply address (Blogger does).
    const key = authorKey(person?.name ?? person?.email ?? name);
    const h = this.learnedMap[key] ?? (await this.findOrCreateOnce(key, name, person));
    // A created author joined on the date of their earliest item in the feed.
    const created = this.created.get(h);
    if (created && date < created.userSince) created.userSince = date;
    return h;
  }

  /** One lookup per name per poll, even when many items share it. */
  private findOrCreateOnce(key: string, name: string, person: FeedPerson | undefined): Promise<string> {
    let handle = this.pending.get(key);
    if (!handle) {
      handle = this.findOrCreate(key, name, person);
      this.pending.set(key, handle);
    }
    return handle;
  }

  private async findOrCreate(key: string, name: string, person: FeedPerson | undefined): Promise<string> {
    const fullName = cleanText(name).slice(0, MAX_FULL_NAME).trim() || 'Unknown author';
    for (const handle of candidates(deriveHandle(name, person?.email), key)) {
      if (this.created.has(handle)) continue; // taken by another name in this poll
      const existing = await this.opts.lookup.getAuthor(handle);
      if (existing && authorKey(existing.fullName) !== authorKey(fullName)) continue;
      this.learnedMap[key] = handle;
      if (!existing) {
        const siteUrl = person?.url;
        this.created.set(handle, {
          handle,
          fullName,
          userSince: '9999-12-31',
          ...(siteUrl ? { siteUrl } : {}),
        });
      }
      return handle;
    }
    // Unreachable in practice (the last candidate is hashed); kept so the loop has an end.
    throw new Error(`no free handle for author "${fullName}"`);
  }

  /** Authors to create before the items that name them. */
  get newAuthors(): AuthorInput[] {
    return [...this.created.values()];
  }

  /** The source's learned names after this poll. */
  get learned(): Record<string, string> {
    return this.learnedMap;
  }
}
