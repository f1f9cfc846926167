import { randomBytes, randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { describeWithNats, eventually } from '@crm/testing';
import { consumerContract } from '../consumer.contract';
import type { DeliveryContext, SourceContext } from '../consumer.port';
import { EventRelay } from '../relay/event-relay';
import { InMemoryCheckpointStore } from '../store/in-memory-checkpoint-store';
import { connectNats } from './nats-connection';
import { JetStreamEventConsumer, subjectFilterFor } from './jetstream-consumer';
import { listJetStreamDeadLetters } from './jetstream-dead-letters';
import { contextStreamName, deadLetterStreamName, ensureTopology } from './jetstream-topology';

const SOURCES: SourceContext[] = ['leads', 'sales'];

describe('subjectFilterFor', () => {
  it('maps event types to subjects, and anything else to the whole context', () => {
    expect(subjectFilterFor('leads', undefined, 'crm')).toEqual(['crm.leads.>']);
    expect(subjectFilterFor('leads', { categories: ['lead'] }, 'crm')).toEqual(['crm.leads.>']);
    expect(subjectFilterFor('leads', { eventTypes: ['leads.LeadQualified', 'leads.LeadCaptured', 'leads.LeadCaptured'] }, 'crm')).toEqual([
      'crm.leads.LeadCaptured',
      'crm.leads.LeadQualified',
    ]);
  });
});

describeWithNats('JetStream consumer (relay → nats-server → durable pull consumers)', (natsUrl) => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connectNats({ url: natsUrl(), name: 'jetstream-consumer.spec' });
  });

  afterAll(async () => {
    await nc.close();
  });

  it('continues the attempt count across a restart mid-retry (JetStream counts the deliveries)', async () => {
    const namespace = `t${randomBytes(5).toString('hex')}`;
    const topology = { namespace };
    const jsm = await jetstreamManager(nc);
    await ensureTopology(jsm, ['leads'], topology);
    const store = new InMemoryEventStore();
    const relay = new EventRelay({ context: 'leads', store, publisher: jetstream(nc), checkpoints: new InMemoryCheckpointStore(), namespace });
    await relay.start();
    const name = 'contract.mid-retry';
    const [poison, next] = [randomUUID(), randomUUID()];
    await store.appendToStream(`lead-${randomUUID()}`, [poison, next].map((id) => ({ id, type: 'leads.LeadCaptured', data: {}, metadata: { tenantId: 't', correlationId: 'c' } })));
    const attempts: [string, number][] = [];
    const handler = async (e: RecordedEvent, ctx: DeliveryContext) => {
      attempts.push([e.id, ctx.attempt]);
      if (e.id === poison) throw new Error('still failing');
    };
    try {
      // First process: attempt 1 fails, then a long back-off; it stops during the back-off.
      const slow = new JetStreamEventConsumer(nc, { topology, retry: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 } });
      const r1 = await slow.start({ name, sources: ['leads'], maxDeliver: 4 }, handler);
      await eventually(() => (attempts.length === 1 ? true : undefined));
      await r1.stop();
      // Second process: JetStream redelivers with delivery count 2, so the attempts go on at 2.
      const fast = new JetStreamEventConsumer(nc, { topology, retry: { initialBackoffMs: 5, maxBackoffMs: 20 } });
      const r2 = await fast.start({ name, sources: ['leads'], maxDeliver: 4 }, handler);
      await eventually(() => (attempts.length === 5 ? true : undefined));
      await r2.stop();
      expect(attempts).toEqual([[poison, 1], [poison, 2], [poison, 3], [poison, 4], [next, 1]]);
      const dead = await listJetStreamDeadLetters(nc, name, { namespace });
      expect(dead.map((d) => [d.event.id, d.attempts])).toEqual([[poison, 4]]);
    } finally {
      await relay.stop();
      for (const stream of [contextStreamName('leads', namespace), deadLetterStreamName(namespace)]) await jsm.streams.delete(stream);
    }
  });

  consumerContract('NATS JetStream', async () => {
    const namespace = `t${randomBytes(5).toString('hex')}`;
    const topology = { namespace };
    const jsm = await jetstreamManager(nc);
    await ensureTopology(jsm, SOURCES, topology);
    const js = jetstream(nc);
    const stores = new Map<SourceContext, InMemoryEventStore>();
    const relays: EventRelay[] = [];
    for (const context of SOURCES) {
      const store = new InMemoryEventStore();
      stores.set(context, store);
      const relay = new EventRelay({ context, store, publisher: js, checkpoints: new InMemoryCheckpointStore(), namespace, checkpointIntervalMs: 20 });
      await relay.start();
      relays.push(relay);
    }
    const consumers: JetStreamEventConsumer[] = [];
    return {
      append: async (source: SourceContext, streamName: string, events: readonly NewEvent[]) => {
        await stores.get(source)!.appendToStream(streamName, events);
      },
      newConsumer: () => {
        const c = new JetStreamEventConsumer(nc, { topology, retry: { initialBackoffMs: 5, maxBackoffMs: 20 } });
        consumers.push(c);
        return c;
      },
      deadLetters: (consumer: string) => listJetStreamDeadLetters(nc, consumer, { namespace }),
      dispose: async () => {
        await Promise.all(consumers.map((c) => c.close()));
        await Promise.all(relays.map((r) => r.stop()));
        for (const name of [...SOURCES.map((s) => contextStreamName(s, namespace)), deadLetterStreamName(namespace)]) {
          await jsm.streams.delete(name);
        }
      },
    };
  });
});
