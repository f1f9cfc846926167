import { newId, SalesWorkEventType, type ActivityLoggedData, type RecordedEvent } from '@crm/contracts';
import type { InMemoryEventStore } from '@crm/eventstore';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { OpportunityActivityConsumer } from './opportunity-activity.consumer';
import { stalledTimerId } from './stalled-deal.service';

type Res = { statusCode: number; json: <T = unknown>() => T };
const DAY = 86_400_000;

/** The handler of `sales.opportunity-activity`, called directly with recorded events (the fixture runs no background consumers). */
describe('activities about an opportunity (consumer handler)', () => {
  const fixture = useSalesApp();
  let app: NestFastifyApplication;
  let store: InMemoryEventStore;
  let consumer: OpportunityActivityConsumer;
  beforeAll(() => {
    app = fixture.app();
    store = fixture.store();
    consumer = app.get(OpportunityActivityConsumer);
  });

  const tenantId = 'acme-activity';
  const send = (method: 'GET' | 'POST', url: string, payload?: unknown, tenant = tenantId) =>
    app.inject({ method, url, payload: payload as object, headers: { 'x-tenant-id': tenant, 'x-actor-id': 'rep-1' } }) as unknown as Promise<Res>;
  const inNegotiation = async (tenant = tenantId) => {
    const res = await send('POST', '/v1/opportunities', {
      name: 'ERP rollout', accountId: '0190dddd-0000-7000-8000-000000000001', amount: { amountMinor: 50_000_000, currency: 'CNY' }, expectedCloseDate: '2026-12-31', stageId: 'negotiation',
    }, tenant);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  /** Logs a call about the opportunity through the activities API and returns the event as delivered. */
  const logCall = async (opportunityId: string, occurredAt = fixture.clock.now()): Promise<RecordedEvent> => {
    const res = await send('POST', '/v1/activities', { kind: 'call', subject: 'Pricing call', about: { opportunityId }, occurredAt: occurredAt.toISOString() });
    expect(res.statusCode).toBe(201);
    return (await store.readStream(`activity-${res.json<{ id: string }>().id}`))[0];
  };
  /** An activity event as written by the activities feature, for cases its API would refuse. */
  const appendActivity = async (about: ActivityLoggedData['about'], tenant = tenantId): Promise<RecordedEvent> => {
    const activityId = newId();
    const now = fixture.clock.now().toISOString();
    const data: ActivityLoggedData = { activityId, kind: 'visit', subject: 'Site visit', about, actorId: 'rep-1', occurredAt: now, loggedAt: now };
    await store.appendToStream(`activity-${activityId}`, [{ id: newId(), type: SalesWorkEventType.ActivityLogged, data, metadata: { tenantId: tenant, actor: 'rep-1', correlationId: 'corr-a' } }]);
    return (await store.readStream(`activity-${activityId}`))[0];
  };
  const recordedOn = async (opportunityId: string) =>
    (await store.readStream(`opportunity-${opportunityId}`)).filter((e) => e.type === 'sales.OpportunityActivityRecorded');

  it('records the activity on the opportunity, moves its clock and re-arms the stalled timer from when it happened', async () => {
    const opportunityId = await inNegotiation();
    fixture.clock.advance(3 * DAY);
    const occurredAt = new Date(fixture.clock.now().getTime() - 2 * 3_600_000);
    const event = await logCall(opportunityId, occurredAt);
    await consumer.handle(event);

    const activityId = (event.data as ActivityLoggedData).activityId;
    expect(await recordedOn(opportunityId)).toMatchObject([{
      data: { opportunityId, activityId, kind: 'call', occurredAt: occurredAt.toISOString(), recordedAt: fixture.clock.now().toISOString() },
      metadata: { tenantId, actor: 'rep-1', correlationId: event.metadata.correlationId, causationId: event.id, idempotencyKey: `opportunity-activity:${event.id}` },
    }]);
    expect(await fixture.timerStore.get({ tenantId, id: stalledTimerId(opportunityId, 'owner') }))
      .toMatchObject({ status: 'pending', dueAt: new Date(occurredAt.getTime() + 10 * DAY) });
    const view = (await send('GET', `/v1/opportunities/${opportunityId}`)).json<{ lastUpdateAt: string; lastActivityAt: string }>();
    expect(view).toMatchObject({ lastUpdateAt: occurredAt.toISOString(), lastActivityAt: occurredAt.toISOString() });
  });

  it('redelivery appends nothing (same event again, later, a copy, or another event for the same activity)', async () => {
    const opportunityId = await inNegotiation();
    const event = await logCall(opportunityId);
    await consumer.handle(event);
    fixture.clock.advance(60_000);
    await consumer.handle(event);
    await consumer.handle({ ...event });
    await consumer.handle({ ...event, id: newId() });
    expect(await recordedOn(opportunityId)).toHaveLength(1);
  });

  it('a second activity is recorded too; one logged late about an earlier time does not move the clock back', async () => {
    const opportunityId = await inNegotiation();
    fixture.clock.advance(2 * DAY);
    const recent = fixture.clock.now();
    await consumer.handle(await logCall(opportunityId));
    fixture.clock.advance(DAY);
    await consumer.handle(await logCall(opportunityId, new Date(recent.getTime() - DAY)));
    expect(await recordedOn(opportunityId)).toHaveLength(2);
    const view = (await send('GET', `/v1/opportunities/${opportunityId}`)).json<{ lastUpdateAt: string; lastActivityAt: string }>();
    expect(view).toMatchObject({ lastUpdateAt: recent.toISOString(), lastActivityAt: recent.toISOString() });
    expect(await fixture.timerStore.get({ tenantId, id: stalledTimerId(opportunityId, 'owner') })).toMatchObject({ dueAt: new Date(recent.getTime() + 10 * DAY) });
  });

  it('records nothing, and does not throw, for a won opportunity, an unknown one or another tenant’s', async () => {
    const won = await inNegotiation();
    const event = await logCall(won);
    expect((await send('POST', `/v1/opportunities/${won}/win`)).statusCode).toBe(200);
    await consumer.handle(event);
    expect(await recordedOn(won)).toHaveLength(0);

    const unknown = newId();
    await consumer.handle(await appendActivity({ opportunityId: unknown }));
    expect(await store.readStream(`opportunity-${unknown}`)).toHaveLength(0);

    const theirs = await inNegotiation('other-tenant');
    await consumer.handle(await appendActivity({ opportunityId: theirs }));
    expect(await recordedOn(theirs)).toHaveLength(0);
  });

  it('ignores activities about no opportunity and other event types', async () => {
    const before = (await store.readAll()).length;
    const event = await appendActivity({ accountId: newId() });
    await consumer.handle(event);
    await consumer.handle({ ...event, type: 'sales.TaskCreated' });
    expect((await store.readAll()).length).toBe(before + 1);
  });

  it('a payload that breaks the contract throws (the consumer retries, then dead-letters it)', async () => {
    const event = await appendActivity({ opportunityId: newId() });
    await expect(consumer.handle({ ...event, data: { ...(event.data as object), occurredAt: 'yesterday' } })).rejects.toThrow();
  });
});
