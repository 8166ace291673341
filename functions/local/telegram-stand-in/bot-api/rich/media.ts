/**
 * Media blocks: which kind a URL is, whether Telegram would fetch it, and the file objects
 * Telegram returns in their place. The stand-in fetches nothing and knows no uploaded file, so
 * it accepts only http(s) URLs (Telegram's rule for media in rich markup) and tg://…?id=
 * references to the message's own `media` list.
 */
import { createHash } from 'node:crypto';
import type { RichBlock, RichBlockCaption } from '@grammyjs/types';
import { badRequest } from '../errors';
import { isHttpUrl } from '../text';
import { MEDIA_ID_INVALID, MEDIA_URL_INVALID } from './rich-errors';

export type MediaKind = 'photo' | 'video' | 'animation' | 'audio' | 'document' | 'voice_note';

export const MEDIA_KINDS: readonly MediaKind[] = [
  'photo',
  'video',
  'animation',
  'audio',
  'document',
  'voice_note',
];

/** "Media type is determined by the MIME type and the URL of the media": here, by the URL's extension. */
export function mediaKindOf(url: string): MediaKind {
  const path = (() => {
    try {
      return new URL(url).pathname.toLowerCase();
    } catch {
      return url.toLowerCase();
    }
  })();
  if (/\.(?:jpe?g|png|webp|bmp)$/.test(path)) return 'photo';
  if (/\.gif$/.test(path)) return 'animation';
  if (/\.(?:mp4|mov|webm|mkv)$/.test(path)) return 'video';
  if (/\.(?:ogg|oga|opus)$/.test(path)) return 'voice_note';
  if (/\.(?:mp3|m4a|flac|wav)$/.test(path)) return 'audio';
  return 'document';
}

/**
 * Resolves a media source: an http(s) URL, or `tg://photo?id=…` (video, document, audio) naming
 * an entry of the message's `media` list. Returns the URL the media comes from.
 */
export function resolveMediaSource(source: unknown, media: ReadonlyMap<string, string>): string {
  if (typeof source !== 'string') throw badRequest(MEDIA_URL_INVALID);
  const reference = /^tg:\/\/(?:photo|video|document|audio)\?id=([A-Za-z0-9_-]{1,64})$/.exec(source);
  if (reference !== null) {
    const found = media.get(reference[1] ?? '');
    if (found === undefined) throw badRequest(MEDIA_ID_INVALID);
    return found;
  }
  if (!isHttpUrl(source)) throw badRequest(MEDIA_URL_INVALID);
  return source;
}

/** A media block as Telegram returns it, with stable made-up file ids. */
export function mediaBlock(
  kind: MediaKind,
  url: string,
  caption?: RichBlockCaption,
  spoiler?: boolean,
): RichBlock {
  const hash = createHash('sha256').update(url).digest('base64url');
  const file = { file_id: `stand-in-${kind}-${hash.slice(0, 24)}`, file_unique_id: hash.slice(0, 12) };
  const name = decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '') || undefined;
  const extra = {
    ...(caption === undefined ? {} : { caption }),
    ...(spoiler === true && (kind === 'photo' || kind === 'video' || kind === 'animation')
      ? { has_spoiler: true as const }
      : {}),
  };
  switch (kind) {
    case 'photo':
      return { type: 'photo', photo: [{ ...file, width: 1280, height: 720 }], ...extra };
    case 'video':
      return {
        type: 'video',
        video: { ...file, width: 1280, height: 720, duration: 0, file_name: name },
        ...extra,
      };
    case 'animation':
      return {
        type: 'animation',
        animation: { ...file, width: 480, height: 270, duration: 0, file_name: name },
        ...extra,
      };
    case 'audio':
      return { type: 'audio', audio: { ...file, duration: 0, file_name: name }, ...extra };
    case 'voice_note':
      return { type: 'voice_note', voice_note: { ...file, duration: 0 }, ...extra };
    case 'document':
      return { type: 'document', document: { ...file, file_name: name }, ...extra };
  }
}
