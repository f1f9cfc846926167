import type { EventStore } from '@crm/eventstore';
import { connectNats, contextStreamName, eventSubject } from '@crm/messaging';
import { EVENT_STORE } from '@crm/nest-kit';
import { describeWithNats, eventually } from '@crm/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSuite, type RunningSuite } from './support/suite';

/**
 * The whole loop across leads, sales and insights, over HTTP only, wired as in production:
 * a web-form capture with UTM fields from a campaign → touchpoints make the lead hot → it is
 * routed to a rep and the rep alerted → qualified and converted → sales creates the account,
 * contact and opportunity and tells leads → the opportunity moves through every stage → a
 * quote whose discount needs approval → contract signed (the event on the bus carries what
 * billing and service need) → won → the lead funnel, campaign ROI, attribution, opportunity
 * funnel, forecast and leaderboard all show it. Polls read models, never sleeps blindly.
 */
const journey = (mode: 'embedded' | 'nats', natsUrl: () => string | undefined) => {
  let suite: RunningSuite;
  let leads: NestFastifyApplication;
  let sales: NestFastifyApplication;
  let insights: NestFastifyApplication;
  const tenant = 'acme';
  const headers = (extra: Record<string, string> = {}) => ({ 'x-tenant-id': tenant, 'x-actor-id': 'rep-li', ...extra });
  const month = new Date().toISOString().slice(0, 7);

  beforeAll(async () => {
    suite = await startSuite(`journey_${mode}`, ['leads', 'sales', 'insights'], mode === 'nats' ? natsUrl() : undefined);
    ({ leads, sales, insights } = suite.apps);
  }, 120_000);

  afterAll(() => suite?.stop());

  const json = async <T = Record<string, unknown>>(app: NestFastifyApplication, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, extra: Record<string, string> = {}, status?: number): Promise<T> => {
    const res = await app.inject({ method, url, headers: headers(extra), ...(payload !== undefined && { payload: payload as object }) });
    if (status !== undefined) expect({ url, status: res.statusCode, body: res.statusCode === status ? undefined : res.body }).toEqual({ url, status, body: undefined });
    return res.json<T>();
  };
  const found = async <T>(app: NestFastifyApplication, url: string, ok: (body: T) => boolean = () => true): Promise<T | undefined> => {
    const res = await app.inject({ url, headers: headers() });
    return res.statusCode === 200 && ok(res.json<T>()) ? res.json<T>() : undefined;
  };

  it('web form → hot → routed → converted → opportunity → approved quote → signed contract → won → reports', async () => {
    // Marketing: a campaign with a cost, and a rep to route leads to.
    await json(leads, 'PUT', '/v1/assignment-settings', { repIds: ['rep-li'], rules: [], claimCap: 10, returnAfterDays: 30 }, {}, 200);
    const campaign = await json<{ id: string }>(leads, 'POST', '/v1/campaigns', {
      name: 'Expo 2026', channel: 'trade_show', budget: { amountMinor: 2_000_000, currency: 'CNY' }, startsOn: '2026-01-01', endsOn: '2027-12-31',
    }, {}, 201);
    await json(leads, 'POST', `/v1/campaigns/${campaign.id}/costs`, { costEntryId: 'booth', amountMinor: 1_500_000, currency: 'CNY', incurredOn: '2026-03-01' }, {}, 200);

    // A web-form submission with all five UTM fields.
    const captured = await leads.inject({
      method: 'POST',
      url: '/v1/web-forms/expo-2026/submissions',
      headers: { 'x-tenant-id': tenant },
      payload: {
        name: '王小明', company: '杭州云图科技有限公司', email: 'Xiaoming.Wang@Yuntu.example.cn', phone: '138 0013 8000',
        utm_source: 'expo', utm_medium: 'booth', utm_campaign: 'expo-2026', utm_term: 'crm', utm_content: 'flyer-a',
        campaign: campaign.id, consent: 'on', submission_id: `journey-${mode}`,
      },
    });
    // A public form answers 202 without the lead id (it tells a spammer nothing); the team finds the lead in insights.
    expect(captured.statusCode).toBe(202);
    const listed = await eventually(() => found<{ items: Array<{ id: string; source: unknown }> }>(insights, '/v1/leads', (l) => l.items.length === 1), 15_000);
    const leadId = listed.items[0].id;
    expect(listed.items[0].source).toMatchObject({ channel: 'web_form', utm: { source: 'expo', medium: 'booth', campaign: 'expo-2026', term: 'crm', content: 'flyer-a' }, campaignId: campaign.id });

    // Behaviour and profile: complete contact 10 + key industry 30 + pricing 15 + whitepaper 20 = 75 ≥ 60.
    await json(leads, 'PATCH', `/v1/leads/${leadId}`, { industry: 'software' }, {}, 200);
    const at = new Date().toISOString();
    const touched = await json<{ results: Array<{ status: string }> }>(leads, 'POST', '/v1/touchpoints', {
      touchpoints: [
        { touchpointId: `${mode}-tp-1`, leadId, type: 'pricing_page_view', at, campaignId: campaign.id, channel: 'web' },
        { touchpointId: `${mode}-tp-2`, leadId, type: 'whitepaper_download', at, campaignId: campaign.id, channel: 'web' },
      ],
    }, {}, 200);
    expect(touched.results.map((r) => r.status)).toEqual(['recorded', 'recorded']);

    // Scoring makes it hot; hot-lead routing assigns it to the rep and alerts them.
    const routed = await eventually(() => found<{ ownerId?: string; hot?: boolean; score?: number }>(leads, `/v1/leads/${leadId}`, (l) => l.ownerId === 'rep-li'), 15_000);
    expect(routed).toMatchObject({ ownerId: 'rep-li', score: 75 });
    // The sales team's view of hot leads in insights shows it with its owner.
    const hotList = await eventually(() => found<{ items: Array<Record<string, unknown>> }>(insights, '/v1/leads?hot=true', (l) => l.items[0]?.ownerId === 'rep-li'), 15_000);
    expect(hotList.items).toEqual([expect.objectContaining({ id: leadId, hot: true, score: 75, industry: 'software' })]);

    // Qualify, then convert with the opportunity's amount and close date.
    const qualified = await leads.inject({ method: 'POST', url: `/v1/leads/${leadId}/qualify`, headers: headers(), payload: {} });
    expect(qualified.statusCode).toBe(200);
    const converted = await json<{ status: string }>(leads, 'POST', `/v1/leads/${leadId}/convert`, {
      opportunity: { name: '云图 CRM rollout', amount: { amountMinor: 12_000_000, currency: 'CNY' }, expectedCloseDate: `${month}-28` },
    }, { 'idempotency-key': `convert-${mode}` }, 200);
    expect(converted.status).toBe('converted');
    const lead = await json<{ conversion?: { accountId: string; contactId: string; opportunityId: string } }>(leads, 'GET', `/v1/leads/${leadId}`, undefined, {}, 200);
    const { accountId, contactId, opportunityId } = lead.conversion!;

    // Sales creates the account, contact and opportunity from the conversion event …
    const account = await eventually(() => found<{ name: string; email?: string; phone?: string }>(sales, `/v1/accounts/${accountId}`), 15_000);
    expect(account).toMatchObject({ name: '杭州云图科技有限公司' });
    const contact = await eventually(() => found<{ name: string; email?: string; phone?: string }>(sales, `/v1/contacts/${contactId}`), 15_000);
    expect(contact).toMatchObject({ name: '王小明', email: 'xiaoming.wang@yuntu.example.cn', phone: '+8613800138000' });
    const opportunity = await eventually(() => found<{ stageId: string; ownerId: string; amount: unknown }>(sales, `/v1/opportunities/${opportunityId}`), 15_000);
    expect(opportunity).toMatchObject({ stageId: 'initial_contact', ownerId: 'rep-li', amount: { amountMinor: 12_000_000, currency: 'CNY' } });
    // … and tells leads what it created.
    const confirmed = await eventually(() => found<{ conversionConfirmed?: unknown }>(leads, `/v1/leads/${leadId}`, (l) => l.conversionConfirmed !== undefined), 15_000);
    expect(confirmed.conversionConfirmed).toEqual({ account: 'created', contact: 'created' });

    // Through every stage; a stale If-Match is refused.
    let etag = (await sales.inject({ url: `/v1/opportunities/${opportunityId}`, headers: headers() })).headers.etag as string;
    for (const stageId of ['needs_analysis', 'proposal', 'negotiation']) {
      const moved = await sales.inject({ method: 'POST', url: `/v1/opportunities/${opportunityId}/stage`, headers: headers({ 'if-match': etag }), payload: { stageId } });
      expect(moved.statusCode).toBe(200);
      const stale = await sales.inject({ method: 'POST', url: `/v1/opportunities/${opportunityId}/stage`, headers: headers({ 'if-match': etag }), payload: { stageId: 'contract_signed' } });
      expect(stale.statusCode).toBe(409);
      etag = moved.headers.etag as string;
    }

    // A quote at 20 % off: above the 15 % threshold, so the sales manager must approve before it goes out.
    const quote = await json<{ id: string; approval: string }>(sales, 'POST', '/v1/quotes', {
      opportunityId, accountId, lines: [{ productId: 'crm-enterprise-seat', quantity: 100, unitPriceMinor: 150_000, discountBps: 2000 }],
    }, {}, 201);
    expect(quote.approval).toBe('pending');
    const early = await sales.inject({ method: 'POST', url: `/v1/quotes/${quote.id}/send`, headers: headers(), payload: {} });
    expect(early.statusCode).toBe(422);
    const notApprover = await sales.inject({ method: 'POST', url: `/v1/quotes/${quote.id}/approve`, headers: headers(), payload: {} });
    expect(notApprover.statusCode).toBe(403);
    await json(sales, 'POST', `/v1/quotes/${quote.id}/approve`, { comment: 'strategic logo' }, { 'x-actor-id': 'mgr-zhao', 'x-actor-roles': 'sales_manager' }, 200);
    await json(sales, 'POST', `/v1/quotes/${quote.id}/send`, {}, {}, 200);
    await json(sales, 'POST', `/v1/quotes/${quote.id}/accept`, {}, {}, 200);
    const shownQuote = await json<{ totals: Record<string, number> }>(sales, 'GET', `/v1/quotes/${quote.id}`, undefined, {}, 200);
    // 100 × 1,500.00 = 150,000.00; −20 % = 120,000.00 net; +13 % VAT = 135,600.00.
    expect(shownQuote.totals).toMatchObject({ subtotalMinor: 15_000_000, discountMinor: 3_000_000, netMinor: 12_000_000, taxMinor: 1_560_000, totalMinor: 13_560_000 });

    // The contract from the accepted quote, in three monthly installments; signing it.
    const contract = await json<{ id: string; contractNumber: string }>(sales, 'POST', '/v1/contracts', {
      quoteId: quote.id, contactId, startDate: '2027-01-01', installments: { installmentCount: 3, intervalMonths: 1 },
    }, {}, 201);
    await json(sales, 'POST', `/v1/contracts/${contract.id}/sign`, { customerSignatory: '王小明' }, {}, 200);

    // Contract signed is the last stage; then the deal is won.
    await json(sales, 'POST', `/v1/opportunities/${opportunityId}/stage`, { stageId: 'contract_signed' }, {}, 200);
    await json(sales, 'POST', `/v1/opportunities/${opportunityId}/win`, {}, {}, 200);
    await json(sales, 'POST', '/v1/activities', { kind: 'visit', subject: 'Kick-off at 云图', about: { opportunityId } }, {}, 201);

    // The event billing and service consume carries the payment plan and the onboarding contact.
    const signed = await contractSignedEvent(contract.id);
    expect(signed).toMatchObject({
      contractId: contract.id,
      contractNumber: contract.contractNumber,
      accountId,
      accountName: '杭州云图科技有限公司',
      opportunityId,
      quoteId: quote.id,
      total: { amountMinor: 13_560_000, currency: 'CNY' },
      taxMinor: 1_560_000,
      primaryContact: { contactId, name: '王小明', email: 'xiaoming.wang@yuntu.example.cn' },
      installments: [
        { sequence: 1, dueDate: '2027-01-01', amountMinor: 4_520_000 },
        { sequence: 2, dueDate: '2027-02-01', amountMinor: 4_520_000 },
        { sequence: 3, dueDate: '2027-03-01', amountMinor: 4_520_000 },
      ],
    });

    // Insights: the lead funnel by campaign …
    const funnel = await eventually(() => found<{ groups: Array<{ key: string; captured: number; qualified: number; converted: number }> }>(
      insights, '/v1/reports/lead-funnel?groupBy=campaign', (f) => f.groups.some((g) => g.key === campaign.id && g.converted === 1)), 15_000);
    expect(funnel.groups.find((g) => g.key === campaign.id)).toMatchObject({ captured: 1, qualified: 1, converted: 1 });
    // … the campaign's revenue and ROI from the won deal (cost 15,000.00, revenue 120,000.00) …
    const roi = await eventually(() => found<{ revenue: unknown; wonDeals: number }>(insights, `/v1/reports/campaigns/${campaign.id}`, (c) => c.wonDeals === 1), 15_000);
    expect(roi).toMatchObject({ wonDeals: 1 });
    // … the won revenue attributed to the campaign (every touch carried it) …
    const attribution = await json<{ totals: Array<{ key: string; amountMinor: string }> }>(insights, 'GET', '/v1/reports/attribution?model=linear&groupBy=campaign', undefined, {}, 200);
    expect(attribution.totals).toContainEqual({ currency: 'CNY', key: campaign.id, amountMinor: '12000000' });
    // … the opportunity funnel through all five stages …
    const oppFunnel = await eventually(() => found<{ stages: Array<{ stageId: string; reached: number }>; won: unknown }>(
      insights, '/v1/reports/sales/opportunity-funnel?pipelineId=default', (f) => f.stages.every((s) => s.reached === 1)), 15_000);
    expect(oppFunnel.stages.map((s) => s.stageId)).toEqual(['initial_contact', 'needs_analysis', 'proposal', 'negotiation', 'contract_signed']);
    // … the forecast (won this month) and the leaderboard.
    const forecast = await json<{ groups: unknown[] }>(insights, 'GET', `/v1/reports/sales/forecast?groupBy=rep&from=${month}&to=${month}`, undefined, {}, 200);
    expect(forecast.groups).toEqual([
      { key: 'rep-li', months: [{ month, currency: 'CNY', openCount: 0, pipelineMinor: '0', weightedMinor: '0', wonCount: 1, wonMinor: '12000000' }] },
    ]);
    const board = await eventually(() => found<{ rows: Array<Record<string, unknown>> }>(
      insights, `/v1/reports/sales/leaderboard?period=${month}&groupBy=rep&metric=won_amount`, (b) => b.rows.length > 0 && b.rows[0].activities === 1), 15_000);
    expect(board.rows).toEqual([expect.objectContaining({
      rank: 1, key: 'rep-li', wonAmount: { currency: 'CNY', amountMinor: '12000000' }, wonCount: 1, lostCount: 0, winRate: 1, activities: 1,
    })]);
  }, 120_000);

  /** `sales.ContractSigned` as consumers get it: from JetStream with NATS, else from the sales event store. */
  const contractSignedEvent = async (contractId: string): Promise<Record<string, unknown>> => {
    if (mode === 'embedded') {
      const events = await sales.get<EventStore>(EVENT_STORE, { strict: false }).readStream(`contract-${contractId}`);
      return events.find((e) => e.type === 'sales.ContractSigned')!.data as Record<string, unknown>;
    }
    const nc = await connectNats({ url: natsUrl()! });
    try {
      const namespace = suite.natsNamespace!;
      const subject = eventSubject('sales', 'sales.ContractSigned', namespace);
      await eventually(async () => ((await (await jetstreamManager(nc)).streams.info(contextStreamName('sales', namespace), { subjects_filter: subject })).state.subjects?.[subject] ?? 0) > 0 || undefined, 15_000);
      const consumer = await jetstream(nc).consumers.get(contextStreamName('sales', namespace), { filter_subjects: subject });
      const message = await consumer.next({ expires: 5_000 });
      const cloudEvent = message!.json<{ type: string; data: Record<string, unknown> }>();
      expect(cloudEvent.type).toBe('sales.ContractSigned');
      return cloudEvent.data;
    } finally {
      await nc.close();
    }
  };
};

describe('customer journey, embedded mode', () => journey('embedded', () => undefined));
describeWithNats('customer journey, with NATS JetStream', (natsUrl) => journey('nats', natsUrl));
