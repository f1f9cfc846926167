import fc from 'fast-check';
import { emailMatchKey, normalizeEmail } from './email';
import { reSpace, toFullWidth, whitespaceRun } from '../test/arbitraries';

describe('normalizeEmail', () => {
  it('lower-cases and trims', () => {
    expect(normalizeEmail('  Zhang.San@Example.COM ')).toEqual({
      ok: true,
      value: 'zhang.san@example.com',
      local: 'zhang.san',
      domain: 'example.com',
      asciiDomain: 'example.com',
      matchKey: 'zhang.san@example.com',
    });
  });

  it('converts full-width forms and the ideographic full stop first', () => {
    expect(emailMatchKey('ｚｈａｎｇ＠ｑｑ．ｃｏｍ')).toBe('zhang@qq.com');
    expect(emailMatchKey('zhang。san@163。com')).toBe('zhang.san@163.com');
  });

  it('allows IDN domains and matches them with their punycode form', () => {
    const unicode = normalizeEmail('Info@München.de');
    expect(unicode).toMatchObject({ ok: true, value: 'info@münchen.de', asciiDomain: 'xn--mnchen-3ya.de' });
    expect(emailMatchKey('info@xn--mnchen-3ya.de')).toBe(emailMatchKey('Info@München.de'));
    expect(normalizeEmail('sales@公司.中国')).toMatchObject({ ok: true, asciiDomain: 'xn--55qx5d.xn--fiqs8s' });
  });

  it('does no provider-specific rewriting', () => {
    expect(emailMatchKey('li.lei+crm@gmail.com')).toBe('li.lei+crm@gmail.com');
    expect(emailMatchKey('lilei@gmail.com')).not.toBe(emailMatchKey('li.lei@gmail.com'));
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['zhang.example.com', 'missing_at'],
    ['a@b@example.com', 'multiple_at'],
    ['zhang san@example.com', 'invalid_local_part'],
    ['.zhang@example.com', 'invalid_local_part'],
    ['zhang.@example.com', 'invalid_local_part'],
    ['zh..ang@example.com', 'invalid_local_part'],
    ['"zhang"@example.com', 'invalid_local_part'],
    ['张三@example.com', 'invalid_local_part'],
    ['@example.com', 'invalid_local_part'],
    ['zhang@', 'invalid_domain'],
    ['zhang@localhost', 'invalid_domain'],
    ['zhang@exa mple.com', 'invalid_domain'],
    ['zhang@-example.com', 'invalid_domain'],
    ['zhang@example..com', 'invalid_domain'],
    ['zhang@example.com.', 'invalid_domain'],
    ['zhang@192.168.0.1', 'invalid_domain'],
    ['zhang@[192.168.0.1]', 'invalid_domain'],
    ['zhang@ex%41mple.com', 'invalid_domain'],
    ['zhang@example_mail.com', 'invalid_domain'],
    [`${'a'.repeat(65)}@example.com`, 'too_long'],
    [`a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`, 'too_long'],
    [`${'a'.repeat(64)}@${Array.from({ length: 4 }, () => 'b'.repeat(60)).join('.')}.com`, 'too_long'],
  ])('rejects %j (%s)', (raw, reason) => {
    expect(normalizeEmail(raw)).toEqual({ ok: false, reason });
  });

  describe('properties', () => {
    it('is idempotent on any input', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.emailAddress()), (raw) => {
          const once = normalizeEmail(raw);
          if (!once.ok) return;
          expect(normalizeEmail(once.value)).toEqual(once);
        }),
      );
    });

    it('accepts RFC addresses that fit the length limits', () => {
      fc.assert(
        fc.property(fc.emailAddress(), (raw) => {
          const result = normalizeEmail(raw);
          if (!result.ok) expect(result.reason).toBe('too_long');
          else expect(result.value).toBe(raw.toLowerCase());
        }),
      );
    });

    it('ignores case, full-width forms and surrounding white space', () => {
      fc.assert(
        fc.property(fc.emailAddress(), whitespaceRun, whitespaceRun, (raw, before, after) => {
          const key = emailMatchKey(raw);
          expect(emailMatchKey(raw.toUpperCase())).toBe(key);
          expect(emailMatchKey(toFullWidth(raw))).toBe(key);
          expect(emailMatchKey(`${before}${raw}${after}`)).toBe(key);
          expect(emailMatchKey(reSpace(` ${raw} `, [before, after]))).toBe(key);
        }),
      );
    });

    it('produces a lower-case ASCII match key with exactly one @', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.emailAddress()), (raw) => {
          const key = emailMatchKey(raw);
          if (key !== undefined) expect(key).toMatch(/^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9.-]+$/);
        }),
      );
    });
  });
});
