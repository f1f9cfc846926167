import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@crm/contracts';
import { eventually } from '@crm/testing';
import type { DeadLetter, DeliveryContext, EventConsumer, RunningConsumer, SourceContext } from './consumer.port';

/**
 * One adapter's test world: per-source event stores that feed the consumer (directly, or
 * through the relay and JetStream), and consumers that share durable state.
 */
export type ConsumerTestWorld = {
  /** Appends to the source's event store (one append). */
  append(source: SourceContext, streamName: string, events: readonly NewEvent[]): Promise<void>;
  /** A new adapter instance over the same durable state: what a restarted process gets. */
  newConsumer(): EventConsumer;
  deadLetters(consumer: string): Promise<DeadLetter[]>;
  dispose(): Promise<void>;
};

type Delivery = { id: string; type: string; source: SourceContext; attempt: number; position: bigint };

const event = (source: SourceContext, name: string, n: number): NewEvent => ({
  id: randomUUID(),
  type: `${source}.${name}`,
  data: { n },
  metadata: { tenantId: 'tenant-1', correlationId: randomUUID() },
});

/** Records deliveries; `fail(id, times)` makes the first `times` attempts of an event throw. */
const recorder = () => {
  const deliveries: Delivery[] = [];
  const failures = new Map<string, number>();
  const handler = async (e: RecordedEvent, ctx: DeliveryContext) => {
    deliveries.push({ id: e.id, type: e.type, source: ctx.source, attempt: ctx.attempt, position: e.position });
    const left = failures.get(e.id) ?? 0;
    if (left > 0) {
      failures.set(e.id, left - 1);
      throw new Error(`planned failure of ${e.id}`);
    }
  };
  return {
    deliveries,
    handler,
    fail: (id: string, times: number) => failures.set(id, times),
    ids: (source?: SourceContext) => deliveries.filter((d) => !source || d.source === source).map((d) => d.id),
    count: (n: number) => () => (deliveries.length >= n ? deliveries.length : undefined),
  };
};

const uniqueName = (purpose: string) => `contract.${purpose}-${randomUUID().slice(0, 8)}`;

