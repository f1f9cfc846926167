import { eventSchemas, SalesWorkEventType, type TaskEvent } from '@crm/contracts';
import { DeciderSpecification, fold } from '@crm/domain';
import fc from 'fast-check';
import type { CreateTask } from './task.commands';
import { taskDecider, type ExistingTask } from './task.decider';

const given = DeciderSpecification.for(taskDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const taskId = '0190eeee-0000-7000-8000-000000000001';
const due = '2026-11-05T10:00:00.000Z';
const remind = '2026-11-05T09:00:00.000Z';
const manual = { kind: 'manual' as const };

const create = (over: Partial<CreateTask['data']> = {}): CreateTask => ({
  type: 'CreateTask',
  data: { taskId, title: 'Send the proposal', assigneeId: 'rep-1', dueAt: new Date(due), remindAt: new Date(remind), origin: manual, createdBy: 'rep-1', now, ...over },
});
const created: TaskEvent = {
  type: SalesWorkEventType.TaskCreated,
  data: { taskId, title: 'Send the proposal', assigneeId: 'rep-1', dueAt: due, remindAt: remind, origin: manual, createdBy: 'rep-1', createdAt: at },
};
const rescheduled = (dueAt: string, remindAt: string | null): TaskEvent => ({ type: SalesWorkEventType.TaskRescheduled, data: { taskId, dueAt, remindAt, rescheduledAt: at } });
const reassigned: TaskEvent = { type: SalesWorkEventType.TaskReassigned, data: { taskId, from: 'rep-1', to: 'rep-2', reassignedAt: at } };
const completed: TaskEvent = { type: SalesWorkEventType.TaskCompleted, data: { taskId, completedBy: 'rep-1', completedAt: at } };
const cancelled: TaskEvent = { type: SalesWorkEventType.TaskCancelled, data: { taskId, cancelledAt: at } };
const reminded = (assigneeId = 'rep-1', dueAt = due): TaskEvent => ({ type: SalesWorkEventType.TaskReminderDue, data: { taskId, assigneeId, title: 'Send the proposal', dueAt, remindedAt: at } });
const overdue = (dueAt = due, assigneeId = 'rep-1'): TaskEvent => ({ type: SalesWorkEventType.TaskOverdue, data: { taskId, assigneeId, dueAt, detectedAt: at } });

const reschedule = (dueAt: string, remindAt?: string | null) => ({
  type: 'RescheduleTask' as const,
  data: { taskId, dueAt: new Date(dueAt), ...(remindAt !== undefined && { remindAt: remindAt === null ? null : new Date(remindAt) }), now },
});
const reassign = (assigneeId: string) => ({ type: 'ReassignTask' as const, data: { taskId, assigneeId, now } });
const complete = (note?: string) => ({ type: 'CompleteTask' as const, data: { taskId, completedBy: 'rep-1', ...(note !== undefined && { note }), now } });
const cancel = (reason?: string) => ({ type: 'CancelTask' as const, data: { taskId, ...(reason !== undefined && { reason }), now } });
const sendReminder = (remindAt = remind) => ({ type: 'SendTaskReminder' as const, data: { taskId, remindAt, now } });
const markOverdue = (dueAt = due) => ({ type: 'MarkTaskOverdue' as const, data: { taskId, dueAt, now } });
const state = (check: (t: ExistingTask) => void) => (s: { status: string }) => {
  expect(s.status).not.toBe('none');
  check(s as ExistingTask);
};

describe('Task decider', () => {
  describe('CreateTask', () => {
    it('creates an open task with its due time and reminder', () => given([]).when(create()).then([created]));

    it('creates a task without a reminder, and one whose reminder is its due time', () => {
      const { remindAt: _r, ...noReminder } = (created as Extract<TaskEvent, { type: 'sales.TaskCreated' }>).data;
      given([]).when(create({ remindAt: undefined })).then([{ type: SalesWorkEventType.TaskCreated, data: noReminder }]);
      given([]).when(create({ remindAt: new Date(due) })).thenState(state((t) => expect(t.remindAt).toBe(due)));
    });

    it('refuses a reminder after the due time (422)', () =>
      given([]).when(create({ remindAt: new Date('2026-11-05T10:00:00.001Z') })).thenThrows('invalid_reminder', (e) => expect(e.kind).toBe('rule_violation')));

    it('records what the task is about and where it came from', () =>
      given([]).when(create({ about: { opportunityId: 'o-1' }, origin: { kind: 'stalled_deal', opportunityId: 'o-1' } })).thenState(state((t) => {
        expect(t.about).toEqual({ opportunityId: 'o-1' });
        expect(t.origin).toEqual({ kind: 'stalled_deal', opportunityId: 'o-1' });
      })));

    it('refuses a second create of the same task (409)', () => given([created]).when(create()).thenThrows('task_already_exists'));
  });

  describe('RescheduleTask', () => {
    it('moves the due time and sets a new reminder', () =>
      given([created]).when(reschedule('2026-11-09T10:00:00.000Z', '2026-11-08T10:00:00.000Z')).then([rescheduled('2026-11-09T10:00:00.000Z', '2026-11-08T10:00:00.000Z')]));

    it('keeps the reminder’s lead time when no reminder is given', () =>
      given([created]).when(reschedule('2026-11-09T10:00:00.000Z')).then([rescheduled('2026-11-09T10:00:00.000Z', '2026-11-09T09:00:00.000Z')]));

    it('keeps the lead time for any due time and reminder (property)', () => {
      const minute = 60_000;
      fc.assert(fc.property(fc.integer({ min: 0, max: 30 * 24 * 60 }), fc.integer({ min: -60 * 24 * 60, max: 60 * 24 * 60 }), (leadMinutes, shiftMinutes) => {
        const history = [{ ...created, data: { ...created.data, remindAt: new Date(Date.parse(due) - leadMinutes * minute).toISOString() } } as TaskEvent];
        const movedTo = new Date(Date.parse(due) + shiftMinutes * minute).toISOString();
        const events = taskDecider.decide(reschedule(movedTo), fold(taskDecider, history));
        const task = fold(taskDecider, [...history, ...events]) as ExistingTask;
        expect(task.dueAt).toBe(movedTo);
        expect(Date.parse(task.dueAt) - Date.parse(task.remindAt!)).toBe(leadMinutes * minute);
        expect(events).toHaveLength(shiftMinutes === 0 ? 0 : 1);
      }));
    });

    it('drops the reminder with null, and a task without one stays without', () => {
      given([created]).when(reschedule('2026-11-09T10:00:00.000Z', null)).then([rescheduled('2026-11-09T10:00:00.000Z', null)]);
      given([created, rescheduled(due, null)]).when(reschedule('2026-11-09T10:00:00.000Z')).then([rescheduled('2026-11-09T10:00:00.000Z', null)]);
      given([created, rescheduled(due, null)]).when(reschedule(due)).thenState(state((t) => expect(t.remindAt).toBeUndefined()));
    });

    it('does nothing when the times do not change', () => {
      given([created]).when(reschedule(due)).thenNothingHappened();
      given([created]).when(reschedule(due, remind)).thenNothingHappened();
    });

    it('refuses a reminder after the new due time (422)', () =>
      given([created]).when(reschedule('2026-11-04T10:00:00.000Z', remind)).thenThrows('invalid_reminder'));

    it('re-arms the overdue flag when an overdue task is given a new due time', () =>
      given([created, overdue(), rescheduled('2026-11-09T10:00:00.000Z', null)]).when(markOverdue('2026-11-09T10:00:00.000Z')).then([overdue('2026-11-09T10:00:00.000Z')]));

    it('refuses completed and cancelled tasks (422) and unknown ones (404)', () => {
      given([created, completed]).when(reschedule('2026-11-09T10:00:00.000Z')).thenThrows('task_closed');
      given([created, cancelled]).when(reschedule('2026-11-09T10:00:00.000Z')).thenThrows('task_closed');
      given([]).when(reschedule(due)).thenThrows('task_not_found', (e) => expect(e.kind).toBe('not_found'));
    });
  });

  describe('ReassignTask', () => {
    it('hands the task to another rep', () => given([created]).when(reassign('rep-2')).then([reassigned]));
    it('does nothing when the assignee does not change', () => given([created]).when(reassign('rep-1')).thenNothingHappened());
    it('refuses closed tasks and unknown ones', () => {
      given([created, completed]).when(reassign('rep-2')).thenThrows('task_closed');
      given([created, cancelled]).when(reassign('rep-2')).thenThrows('task_closed');
      given([]).when(reassign('rep-2')).thenThrows('task_not_found');
    });
  });

  describe('CompleteTask', () => {
    it('completes an open task, with an optional note', () => {
      given([created]).when(complete()).then([completed]);
      given([created, overdue()]).when(complete('Sent late')).then([{ type: SalesWorkEventType.TaskCompleted, data: { taskId, completedBy: 'rep-1', note: 'Sent late', completedAt: at } }]);
    });
    it('completing twice is a no-op', () => given([created, completed]).when(complete()).thenNothingHappened());
    it('refuses a cancelled task and an unknown one', () => {
      given([created, cancelled]).when(complete()).thenThrows('task_closed');
      given([]).when(complete()).thenThrows('task_not_found');
    });
  });

  describe('CancelTask', () => {
    it('cancels an open task, with an optional reason', () => {
      given([created]).when(cancel()).then([cancelled]);
      given([created]).when(cancel('Deal lost')).then([{ type: SalesWorkEventType.TaskCancelled, data: { taskId, reason: 'Deal lost', cancelledAt: at } }]);
    });
    it('cancelling twice is a no-op', () => given([created, cancelled]).when(cancel()).thenNothingHappened());
    it('refuses a completed task and an unknown one', () => {
      given([created, completed]).when(cancel()).thenThrows('task_closed');
      given([]).when(cancel()).thenThrows('task_not_found');
    });
  });

  describe('SendTaskReminder (the reminder timer fired)', () => {
    it('reminds the current assignee of an open task', () => {
      given([created]).when(sendReminder()).then([reminded()]);
      given([created, reassigned]).when(sendReminder()).then([reminded('rep-2')]);
    });
    it('reminds once per reminder time: a re-fired timer sends nothing', () => given([created, reminded()]).when(sendReminder()).thenNothingHappened());
    it('a new reminder time after the reminder was sent reminds again', () =>
      given([created, reminded(), rescheduled('2026-11-09T10:00:00.000Z', '2026-11-09T09:00:00.000Z')])
        .when(sendReminder('2026-11-09T09:00:00.000Z'))
        .then([reminded('rep-1', '2026-11-09T10:00:00.000Z')]));
    it('a stale timer (the reminder moved or was dropped) does nothing', () => {
      given([created, rescheduled(due, '2026-11-05T08:00:00.000Z')]).when(sendReminder()).thenNothingHappened();
      given([created, rescheduled(due, null)]).when(sendReminder()).thenNothingHappened();
    });
    it('a completed or cancelled task is not reminded', () => {
      given([created, completed]).when(sendReminder()).thenNothingHappened();
      given([created, cancelled]).when(sendReminder()).thenNothingHappened();
    });
    it('refuses an unknown task', () => given([]).when(sendReminder()).thenThrows('task_not_found'));
  });

  describe('MarkTaskOverdue (the due timer fired)', () => {
    it('flags an open task overdue for its current assignee', () => {
      given([created]).when(markOverdue()).then([overdue()]);
      given([created, reassigned]).when(markOverdue()).then([overdue(due, 'rep-2')]);
    });
    it('flags once per due time: a re-fired timer appends nothing', () => given([created, overdue()]).when(markOverdue()).thenNothingHappened());
    it('a stale timer (the due time moved) does nothing', () =>
      given([created, rescheduled('2026-11-09T10:00:00.000Z', null)]).when(markOverdue()).thenNothingHappened());
    it('a completed or cancelled task is never overdue', () => {
      given([created, completed]).when(markOverdue()).thenNothingHappened();
      given([created, cancelled]).when(markOverdue()).thenNothingHappened();
    });
    it('refuses an unknown task', () => given([]).when(markOverdue()).thenThrows('task_not_found'));
  });

  it('folds closing into the state', () => {
    given([created]).when(complete()).thenState(state((t) => expect([t.status, t.closedAt]).toEqual(['completed', at])));
    given([created]).when(cancel()).thenState(state((t) => expect([t.status, t.closedAt]).toEqual(['cancelled', at])));
  });

  it('emits only events that match their published schemas', () => {
    const samples: TaskEvent[] = [created, rescheduled(due, null), rescheduled(due, remind), reassigned, completed, cancelled, reminded(), overdue()];
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(Object.values(SalesWorkEventType).filter((t) => t !== SalesWorkEventType.ActivityLogged)));
    for (const e of samples) expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
  });
});
