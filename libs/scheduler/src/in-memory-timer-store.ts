import { canonicalJson, cloneJson } from './canonical-json';
import { assertValidTimer, timerConflict } from './scheduler.errors';
import type {
  ClaimedTimer,
  ScheduleOptions,
  ScheduleResult,
  Timer,
  TimerClaim,
  TimerKey,
  TimerRecord,
  TimerStatus,
  TimerStore,
} from './scheduler.port';

type Row = {
  timer: Timer;
  payloadJson: string;
  status: TimerStatus;
  attempts: number;
  generation: number;
  /** When it may be claimed next: the due time, a retry time, or the end of its lease. */
  nextAt: number;
  leaseOwner?: string;
  lastError?: string;
};

/**
 * The storage behind in-memory stores. Pass the same table to a new `InMemoryTimerStore` to
 * simulate a process restart over one database.
 */
export type InMemoryTimerTable = Map<string, Row>;

export const createInMemoryTimerTable = (): InMemoryTimerTable => new Map();

const keyOf = (key: TimerKey): string => JSON.stringify([key.tenantId, key.id]);

const copyTimer = (t: Timer): Timer => ({
  tenantId: t.tenantId,
  id: t.id,
  kind: t.kind,
  dueAt: new Date(t.dueAt.getTime()),
  payload: cloneJson(t.payload),
  ...(t.correlationId !== undefined ? { correlationId: t.correlationId } : {}),
});

/** For fast tests of services and of the runner. Single process; same semantics as the PostgreSQL store. */
export class InMemoryTimerStore implements TimerStore {
  constructor(private readonly rows: InMemoryTimerTable = createInMemoryTimerTable()) {}

  async schedule(timer: Timer, options: ScheduleOptions = {}): Promise<ScheduleResult> {
    assertValidTimer(timer);
    const key = keyOf(timer);
    const payloadJson = canonicalJson(timer.payload);
    const existing = this.rows.get(key);
    if (existing === undefined) {
      this.rows.set(key, { timer: copyTimer(timer), payloadJson, status: 'pending', attempts: 0, generation: 1, nextAt: timer.dueAt.getTime() });
      return 'scheduled';
    }
    const same =
      existing.timer.kind === timer.kind &&
      existing.timer.dueAt.getTime() === timer.dueAt.getTime() &&
      existing.payloadJson === payloadJson &&
      existing.timer.correlationId === timer.correlationId;
    if (same) return 'unchanged';
    if (!options.replace) throw timerConflict(timer);
    this.rows.set(key, {
      timer: copyTimer(timer),
      payloadJson,
      status: 'pending',
      attempts: 0,
      generation: existing.generation + 1,
      nextAt: timer.dueAt.getTime(),
    });
    return 'rescheduled';
  }

  async cancel(key: TimerKey): Promise<boolean> {
    const row = this.rows.get(keyOf(key));
    if (row === undefined || row.status !== 'pending') return false;
    row.status = 'cancelled';
    row.leaseOwner = undefined;
    return true;
  }

  async get(key: TimerKey): Promise<TimerRecord | undefined> {
    const row = this.rows.get(keyOf(key));
    if (row === undefined) return undefined;
    return {
      ...copyTimer(row.timer),
      status: row.status,
      attempts: row.attempts,
      generation: row.generation,
      ...(row.lastError !== undefined ? { lastError: row.lastError } : {}),
    };
  }

  async claimDue(now: Date, limit: number, leaseMs: number, owner: string, kinds?: readonly string[]): Promise<ClaimedTimer[]> {
    const at = now.getTime();
    const due = [...this.rows.values()]
      .filter((r) => r.status === 'pending' && r.nextAt <= at && (kinds === undefined || kinds.includes(r.timer.kind)))
      .sort((a, b) => a.nextAt - b.nextAt)
      .slice(0, Math.max(0, limit));
    return due.map((row) => {
      row.attempts += 1;
      row.leaseOwner = owner;
      row.nextAt = at + leaseMs;
      return {
        ...copyTimer(row.timer),
        generation: row.generation,
        attempt: row.attempts,
        owner,
        leaseExpiresAt: new Date(row.nextAt),
        ...(row.lastError !== undefined ? { lastError: row.lastError } : {}),
      };
    });
  }

  async complete(claim: TimerClaim): Promise<boolean> {
    return this.finish(claim, (row) => {
      row.status = 'fired';
    });
  }

  async release(claim: TimerClaim, retryAt: Date, error?: string): Promise<boolean> {
    return this.finish(claim, (row) => {
      row.nextAt = retryAt.getTime();
      if (error !== undefined) row.lastError = error;
    });
  }

  async deadLetter(claim: TimerClaim, error: string): Promise<boolean> {
    return this.finish(claim, (row) => {
      row.status = 'dead';
      row.lastError = error;
    });
  }

  async close(): Promise<void> {}

  /** Applies `change` when `claim` is still the current lease of a pending timer, and ends the lease. */
  private finish(claim: TimerClaim, change: (row: Row) => void): boolean {
    const row = this.rows.get(keyOf(claim));
    if (row === undefined || row.status !== 'pending' || row.leaseOwner !== claim.owner || row.generation !== claim.generation || row.attempts !== claim.attempt) return false;
    row.leaseOwner = undefined;
    change(row);
    return true;
  }
}
