import { idFromKey } from '@crm/contracts';
import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { CLAIM_GRACE_MS, matchKeyStream } from '../application/match-key-index';

describe('accounts HTTP API', () => {
  // A fresh tenant per test keeps the duplicate index of one test out of the others.
  let tenantSeq = 0;
  let tenant: string;
  beforeEach(() => {
    tenant = `acc-t${++tenantSeq}`;
  });
  const { store, send, clock } = useSalesApp({ headers: () => ({ 'x-tenant-id': tenant }) });
  const eventsOf = (id: string) => store().readStream(`account-${id}`);
  const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);
  const total = async () => (await store().readAll()).length;
  const create = async (body: object, headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/accounts', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const bytedance = { name: '北京字节跳动科技有限公司', industry: 'internet', region: '华北', size: '5000+', phone: '010 5800 1234', email: 'BD@ByteDance.com', tags: ['vip', 'vip', 'key'] };

  describe('POST /v1/accounts', () => {
    it('creates a company account with normalised phone and e-mail: 201, Location, ETag, AccountCreated', async () => {
      const res = await send('POST', '/v1/accounts', { ...bytedance, ownerId: 'rep-1' }, { 'x-actor-id': 'rep-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.headers.location).toBe(`/v1/accounts/${id}`);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toMatchObject({ id, kind: 'company', phone: '+861058001234', email: 'bd@bytedance.com', tags: ['vip', 'key'], status: 'active', mergedIds: [], revision: 0 });
      const [event] = await eventsOf(id);
      expect(event).toMatchObject({
        type: 'sales.AccountCreated',
        data: { accountId: id, kind: 'company', name: '北京字节跳动科技有限公司', phone: '+861058001234', email: 'bd@bytedance.com', ownerId: 'rep-1' },
        metadata: { tenantId: tenant, actor: 'rep-1' },
      });
    });

    it('claims one index stream per match key, with "no stream" semantics', async () => {
      const id = await create(bytedance);
      for (const key of ['email:bd@bytedance.com', 'phone:+861058001234', 'company:北京字节跳动科技']) {
        const [claim] = await store().readStream(matchKeyStream(tenant, 'account', key));
        expect(claim).toMatchObject({ type: 'sales.MatchKeyClaimed', revision: 0, data: { kind: 'account', ownerId: id, reason: 'created' } });
        expect(JSON.stringify(claim.data)).not.toContain('bytedance');
      }
    });

    it.each([
      [{ name: '' }, 'name'],
      [{ name: 'Acme', email: 'not-an-email' }, 'email'],
      [{ name: 'Acme', phone: '12345' }, 'phone'],
      [{ name: 'Acme', kind: 'household' }, 'kind'],
      [{ name: 'Acme', size: 'huge' }, 'size'],
      [{ name: 'Acme', onDuplicate: 'merge' }, 'onDuplicate'],
      [{ name: 'Acme', surprise: 1 }, ''],
    ])('refuses %j with 400 and appends nothing', async (body, path) => {
      const before = await total();
      const res = await send('POST', '/v1/accounts', body);
      expectProblem(res, 400, 'validation_failed');
      if (path) expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
      expect(await total()).toBe(before);
    });

    it('answers a retry with the same Idempotency-Key with the same account and appends nothing', async () => {
      const first = await send('POST', '/v1/accounts', bytedance, { 'idempotency-key': 'acc-1' });
      const before = await total();
      const again = await send('POST', '/v1/accounts', bytedance, { 'idempotency-key': 'acc-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await total()).toBe(before);
    });

    it('completes a create that stopped after claiming its keys when retried with the same key', async () => {
      // The first attempt claimed the company key for its id, then the process died before AccountCreated.
      const id = idFromKey(tenant, 'account', 'acc-crash');
      await store().appendToStream(matchKeyStream(tenant, 'account', 'company:北京字节跳动科技'), [{
        type: 'sales.MatchKeyClaimed',
        data: { kind: 'account', rule: 'company_name', ownerId: id, reason: 'created', claimedAt: clock.now().toISOString() },
        metadata: { tenantId: tenant, correlationId: 'first-attempt' },
      }]);
      // Meanwhile another create of the company is refused: the claim is a create in flight.
      expect((await send('POST', '/v1/accounts', { name: '北京字节跳动科技有限公司' })).json()).toMatchObject({ code: 'duplicate_account', existingId: id });
      const retry = await send('POST', '/v1/accounts', bytedance, { 'idempotency-key': 'acc-crash' });
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toMatchObject({ id });
      expect(await typesOf(id)).toEqual(['sales.AccountCreated']);
      expect(await store().readStream(matchKeyStream(tenant, 'account', 'company:北京字节跳动科技'))).toHaveLength(1);
    });

    describe('duplicates', () => {
      it('refuses a duplicate with 409 duplicate_account, existingId and the key that matched; nothing appended', async () => {
        const id = await create(bytedance);
        const before = await total();
        const res = await send('POST', '/v1/accounts', { name: '北京字节跳动科技 ' });
        expectProblem(res, 409, 'duplicate_account');
        expect(res.json()).toMatchObject({ existingId: id, matchedOn: 'company_name' });
        expect(await total()).toBe(before);
        const byEmail = await send('POST', '/v1/accounts', { name: 'Other', email: 'bd@bytedance.com' });
        expect(byEmail.json()).toMatchObject({ code: 'duplicate_account', existingId: id, matchedOn: 'email' });
      });

      it('creates anyway with "onDuplicate": "create"; the keys stay with the original', async () => {
        const id = await create(bytedance);
        const twin = await create({ name: '北京字节跳动科技', email: 'sales@bytedance.com', onDuplicate: 'create' });
        expect(twin).not.toBe(id);
        const companyKey = await store().readStream(matchKeyStream(tenant, 'account', 'company:北京字节跳动科技'));
        expect(companyKey).toHaveLength(1);
        expect(companyKey[0].data).toMatchObject({ ownerId: id });
        // The twin's own new key is claimed.
        expect((await store().readStream(matchKeyStream(tenant, 'account', 'email:sales@bytedance.com')))[0].data).toMatchObject({ ownerId: twin });
        const res = await send('POST', '/v1/accounts', { name: 'X', email: 'sales@bytedance.com' });
        expect(res.json()).toMatchObject({ existingId: twin });
      });

      it('lets exactly one of two concurrent creates of the same company win', async () => {
        const [a, b] = await Promise.all([
          send('POST', '/v1/accounts', { name: 'Acme Co., Ltd.', phone: '+14155550100' }),
          send('POST', '/v1/accounts', { name: 'ACME Inc.', email: 'info@acme.com' }),
        ]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
        const [winner, loser] = a.statusCode === 201 ? [a, b] : [b, a];
        expect(loser.json()).toMatchObject({ code: 'duplicate_account', existingId: winner.json<{ id: string }>().id });
        const created = (await store().readAll()).filter((e) => e.type === 'sales.AccountCreated' && e.metadata.tenantId === tenant);
        expect(created).toHaveLength(1);
        // The loser's own key was claimed and then released again, so it blocks nobody.
        const losersOwn = a.statusCode === 201 ? { email: 'info@acme.com' } : { phone: '+14155550100' };
        expect((await send('POST', '/v1/accounts/duplicates/check', { name: 'Unrelated', ...losersOwn })).json()).toEqual({ matches: [] });
      });

      it('takes over a claim whose account was never written once the grace period is over', async () => {
        const ghost = '0190ffff-0000-7000-8000-000000000001';
        await store().appendToStream(matchKeyStream(tenant, 'account', 'company:ghost'), [{
          type: 'sales.MatchKeyClaimed',
          data: { kind: 'account', rule: 'company_name', ownerId: ghost, reason: 'created', claimedAt: clock.now().toISOString() },
          metadata: { tenantId: tenant, correlationId: 'x' },
        }]);
        expect((await send('POST', '/v1/accounts', { name: 'Ghost Ltd' })).json()).toMatchObject({ code: 'duplicate_account', existingId: ghost });
        clock.advance(CLAIM_GRACE_MS + 1000);
        const id = await create({ name: 'Ghost Ltd' });
        const events = await store().readStream(matchKeyStream(tenant, 'account', 'company:ghost'));
        expect(events.at(-1)!.data).toMatchObject({ ownerId: id, previousOwnerId: ghost, reason: 'abandoned_claim' });
      });

      it('finds a person account only by name with e-mail or phone', async () => {
        const id = await create({ kind: 'person', name: '张三', phone: '138 0013 8000' });
        expect((await send('POST', '/v1/accounts', { kind: 'person', name: '张 三', phone: '+86 138-0013-8000' })).json()).toMatchObject({ existingId: id, matchedOn: 'person_phone' });
        // Another member of the household on the same phone is not a duplicate.
        expect((await send('POST', '/v1/accounts', { kind: 'person', name: '李四', phone: '13800138000' })).statusCode).toBe(201);
      });
    });
  });

  describe('POST /v1/accounts/duplicates/check', () => {
    it('lists the matches, strongest first, and writes nothing', async () => {
      const a = await create({ name: 'Acme Co., Ltd.' });
      const b = await create({ name: 'Widgets Inc.', email: 'hello@acme.com' });
      const before = await total();
      const res = await send('POST', '/v1/accounts/duplicates/check', { name: 'ACME', email: 'Hello@ACME.com' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ matches: [{ id: b, matchedOn: 'email', name: 'Widgets Inc.' }, { id: a, matchedOn: 'company_name', name: 'Acme Co., Ltd.' }] });
      expect(await total()).toBe(before);
    });
    it('answers an empty list when nothing matches, and 400 for a bad body', async () => {
      expect((await send('POST', '/v1/accounts/duplicates/check', { name: 'Nobody Ltd' })).json()).toEqual({ matches: [] });
      expectProblem(await send('POST', '/v1/accounts/duplicates/check', { email: 'x@y.com' }), 400, 'validation_failed');
    });
  });

  describe('GET /v1/accounts/:id', () => {
    it('returns the account with its ETag', async () => {
      const id = await create(bytedance);
      const res = await send('GET', `/v1/accounts/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toMatchObject({ id, name: '北京字节跳动科技有限公司', revision: 0 });
    });
    it('answers 404 for an unknown id or another tenant’s account, 400 for a malformed id', async () => {
      const id = await create(bytedance);
      expectProblem(await send('GET', '/v1/accounts/0190ffff-0000-7000-8000-00000000abcd'), 404, 'account_not_found');
      expect((await send('GET', `/v1/accounts/${id}`, undefined, { 'x-tenant-id': 'someone-else' })).statusCode).toBe(404);
      expectProblem(await send('GET', '/v1/accounts/not-a-uuid'), 400, 'validation_failed');
    });
  });

  describe('PATCH /v1/accounts/:id', () => {
    it('changes only what changed, with If-Match, and moves the index with the new e-mail', async () => {
      const id = await create(bytedance);
      const res = await send('PATCH', `/v1/accounts/${id}`, { email: 'new@bytedance.com', region: null, industry: 'internet' }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({ email: 'new@bytedance.com', revision: 1 });
      expect(res.json()).not.toHaveProperty('region');
      expect((await eventsOf(id))[1].data).toMatchObject({ changes: { email: 'new@bytedance.com', region: null } });
      expect((await store().readStream(matchKeyStream(tenant, 'account', 'email:bd@bytedance.com'))).at(-1)!.type).toBe('sales.MatchKeyReleased');
      // The old e-mail is free again; the new one leads here.
      expect((await send('POST', '/v1/accounts/duplicates/check', { name: 'x', email: 'bd@bytedance.com' })).json()).toEqual({ matches: [] });
      expect((await send('POST', '/v1/accounts/duplicates/check', { name: 'x', email: 'NEW@bytedance.com' })).json()).toMatchObject({ matches: [{ id }] });
    });
    it('refuses a stale If-Match with 409 and appends nothing', async () => {
      const id = await create(bytedance);
      await send('PATCH', `/v1/accounts/${id}`, { region: '华东' });
      const res = await send('PATCH', `/v1/accounts/${id}`, { region: '华南' }, { 'if-match': '"0"' });
      expectProblem(res, 409, 'concurrency_conflict');
      expect(await typesOf(id)).toEqual(['sales.AccountCreated', 'sales.AccountUpdated']);
    });
    it('refuses a change that duplicates another account (409) unless "onDuplicate": "allow"', async () => {
      const other = await create({ name: 'Acme Ltd', email: 'info@acme.com' });
      const id = await create({ name: 'Widgets Ltd' });
      expect((await send('PATCH', `/v1/accounts/${id}`, { email: 'info@acme.com' })).json()).toMatchObject({ code: 'duplicate_account', existingId: other });
      expect(await typesOf(id)).toEqual(['sales.AccountCreated']);
      expect((await send('PATCH', `/v1/accounts/${id}`, { email: 'info@acme.com', onDuplicate: 'allow' })).statusCode).toBe(200);
    });
    it('answers 400 (nothing appended) for an empty or invalid change, 404 for an unknown account', async () => {
      const id = await create(bytedance);
      expectProblem(await send('PATCH', `/v1/accounts/${id}`, {}), 400, 'validation_failed');
      expectProblem(await send('PATCH', `/v1/accounts/${id}`, { name: null }), 400, 'validation_failed');
      expectProblem(await send('PATCH', `/v1/accounts/${id}`, { phone: 'call me' }), 400, 'validation_failed');
      expect(await typesOf(id)).toEqual(['sales.AccountCreated']);
      expectProblem(await send('PATCH', '/v1/accounts/0190ffff-0000-7000-8000-00000000abcd', { region: 'x' }), 404, 'account_not_found');
    });
    it('appends nothing on a retry with the same Idempotency-Key', async () => {
      const id = await create(bytedance);
      const first = await send('PATCH', `/v1/accounts/${id}`, { region: '华东' }, { 'idempotency-key': 'p-1' });
      const again = await send('PATCH', `/v1/accounts/${id}`, { region: '华东' }, { 'idempotency-key': 'p-1' });
      expect(again.json()).toEqual(first.json());
      expect(await typesOf(id)).toEqual(['sales.AccountCreated', 'sales.AccountUpdated']);
    });
  });

  describe('POST /v1/accounts/:id/merge', () => {
    const pair = async () => {
      const survivor = await create({ name: 'Acme Co., Ltd.', email: 'info@acme.com' });
      const merged = await create({ name: 'Acme Trading', phone: '+14155550100', onDuplicate: 'create' });
      return { survivor, merged };
    };

    it('merges, keeping both histories; the merged account redirects and its keys lead to the survivor', async () => {
      const { survivor, merged } = await pair();
      const res = await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged }, { 'x-actor-id': 'manager-1' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({ id: survivor, mergedIds: [merged], status: 'active' });
      expect(await typesOf(survivor)).toEqual(['sales.AccountCreated', 'sales.AccountsMerged']);
      expect(await typesOf(merged)).toEqual(['sales.AccountCreated', 'sales.AccountMergedInto']);
      const loser = await send('GET', `/v1/accounts/${merged}`);
      expect(loser.statusCode).toBe(200);
      expect(loser.json()).toMatchObject({ id: merged, status: 'merged', mergedInto: survivor, name: 'Acme Trading' });
      const phoneKey = await store().readStream(matchKeyStream(tenant, 'account', 'phone:+14155550100'));
      expect(phoneKey.at(-1)!.data).toMatchObject({ ownerId: survivor, previousOwnerId: merged, reason: 'merged' });
      expect((await send('POST', '/v1/accounts', { name: 'X', phone: '+1 415 555 0100' })).json()).toMatchObject({ existingId: survivor });
    });

    it('refuses commands on the merged account with 422 account_merged naming the survivor', async () => {
      const { survivor, merged } = await pair();
      await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged });
      expect((await send('PATCH', `/v1/accounts/${merged}`, { region: 'x' })).json()).toMatchObject({ status: 422, code: 'account_merged', survivorId: survivor });
    });

    it('refuses merging into itself, into a merged account, an already merged account, or an unknown one (422); nothing appended', async () => {
      const { survivor, merged } = await pair();
      const third = await create({ name: 'Third Ltd' });
      expectProblem(await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: survivor }), 422, 'merge_into_self');
      await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged });
      const before = await total();
      expect((await send('POST', `/v1/accounts/${merged}/merge`, { mergedId: third })).json()).toMatchObject({ code: 'account_merged', survivorId: survivor });
      expectProblem(await send('POST', `/v1/accounts/${third}/merge`, { mergedId: merged }), 422, 'account_merged');
      expectProblem(await send('POST', `/v1/accounts/${third}/merge`, { mergedId: '0190ffff-0000-7000-8000-00000000abcd' }), 422, 'unknown_account');
      expect(await total()).toBe(before);
    });

    it('answers 404 for an unknown survivor, 400 for a bad body, 409 for a stale If-Match', async () => {
      const { survivor, merged } = await pair();
      expectProblem(await send('POST', '/v1/accounts/0190ffff-0000-7000-8000-00000000abcd/merge', { mergedId: merged }), 404, 'account_not_found');
      expectProblem(await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: 'nope' }), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged }, { 'if-match': '"7"' }), 409, 'concurrency_conflict');
      expect(await typesOf(merged)).toEqual(['sales.AccountCreated']);
    });

    it('appends nothing on a retry with the same Idempotency-Key (even with the old If-Match)', async () => {
      const { survivor, merged } = await pair();
      const first = await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'm-1', 'if-match': '"0"' });
      const before = await total();
      const again = await send('POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'm-1', 'if-match': '"0"' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await total()).toBe(before);
    });
  });
});
