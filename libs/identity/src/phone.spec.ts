import fc from 'fast-check';
import { normalizePhone, phoneMatchKey } from './phone';
import { cnMobileWritten, toFullWidth } from '../test/arbitraries';

const E164 = /^\+[1-9]\d{6,14}$/;

describe('normalizePhone', () => {
  it('turns a mainland mobile into E.164 and reports its type', () => {
    expect(normalizePhone('138 0013 8000')).toEqual({
      ok: true,
      value: '+8613800138000',
      extension: undefined,
      region: 'CN',
      type: 'mobile',
      matchKey: '+8613800138000',
    });
  });

  it('reads a Beijing landline with its trunk prefix and area code', () => {
    expect(normalizePhone('(010) 6552 9988')).toMatchObject({ ok: true, value: '+861065529988', type: 'fixed_line' });
  });

  it('keeps the extension apart from E.164 and in the match key', () => {
    const withExtension = normalizePhone('010-6552 9988 转 8021');
    expect(withExtension).toMatchObject({ ok: true, value: '+861065529988', extension: '8021', matchKey: '+861065529988;ext=8021' });
    expect(phoneMatchKey('010-65529988 ext. 8021')).toBe('+861065529988;ext=8021');
    expect(phoneMatchKey('010-65529988')).not.toBe(phoneMatchKey('010-65529988 ext. 8021'));
  });

  it('reads numbers without an international prefix in the default region', () => {
    expect(phoneMatchKey('2123 4567', 'HK')).toBe('+85221234567');
    expect(phoneMatchKey('02 2345 6789', 'TW')).toBe('+886223456789');
    expect(phoneMatchKey('+8613800138000', 'US')).toBe('+8613800138000');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['call me', 'not_a_number'],
    ['tel: 138 0013 8000 or 139 0013 9000', 'not_a_number'],
    ['12345', 'too_short'],
    ['+999 1234 5678', 'invalid_country'],
    ['1380013800', 'invalid_number'],
    ['+86 123 4567 8901', 'invalid_number'],
  ])('rejects %j (%s)', (raw, reason) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, reason });
  });

  describe('properties', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/),
      cnMobileWritten.map(({ written }) => written),
    );

    it('outputs E.164 whenever it accepts', () => {
      fc.assert(
        fc.property(anyText, (raw) => {
          const result = normalizePhone(raw);
          if (result.ok) expect(result.value).toMatch(E164);
        }),
      );
    });

    it('is idempotent, and E.164 reads the same in every default region', () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom('CN', 'HK', 'TW', 'US', 'DE'), (raw, region) => {
          const once = normalizePhone(raw);
          if (!once.ok) return;
          const again = once.extension ? `${once.value} ext. ${once.extension}` : once.value;
          expect(normalizePhone(again, region)).toEqual(once);
        }),
      );
    });

    it('accepts every way of writing a mainland mobile, full-width too', () => {
      fc.assert(
        fc.property(cnMobileWritten, ({ digits, written }) => {
          expect(phoneMatchKey(written)).toBe(`+86${digits}`);
          expect(phoneMatchKey(toFullWidth(written))).toBe(`+86${digits}`);
          expect(normalizePhone(written)).toMatchObject({ ok: true, type: 'mobile', region: 'CN' });
        }),
      );
    });
  });
});
