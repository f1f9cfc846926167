// Person-name folding for MATCHING, never for display.
//
// NFKC (full-width → half-width), lower-case, zero-width characters dropped, white space
// trimmed and collapsed to one space; spaces next to Chinese/Japanese characters removed
// (`张 三` → `张三`). The middle dots used in transliterated names (`·`, `・`, `•`, `‧`, `∙`)
// all become `·`, without spaces around them (`约翰 • 史密斯` → `约翰·史密斯`).
// Nothing else changes: no diacritic stripping (`José` ≠ `Jose`), no word re-ordering
// (`Smith, John` ≠ `John Smith`), no nickname or pinyin/Hanzi equivalence.
import { collapseWhitespace, nfkcLower, removeSpacesAroundCjk } from './text';

const MIDDLE_DOTS = /\s*[\u00B7\u30FB\u2022\u2027\u2219]\s*/gu;

/** The matching form of a person's name; empty for a blank name. */
export const foldPersonName = (raw: string): string =>
  removeSpacesAroundCjk(collapseWhitespace(nfkcLower(raw)).replace(MIDDLE_DOTS, '\u00B7'));
