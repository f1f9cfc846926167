import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '@crm/domain';
import { timerIdempotencyKey, type ClaimedTimer, type TimerStore } from './scheduler.port';

export type TimerHandlerContext = {
  /** `timerIdempotencyKey(timer)`: pass it as the `idempotencyKey` of every command the handler issues. */
  idempotencyKey: string;
  /** Aborted when the handler should give up: `handlerTimeoutMs` passed, or `stop()` ran out of patience. */
  signal: AbortSignal;
};

/**
 * Reacts to a due timer, typically by issuing one command to its own service.
 *
 * Delivery is at-least-once: a handler may run again for the same firing (its runner crashed
 * or lost its lease before recording the success, or the success could not be recorded), and,
 * when a handler outlives its lease, two runs may even overlap. So a handler MUST be
 * idempotent: issue commands with `context.idempotencyKey` (derived from the timer's tenant, id
 * and generation, identical on every attempt of one firing) as their Idempotency-Key, and let
 * the decider refuse what no longer applies (the lead was followed up meanwhile: nothing to do,
 * which is a success, not an error). The timer itself is completed once: after a recorded
 * success it never fires again. Throwing means "retry later"; after `maxAttempts` the timer is
 * dead-lettered (status `dead`, with the last error).
 *
 * Validate `timer.payload` (e.g. with the zod schema of the scheduling context): it is stored
 * JSON and may have been written by an older release.
 */
export type TimerHandler = (timer: ClaimedTimer, context: TimerHandlerContext) => Promise<void>;

export type RetryBackoff = { initialMs: number; maxMs: number };

/** What went wrong, for logs and metrics. Correctness never depends on this hook. */
export type SchedulerIncident =
  | { type: 'handler_failed'; timer: ClaimedTimer; error: string; retryAt: Date }
  | { type: 'dead_lettered'; timer: ClaimedTimer; error: string }
  /** complete/release/dead-letter was refused: the lease expired and another runner took it, or the timer was moved or cancelled. */
  | { type: 'claim_lost'; timer: ClaimedTimer }
  | { type: 'store_failed'; operation: 'claim' | 'complete' | 'release' | 'dead_letter'; error: string; timer?: ClaimedTimer }
  | { type: 'stop_timed_out'; inFlight: number };

export type SchedulerOptions = {
  store: TimerStore;
  /** Defaults to the system clock; tests pass a `ManualClock`. */
  clock?: Clock;
  /** This runner's lease owner name; unique per process by default (host/pid/random). */
  owner?: string;
  /** Claim due timers this often (ms, default 1 000); `wake()` claims at once. */
  pollMs?: number;
  /** Handlers running at once (default 8); a poll claims at most the free slots. */
  concurrency?: number;
  /** How long a claim is exclusive (ms of the clock, default 5 minutes). Keep it well above the slowest handler. */
  leaseMs?: number;
  /** Abort the handler's signal after this long (real ms, default 80% of `leaseMs`). */
  handlerTimeoutMs?: number;
  /** Attempts per firing before the timer is dead-lettered (default 10). A crashed attempt counts. */
  maxAttempts?: number;
  /** Back-off after a failed attempt: `initialMs` doubled per failure, capped at `maxMs` (default 1 s … 1 h). */
  retry?: RetryBackoff;
  /** How long `stop()` waits for running handlers (real ms, default 30 000). Their leases expire afterwards. */
  stopTimeoutMs?: number;
  /** Defaults to `console.warn`. */
  onIncident?: (incident: SchedulerIncident) => void;
};

/** Consecutive polls without a pause while every poll fills all free slots (a backlog). */
const MAX_BACK_TO_BACK_POLLS = 20;

export const retryDelayMs = (backoff: RetryBackoff, failedAttempt: number): number =>
  Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, Math.min(failedAttempt - 1, 40)));

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`scheduler: ${name} must be a positive number, got ${value}`);
  return value;
};

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`scheduler: ${name} must be a positive integer, got ${value}`);
  return value;
};

const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The runner of durable timers: polls the store for due timers, leases them, and calls the
 * handler registered for each timer's kind. On success the timer is completed (fired once,
 * never again); on failure it is released with exponential back-off and dead-lettered after
 * `maxAttempts`. Any number of runners (pods) may share one store: a lease makes each due timer
 * handled by one runner at a time, and the lease of a crashed runner expires so that another
 * one picks the timer up. See `TimerHandler` for the idempotency every handler owes.
 *
 * ```ts
 * const scheduler = new Scheduler({ store, clock });
 * scheduler.on('leads.ReturnLeadToPool', returnLeadToPool);
 * scheduler.start();          // on application bootstrap
 * await scheduler.stop();     // on shutdown: waits for running handlers
 * ```
 */
