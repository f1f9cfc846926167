import type { Clock } from '@crm/domain';

/** A clock that only moves when told to: for tests of anything that reads time from a `Clock`. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): Date {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be ≥ 0, got ${ms}`);
    this.current += ms;
    return this.now();
  }

  /** Moves the clock to `at`, which must not be in its past. */
  set(at: Date): Date {
    if (at.getTime() < this.current) throw new RangeError('ManualClock.set: cannot move backwards');
    this.current = at.getTime();
    return this.now();
  }
}