/** The behaviour every `EventConsumer` adapter shares (see consumer.port.ts). */
export const consumerContract = (adapter: string, createWorld: () => Promise<ConsumerTestWorld>): void => {
  describe(`EventConsumer contract: ${adapter}`, () => {
    let world: ConsumerTestWorld;
    const running: RunningConsumer[] = [];
    const start = async (consumer: EventConsumer, ...args: Parameters<EventConsumer['start']>) => {
      const r = await consumer.start(...args);
      running.push(r);
      return r;
    };

    beforeEach(async () => {
      world = await createWorld();
    });

    afterEach(async () => {
      await Promise.all(running.splice(0).map((r) => r.stop()));
      await world.dispose();
    });

    it('delivers every event once, in order, history first and then live', async () => {
      const history = [event('leads', 'LeadCaptured', 1), event('leads', 'LeadQualified', 2), event('leads', 'LeadCaptured', 3)];
      await world.append('leads', `lead-${randomUUID()}`, history.slice(0, 2));
      await world.append('leads', `lead-${randomUUID()}`, history.slice(2));
      const rec = recorder();
      await start(world.newConsumer(), { name: uniqueName('order'), sources: ['leads'] }, rec.handler);
      await eventually(rec.count(3));
      const live = [event('leads', 'LeadDisqualified', 4), event('leads', 'LeadCaptured', 5)];
      await world.append('leads', `lead-${randomUUID()}`, live);
      await eventually(rec.count(5));

      expect(rec.ids()).toEqual([...history, ...live].map((e) => e.id));
      expect(rec.deliveries.every((d) => d.attempt === 1 && d.source === 'leads')).toBe(true);
      const positions = rec.deliveries.map((d) => d.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
    });

    it('resumes after stop and start from its durable checkpoint, without re-delivering handled events', async () => {
      const name = uniqueName('resume');
      const first = [1, 2, 3, 4].map((n) => event('leads', 'LeadCaptured', n));
      await world.append('leads', `lead-${randomUUID()}`, first);
      const rec = recorder();
      const r1 = await start(world.newConsumer(), { name, sources: ['leads'] }, rec.handler);
      await eventually(rec.count(4));
      await r1.stop();

      const second = [5, 6, 7].map((n) => event('leads', 'LeadQualified', n));
      await world.append('leads', `lead-${randomUUID()}`, second);
      await start(world.newConsumer(), { name, sources: ['leads'] }, rec.handler);
      await eventually(rec.count(7));
      // A marker behind which any wrongful re-delivery would have shown up first.
      const marker = event('leads', 'LeadCaptured', 8);
      await world.append('leads', `lead-${randomUUID()}`, [marker]);
      await eventually(rec.count(8));

      expect(rec.ids()).toEqual([...first, ...second, marker].map((e) => e.id));
    });

    it('retries a failing event in place: attempts 1, 2, 3, and later events wait for it', async () => {
      const events = [1, 2, 3].map((n) => event('leads', 'LeadCaptured', n));
      const rec = recorder();
      rec.fail(events[0].id!, 2);
      await world.append('leads', `lead-${randomUUID()}`, events);
      await start(world.newConsumer(), { name: uniqueName('retry'), sources: ['leads'], maxDeliver: 5 }, rec.handler);
      await eventually(rec.count(5));

      expect(rec.deliveries.map((d) => [d.id, d.attempt])).toEqual([
        [events[0].id, 1],
        [events[0].id, 2],
        [events[0].id, 3],
        [events[1].id, 1],
        [events[2].id, 1],
      ]);
    });

    it('dead-letters a poison event after maxDeliver attempts and goes on with later events', async () => {
      const name = uniqueName('poison');
      const events = [1, 2, 3].map((n) => event('leads', 'LeadCaptured', n));
      const rec = recorder();
      rec.fail(events[1].id!, Number.MAX_SAFE_INTEGER);
      await world.append('leads', `lead-${randomUUID()}`, events);
      await start(world.newConsumer(), { name, sources: ['leads'], maxDeliver: 3 }, rec.handler);
      await eventually(rec.count(5));

      expect(rec.deliveries.map((d) => [d.id, d.attempt])).toEqual([
        [events[0].id, 1],
        [events[1].id, 1],
        [events[1].id, 2],
        [events[1].id, 3],
        [events[2].id, 1],
      ]);
      const dead = await eventually(async () => {
        const list = await world.deadLetters(name);
        return list.length === 1 ? list : undefined;
      });
      expect(dead[0]).toMatchObject({ consumer: name, source: 'leads', attempts: 3 });
      expect(dead[0].event.id).toBe(events[1].id);
      expect(dead[0].event.data).toEqual({ n: 2 });
      expect(dead[0].error).toContain(`planned failure of ${events[1].id}`);
      expect(await world.deadLetters(uniqueName('other'))).toEqual([]);
    });

    it('delivers only what the filter selects (event types, categories)', async () => {
      const wanted = [event('leads', 'LeadQualified', 1), event('leads', 'LeadCaptured', 2)];
      await world.append('leads', `lead-${randomUUID()}`, [wanted[0], event('leads', 'LeadDisqualified', 9), wanted[1]]);
      const otherCategory = [event('leads', 'LeadCaptured', 10), event('leads', 'LeadQualified', 11)];
      await world.append('leads', `campaign-${randomUUID()}`, otherCategory);
      const last = event('leads', 'LeadQualified', 3);
      await world.append('leads', `lead-${randomUUID()}`, [last]);

      const byType = recorder();
      await start(world.newConsumer(), { name: uniqueName('by-type'), sources: ['leads'], filter: { eventTypes: ['leads.LeadQualified'] } }, byType.handler);
      const both = recorder();
      await start(
        world.newConsumer(),
        { name: uniqueName('types-and-category'), sources: ['leads'], filter: { eventTypes: ['leads.LeadCaptured', 'leads.LeadQualified'], categories: ['lead'] } },
        both.handler,
      );
      await eventually(byType.count(3));
      await eventually(both.count(3));
      // Everything appended before the marker has been through both consumers by now.
      expect(byType.ids()).toEqual([wanted[0].id, otherCategory[1].id, last.id]);
      expect(both.ids()).toEqual([wanted[0].id, wanted[1].id, last.id]);
    });

    it('consumes two sources independently, each in its own order', async () => {
      const leads = [1, 2, 3, 4].map((n) => event('leads', 'LeadCaptured', n));
      const sales = [1, 2, 3, 4].map((n) => event('sales', 'DealWon', n));
      for (let i = 0; i < 4; i++) {
        await world.append('leads', `lead-${randomUUID()}`, [leads[i]]);
        await world.append('sales', `deal-${randomUUID()}`, [sales[i]]);
      }
      const rec = recorder();
      let releaseLeads!: () => void;
      const salesDone = new Promise<void>((resolve) => (releaseLeads = resolve));
      // The first leads event is held until every sales event has arrived: one source never waits for another.
      const handler = async (e: RecordedEvent, ctx: DeliveryContext) => {
        await rec.handler(e, ctx);
        if (e.id === leads[0].id) await salesDone;
        if (rec.ids('sales').length === sales.length) releaseLeads();
      };
      await start(world.newConsumer(), { name: uniqueName('two-sources'), sources: ['leads', 'sales'] }, handler);
      await eventually(rec.count(8));

      expect(rec.ids('leads')).toEqual(leads.map((e) => e.id));
      expect(rec.ids('sales')).toEqual(sales.map((e) => e.id));
      expect(rec.deliveries.filter((d) => d.source === 'sales').every((d) => d.type.startsWith('sales.'))).toBe(true);
    });

    it('reports its lag per source', async () => {
      const events = [1, 2, 3, 4, 5].map((n) => event('leads', 'LeadCaptured', n));
      await world.append('leads', `lead-${randomUUID()}`, events);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const rec = recorder();
      const r = await start(
        world.newConsumer(),
        { name: uniqueName('lag'), sources: ['leads'] },
        async (e, ctx) => {
          await rec.handler(e, ctx);
          await gate;
        },
      );
      await eventually(async () => ((await r.lag())[0].pending === 5 ? true : undefined));
      release();
      await eventually(rec.count(5));
      await eventually(async () => {
        const lag = await r.lag();
        return lag.length === 1 && lag[0].source === 'leads' && lag[0].pending === 0 ? true : undefined;
      });
    });

    it('rejects an invalid consumer name', async () => {
      await expect(world.newConsumer().start({ name: 'bad name', sources: ['leads'] }, async () => undefined)).rejects.toThrow(/consumer name/);
      await expect(world.newConsumer().start({ name: 'app.ok', sources: [] }, async () => undefined)).rejects.toThrow(/source/);
    });
  });
};
