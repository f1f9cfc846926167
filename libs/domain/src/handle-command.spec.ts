import type { DomainEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import type { Decider } from './decider';
import { ConcurrencyConflictError, DomainError, TooMuchContentionError } from './domain-error';
import { ForeignStreamError, handleCommand, loadAggregate } from './handle-command';

type Add = { type: 'Add'; data: { amount: number } };
type Added = DomainEvent<'test.Added', { amount: number }>;
const counter: Decider<Add, Added, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.data.amount,
  decide: (c, s) => {
    if (s + c.data.amount > 1_000_000) throw new DomainError('too_big', 'too big');
    return c.data.amount === 0 ? [] : [{ type: 'test.Added', data: { amount: c.data.amount } }];
  },
};
const meta = { tenantId: 't1', correlationId: 'c1' };
const add = (amount: number): Add => ({ type: 'Add', data: { amount } });
let n = 0;
const stream = () => `counter-${++n}-${Date.now()}`;

describe('handleCommand', () => {
  it('reads, decides and appends with the expected revision', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    const first = await handleCommand(store, s, counter, add(2), { metadata: meta });
    const second = await handleCommand(store, s, counter, add(3), { metadata: meta });
    expect([first.revision, second.revision, second.state]).toEqual([0, 1, 5]);
    expect((await store.readStream(s)).map((e) => e.metadata)).toEqual([meta, meta]);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    await handleCommand(store, s, counter, add(1), { metadata: meta });
    const result = await handleCommand(store, s, counter, add(0), { metadata: meta });
    expect(result).toMatchObject({ events: [], revision: 0, state: 1, replayed: false });
  });

  it('is a conflict when the caller’s revision is stale, and appends nothing', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    await handleCommand(store, s, counter, add(1), { metadata: meta });
    await handleCommand(store, s, counter, add(1), { metadata: meta });
    await expect(handleCommand(store, s, counter, add(1), { metadata: meta, expectedRevision: 0 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(await store.readStream(s)).toHaveLength(2);
    await expect(handleCommand(store, s, counter, add(1), { metadata: meta, expectedRevision: 1 })).resolves.toMatchObject({ revision: 2 });
  });

  it('retries on concurrent writers when no revision was given: nothing lost', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    // The in-memory store completes appends synchronously, so force interleaving by reading slowly.
    const slow = Object.assign(Object.create(store) as InMemoryEventStore, {
      readStream: async (name: string) => {
        const events = await store.readStream(name);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        return events;
      },
    });
    await Promise.all(Array.from({ length: 20 }, () => handleCommand(slow, s, counter, add(1), { metadata: meta, maxRetries: 50 })));
    const events = await store.readStream(s);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('gives up after the bounded number of retries', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    let sneak = 0;
    const racing = Object.assign(Object.create(store) as InMemoryEventStore, {
      readStream: async (name: string) => {
        const events = await store.readStream(name);
        await store.appendToStream(name, [{ type: 'test.Added', data: { amount: 1 }, metadata: meta }]);
        sneak++;
        return events;
      },
    });
    await expect(handleCommand(racing, s, counter, add(1), { metadata: meta, maxRetries: 3 })).rejects.toBeInstanceOf(TooMuchContentionError);
    expect(sneak).toBe(4);
  });

  it('replays the first result for a repeated idempotency key and appends nothing', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    const first = await handleCommand(store, s, counter, add(5), { metadata: meta, idempotencyKey: 'k-1' });
    const again = await handleCommand(store, s, counter, add(5), { metadata: meta, idempotencyKey: 'k-1' });
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(await store.readStream(s)).toHaveLength(1);
    const other = await handleCommand(store, s, counter, add(5), { metadata: meta, idempotencyKey: 'k-2' });
    expect(other).toMatchObject({ replayed: false, revision: 1, state: 10 });
  });

  it('treats another tenant’s stream as missing', async () => {
    const store = new InMemoryEventStore();
    const s = stream();
    await handleCommand(store, s, counter, add(5), { metadata: meta });
    await expect(handleCommand(store, s, counter, add(1), { metadata: { ...meta, tenantId: 't2' } })).rejects.toBeInstanceOf(ForeignStreamError);
    expect(await loadAggregate(store, s, counter, 't2')).toEqual({ state: 0, revision: -1 });
    expect(await loadAggregate(store, s, counter, 't1')).toEqual({ state: 5, revision: 0 });
  });

  it('lets domain errors through untouched', async () => {
    const store = new InMemoryEventStore();
    await expect(handleCommand(store, stream(), counter, add(2_000_000), { metadata: meta })).rejects.toMatchObject({ code: 'too_big' });
  });
});
