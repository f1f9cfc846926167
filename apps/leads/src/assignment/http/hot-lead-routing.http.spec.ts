import { eventually } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';
import { HotLeadRoutingConsumer } from '../application/hot-lead-routing.consumer';

describe('hot-lead routing (leads.hot-lead-routing)', () => {
  let n = 0;
  let tenant = 'hot';
  const { app, store, send: req } = useLeadsApp({ scoring: { background: true }, assignment: { background: true }, headers: () => ({ 'x-tenant-id': tenant }) });
  beforeEach(async () => {
    tenant = `hot-${++n}-${Date.now().toString(36)}`;
    // One webinar registration is enough to make a lead hot in these tenants.
    const rules = await req('PUT', '/v1/scoring-rules', { hotThreshold: 60, behaviourRules: [{ id: 'webinar', description: 'Registered for a webinar', touchpoint: 'webinar_registration', points: 70 }] });
    expect(rules.statusCode).toBe(202);
  });
  const capture = async () => (await req('POST', '/v1/leads', { name: 'Hot Lead', email: `hot-${n}-${Math.random()}@example.cn` })).json<{ id: string }>().id;
  const heatUp = (leadId: string) => req('POST', '/v1/touchpoints', { touchpoints: [{ touchpointId: `web-${leadId}`, leadId, type: 'webinar_registration', at: '2026-03-01T08:00:00Z' }] });
  const eventsOf = async (leadId: string, type: string) => (await store().readStream(`lead-${leadId}`)).filter((e) => e.type === type);

  it('assigns a hot lead from the pool and alerts its new owner, once', async () => {
    await req('PUT', '/v1/assignment-settings', { repIds: ['rep-1', 'rep-2'], rules: [] });
    const id = await capture();
    await heatUp(id);
    const [alerted] = await eventually(async () => {
      const alerts = await eventsOf(id, 'leads.HotLeadOwnerAlerted');
      return alerts.length > 0 ? alerts : undefined;
    });
    const [assigned] = await eventsOf(id, 'leads.LeadAssigned');
    expect(assigned.data).toMatchObject({ ownerId: 'rep-1', how: 'round_robin' });
    expect(alerted.data).toMatchObject({ leadId: id, ownerId: 'rep-1', score: 70 });
    expect(assigned.metadata).toMatchObject({ actor: 'service:leads.hot-lead-routing' });

    // A redelivered LeadBecameHot changes nothing.
    const [hot] = await eventsOf(id, 'leads.LeadBecameHot');
    const before = (await store().readStream(`lead-${id}`)).length;
    await app().get(HotLeadRoutingConsumer).handle(hot);
    await app().get(HotLeadRoutingConsumer).handle(hot);
    expect(await store().readStream(`lead-${id}`)).toHaveLength(before);
    expect(await eventsOf(id, 'leads.LeadAssigned')).toHaveLength(1);
    expect(await eventsOf(id, 'leads.HotLeadOwnerAlerted')).toHaveLength(1);
  });

  it('alerts the owner of an owned lead without re-assigning it', async () => {
    await req('PUT', '/v1/assignment-settings', { repIds: ['rep-1'], rules: [] });
    const id = await capture();
    await req('POST', `/v1/leads/${id}/claim`, undefined, { 'x-actor-id': 'rep-7' });
    await heatUp(id);
    const [alerted] = await eventually(async () => {
      const alerts = await eventsOf(id, 'leads.HotLeadOwnerAlerted');
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(alerted.data).toMatchObject({ ownerId: 'rep-7' });
    expect(await eventsOf(id, 'leads.LeadAssigned')).toHaveLength(0);
  });

  it('leaves a hot lead flagged in the pool when the tenant has no reps', async () => {
    const id = await capture();
    await heatUp(id);
    const [hot] = await eventually(async () => {
      const events = await eventsOf(id, 'leads.LeadBecameHot');
      return events.length > 0 ? events : undefined;
    });
    await app().get(HotLeadRoutingConsumer).handle(hot);
    expect(await eventsOf(id, 'leads.LeadAssigned')).toHaveLength(0);
    expect(await eventsOf(id, 'leads.HotLeadOwnerAlerted')).toHaveLength(0);
  });
});
