// Real-looking duplicate cases, Chinese and English, through the API: the second create must be
// refused as a duplicate of the first (or accepted as a different record). Names and numbers are
// made up; their formats are the real ones.
import { useSalesApp } from '../../../test/sales-app.fixture';

describe('duplicate matching through the API (@crm/identity)', () => {
  const { post: request } = useSalesApp();
  let seq = 0;
  const post = (tenant: string, url: string, payload: object) => request(url, payload, { 'x-tenant-id': tenant });

  const accounts: [string, object, object, string | null][] = [
    ['legal form (Chinese)', { name: '北京字节跳动科技有限公司' }, { name: '北京字节跳动科技 ' }, 'company_name'],
    ['legal form (English)', { name: 'ACME Co., Ltd.' }, { name: 'acme' }, 'company_name'],
    ['Inc. vs Co., Ltd.', { name: 'ACME Inc.' }, { name: 'Acme Co. Ltd' }, 'company_name'],
    ['region tag in brackets', { name: '腾讯科技（深圳）有限公司' }, { name: '腾讯科技有限公司' }, 'company_name'],
    ['full-width letters', { name: 'ＡＣＭＥ 有限公司' }, { name: 'ACME' }, 'company_name'],
    ['股份有限公司 and 集团', { name: '上海浦东发展银行股份有限公司' }, { name: '上海浦东发展银行' }, 'company_name'],
    ['same switchboard, other spelling', { name: '某某科技', phone: '(010) 6552 9988' }, { name: '另一家', phone: '+86 10 6552 9988' }, 'phone'],
    ['same mobile with 0086 prefix', { name: '甲公司', phone: '138 0013 8000' }, { name: '乙公司', phone: '0086 13800138000' }, 'phone'],
    ['same e-mail, other case and full-width @', { name: 'Foo Ltd', email: 'Sales@Foo.com' }, { name: 'Bar Ltd', email: 'sales＠foo.com' }, 'email'],
    ['person: same name and mobile', { kind: 'person', name: '张三', phone: '13800138000' }, { kind: 'person', name: '张 三', phone: '+8613800138000' }, 'person_phone'],
    ['branch is not its parent', { name: '某某科技有限公司' }, { name: '某某科技有限公司北京分公司' }, null],
    ['different companies', { name: 'Visa Inc.' }, { name: 'Visa Electronics' }, null],
    ['person: household members share a phone', { kind: 'person', name: '张三', phone: '13800138000' }, { kind: 'person', name: '李四', phone: '13800138000' }, null],
    ['plus-addressed mailbox is another mailbox', { name: 'A', email: 'li.lei@gmail.com' }, { name: 'B', email: 'li.lei+crm@gmail.com' }, null],
  ];

  it.each(accounts)('accounts: %s', async (_, first, second, matchedOn) => {
    const tenant = `dup-a${++seq}`;
    const original = await post(tenant, '/v1/accounts', first);
    expect(original.statusCode).toBe(201);
    const res = await post(tenant, '/v1/accounts', second);
    if (matchedOn === null) {
      expect(res.statusCode).toBe(201);
    } else {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'duplicate_account', existingId: original.json<{ id: string }>().id, matchedOn });
    }
  });

  const contacts: [string, object, object, string | null][] = [
    ['e-mail in another case', { name: 'Wang Fang', email: 'Wang.Fang@Example.CN' }, { name: '王芳', email: 'wang.fang@example.cn' }, 'email'],
    ['mobile with spaces and dashes', { name: '王芳', phone: '138-0013-8000' }, { name: 'Fang Wang', phone: '+86 138 0013 8000' }, 'phone'],
    ['extension keeps switchboard colleagues apart', { name: 'A', phone: '010 6552 9988 转 123' }, { name: 'B', phone: '010 6552 9988 转 456' }, null],
    ['middle dot in a transliterated name', { name: '约翰 • 史密斯', account: true }, { name: '约翰·史密斯', account: true }, 'name_in_account'],
    ['same name without an account is not enough', { name: '王芳' }, { name: '王芳' }, null],
  ];

  it.each(contacts)('contacts: %s', async (_, first, second, matchedOn) => {
    const tenant = `dup-c${++seq}`;
    const accountId = (await post(tenant, '/v1/accounts', { name: 'Acme' })).json<{ id: string }>().id;
    const body = ({ account, ...rest }: { account?: boolean }) => ({ ...rest, ...(account && { accountId }) });
    const original = await post(tenant, '/v1/contacts', body(first));
    expect(original.statusCode).toBe(201);
    const res = await post(tenant, '/v1/contacts', body(second));
    if (matchedOn === null) {
      expect(res.statusCode).toBe(201);
    } else {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'duplicate_contact', existingId: original.json<{ id: string }>().id, matchedOn });
    }
  });
});
