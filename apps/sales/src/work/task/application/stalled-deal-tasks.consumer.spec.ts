import { newId, opportunityStream, SalesPipelineEventType, type OpportunityStalledData, type RecordedEvent } from '@crm/contracts';
import { eventually } from '@crm/testing';
import { useSalesApp } from '../../../../test/sales-app.fixture';
import { StalledDealTasksConsumer, stalledDealTaskId, STALLED_DEAL_TASK_TITLE } from './stalled-deal-tasks.consumer';

const DAY = 86_400_000;

type Fixture = ReturnType<typeof useSalesApp>;

/** Appends a `sales.OpportunityStalled` (as the pipeline's stalled-deal rule would) and returns it as recorded. */
const stalledEvent = async (fixture: Fixture, over: Partial<OpportunityStalledData> = {}, tenantId = 'default'): Promise<RecordedEvent> => {
  const opportunityId = over.opportunityId ?? newId();
  const detectedAt = fixture.clock.now().toISOString();
  const data: OpportunityStalledData = {
    opportunityId, stageId: 'negotiation', ownerId: 'rep-1', level: 'owner', idleDays: 10, lastActivityAt: new Date(Date.parse(detectedAt) - 10 * DAY).toISOString(), detectedAt, ...over,
  };
  await fixture.store().appendToStream(opportunityStream(opportunityId), [{ type: SalesPipelineEventType.OpportunityStalled, data, metadata: { tenantId, correlationId: 'stall-check' } }]);
  const stream = await fixture.store().readStream(opportunityStream(opportunityId));
  return stream[stream.length - 1];
};

describe('stalled-deal tasks (the handler)', () => {
  const fixture = useSalesApp();
  const handler = () => fixture.app().get(StalledDealTasksConsumer);
  const taskEvents = (tenantId: string, event: RecordedEvent) => fixture.store().readStream(`task-${stalledDealTaskId(tenantId, event.id)}`);

  it('gives the owner a task about the deal, due a day later with a reminder at once, and arms its timers', async () => {
    const event = await stalledEvent(fixture);
    const { opportunityId, detectedAt } = event.data as OpportunityStalledData;
    await handler().handle(event);
    const taskId = stalledDealTaskId('default', event.id);
    const dueAt = new Date(Date.parse(detectedAt) + DAY).toISOString();
    expect(await taskEvents('default', event)).toMatchObject([{
      type: 'sales.TaskCreated',
      data: {
        taskId, title: STALLED_DEAL_TASK_TITLE, about: { opportunityId }, assigneeId: 'rep-1', dueAt, remindAt: detectedAt,
        origin: { kind: 'stalled_deal', opportunityId }, description: 'No update for 10 days in stage negotiation.',
      },
      metadata: { tenantId: 'default', actor: 'system', correlationId: 'stall-check', causationId: event.id },
    }]);
    expect(await fixture.timerStore.get({ tenantId: 'default', id: `task-${taskId}:due` })).toMatchObject({ status: 'pending', dueAt: new Date(dueAt) });

    // "Remind now": the reminder is due at once.
    await fixture.scheduler().runOnce();
    expect((await taskEvents('default', event)).map((e) => e.type)).toEqual(['sales.TaskCreated', 'sales.TaskReminderDue']);
  });

  it('creates nothing twice when the event is redelivered', async () => {
    const event = await stalledEvent(fixture);
    await handler().handle(event);
    await handler().handle(event);
    await handler().handle({ ...event });
    expect(await taskEvents('default', event)).toHaveLength(1);
  });

  it('at the manager level, gives the manager a task too (a separate one)', async () => {
    const opportunityId = newId();
    const owner = await stalledEvent(fixture, { opportunityId });
    const manager = await stalledEvent(fixture, { opportunityId, level: 'manager', managerId: 'manager-1', idleDays: 15 });
    await handler().handle(owner);
    await handler().handle(manager);
    expect((await taskEvents('default', owner))[0].data).toMatchObject({ assigneeId: 'rep-1' });
    expect((await taskEvents('default', manager))[0].data).toMatchObject({
      assigneeId: 'manager-1', title: STALLED_DEAL_TASK_TITLE, about: { opportunityId }, origin: { kind: 'stalled_deal', opportunityId },
      description: 'Escalated: no update for 15 days in stage negotiation; the deal is owned by rep-1.',
    });
  });

  it('at the manager level without a manager, creates nothing', async () => {
    const event = await stalledEvent(fixture, { level: 'manager' });
    await handler().handle(event);
    expect(await taskEvents('default', event)).toHaveLength(0);
  });

  it('keeps tenants apart', async () => {
    const event = await stalledEvent(fixture, {}, 'acme');
    await handler().handle(event);
    const [created] = await taskEvents('acme', event);
    expect(created.metadata.tenantId).toBe('acme');
  });

  it('ignores other events', async () => {
    const event = await stalledEvent(fixture);
    const before = (await fixture.store().readAll()).length;
    await handler().handle({ ...event, type: SalesPipelineEventType.OpportunityUpdated });
    expect((await fixture.store().readAll()).length).toBe(before);
  });
});

describe('stalled-deal tasks (the in-process consumer)', () => {
  const fixture = useSalesApp({ sales: { background: true } });

  it('creates the owner’s task as the event arrives', async () => {
    const event = await stalledEvent(fixture);
    const stream = `task-${stalledDealTaskId('default', event.id)}`;
    const created = await eventually(async () => {
      const events = await fixture.store().readStream(stream);
      return events.length > 0 ? events : undefined;
    });
    expect(created).toMatchObject([{ type: 'sales.TaskCreated', data: { assigneeId: 'rep-1', origin: { kind: 'stalled_deal' } } }]);
  });
});
