import fc from 'fast-check';
import { foldCompanyName } from './company';
import { nameLikeText, reSpace, toFullWidth, whitespaceRun, wordsText } from '../test/arbitraries';

const FOLDED_SHAPE = /^(?:[\p{L}\p{N}\p{M}]+(?: [\p{L}\p{N}\p{M}]+)*)?$/u;

describe('foldCompanyName', () => {
  it('strips the legal form the domain names', () => {
    expect(foldCompanyName('北京某某科技有限公司')).toBe('北京某某科技');
    expect(foldCompanyName('Acme Co., Ltd.')).toBe('acme');
    expect(foldCompanyName('ACME Inc.')).toBe('acme');
  });

  it('strips repeatedly, but never down to nothing', () => {
    expect(foldCompanyName('某某集团有限公司')).toBe('某某');
    expect(foldCompanyName('Widgets Holdings Company Limited')).toBe('widgets holdings');
    expect(foldCompanyName('有限公司')).toBe('有限公司');
    expect(foldCompanyName('Limited Inc.')).toBe('limited');
  });

  it('removes bracketed region tags and legal-form notes', () => {
    expect(foldCompanyName('腾讯科技（深圳）有限公司')).toBe('腾讯科技');
    expect(foldCompanyName('Acme (Shanghai) Co., Ltd.')).toBe('acme');
    expect(foldCompanyName('某某投资中心（有限合伙）')).toBe('某某投资中心');
    expect(foldCompanyName('（北京）')).toBe('北京');
  });

  it('keeps branches distinct from their parent', () => {
    expect(foldCompanyName('某某科技有限公司北京分公司')).toBe('某某科技有限公司北京分公司');
  });

  it('strips Latin suffixes only as whole words', () => {
    expect(foldCompanyName('Visa')).toBe('visa');
    expect(foldCompanyName('Ecco')).toBe('ecco');
    expect(foldCompanyName('Bioinc')).toBe('bioinc');
  });

  it('is empty for a blank name', () => {
    expect(foldCompanyName('')).toBe('');
    expect(foldCompanyName(' \u3000 ,. ')).toBe('');
  });

  describe('properties', () => {
    const anyName = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), nameLikeText);

    it('is idempotent', () => {
      fc.assert(
        fc.property(anyName, (raw) => {
          const once = foldCompanyName(raw);
          expect(foldCompanyName(once)).toBe(once);
        }),
      );
    });

    it('yields lower-case words separated by single spaces', () => {
      fc.assert(
        fc.property(anyName, (raw) => {
          const folded = foldCompanyName(raw);
          expect(folded).toMatch(FOLDED_SHAPE);
          expect(folded).toBe(folded.toLowerCase());
        }),
      );
    });

    it('ignores case, full width and the amount of white space', () => {
      fc.assert(
        fc.property(nameLikeText, fc.array(whitespaceRun, { minLength: 1 }), (raw, runs) => {
          const folded = foldCompanyName(raw);
          expect(foldCompanyName(raw.toUpperCase())).toBe(folded);
          expect(foldCompanyName(toFullWidth(raw))).toBe(folded);
          expect(foldCompanyName(reSpace(` ${raw} `, runs))).toBe(folded);
        }),
      );
    });

    it('ignores legal-form suffixes', () => {
      const latinSuffix = fc.constantFrom(
        'Co., Ltd.', 'Co. Ltd', 'Company Limited', 'Limited', 'Ltd', 'Inc.', 'Incorporated', 'Corp.',
        'Corporation', 'LLC', 'L.L.C.', 'GmbH', 'AG', 'S.A.', 'PLC', 'Pte. Ltd.',
      );
      const cjkSuffix = fc.constantFrom('有限责任公司', '股份有限公司', '有限公司', '集团有限公司', '集团', '公司', '（北京）有限公司');
      fc.assert(
        fc.property(wordsText, fc.oneof(latinSuffix.map((s) => ` ${s}`), cjkSuffix), (base, suffix) => {
          fc.pre(foldCompanyName(base).length > 0);
          expect(foldCompanyName(`${base}${suffix}`)).toBe(foldCompanyName(base));
        }),
      );
    });
  });
});
