import { randomBytes } from 'node:crypto';
import type { NewEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { describeWithNats } from '@crm/testing';
import { consumerContract } from '../consumer.contract';
import type { SourceContext } from '../consumer.port';
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
