import fc from 'fast-check';
import { foldPersonName } from './person';
import { nameLikeText, reSpace, toFullWidth, whitespaceRun } from '../test/arbitraries';

describe('foldPersonName', () => {
  it.each([
    ['  John   SMITH ', 'john smith'],
    ['ＪＯＨＮ　Ｓｍｉｔｈ', 'john smith'],
    ['张 三', '张三'],
    [' 欧阳 娜娜 ', '欧阳娜娜'],
    ['约翰 • 史密斯', '约翰·史密斯'],
    ['约翰・史密斯', '约翰·史密斯'],
    ["Mary-Jane O'Neil", "mary-jane o'neil"],
    ['José Núñez', 'josé núñez'],
    ['', ''],
  ])('%j → %j', (raw, folded) => {
    expect(foldPersonName(raw)).toBe(folded);
  });

  describe('properties', () => {
    const anyName = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), nameLikeText);

    it('is idempotent', () => {
      fc.assert(
        fc.property(anyName, (raw) => {
          const once = foldPersonName(raw);
          expect(foldPersonName(once)).toBe(once);
        }),
      );
    });

    it('ignores case, full width and the amount of white space', () => {
      fc.assert(
        fc.property(nameLikeText, fc.array(whitespaceRun, { minLength: 1 }), (raw, runs) => {
          const folded = foldPersonName(raw);
          expect(foldPersonName(raw.toUpperCase())).toBe(folded);
          expect(foldPersonName(toFullWidth(raw))).toBe(folded);
          expect(foldPersonName(reSpace(` ${raw} `, runs))).toBe(folded);
        }),
      );
    });
  });
});
