/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged: what a timer may carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Timers are keyed per tenant: two tenants may use the same timer id (ids are usually derived
 * from tenant-scoped business keys, e.g. `invoice-INV-001:overdue`) without touching each other.
 */
export type TimerKey = { tenantId: string; id: string };

/** What a context asks for: "call the `kind` handler with `payload` at `dueAt`". */
export type Timer = TimerKey & {
  /** `<context>.<Purpose>`, e.g. `leads.ReturnLeadToPool`; selects the handler. */
  kind: string;
  dueAt: Date;
  payload: JsonValue;
  correlationId?: string;
};

/**
 * - `pending`: waiting for its due time, or leased to a runner that is handling it;
 * - `fired`: its handler succeeded; it never fires again (unless re-armed with `replace`);
 * - `dead`: dead-lettered after too many failed attempts; needs an operator (or `replace`);
 * - `cancelled`: cancelled before it fired.
 */
export type TimerStatus = 'pending' | 'fired' | 'dead' | 'cancelled';

/** A stored timer, as `get` returns it. */
export type TimerRecord = Timer & {
  status: TimerStatus;
  /** Claims so far (a claim whose runner crashed counts too: that is what stops poison timers). */
  attempts: number;
  /**
   * 1 when first scheduled, +1 each time `schedule(…, { replace: true })` changes or re-arms it.
   * Part of the idempotency key of the commands a handler issues (`timerIdempotencyKey`).
   */
  generation: number;
  lastError?: string;
};

/**
 * A timer leased to one runner. `owner` + `generation` + `attempt` are the fencing token: only
 * this claim can complete, release or dead-letter it; once the lease expired and someone else
 * claimed it (which increments `attempt`), or the timer was moved or re-armed (which increments
 * `generation`), this claim's calls are refused.
 */
export type ClaimedTimer = Timer & {
  generation: number;
  /** 1 for the first claim of this generation. */
  attempt: number;
  owner: string;
  leaseExpiresAt: Date;
  /** The error of the previous attempt, if it failed. */
  lastError?: string;
};

/** The fencing token of a claim: a `ClaimedTimer` is one. */
export type TimerClaim = Pick<ClaimedTimer, 'tenantId' | 'id' | 'owner' | 'generation' | 'attempt'>;

export type ScheduleOptions = {
  /**
   * When a timer with this key exists and differs: move it (new due time, payload, kind) and
   * re-arm it if it had already fired, was dead-lettered or cancelled. Without `replace`, a
   * differing timer is refused with `TimerConflictError`; an identical one is left unchanged.
   */
  replace?: boolean;
};

export type ScheduleResult = 'scheduled' | 'unchanged' | 'rescheduled';

/**
 * Durable timers. Every adapter passes `timer-store.contract.ts`.
 *
 * Times are the caller's (`now` comes from the runner's injected `Clock`), so a fake clock
 * drives every adapter the same way; runners of one store must have roughly synchronized
 * clocks (NTP), since a skew of S ms shortens or lengthens their leases by S ms.
 */
export type TimerStore = {
  /**
   * Idempotent by key. A new key is stored as `pending`. An existing key with the same kind,
   * due time, payload and correlation id is left unchanged (whatever its status: a fired timer
   * is not re-armed by a retried schedule). Otherwise see `ScheduleOptions.replace`.
   * Re-arming or moving a leased timer voids the lease: the running claim can no longer complete it.
   */
  schedule(timer: Timer, options?: ScheduleOptions): Promise<ScheduleResult>;
  /** Cancels a pending timer of this tenant; true when it was pending. Other tenants' timers are untouched. */
  cancel(key: TimerKey): Promise<boolean>;
  /** The stored timer of this tenant, if any. */
  get(key: TimerKey): Promise<TimerRecord | undefined>;
  /**
   * Leases to `owner`, for `leaseMs`, up to `limit` pending timers that are due (`dueAt` ≤ `now`,
   * or their retry time has come) and not leased (or whose lease expired), oldest due first.
   * Concurrent claimers never receive the same timer while its lease runs. `kinds`, when given,
   * restricts the claim to timers this runner has handlers for.
   */
  claimDue(now: Date, limit: number, leaseMs: number, owner: string, kinds?: readonly string[]): Promise<ClaimedTimer[]>;
  /** Marks the claimed timer fired. False (and nothing changes) when the claim is no longer current. */
  complete(claim: TimerClaim): Promise<boolean>;
  /** Gives the timer back after a failed attempt, claimable again from `retryAt`. False when the claim is no longer current. */
  release(claim: TimerClaim, retryAt: Date, error?: string): Promise<boolean>;
  /** Marks the timer `dead`: it is not claimed again. False when the claim is no longer current. */
  deadLetter(claim: TimerClaim, error: string): Promise<boolean>;
  close(): Promise<void>;
};

/**
 * The idempotency key for the commands a timer handler issues: the same for every attempt of
 * one firing (so a retried or duplicated firing appends nothing new), different when the timer
 * is re-armed or moved (so the new firing is not mistaken for the old one).
 */
export const timerIdempotencyKey = (timer: Pick<ClaimedTimer, 'tenantId' | 'id' | 'generation'>): string =>
  `timer:${timer.tenantId}:${timer.id}:${timer.generation}`;
