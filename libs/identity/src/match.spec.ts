import fc from 'fast-check';
import { findMatch, matchKeys, matchRule, MATCH_RULES } from './match';
import type { MatchableRecord } from './match';

describe('matchKeys', () => {
  it('lists the e-mail, phone and company-person keys of a record', () => {
    expect(
      matchKeys({
        email: ' Li.Lei@Example.COM ',
        phones: ['138 0013 8000', '(010) 6552 9988 转 12'],
        companyName: '北京某某科技有限公司',
        personName: '李 雷',
      }),
    ).toEqual([
      'email:li.lei@example.com',
      'phone:+8613800138000',
      'phone:+861065529988;ext=12',
      'company-person:北京某某科技|李雷',
    ]);
  });

  it('gives no key for invalid values or a company without a person', () => {
    expect(matchKeys({ email: 'not an e-mail', phone: '12345', companyName: 'Acme Ltd', personName: '  ' })).toEqual([]);
    expect(matchKeys({})).toEqual([]);
  });

  it('de-duplicates keys', () => {
    expect(matchKeys({ email: 'a@b.com', emails: ['A@B.COM', null, undefined, ''] })).toEqual(['email:a@b.com']);
  });

  it('reads local numbers in the default region', () => {
    expect(matchKeys({ phone: '9123 4567' }, { defaultRegion: 'HK' })).toEqual(['phone:+85291234567']);
  });
});

describe('findMatch', () => {
  const existing = [
    { id: 'lead-1', companyName: 'Acme Co., Ltd.', personName: 'John Smith' },
    { id: 'lead-2', phone: '+86 138-0013-8000' },
    { id: 'lead-3', email: 'john@acme.com' },
  ];

  it('prefers the strongest rule over list order', () => {
    expect(findMatch({ email: 'JOHN@ACME.COM', phone: '13800138000', companyName: 'ACME Inc.', personName: 'john smith' }, existing)).toEqual({
      record: existing[2],
      rule: 'email',
      key: 'email:john@acme.com',
    });
    expect(findMatch({ phone: '0086 13800138000', companyName: 'ACME Inc.', personName: 'john smith' }, existing)).toMatchObject({
      record: existing[1],
      rule: 'phone',
    });
    expect(findMatch({ companyName: 'ＡＣＭＥ Ｉｎｃ．', personName: 'JOHN  SMITH' }, existing)).toMatchObject({
      record: existing[0],
      rule: 'company_and_name',
      key: 'company-person:acme|john smith',
    });
  });

  it('takes the earliest record within a rule', () => {
    const twins = [{ id: 'a', email: 'x@y.cn' }, { id: 'b', email: 'X@Y.CN' }];
    expect(findMatch({ email: 'x@y.cn' }, twins)?.record.id).toBe('a');
  });

  it('finds nothing for a new person, the same name elsewhere, or an empty record', () => {
    expect(findMatch({ email: 'jane@acme.com' }, existing)).toBeUndefined();
    expect(findMatch({ companyName: 'Globex Ltd', personName: 'John Smith' }, existing)).toBeUndefined();
    expect(findMatch({ companyName: 'Acme Ltd' }, existing)).toBeUndefined();
    expect(findMatch({}, existing)).toBeUndefined();
  });
});

describe('matching properties', () => {
  const record: fc.Arbitrary<MatchableRecord> = fc.record(
    {
      email: fc.constantFrom('li.lei@example.com', 'LI.LEI@EXAMPLE.COM', 'han.meimei@example.com', 'ｌｉ．ｌｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'bad@', null),
      phone: fc.constantFrom('138 0013 8000', '+86 13800138000', '139 0013 9000', '(010) 6552 9988', '010-65529988 ext. 1', '123', null),
      companyName: fc.constantFrom('Acme Co., Ltd.', 'ACME Inc.', '北京某某科技有限公司', '北京某某科技', 'Globex', '', null),
      personName: fc.constantFrom('John Smith', 'JOHN  SMITH', '李 雷', '李雷', '', null),
    },
    { requiredKeys: [] },
  );

  it('is symmetric: a matches b under a rule ⇔ b matches a under it', () => {
    fc.assert(
      fc.property(record, record, (a, b) => {
        expect(matchRule(a, b)).toBe(matchRule(b, a));
      }),
    );
  });

  it('is reflexive for every record that has a key', () => {
    fc.assert(
      fc.property(record, (a) => {
        expect(matchRule(a, a) !== undefined).toBe(matchKeys(a).length > 0);
      }),
    );
  });

  it('findMatch returns a record that matches under the strongest rule available', () => {
    fc.assert(
      fc.property(record, fc.array(record, { maxLength: 6 }), (candidate, others) => {
        const found = findMatch(candidate, others);
        const rules = others.map((other) => matchRule(candidate, other));
        if (found === undefined) {
          expect(rules.every((rule) => rule === undefined)).toBe(true);
          return;
        }
        expect(matchRule(candidate, found.record)).toBeDefined();
        expect(matchKeys(found.record)).toContain(found.key);
        expect(matchKeys(candidate)).toContain(found.key);
        const strongest = Math.min(...rules.filter((r) => r !== undefined).map((r) => MATCH_RULES.indexOf(r)));
        expect(MATCH_RULES.indexOf(found.rule)).toBe(strongest);
      }),
    );
  });
});
