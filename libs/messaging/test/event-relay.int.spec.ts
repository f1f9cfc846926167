import { randomBytes, randomUUID } from 'node:crypto';
import { fromCloudEvent, type NewEvent, type RecordedEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { describeWithNats, eventually } from '@crm/testing';
import { jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  connectNats,
  contextStreamName,
  ensureTopology,
  EventRelay,
  InMemoryCheckpointStore,
  relayCheckpointName,
  type CheckpointStore,
  type EventPublisher,
} from '../src';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const newEvent = (n: number): NewEvent => ({
  id: randomUUID(),
  type: n % 3 === 0 ? 'leads.LeadQualified' : 'leads.LeadCaptured',
  data: { n, pad: 'x'.repeat(200) },
  metadata: { tenantId: 'tenant-1', correlationId: `c-${n}`, traceparent: TRACEPARENT, tracestate: 'crm=1' },
});

/** Appends `count` events over streams of 10 events each; returns them as recorded. */
const fill = async (store: InMemoryEventStore, count: number): Promise<RecordedEvent[]> => {
  for (let i = 0; i < count; i += 10) {
    await store.appendToStream(`lead-${randomUUID()}`, Array.from({ length: Math.min(10, count - i) }, (_, k) => newEvent(i + k)));
  }
  return store.readAll();
};

/** Every message of a stream, in stream order (bounded by count and time). */
const readStream = async (nc: NatsConnection, stream: string, expected: number): Promise<JsMsg[]> => {
  const reader = await jetstream(nc).consumers.get(stream);
  const out: JsMsg[] = [];
  const deadline = Date.now() + 20_000;
  while (out.length < expected && Date.now() < deadline) {
    const batch = await reader.fetch({ max_messages: Math.min(1000, expected - out.length), expires: 2_000 });
    for await (const m of batch) out.push(m);
  }
  return out;
};

const streamCount = async (jsm: JetStreamManager, stream: string): Promise<number> => (await jsm.streams.info(stream)).state.messages;

describeWithNats('event relay → JetStream (integration)', (natsUrl) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let namespace: string;
  let stream: string;

  beforeAll(async () => {
    nc = await connectNats({ url: natsUrl(), name: 'event-relay.int.spec' });
    jsm = await jetstreamManager(nc);
  });

  beforeEach(async () => {
    namespace = `r${randomBytes(5).toString('hex')}`;
    stream = contextStreamName('leads', namespace);
    await ensureTopology(jsm, ['leads'], { namespace });
  });

  afterEach(async () => {
    await jsm.streams.delete(stream);
    await jsm.streams.delete(`${namespace.toUpperCase()}_DLQ`);
  });

  afterAll(async () => {
    await nc.close();
  });

  it('publishes each event as a CloudEvent on crm.<context>.<EventName> with its id as Nats-Msg-Id and its trace headers', async () => {
    const store = new InMemoryEventStore();
    const events = await fill(store, 3);
    const relay = new EventRelay({ context: 'leads', store, publisher: jetstream(nc), checkpoints: new InMemoryCheckpointStore(), namespace });
    await relay.start();
    try {
      const msgs = await readStream(nc, stream, 3);
      expect(msgs.map((m) => m.subject)).toEqual([`${namespace}.leads.LeadQualified`, `${namespace}.leads.LeadCaptured`, `${namespace}.leads.LeadCaptured`]);
      expect(msgs.map((m) => m.headers?.get('Nats-Msg-Id'))).toEqual(events.map((e) => e.id));
      expect(msgs.map((m) => m.headers?.get('traceparent'))).toEqual([TRACEPARENT, TRACEPARENT, TRACEPARENT]);
      expect(msgs[0].headers?.get('tracestate')).toBe('crm=1');
      expect(msgs[0].headers?.get('Content-Type')).toBe('application/cloudevents+json');
      expect(msgs.map((m) => fromCloudEvent(m.data))).toEqual(events);
      expect(JSON.parse(msgs[0].string())).toMatchObject({ specversion: '1.0', source: '/crm/leads', id: events[0].id });
      await eventually(() => (relay.stats().checkpoint === events[2].position ? true : undefined));
      expect(await relay.lag()).toBe(0);
    } finally {
      await relay.stop();
    }
    expect(relay.stats()).toMatchObject({ state: 'stopped', published: 3, duplicates: 0, inFlight: 0 });
  });

  it('after a crash mid-stream, a new relay completes the stream: every event exactly once, no gaps, in order', async () => {
    const total = 3_000;
    const crashAfter = 1_700;
    const store = new InMemoryEventStore();
    const events = await fill(store, total);
    const checkpoints = new InMemoryCheckpointStore();
    const js = jetstream(nc);

    // Relay 1 "dies" at its 1,700th publish: from then on nothing it does reaches the server
    // or the checkpoint store (no clean stop, no final checkpoint flush).
    let calls = 0;
    let crashed = false;
    const dyingPublisher: EventPublisher = {
      publish: (subject, payload, options) => {
        if (++calls >= crashAfter) crashed = true;
        return crashed ? new Promise(() => undefined) : js.publish(subject, payload, options);
      },
    };
    const dyingCheckpoints: CheckpointStore = {
      load: (name, source) => checkpoints.load(name, source),
      save: async (name, source, position) => {
        if (!crashed) await checkpoints.save(name, source, position);
      },
    };
    const relay1 = new EventRelay({ context: 'leads', store, publisher: dyingPublisher, checkpoints: dyingCheckpoints, namespace, checkpointEvery: 500 });
    await relay1.start();
    await eventually(() => (crashed && relay1.stats().inFlight > 0 && relay1.stats().published >= crashAfter - 1 - 256 ? true : undefined));
    const publishedBeforeCrash = await streamCount(jsm, stream);
    const checkpointAtCrash = await checkpoints.load(relayCheckpointName('leads'), 'leads');
    expect(publishedBeforeCrash).toBeGreaterThan(0);
    expect(publishedBeforeCrash).toBeLessThan(total);
    // The durable checkpoint is behind what reached the stream: the window the restart must de-duplicate.
    expect(checkpointAtCrash === undefined || checkpointAtCrash < events[publishedBeforeCrash - 1].position).toBe(true);

    const relay2 = new EventRelay({ context: 'leads', store, publisher: js, checkpoints, namespace, checkpointEvery: 500 });
    await relay2.start();
    try {
      await eventually(() => (relay2.stats().ackedPosition === events[total - 1].position ? true : undefined), 30_000);
      expect(relay2.stats().duplicates).toBeGreaterThan(0);
      expect(await streamCount(jsm, stream)).toBe(total);
      const msgs = await readStream(nc, stream, total);
      const ids = msgs.map((m) => m.headers?.get('Nats-Msg-Id'));
      expect(new Set(ids).size).toBe(total);
      expect(ids).toEqual(events.map((e) => e.id));
      expect(msgs.map((m) => fromCloudEvent(m.data).position)).toEqual(events.map((e) => e.position));
    } finally {
      await relay2.stop();
    }
    expect(await checkpoints.load(relayCheckpointName('leads'), 'leads')).toBe(events[total - 1].position);
  });

  it('restarts from the acked position after a failed publish, and the stream still holds every event once', async () => {
    const store = new InMemoryEventStore();
    const events = await fill(store, 500);
    const js = jetstream(nc);
    let calls = 0;
    const flaky: EventPublisher = {
      publish: (subject, payload, options) => (++calls === 120 ? Promise.reject(new Error('simulated publish timeout')) : js.publish(subject, payload, options)),
    };
    const errors: unknown[] = [];
    const relay = new EventRelay({
      context: 'leads',
      store,
      publisher: flaky,
      checkpoints: new InMemoryCheckpointStore(),
      namespace,
      retry: { initialBackoffMs: 10, maxBackoffMs: 50 },
      onError: (e) => errors.push(e),
    });
    await relay.start();
    try {
      await eventually(() => (relay.stats().ackedPosition === events[499].position ? true : undefined));
    } finally {
      await relay.stop();
    }
    expect(errors).toHaveLength(1);
    expect(relay.stats().lastError).toContain('simulated publish timeout');
    expect(await streamCount(jsm, stream)).toBe(500);
    const ids = (await readStream(nc, stream, 500)).map((m) => m.headers?.get('Nats-Msg-Id'));
    expect([...ids].sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('de-duplicates a re-published event id within the duplicate window', async () => {
    const js = jetstream(nc);
    const store = new InMemoryEventStore();
    const events = await fill(store, 20);

    const first = new EventRelay({ context: 'leads', store, publisher: js, checkpoints: new InMemoryCheckpointStore(), namespace });
    await first.start();
    await eventually(() => (first.stats().ackedPosition === events[19].position ? true : undefined));
    await first.stop();
    // A relay that lost its checkpoint re-publishes everything: all duplicates.
    const again = new EventRelay({ context: 'leads', store, publisher: js, checkpoints: new InMemoryCheckpointStore(), namespace });
    await again.start();
    await eventually(() => (again.stats().ackedPosition === events[19].position ? true : undefined));
    await again.stop();

    expect(again.stats()).toMatchObject({ published: 20, duplicates: 20 });
    const direct = await js.publish(`${namespace}.leads.LeadCaptured`, 'ignored', { msgID: events[0].id });
    expect(direct.duplicate).toBe(true);
    expect(await streamCount(jsm, stream)).toBe(20);
  });
});
