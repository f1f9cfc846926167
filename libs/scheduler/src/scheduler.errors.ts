import type { Timer, TimerKey } from './scheduler.port';

export type SchedulerErrorCode = 'timer_conflict' | 'invalid_timer';

/** One error class for the scheduler; `code` says which rule failed. */
export class SchedulerError extends Error {
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
    readonly key?: TimerKey,
  ) {
    super(message);
    this.name = 'SchedulerError';
  }
}

/** A timer with this key exists with other content, and `replace` was not asked for. */
export const timerConflict = (key: TimerKey): SchedulerError =>
  new SchedulerError('timer_conflict', `timer ${key.id} of tenant ${key.tenantId} already exists with different content (pass { replace: true } to move it)`, key);

/** Checks what every adapter must refuse before storing a timer. */
export const assertValidTimer = (timer: Timer): void => {
  const fail = (why: string) => new SchedulerError('invalid_timer', `invalid timer ${JSON.stringify(timer.id)}: ${why}`, timer);
  if (typeof timer.tenantId !== 'string' || timer.tenantId.length === 0) throw fail('tenantId is required');
  if (typeof timer.id !== 'string' || timer.id.length === 0) throw fail('id is required');
  if (typeof timer.kind !== 'string' || timer.kind.length === 0) throw fail('kind is required');
  if (!(timer.dueAt instanceof Date) || Number.isNaN(timer.dueAt.getTime())) throw fail('dueAt must be a valid Date');
  if (timer.payload === undefined) throw fail('payload is required (use null for none)');
};
