import { expectProblem } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';
import { variantFor } from '../domain/variant-split';
import { MAX_ENGAGEMENTS_PER_BATCH } from './campaign.dto';

describe('campaigns HTTP API', () => {
  const { store, send } = useLeadsApp();

  const eventsOf = (id: string) => store().readStream(`campaign-${id}`);
  const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);
  const spring = { name: 'Spring webinar', channel: 'email', budget: { amountMinor: 1_000_000 }, startsOn: '2026-04-01', endsOn: '2026-04-30' };
  const create = async (body: object = spring, headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/campaigns', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const ab = [{ key: 'A', weight: 1, subject: 'Spring is here' }, { key: 'B', weight: 1, subject: '春天来了' }];
  const running = async (variants: object[] = ab) => {
    const id = await create();
    expect((await send('PUT', `/v1/campaigns/${id}/variants`, { variants })).statusCode).toBe(200);
    expect((await send('POST', `/v1/campaigns/${id}/start`)).statusCode).toBe(200);
    return id;
  };
  const lead = (n: number) => `0190aaaa-0000-7000-8000-${String(n).padStart(12, '0')}`;

  describe('POST /v1/campaigns', () => {
    it('creates a draft campaign: 201, Location, ETag, CampaignCreated with CNY by default', async () => {
      const res = await send('POST', '/v1/campaigns', spring, { 'x-actor-id': 'marketer-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, status: 'draft', revision: 0 });
      expect(res.headers.location).toBe(`/v1/campaigns/${id}`);
      expect(res.headers.etag).toBe('"0"');
      const [event] = await eventsOf(id);
      expect(event).toMatchObject({
        type: 'campaigns.CampaignCreated',
        data: { campaignId: id, name: 'Spring webinar', channel: 'email', budget: { amountMinor: 1_000_000, currency: 'CNY' }, startsOn: '2026-04-01', endsOn: '2026-04-30' },
        metadata: { tenantId: 'default', actor: 'marketer-1' },
      });
    });

    it('answers a retry with the same Idempotency-Key with the same campaign and appends nothing', async () => {
      const first = await send('POST', '/v1/campaigns', spring, { 'idempotency-key': 'cmp-create-1' });
      const again = await send('POST', '/v1/campaigns', spring, { 'idempotency-key': 'cmp-create-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(first.json<{ id: string }>().id)).toHaveLength(1);
    });

    it.each([
      ['a missing name', { ...spring, name: undefined }],
      ['an unknown channel', { ...spring, channel: 'carrier-pigeon' }],
      ['a decimal amount (money is integer minor units)', { ...spring, budget: { amountMinor: 10.5 } }],
      ['a negative budget', { ...spring, budget: { amountMinor: -1 } }],
      ['a bad currency', { ...spring, budget: { amountMinor: 1, currency: 'YUAN' } }],
      ['a date that is not a calendar date', { ...spring, startsOn: '2026-02-30' }],
      ['an unknown field', { ...spring, colour: 'red' }],
    ])('rejects %s with 400 problem+json', async (_, body) => {
      const before = (await store().readAll()).length;
      expectProblem(await send('POST', '/v1/campaigns', body), 400, 'validation_failed');
      expect((await store().readAll()).length).toBe(before);
    });

    it('refuses an end before the start with 422', async () =>
      expectProblem(await send('POST', '/v1/campaigns', { ...spring, endsOn: '2026-03-31' }), 422, 'invalid_dates'));
  });

  describe('GET /v1/campaigns/{id}', () => {
    it('serves budget, total cost, remaining and per-variant counts and rates, with the ETag', async () => {
      const id = await running();
      await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'inv-1', amountMinor: 250_000, incurredOn: '2026-04-02', note: 'ESP fee' });
      const leads = Array.from({ length: 8 }, (_, i) => lead(100 + i));
      const engagements = [
        ...leads.map((l, i) => ({ engagementId: `s-${i}`, leadId: l, kind: 'sent', at: '2026-04-02T09:00:00+08:00' })),
        ...leads.slice(0, 4).map((l, i) => ({ engagementId: `o-${i}`, leadId: l, kind: 'opened', at: '2026-04-02T10:00:00+08:00' })),
        ...leads.slice(0, 2).map((l, i) => ({ engagementId: `c-${i}`, leadId: l, kind: 'clicked', at: '2026-04-02T11:00:00+08:00' })),
        { engagementId: 'v-0', leadId: leads[0], kind: 'converted', at: '2026-04-03T11:00:00+08:00' },
      ];
      expect((await send('POST', `/v1/campaigns/${id}/engagements`, { engagements })).statusCode).toBe(200);
      const expected: Record<string, { sent: number; opened: number; clicked: number; converted: number }> = {
        A: { sent: 0, opened: 0, clicked: 0, converted: 0 },
        B: { sent: 0, opened: 0, clicked: 0, converted: 0 },
      };
      for (const e of engagements) expected[variantFor(id, e.leadId, ab)][e.kind as 'sent']++;

      const res = await send('GET', `/v1/campaigns/${id}`);
      expect(res.statusCode).toBe(200);
      const revision = (await eventsOf(id)).length - 1;
      expect(res.headers.etag).toBe(`"${revision}"`);
      const body = res.json<{ variants: { key: string; counts: object; rates: object }[] }>();
      expect(body).toMatchObject({
        id, status: 'running', revision, name: 'Spring webinar', channel: 'email', startsOn: '2026-04-01', endsOn: '2026-04-30',
        budget: { amountMinor: 1_000_000, currency: 'CNY' },
        totalCost: { amountMinor: 250_000, currency: 'CNY' },
        remaining: { amountMinor: 750_000, currency: 'CNY' },
        budgetExceeded: false,
        totals: { counts: { sent: 8, opened: 4, clicked: 2, converted: 1 }, rates: { openRate: 0.5, clickRate: 0.25, conversionRate: 0.125 } },
      });
      expect(body.variants.map((v) => [v.key, v.counts])).toEqual([['A', expected.A], ['B', expected.B]]);
      const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);
      for (const v of body.variants) {
        const c = expected[v.key];
        expect(v.rates).toEqual({ openRate: rate(c.opened, c.sent), clickRate: rate(c.clicked, c.sent), conversionRate: rate(c.converted, c.sent) });
      }
    });

    it('is 404 for an unknown campaign and for another tenant’s, 400 for an id that is not a UUID', async () => {
      expectProblem(await send('GET', '/v1/campaigns/0190bbbb-0000-7000-8000-00000000dead'), 404, 'campaign_not_found');
      const id = await create(spring, { 'x-tenant-id': 'acme' });
      expectProblem(await send('GET', `/v1/campaigns/${id}`, undefined, { 'x-tenant-id': 'globex' }), 404, 'campaign_not_found');
      expectProblem(await send('GET', '/v1/campaigns/spring'), 400, 'validation_failed');
    });
  });

  describe('PATCH /v1/campaigns/{id}', () => {
    it('changes name, dates and budget; a stale If-Match is 409 and appends nothing', async () => {
      const id = await create();
      const res = await send('PATCH', `/v1/campaigns/${id}`, { name: 'Spring webinar (extended)', endsOn: '2026-05-15' }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, status: 'draft', revision: 1 });
      expect(res.headers.etag).toBe('"1"');
      expect((await eventsOf(id))[1].data).toMatchObject({ name: 'Spring webinar (extended)', endsOn: '2026-05-15' });
      expectProblem(await send('PATCH', `/v1/campaigns/${id}`, { name: 'Again' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await eventsOf(id)).toHaveLength(2);
    });

    it('is 400 for an empty change and 422 for dates that end before they start', async () => {
      const id = await create();
      expectProblem(await send('PATCH', `/v1/campaigns/${id}`, {}), 400, 'validation_failed');
      expectProblem(await send('PATCH', `/v1/campaigns/${id}`, { startsOn: '2026-06-01' }), 422, 'invalid_dates');
    });
  });

  describe('POST /v1/campaigns/{id}/costs', () => {
    it('records costs idempotently by id and flags overspend once with BudgetExceeded', async () => {
      const id = await create({ ...spring, budget: { amountMinor: 100_000, currency: 'cny' } });
      const cost = (costEntryId: string, amountMinor: number) => send('POST', `/v1/campaigns/${id}/costs`, { costEntryId, amountMinor, incurredOn: '2026-04-02' });
      expect((await cost('inv-1', 80_000)).statusCode).toBe(200);
      expect((await cost('inv-1', 80_000)).statusCode).toBe(200);
      expect((await cost('inv-2', 30_000)).statusCode).toBe(200);
      expect((await cost('inv-3', 5_000)).statusCode).toBe(200);
      expect(await typesOf(id)).toEqual(['campaigns.CampaignCreated', 'campaigns.CostRecorded', 'campaigns.CostRecorded', 'campaigns.BudgetExceeded', 'campaigns.CostRecorded']);
      expect((await eventsOf(id))[3].data).toMatchObject({ budget: { amountMinor: 100_000, currency: 'CNY' }, totalCost: { amountMinor: 110_000 }, overspendMinor: 10_000 });
      expect((await send('GET', `/v1/campaigns/${id}`)).json()).toMatchObject({ totalCost: { amountMinor: 115_000 }, remaining: { amountMinor: -15_000 }, budgetExceeded: true });
    });

    it('is 422 for a currency other than the budget’s, 409 for a reused id with another amount, 400 for a decimal amount', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'x', amountMinor: 100, currency: 'USD', incurredOn: '2026-04-02' }), 422, 'currency_mismatch');
      await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'y', amountMinor: 100, incurredOn: '2026-04-02' });
      expectProblem(await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'y', amountMinor: 200, incurredOn: '2026-04-02' }), 409, 'cost_entry_conflict');
      expectProblem(await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'z', amountMinor: 1.5, incurredOn: '2026-04-02' }), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/campaigns/${id}/costs`, { costEntryId: 'z', amountMinor: 0, incurredOn: '2026-04-02' }), 400, 'validation_failed');
    });
  });

  describe('PUT /v1/campaigns/{id}/variants', () => {
    it('defines variants; once a lead has been assigned the weights are frozen (422)', async () => {
      const id = await running();
      expect((await eventsOf(id)).find((e) => e.type === 'campaigns.VariantsDefined')?.data).toMatchObject({ variants: ab });
      await send('POST', `/v1/campaigns/${id}/engagements`, { engagements: [{ engagementId: 'e1', leadId: lead(1), kind: 'sent', at: '2026-04-02T00:00:00Z' }] });
      expectProblem(await send('PUT', `/v1/campaigns/${id}/variants`, { variants: [{ key: 'A', weight: 9 }, { key: 'B', weight: 1 }] }), 422, 'variants_frozen');
    });

    it.each([
      ['no variants', { variants: [] }, 400, 'validation_failed'],
      ['a zero weight', { variants: [{ key: 'A', weight: 0 }] }, 400, 'validation_failed'],
      ['a bad key', { variants: [{ key: 'A B', weight: 1 }] }, 400, 'validation_failed'],
      ['duplicate keys', { variants: [{ key: 'A', weight: 1 }, { key: 'A', weight: 1 }] }, 422, 'invalid_variants'],
    ])('refuses %s', async (_, body, status, code) => {
      const id = await create();
      expectProblem(await send('PUT', `/v1/campaigns/${id}/variants`, body), status, code);
    });
  });

  describe('start / complete / cancel', () => {
    it('walks draft → running → completed; repeating is harmless; leaving a closed status is 422', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/campaigns/${id}/complete`), 422, 'campaign_not_started');
      expect((await send('POST', `/v1/campaigns/${id}/start`)).json()).toMatchObject({ status: 'running', revision: 1 });
      expect((await send('POST', `/v1/campaigns/${id}/start`)).json()).toMatchObject({ status: 'running', revision: 1 });
      expect((await send('POST', `/v1/campaigns/${id}/complete`)).json()).toMatchObject({ status: 'completed', revision: 2 });
      expectProblem(await send('POST', `/v1/campaigns/${id}/cancel`, { reason: 'too late' }), 422, 'campaign_closed');
      expectProblem(await send('PATCH', `/v1/campaigns/${id}`, { name: 'x' }), 422, 'campaign_closed');
      expect(await typesOf(id)).toEqual(['campaigns.CampaignCreated', 'campaigns.CampaignStarted', 'campaigns.CampaignCompleted']);
    });

    it('cancels with a reason; a stale If-Match is 409', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/campaigns/${id}/cancel`, { reason: 'budget cut' }, { 'if-match': '"5"' }), 409, 'concurrency_conflict');
      const res = await send('POST', `/v1/campaigns/${id}/cancel`, { reason: 'budget cut' }, { 'if-match': '"0"' });
      expect(res.json()).toEqual({ id, status: 'cancelled', revision: 1 });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'campaigns.CampaignCancelled', data: { reason: 'budget cut' } });
      expectProblem(await send('POST', `/v1/campaigns/${id}/start`), 422, 'campaign_closed');
    });

    it('is 404 for an unknown campaign', async () =>
      expectProblem(await send('POST', '/v1/campaigns/0190bbbb-0000-7000-8000-00000000beef/start'), 404, 'campaign_not_found'));
  });

  describe('POST /v1/campaigns/{id}/engagements', () => {
    it('records a batch, answering per item in request order with the lead’s variant', async () => {
      const id = await running();
      const res = await send('POST', `/v1/campaigns/${id}/engagements`, {
        engagements: [
          { engagementId: 'e1', leadId: lead(1), kind: 'sent', at: '2026-04-02T09:00:00+08:00' },
          { engagementId: 'e2', leadId: lead(2), kind: 'sent', at: '2026-04-02T01:00:00Z' },
          { engagementId: 'e1', leadId: lead(1), kind: 'sent', at: '2026-04-02T09:00:00+08:00' },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        results: [
          { engagementId: 'e1', leadId: lead(1), status: 'recorded', variant: variantFor(id, lead(1), ab) },
          { engagementId: 'e2', leadId: lead(2), status: 'recorded', variant: variantFor(id, lead(2), ab) },
          { engagementId: 'e1', leadId: lead(1), status: 'duplicate', variant: variantFor(id, lead(1), ab) },
        ],
      });
      const recorded = (await eventsOf(id)).filter((e) => e.type === 'campaigns.EngagementRecorded');
      expect(recorded.map((e) => e.data)).toEqual([
        expect.objectContaining({ engagementId: 'e1', leadId: lead(1), kind: 'sent', at: '2026-04-02T01:00:00.000Z', variant: variantFor(id, lead(1), ab) }),
        expect.objectContaining({ engagementId: 'e2', leadId: lead(2), kind: 'sent', variant: variantFor(id, lead(2), ab) }),
      ]);
    });

    it('answers duplicate for a re-sent batch and appends nothing', async () => {
      const id = await running();
      const batch = { engagements: [{ engagementId: 'o1', leadId: lead(3), kind: 'opened', at: '2026-04-02T00:00:00Z' }] };
      await send('POST', `/v1/campaigns/${id}/engagements`, batch);
      const before = (await eventsOf(id)).length;
      const again = await send('POST', `/v1/campaigns/${id}/engagements`, batch);
      expect(again.json<{ results: { status: string }[] }>().results.map((r) => r.status)).toEqual(['duplicate']);
      expect(await eventsOf(id)).toHaveLength(before);
    });

    it('is 422 before the campaign starts and 404 for an unknown campaign', async () => {
      const id = await create();
      const batch = { engagements: [{ engagementId: 'x', leadId: lead(1), kind: 'sent', at: '2026-04-02T00:00:00Z' }] };
      expectProblem(await send('POST', `/v1/campaigns/${id}/engagements`, batch), 422, 'campaign_not_started');
      expectProblem(await send('POST', '/v1/campaigns/0190bbbb-0000-7000-8000-00000000f00d/engagements', batch), 404, 'campaign_not_found');
    });

    const item = { engagementId: 'e', leadId: '0190aaaa-0000-7000-8000-000000000001', kind: 'sent', at: '2026-04-02T00:00:00Z' };
    it.each([
      ['an empty batch', []],
      ['an unknown kind', [{ ...item, kind: 'bounced' }]],
      ['a lead id that is not a UUID', [{ ...item, leadId: 'lead-1' }]],
      ['a time without a zone', [{ ...item, at: '2026-04-02T00:00:00' }]],
      ['an unknown field', [{ ...item, variant: 'A' }]],
      ['too many engagements', Array.from({ length: MAX_ENGAGEMENTS_PER_BATCH + 1 }, (_, i) => ({ ...item, engagementId: `e${i}` }))],
    ])('rejects %s with 400 problem+json, appending nothing', async (_, engagements) => {
      const id = await running();
      const before = (await eventsOf(id)).length;
      expectProblem(await send('POST', `/v1/campaigns/${id}/engagements`, { engagements }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(before);
    });

    it('accepts a full batch of 500 in one append', async () => {
      const id = await running();
      const engagements = Array.from({ length: MAX_ENGAGEMENTS_PER_BATCH }, (_, i) => ({ ...item, engagementId: `e${i}`, leadId: lead(1000 + i) }));
      const res = await send('POST', `/v1/campaigns/${id}/engagements`, { engagements });
      expect(res.json<{ results: { status: string }[] }>().results.every((r) => r.status === 'recorded')).toBe(true);
      expect((await send('GET', `/v1/campaigns/${id}`)).json()).toMatchObject({ totals: { counts: { sent: 500 } } });
    });
  });

  describe('GET /v1/campaigns/{id}/variant?leadId=', () => {
    it('answers the deterministic variant, and whether the lead has been assigned it', async () => {
      const id = await running([{ key: 'control', weight: 1 }, { key: 'coupon', weight: 3 }]);
      const variants = [{ key: 'control', weight: 1 }, { key: 'coupon', weight: 3 }];
      const res = await send('GET', `/v1/campaigns/${id}/variant?leadId=${lead(7)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ campaignId: id, leadId: lead(7), variant: variantFor(id, lead(7), variants), assigned: false });
      await send('POST', `/v1/campaigns/${id}/engagements`, { engagements: [{ engagementId: 'e', leadId: lead(7), kind: 'sent', at: '2026-04-02T00:00:00Z' }] });
      expect((await send('GET', `/v1/campaigns/${id}/variant?leadId=${lead(7)}`)).json()).toMatchObject({ variant: variantFor(id, lead(7), variants), assigned: true });
    });

    it('is 400 without a lead id (or with one that is not a UUID) and 422 when the campaign has no variants', async () => {
      const id = await create();
      expectProblem(await send('GET', `/v1/campaigns/${id}/variant`), 400, 'validation_failed');
      expectProblem(await send('GET', `/v1/campaigns/${id}/variant?leadId=nope`), 400, 'validation_failed');
      expectProblem(await send('GET', `/v1/campaigns/${id}/variant?leadId=${lead(1)}`), 422, 'variants_not_defined');
    });
  });
});
