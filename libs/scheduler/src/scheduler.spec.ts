import { eventually } from '@crm/testing';
import { InMemoryTimerStore } from './in-memory-timer-store';
import { ManualClock } from './manual-clock';
import { Scheduler, type SchedulerIncident, type SchedulerOptions, type TimerHandler } from './scheduler';
import { timerIdempotencyKey, type ClaimedTimer, type Timer } from './scheduler.port';

const START = new Date('2030-01-01T00:00:00.000Z');
const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;
const KIND = 'leads.ReturnLeadToPool';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Lets pending promise callbacks and timers of 0 ms run, without waiting for anything else. */
const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

describe('Scheduler', () => {
  let clock: ManualClock;
  let store: InMemoryTimerStore;
  let incidents: SchedulerIncident[];
  const running: Scheduler[] = [];

  const scheduler = (options: Partial<SchedulerOptions> = {}) => {
    const s = new Scheduler({
      store,
      clock,
      pollMs: 10,
      leaseMs: 60 * SECOND,
      retry: { initialMs: SECOND, maxMs: 10 * SECOND },
      onIncident: (i) => incidents.push(i),
      ...options,
    });
    running.push(s);
    return s;
  };

  const timer = (overrides: Partial<Timer> = {}): Timer => ({
    tenantId: 'tenant-1',
    id: 'lead-42:return-to-pool',
    kind: KIND,
    dueAt: new Date(START.getTime() + 30 * DAY),
    payload: { leadId: 'lead-42' },
    ...overrides,
  });

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new InMemoryTimerStore();
    incidents = [];
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('fires at the due time, not before, with the payload and a deterministic idempotency key, and only once', async () => {
    const calls: { timer: ClaimedTimer; key: string }[] = [];
    const s = scheduler().on(KIND, async (t, { idempotencyKey }) => {
      calls.push({ timer: t, key: idempotencyKey });
    });
    const t = timer();
    await store.schedule(t);

    expect(await s.runOnce()).toBe(0);
    clock.set(new Date(t.dueAt.getTime() - 1));
    expect(await s.runOnce()).toBe(0);
    expect(calls).toEqual([]);

    clock.advance(1);
    expect(await s.runOnce()).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0].timer).toMatchObject({ id: t.id, tenantId: 'tenant-1', payload: { leadId: 'lead-42' }, attempt: 1 });
    expect(calls[0].key).toBe(`timer:tenant-1:${t.id}:1`);
    expect(await store.get(t)).toMatchObject({ status: 'fired', attempts: 1 });

    clock.advance(365 * DAY);
    expect(await s.runOnce()).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('fires from the background loop once the clock reaches the due time', async () => {
    const fired: string[] = [];
    const s = scheduler().on(KIND, async (t) => {
      fired.push(t.id);
    });
    s.start();
    const t = timer({ dueAt: new Date(START.getTime() + 5 * SECOND) });
    await store.schedule(t);
    s.wake();
    await settle();
    expect(fired).toEqual([]);

    clock.advance(5 * SECOND);
    s.wake();
    await eventually(async () => ((await store.get(t))?.status === 'fired' ? true : undefined), 5_000, 10);
    expect(fired).toEqual([t.id]);
  });

  it('retries with exponential back-off, then dead-letters after maxAttempts', async () => {
    let calls = 0;
    const s = scheduler({ maxAttempts: 3 }).on(KIND, async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);

    expect(await s.runOnce()).toBe(1); // attempt 1 fails: retry in 1 s
    expect(incidents).toEqual([expect.objectContaining({ type: 'handler_failed', error: 'Error: boom 1', retryAt: new Date(t.dueAt.getTime() + SECOND) })]);
    clock.advance(SECOND - 1);
    expect(await s.runOnce()).toBe(0);
    clock.advance(1);
    expect(await s.runOnce()).toBe(1); // attempt 2 fails: retry in 2 s
    clock.advance(2 * SECOND - 1);
    expect(await s.runOnce()).toBe(0);
    clock.advance(1);
    expect(await s.runOnce()).toBe(1); // attempt 3 fails: dead
    expect(calls).toBe(3);
    expect(incidents.map((i) => i.type)).toEqual(['handler_failed', 'handler_failed', 'dead_lettered']);
    expect(await store.get(t)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: boom 3' });

    clock.advance(365 * DAY);
    expect(await s.runOnce()).toBe(0);
    expect(calls).toBe(3);
  });

  it('a handler that throws once then succeeds has its effect exactly once, under one idempotency key', async () => {
    const effects = new Map<string, number>(); // what an idempotent command handler would keep: one effect per key
    const keys: string[] = [];
    let calls = 0;
    const s = scheduler().on(KIND, async (_t, { idempotencyKey }) => {
      calls++;
      keys.push(idempotencyKey);
      if (!effects.has(idempotencyKey)) effects.set(idempotencyKey, calls);
      if (calls === 1) throw new Error('connection reset after the command was applied');
    });
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);

    await s.runOnce();
    clock.advance(SECOND);
    await s.runOnce();
    clock.advance(365 * DAY);
    await s.runOnce();

    expect(calls).toBe(2);
    expect(new Set(keys).size).toBe(1);
    expect(effects.size).toBe(1);
    expect(await store.get(t)).toMatchObject({ status: 'fired', attempts: 2 });
  });

  it('gives a moved timer a new idempotency key, so its firing is not mistaken for the old one', async () => {
    const keys: string[] = [];
    const s = scheduler().on(KIND, async (_t, { idempotencyKey }) => {
      keys.push(idempotencyKey);
    });
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    await s.runOnce();
    await store.schedule({ ...t, dueAt: new Date(t.dueAt.getTime() + 30 * DAY) }, { replace: true });
    clock.advance(30 * DAY);
    await s.runOnce();
    expect(keys).toEqual([`timer:tenant-1:${t.id}:1`, `timer:tenant-1:${t.id}:2`]);
    expect(keys[1]).toBe(timerIdempotencyKey({ ...t, generation: 2 }));
  });

  it('lets a handler re-arm its own timer ("not yet"): the new due time stands, no incident, it fires then', async () => {
    const fired: number[] = [];
    const t = timer();
    const later = new Date(t.dueAt.getTime() + 5 * DAY);
    const s = scheduler().on(KIND, async (claimed) => {
      fired.push(claimed.generation);
      if (claimed.generation === 1) await store.schedule({ ...t, dueAt: later }, { replace: true });
    });
    await store.schedule(t);
    clock.set(t.dueAt);
    await s.runOnce();
    expect(await store.get(t)).toMatchObject({ status: 'pending', generation: 2, dueAt: later });
    expect(incidents).toEqual([]);
    clock.set(later);
    await s.runOnce();
    expect(fired).toEqual([1, 2]);
    expect(await store.get(t)).toMatchObject({ status: 'fired', generation: 2 });
  });

  it('still reports a claim lost to another runner (lease expired and taken over)', async () => {
    const gate = deferred();
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    const slow = scheduler({ leaseMs: 10 * SECOND }).on(KIND, () => gate.promise);
    const running = slow.runOnce();
    await settle();
    clock.advance(11 * SECOND);
    const other = scheduler({ leaseMs: 10 * SECOND }).on(KIND, async () => undefined);
    await other.runOnce();
    gate.resolve();
    await running;
    expect(incidents.map((i) => i.type)).toEqual(['claim_lost']);
  });

  it('stop() waits for in-flight handlers, then polls no more', async () => {
    const gate = deferred();
    const started: string[] = [];
    const s = scheduler().on(KIND, async (t) => {
      started.push(t.id);
      await gate.promise;
    });
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    s.start();
    await eventually(() => (started.length === 1 ? true : undefined), 5_000, 5);

    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(await store.get(t)).toMatchObject({ status: 'pending' });

    gate.resolve();
    await stopping;
    expect(await store.get(t)).toMatchObject({ status: 'fired' });

    const later = timer({ id: 'lead-43:return-to-pool', dueAt: t.dueAt });
    await store.schedule(later);
    s.wake();
    await settle();
    expect(started).toEqual([t.id]);
    expect(s.running).toBe(false);
  });

  it('stop() gives up after stopTimeoutMs, aborting the handler signal; the lease then expires', async () => {
    let aborted = false;
    const started = deferred();
    const s = scheduler({ stopTimeoutMs: 50 }).on(KIND, (_t, { signal }) => {
      started.resolve();
      return new Promise<void>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
      });
    });
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    s.start();
    await started.promise;
    await s.stop();
    expect(incidents).toContainEqual({ type: 'stop_timed_out', inFlight: 1 });
    await eventually(() => (aborted ? true : undefined), 5_000, 5);
  });

  it("picks up a crashed runner's timer once its lease expires", async () => {
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    const [lost] = await store.claimDue(clock.now(), 10, 60 * SECOND, 'crashed-pod', [KIND]); // never completes
    expect(lost.id).toBe(t.id);

    const fired: number[] = [];
    const s = scheduler().on(KIND, async (timer) => {
      fired.push(timer.attempt);
    });
    clock.advance(60 * SECOND - 1);
    expect(await s.runOnce()).toBe(0);
    clock.advance(1);
    expect(await s.runOnce()).toBe(1);
    expect(fired).toEqual([2]);
    expect(await store.complete(lost)).toBe(false);
    expect(await store.get(t)).toMatchObject({ status: 'fired' });
  });

  it('dead-letters without running the handler a timer whose earlier attempts all crashed', async () => {
    const t = timer();
    await store.schedule(t);
    clock.set(t.dueAt);
    for (let i = 0; i < 2; i++) {
      await store.claimDue(clock.now(), 10, SECOND, `crashing-pod-${i}`, [KIND]);
      clock.advance(SECOND);
    }
    let calls = 0;
    const s = scheduler({ maxAttempts: 2 }).on(KIND, async () => {
      calls++;
    });
    expect(await s.runOnce()).toBe(1);
    expect(calls).toBe(0);
    expect(await store.get(t)).toMatchObject({ status: 'dead', attempts: 3 });
    expect(incidents).toEqual([expect.objectContaining({ type: 'dead_lettered', error: expect.stringMatching(/gave up after 2 attempts/) })]);
  });

  it('claims only the kinds it has handlers for', async () => {
    const s = scheduler().on(KIND, async () => undefined);
    const foreign = timer({ id: 'invoice-1:overdue', kind: 'billing.MarkInvoiceOverdue' });
    await store.schedule(foreign);
    clock.set(foreign.dueAt);
    expect(await s.runOnce()).toBe(0);
    expect(await store.get(foreign)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(() => s.on(KIND, async () => undefined)).toThrow(/already registered/);
  });

  it('several runners on one store handle each due timer exactly once, within their concurrency', async () => {
    const handled = new Map<string, number>();
    let inFlight = 0;
    let maxInFlight = 0;
    const handler: TimerHandler = async (t) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await settle(2);
      handled.set(t.id, (handled.get(t.id) ?? 0) + 1);
      inFlight--;
    };
    const runners = [1, 2, 3].map((n) => scheduler({ owner: `pod-${n}`, concurrency: 4 }).on(KIND, handler));
    const timers = Array.from({ length: 200 }, (_, i) => timer({ id: `lead-${i}:return-to-pool`, dueAt: new Date(START.getTime() + i) }));
    for (const t of timers) await store.schedule(t);
    clock.advance(DAY);
    runners.forEach((r) => r.start());
    await eventually(() => (handled.size === 200 ? true : undefined), 10_000, 10);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(12);
    expect(incidents).toEqual([]);
  });

  it('refuses nonsense options', () => {
    expect(() => new Scheduler({ store, pollMs: 0 })).toThrow(/pollMs/);
    expect(() => new Scheduler({ store, maxAttempts: -1 })).toThrow(/maxAttempts/);
    expect(() => new Scheduler({ store, concurrency: 2.5 })).toThrow(/concurrency/);
  });
});
