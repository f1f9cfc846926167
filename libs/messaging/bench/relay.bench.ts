/**
 * Relay throughput against raw JetStream publishing, on a nats-server of our own (loopback,
 * temporary store dir). Prints msgs/s of each and the ratio (target ≥ 0.80, docs/PERFORMANCE.md).
 *
 *   npm run bench:relay -- [--count 50000] [--runs 3] [--window 256] [--only raw|relay]
 */
import { randomUUID } from 'node:crypto';
import { encodeCloudEvent, type NewEvent, type RecordedEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { connectNats, contextStreamName, ensureTopology, EventRelay, InMemoryCheckpointStore } from '../src';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 50_000);
const RUNS = arg('runs', 3);
const WINDOW = arg('window', 256);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/**
 * Raw async publish: `count` messages of `payload`, each with a msgID (and `extraHeaders`), at
 * most `window` awaiting their ack.
 */
const rawPublish = async (
  js: JetStreamClient,
  subject: string,
  count: number,
  window: number,
  payload: Uint8Array = new Uint8Array(300).fill(120),
  extraHeaders: Record<string, string> = {},
): Promise<number> => {
  let inFlight = 0;
  let acked = 0;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const settle = () => {
    inFlight--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const started = performance.now();
  for (let i = 0; i < count && !failed; i++) {
    while (inFlight >= window) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    let h: MsgHdrs | undefined;
    for (const [k, v] of Object.entries(extraHeaders)) (h ??= natsHeaders()).set(k, v);
    js.publish(subject, payload, { msgID: randomUUID(), ...(h ? { headers: h } : {}) }).then(
      () => {
        acked++;
        settle();
      },
      (error: unknown) => {
        failed = error;
        settle();
      },
    );
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  if (failed || acked !== count) throw new Error(`raw publish: ${acked}/${count} acked (${String(failed)})`);
  return count / ((performance.now() - started) / 1000);
};

const leadEvent = (n: number): NewEvent => ({
  type: 'leads.LeadCaptured',
  data: { leadId: `l-${n}`, name: 'Ada Lovelace', channel: 'web_form' },
  metadata: { tenantId: 'tenant-1', correlationId: randomUUID(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
});

const relayRun = async (js: JetStreamClient, namespace: string, count: number, window: number): Promise<number> => {
  const store = new InMemoryEventStore();
  for (let i = 0; i < count; i += 100) await store.appendToStream(`lead-${randomUUID()}`, Array.from({ length: Math.min(100, count - i) }, (_, k) => leadEvent(i + k)));
  const [last] = await store.readAll({ after: BigInt(count - 2), maxCount: 1 });
  const relay = new EventRelay({ context: 'leads', store, publisher: js, checkpoints: new InMemoryCheckpointStore(), namespace, maxInFlight: window });
  const started = performance.now();
  await relay.start();
  const deadline = Date.now() + 300_000;
  while (relay.stats().ackedPosition !== last.position && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  const stats = relay.stats();
  if (stats.published !== count || stats.duplicates !== 0) throw new Error(`relay published ${stats.published} (${stats.duplicates} duplicates), expected ${count}`);
  return count / seconds;
};

const median = (xs: number[]): number => (xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

const main = async (): Promise<void> => {
  const { startNatsServer } = await import('@crm/testing/src/local-servers.mjs');
  const server = await startNatsServer();
  const port = server.port;
  try {
    const nc = await connectNats({ url: server.url, name: 'relay.bench' });
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    // A message exactly like the relay's (CloudEvent body and headers), for the same-bytes baseline.
    const sample: RecordedEvent = { ...leadEvent(0), id: randomUUID(), streamName: `lead-${randomUUID()}`, revision: 0, position: 0n, occurredAt: new Date() };
    const sampleBody = new TextEncoder().encode(encodeCloudEvent('leads', sample));
    const sampleHeaders = { 'Content-Type': 'application/cloudevents+json', traceparent: String(sample.metadata.traceparent) };
    const results: Record<'raw' | 'sameBytes' | 'relay', number[]> = { raw: [], sameBytes: [], relay: [] };
    console.log(`nats-server ${nc.info?.version} on 127.0.0.1:${port}; ${COUNT} messages per run, ${RUNS} runs, window ${WINDOW}, file storage`);
    // Each measurement on a fresh stream, interleaved run by run so that machine noise hits all alike.
    const cpu: Record<string, number[]> = { raw: [], same: [], relay: [] };
    const measure = async (label: 'raw' | 'same' | 'relay', body: (namespace: string) => Promise<number>): Promise<number> => {
      const namespace = `${label.toLowerCase()}${Math.random().toString(36).slice(2, 8)}`;
      await ensureTopology(jsm, ['leads'], { namespace });
      try {
        const before = process.cpuUsage();
        const rate = await body(namespace);
        const used = process.cpuUsage(before);
        cpu[label].push((used.user + used.system) / COUNT);
        return rate;
      } finally {
        await jsm.streams.delete(contextStreamName('leads', namespace));
        await jsm.streams.delete(`${namespace.toUpperCase()}_DLQ`);
      }
    };
    for (let run = 1; run <= RUNS; run++) {
      if (ONLY !== 'relay') results.raw.push(await measure('raw', (ns) => rawPublish(js, `${ns}.leads.LeadCaptured`, COUNT, WINDOW)));
      if (ONLY !== 'relay' && ONLY !== 'raw') results.sameBytes.push(await measure('same', (ns) => rawPublish(js, `${ns}.leads.LeadCaptured`, COUNT, WINDOW, sampleBody, sampleHeaders)));
      if (ONLY !== 'raw') results.relay.push(await measure('relay', (ns) => relayRun(js, ns, COUNT, WINDOW)));
      const last = (xs: number[]) => (xs.length ? xs[xs.length - 1].toFixed(0) : '-');
      console.log(`run ${run}: raw ${last(results.raw)} msgs/s, raw same bytes ${last(results.sameBytes)} msgs/s, relay ${last(results.relay)} msgs/s`);
    }
    const raw = median(results.raw);
    const same = median(results.sameBytes);
    const relay = median(results.relay);
    console.log('');
    console.log(`raw async publish, 300 B + msgID (baseline):           ${raw.toFixed(0)} msgs/s (median)`);
    console.log(`raw async publish, relay's ${sampleBody.length} B body + its headers:  ${same.toFixed(0)} msgs/s (median)`);
    console.log(`relay from an in-memory store:                          ${relay.toFixed(0)} msgs/s (median)`);
    console.log(`ratio relay / raw 300 B:        ${(relay / raw).toFixed(2)} (target >= 0.80)`);
    console.log(`ratio relay / raw same bytes:   ${(relay / same).toFixed(2)} (the relay's own overhead)`);
    console.log(`client CPU per message (median, µs): raw ${median(cpu.raw).toFixed(1)}, raw same bytes ${median(cpu.same).toFixed(1)}, relay ${median(cpu.relay).toFixed(1)} (relay includes reading the store)`);
    await nc.close();
  } finally {
    await server.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
