import { Scheduler, timerIdempotencyKey } from '@crm/scheduler';
import { useSalesApp } from '../../../../test/sales-app.fixture';
import { TASK_DUE, TaskCommandsService } from '../application/task-commands.service';
import { registerTaskTimers } from '../application/task.timers';

const HOUR = 3_600_000;

/** Reminder and due timers of tasks on the durable scheduler, driven by the fixture's ManualClock. */
describe('task timers', () => {
  const fixture = useSalesApp();
  const { app, store, send, clock, timerStore } = fixture;

  const typesOf = async (id: string) => (await store().readStream(`task-${id}`)).map((e) => e.type);
  const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
  /** Fires every due timer (a runOnce claims at most the runner's free slots). */
  const fireDue = async (scheduler: Scheduler = fixture.scheduler()) => {
    let fired = 0;
    for (let n = await scheduler.runOnce(); n > 0; n = await scheduler.runOnce()) fired += n;
    return fired;
  };
  const until = async (iso: string) => {
    clock.set(new Date(iso));
    await fireDue();
  };
  const create = async (body: object) => {
    const res = await send('POST', '/v1/tasks', body, { 'x-actor-id': 'rep-1' });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const get = async (id: string) => (await send('GET', `/v1/tasks/${id}`)).json<{ reminded: boolean; overdue: boolean }>();

  it('reminds the assignee at remindAt and flags the task overdue at dueAt, once each', async () => {
    const remindAt = at(2);
    const dueAt = at(4);
    const id = await create({ title: 'Call Mr. Wang', dueAt, remindAt });
    await until(at(1));
    expect(await typesOf(id)).toEqual(['sales.TaskCreated']);

    await until(remindAt);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReminderDue']);
    const [, reminded] = await store().readStream(`task-${id}`);
    expect(reminded).toMatchObject({ data: { taskId: id, assigneeId: 'rep-1', title: 'Call Mr. Wang', dueAt, remindedAt: remindAt }, metadata: { actor: 'system' } });
    expect(await get(id)).toMatchObject({ reminded: true, overdue: false });

    await until(dueAt);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReminderDue', 'sales.TaskOverdue']);
    expect((await store().readStream(`task-${id}`))[2].data).toEqual({ taskId: id, assigneeId: 'rep-1', dueAt, detectedAt: dueAt });
    expect(await get(id)).toMatchObject({ reminded: true, overdue: true });
    expect(await timerStore.get({ tenantId: 'default', id: `task-${id}:due` })).toMatchObject({ status: 'fired' });

    await until(at(24));
    expect(await typesOf(id)).toHaveLength(3);
  });

  it('rescheduling moves both timers: nothing fires at the old times, both fire at the new ones', async () => {
    const id = await create({ title: 'Send the contract', dueAt: at(4), remindAt: at(2) });
    const newRemind = at(9);
    const newDue = at(10);
    expect((await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: newDue, remindAt: newRemind })).statusCode).toBe(200);
    await until(at(5));
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskRescheduled']);
    await until(newRemind);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskRescheduled', 'sales.TaskReminderDue']);
    await until(newDue);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskRescheduled', 'sales.TaskReminderDue', 'sales.TaskOverdue']);
  });

  it('an overdue task given a new due time is flagged again at that time', async () => {
    const id = await create({ title: 'Chase the PO', dueAt: at(1) });
    await until(at(1));
    await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: at(3) });
    const due = at(3);
    await until(due);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskOverdue', 'sales.TaskRescheduled', 'sales.TaskOverdue']);
  });

  it('completing or cancelling a task cancels its timers: nothing fires afterwards', async () => {
    const done = await create({ title: 'Done early', dueAt: at(2), remindAt: at(1) });
    const dropped = await create({ title: 'Not needed', dueAt: at(2), remindAt: at(1) });
    await send('POST', `/v1/tasks/${done}/complete`, {});
    await send('POST', `/v1/tasks/${dropped}/cancel`, {});
    await until(at(3));
    expect(await typesOf(done)).toEqual(['sales.TaskCreated', 'sales.TaskCompleted']);
    expect(await typesOf(dropped)).toEqual(['sales.TaskCreated', 'sales.TaskCancelled']);
  });

  it('a stale timer (armed for a time the task no longer has) appends nothing and is re-armed for the current time', async () => {
    const dueAt = at(5);
    const id = await create({ title: 'Raced', dueAt });
    // What a slower, concurrent reschedule would leave behind: the due timer armed for an older time.
    const stale = at(1);
    await timerStore.schedule({ tenantId: 'default', id: `task-${id}:due`, kind: TASK_DUE, dueAt: new Date(stale), payload: { taskId: id, dueAt: stale } }, { replace: true });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await until(stale);
    } finally {
      warn.mockRestore();
    }
    expect(await typesOf(id)).toEqual(['sales.TaskCreated']);
    expect(await timerStore.get({ tenantId: 'default', id: `task-${id}:due` })).toMatchObject({ status: 'pending', dueAt: new Date(dueAt), payload: { dueAt } });
    await until(dueAt);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskOverdue']);
  });

  it('a firing handled twice (the runner crashed before recording it) appends nothing twice', async () => {
    await fireDue();
    const dueAt = at(2);
    const id = await create({ title: 'Crash-proof', dueAt });
    clock.set(new Date(dueAt));
    const leaseMs = 60_000;
    const claimed = await timerStore.claimDue(clock.now(), 100, leaseMs, 'crashed-runner', [TASK_DUE]);
    const mine = claimed.find((t) => t.id === `task-${id}:due`)!;
    // The crashed runner's handler ran to the end, but the timer was never completed.
    await app().get(TaskCommandsService).due(mine.tenantId, mine.payload, timerIdempotencyKey(mine));
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskOverdue']);

    clock.advance(leaseMs + 1);
    const next = registerTaskTimers(new Scheduler({ store: timerStore, clock }), app().get(TaskCommandsService));
    expect(await fireDue(next)).toBeGreaterThanOrEqual(1);
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskOverdue']);
    expect(await timerStore.get({ tenantId: 'default', id: `task-${id}:due` })).toMatchObject({ status: 'fired', attempts: 2 });
  });

  it('is restart-safe: a new Scheduler over the same timer store fires nothing that already fired', async () => {
    const id = await create({ title: 'Survives restarts', dueAt: at(2), remindAt: at(1) });
    await until(at(2));
    expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReminderDue', 'sales.TaskOverdue']);
    const before = (await store().readAll()).length;

    const restarted = registerTaskTimers(new Scheduler({ store: timerStore, clock }), app().get(TaskCommandsService));
    expect(await fireDue(restarted)).toBe(0);
    clock.advance(48 * HOUR);
    expect(await fireDue(restarted)).toBe(0);
    expect((await store().readAll()).length).toBe(before);
  });
});
