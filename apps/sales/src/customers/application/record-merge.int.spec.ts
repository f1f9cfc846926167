import { SalesCustomerEventType as T } from '@crm/contracts';
import { migratePostgresEventStore, PostgresEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { InMemoryTimerStore } from '@crm/scheduler';
import { committedEvents, usePostgresApp } from '@crm/testing';
import { AppModule } from '../../app.module';
import { matchKeyStream } from './match-key-index';

/**
 * Merges on the PostgreSQL event store: one multi-stream read and ONE atomic append of the merged
 * record, the survivor and the re-pointed keys; two opposite merges of the same pair at the same
 * moment, of which exactly one may commit; and a retry with the same Idempotency-Key.
 */
describe('account and contact merges on PostgreSQL', () => {
  const pg = usePostgresApp(
    'sales_merge',
    async (pool) => {
      await migratePostgresEventStore(pool, 'sales');
      return new PostgresEventStore({ pool, schema: 'sales' });
    },
    (store) => {
      const config = loadBaseConfig('sales', 3102, { EVENT_STORE: 'memory' });
      const module = AppModule.forRoot(config, { eventStore: store, timers: { timerStore: new InMemoryTimerStore(), start: false }, sales: { background: false } });
      return createServiceApp(module, { name: 'sales', description: 'test' }, { logger: false });
    },
  );

  const send = (tenant: string, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    pg.app.inject({ method, url, headers: { 'x-tenant-id': tenant, ...headers }, ...(payload && { payload }) });
  const create = async (tenant: string, kind: 'accounts' | 'contacts', body: object) => {
    const res = await send(tenant, 'POST', `/v1/${kind}`, body);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const tenantEvents = (tenant: string) => committedEvents(pg.pool, 'sales', { tenantId: tenant });


  it('writes a merge as one atomic append: the merged record, the survivor and its keys in one transaction', async () => {
    const tenant = 'pg-merge-one';
    const survivor = await create(tenant, 'accounts', { name: 'Acme Co., Ltd.', email: 'info@acme.com' });
    const merged = await create(tenant, 'accounts', { name: 'Acme Trading', phone: '+14155550100', email: 'sales@acme-trading.com' });
    const before = (await tenantEvents(tenant)).length;
    const calls = await pg.storeCalls(async () => {
      const res = await send(tenant, 'POST', `/v1/accounts/${survivor}/merge`, { mergedId: merged });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: survivor, mergedIds: [merged] });
    });
    // The merged record's keys are only known after reading it: a second read includes their streams.
    expect(calls).toEqual({ readStream: 0, readStreams: 2, appendToStream: 0, appendToStreams: 1 });
    const written = (await tenantEvents(tenant)).slice(before);
    expect(written.map((e) => e.type)).toEqual([T.AccountMergedInto, T.AccountsMerged, T.MatchKeyClaimed, T.MatchKeyClaimed, T.MatchKeyClaimed]);
    expect(new Set(written.map((e) => e.position >> 20n)).size).toBe(1);
    const phoneKey = await pg.store.readStream(matchKeyStream(tenant, 'account', 'phone:+14155550100'));
    expect(phoneKey.at(-1)!.data).toMatchObject({ ownerId: survivor, previousOwnerId: merged, reason: 'merged' });
  });

  /** Both directions at once, for `pairs` pairs at once; exactly one direction of each pair wins. */
  const raceOppositeMerges = async (tenant: string, kind: 'accounts' | 'contacts', pairs: number, headers: Record<string, string> = {}) => {
    const records = await Promise.all(Array.from({ length: pairs }, async (_, i) => {
      const a = await create(tenant, kind, { name: `Alpha ${i}`, phone: `+1415555${String(1000 + i)}`, email: `alpha${i}@example.com` });
      const b = await create(tenant, kind, { name: `Beta ${i}`, phone: `+1415556${String(1000 + i)}`, email: `beta${i}@example.com` });
      return { a, b };
    }));
    const answers = await Promise.all(records.flatMap(({ a, b }) => [
      send(tenant, 'POST', `/v1/${kind}/${a}/merge`, { mergedId: b }, headers),
      send(tenant, 'POST', `/v1/${kind}/${b}/merge`, { mergedId: a }, headers),
    ]));
    return { records, answers };
  };

  /** The pair is consistent: one is merged into the other, which absorbed it, and the loser's keys lead to the survivor. */
  const expectOneMerged = async (tenant: string, kind: 'account' | 'contact', a: string, b: string, i: number) => {
    const [ra, rb] = await Promise.all([a, b].map((id) => send(tenant, 'GET', `/v1/${kind}s/${id}`)));
    const views = [ra.json<{ id: string; status: string; mergedInto?: string; mergedIds: string[] }>(), rb.json<{ id: string; status: string; mergedInto?: string; mergedIds: string[] }>()];
    expect(views.map((v) => v.status).sort()).toEqual(['active', 'merged']);
    const loser = views.find((v) => v.status === 'merged')!;
    const winner = views.find((v) => v.status === 'active')!;
    expect(loser.mergedInto).toBe(winner.id);
    expect(winner.mergedIds).toEqual([loser.id]);
    expect(loser.mergedIds).toEqual([]);
    const types = (await pg.store.readStream(`${kind}-${loser.id}`)).map((e) => e.type);
    expect(types.filter((t) => t.endsWith('MergedInto'))).toHaveLength(1);
    const loserName = loser.id === a ? 'alpha' : 'beta';
    const loserPhone = loser.id === a ? `+1415555${1000 + i}` : `+1415556${1000 + i}`;
    for (const key of [`email:${loserName}${i}@example.com`, `phone:${loserPhone}`]) {
      const claims = await pg.store.readStream(matchKeyStream(tenant, kind, key));
      expect(claims.at(-1)!.data).toMatchObject({ ownerId: winner.id, previousOwnerId: loser.id, reason: 'merged' });
    }
    return winner.id;
  };

  it('of two opposite account merges of the same pair at the same moment, exactly one merges; the streams stay consistent', async () => {
    const tenant = 'pg-merge-race-accounts';
    const { records, answers } = await raceOppositeMerges(tenant, 'accounts', 6);
    for (let i = 0; i < records.length; i++) {
      const [ab, ba] = [answers[2 * i], answers[2 * i + 1]];
      expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 422]);
      const refused = ab.statusCode === 422 ? ab : ba;
      expect(refused.json()).toMatchObject({ code: 'account_merged' });
      const winner = await expectOneMerged(tenant, 'account', records[i].a, records[i].b, i);
      expect((ab.statusCode === 200 ? records[i].a : records[i].b)).toBe(winner);
    }
    // Each pair's merge is one transaction: MergedInto, Merged and the re-pointed keys share its position block.
    const merges = (await tenantEvents(tenant)).filter((e) => e.type === T.AccountMergedInto || e.type === T.AccountsMerged || (e.data as { reason?: string }).reason === 'merged');
    const blocks = new Set(merges.map((e) => e.position >> 20n));
    expect(blocks.size).toBe(records.length);
  });

  it('of two opposite contact merges with If-Match at the same moment, one merges and the other is 409', async () => {
    const tenant = 'pg-merge-race-contacts';
    const { records, answers } = await raceOppositeMerges(tenant, 'contacts', 4, { 'if-match': '"0"' });
    for (let i = 0; i < records.length; i++) {
      const [ab, ba] = [answers[2 * i], answers[2 * i + 1]];
      expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 409]);
      expect((ab.statusCode === 409 ? ab : ba).json()).toMatchObject({ code: 'concurrency_conflict' });
      await expectOneMerged(tenant, 'contact', records[i].a, records[i].b, i);
    }
  });

  it('replays a merge retried with the same Idempotency-Key: the same answer, nothing appended', async () => {
    const tenant = 'pg-merge-retry';
    const survivor = await create(tenant, 'contacts', { name: 'Zhang San', email: 'zhang.san@example.cn' });
    const merged = await create(tenant, 'contacts', { name: 'San Zhang', phone: '13800138000' });
    const first = await send(tenant, 'POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'merge-1', 'if-match': '"0"' });
    expect(first.statusCode).toBe(200);
    // Counted per stream: `$all` on PostgreSQL shows a commit only once every older transaction of
    // the server has ended, so its length can grow with other suites' earlier writes.
    const streamLengths = async () => (await pg.store.readStreams([`contact-${survivor}`, `contact-${merged}`])).map((events) => events.length);
    const before = await streamLengths();
    const calls = await pg.storeCalls(async () => {
      const again = await send(tenant, 'POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'merge-1', 'if-match': '"0"' });
      expect(again.statusCode).toBe(200);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.json()).toEqual(first.json());
    });
    expect(calls).toMatchObject({ appendToStream: 0, appendToStreams: 0 });
    expect(await streamLengths()).toEqual(before);
  });
});
