import { describeWithNats, eventually } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSuite, type RunningSuite } from './support/suite';

/**
 * The reference journey across services: capture a lead over HTTP on the leads service, see it
 * in the insights read model, qualify it with a stale If-Match (409) and a fresh one (200), and
 * see that too. Run in the embedded mode (consumers read the event store) and with real NATS
 * (relay → JetStream → durable consumer). Polls the read model, never sleeps blindly.
 */
const journey = (mode: 'embedded' | 'nats', natsUrl: () => string | undefined) => {
  let suite: RunningSuite;
  let leads: NestFastifyApplication;
  let insights: NestFastifyApplication;

  beforeAll(async () => {
    suite = await startSuite('e2e', ['leads', 'insights'], mode === 'nats' ? natsUrl() : undefined);
    ({ leads, insights } = suite.apps);
  }, 120_000);

  afterAll(() => suite?.stop());

  const readLead = async (id: string, status: string) => {
    const res = await insights.inject({ url: `/v1/leads/${id}`, headers: { 'x-tenant-id': 'acme' } });
    return res.statusCode === 200 && res.json<{ status: string }>().status === status ? res.json<Record<string, unknown>>() : undefined;
  };

  it('capture → insights → stale If-Match 409 → fresh If-Match 200 → insights', async () => {
    const captured = await leads.inject({
      method: 'POST',
      url: '/v1/leads',
      headers: { 'x-tenant-id': 'acme', 'idempotency-key': `e2e-${mode}` },
      payload: { name: '韩梅梅', company: '上海某某贸易股份有限公司', email: 'meimei@example.cn', channel: 'web_form', utm: { source: 'wechat', campaign: 'expo' } },
    });
    expect(captured.statusCode).toBe(201);
    const { id } = captured.json<{ id: string }>();

    const seen = await eventually(() => readLead(id, 'captured'), 10_000);
    expect(seen).toMatchObject({ id, tenantId: 'acme', name: '韩梅梅', source: { channel: 'web_form', utm: { source: 'wechat', campaign: 'expo' } } });
    expect((await insights.inject({ url: `/v1/leads/${id}`, headers: { 'x-tenant-id': 'globex' } })).statusCode).toBe(404);

    const stale = await leads.inject({ method: 'POST', url: `/v1/leads/${id}/qualify`, headers: { 'x-tenant-id': 'acme', 'if-match': '"3"' }, payload: {} });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);

    const fresh = await leads.inject({ method: 'POST', url: `/v1/leads/${id}/qualify`, headers: { 'x-tenant-id': 'acme', 'if-match': captured.headers.etag as string }, payload: {} });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe('"1"');

    await eventually(() => readLead(id, 'qualified'), 10_000);
    const list = await insights.inject({ url: '/v1/leads?status=qualified', headers: { 'x-tenant-id': 'acme' } });
    expect(list.json()).toMatchObject({ items: [{ id, status: 'qualified' }], counts: { qualified: 1, total: 1 } });
  });

  it('exposes the projection’s consumer lag and the commands it served as metrics', async () => {
    const insightsMetrics = (await insights.inject({ url: '/metrics' })).body;
    expect(insightsMetrics).toMatch(/crm_consumer_lag\{[^}]*consumer="insights\.lead-read-model"[^}]*source="leads"[^}]*\} 0/);
    const leadsMetrics = (await leads.inject({ url: '/metrics' })).body;
    expect(leadsMetrics).toMatch(/crm_commands_total\{[^}]*command="Lead\.capture"[^}]*outcome="ok"/);
    expect(leadsMetrics).toMatch(/crm_events_appended_total\{[^}]*stream_category="lead"/);
  });
};

describe('lead lifecycle, embedded mode', () => journey('embedded', () => undefined));
describeWithNats('lead lifecycle, with NATS JetStream', (natsUrl) => journey('nats', natsUrl));
