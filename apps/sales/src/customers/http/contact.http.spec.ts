import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { matchKeyStream } from '../application/match-key-index';

const UNKNOWN = '0190ffff-0000-7000-8000-00000000abcd';

describe('contacts HTTP API', () => {
  let tenantSeq = 0;
  let tenant: string;
  beforeEach(() => {
    tenant = `con-t${++tenantSeq}`;
  });
  const { store, send } = useSalesApp({ headers: () => ({ 'x-tenant-id': tenant }) });

  const typesOf = async (id: string) => (await store().readStream(`contact-${id}`)).map((e) => e.type);
  const total = async () => (await store().readAll()).length;
  const post = async (url: string, body: object, headers: Record<string, string> = {}) => {
    const res = await send('POST', url, body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const account = (name = 'Acme Co., Ltd.') => post('/v1/accounts', { name });

  describe('POST /v1/contacts', () => {
    it('creates a contact under an account: role, decision maker, normalised phone/e-mail, WeCom and WeChat ids', async () => {
      const accountId = await account();
      const res = await send('POST', '/v1/contacts', {
        name: '王芳', accountId, title: 'CTO', role: 'decision_maker', decisionMaker: true, phone: '138 0013 8000', email: 'Wang.Fang@Acme.com', wecomId: 'wangfang', wechatId: 'wf_1988',
      });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.headers.location).toBe(`/v1/contacts/${id}`);
      expect(res.headers.etag).toBe('"0"');
      expect((await store().readStream(`contact-${id}`))[0]).toMatchObject({
        type: 'sales.ContactCreated',
        data: { contactId: id, name: '王芳', accountId, role: 'decision_maker', decisionMaker: true, phone: '+8613800138000', email: 'wang.fang@acme.com', wecomId: 'wangfang', wechatId: 'wf_1988' },
      });
    });

    it('defaults decisionMaker to false and allows a contact without an account', async () => {
      const id = await post('/v1/contacts', { name: 'Li Lei', email: 'lilei@example.com' });
      expect((await send('GET', `/v1/contacts/${id}`)).json()).toMatchObject({ decisionMaker: false, tags: [] });
    });

    it.each([
      [{ name: 'x', email: 'nope' }],
      [{ name: 'x', phone: 'abc' }],
      [{ name: 'x', role: 'boss' }],
      [{ name: 'x', accountId: 'not-a-uuid' }],
      [{ title: 'CTO' }],
    ])('refuses %j with 400 and appends nothing', async (body) => {
      const before = await total();
      expectProblem(await send('POST', '/v1/contacts', body), 400, 'validation_failed');
      expect(await total()).toBe(before);
    });

    it('refuses an unknown account with 422 unknown_account, and a merged one with 422 account_merged', async () => {
      const before = await total();
      expect((await send('POST', '/v1/contacts', { name: 'x', accountId: UNKNOWN })).json()).toMatchObject({ status: 422, code: 'unknown_account', accountId: UNKNOWN });
      expect(await total()).toBe(before);
      const survivor = await account();
      const merged = await post('/v1/accounts', { name: 'Acme Ltd', onDuplicate: 'create' });
      await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged });
      expect((await send('POST', '/v1/contacts', { name: 'x', accountId: merged })).json()).toMatchObject({ status: 422, code: 'account_merged', survivorId: survivor });
    });

    it('refuses duplicates (e-mail, phone, same name in the same account) with 409 duplicate_contact; another account’s namesake is fine', async () => {
      const acme = await account();
      const widgets = await account('Widgets Inc.');
      const id = await post('/v1/contacts', { name: 'Zhang San', accountId: acme, email: 'zs@acme.com', phone: '13800138000' });
      const before = await total();
      expect((await send('POST', '/v1/contacts', { name: 'Z. San', email: 'ZS@acme.com' })).json()).toMatchObject({ code: 'duplicate_contact', existingId: id, matchedOn: 'email' });
      expect((await send('POST', '/v1/contacts', { name: 'Other', phone: '+86 138 0013 8000' })).json()).toMatchObject({ existingId: id, matchedOn: 'phone' });
      expect((await send('POST', '/v1/contacts', { name: 'zhang  san', accountId: acme })).json()).toMatchObject({ existingId: id, matchedOn: 'name_in_account' });
      expect(await total()).toBe(before);
      await post('/v1/contacts', { name: 'Zhang San', accountId: widgets });
      await post('/v1/contacts', { name: 'Zhang San', accountId: acme, onDuplicate: 'create' });
    });

    it('answers a retry with the same Idempotency-Key with the same contact and appends nothing', async () => {
      const first = await send('POST', '/v1/contacts', { name: 'Han Meimei', email: 'hmm@example.com' }, { 'idempotency-key': 'c-1' });
      const before = await total();
      const again = await send('POST', '/v1/contacts', { name: 'Han Meimei', email: 'hmm@example.com' }, { 'idempotency-key': 'c-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await total()).toBe(before);
    });
  });

  it('POST /v1/contacts/duplicates/check lists matches and writes nothing', async () => {
    const id = await post('/v1/contacts', { name: 'Han Meimei', email: 'hmm@example.com' });
    const before = await total();
    expect((await send('POST', '/v1/contacts/duplicates/check', { name: 'HMM', email: 'HMM@example.com' })).json()).toEqual({
      matches: [{ id, matchedOn: 'email', name: 'Han Meimei' }],
    });
    expectProblem(await send('POST', '/v1/contacts/duplicates/check', { name: 'x', email: 'bad' }), 400, 'validation_failed');
    expect(await total()).toBe(before);
  });

  describe('GET /v1/contacts/:id', () => {
    it('returns the contact with its ETag; 404 unknown; 400 malformed', async () => {
      const id = await post('/v1/contacts', { name: 'Li Lei' });
      const res = await send('GET', `/v1/contacts/${id}`);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toMatchObject({ id, name: 'Li Lei', status: 'active', revision: 0 });
      expectProblem(await send('GET', `/v1/contacts/${UNKNOWN}`), 404, 'contact_not_found');
      expectProblem(await send('GET', '/v1/contacts/xyz'), 400, 'validation_failed');
    });
  });

  describe('PATCH /v1/contacts/:id', () => {
    it('moves a contact to another account and re-keys its name within the account', async () => {
      const acme = await account();
      const widgets = await account('Widgets Inc.');
      const id = await post('/v1/contacts', { name: 'Li Lei', accountId: acme });
      const res = await send('PATCH', `/v1/contacts/${id}`, { accountId: widgets, decisionMaker: true }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accountId: widgets, decisionMaker: true, revision: 1 });
      expect((await store().readStream(matchKeyStream(tenant, 'contact', `account-person:${acme}|li lei`))).at(-1)!.type).toBe('sales.MatchKeyReleased');
      expect((await send('POST', '/v1/contacts', { name: 'Li Lei', accountId: widgets })).json()).toMatchObject({ code: 'duplicate_contact', existingId: id });
    });
    it('answers 422 for an unknown account, 409 for a stale If-Match or a duplicate, 404 unknown, 400 invalid; nothing appended', async () => {
      const id = await post('/v1/contacts', { name: 'Li Lei' });
      const other = await post('/v1/contacts', { name: 'Han', email: 'han@example.com' });
      expectProblem(await send('PATCH', `/v1/contacts/${id}`, { accountId: UNKNOWN }), 422, 'unknown_account');
      expectProblem(await send('PATCH', `/v1/contacts/${id}`, { title: 'x' }, { 'if-match': '"3"' }), 409, 'concurrency_conflict');
      expect((await send('PATCH', `/v1/contacts/${id}`, { email: 'han@example.com' })).json()).toMatchObject({ code: 'duplicate_contact', existingId: other });
      expectProblem(await send('PATCH', `/v1/contacts/${UNKNOWN}`, { title: 'x' }), 404, 'contact_not_found');
      expectProblem(await send('PATCH', `/v1/contacts/${id}`, { email: 'bad' }), 400, 'validation_failed');
      expect(await typesOf(id)).toEqual(['sales.ContactCreated']);
    });
    it('appends nothing on a retry with the same Idempotency-Key', async () => {
      const id = await post('/v1/contacts', { name: 'Li Lei' });
      const first = await send('PATCH', `/v1/contacts/${id}`, { title: 'CFO' }, { 'idempotency-key': 'cp-1' });
      const again = await send('PATCH', `/v1/contacts/${id}`, { title: 'CFO' }, { 'idempotency-key': 'cp-1' });
      expect(again.json()).toEqual(first.json());
      expect(await typesOf(id)).toEqual(['sales.ContactCreated', 'sales.ContactUpdated']);
    });
  });

  describe('POST /v1/contacts/:id/merge', () => {
    it('merges two contacts keeping both histories; the merged one redirects; its keys lead to the survivor', async () => {
      const survivor = await post('/v1/contacts', { name: 'Zhang San', email: 'zs@acme.com' });
      const merged = await post('/v1/contacts', { name: 'San Zhang', phone: '13800138000' });
      const res = await send('POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'cm-1' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: survivor, mergedIds: [merged] });
      expect((await send('GET', `/v1/contacts/${merged}`)).json()).toMatchObject({ status: 'merged', mergedInto: survivor });
      expect((await send('POST', '/v1/contacts', { name: 'x', phone: '13800138000' })).json()).toMatchObject({ existingId: survivor });
      expect(await typesOf(merged)).toEqual(['sales.ContactCreated', 'sales.ContactMergedInto']);
      const before = await total();
      expect((await send('POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'cm-1' })).statusCode).toBe(200);
      expect(await total()).toBe(before);
      expectProblem(await send('PATCH', `/v1/contacts/${merged}`, { title: 'x' }), 422, 'contact_merged');
    });
    it('refuses self, merged and unknown records (422), unknown survivor (404), bad body (400), stale If-Match (409)', async () => {
      const a = await post('/v1/contacts', { name: 'A' });
      const b = await post('/v1/contacts', { name: 'B' });
      const c = await post('/v1/contacts', { name: 'C' });
      expectProblem(await send('POST', `/v1/contacts/${a}/merge`, { mergedId: a }), 422, 'merge_into_self');
      await send('POST', `/v1/contacts/${a}/merge`, { mergedId: b });
      expectProblem(await send('POST', `/v1/contacts/${b}/merge`, { mergedId: c }), 422, 'contact_merged');
      expectProblem(await send('POST', `/v1/contacts/${c}/merge`, { mergedId: b }), 422, 'contact_merged');
      expectProblem(await send('POST', `/v1/contacts/${c}/merge`, { mergedId: UNKNOWN }), 422, 'unknown_contact');
      expectProblem(await send('POST', `/v1/contacts/${UNKNOWN}/merge`, { mergedId: c }), 404, 'contact_not_found');
      expectProblem(await send('POST', `/v1/contacts/${c}/merge`, {}), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/contacts/${c}/merge`, { mergedId: a }, { 'if-match': '"5"' }), 409, 'concurrency_conflict');
      expect(await typesOf(c)).toEqual(['sales.ContactCreated']);
    });
  });
});
