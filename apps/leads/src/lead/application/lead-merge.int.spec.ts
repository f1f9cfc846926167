import { LeadEventType, LeadMatchKeyEventType, type RecordedEvent } from '@crm/contracts';
import { migratePostgresEventStore, PostgresEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { InMemoryTimerStore } from '@crm/scheduler';
import { committedEvents, usePostgresApp } from '@crm/testing';
import { AppModule } from '../../app.module';

/**
 * Merges on the PostgreSQL event store: the loser, the survivor and the loser's match keys are
 * written in one transaction, so two merges of one pair in opposite directions cannot both pass
 * and no stream is ever left half-merged.
 */
describe('lead merge on PostgreSQL', () => {
  const pg = usePostgresApp(
    'leads_merge',
    async (pool) => {
      await migratePostgresEventStore(pool, 'leads');
      return new PostgresEventStore({ pool, schema: 'leads' });
    },
    (store) => {
      const config = loadBaseConfig('leads', 3102, { EVENT_STORE: 'memory' });
      const module = AppModule.forRoot(config, {
        eventStore: store,
        timers: { timerStore: new InMemoryTimerStore() },
        scoring: { background: false },
        assignment: { background: false },
      });
      return createServiceApp(module, { name: 'leads', description: 'test' }, { logger: false });
    },
  );

  const post = (tenant: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    pg.app.inject({ method: 'POST', url, headers: { 'x-tenant-id': tenant, ...headers }, payload });
  const capture = async (tenant: string, person: object) => {
    const res = await post(tenant, '/v1/leads', person);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const merge = (tenant: string, survivorId: string, mergedId: string, headers: Record<string, string> = {}) =>
    post(tenant, `/v1/leads/${survivorId}/merge`, { mergedId }, headers);
  const tenantEvents = async (tenant: string, eventTypes?: string[]) =>
    committedEvents(pg.pool, 'leads', { tenantId: tenant, types: eventTypes });
  const typesOf = async (id: string) => (await pg.store.readStream(`lead-${id}`)).map((e) => e.type);
  /** The lead each key stream of the tenant names now. */
  const keyOwners = async (tenant: string) => {
    // The owner is the last pointer in each key stream's own order (positions order transactions
    // by when they took their id, not by when they committed).
    const keyStreams = [...new Set((await tenantEvents(tenant, [LeadMatchKeyEventType.LeadMatchKeyPointed])).map((e) => e.streamName))];
    const histories = await pg.store.readStreams(keyStreams);
    return new Map(keyStreams.map((stream, i) => [stream, (histories[i].at(-1)!.data as { leadId: string }).leadId]));
  };
  /** Two leads, each with its own e-mail and phone keys. */
  const pair = async (tenant: string, n: number) => {
    const a = await capture(tenant, { name: `Zhou ${n}`, email: `zhou${n}@example.cn`, phone: `+861380013${String(8000 + n).padStart(4, '0')}` });
    const b = await capture(tenant, { name: `Zhou ${n} B`, email: `zhou${n}@work.example`, phone: `+861390013${String(9000 + n).padStart(4, '0')}` });
    return [a, b] as const;
  };

  it('writes the loser, the survivor and the loser’s keys in one transaction (one read of both leads, one more of its keys, one append)', async () => {
    const tenant = 'pg-merge-1';
    const [survivor, merged] = await pair(tenant, 1);
    const calls = await pg.storeCalls(async () => expect((await merge(tenant, survivor, merged)).statusCode).toBe(200));
    expect(calls).toEqual({ readStream: 0, readStreams: 2, appendToStream: 0, appendToStreams: 1 });
    const written = (await committedEvents(pg.pool, 'leads', { tenantId: tenant })).slice(-4);
    expect(written.map((e) => [e.type, e.streamName.startsWith('leadkey-') ? 'key' : e.streamName])).toEqual([
      [LeadEventType.LeadMergedInto, `lead-${merged}`],
      [LeadEventType.LeadsMerged, `lead-${survivor}`],
      [LeadMatchKeyEventType.LeadMatchKeyPointed, 'key'],
      [LeadMatchKeyEventType.LeadMatchKeyPointed, 'key'],
    ]);
    // One transaction: the events share the transaction's position block.
    expect(new Set(written.map((e) => e.position >> 20n)).size).toBe(1);
    expect([...(await keyOwners(tenant)).values()].every((id) => id === survivor)).toBe(true);
    // Later captures of the merged person attach to the survivor.
    const again = await post(tenant, '/v1/leads', { name: 'Zhou', email: 'zhou1@work.example' });
    expect(again.json()).toMatchObject({ id: survivor, attached: true });
  });

  it('replays a merge retried with the same Idempotency-Key: the same answer, nothing appended', async () => {
    const tenant = 'pg-merge-2';
    const [survivor, merged] = await pair(tenant, 2);
    const headers = { 'idempotency-key': 'merge-pg-1', 'if-match': '"0"' };
    const first = await merge(tenant, survivor, merged, headers);
    expect(first.statusCode).toBe(200);
    // Counted per stream: `$all` on PostgreSQL shows a commit only once every older transaction of
    // the server has ended, so its length can grow with other suites' earlier writes.
    const streamLengths = async () => (await pg.store.readStreams([`lead-${survivor}`, `lead-${merged}`])).map((events) => events.length);
    const before = await streamLengths();
    let again: Awaited<ReturnType<typeof merge>> | undefined;
    const calls = await pg.storeCalls(async () => {
      again = await merge(tenant, survivor, merged, headers);
    });
    expect(again?.statusCode).toBe(200);
    expect(again?.json()).toEqual(first.json());
    expect(again?.headers.etag).toBe(first.headers.etag);
    expect(calls).toMatchObject({ appendToStream: 0, appendToStreams: 0 });
    expect(await streamLengths()).toEqual(before);
  });

  /**
   * Runs two merges so that both have read the pair before either appends (the first two
   * `readStreams` wait for each other), and counts the appends the store refused.
   */
  const atTheSameMoment = async <T>(run: () => Promise<T>) => {
    const read = pg.store.readStreams.bind(pg.store);
    const append = pg.store.appendToStreams.bind(pg.store);
    const waiting: (() => void)[] = [];
    let refusedAppends = 0;
    const reads = jest.spyOn(pg.store, 'readStreams').mockImplementation(async (names) => {
      const histories = await read(names);
      if (waiting.length < 2) await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) waiting.forEach((go) => go());
      });
      return histories;
    });
    const appends = jest.spyOn(pg.store, 'appendToStreams').mockImplementation((streams) => append(streams).catch((error: unknown) => {
      refusedAppends++;
      throw error;
    }));
    try {
      return { results: await run(), refusedAppends };
    } finally {
      reads.mockRestore();
      appends.mockRestore();
    }
  };

  const expectOneMerged = async (tenant: string, a: string, b: string, results: { statusCode: number }[], refused: number) => {
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, refused]);
    const [survivor, loser] = results[0].statusCode === 200 ? [a, b] : [b, a];
    expect(await typesOf(survivor)).toEqual([LeadEventType.LeadCaptured, LeadEventType.LeadsMerged]);
    expect(await typesOf(loser)).toEqual([LeadEventType.LeadCaptured, LeadEventType.LeadMergedInto]);
    const [mergedInto] = (await pg.store.readStream(`lead-${loser}`)).slice(-1) as RecordedEvent[];
    expect(mergedInto.data).toMatchObject({ leadId: loser, survivorId: survivor });
    // Every key of both leads names the survivor now (the loser's moved, the survivor's stayed).
    const owners = await keyOwners(tenant);
    expect(owners.size).toBe(4);
    expect([...owners.values()].every((id) => id === survivor)).toBe(true);
    expect(await tenantEvents(tenant, [LeadEventType.LeadsMerged, LeadEventType.LeadMergedInto])).toHaveLength(2);
    expect((await post(tenant, `/v1/leads/${loser}/qualify`, {})).statusCode).toBe(422);
  };

  it('of two opposite merges of one pair at the same moment, exactly one passes; the other is 422 lead_merged', async () => {
    for (let round = 0; round < 3; round++) {
      const tenant = `pg-merge-race-${round}`;
      const [a, b] = await pair(tenant, 10 + round);
      const { results, refusedAppends } = await atTheSameMoment(() => Promise.all([merge(tenant, a, b), merge(tenant, b, a)]));
      // Both decided on the same revisions: the store let one append through and refused the other whole.
      expect(refusedAppends).toBe(1);
      const refused = results.find((r) => r.statusCode !== 200);
      expect(refused?.json()).toMatchObject({ code: 'lead_merged' });
      await expectOneMerged(tenant, a, b, results, 422);
    }
  });

  it('with If-Match on both, the one that loses the race is 409', async () => {
    for (let round = 0; round < 3; round++) {
      const tenant = `pg-merge-race-if-match-${round}`;
      const [a, b] = await pair(tenant, 20 + round);
      const { results, refusedAppends } = await atTheSameMoment(() => Promise.all([merge(tenant, a, b, { 'if-match': '"0"' }), merge(tenant, b, a, { 'if-match': '"0"' })]));
      expect(refusedAppends).toBe(1);
      const refused = results.find((r) => r.statusCode !== 200);
      expect(refused?.json()).toMatchObject({ code: 'concurrency_conflict' });
      await expectOneMerged(tenant, a, b, results, 409);
    }
  });
});
