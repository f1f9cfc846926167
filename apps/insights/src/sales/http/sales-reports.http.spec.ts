import { newId } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { migrateInsights } from '../../database/insights-migrations';
import type { InsightsReadModel } from '../../insights-read-model';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import {
  activityLogged,
  createSalesEventRecorder,
  opportunityCreated,
  opportunityLost,
  opportunityWon,
  targetSet,
  teamDefined,
  type OpportunitySpec,
} from '../sales-events.fixture';

// The insights app on a migrated database with a consumer that delivers nothing: the sales read
// models are filled through the projection directly, then read over HTTP.
const idleConsumer: EventConsumer = {
  start: async () => ({ stop: async () => undefined, lag: async () => [] }),
  close: async () => undefined,
};

let db: TestDatabase;
let app: NestFastifyApplication;
const { recorded } = createSalesEventRecorder();
const tenant = `t-${newId()}`;
const otherTenant = `t-${newId()}`;

// rep-a (team north): W1 120,000 CNY won 2026-11-03, O1 10,001 CNY open at 50% closing 2026-11-20,
// L1 5,000 CNY lost 2026-11-04 (price); one call in November; a 200,000 target for 2026-11.
const W1: OpportunitySpec = { id: 'W1', ownerId: 'rep-a', amountMinor: 120_000, createdAt: '2026-11-01T00:00:00.000Z' };
const O1: OpportunitySpec = { id: 'O1', ownerId: 'rep-a', amountMinor: 10_001, probability: 50, stageId: 'proposal', expectedCloseDate: '2026-11-20', createdAt: '2026-11-01T00:00:00.000Z' };
const L1: OpportunitySpec = { id: 'L1', ownerId: 'rep-a', amountMinor: 5_000, createdAt: '2026-11-01T00:00:00.000Z' };

