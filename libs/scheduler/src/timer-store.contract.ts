import { randomUUID } from 'node:crypto';
import { SchedulerError } from './scheduler.errors';
import type { ClaimedTimer, JsonValue, Timer, TimerStore } from './scheduler.port';

export type TimerStoreContractSubject = {
  store: TimerStore;
  /** A new store object over the same storage, as after a process restart. */
  reopen(): Promise<TimerStore>;
  teardown(): Promise<void>;
};

const uid = () => randomUUID().replace(/-/g, '').slice(0, 12);

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The one behaviour every `TimerStore` adapter must show. Tests share one store: each uses its
 * own tenant and timer kind and claims only its kind, so they never see each other's timers.
 */
export const timerStoreContract = (name: string, create: () => Promise<TimerStoreContractSubject>): void => {
  describe(`TimerStore contract: ${name}`, () => {
    let subject: TimerStoreContractSubject;
    let store: TimerStore;
    let tenantId: string;
    let kind: string;

    beforeAll(async () => {
      subject = await create();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.teardown();
    });
    beforeEach(() => {
      tenantId = `tenant-${uid()}`;
      kind = `test.Kind${uid()}`;
    });

    const timer = (overrides: Partial<Timer> = {}): Timer => ({
      tenantId,
      id: `timer-${uid()}`,
      kind,
      dueAt: at(DAY),
      payload: { leadId: 'lead-1', n: 1 },
      ...overrides,
    });
    const claim = (now: Date, owner = 'owner-a', limit = 10, leaseMs = MINUTE) => store.claimDue(now, limit, leaseMs, owner, [kind]);
    const ids = (claimed: ClaimedTimer[]) => claimed.map((c) => c.id);
    const refusedWith = async (promise: Promise<unknown>): Promise<string | undefined> =>
      promise.then(
        () => undefined,
        (e: unknown) => (e instanceof SchedulerError ? e.code : String(e)),
      );

    describe('schedule', () => {
      it('stores a new timer as pending, with its payload and correlation id', async () => {
        const payload: JsonValue = { leadId: 'lead-7', nested: { list: [1, 'two', null, true], empty: {} }, ratio: 0.25 };
        const t = timer({ payload, correlationId: 'corr-1' });
        expect(await store.schedule(t)).toBe('scheduled');
        expect(await store.get(t)).toEqual({ ...t, status: 'pending', attempts: 0, generation: 1 });
      });

      it('is idempotent: the same timer again changes nothing, whatever the key order of its payload', async () => {
        const t = timer({ payload: { a: 1, b: { c: 2, d: 3 } } });
        await store.schedule(t);
        expect(await store.schedule({ ...t, payload: { b: { d: 3, c: 2 }, a: 1 } })).toBe('unchanged');
        expect(await store.schedule(t, { replace: true })).toBe('unchanged');
        expect(await store.get(t)).toMatchObject({ status: 'pending', generation: 1, dueAt: t.dueAt });
      });

      it('refuses the same id with other content unless asked to replace it', async () => {
        const t = timer();
        await store.schedule(t);
        expect(await refusedWith(store.schedule({ ...t, dueAt: at(2 * DAY) }))).toBe('timer_conflict');
        expect(await refusedWith(store.schedule({ ...t, payload: { other: true } }))).toBe('timer_conflict');
        expect(await refusedWith(store.schedule({ ...t, correlationId: 'c2' }))).toBe('timer_conflict');
        expect(await store.get(t)).toMatchObject({ dueAt: t.dueAt, payload: t.payload, generation: 1 });
      });

      it('replace moves a pending timer: it is due at the new time only', async () => {
        const t = timer({ dueAt: at(DAY) });
        await store.schedule(t);
        expect(await store.schedule({ ...t, dueAt: at(30 * DAY), payload: { moved: true } }, { replace: true })).toBe('rescheduled');
        expect(await claim(at(DAY))).toEqual([]);
        const [claimed] = await claim(at(30 * DAY));
        expect(claimed).toMatchObject({ id: t.id, payload: { moved: true }, generation: 2, attempt: 1 });
      });

      it('refuses invalid timers', async () => {
        expect(await refusedWith(store.schedule(timer({ dueAt: new Date('nope') })))).toBe('invalid_timer');
        expect(await refusedWith(store.schedule(timer({ id: '' })))).toBe('invalid_timer');
        expect(await refusedWith(store.schedule(timer({ tenantId: '' })))).toBe('invalid_timer');
        expect(await refusedWith(store.schedule(timer({ kind: '' })))).toBe('invalid_timer');
      });

      it('keeps the same id of two tenants apart', async () => {
        const id = `shared-${uid()}`;
        const other = `tenant-${uid()}`;
        expect(await store.schedule(timer({ id, payload: { tenant: 'mine' } }))).toBe('scheduled');
        expect(await store.schedule(timer({ id, tenantId: other, payload: { tenant: 'theirs' } }))).toBe('scheduled');
        const claimed = await claim(at(DAY));
        expect(claimed.map((c) => [c.tenantId, c.payload])).toEqual(
          expect.arrayContaining([
            [tenantId, { tenant: 'mine' }],
            [other, { tenant: 'theirs' }],
          ]),
        );
        expect(claimed).toHaveLength(2);
      });
    });

    describe('cancel', () => {
      it('cancels a pending timer: it is never claimed', async () => {
        const t = timer();
        await store.schedule(t);
        expect(await store.cancel(t)).toBe(true);
        expect(await store.cancel(t)).toBe(false);
        expect(await claim(at(365 * DAY))).toEqual([]);
        expect(await store.get(t)).toMatchObject({ status: 'cancelled' });
      });

      it("is tenant-isolated: another tenant cannot cancel this tenant's timer", async () => {
        const t = timer();
        await store.schedule(t);
        expect(await store.cancel({ tenantId: `tenant-${uid()}`, id: t.id })).toBe(false);
        expect(await store.get({ tenantId: `tenant-${uid()}`, id: t.id })).toBeUndefined();
        expect(ids(await claim(at(DAY)))).toEqual([t.id]);
      });

      it('does nothing to a fired timer, and voids the lease of a running one', async () => {
        const fired = timer();
        const running = timer();
        await store.schedule(fired);
        await store.schedule(running);
        const claimed = await claim(at(DAY));
        expect(await store.complete(claimed.find((c) => c.id === fired.id)!)).toBe(true);
        expect(await store.cancel(fired)).toBe(false);
        expect(await store.get(fired)).toMatchObject({ status: 'fired' });
        expect(await store.cancel(running)).toBe(true);
        expect(await store.complete(claimed.find((c) => c.id === running.id)!)).toBe(false);
        expect(await store.get(running)).toMatchObject({ status: 'cancelled' });
      });
    });

    describe('claiming', () => {
      it('does not claim a timer before it is due', async () => {
        await store.schedule(timer({ dueAt: at(DAY) }));
        expect(await claim(at(DAY - 1))).toEqual([]);
      });

      it('claims a due timer once: leased to the owner, attempt 1', async () => {
        const t = timer({ correlationId: 'corr-9' });
        await store.schedule(t);
        const claimed = await claim(at(DAY + 5), 'owner-a', 10, MINUTE);
        expect(claimed).toEqual([
          {
            ...t,
            generation: 1,
            attempt: 1,
            owner: 'owner-a',
            leaseExpiresAt: at(DAY + 5 + MINUTE),
          },
        ]);
        expect(await claim(at(DAY + 5), 'owner-b')).toEqual([]);
        expect(await claim(at(DAY + 5 + MINUTE - 1), 'owner-b')).toEqual([]);
        expect(await store.get(t)).toMatchObject({ status: 'pending', attempts: 1 });
      });

      it('claims the oldest due timers first, at most `limit`', async () => {
        const late = timer({ dueAt: at(3 * MINUTE) });
        const early = timer({ dueAt: at(MINUTE) });
        const middle = timer({ dueAt: at(2 * MINUTE) });
        for (const t of [late, early, middle]) await store.schedule(t);
        expect(ids(await claim(at(DAY), 'a', 2))).toEqual([early.id, middle.id]);
        expect(ids(await claim(at(DAY), 'a', 2))).toEqual([late.id]);
      });

      it('claims only the kinds asked for, and every kind when none are given', async () => {
        // Far in the past, where no other test has timers.
        const old = new Date('1990-01-01T00:00:00Z');
        const mine = timer({ dueAt: old });
        const other = timer({ dueAt: old, kind: `${kind}.Other` });
        await store.schedule(mine);
        await store.schedule(other);
        const now = new Date(old.getTime() + 1);
        expect(ids(await store.claimDue(now, 10, MINUTE, 'a', [`${kind}.Other`]))).toEqual([other.id]);
        expect(ids(await store.claimDue(now, 10, MINUTE, 'a'))).toEqual([mine.id]);
      });

      it('lets another owner reclaim a timer whose lease expired, and fences the first owner out', async () => {
        const t = timer();
        await store.schedule(t);
        const [first] = await claim(at(DAY), 'crashed', 10, MINUTE);
        expect(await claim(at(DAY + MINUTE - 1), 'rescuer')).toEqual([]);
        const [second] = await claim(at(DAY + MINUTE), 'rescuer');
        expect(second).toMatchObject({ id: t.id, owner: 'rescuer', attempt: 2, generation: 1 });
        expect(await store.complete(first)).toBe(false);
        expect(await store.release(first, at(DAY), 'late')).toBe(false);
        expect(await store.deadLetter(first, 'late')).toBe(false);
        expect(await store.complete(second)).toBe(true);
        expect(await store.get(t)).toMatchObject({ status: 'fired', attempts: 2 });
      });

      it('lets the owner of an expired lease still complete it while nobody else has claimed it', async () => {
        const t = timer();
        await store.schedule(t);
        const [claimed] = await claim(at(DAY), 'slow', 10, MINUTE);
        expect(await store.complete(claimed)).toBe(true);
        expect(await store.get(t)).toMatchObject({ status: 'fired', attempts: 1 });
      });

      it('two claimers never get the same timer: 4 concurrent claimers over 500 due timers fire each exactly once', async () => {
        const timers = Array.from({ length: 500 }, (_, i) => timer({ id: `bulk-${i}-${uid()}`, dueAt: at(i) }));
        for (let i = 0; i < timers.length; i += 50) await Promise.all(timers.slice(i, i + 50).map((t) => store.schedule(t)));
        const claimedBy = new Map<string, string[]>();
        const completed: string[] = [];
        const claimer = async (owner: string) => {
          const deadline = Date.now() + 30_000;
          for (let round = 0; round < 1_000 && Date.now() < deadline; round++) {
            const batch = await claim(at(DAY), owner, 7, 10 * MINUTE);
            if (batch.length === 0) return;
            for (const c of batch) claimedBy.set(c.id, [...(claimedBy.get(c.id) ?? []), owner]);
            const results = await Promise.all(batch.map((c) => store.complete(c)));
            batch.forEach((c, i) => results[i] && completed.push(c.id));
          }
        };
        await Promise.all(['p1', 'p2', 'p3', 'p4'].map(claimer));
        expect(claimedBy.size).toBe(500);
        expect([...claimedBy.values()].filter((owners) => owners.length !== 1)).toEqual([]);
        expect(completed.sort()).toEqual(timers.map((t) => t.id).sort());
        expect(new Set([...claimedBy.values()].flat()).size).toBeGreaterThan(1);
      });
    });

    describe('completion', () => {
      it('refuses completion by anyone but the lease owner', async () => {
        const t = timer();
        await store.schedule(t);
        const [claimed] = await claim(at(DAY), 'owner-a');
        expect(await store.complete({ ...claimed, owner: 'owner-b' })).toBe(false);
        expect(await store.complete({ ...claimed, attempt: claimed.attempt + 1 })).toBe(false);
        expect(await store.complete({ ...claimed, tenantId: `tenant-${uid()}` })).toBe(false);
        expect(await store.get(t)).toMatchObject({ status: 'pending' });
        expect(await store.complete(claimed)).toBe(true);
      });

      it('never claims a fired timer again, and completes it only once', async () => {
        const t = timer();
        await store.schedule(t);
        const [claimed] = await claim(at(DAY));
        expect(await store.complete(claimed)).toBe(true);
        expect(await store.complete(claimed)).toBe(false);
        expect(await claim(at(10 * 365 * DAY), 'anyone')).toEqual([]);
        expect(await store.schedule(t)).toBe('unchanged');
        expect(await store.get(t)).toMatchObject({ status: 'fired' });
        expect(await claim(at(10 * 365 * DAY), 'anyone')).toEqual([]);
      });

      it('release makes the timer claimable again from the retry time, keeping the error', async () => {
        const t = timer();
        await store.schedule(t);
        const [first] = await claim(at(DAY), 'a');
        expect(await store.release({ ...first, owner: 'b' }, at(DAY), 'not mine')).toBe(false);
        expect(await store.release(first, at(DAY + 10 * MINUTE), 'Error: boom')).toBe(true);
        expect(await claim(at(DAY + 10 * MINUTE - 1), 'b')).toEqual([]);
        const [second] = await claim(at(DAY + 10 * MINUTE), 'b');
        expect(second).toMatchObject({ attempt: 2, owner: 'b', lastError: 'Error: boom' });
        expect(await store.get(t)).toMatchObject({ status: 'pending', attempts: 2, lastError: 'Error: boom' });
      });

      it('dead-letters a timer: never claimed again, error kept', async () => {
        const t = timer();
        await store.schedule(t);
        const [claimed] = await claim(at(DAY));
        expect(await store.deadLetter(claimed, 'Error: poison')).toBe(true);
        expect(await claim(at(10 * 365 * DAY))).toEqual([]);
        expect(await store.get(t)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'Error: poison' });
      });

      it('replacing a leased timer voids the lease; replacing a finished one re-arms it as a new generation', async () => {
        const t = timer();
        await store.schedule(t);
        const [old] = await claim(at(DAY), 'a');
        expect(await store.schedule({ ...t, dueAt: at(2 * DAY) }, { replace: true })).toBe('rescheduled');
        expect(await store.complete(old)).toBe(false);
        const [moved] = await claim(at(2 * DAY), 'a');
        expect(moved).toMatchObject({ generation: 2, attempt: 1, dueAt: at(2 * DAY) });
        expect(await store.complete(old)).toBe(false);
        expect(await store.complete(moved)).toBe(true);

        expect(await store.schedule({ ...t, dueAt: at(40 * DAY) }, { replace: true })).toBe('rescheduled');
        expect(await store.get(t)).toMatchObject({ status: 'pending', generation: 3, attempts: 0 });
        expect(ids(await claim(at(40 * DAY)))).toEqual([t.id]);
      });
    });

    describe('durability', () => {
      it('survives a restart: a new store object on the same storage sees pending timers and live leases', async () => {
        const pending = timer({ dueAt: at(30 * DAY), payload: { leadId: 'lead-r' } });
        const leased = timer({ dueAt: at(DAY) });
        await store.schedule(pending);
        await store.schedule(leased);
        const [lease] = await claim(at(DAY), 'before-restart', 10, 10 * MINUTE);
        expect(lease.id).toBe(leased.id);

        const restarted = await subject.reopen();
        try {
          expect(await restarted.get(pending)).toMatchObject({ status: 'pending', payload: { leadId: 'lead-r' } });
          expect(await restarted.claimDue(at(DAY + MINUTE), 10, MINUTE, 'after-restart', [kind])).toEqual([]);
          const [rescued] = await restarted.claimDue(at(DAY + 10 * MINUTE), 10, MINUTE, 'after-restart', [kind]);
          expect(rescued).toMatchObject({ id: leased.id, attempt: 2 });
          expect(await restarted.complete(rescued)).toBe(true);
          const [fired] = await restarted.claimDue(at(30 * DAY), 10, MINUTE, 'after-restart', [kind]);
          expect(fired).toMatchObject({ id: pending.id, payload: { leadId: 'lead-r' }, attempt: 1 });
          expect(await restarted.complete(fired)).toBe(true);
          expect(await store.get(pending)).toMatchObject({ status: 'fired' });
        } finally {
          await restarted.close();
        }
      });
    });
  });
};
