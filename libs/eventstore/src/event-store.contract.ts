import { newId, type EventMetadata, type NewEvent, type RecordedEvent } from '@crm/contracts';
import { DuplicateEventIdError, WrongExpectedVersionError } from './errors';
import type { EventFilter, EventStore, EventSubscription, ExpectedState } from './event-store.port';

export type EventStoreContractSubject = {
  store: EventStore;
  teardown(): Promise<void>;
  /**
   * Optional: appends inside a transaction that stays open for `holdMs` after the insert and
   * only then commits, so the gap test can make late commits with lower positions happen.
   */
  appendHeldOpen?(streamName: string, events: readonly NewEvent[], holdMs: number): Promise<void>;
};

export type EventStoreContractOptions = {
  /** KurrentDB does not index event ids across streams: it cannot refuse an id stored in another stream. */
  globallyUniqueEventIds?: boolean;
  /** Duration of the concurrent-writers-vs-subscriber test (default 10 s, env EVENTSTORE_GAP_TEST_SECONDS). */
  gapTestSeconds?: number;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const uid = () => newId().replace(/-/g, '').slice(-12);

const metadata = (extra: Partial<EventMetadata> = {}): EventMetadata => ({
  tenantId: 'tenant-1',
  correlationId: newId(),
  ...extra,
});

const event = (type = 'test.Happened', data: unknown = { n: 1 }, extra: Partial<NewEvent> = {}): NewEvent => ({
  id: newId(),
  type,
  data,
  metadata: metadata(),
  ...extra,
});

const events = (n: number, type = 'test.Happened'): NewEvent[] => Array.from({ length: n }, (_, i) => event(type, { i }));

const revisionOf = async (store: EventStore, streamName: string): Promise<number> =>
  (await store.readStream(streamName, { direction: 'backwards', maxCount: 1 }))[0]?.revision ?? -1;

const expectWrongVersion = async (promise: Promise<unknown>, actual: number, expected: ExpectedState) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect(error).toMatchObject({ actual, expected });
};

/** Collects what a subscription delivers, in the background, until closed. */
const collect = (subscription: EventSubscription) => {
  const seen: RecordedEvent[] = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const e of subscription) seen.push(e);
    } catch (e) {
      failure = e;
    }
  })();
  return {
    seen,
    failure: () => failure,
    stop: async () => {
      await subscription.close();
      await done;
    },
  };
};

const waitUntil = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
};