export class Scheduler {
  readonly owner: string;
  private readonly store: TimerStore;
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly handlerTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retry: RetryBackoff;
  private readonly stopTimeoutMs: number;
  private readonly onIncident: (incident: SchedulerIncident) => void;
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopAll = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.pollMs = positive('pollMs', options.pollMs ?? 1_000);
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 8);
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 5 * 60_000);
    this.handlerTimeoutMs = positive('handlerTimeoutMs', options.handlerTimeoutMs ?? Math.floor(this.leaseMs * 0.8));
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 10);
    this.retry = options.retry ?? { initialMs: 1_000, maxMs: 60 * 60_000 };
    positive('retry.initialMs', this.retry.initialMs);
    positive('retry.maxMs', this.retry.maxMs);
    this.stopTimeoutMs = positive('stopTimeoutMs', options.stopTimeoutMs ?? 30_000);
    this.onIncident = options.onIncident ?? ((incident) => console.warn('scheduler incident', JSON.stringify(incident)));
  }

  /** Registers the handler of one timer kind. A runner only claims the kinds it has handlers for. */
  on(kind: string, handler: TimerHandler): this {
    if (this.handlers.has(kind)) throw new Error(`scheduler: a handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
    this.wake();
    return this;
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  /** Starts polling in the background. Idempotent. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.stopAll = new AbortController();
    this.loop = this.run();
  }

  /** Polls now instead of at the end of the current interval (e.g. after scheduling a timer that is due soon). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Stops polling and waits for the running handlers, at most `stopTimeoutMs`; then aborts their
   * signal and returns (their leases expire and another runner retries them).
   */
  async stop(): Promise<void> {
    if (this.loop === undefined) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    if (this.inFlight.size > 0) {
      const settled = Promise.allSettled([...this.inFlight.values()]).then(() => true);
      const finished = await Promise.race([settled, delay(this.stopTimeoutMs).then(() => false)]);
      if (!finished) {
        this.onIncident({ type: 'stop_timed_out', inFlight: this.inFlight.size });
        this.stopAll.abort();
      }
    }
    this.loop = undefined;
  }

  /**
   * One claim of due timers (as many as there are free slots) and their handling, awaited.
   * The background loop does the same without awaiting the handlers; this is for tests and
   * one-shot jobs. Returns how many timers were claimed.
   */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.allSettled(claimed.map((timer) => this.inFlight.get(this.slotKey(timer))));
    return claimed.length;
  }

  private async run(): Promise<void> {
    let backToBack = 0;
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      const claimed = free > 0 ? (await this.claim()).length : 0;
      if (this.stopping) break;
      if (free > 0 && claimed === free && backToBack < MAX_BACK_TO_BACK_POLLS) {
        backToBack++;
        continue; // a backlog: claim the next batch as soon as slots free up
      }
      backToBack = 0;
      await this.idle(this.pollMs);
    }
  }

  /** Claims due timers into the free slots and starts their handlers. */
  private async claim(): Promise<ClaimedTimer[]> {
    const free = this.concurrency - this.inFlight.size;
    const kinds = [...this.handlers.keys()];
    if (free <= 0 || kinds.length === 0) return [];
    let claimed: ClaimedTimer[];
    try {
      claimed = await this.store.claimDue(this.clock.now(), free, this.leaseMs, this.owner, kinds);
    } catch (error) {
      this.onIncident({ type: 'store_failed', operation: 'claim', error: errorText(error) });
      return [];
    }
    const started: ClaimedTimer[] = [];
    for (const timer of claimed) {
      const key = this.slotKey(timer);
      // Our own earlier claim of this timer is still running (it outlived its lease): that run
      // finishes the timer; the new claim is superseded and simply expires.
      if (this.inFlight.has(key)) continue;
      const run = this.handle(timer).finally(() => {
        this.inFlight.delete(key);
        this.wakeUp?.(); // a slot is free
      });
      this.inFlight.set(key, run);
      started.push(timer);
    }
    return started;
  }

  private async handle(timer: ClaimedTimer): Promise<void> {
    if (timer.attempt > this.maxAttempts) {
      // Earlier attempts never reported back (crashed runner, or handler slower than the lease).
      const error = `gave up after ${this.maxAttempts} attempts; last error: ${timer.lastError ?? 'none recorded (runner crashed or lost its lease)'}`;
      if (await this.finish(timer, 'dead_letter', () => this.store.deadLetter(timer, error))) {
        this.onIncident({ type: 'dead_lettered', timer, error });
      }
      return;
    }
    const handler = this.handlers.get(timer.kind);
    try {
      if (handler === undefined) throw new Error(`no handler registered for ${timer.kind}`);
      const signal = AbortSignal.any([this.stopAll.signal, AbortSignal.timeout(this.handlerTimeoutMs)]);
      await handler(timer, { idempotencyKey: timerIdempotencyKey(timer), signal });
    } catch (e) {
      const error = errorText(e);
      if (timer.attempt >= this.maxAttempts) {
        if (await this.finish(timer, 'dead_letter', () => this.store.deadLetter(timer, error))) {
          this.onIncident({ type: 'dead_lettered', timer, error });
        }
        return;
      }
      const retryAt = new Date(this.clock.now().getTime() + retryDelayMs(this.retry, timer.attempt));
      if (await this.finish(timer, 'release', () => this.store.release(timer, retryAt, error))) {
        this.onIncident({ type: 'handler_failed', timer, error, retryAt });
      }
      return;
    }
    await this.finish(timer, 'complete', () => this.store.complete(timer));
  }

  /** Records the outcome of an attempt; reports a refused claim or a failing store. */
  private async finish(timer: ClaimedTimer, operation: 'complete' | 'release' | 'dead_letter', write: () => Promise<boolean>): Promise<boolean> {
    try {
      if (await write()) return true;
      // A handler may re-arm its own timer (schedule with `replace`, e.g. "not yet: check again
      // at the real deadline"): the new generation stands and nothing was lost.
      const current = await this.store.get(timer);
      if (current !== undefined && current.generation > timer.generation) return false;
      this.onIncident({ type: 'claim_lost', timer });
    } catch (error) {
      // Not recorded: the lease expires and the timer is attempted again (at-least-once).
      this.onIncident({ type: 'store_failed', operation, error: errorText(error), timer });
    }
    return false;
  }

  /** Waits `ms`, or less when woken (a timer was scheduled, a slot freed, `stop()`). */
  private async idle(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        resolve();
      };
      const timeout = setTimeout(done, ms);
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
    this.wakeRequested = false;
  }

  private slotKey(timer: ClaimedTimer): string {
    return JSON.stringify([timer.tenantId, timer.id, timer.generation]);
  }
}
