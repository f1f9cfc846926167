// fast-check arbitraries and helpers shared by the identity property tests.
import fc from 'fast-check';

/** ASCII printable → the full-width form a Chinese IME produces (`A` → `Ａ`, `@` → `＠`, space → U+3000). */
export const toFullWidth = (text: string): string =>
  [...text]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code === 0x20) return '\u3000';
      return code >= 0x21 && code <= 0x7e ? String.fromCodePoint(code + 0xfee0) : ch;
    })
    .join('');

/** Every single space becomes a random run of white space (ASCII, NBSP, ideographic, tab). */
export const reSpace = (text: string, runs: readonly string[]): string => {
  let i = 0;
  return text.replace(/ /g, () => runs[i++ % runs.length] ?? ' ');
};

export const whitespaceRun = fc
  .array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\n'), { minLength: 1, maxLength: 3 })
  .map((chars) => chars.join(''));

const latinWord = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/);
const hanWord = fc
  .array(fc.constantFrom(...'北京上海深圳杭州广州某某科技网络信息软件数据智能贸易电子华为腾讯阿里巴巴'), { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(''));
const punctuation = fc.constantFrom('.', ',', '-', '&', '/', '·', '(', ')', '（', '）', "'", '!', '+');

/** Company-ish and person-ish text: Latin and Han words, spaces and punctuation. */
export const nameLikeText = fc
  .array(fc.oneof(latinWord, hanWord, punctuation, fc.constant(' ')), { maxLength: 10 })
  .map((parts) => parts.join(''));

/** Space-separated words only (no punctuation): for case, width and space insensitivity. */
export const wordsText = fc
  .array(fc.oneof(latinWord, hanWord), { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));

/** Valid mainland mobile numbers in the many ways people write them. */
export const cnMobile = fc
  .tuple(fc.constantFrom('138', '139', '150', '186', '177', '199', '135'), fc.stringMatching(/^\d{8}$/))
  .map(([prefix, rest]) => `${prefix}${rest}`);

export const cnMobileWritten = fc
  .tuple(
    cnMobile,
    fc.constantFrom('', '+86 ', '+86-', '0086 ', '86 ', '+86'),
    fc.constantFrom(' ', '-', '', '\u00a0'),
  )
  .map(([digits, prefix, sep]) => ({
    digits,
    written: `${prefix}${digits.slice(0, 3)}${sep}${digits.slice(3, 7)}${sep}${digits.slice(7)}`,
  }));
