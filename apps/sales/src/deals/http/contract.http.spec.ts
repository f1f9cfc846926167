import { accountStream, contactStream, newId, opportunityStream, SalesCustomerEventType as C, SalesPipelineEventType as P } from '@crm/contracts';
import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';

describe('contracts HTTP API', () => {
  const { store, send } = useSalesApp();

  const at = '2026-11-01T08:00:00.000Z';
  const eventsOf = (id: string) => store().readStream(`contract-${id}`);
  const countAll = async () => (await store().readAll()).length;
  const seed = (stream: string, type: string, data: object, tenantId = 'default') =>
    store().appendToStream(stream, [{ type, data, metadata: { tenantId, correlationId: 'seed' } }]);

  /** An account (renamed once), a contact, and an opportunity naming that contact — written as the customers and pipeline features would. */
  const customer = async (tenantId = 'default') => {
    const accountId = newId();
    const contactId = newId();
    const opportunityId = newId();
    await seed(accountStream(accountId), C.AccountCreated, { accountId, kind: 'company', name: 'Acme', createdAt: at }, tenantId);
    await seed(accountStream(accountId), C.AccountUpdated, { accountId, changes: { name: '北京某某科技有限公司' }, updatedAt: at }, tenantId);
    await seed(contactStream(contactId), C.ContactCreated, { contactId, name: '王小明', accountId, decisionMaker: true, email: 'xm@example.cn', phone: '+8613800138000', createdAt: at }, tenantId);
    await seed(opportunityStream(opportunityId), P.OpportunityCreated, { opportunityId, name: 'CRM rollout', accountId, contactId }, tenantId);
    return { accountId, contactId, opportunityId };
  };

  /** A quote the customer accepted: 3 × 100.00 at 10 % off + 1 × 50.00, 13 % VAT → 361.60 CNY. */
  const acceptedQuote = async (ids: { accountId: string; opportunityId: string }, tenantId = 'default', decide = true) => {
    const headers = { 'x-tenant-id': tenantId };
    const res = await send('POST', '/v1/quotes', {
      accountId: ids.accountId,
      opportunityId: ids.opportunityId,
      lines: [
        { productId: 'crm-seat', quantity: 3, unitPriceMinor: 10_000, discountBps: 1000 },
        { productId: 'onboarding', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000 },
      ],
    }, headers);
    expect(res.statusCode).toBe(201);
    const { id } = res.json<{ id: string }>();
    if (decide) {
      expect((await send('POST', `/v1/quotes/${id}/send`, {}, headers)).statusCode).toBe(200);
      expect((await send('POST', `/v1/quotes/${id}/accept`, {}, headers)).statusCode).toBe(200);
    }
    return id;
  };

  const directBody = (accountId: string, over: object = {}) => ({
    accountId,
    lines: [{ productId: 'support', description: 'Premium support', quantity: 1, netMinor: 100_000 }],
    taxMinor: 13_000,
    startDate: '2026-12-01',
    ...over,
  });
  const create = async (body: object, headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/contracts', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; contractNumber: string }>();
  };

  describe('POST /v1/contracts', () => {
    it('drafts from an accepted quote: lines, total, tax, account and opportunity from the accepted version; number C-2026-000001', async () => {
      const tenant = { 'x-tenant-id': 'tenant-q' };
      const ids = await customer('tenant-q');
      const quoteId = await acceptedQuote(ids, 'tenant-q');
      const res = await send('POST', '/v1/contracts', { quoteId, startDate: '2026-12-01', endDate: '2027-11-30' }, { ...tenant, 'x-actor-id': 'rep-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, contractNumber: 'C-2026-000001', status: 'drafted', revision: 0 });
      expect(res.headers.location).toBe(`/v1/contracts/${id}`);
      expect(res.headers.etag).toBe('"0"');
      const [drafted] = await eventsOf(id);
      expect(drafted).toMatchObject({ type: 'sales.ContractDrafted', metadata: { tenantId: 'tenant-q', actor: 'rep-1' } });
      expect(drafted.data).toEqual({
        contractId: id, contractNumber: 'C-2026-000001', accountId: ids.accountId, opportunityId: ids.opportunityId, quoteId, quoteVersion: 1, ownerId: 'rep-1',
        total: { amountMinor: 36_160, currency: 'CNY' }, taxMinor: 4_160,
        lines: [{ productId: 'crm-seat', quantity: 3, netMinor: 27_000 }, { productId: 'onboarding', description: 'Onboarding', quantity: 1, netMinor: 5_000 }],
        installments: [{ sequence: 1, dueDate: '2026-12-01', amountMinor: 36_160 }],
        startDate: '2026-12-01', endDate: '2027-11-30', draftedAt: '2026-11-02T09:00:00.000Z',
      });
      expect(await store().readStream('contractnumbers-tenant-q-2026')).toMatchObject([{ type: 'sales.ContractNumberAllocated', data: { contractId: id, sequence: 1 } }]);
    });

    it('refuses a quote that is not accepted (422) and an unknown one, taking no number', async () => {
      const ids = await customer('tenant-na');
      const quoteId = await acceptedQuote(ids, 'tenant-na', false);
      const before = await countAll();
      expectProblem(await send('POST', '/v1/contracts', { quoteId, startDate: '2026-12-01' }, { 'x-tenant-id': 'tenant-na' }), 422, 'quote_not_accepted');
      expectProblem(await send('POST', '/v1/contracts', { quoteId: newId(), startDate: '2026-12-01' }, { 'x-tenant-id': 'tenant-na' }), 422, 'unknown_quote');
      // Another tenant's quote does not exist for this one.
      expectProblem(await send('POST', '/v1/contracts', { quoteId, startDate: '2026-12-01' }), 422, 'unknown_quote');
      expect(await countAll()).toBe(before);
    });

    it('makes one contract per quote: a second draft from it is 409', async () => {
      const quoteId = await acceptedQuote(await customer());
      await create({ quoteId, startDate: '2026-12-01' });
      const before = await countAll();
      expectProblem(await send('POST', '/v1/contracts', { quoteId, startDate: '2027-01-01' }), 409, 'contract_already_exists');
      expect(await countAll()).toBe(before);
    });

    it('drafts directly: total = lines + tax in the tenant currency, an even split with the remainder on the last installment', async () => {
      const { accountId, contactId } = await customer();
      const { id } = await create(directBody(accountId, { contactId, installments: { installmentCount: 3, intervalMonths: 1 } }));
      expect((await eventsOf(id))[0].data).toMatchObject({
        accountId, contactId, total: { amountMinor: 113_000, currency: 'CNY' }, taxMinor: 13_000,
        installments: [
          { sequence: 1, dueDate: '2026-12-01', amountMinor: 37_666 },
          { sequence: 2, dueDate: '2027-01-01', amountMinor: 37_666 },
          { sequence: 3, dueDate: '2027-02-01', amountMinor: 37_668 },
        ],
      });
    });

    it('takes an explicit payment plan that sums to the total; a mismatch is 422 installments_mismatch and takes no number', async () => {
      const { accountId } = await customer();
      const plan = [{ dueDate: '2026-12-01', amountMinor: 50_000 }, { dueDate: '2027-06-01', amountMinor: 63_000 }];
      const { id } = await create(directBody(accountId, { installments: plan }));
      expect((await eventsOf(id))[0].data).toMatchObject({ installments: [{ sequence: 1, ...plan[0] }, { sequence: 2, ...plan[1] }] });
      const before = await countAll();
      expectProblem(await send('POST', '/v1/contracts', directBody(accountId, { installments: [{ dueDate: '2026-12-01', amountMinor: 50_000 }] })), 422, 'installments_mismatch');
      expectProblem(await send('POST', '/v1/contracts', directBody(accountId, { endDate: '2026-01-01' })), 422, 'invalid_dates');
      expectProblem(await send('POST', '/v1/contracts', directBody(accountId, { lines: [{ productId: 'p', quantity: 1, netMinor: Number.MAX_SAFE_INTEGER }] })), 422, 'amount_too_large');
      expect(await countAll()).toBe(before);
    });

    it('numbers contracts per tenant, without gaps or twins under concurrent drafts', async () => {
      const { accountId } = await customer('tenant-seq');
      const tenant = { 'x-tenant-id': 'tenant-seq' };
      const drafted = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/v1/contracts', directBody(accountId), tenant)));
      expect(drafted.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
      expect(drafted.map((r) => r.json<{ contractNumber: string }>().contractNumber).sort()).toEqual(
        [1, 2, 3, 4, 5, 6].map((n) => `C-2026-00000${n}`),
      );
      const { accountId: other } = await customer('tenant-seq-2');
      expect((await create(directBody(other), { 'x-tenant-id': 'tenant-seq-2' })).contractNumber).toBe('C-2026-000001');
    });

    it('answers a retry with the same Idempotency-Key with the same contract, number and events', async () => {
      const { accountId } = await customer();
      const first = await send('POST', '/v1/contracts', directBody(accountId), { 'idempotency-key': 'contract-1' });
      const before = await countAll();
      const again = await send('POST', '/v1/contracts', directBody(accountId), { 'idempotency-key': 'contract-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await countAll()).toBe(before);
      // The same for a contract from a quote.
      const quoteId = await acceptedQuote(await customer());
      const q1 = await send('POST', '/v1/contracts', { quoteId, startDate: '2026-12-01' }, { 'idempotency-key': 'contract-q' });
      const q2 = await send('POST', '/v1/contracts', { quoteId, startDate: '2026-12-01' }, { 'idempotency-key': 'contract-q' });
      expect([q2.statusCode, q2.json()]).toEqual([201, q1.json()]);
    });

    it.each([
      ['no start date', { lines: [{ productId: 'p', quantity: 1, netMinor: 1 }], accountId: newId() }],
      ['a decimal amount (money is integer minor units)', directBody(newId(), { lines: [{ productId: 'p', quantity: 1, netMinor: 10.5 }] })],
      ['a decimal tax', directBody(newId(), { taxMinor: 0.5 })],
      ['a quote and lines at once', { ...directBody(newId()), quoteId: newId() }],
      ['a quote id that is not a UUID', { quoteId: 'q-1', startDate: '2026-12-01' }],
      ['installments with no count', directBody(newId(), { installments: { intervalMonths: 1 } })],
      ['an installment with a decimal amount', directBody(newId(), { installments: [{ dueDate: '2026-12-01', amountMinor: 1.5 }] })],
      ['a bad currency', directBody(newId(), { currency: 'YUAN' })],
      ['an unknown field', directBody(newId(), { colour: 'red' })],
    ])('rejects %s with 400 problem+json and appends nothing', async (_, body) => {
      const before = await countAll();
      expectProblem(await send('POST', '/v1/contracts', body), 400, 'validation_failed');
      expect(await countAll()).toBe(before);
    });
  });

  describe('POST /v1/contracts/{id}/sign', () => {
    it('emits ContractSigned with totals, lines, installments, dates, the account’s current name and the opportunity’s contact', async () => {
      const ids = await customer();
      const quoteId = await acceptedQuote(ids);
      const { id, contractNumber } = await create({ quoteId, startDate: '2026-12-01', installments: { installmentCount: 2, intervalMonths: 6 } }, { 'x-actor-id': 'rep-1' });
      const res = await send('POST', `/v1/contracts/${id}/sign`, { customerSignatory: '李总' }, { 'x-actor-id': 'rep-1', 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, contractNumber, status: 'signed', revision: 1 });
      expect(res.headers.etag).toBe('"1"');
      expect((await eventsOf(id))[1]).toMatchObject({
        type: 'sales.ContractSigned',
        data: {
          contractId: id, contractNumber, accountId: ids.accountId, opportunityId: ids.opportunityId, quoteId, quoteVersion: 1, ownerId: 'rep-1',
          total: { amountMinor: 36_160, currency: 'CNY' }, taxMinor: 4_160,
          lines: [{ productId: 'crm-seat', quantity: 3, netMinor: 27_000 }, { productId: 'onboarding', description: 'Onboarding', quantity: 1, netMinor: 5_000 }],
          installments: [{ sequence: 1, dueDate: '2026-12-01', amountMinor: 18_080 }, { sequence: 2, dueDate: '2027-06-01', amountMinor: 18_080 }],
          startDate: '2026-12-01',
          accountName: '北京某某科技有限公司',
          primaryContact: { contactId: ids.contactId, name: '王小明', email: 'xm@example.cn', phone: '+8613800138000' },
          signedBy: 'rep-1', customerSignatory: '李总', signedAt: '2026-11-02T09:00:00.000Z',
        },
      });
    });

    it('uses the contact the contract names, following a merge to the surviving record', async () => {
      const { accountId, contactId } = await customer();
      const survivor = newId();
      await seed(contactStream(survivor), C.ContactCreated, { contactId: survivor, name: '王小明 (merged)', decisionMaker: true, createdAt: at });
      await seed(contactStream(contactId), C.ContactMergedInto, { mergedId: contactId, survivorId: survivor, mergedAt: at });
      const { id } = await create(directBody(accountId, { contactId }));
      expect((await send('POST', `/v1/contracts/${id}/sign`)).statusCode).toBe(200);
      expect((await eventsOf(id))[1].data).toMatchObject({ primaryContact: { contactId: survivor, name: '王小明 (merged)' } });
    });

    it('signs without a primary contact when none is known', async () => {
      const { accountId } = await customer();
      const { id } = await create(directBody(accountId));
      expect((await send('POST', `/v1/contracts/${id}/sign`)).statusCode).toBe(200);
      expect((await eventsOf(id))[1].data).not.toHaveProperty('primaryContact');
    });

    it('refuses an unknown account or named contact (422) and appends nothing', async () => {
      const { id } = await create(directBody(newId()));
      expectProblem(await send('POST', `/v1/contracts/${id}/sign`), 422, 'unknown_account');
      const { accountId } = await customer();
      const withGhost = await create(directBody(accountId, { contactId: newId() }));
      expectProblem(await send('POST', `/v1/contracts/${withGhost.id}/sign`), 422, 'unknown_contact');
      // Another tenant's account does not exist for this one.
      const { accountId: foreign } = await customer('tenant-other');
      const crossTenant = await create(directBody(foreign));
      expectProblem(await send('POST', `/v1/contracts/${crossTenant.id}/sign`), 422, 'unknown_account');
      for (const c of [id, withGhost.id, crossTenant.id]) expect(await eventsOf(c)).toHaveLength(1);
    });

    it('signing twice is a no-op; a cancelled contract cannot be signed', async () => {
      const { accountId } = await customer();
      const { id } = await create(directBody(accountId));
      expect((await send('POST', `/v1/contracts/${id}/sign`)).statusCode).toBe(200);
      const again = await send('POST', `/v1/contracts/${id}/sign`);
      expect([again.statusCode, again.json<{ revision: number }>().revision]).toEqual([200, 1]);
      expect(await eventsOf(id)).toHaveLength(2);
      const other = await create(directBody(accountId));
      expect((await send('POST', `/v1/contracts/${other.id}/cancel`, { reason: 'Customer withdrew' })).statusCode).toBe(200);
      expectProblem(await send('POST', `/v1/contracts/${other.id}/sign`), 422, 'contract_cancelled');
    });

    it('is 404 for an unknown contract, 409 on a stale If-Match, 400 on a bad body; a retry appends nothing', async () => {
      expectProblem(await send('POST', `/v1/contracts/${newId()}/sign`), 404, 'contract_not_found');
      const { accountId } = await customer();
      const { id } = await create(directBody(accountId));
      expectProblem(await send('POST', `/v1/contracts/${id}/sign`, {}, { 'if-match': '"3"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/contracts/${id}/sign`, { customerSignatory: '' }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
      const first = await send('POST', `/v1/contracts/${id}/sign`, {}, { 'idempotency-key': 'sign-1' });
      const again = await send('POST', `/v1/contracts/${id}/sign`, {}, { 'idempotency-key': 'sign-1' });
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(id)).toHaveLength(2);
    });
  });

  describe('POST /v1/contracts/{id}/cancel', () => {
    it('cancels with a reason; cancelling again is a no-op', async () => {
      const { accountId } = await customer();
      const { id, contractNumber } = await create(directBody(accountId));
      const res = await send('POST', `/v1/contracts/${id}/cancel`, { reason: 'Customer withdrew' }, { 'if-match': '"0"' });
      expect(res.json()).toEqual({ id, contractNumber, status: 'cancelled', revision: 1 });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.ContractCancelled', data: { contractId: id, reason: 'Customer withdrew' } });
      expect((await send('POST', `/v1/contracts/${id}/cancel`, { reason: 'again' })).statusCode).toBe(200);
      expect(await eventsOf(id)).toHaveLength(2);
    });

    it('needs a reason (400), is 404 for an unknown contract, 409 on a stale If-Match; a retry appends nothing', async () => {
      const { accountId } = await customer();
      const { id } = await create(directBody(accountId));
      expectProblem(await send('POST', `/v1/contracts/${id}/cancel`, {}), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/contracts/${newId()}/cancel`, { reason: 'x' }), 404, 'contract_not_found');
      expectProblem(await send('POST', `/v1/contracts/${id}/cancel`, { reason: 'x' }, { 'if-match': '"7"' }), 409, 'concurrency_conflict');
      expect(await eventsOf(id)).toHaveLength(1);
      const first = await send('POST', `/v1/contracts/${id}/cancel`, { reason: 'x' }, { 'idempotency-key': 'cancel-1' });
      const again = await send('POST', `/v1/contracts/${id}/cancel`, { reason: 'x' }, { 'idempotency-key': 'cancel-1' });
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(id)).toHaveLength(2);
    });
  });

  describe('GET /v1/contracts/{id}', () => {
    it('serves the contract with its payment plan and signing, with the ETag', async () => {
      const ids = await customer();
      const { id, contractNumber } = await create(directBody(ids.accountId, { opportunityId: ids.opportunityId }), { 'x-actor-id': 'rep-1' });
      await send('POST', `/v1/contracts/${id}/sign`, {}, { 'x-actor-id': 'rep-2' });
      const res = await send('GET', `/v1/contracts/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toEqual({
        id, contractNumber, status: 'signed', revision: 1,
        accountId: ids.accountId, opportunityId: ids.opportunityId, ownerId: 'rep-1',
        total: { amountMinor: 113_000, currency: 'CNY' }, taxMinor: 13_000,
        lines: [{ productId: 'support', description: 'Premium support', quantity: 1, netMinor: 100_000 }],
        installments: [{ sequence: 1, dueDate: '2026-12-01', amountMinor: 113_000 }],
        startDate: '2026-12-01', draftedAt: '2026-11-02T09:00:00.000Z',
        signed: {
          accountName: '北京某某科技有限公司',
          primaryContact: { contactId: ids.contactId, name: '王小明', email: 'xm@example.cn', phone: '+8613800138000' },
          signedBy: 'rep-2', signedAt: '2026-11-02T09:00:00.000Z',
        },
      });
    });

    it('is 404 for an unknown contract and another tenant’s, 400 for an id that is not a UUID', async () => {
      expectProblem(await send('GET', `/v1/contracts/${newId()}`), 404, 'contract_not_found');
      const { accountId } = await customer('acme');
      const { id } = await create(directBody(accountId), { 'x-tenant-id': 'acme' });
      expectProblem(await send('GET', `/v1/contracts/${id}`, undefined, { 'x-tenant-id': 'globex' }), 404, 'contract_not_found');
      expectProblem(await send('GET', '/v1/contracts/c-1'), 400, 'validation_failed');
    });
  });
});
