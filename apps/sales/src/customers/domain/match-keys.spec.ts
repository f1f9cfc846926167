import { accountMatchKeys, contactMatchKeys, keyChanges } from './match-keys';

const keys = (list: { key: string }[]) => list.map((k) => k.key);

describe('match keys', () => {
  it('finds a company by e-mail, phone and folded name (@crm/identity)', () => {
    expect(accountMatchKeys({ kind: 'company', name: '北京字节跳动科技有限公司', email: 'BD@Example.CN', phone: '010 5800 1234' })).toEqual([
      { key: 'email:bd@example.cn', rule: 'email' },
      { key: 'phone:+861058001234', rule: 'phone' },
      { key: 'company:北京字节跳动科技', rule: 'company_name' },
    ]);
    expect(keys(accountMatchKeys({ kind: 'company', name: 'ACME Co., Ltd.' }))).toEqual(keys(accountMatchKeys({ kind: 'company', name: 'acme' })));
  });

  it('finds a person only by name together with e-mail or phone', () => {
    expect(accountMatchKeys({ kind: 'person', name: '张 三', phone: '138 0013 8000' })).toEqual([{ key: 'person:张三|phone:+8613800138000', rule: 'person_phone' }]);
    expect(accountMatchKeys({ kind: 'person', name: '张三' })).toEqual([]);
    expect(keys(accountMatchKeys({ kind: 'person', name: '李四', phone: '13800138000' }))).not.toEqual(keys(accountMatchKeys({ kind: 'person', name: '张三', phone: '13800138000' })));
  });

  it('finds a contact by e-mail, phone, and name within its account only', () => {
    expect(contactMatchKeys({ name: 'Wang Fang', accountId: 'acc-1', email: 'wf@example.com' })).toEqual([
      { key: 'email:wf@example.com', rule: 'email' },
      { key: 'account-person:acc-1|wang fang', rule: 'name_in_account' },
    ]);
    expect(contactMatchKeys({ name: 'Wang Fang' })).toEqual([]);
  });

  it('ignores values that do not normalise (they never match anything)', () => {
    expect(accountMatchKeys({ kind: 'company', name: '   ', email: 'not-an-email', phone: '12' })).toEqual([]);
  });

  it('tells which keys an update adds and which it drops', () => {
    const before = accountMatchKeys({ kind: 'company', name: 'Acme', email: 'a@acme.com' });
    const after = accountMatchKeys({ kind: 'company', name: 'Acme', email: 'b@acme.com' });
    expect(keyChanges(before, after)).toEqual({ added: [{ key: 'email:b@acme.com', rule: 'email' }], removed: [{ key: 'email:a@acme.com', rule: 'email' }] });
  });
});