/** The one behaviour every `EventStore` adapter must show. */
export const eventStoreContract = (
  name: string,
  create: () => Promise<EventStoreContractSubject>,
  options: EventStoreContractOptions = {},
): void => {
  const gapSeconds = options.gapTestSeconds ?? Number(process.env.EVENTSTORE_GAP_TEST_SECONDS ?? 10);

  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await create();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.teardown();
    });

    describe('expected state', () => {
      it('no_stream: succeeds on a new stream, fails once it exists', async () => {
        const s = `order-${uid()}`;
        const first = await store.appendToStream(s, events(2), { expectedState: 'no_stream' });
        expect(first.nextExpectedRevision).toBe(1);
        await expectWrongVersion(store.appendToStream(s, events(1), { expectedState: 'no_stream' }), 1, 'no_stream');
      });

      it('stream_exists: fails on a missing stream, succeeds on an existing one', async () => {
        const s = `order-${uid()}`;
        await expectWrongVersion(store.appendToStream(s, events(1), { expectedState: 'stream_exists' }), -1, 'stream_exists');
        await store.appendToStream(s, events(1));
        const r = await store.appendToStream(s, events(1), { expectedState: 'stream_exists' });
        expect(r.nextExpectedRevision).toBe(1);
      });

      it('any: succeeds on a missing and on an existing stream (and is the default)', async () => {
        const s = `order-${uid()}`;
        expect((await store.appendToStream(s, events(1), { expectedState: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(s, events(2), { expectedState: 'any' })).nextExpectedRevision).toBe(2);
        expect((await store.appendToStream(s, events(1))).nextExpectedRevision).toBe(3);
      });

      it('exact revision: succeeds when it matches, fails with the actual revision otherwise', async () => {
        const s = `order-${uid()}`;
        await expectWrongVersion(store.appendToStream(s, events(1), { expectedState: 0 }), -1, 0);
        const a = await store.appendToStream(s, events(3), { expectedState: 'no_stream' });
        const b = await store.appendToStream(s, events(1), { expectedState: a.nextExpectedRevision });
        expect(b.nextExpectedRevision).toBe(3);
        expect(b.position).toBeGreaterThan(a.position);
        await expectWrongVersion(store.appendToStream(s, events(1), { expectedState: 2 }), 3, 2);
        await expectWrongVersion(store.appendToStream(s, events(1), { expectedState: 7 }), 3, 7);
        expect(await store.readStream(s)).toHaveLength(4);
      });

      it('a failed append stores nothing', async () => {
        const s = `order-${uid()}`;
        await store.appendToStream(s, events(1));
        const rejected = events(2);
        await expect(store.appendToStream(s, rejected, { expectedState: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        const ids = (await store.readStream(s)).map((e) => e.id);
        expect(ids).toHaveLength(1);
        expect(ids).not.toContain(rejected[0].id);
      });
    });

    describe('reading a stream', () => {
      let s: string;
      let written: NewEvent[];
      beforeAll(async () => {
        s = `lead-${uid()}`;
        written = events(10);
        await store.appendToStream(s, written.slice(0, 4), { expectedState: 'no_stream' });
        await store.appendToStream(s, written.slice(4), { expectedState: 3 });
      });

      it('forwards: everything, in revision order, with increasing positions', async () => {
        const read = await store.readStream(s);
        expect(read.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
        expect(read.every((e) => e.streamName === s && typeof e.position === 'bigint')).toBe(true);
      });

      it('forwards from a revision, with a max count', async () => {
        expect((await store.readStream(s, { fromRevision: 3, maxCount: 4 })).map((e) => e.revision)).toEqual([3, 4, 5, 6]);
        expect((await store.readStream(s, { fromRevision: 8 })).map((e) => e.revision)).toEqual([8, 9]);
        expect(await store.readStream(s, { fromRevision: 10 })).toEqual([]);
      });

      it('backwards: from the end, or from a revision, with a max count', async () => {
        expect((await store.readStream(s, { direction: 'backwards' })).map((e) => e.revision)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect((await store.readStream(s, { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([9, 8]);
        expect((await store.readStream(s, { direction: 'backwards', fromRevision: 5, maxCount: 3 })).map((e) => e.revision)).toEqual([5, 4, 3]);
      });

      it('a missing stream reads as an empty list, both ways', async () => {
        expect(await store.readStream(`lead-${uid()}`)).toEqual([]);
        expect(await store.readStream(`lead-${uid()}`, { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('round trips', () => {
      it('keeps every metadata field, custom keys included', async () => {
        const s = `lead-${uid()}`;
        const meta: EventMetadata = {
          tenantId: 'tenant-ß',
          actor: 'user:42',
          correlationId: newId(),
          causationId: newId(),
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
          tracestate: 'congo=t61rcWkgMzE',
          idempotencyKey: 'key-123',
          schemaVersion: 2,
          custom: { nested: [1, 'two', { three: true }] },
          plain: 'value',
        };
        const e = event('leads.LeadCaptured', { x: 1 }, { metadata: meta });
        const before = Date.now();
        const { position } = await store.appendToStream(s, [e]);
        const [read] = await store.readStream(s);
        expect(read.metadata).toEqual(meta);
        expect(read).toMatchObject({ id: e.id, type: 'leads.LeadCaptured', streamName: s, revision: 0, position });
        expect(read.occurredAt).toBeInstanceOf(Date);
        expect(Math.abs(read.occurredAt.getTime() - before)).toBeLessThan(60_000);
      });

      it('keeps nested and unicode data', async () => {
        const s = `lead-${uid()}`;
        const data = {
          name: 'Zoë Ångström — 東京 🚀',
          quote: 'she said "hi" \\ \n bye',
          nested: { list: [1, 2.5, -3, null, true, { deep: ['ä', { deeper: 'ñ' }] }], empty: {}, none: [] },
          big: 9007199254740991,
        };
        await store.appendToStream(s, [event('leads.LeadCaptured', data)]);
        expect((await store.readStream(s))[0].data).toEqual(data);
      });

      it('assigns an id when the event has none', async () => {
        const s = `lead-${uid()}`;
        await store.appendToStream(s, [{ type: 'test.Happened', data: {}, metadata: metadata() }]);
        expect((await store.readStream(s))[0].id).toMatch(/^[0-9a-f-]{36}$/);
      });
    });

    describe('idempotency by event id', () => {
      it('the same events appended twice are stored once, and the retry returns the original result', async () => {
        const s = `lead-${uid()}`;
        const batch = events(2);
        const first = await store.appendToStream(s, batch, { expectedState: 'no_stream' });
        const retried = await store.appendToStream(s, batch, { expectedState: 'no_stream' });
        expect(retried).toEqual(first);
        const again = await store.appendToStream(s, batch, { expectedState: 'any' });
        expect(again).toEqual(first);
        expect((await store.readStream(s)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('a retry after later appends still returns the original result', async () => {
        const s = `lead-${uid()}`;
        const batch = events(1);
        const first = await store.appendToStream(s, batch, { expectedState: 'no_stream' });
        await store.appendToStream(s, events(1), { expectedState: 0 });
        expect(await store.appendToStream(s, batch, { expectedState: 'no_stream' })).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      const uniqueIds = options.globallyUniqueEventIds ?? true;
      (uniqueIds ? it : it.skip)('an id stored in another stream is a DuplicateEventIdError', async () => {
        const e = event();
        await store.appendToStream(`lead-${uid()}`, [e]);
        const other = `lead-${uid()}`;
        await expect(store.appendToStream(other, [e])).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(other)).toEqual([]);
      });
    });

    describe('appending to several streams at once', () => {
      it('appends to every stream, each at its own expectation, and returns one result per stream in order', async () => {
        const [a, b, c, d] = [`order-${uid()}`, `order-${uid()}`, `order-${uid()}`, `order-${uid()}`];
        await store.appendToStream(b, events(2));
        await store.appendToStream(c, events(1));
        const written = [events(2), events(1), events(3), events(1)];
        const results = await store.appendToStreams([
          { streamName: a, events: written[0], expectedState: 'no_stream' },
          { streamName: b, events: written[1], expectedState: 1 },
          { streamName: c, events: written[2], expectedState: 'stream_exists' },
          { streamName: d, events: written[3] },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 2, 3, 0]);
        const [ra, rb, rc, rd] = await Promise.all([a, b, c, d].map((s) => store.readStream(s)));
        expect(ra.map((e) => e.id)).toEqual(written[0].map((e) => e.id));
        expect(rb.slice(2).map((e) => e.id)).toEqual(written[1].map((e) => e.id));
        expect(rc.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        expect(rd.map((e) => e.id)).toEqual(written[3].map((e) => e.id));
        expect(results.map((r) => r.position)).toEqual([ra[1], rb[2], rc[3], rd[0]].map((e) => e.position));
      });

      it('one expectation that does not hold fails the call, names that stream, and writes nothing anywhere', async () => {
        const [fresh, existing, stale] = [`order-${uid()}`, `order-${uid()}`, `order-${uid()}`];
        await store.appendToStream(existing, events(1));
        await store.appendToStream(stale, events(3));
        const error = await store
          .appendToStreams([
            { streamName: fresh, events: events(1), expectedState: 'no_stream' },
            { streamName: existing, events: events(2), expectedState: 0 },
            { streamName: stale, events: events(1), expectedState: 1 },
          ])
          .then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stale, expected: 1, actual: 2 });
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect(await store.readStream(stale)).toHaveLength(3);
        await expectWrongVersion(
          store.appendToStreams([
            { streamName: fresh, events: events(1), expectedState: 'stream_exists' },
            { streamName: existing, events: events(1), expectedState: 0 },
          ]),
          -1,
          'stream_exists',
        );
        expect(await store.readStream(existing)).toHaveLength(1);
      });

      it('a stream with no events only has its expectation checked', async () => {
        const [checked, written] = [`order-${uid()}`, `order-${uid()}`];
        const first = await store.appendToStream(checked, events(2));
        const [check, write] = await store.appendToStreams([
          { streamName: checked, events: [], expectedState: 1 },
          { streamName: written, events: events(1), expectedState: 'no_stream' },
        ]);
        expect(check).toEqual(first);
        expect(write.nextExpectedRevision).toBe(0);
        await expectWrongVersion(
          store.appendToStreams([
            { streamName: checked, events: [], expectedState: 0 },
            { streamName: `order-${uid()}`, events: events(1) },
          ]),
          1,
          0,
        );
      });

      it('a retried call stores nothing new and returns the original results, also after later appends', async () => {
        const [a, b] = [`lead-${uid()}`, `leadkey-${uid()}`];
        const call = [
          { streamName: a, events: events(2), expectedState: 'no_stream' as const },
          { streamName: b, events: events(1), expectedState: 'no_stream' as const },
        ];
        const first = await store.appendToStreams(call);
        expect(await store.appendToStreams(call)).toEqual(first);
        await store.appendToStream(b, events(1), { expectedState: 0 });
        expect(await store.appendToStreams(call)).toEqual(first);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(2);
        // Per stream: a stream whose events are stored replays, the others are appended.
        const c = `lead-${uid()}`;
        const [replayed, appended] = await store.appendToStreams([call[0], { streamName: c, events: events(1), expectedState: 'no_stream' }]);
        expect(replayed).toEqual(first[0]);
        expect(appended.nextExpectedRevision).toBe(0);
      });

      const uniqueIds = options.globallyUniqueEventIds ?? true;
      (uniqueIds ? it : it.skip)('an id stored in another stream fails the call and writes nothing', async () => {
        const e = event();
        await store.appendToStream(`lead-${uid()}`, [e]);
        const [fresh, other] = [`lead-${uid()}`, `lead-${uid()}`];
        await expect(
          store.appendToStreams([
            { streamName: fresh, events: events(1) },
            { streamName: other, events: [e] },
          ]),
        ).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(other)).toEqual([]);
      });

      it('refuses a stream named twice in one call', async () => {
        const s = `lead-${uid()}`;
        await expect(store.appendToStreams([{ streamName: s, events: events(1) }, { streamName: s, events: events(1) }])).rejects.toBeInstanceOf(TypeError);
        expect(await store.readStream(s)).toEqual([]);
      });

      it('positions follow the order given, after everything appended before, and $all returns them in that order', async () => {
        const cat = `multi${uid()}`;
        const mark = await store.appendToStream(`${cat}-0`, events(1));
        const [z, a, m] = [`${cat}-z`, `${cat}-a`, `${cat}-m`];
        const written = [events(2), events(1), events(2)];
        const results = await store.appendToStreams([
          { streamName: z, events: written[0] },
          { streamName: a, events: written[1] },
          { streamName: m, events: written[2] },
        ]);
        expect(results[0].position).toBeGreaterThan(mark.position);
        expect(results[1].position).toBeGreaterThan(results[0].position);
        expect(results[2].position).toBeGreaterThan(results[1].position);
        const all = await store.readAll({ after: mark.position, filter: { categories: [cat] } });
        expect(all.map((e) => e.id)).toEqual(written.flat().map((e) => e.id));
        expect(all.map((e) => e.streamName)).toEqual([z, z, a, m, m]);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        const later = await store.appendToStream(a, events(1));
        expect(later.position).toBeGreaterThan(results[2].position);
      });

      it('of 8 calls racing to create the same stream, exactly one writes, and the others write nothing anywhere', async () => {
        const key = `leadkey-${uid()}`;
        const leads = Array.from({ length: 8 }, () => `lead-${uid()}`);
        const outcomes = await Promise.all(
          leads.map((lead) =>
            store
              .appendToStreams([
                { streamName: key, events: [event('test.Claimed', { lead })], expectedState: 'no_stream' },
                { streamName: lead, events: events(1), expectedState: 'no_stream' },
              ])
              .then(() => 'won', (e: unknown) => (e instanceof WrongExpectedVersionError ? 'lost' : e)),
          ),
        );
        expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
        const claims = await store.readStream(key);
        expect(claims).toHaveLength(1);
        const winner = (claims[0].data as { lead: string }).lead;
        const written = await store.readStreams(leads);
        expect(leads.filter((_, i) => written[i].length > 0)).toEqual([winner]);
      });
    });

    describe('reading several streams', () => {
      it('returns each stream in full, forwards, in the order of the names; a missing one is empty', async () => {
        const [a, b, missing] = [`lead-${uid()}`, `lead-${uid()}`, `lead-${uid()}`];
        const wa = events(3);
        const wb = events(1);
        await store.appendToStream(a, wa.slice(0, 2));
        await store.appendToStream(b, wb);
        await store.appendToStream(a, wa.slice(2));
        const read = await store.readStreams([b, missing, a]);
        expect(read.map((list) => list.map((e) => e.id))).toEqual([wb.map((e) => e.id), [], wa.map((e) => e.id)]);
        expect(read[2].map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read[2]).toEqual(await store.readStream(a));
        expect(await store.readStreams([])).toEqual([]);
      });
    });

    describe('$all', () => {
      it('reads after a position, in position order, with a max count', async () => {
        const cat = `c${uid()}`;
        const mark = await store.appendToStream(`${cat}-0`, events(1));
        const a = await store.appendToStream(`${cat}-1`, events(2));
        const b = await store.appendToStream(`${cat}-2`, events(2));
        const all = await store.readAll({ after: mark.position, filter: { categories: [cat] } });
        expect(all.map((e) => e.streamName)).toEqual([`${cat}-1`, `${cat}-1`, `${cat}-2`, `${cat}-2`]);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        expect(all[1].position).toBe(a.position);
        expect(all[3].position).toBe(b.position);
        const page = await store.readAll({ after: all[0].position, maxCount: 2, filter: { categories: [cat] } });
        expect(page.map((e) => e.id)).toEqual([all[1].id, all[2].id]);
        expect(await store.readAll({ after: b.position, filter: { categories: [cat] } })).toEqual([]);
      });

      it('filters by category, stream prefix, event type and event type prefix', async () => {
        const k = uid();
        const mark = await store.appendToStream(`mark${k}-0`, events(1));
        await store.appendToStream(`lead${k}-1`, [event(`leads${k}.LeadCaptured`), event(`leads${k}.LeadQualified`)]);
        await store.appendToStream(`lead${k}x-2`, [event(`leads${k}.LeadCaptured`)]);
        await store.appendToStream(`deal${k}-3`, [event(`sales${k}.DealOpened`), event(`sales${k}.DealWon`)]);
        const read = async (filter: EventFilter) =>
          (await store.readAll({ after: mark.position, filter })).map((e) => `${e.streamName}/${e.type}`);

        expect(await read({ categories: [`lead${k}`] })).toEqual([`lead${k}-1/leads${k}.LeadCaptured`, `lead${k}-1/leads${k}.LeadQualified`]);
        expect(await read({ categories: [`lead${k}`, `deal${k}`], eventTypes: [`leads${k}.LeadQualified`, `sales${k}.DealWon`] })).toEqual([
          `lead${k}-1/leads${k}.LeadQualified`,
          `deal${k}-3/sales${k}.DealWon`,
        ]);
        expect(await read({ streamPrefixes: [`lead${k}`] })).toEqual([
          `lead${k}-1/leads${k}.LeadCaptured`,
          `lead${k}-1/leads${k}.LeadQualified`,
          `lead${k}x-2/leads${k}.LeadCaptured`,
        ]);
        expect(await read({ eventTypes: [`leads${k}.LeadCaptured`] })).toEqual([`lead${k}-1/leads${k}.LeadCaptured`, `lead${k}x-2/leads${k}.LeadCaptured`]);
        expect(await read({ eventTypePrefixes: [`sales${k}.`] })).toEqual([`deal${k}-3/sales${k}.DealOpened`, `deal${k}-3/sales${k}.DealWon`]);
        expect(await read({ eventTypePrefixes: [`sales${k}.Deal`, `leads${k}.LeadQ`] })).toEqual([
          `lead${k}-1/leads${k}.LeadQualified`,
          `deal${k}-3/sales${k}.DealOpened`,
          `deal${k}-3/sales${k}.DealWon`,
        ]);
        // LIKE wildcards are not wildcards in a prefix.
        expect(await read({ streamPrefixes: [`lead%`, `lead_${k}`] })).toEqual([]);
      });
    });

    describe('subscriptions', () => {
      it('delivers history then live events, with a filter, and resumes from a checkpoint without repeats', async () => {
        const cat = `sub${uid()}`;
        const first = events(5);
        await store.appendToStream(`${cat}-1`, first);
        await store.appendToStream(`other${uid()}-1`, events(3));

        const one = collect(store.subscribeToAll({ filter: { categories: [cat] } }));
        expect(await waitUntil(() => one.seen.length >= 5, 10_000)).toBe(true);
        const live = events(2);
        await store.appendToStream(`${cat}-2`, live);
        expect(await waitUntil(() => one.seen.length >= 7, 10_000)).toBe(true);
        await one.stop();
        expect(one.failure()).toBeUndefined();
        expect(one.seen.map((e) => e.id)).toEqual([...first, ...live].map((e) => e.id));

        const checkpoint = one.seen[2].position;
        const later = events(2);
        await store.appendToStream(`${cat}-1`, later);
        const two = collect(store.subscribeToAll({ after: checkpoint, filter: { categories: [cat] } }));
        expect(await waitUntil(() => two.seen.length >= 6, 10_000)).toBe(true);
        await sleep(200);
        await two.stop();
        expect(two.seen.map((e) => e.id)).toEqual([...first.slice(3), ...live, ...later].map((e) => e.id));
      });
    });

    describe('concurrency', () => {
      it('16 writers × 200 appends on one stream with expected revisions: contiguous revisions, nothing lost or duplicated', async () => {
        const s = `hot-${uid()}`;
        const writers = 16;
        const perWriter = 200;
        const maxRetriesPerAppend = 1_000;
        // Generous: CI machines are shared; a correct adapter finishes in ~15 s on an idle 2-core machine.
        const deadline = Date.now() + 150_000;
        const appended: string[] = [];
        const unexpected: unknown[] = [];

        const writer = async (w: number) => {
          for (let i = 0; i < perWriter; i++) {
            const e = event('test.Incremented', { w, i });
            for (let attempt = 0; ; attempt++) {
              if (attempt > maxRetriesPerAppend) throw new Error(`writer ${w} exceeded ${maxRetriesPerAppend} retries`);
              if (Date.now() > deadline) throw new Error('concurrency test ran out of time');
              const revision = await revisionOf(store, s);
              try {
                await store.appendToStream(s, [e], { expectedState: revision === -1 ? 'no_stream' : revision });
                appended.push(e.id!);
                break;
              } catch (error) {
                if (!(error instanceof WrongExpectedVersionError)) {
                  unexpected.push(error);
                  throw error;
                }
                // Randomised exponential back-off: 16 writers retrying in lock-step waste rounds.
                await sleep(Math.random() * Math.min(2 ** attempt, 32));
              }
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));

        expect(unexpected).toEqual([]);
        const stream = await store.readStream(s);
        expect(stream.map((e) => e.revision)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i));
        expect(new Set(stream.map((e) => e.id)).size).toBe(writers * perWriter);
        expect(new Set(stream.map((e) => e.id))).toEqual(new Set(appended));
        for (let i = 1; i < stream.length; i++) expect(stream[i].position > stream[i - 1].position).toBe(true);
      }, 180_000);

      it(`8 writers committing out of order for ${gapSeconds} s while a subscriber tails $all: every event exactly once, in increasing positions`, async () => {
        const cat = `gap${uid()}`;
        const subscriber = collect(store.subscribeToAll({ filter: { categories: [cat] } }));
        const written = new Set<string>();
        const deadline = Date.now() + gapSeconds * 1000;
        const maxAppendsPerWriter = 20_000;
        const held = subject.appendHeldOpen?.bind(subject);

        const writer = async (w: number) => {
          for (let n = 0; n < maxAppendsPerWriter && Date.now() < deadline; n++) {
            const batch = events(1 + Math.floor(Math.random() * 3), 'test.Raced');
            const streamName = `${cat}-${w}-${n % 4}`;
            // Half the writers hold their transaction open for a while after inserting, so
            // transactions with lower ids (positions) keep committing after higher ones.
            if (held && w % 2 === 0) await held(streamName, batch, Math.random() * 40);
            else {
              await store.appendToStream(streamName, batch);
              await sleep(Math.random() * 4);
            }
            for (const e of batch) written.add(e.id!);
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));

        const complete = await waitUntil(() => subscriber.seen.length >= written.size, 15_000);
        await sleep(300); // anything extra (a duplicate) would show up now
        await subscriber.stop();
        expect(subscriber.failure()).toBeUndefined();

        const delivered = subscriber.seen.map((e) => e.id);
        const deliveredSet = new Set(delivered);
        const missing = [...written].filter((id) => !deliveredSet.has(id));
        const duplicates = delivered.length - deliveredSet.size;
        const outOfOrder = subscriber.seen.filter((e, i) => i > 0 && e.position <= subscriber.seen[i - 1].position).length;
        expect({ complete, written: written.size, missing: missing.length, duplicates, outOfOrder }).toEqual({
          complete: true,
          written: written.size,
          missing: 0,
          duplicates: 0,
          outOfOrder: 0,
        });
        expect(deliveredSet).toEqual(written);
        expect(written.size).toBeGreaterThan(100);
      }, (gapSeconds + 40) * 1000);
    });
  });
};