beforeAll(async () => {
  db = await createTestDatabase('insights_sales_http');
  await migrateInsights(db.url);
  const config = loadBaseConfig('insights', 3105, { DATABASE_URL: db.url, EVENT_STORE: 'memory' });
  app = await createServiceApp(AppModule.forRoot(config, { consumer: idleConsumer }), { name: 'insights', description: 'test' }, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const readModel = app.get<InsightsReadModel>(INSIGHTS_READ_MODEL);
  for (const event of [
    teamDefined('north', 'boss', ['rep-a'], 'North'),
    targetSet('rep', 'rep-a', '2026-11', 200_000),
    ...[W1, O1, L1].map(opportunityCreated),
    opportunityWon(W1, 'initial_contact', '2026-11-03T00:00:00.000Z'),
    opportunityLost(L1, 'initial_contact', 'price', '2026-11-04T00:00:00.000Z'),
    activityLogged('rep-a', '2026-11-05T09:00:00.000Z'),
  ]) {
    await readModel.projections.salesReports.project(recorded(tenant, event));
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const get = (url: string, tenantId = tenant) => app.inject({ method: 'GET', url, headers: { 'x-tenant-id': tenantId } });

describe('GET /v1/reports/sales/*', () => {
  it('forecast: groups and totals, money as decimal strings of minor units', async () => {
    const res = await get('/v1/reports/sales/forecast?groupBy=team&from=2026-11&to=2026-12');
    expect(res.statusCode).toBe(200);
    const month = { month: '2026-11', currency: 'CNY', openCount: 1, pipelineMinor: '10001', weightedMinor: '5001', wonCount: 1, wonMinor: '120000' };
    expect(res.json()).toEqual({ groupBy: 'team', from: '2026-11', to: '2026-12', groups: [{ key: 'north', months: [month] }], totals: [month] });
    // groupBy defaults to rep; another tenant sees nothing.
    expect((await get('/v1/reports/sales/forecast?from=2026-11&to=2026-11')).json()).toMatchObject({ groupBy: 'rep', groups: [{ key: 'rep-a' }] });
    expect((await get('/v1/reports/sales/forecast?from=2026-11&to=2026-11', otherTenant)).json()).toMatchObject({ groups: [], totals: [] });
  });

  it('targets: attainment of the period', async () => {
    const res = await get('/v1/reports/sales/targets?period=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      period: '2026-11',
      targets: [{ scope: { kind: 'rep', id: 'rep-a' }, target: { currency: 'CNY', amountMinor: '200000' }, won: { currency: 'CNY', amountMinor: '120000' }, wonCount: 1, attainment: 0.6 }],
    });
    expect((await get('/v1/reports/sales/targets?period=2026-Q4&scope=team')).json()).toMatchObject({ from: '2026-10-01T00:00:00.000Z', targets: [] });
  });

  it('leaderboard: ranked rows', async () => {
    const res = await get('/v1/reports/sales/leaderboard?period=2026&groupBy=team&metric=win_rate&currency=cny');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      groupBy: 'team',
      metric: 'win_rate',
      currency: 'CNY',
      rows: [{ rank: 1, key: 'north', name: 'North', wonCount: 1, lostCount: 1, winRate: 0.5, activities: 1, wonAmount: { currency: 'CNY', amountMinor: '120000' } }],
    });
    expect((await get('/v1/reports/sales/leaderboard?period=2026-11')).json()).toMatchObject({ groupBy: 'rep', metric: 'won_amount', rows: [{ key: 'rep-a' }] });
  });

  it('opportunity-funnel: the default pipeline without parameters', async () => {
    const res = await get('/v1/reports/sales/opportunity-funnel?from=2026-11-01&to=2026-12-01T00:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      pipelineId: 'default',
      from: '2026-11-01T00:00:00.000Z',
      opportunities: 3,
      stages: [{ stageId: 'initial_contact', reached: 2 }, { reached: 0 }, { stageId: 'proposal', reached: 1, current: 1 }, {}, {}],
      won: { count: 1, amounts: [{ currency: 'CNY', amountMinor: '120000' }] },
      lossReasons: [{ reason: 'price', count: 1, amounts: [{ currency: 'CNY', amountMinor: '5000' }] }],
    });
  });

  it('an unknown pipeline is 404 problem+json', async () => {
    const res = await get('/v1/reports/sales/opportunity-funnel?pipelineId=enterprise');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'pipeline_not_found' });
  });

  it.each([
    ['/v1/reports/sales/forecast', 'validation_failed'],
    ['/v1/reports/sales/forecast?from=2026-11', 'validation_failed'],
    ['/v1/reports/sales/forecast?from=2026-13&to=2026-12', 'validation_failed'],
    ['/v1/reports/sales/forecast?from=2026-11-01&to=2026-12', 'validation_failed'],
    ['/v1/reports/sales/forecast?from=2026-11&to=2026-12&groupBy=region', 'validation_failed'],
    ['/v1/reports/sales/forecast?from=2026-12&to=2026-11', 'invalid_period'],
    ['/v1/reports/sales/forecast?from=2020-01&to=2026-12', 'invalid_period'],
    ['/v1/reports/sales/targets', 'validation_failed'],
    ['/v1/reports/sales/targets?period=2026-Q5', 'validation_failed'],
    ['/v1/reports/sales/targets?period=2026-11&scope=region', 'validation_failed'],
    ['/v1/reports/sales/leaderboard', 'validation_failed'],
    ['/v1/reports/sales/leaderboard?period=2026-11&metric=calls', 'validation_failed'],
    ['/v1/reports/sales/leaderboard?period=2026-11&groupBy=pipeline', 'validation_failed'],
    ['/v1/reports/sales/leaderboard?period=2026-11&currency=yuan', 'validation_failed'],
    ['/v1/reports/sales/opportunity-funnel?from=yesterday', 'validation_failed'],
    ['/v1/reports/sales/opportunity-funnel?pipelineId=', 'validation_failed'],
    ['/v1/reports/sales/opportunity-funnel?bogus=1', 'validation_failed'],
    ['/v1/reports/sales/opportunity-funnel?from=2026-12-01&to=2026-11-01', 'invalid_period'],
  ])('%s → 400 problem+json', async (url, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code });
  });
});
