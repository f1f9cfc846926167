import { DEFAULT_SALES_SETTINGS, salesSettingsStream, SalesPipelineEventType, type SalesSettings } from '@crm/contracts';
import { expectProblem, type InjectedResponse } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';

describe('quotes HTTP API', () => {
  const { store, send } = useSalesApp();

  const opportunityId = '0190dddd-0000-7000-8000-000000000001';
  const accountId = '0190eeee-0000-7000-8000-000000000001';
  const manager = { 'x-actor-id': 'mgr-1', 'x-actor-roles': 'sales_manager' };
  const director = { 'x-actor-id': 'dir-1', 'x-actor-roles': 'sales_director' };

  const eventsOf = (id: string) => store().readStream(`quote-${id}`);
  const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);
  const countAll = async () => (await store().readAll()).length;
  /** 3 × 100.00 at a discount and 1 × 50.00 onboarding. */
  const quoteBody = (discountBps = 1000, unitPriceMinor = 10_000) => ({
    opportunityId,
    accountId,
    lines: [
      { productId: 'crm-seat', quantity: 3, unitPriceMinor, discountBps },
      { productId: 'onboarding', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000 },
    ],
  });
  const draft = async (body: object = quoteBody(), headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/quotes', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const seedSettings = (tenantId: string, settings: Partial<SalesSettings>) =>
    store().appendToStream(salesSettingsStream(tenantId), [{
      type: SalesPipelineEventType.SalesSettingsChanged,
      data: { ...DEFAULT_SALES_SETTINGS, ...settings, version: 1, changedAt: '2026-11-01T00:00:00.000Z' },
      metadata: { tenantId, correlationId: 'seed' },
    }]);
  /** Each `then` request must succeed; returns the last response. */
  const steps = async (id: string, ...calls: [string, object?, Record<string, string>?][]) => {
    let last: InjectedResponse | undefined;
    for (const [action, body, headers] of calls) {
      last = await send('POST', `/v1/quotes/${id}/${action}`, body ?? {}, headers ?? {});
      expect([action, last.statusCode]).toEqual([action, 200]);
    }
    return last!;
  };

  describe('POST /v1/quotes', () => {
    it('drafts version 1 with the tenant’s currency and tax rate: 201, Location, ETag, QuoteDrafted', async () => {
      const res = await send('POST', '/v1/quotes', { ...quoteBody(), validUntil: '2026-12-31' }, { 'x-actor-id': 'rep-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, version: 1, status: 'draft', approval: 'not_required', revision: 0 });
      expect(res.headers.location).toBe(`/v1/quotes/${id}`);
      expect(res.headers.etag).toBe('"0"');
      const [event] = await eventsOf(id);
      expect(event).toMatchObject({
        type: 'sales.QuoteDrafted',
        data: {
          quoteId: id, version: 1, opportunityId, accountId, currency: 'CNY', taxRateBps: 1300, validUntil: '2026-12-31', approvalRequired: false,
          lines: [
            { lineId: '1', productId: 'crm-seat', quantity: 3, unitPriceMinor: 10_000, discountBps: 1000 },
            { lineId: '2', productId: 'onboarding', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000, discountBps: 0 },
          ],
          totals: { subtotalMinor: 35_000, discountMinor: 3_000, netMinor: 32_000, taxMinor: 4_160, totalMinor: 36_160, effectiveDiscountBps: 857 },
        },
        metadata: { tenantId: 'default', actor: 'rep-1' },
      });
    });

    it('asks for approval when a discount is above the threshold (15 %), not when it is exactly at it', async () => {
      const above = await send('POST', '/v1/quotes', quoteBody(1501), { 'x-actor-id': 'rep-1' });
      expect(above.json()).toMatchObject({ approval: 'pending', revision: 1 });
      const id = above.json<{ id: string }>().id;
      expect(await typesOf(id)).toEqual(['sales.QuoteDrafted', 'sales.QuoteApprovalRequested']);
      expect((await eventsOf(id))[1].data).toEqual({
        quoteId: id, version: 1, steps: [{ role: 'sales_manager' }], effectiveDiscountBps: 1287, maxLineDiscountBps: 1501, thresholdBps: 1500,
        requestedBy: 'rep-1', requestedAt: '2026-11-02T09:00:00.000Z',
      });
      const at = await send('POST', '/v1/quotes', quoteBody(1500));
      expect(at.json()).toMatchObject({ approval: 'not_required', revision: 0 });
    });

    it('adds the director to the chain for totals from 1 000 000.00', async () => {
      const id = await draft(quoteBody(2000, 50_000_000));
      expect((await eventsOf(id))[1].data).toMatchObject({ steps: [{ role: 'sales_manager' }, { role: 'sales_director' }] });
    });

    it('uses the tenant’s own policy, currency and tax rate; the body can set currency and tax', async () => {
      await seedSettings('tenant-policy', {
        defaultCurrency: 'USD',
        defaultTaxRateBps: 600,
        discountApproval: { thresholdBps: 500, chain: [{ role: 'cfo', approverId: 'u-cfo', minTotalMinor: 0 }] },
      });
      const id = await draft(quoteBody(1000), { 'x-tenant-id': 'tenant-policy' });
      const [drafted, requested] = await eventsOf(id);
      expect(drafted.data).toMatchObject({ currency: 'USD', taxRateBps: 600, approvalRequired: true });
      expect(requested.data).toMatchObject({ steps: [{ role: 'cfo', approverId: 'u-cfo' }], thresholdBps: 500 });
      const other = await draft({ ...quoteBody(0), currency: 'eur', taxRateBps: 0 }, { 'x-tenant-id': 'tenant-policy' });
      expect((await eventsOf(other))[0].data).toMatchObject({ currency: 'EUR', taxRateBps: 0, approvalRequired: false });
    });

    it('answers a retry with the same Idempotency-Key with the same quote and appends nothing', async () => {
      const first = await send('POST', '/v1/quotes', quoteBody(2000), { 'idempotency-key': 'quote-create-1' });
      const before = await countAll();
      const again = await send('POST', '/v1/quotes', quoteBody(2000), { 'idempotency-key': 'quote-create-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await countAll()).toBe(before);
    });

    it.each([
      ['no lines', { ...quoteBody(), lines: [] }],
      ['a decimal unit price (money is integer minor units)', { ...quoteBody(), lines: [{ productId: 'p', quantity: 1, unitPriceMinor: 10.5 }] }],
      ['a decimal discount', { ...quoteBody(), lines: [{ productId: 'p', quantity: 1, unitPriceMinor: 100, discountBps: 12.5 }] }],
      ['a discount above 100 %', { ...quoteBody(), lines: [{ productId: 'p', quantity: 1, unitPriceMinor: 100, discountBps: 10_001 }] }],
      ['a zero quantity', { ...quoteBody(), lines: [{ productId: 'p', quantity: 0, unitPriceMinor: 100 }] }],
      ['a negative price', { ...quoteBody(), lines: [{ productId: 'p', quantity: 1, unitPriceMinor: -1 }] }],
      ['a bad currency', { ...quoteBody(), currency: 'YUAN' }],
      ['an opportunity id that is not a UUID', { ...quoteBody(), opportunityId: 'opp-1' }],
      ['a missing account', { ...quoteBody(), accountId: undefined }],
      ['a validUntil that is not a date', { ...quoteBody(), validUntil: '2026-02-30' }],
      ['an unknown field', { ...quoteBody(), colour: 'red' }],
    ])('rejects %s with 400 problem+json and appends nothing', async (_, body) => {
      const before = await countAll();
      expectProblem(await send('POST', '/v1/quotes', body), 400, 'validation_failed');
      expect(await countAll()).toBe(before);
    });

    it('refuses totals beyond safe integers and duplicate line ids with 422, appending nothing', async () => {
      const before = await countAll();
      const huge = { ...quoteBody(), lines: [{ productId: 'p', quantity: 2, unitPriceMinor: Number.MAX_SAFE_INTEGER }] };
      expectProblem(await send('POST', '/v1/quotes', huge), 422, 'amount_too_large');
      const twins = { ...quoteBody(), lines: [{ lineId: 'a', productId: 'p', quantity: 1, unitPriceMinor: 1 }, { lineId: 'a', productId: 'q', quantity: 1, unitPriceMinor: 1 }] };
      expectProblem(await send('POST', '/v1/quotes', twins), 422, 'invalid_quote');
      expect(await countAll()).toBe(before);
    });
  });

  describe('GET /v1/quotes/{id}', () => {
    it('serves the current version, line amounts, totals and the approval with its decisions, with the ETag', async () => {
      const id = await draft(quoteBody(2000, 50_000_000), { 'x-actor-id': 'rep-1' });
      await steps(id, ['approve', { comment: 'Strategic logo' }, manager]);
      const res = await send('GET', `/v1/quotes/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json()).toEqual({
        id, version: 1, status: 'draft', approval: 'pending', revision: 2, opportunityId, accountId, currency: 'CNY',
        lines: [
          { lineId: '1', productId: 'crm-seat', quantity: 3, unitPriceMinor: 50_000_000, discountBps: 2000, grossMinor: 150_000_000, discountMinor: 30_000_000, netMinor: 120_000_000 },
          { lineId: '2', productId: 'onboarding', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000, discountBps: 0, grossMinor: 5_000, discountMinor: 0, netMinor: 5_000 },
        ],
        taxRateBps: 1300,
        totals: { subtotalMinor: 150_005_000, discountMinor: 30_000_000, netMinor: 120_005_000, taxMinor: 15_600_650, totalMinor: 135_605_650, effectiveDiscountBps: 2000 },
        versionAt: '2026-11-02T09:00:00.000Z',
        approvalDetail: {
          required: true, thresholdBps: 1500, requestedBy: 'rep-1', requestedAt: '2026-11-02T09:00:00.000Z', currentStep: 1,
          steps: [
            { step: 0, role: 'sales_manager', decision: { decision: 'granted', approverId: 'mgr-1', comment: 'Strategic logo', decidedAt: '2026-11-02T09:00:00.000Z' } },
            { step: 1, role: 'sales_director' },
          ],
        },
      });
    });

    it('is 404 for an unknown quote and for another tenant’s, 400 for an id that is not a UUID', async () => {
      expectProblem(await send('GET', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead'), 404, 'quote_not_found');
      const id = await draft(quoteBody(), { 'x-tenant-id': 'acme' });
      expectProblem(await send('GET', `/v1/quotes/${id}`, undefined, { 'x-tenant-id': 'globex' }), 404, 'quote_not_found');
      expectProblem(await send('GET', '/v1/quotes/q-1'), 400, 'validation_failed');
    });
  });

  describe('POST /v1/quotes/{id}/approve and /reject-approval', () => {
    it('goes through the chain in order; the last approval emits QuoteApproved', async () => {
      const id = await draft(quoteBody(2000, 50_000_000));
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, director), 403, 'not_an_approver');
      const first = await steps(id, ['approve', {}, manager]);
      expect(first.json()).toMatchObject({ approval: 'pending', revision: 2 });
      const last = await steps(id, ['approve', { comment: 'OK for Q4' }, director]);
      expect(last.json()).toMatchObject({ approval: 'approved', revision: 4 });
      expect(last.headers.etag).toBe('"4"');
      expect((await eventsOf(id)).slice(2).map((e) => [e.type, e.data])).toEqual([
        ['sales.QuoteApprovalGranted', { quoteId: id, version: 1, step: 0, role: 'sales_manager', approverId: 'mgr-1', decidedAt: '2026-11-02T09:00:00.000Z' }],
        ['sales.QuoteApprovalGranted', { quoteId: id, version: 1, step: 1, role: 'sales_director', approverId: 'dir-1', comment: 'OK for Q4', decidedAt: '2026-11-02T09:00:00.000Z' }],
        ['sales.QuoteApproved', { quoteId: id, version: 1, approvedAt: '2026-11-02T09:00:00.000Z' }],
      ]);
    });

    it('refuses an actor without the step’s role (403 not_an_approver) and appends nothing', async () => {
      const id = await draft(quoteBody(2000));
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, { 'x-actor-id': 'rep-1', 'x-actor-roles': 'sales_rep' }), 403, 'not_an_approver');
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, { 'x-actor-id': 'rep-1' }), 403, 'not_an_approver');
      expect(await eventsOf(id)).toHaveLength(2);
    });

    it('lets only the named approver decide a step that names one', async () => {
      await seedSettings('tenant-named', { discountApproval: { thresholdBps: 1500, chain: [{ role: 'sales_manager', approverId: 'mgr-7', minTotalMinor: 0 }] } });
      const tenant = { 'x-tenant-id': 'tenant-named' };
      const id = await draft(quoteBody(2000), tenant);
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, { ...tenant, ...manager }), 403, 'not_an_approver');
      expect((await send('POST', `/v1/quotes/${id}/approve`, {}, { ...tenant, 'x-actor-id': 'mgr-7' })).json()).toMatchObject({ approval: 'approved' });
    });

    it('rejects with a required comment; the version then cannot be sent', async () => {
      const id = await draft(quoteBody(2000));
      expectProblem(await send('POST', `/v1/quotes/${id}/reject-approval`, {}, manager), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/quotes/${id}/reject-approval`, { comment: '   ' }, manager), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(2);
      const res = await steps(id, ['reject-approval', { comment: 'Max 15 % for this segment' }, manager]);
      expect(res.json()).toMatchObject({ approval: 'rejected', revision: 2 });
      expect((await eventsOf(id))[2]).toMatchObject({ type: 'sales.QuoteApprovalRejected', data: { step: 0, approverId: 'mgr-1', comment: 'Max 15 % for this segment' } });
      expectProblem(await send('POST', `/v1/quotes/${id}/send`), 422, 'approval_rejected');
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, manager), 422, 'no_pending_approval');
    });

    it('is 422 when nothing waits for approval, 404 for an unknown quote, 409 on a stale If-Match, 400 on a bad body', async () => {
      const plain = await draft();
      expectProblem(await send('POST', `/v1/quotes/${plain}/approve`, {}, manager), 422, 'no_pending_approval');
      expectProblem(await send('POST', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead/approve', {}, manager), 404, 'quote_not_found');
      const id = await draft(quoteBody(2000));
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, { ...manager, 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, { comment: 'x', extra: 1 }, manager), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(2);
      expect((await send('POST', `/v1/quotes/${id}/approve`, {}, { ...manager, 'if-match': '"1"' })).statusCode).toBe(200);
    });

    it('answers a retried approval with the same Idempotency-Key with the first result', async () => {
      const id = await draft(quoteBody(2000));
      const first = await send('POST', `/v1/quotes/${id}/approve`, {}, { ...manager, 'idempotency-key': 'approve-1' });
      const again = await send('POST', `/v1/quotes/${id}/approve`, {}, { ...manager, 'idempotency-key': 'approve-1' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await typesOf(id)).toEqual(['sales.QuoteDrafted', 'sales.QuoteApprovalRequested', 'sales.QuoteApprovalGranted', 'sales.QuoteApproved']);
    });
  });

  describe('POST /v1/quotes/{id}/revise', () => {
    it('makes the next version; an approval pending on the older version lapses', async () => {
      const id = await draft(quoteBody(2000));
      const res = await send('POST', `/v1/quotes/${id}/revise`, { lines: [{ productId: 'crm-seat', quantity: 3, unitPriceMinor: 10_000, discountBps: 1000 }] }, { 'if-match': '"1"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, version: 2, status: 'draft', approval: 'not_required', revision: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect((await eventsOf(id))[2]).toMatchObject({ type: 'sales.QuoteRevised', data: { version: 2, currency: 'CNY', taxRateBps: 1300, approvalRequired: false, totals: { totalMinor: 30_510 } } });
      // The manager's approval of version 1 is no longer asked for; version 2 can go out.
      expectProblem(await send('POST', `/v1/quotes/${id}/approve`, {}, manager), 422, 'no_pending_approval');
      expect((await send('POST', `/v1/quotes/${id}/send`)).json()).toMatchObject({ status: 'sent', version: 2 });
    });

    it('asks for approval again when the new version is above the threshold', async () => {
      const id = await draft();
      const res = await send('POST', `/v1/quotes/${id}/revise`, { lines: [{ productId: 'crm-seat', quantity: 1, unitPriceMinor: 10_000, discountBps: 3000 }] });
      expect(res.json()).toMatchObject({ version: 2, approval: 'pending', revision: 2 });
      expect((await eventsOf(id))[2].type).toBe('sales.QuoteApprovalRequested');
    });

    it('refuses a stale If-Match with 409 and appends nothing', async () => {
      const id = await draft();
      expectProblem(await send('POST', `/v1/quotes/${id}/revise`, { lines: quoteBody().lines }, { 'if-match': '"5"' }), 409, 'concurrency_conflict');
      expect(await eventsOf(id)).toHaveLength(1);
    });

    it('is 400 on bad input, 404 for an unknown quote, 422 once the customer accepted', async () => {
      const id = await draft();
      expectProblem(await send('POST', `/v1/quotes/${id}/revise`, { lines: [] }), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/quotes/${id}/revise`, { lines: [{ productId: 'p', quantity: 1, unitPriceMinor: 0.5 }] }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
      expectProblem(await send('POST', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead/revise', { lines: quoteBody().lines }), 404, 'quote_not_found');
      await steps(id, ['send'], ['accept']);
      expectProblem(await send('POST', `/v1/quotes/${id}/revise`, { lines: quoteBody().lines }), 422, 'quote_already_decided');
    });

    it('answers a retried revision with the same Idempotency-Key with the first result', async () => {
      const id = await draft();
      const body = { lines: quoteBody(500).lines };
      const first = await send('POST', `/v1/quotes/${id}/revise`, body, { 'idempotency-key': 'revise-1' });
      const again = await send('POST', `/v1/quotes/${id}/revise`, body, { 'idempotency-key': 'revise-1' });
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(id)).toHaveLength(2);
    });
  });

  describe('POST /v1/quotes/{id}/send', () => {
    it('refuses to send before approval (422 approval_pending), sends after', async () => {
      const id = await draft(quoteBody(2000));
      expectProblem(await send('POST', `/v1/quotes/${id}/send`), 422, 'approval_pending');
      expect(await eventsOf(id)).toHaveLength(2);
      await steps(id, ['approve', {}, manager]);
      const res = await send('POST', `/v1/quotes/${id}/send`, { note: 'Sent by e-mail' }, { 'x-actor-id': 'rep-1' });
      expect(res.json()).toEqual({ id, version: 1, status: 'sent', approval: 'approved', revision: 4 });
      expect((await eventsOf(id))[4]).toMatchObject({ type: 'sales.QuoteSent', data: { quoteId: id, version: 1, by: 'rep-1', note: 'Sent by e-mail' } });
    });

    it('is a no-op when already sent; 409 on a stale If-Match; 404 unknown; 400 on a bad body', async () => {
      const id = await draft();
      expectProblem(await send('POST', `/v1/quotes/${id}/send`, {}, { 'if-match': '"3"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/quotes/${id}/send`, { note: 42 }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
      await steps(id, ['send']);
      expect((await send('POST', `/v1/quotes/${id}/send`)).json()).toMatchObject({ status: 'sent', revision: 1 });
      expect(await eventsOf(id)).toHaveLength(2);
      expectProblem(await send('POST', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead/send'), 404, 'quote_not_found');
    });

    it('refuses an expired quote (422 quote_expired)', async () => {
      const id = await draft({ ...quoteBody(), validUntil: '2026-11-01' });
      expectProblem(await send('POST', `/v1/quotes/${id}/send`), 422, 'quote_expired');
    });

    it('answers a retry with the same Idempotency-Key with the first result', async () => {
      const id = await draft();
      const first = await send('POST', `/v1/quotes/${id}/send`, {}, { 'idempotency-key': 'send-1' });
      const again = await send('POST', `/v1/quotes/${id}/send`, {}, { 'idempotency-key': 'send-1' });
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(id)).toHaveLength(2);
    });
  });

  describe('POST /v1/quotes/{id}/accept and /reject (the customer)', () => {
    it('accepts a sent version, with a note', async () => {
      const id = await draft();
      await steps(id, ['send']);
      const res = await send('POST', `/v1/quotes/${id}/accept`, { note: 'PO 4711' }, { 'x-actor-id': 'rep-1', 'if-match': '"1"' });
      expect(res.json()).toEqual({ id, version: 1, status: 'accepted', approval: 'not_required', revision: 2 });
      expect((await eventsOf(id))[2]).toMatchObject({ type: 'sales.QuoteAccepted', data: { version: 1, by: 'rep-1', note: 'PO 4711' } });
      expect((await send('GET', `/v1/quotes/${id}`)).json()).toMatchObject({ status: 'accepted', customerNote: 'PO 4711', decidedAt: '2026-11-02T09:00:00.000Z' });
    });

    it('rejects a sent version; accepting it afterwards is 422', async () => {
      const id = await draft();
      await steps(id, ['send'], ['reject', { note: 'Too expensive' }]);
      expect((await eventsOf(id))[2]).toMatchObject({ type: 'sales.QuoteRejected', data: { note: 'Too expensive' } });
      expectProblem(await send('POST', `/v1/quotes/${id}/accept`), 422, 'quote_already_decided');
    });

    it('refuses to accept or reject a version that was not sent; nothing takes effect before approval', async () => {
      const plain = await draft();
      expectProblem(await send('POST', `/v1/quotes/${plain}/accept`), 422, 'quote_not_sent');
      expectProblem(await send('POST', `/v1/quotes/${plain}/reject`), 422, 'quote_not_sent');
      const discounted = await draft(quoteBody(2500));
      expectProblem(await send('POST', `/v1/quotes/${discounted}/accept`), 422, 'approval_pending');
      expect(await eventsOf(plain)).toHaveLength(1);
    });

    it('is 404 for an unknown quote, 409 on a stale If-Match, 400 on a bad body; a retry appends nothing', async () => {
      expectProblem(await send('POST', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead/accept'), 404, 'quote_not_found');
      expectProblem(await send('POST', '/v1/quotes/0190cccc-0000-7000-8000-00000000dead/reject'), 404, 'quote_not_found');
      const id = await draft();
      await steps(id, ['send']);
      expectProblem(await send('POST', `/v1/quotes/${id}/accept`, {}, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/quotes/${id}/reject`, {}, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/quotes/${id}/reject`, { reason: 'x' }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(2);
      const first = await send('POST', `/v1/quotes/${id}/reject`, {}, { 'idempotency-key': 'reject-1' });
      const again = await send('POST', `/v1/quotes/${id}/reject`, {}, { 'idempotency-key': 'reject-1' });
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(id)).toHaveLength(3);
    });
  });
});
