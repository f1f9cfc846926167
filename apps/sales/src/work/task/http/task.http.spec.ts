import { newId } from '@crm/contracts';
import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../../test/sales-app.fixture';

const HOUR = 3_600_000;

describe('tasks HTTP API', () => {
  const { store, send, clock, timerStore } = useSalesApp();

  const eventsOf = (id: string) => store().readStream(`task-${id}`);
  const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);
  const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
  const timer = (taskId: string, which: 'reminder' | 'due', tenantId = 'default') => timerStore.get({ tenantId, id: `task-${taskId}:${which}` });
  const proposal = () => ({ title: 'Send the proposal', dueAt: inHours(48), remindAt: inHours(47) });
  const create = async (body: object = proposal(), headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/tasks', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const nothingAppended = async (act: () => Promise<unknown>) => {
    const before = (await store().readAll()).length;
    await act();
    expect((await store().readAll()).length).toBe(before);
  };

  describe('POST /v1/tasks', () => {
    it('creates an open task for the actor: 201, Location, ETag, TaskCreated, and arms its reminder and due timers', async () => {
      const body = { ...proposal(), description: 'Pilot for 50 seats' };
      const res = await send('POST', '/v1/tasks', body, { 'x-actor-id': 'rep-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, status: 'open', revision: 0 });
      expect(res.headers.location).toBe(`/v1/tasks/${id}`);
      expect(res.headers.etag).toBe('"0"');
      expect(await eventsOf(id)).toMatchObject([{
        type: 'sales.TaskCreated',
        data: { taskId: id, title: 'Send the proposal', description: 'Pilot for 50 seats', assigneeId: 'rep-1', dueAt: body.dueAt, remindAt: body.remindAt, origin: { kind: 'manual' }, createdBy: 'rep-1' },
        metadata: { actor: 'rep-1' },
      }]);
      expect(await timer(id, 'reminder')).toMatchObject({ kind: 'sales.TaskReminder', status: 'pending', dueAt: new Date(body.remindAt), payload: { taskId: id, remindAt: body.remindAt } });
      expect(await timer(id, 'due')).toMatchObject({ kind: 'sales.TaskDue', status: 'pending', dueAt: new Date(body.dueAt), payload: { taskId: id, dueAt: body.dueAt } });
    });

    it('assigns to someone else, about an opportunity, without a reminder (no reminder timer)', async () => {
      const opportunityId = newId();
      await store().appendToStream(`opportunity-${opportunityId}`, [{ type: 'sales.OpportunityCreated', data: { opportunityId }, metadata: { tenantId: 'default', correlationId: 'seed' } }]);
      const id = await create({ title: 'Call back', assigneeId: 'rep-2', about: { opportunityId }, dueAt: '2026-11-03T10:00:00+08:00' }, { 'x-actor-id': 'manager-1' });
      expect((await eventsOf(id))[0].data).toMatchObject({ assigneeId: 'rep-2', about: { opportunityId }, dueAt: '2026-11-03T02:00:00.000Z', createdBy: 'manager-1' });
      expect((await eventsOf(id))[0].data).not.toHaveProperty('remindAt');
      expect(await timer(id, 'reminder')).toBeUndefined();
    });

    it('answers a retry with the same Idempotency-Key with the same task and appends nothing', async () => {
      const body = proposal();
      const first = await send('POST', '/v1/tasks', body, { 'idempotency-key': 'task-create-1' });
      const again = await send('POST', '/v1/tasks', body, { 'idempotency-key': 'task-create-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(first.json<{ id: string }>().id)).toHaveLength(1);
    });

    it.each([
      ['a missing title', { dueAt: '2026-11-05T10:00:00Z' }],
      ['a missing due time', { title: 'x' }],
      ['a due time that is not ISO 8601', { title: 'x', dueAt: 'tomorrow' }],
      ['about naming nothing', { title: 'x', dueAt: '2026-11-05T10:00:00Z', about: {} }],
      ['an empty assignee', { title: 'x', dueAt: '2026-11-05T10:00:00Z', assigneeId: '' }],
      ['an unknown field', { title: 'x', dueAt: '2026-11-05T10:00:00Z', priority: 'high' }],
    ])('rejects %s with 400 and appends nothing', async (_, body) =>
      nothingAppended(async () => expectProblem(await send('POST', '/v1/tasks', body), 400, 'validation_failed')));

    it('refuses a reminder after the due time, and an unknown subject, with 422', async () => {
      await nothingAppended(async () => expectProblem(await send('POST', '/v1/tasks', { title: 'x', dueAt: inHours(2), remindAt: inHours(3) }), 422, 'invalid_reminder'));
      await nothingAppended(async () => expectProblem(await send('POST', '/v1/tasks', { title: 'x', dueAt: inHours(2), about: { accountId: newId() } }), 422, 'subject_not_found'));
    });
  });

  describe('GET /v1/tasks/{id}', () => {
    it('serves the task with its ETag', async () => {
      const body = proposal();
      const id = await create(body, { 'x-actor-id': 'rep-1' });
      await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-3' });
      const res = await send('GET', `/v1/tasks/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toEqual({
        id, status: 'open', revision: 1, title: 'Send the proposal', assigneeId: 'rep-3', dueAt: body.dueAt, remindAt: body.remindAt,
        reminded: false, overdue: false, origin: { kind: 'manual' }, createdBy: 'rep-1', createdAt: clock.now().toISOString(),
      });
    });

    it('is 404 for an unknown task and for another tenant’s, 400 for an id that is not a UUID', async () => {
      expectProblem(await send('GET', `/v1/tasks/${newId()}`), 404, 'task_not_found');
      const id = await create(proposal(), { 'x-tenant-id': 'acme' });
      expectProblem(await send('GET', `/v1/tasks/${id}`, undefined, { 'x-tenant-id': 'globex' }), 404, 'task_not_found');
      expectProblem(await send('GET', '/v1/tasks/todo-1'), 400, 'validation_failed');
    });
  });

  describe('POST /v1/tasks/{id}/reschedule', () => {
    it('moves the due time and the reminder, and the timers with them; a stale If-Match is 409 and appends nothing', async () => {
      const id = await create();
      const dueAt = inHours(72);
      const remindAt = inHours(70);
      const res = await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt, remindAt }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, status: 'open', revision: 1 });
      expect(res.headers.etag).toBe('"1"');
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.TaskRescheduled', data: { dueAt, remindAt } });
      expect(await timer(id, 'due')).toMatchObject({ dueAt: new Date(dueAt), payload: { dueAt }, generation: 2 });
      expect(await timer(id, 'reminder')).toMatchObject({ dueAt: new Date(remindAt), payload: { remindAt }, generation: 2 });
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: inHours(96) }, { 'if-match': '"0"' }), 409, 'concurrency_conflict'));
    });

    it('keeps the reminder’s lead time when none is given; null drops it and cancels its timer', async () => {
      const id = await create({ title: 'x', dueAt: inHours(10), remindAt: inHours(8) });
      await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: inHours(20) });
      expect((await eventsOf(id))[1].data).toMatchObject({ dueAt: inHours(20), remindAt: inHours(18) });
      await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: inHours(20), remindAt: null });
      expect((await eventsOf(id))[2].data).toMatchObject({ remindAt: null });
      expect(await timer(id, 'reminder')).toMatchObject({ status: 'cancelled' });
      expect(await timer(id, 'due')).toMatchObject({ status: 'pending', dueAt: new Date(inHours(20)) });
    });

    it('a retry with the same Idempotency-Key appends nothing new; the same times again append nothing', async () => {
      const id = await create();
      const body = { dueAt: inHours(100) };
      const first = await send('POST', `/v1/tasks/${id}/reschedule`, body, { 'idempotency-key': 'resched-1' });
      const again = await send('POST', `/v1/tasks/${id}/reschedule`, body, { 'idempotency-key': 'resched-1' });
      expect(again.json()).toEqual(first.json());
      expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskRescheduled']);
      await nothingAppended(async () => expect((await send('POST', `/v1/tasks/${id}/reschedule`, body)).statusCode).toBe(200));
    });

    it('is 400 for bad input (nothing appended), 404 for an unknown task, 422 for a reminder after the due time or a closed task', async () => {
      const id = await create();
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reschedule`, { remindAt: inHours(1) }), 400, 'validation_failed'));
      expectProblem(await send('POST', `/v1/tasks/${newId()}/reschedule`, { dueAt: inHours(1) }), 404, 'task_not_found');
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: inHours(5), remindAt: inHours(6) }), 422, 'invalid_reminder'));
      await send('POST', `/v1/tasks/${id}/complete`, {});
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reschedule`, { dueAt: inHours(5) }), 422, 'task_closed'));
    });
  });

  describe('POST /v1/tasks/{id}/reassign', () => {
    it('hands the task over (the timers stay); a stale If-Match is 409', async () => {
      const id = await create({ ...proposal(), assigneeId: 'rep-1' });
      const res = await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-2' }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.TaskReassigned', data: { from: 'rep-1', to: 'rep-2' } });
      expect(await timer(id, 'reminder')).toMatchObject({ status: 'pending', generation: 1 });
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-3' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict'));
    });

    it('a retry with the same Idempotency-Key appends nothing new', async () => {
      const id = await create();
      await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-2' }, { 'idempotency-key': 'reassign-1' });
      await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-2' }, { 'idempotency-key': 'reassign-1' });
      expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReassigned']);
    });

    it('is 400 without an assignee, 404 for an unknown task, 422 for a cancelled task', async () => {
      const id = await create();
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reassign`, {}), 400, 'validation_failed'));
      expectProblem(await send('POST', `/v1/tasks/${newId()}/reassign`, { assigneeId: 'rep-2' }), 404, 'task_not_found');
      await send('POST', `/v1/tasks/${id}/cancel`, {});
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-2' }), 422, 'task_closed'));
    });
  });

  describe('POST /v1/tasks/{id}/complete', () => {
    it('completes the task by the actor and cancels its timers; completing twice is a no-op', async () => {
      const id = await create();
      const res = await send('POST', `/v1/tasks/${id}/complete`, { note: 'Sent by e-mail' }, { 'x-actor-id': 'rep-1', 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, status: 'completed', revision: 1 });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.TaskCompleted', data: { completedBy: 'rep-1', note: 'Sent by e-mail' } });
      expect(await timer(id, 'reminder')).toMatchObject({ status: 'cancelled' });
      expect(await timer(id, 'due')).toMatchObject({ status: 'cancelled' });
      await nothingAppended(async () => expect((await send('POST', `/v1/tasks/${id}/complete`)).json()).toEqual({ id, status: 'completed', revision: 1 }));
    });

    it('a stale If-Match is 409; a retry with the same Idempotency-Key appends nothing new', async () => {
      const id = await create();
      await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-9' });
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/complete`, {}, { 'if-match': '"0"' }), 409, 'concurrency_conflict'));
      const first = await send('POST', `/v1/tasks/${id}/complete`, {}, { 'idempotency-key': 'done-1' });
      const again = await send('POST', `/v1/tasks/${id}/complete`, {}, { 'idempotency-key': 'done-1' });
      expect(again.json()).toEqual(first.json());
      expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReassigned', 'sales.TaskCompleted']);
    });

    it('is 400 for a bad note, 404 for an unknown task, 422 for a cancelled task', async () => {
      const id = await create();
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/complete`, { note: 42 }), 400, 'validation_failed'));
      expectProblem(await send('POST', `/v1/tasks/${newId()}/complete`, {}), 404, 'task_not_found');
      await send('POST', `/v1/tasks/${id}/cancel`, {});
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/complete`, {}), 422, 'task_closed'));
    });
  });

  describe('POST /v1/tasks/{id}/cancel', () => {
    it('cancels the task with a reason and cancels its timers; cancelling twice is a no-op', async () => {
      const id = await create();
      const res = await send('POST', `/v1/tasks/${id}/cancel`, { reason: 'Deal lost' }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, status: 'cancelled', revision: 1 });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.TaskCancelled', data: { reason: 'Deal lost' } });
      expect(await timer(id, 'due')).toMatchObject({ status: 'cancelled' });
      await nothingAppended(async () => expect((await send('POST', `/v1/tasks/${id}/cancel`)).statusCode).toBe(200));
    });

    it('a stale If-Match is 409; a retry with the same Idempotency-Key appends nothing new', async () => {
      const id = await create();
      await send('POST', `/v1/tasks/${id}/reassign`, { assigneeId: 'rep-9' });
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/cancel`, {}, { 'if-match': '"0"' }), 409, 'concurrency_conflict'));
      await send('POST', `/v1/tasks/${id}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
      await send('POST', `/v1/tasks/${id}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
      expect(await typesOf(id)).toEqual(['sales.TaskCreated', 'sales.TaskReassigned', 'sales.TaskCancelled']);
    });

    it('is 400 for an unknown field, 404 for an unknown task, 422 for a completed task', async () => {
      const id = await create();
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/cancel`, { why: 'x' }), 400, 'validation_failed'));
      expectProblem(await send('POST', `/v1/tasks/${newId()}/cancel`, {}), 404, 'task_not_found');
      await send('POST', `/v1/tasks/${id}/complete`, {});
      await nothingAppended(async () => expectProblem(await send('POST', `/v1/tasks/${id}/cancel`, {}), 422, 'task_closed'));
    });
  });
});
