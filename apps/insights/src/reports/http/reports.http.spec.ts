import { LeadEventType, newId } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { migrateInsights } from '../../database/insights-migrations';
import type { InsightsReadModel } from '../../insights-read-model';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import { createEventRecorder, day, dayIso } from '../report-events.fixture';

// The insights app on a migrated database with a consumer that delivers nothing: the read
// models are filled through the projections directly, then read over HTTP.
const idleConsumer: EventConsumer = {
  start: async () => ({ stop: async () => undefined, lag: async () => [] }),
  close: async () => undefined,
};

let db: TestDatabase;
let app: NestFastifyApplication;
let readModel: InsightsReadModel;
const { recorded } = createEventRecorder();
const tenant = `t-${newId()}`;
const otherTenant = `t-${newId()}`;

beforeAll(async () => {
  db = await createTestDatabase('insights_reports_http');
  await migrateInsights(db.url);
  const config = loadBaseConfig('insights', 3105, { DATABASE_URL: db.url, EVENT_STORE: 'memory' });
  app = await createServiceApp(AppModule.forRoot(config, { consumer: idleConsumer }), { name: 'insights', description: 'test' }, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  readModel = app.get<InsightsReadModel>(INSIGHTS_READ_MODEL);
  const lead = newId();
  for (const event of [
    { type: LeadEventType.LeadCaptured, data: { leadId: lead, name: 'Lead', source: { channel: 'web_form' as const, campaignId: 'camp-A' }, capturedAt: dayIso(0) } },
    { type: LeadEventType.LeadQualified, data: { leadId: lead, qualifiedAt: dayIso(1.5) } },
  ]) {
    await readModel.projections.leadFunnel.project(recorded(tenant, event));
  }
  await readModel.prisma.wonDeal.create({ data: { tenantId: tenant, dealId: 'D1', leadId: lead, amountMinor: 100n, currency: 'CNY', wonAt: day(3) } });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const get = (url: string, tenantId = tenant) => app.inject({ method: 'GET', url, headers: { 'x-tenant-id': tenantId } });

describe('GET /v1/reports/*', () => {
  it('lead-funnel: the tenant of the request, grouped and filtered by the query', async () => {
    const res = await get('/v1/reports/lead-funnel?groupBy=campaign&from=2025-03-01&to=2025-04-01T00:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      groupBy: 'campaign',
      from: '2025-03-01T00:00:00.000Z',
      groups: [{ key: 'camp-A', captured: 1, qualified: 1, qualificationRate: 1, medianDaysToQualify: 1.5 }],
    });
    expect((await get('/v1/reports/lead-funnel', otherTenant)).json()).toMatchObject({ groupBy: 'channel', groups: [], total: { captured: 0 } });
  });

  it('attribution: money as decimal strings of minor units', async () => {
    const res = await get('/v1/reports/attribution?model=time_decay&halfLifeDays=3.5&groupBy=channel');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ model: 'time_decay', halfLifeDays: 3.5, totals: [{ currency: 'CNY', key: 'web_form', amountMinor: '100' }] });
  });

  it.each([
    ['/v1/reports/lead-funnel?groupBy=region', 'validation_failed'],
    ['/v1/reports/lead-funnel?from=yesterday', 'validation_failed'],
    ['/v1/reports/lead-funnel?bogus=1', 'validation_failed'],
    ['/v1/reports/lead-funnel?from=2025-03-02&to=2025-03-01', 'invalid_period'],
    ['/v1/reports/attribution', 'validation_failed'],
    ['/v1/reports/attribution?model=w_shaped', 'validation_failed'],
    ['/v1/reports/attribution?model=time_decay&halfLifeDays=0', 'validation_failed'],
    ['/v1/reports/attribution?model=linear&groupBy=region', 'validation_failed'],
  ])('%s → 400 problem+json', async (url, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code });
  });

  it('campaigns: 404 problem+json for a campaign the tenant does not have; an empty list', async () => {
    for (const url of ['/v1/reports/campaigns/camp-A', '/v1/reports/campaigns/camp-A/variants']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: 'campaign_not_found' });
    }
    const list = await get('/v1/reports/campaigns');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
  });
});
