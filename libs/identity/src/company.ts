// Company-name folding for MATCHING, never for display (DOMAIN.md §1: `北京某某科技有限公司`,
// `Acme Co., Ltd.` and `ACME Inc.` style suffixes removed for matching).
//
// The fold, in order:
//  1. NFKC (full-width → half-width: `ＡＣＭＥ` → `ACME`, `（` → `(`), lower-case, zero-width
//     characters dropped.
//  2. Bracketed annotations are removed wherever they stand: `(...)`, `[...]`, `【...】`,
//     `〔...〕`, nested ones too. In practice these are region tags (`（北京）`, `(Shanghai)`,
//     `（中国）`) and legal-form notes (`（有限合伙）`, `（普通合伙）`, `（筹）`), so
//     `腾讯科技（深圳）有限公司` folds like `腾讯科技有限公司`. Consequence, accepted: two
//     subsidiaries that differ only by the region tag fold alike; the company rule also needs
//     the same person name, which keeps false matches rare. If nothing but the annotation
//     is left, the brackets are treated as plain punctuation instead.
//  3. Dotted initialisms lose their dots (`L.L.C.` → `llc`, `S.A.` → `sa`, `J.P.` → `jp`);
//     apostrophes are deleted (`McDonald's` → `mcdonalds`).
//  4. Every other run of punctuation, symbols or white space becomes one space; spaces next
//     to Chinese/Japanese characters are removed (`北京 某某` → `北京某某`).
//  5. Legal-form suffixes are stripped from the end, repeatedly, longest first (see
//     `COMPANY_SUFFIXES`); `株式会社` also as a prefix. A Latin suffix must stand as its own
//     word. Stripping stops when the longest suffix found is all that is left, so a name
//     that is nothing but a legal form keeps it (`有限公司` → `有限公司`, `Limited Inc.` → `limited`).
//     `分公司` (branch) is NOT a suffix: `某某有限公司北京分公司` is a branch with its own
//     contacts and stays distinct from its parent; `公司` is not stripped out of `分公司`.
//
// The result contains only lower-case letters, digits, combining marks and single spaces.
import { collapseWhitespace, nfkcLower, removeSpacesAroundCjk } from './text';

/** Chinese and Japanese legal-form suffixes (matched as plain string endings), longest first. */
export const CJK_COMPANY_SUFFIXES: readonly string[] = [
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '株式会社',
  '有限公司',
  '股份公司',
  '集团',
  '集團',
  '公司',
];

/**
 * Latin legal-form words (after folding: `Co., Ltd.` is `co ltd`, `L.L.C.` is `llc`). Stripped
 * one word at a time, so `Co., Ltd.`, `Co. Ltd`, `Company Limited` and `Pte. Ltd.` all go.
 */
export const LATIN_COMPANY_SUFFIXES: readonly string[] = [
  'incorporated',
  'corporation',
  'company',
  'limited',
  'gmbh',
  'corp',
  'inc',
  'llc',
  'ltd',
  'plc',
  'pte',
  'ag',
  'co',
  'sa',
];

export const COMPANY_SUFFIXES: readonly string[] = [...CJK_COMPANY_SUFFIXES, ...LATIN_COMPANY_SUFFIXES];

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const BRACKETED = /[([【〔][^()[\]【】〔〕]*[)\]】〕]/gu;
const DOTTED_INITIALISM = /(?<![\p{L}\p{N}])(?:\p{Script=Latin}\.)+\p{Script=Latin}(?![\p{L}\p{N}])\.?/gu;
const APOSTROPHES = /['\u2019\u02BC`]/gu;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
const PREFIXES: readonly string[] = ['株式会社'];

const removeBracketed = (text: string): string => {
  let previous: string;
  let current = text;
  do {
    previous = current;
    current = current.replace(BRACKETED, ' ');
  } while (current !== previous);
  return current;
};

const tidy = (text: string): string =>
  removeSpacesAroundCjk(
    collapseWhitespace(
      text
        .replace(DOTTED_INITIALISM, (initialism) => initialism.replace(/\./g, ''))
        .replace(APOSTROPHES, '')
        .replace(NOT_WORD, ' '),
    ),
  );

/** `text` without `suffix` at its end, or `undefined` when it does not end with the suffix as a word. */
const withoutSuffix = (text: string, suffix: string): string | undefined => {
  if (!text.endsWith(suffix)) return undefined;
  const rest = text.slice(0, text.length - suffix.length);
  const before = rest.slice(-1);
  if (CJK_CHAR.test(suffix)) {
    if (suffix === '公司' && before === '分') return undefined;
  } else if (before !== '' && before !== ' ' && !CJK_CHAR.test(before)) {
    return undefined;
  }
  return rest.trimEnd();
};

const stripLegalForms = (folded: string): string => {
  let text = folded;
  for (const prefix of PREFIXES) {
    if (text.startsWith(prefix) && text.length > prefix.length) text = text.slice(prefix.length).trimStart();
  }
  for (;;) {
    const shorter = COMPANY_SUFFIXES.map((suffix) => withoutSuffix(text, suffix)).find((rest) => rest !== undefined);
    if (shorter === undefined || shorter.length === 0) return text;
    text = shorter;
  }
};

/**
 * The matching form of a company name: `北京某某科技有限公司` → `北京某某科技`,
 * `Acme Co., Ltd.` → `acme`, `ACME Inc.` → `acme`. Empty for a blank name.
 */
export const foldCompanyName = (raw: string): string => {
  const lowered = nfkcLower(raw);
  const withoutAnnotations = tidy(removeBracketed(lowered));
  const folded = withoutAnnotations.length > 0 ? withoutAnnotations : tidy(lowered);
  return stripLegalForms(folded);
};
