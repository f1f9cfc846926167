// Unicode helpers shared by the folds and normalisers. Pure string functions.

/** Zero-width and byte-order characters that copy-paste leaves behind (ZWSP, WORD JOINER, BOM). */
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;

/** Han ideographs, kana and CJK symbols: scripts written without spaces between words. */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3005\\u3006\\u30FC';
const SPACE_AFTER_CJK = new RegExp(`(?<=[${CJK}]) (?=\\S)`, 'gu');
const SPACE_BEFORE_CJK = new RegExp(`(?<=\\S) (?=[${CJK}])`, 'gu');

/**
 * NFKC (full-width → half-width, compatibility forms → canonical), then lower-case, then
 * NFKC again because lower-casing can leave a string that is not in NFKC.
 */
export const nfkcLower = (raw: string): string =>
  raw.normalize('NFKC').toLowerCase().normalize('NFKC').replace(INVISIBLE, '');

/** NFKC only (no case change), with invisible characters removed. */
export const nfkc = (raw: string): string => raw.normalize('NFKC').replace(INVISIBLE, '');

/** Every run of white space becomes one ASCII space; the ends are trimmed. */
export const collapseWhitespace = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * Removes single spaces that touch a CJK character: `北京 某某 科技` → `北京某某科技`,
 * `Acme 软件` → `Acme软件`. Expects whitespace already collapsed.
 */
export const removeSpacesAroundCjk = (text: string): string =>
  text.replace(SPACE_AFTER_CJK, '').replace(SPACE_BEFORE_CJK, '');
