import { LeadEventType, leadStream, newId, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { migrateInsights } from '../../database/insights-migrations';
import type { InsightsReadModel } from '../../insights-read-model';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';

// The insights app on a migrated database with a consumer that delivers nothing: the lead read
// model is filled through the projection directly, then read over HTTP.
const idleConsumer: EventConsumer = {
  start: async () => ({ stop: async () => undefined, lag: async () => [] }),
  close: async () => undefined,
};

let db: TestDatabase;
let app: NestFastifyApplication;
const tenant = `t-${newId()}`;
let position = 0n;
const recorded = (tenantId: string, event: LeadEvent): RecordedEvent => ({
  id: newId(),
  type: event.type,
  streamName: leadStream(event.data.leadId),
  revision: 0,
  position: ++position,
  occurredAt: new Date('2026-11-02T00:00:00.000Z'),
  data: event.data,
  metadata: { tenantId, correlationId: newId() },
});

// HOT: hot, from the expo campaign, assigned to rep-li then back in the pool. MINE: held by rep-li. COLD: in the pool.
const [HOT, MINE, COLD] = [newId(), newId(), newId()];
const at = (day: number) => `2026-11-0${day}T08:00:00.000Z`;

beforeAll(async () => {
  db = await createTestDatabase('insights_lead_http');
  await migrateInsights(db.url);
  const config = loadBaseConfig('insights', 3105, { DATABASE_URL: db.url, EVENT_STORE: 'memory' });
  app = await createServiceApp(AppModule.forRoot(config, { consumer: idleConsumer }), { name: 'insights', description: 'test' }, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const readModel = app.get<InsightsReadModel>(INSIGHTS_READ_MODEL);
  const events: LeadEvent[] = [
    {
      type: LeadEventType.LeadCaptured,
      data: {
        leadId: HOT,
        name: '王小明',
        company: '杭州云图科技有限公司',
        source: { channel: 'web_form', campaignId: 'cmp-expo', referrer: 'https://expo.example.cn', formId: 'expo-2026', utm: { source: 'expo' } },
        capturedAt: at(1),
      },
    },
    { type: LeadEventType.LeadCaptured, data: { leadId: MINE, name: 'Ada Lovelace', email: 'ada@example.com', source: { channel: 'api' }, capturedAt: at(2) } },
    { type: LeadEventType.LeadCaptured, data: { leadId: COLD, name: 'Bob', source: { channel: 'import' }, capturedAt: at(3) } },
    { type: LeadEventType.LeadAttributesUpdated, data: { leadId: HOT, changes: { industry: 'software', region: '华东' }, updatedAt: at(1) } },
    { type: LeadEventType.LeadScoreChanged, data: { leadId: HOT, score: 75, previousScore: 0, reasons: [], ruleSetVersion: 1, scoredAt: at(1) } },
    { type: LeadEventType.LeadBecameHot, data: { leadId: HOT, score: 75, reasons: [], threshold: 60, ruleSetVersion: 1, becameHotAt: at(1) } },
    { type: LeadEventType.LeadAssigned, data: { leadId: HOT, ownerId: 'rep-li', how: 'rule', assignedAt: at(1) } },
    { type: LeadEventType.LeadReturnedToPool, data: { leadId: HOT, previousOwnerId: 'rep-li', reason: 'manual', returnedAt: at(2) } },
    { type: LeadEventType.LeadClaimed, data: { leadId: MINE, ownerId: 'rep-li', claimedAt: at(3) } },
    { type: LeadEventType.LeadScoreChanged, data: { leadId: MINE, score: 20, previousScore: 0, reasons: [], ruleSetVersion: 1, scoredAt: at(3) } },
  ];
  for (const event of events) await readModel.projections.leadReadModel.project(recorded(tenant, event));
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const get = (url: string, tenantId = tenant) => app.inject({ method: 'GET', url, headers: { 'x-tenant-id': tenantId } });
const listed = async (query: string): Promise<string[]> => {
  const res = await get(`/v1/leads?${query}`);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Array<{ id: string }> }).items.map((l) => l.id);
};

describe('GET /v1/leads', () => {
  it('lists newest first with the new fields and the counts by status', async () => {
    const res = await get('/v1/leads');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((l: { id: string }) => l.id)).toEqual([COLD, MINE, HOT]);
    expect(body.items[2]).toMatchObject({
      id: HOT,
      source: { channel: 'web_form', utm: { source: 'expo' }, campaignId: 'cmp-expo', referrer: 'https://expo.example.cn', formId: 'expo-2026' },
      ownerId: null,
      score: 75,
      hot: true,
      industry: 'software',
      region: '华东',
      lastActivityAt: null,
    });
    expect(body.items[1]).toMatchObject({ id: MINE, ownerId: 'rep-li', score: 20, hot: false, lastActivityAt: at(3), source: { campaignId: null } });
    expect(body.counts).toEqual({ captured: 3, qualified: 0, disqualified: 0, converted: 0, total: 3 });
  });

  it('filters: the pool, hot leads first, my leads, campaign, channel, search, minimum score', async () => {
    expect(await listed('pool=true')).toEqual([COLD, HOT]);
    expect(await listed('pool=true&sort=score')).toEqual([HOT, COLD]);
    expect(await listed('pool=false')).toEqual([MINE]);
    expect(await listed('hot=true')).toEqual([HOT]);
    expect(await listed('hot=false')).toEqual([COLD, MINE]);
    expect(await listed('ownerId=rep-li')).toEqual([MINE]);
    expect(await listed('campaignId=cmp-expo')).toEqual([HOT]);
    expect(await listed('channel=api')).toEqual([MINE]);
    expect(await listed(`q=${encodeURIComponent('小明')}`)).toEqual([HOT]);
    expect(await listed(`q=${encodeURIComponent('云图科技')}`)).toEqual([HOT]);
    expect(await listed('q=ADA%40example')).toEqual([MINE]);
    expect(await listed('q=')).toEqual([COLD, MINE, HOT]);
    expect(await listed('minScore=20&sort=score')).toEqual([HOT, MINE]);
    expect(await listed('status=captured&pool=true&hot=true&campaignId=cmp-expo&channel=web_form&minScore=60&q=%E5%B0%8F')).toEqual([HOT]);
  });

  it('pages by score with the cursor it returns', async () => {
    const first = (await get('/v1/leads?sort=score&limit=2')).json();
    expect(first.items.map((l: { id: string }) => l.id)).toEqual([HOT, MINE]);
    const second = (await get(`/v1/leads?sort=score&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ id: COLD }], nextCursor: null });
  });

  it('another tenant sees nothing', async () => {
    expect((await get('/v1/leads?pool=true', `t-${newId()}`)).json()).toMatchObject({ items: [], nextCursor: null, counts: { total: 0 } });
  });

  it.each([
    ['hot=yes', 'validation_failed'],
    ['hot=1', 'validation_failed'],
    ['pool=TRUE', 'validation_failed'],
    ['minScore=-1', 'validation_failed'],
    ['minScore=1.5', 'validation_failed'],
    ['minScore=lots', 'validation_failed'],
    ['sort=name', 'validation_failed'],
    ['channel=fax', 'validation_failed'],
    ['status=open', 'validation_failed'],
    ['ownerId=', 'validation_failed'],
    ['campaignId=', 'validation_failed'],
    [`q=${'x'.repeat(201)}`, 'validation_failed'],
    ['q=a&q=b', 'validation_failed'],
    ['limit=0', 'validation_failed'],
    ['limit=201', 'validation_failed'],
    ['owner=rep-li', 'validation_failed'],
    ['cursor=bogus', 'invalid_cursor'],
  ])('?%s → 400 problem+json', async (query, code) => {
    const res = await get(`/v1/leads?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code });
  });

  it('a cursor of the other sort → 400 invalid_cursor', async () => {
    const { nextCursor } = (await get('/v1/leads?limit=1')).json();
    const res = await get(`/v1/leads?sort=score&cursor=${nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});

describe('GET /v1/leads/{id}', () => {
  it('one lead with its owner, score and profile', async () => {
    const res = await get(`/v1/leads/${MINE}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: MINE, status: 'captured', ownerId: 'rep-li', score: 20, hot: false, industry: null, region: null });
  });

  it('an unknown lead, or one of another tenant, is 404; a malformed id is 400', async () => {
    expect((await get(`/v1/leads/${newId()}`)).statusCode).toBe(404);
    const other = await get(`/v1/leads/${HOT}`, `t-${newId()}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ status: 404, code: 'lead_not_found' });
    const bad = await get('/v1/leads/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
