import { fromCloudEvent, type RecordedEvent } from '@crm/contracts';
import { matchesFilter, type EventFilter } from '@crm/eventstore';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/nats-core';
import { startSourceRuns, type SourceRun } from '../source-runs';
import { durableConsumerName, resolveConsumerOptions, type ResolvedConsumerOptions } from '../consumer-options';
import type { ConsumerOptions, EventConsumer, EventHandler, RunningConsumer, SourceContext, SourceLag } from '../consumer.port';
import { backOff, backoffDelay, DEFAULT_RETRY_POLICY, deliverWithRetry, errorText, type DeliveryOutcome, type RetryPolicy } from '../retry-delivery';
import { extractTraceContext, TRACEPARENT, TRACESTATE } from '../trace-headers';
import {
  contextStreamName,
  contextSubjects,
  DEFAULT_NAMESPACE,
  deadLetterSubject,
  ensureContextStream,
  ensureDeadLetterStream,
  eventSubject,
  type JetStreamTopologyOptions,
} from './jetstream-topology';

/** Headers a dead-letter message carries next to the original CloudEvent body. */
export const DeadLetterHeaders = {
  consumer: 'Crm-Dead-Letter-Consumer',
  source: 'Crm-Dead-Letter-Source',
  error: 'Crm-Dead-Letter-Error',
  attempts: 'Crm-Dead-Letter-Attempts',
  failedAt: 'Crm-Dead-Letter-Failed-At',
  streamSequence: 'Crm-Dead-Letter-Stream-Sequence',
} as const;

export type JetStreamConsumerSettings = {
  /** Stream naming and settings, shared with the relay (the consumer ensures the streams it reads). */
  topology?: JetStreamTopologyOptions;
  retry?: RetryPolicy;
  /** Server-side ack deadline; the consumer extends it (`working()`) while a handler or back-off runs. Default 30 s. */
  ackWaitMs?: number;
  /** Messages asked for per pull request (default 100; the server still sends them one ack at a time). */
  fetchBatch?: number;
  /** Pull request lifetime when idle (default 1 s, the client's minimum): also the longest a `stop()` waits for it. */
  fetchExpiresMs?: number;
  /** Restarts of a source's pull loop after consecutive failures before it gives up (default 10). */
  maxConsecutiveFailures?: number;
  onError?: (error: unknown, where: { consumer: string; source: SourceContext }) => void;
};

type Settings = Required<Omit<JetStreamConsumerSettings, 'onError' | 'topology'>> & Pick<JetStreamConsumerSettings, 'onError'> & { topology: JetStreamTopologyOptions; namespace: string };

/** Whether the server understands `filter_subjects` (several filters on one consumer): 2.10+. */
const supportsMultipleFilters = (version: string | undefined): boolean => {
  const [major, minor] = (version ?? '0.0').split('.').map((n) => Number.parseInt(n, 10));
  return major > 2 || (major === 2 && minor >= 10);
};

/**
 * The server-side subject filter for one source: the subjects of the filter's event types when
 * it names them, otherwise the whole context. Every other filter part (categories, stream
 * prefixes, type prefixes) is applied client-side, as is the full filter anyway.
 */
export const subjectFilterFor = (source: SourceContext, filter: EventFilter | undefined, namespace: string): string[] => {
  const types = filter?.eventTypes ?? [];
  if (types.length === 0) return [contextSubjects(source, namespace)];
  return [...new Set(types.map((t) => eventSubject(source, t, namespace)))].sort();
};

/**
 * The JetStream consumer: one durable pull consumer per source stream, named after the
 * consumer (`insights.lead-read-model` → durable `insights_lead-read-model`), explicit acks,
 * `max_ack_pending: 1` so that the server never hands out a later message of the source while
 * an earlier one is unacknowledged (strict per-source order, also across crashes and
 * restarts). A failing handler is retried in place while `working()` holds the ack deadline;
 * attempt numbers start at JetStream's delivery count, so a crash mid-retry continues the
 * count. After `maxDeliver` failed attempts the original message is published, with the error
 * in headers, to `crm.dlq.<consumer>` and acked. The server's `max_deliver` is one more than
 * that: a delivery beyond `maxDeliver` means earlier ones ended without a result (a crash), and
 * it is dead-lettered without calling the handler again.
 */
export class JetStreamEventConsumer implements EventConsumer {
  private readonly running = new Set<RunningConsumer>();
  private readonly settings: Settings;
  private readonly js: JetStreamClient;
  private jsm?: JetStreamManager;

  constructor(private readonly nc: NatsConnection, settings: JetStreamConsumerSettings = {}) {
    const topology = settings.topology ?? {};
    this.settings = {
      topology,
      namespace: topology.namespace ?? DEFAULT_NAMESPACE,
      retry: settings.retry ?? DEFAULT_RETRY_POLICY,
      ackWaitMs: settings.ackWaitMs ?? 30_000,
      fetchBatch: settings.fetchBatch ?? 100,
      fetchExpiresMs: settings.fetchExpiresMs ?? 1_000,
      maxConsecutiveFailures: settings.maxConsecutiveFailures ?? 10,
      onError: settings.onError,
    };
    this.js = jetstream(nc);
  }

  private async manager(): Promise<JetStreamManager> {
    this.jsm ??= await jetstreamManager(this.nc);
    return this.jsm;
  }

  async start(options: ConsumerOptions, handler: EventHandler): Promise<RunningConsumer> {
    const resolved = resolveConsumerOptions(options);
    const jsm = await this.manager();
    await ensureDeadLetterStream(jsm, this.settings.topology);
    return startSourceRuns(
      resolved.sources,
      async (source) => {
        await ensureContextStream(jsm, source, this.settings.topology);
        return new JetStreamSourceRun(resolved, source, handler, this.nc, this.js, jsm, this.settings);
      },
      this.running,
      () => this.nc.flush(),
    );
  }

  /** Stops every running consumer; the connection stays open (its owner closes it). */
  async close(): Promise<void> {
    await Promise.all([...this.running].map((r) => r.stop()));
  }
}

class JetStreamSourceRun implements SourceRun {
  private readonly abort = new AbortController();
  private readonly stream: string;
  private readonly durable: string;
  private loop?: Promise<void>;
  /** Stream sequence of the last message finished in this process: a redelivered copy of it is only acked. */
  private lastSequence = 0;

  constructor(
    private readonly options: ResolvedConsumerOptions,
    private readonly source: SourceContext,
    private readonly handler: EventHandler,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly settings: Settings,
  ) {
    this.stream = contextStreamName(source, settings.namespace);
    this.durable = durableConsumerName(options.name);
  }

  private config(): Partial<ConsumerConfig> {
    const subjects = subjectFilterFor(this.source, this.options.filter, this.settings.namespace);
    const filter =
      subjects.length === 1
        ? { filter_subject: subjects[0] }
        : supportsMultipleFilters(this.nc.info?.version)
          ? { filter_subjects: subjects }
          : { filter_subject: contextSubjects(this.source, this.settings.namespace) };
    return {
      durable_name: this.durable,
      description: `${this.options.name} (${this.source})`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      ack_wait: nanos(this.settings.ackWaitMs),
      max_deliver: this.options.maxDeliver + 1,
      max_ack_pending: 1,
      ...filter,
    };
  }

  async start(): Promise<void> {
    const wanted = this.config();
    let existing: ConsumerInfo | undefined;
    try {
      existing = await this.jsm.consumers.info(this.stream, this.durable);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    }
    if (!existing) {
      await this.jsm.consumers.add(this.stream, wanted);
    } else {
      const c = existing.config;
      const same =
        c.ack_wait === wanted.ack_wait &&
        c.max_deliver === wanted.max_deliver &&
        c.max_ack_pending === wanted.max_ack_pending &&
        (c.filter_subject ?? '') === (wanted.filter_subject ?? '') &&
        (c.filter_subjects ?? []).join() === (wanted.filter_subjects ?? []).join();
      if (!same) {
        const { durable_name: _name, deliver_policy: _deliver, replay_policy: _replay, ack_policy: _ack, ...update } = wanted;
        await this.jsm.consumers.update(this.stream, this.durable, update);
      }
    }
    this.loop = this.runLoop();
  }

  private where() {
    return { consumer: this.options.name, source: this.source };
  }

  private async runLoop(): Promise<void> {
    const { signal } = this.abort;
    const consumer = await this.js.consumers.get(this.stream, this.durable);
    for (let failures = 0; !signal.aborted && failures < this.settings.maxConsecutiveFailures; ) {
      const before = this.lastSequence;
      const abandoned: JsMsg[] = [];
      try {
        const batch = await consumer.fetch({ max_messages: this.settings.fetchBatch, expires: this.settings.fetchExpiresMs });
        // With max_ack_pending 1 the server sends the next message only after the previous ack.
        // A message we give up on (stop() during its back-off, or one that arrives after stop())
        // is nak'ed only once this pull has ended: nak'ed while the pull is open, it would be
        // redelivered into it at once (a nak storm burning its delivery count); left in a pull
        // we closed early, it would be held until ack_wait. Nothing else arrives meanwhile,
        // since it is the one unacknowledged message.
        for await (const msg of batch) {
          if (signal.aborted || abandoned.length > 0) abandoned.push(msg);
          else if (!(await this.handle(msg))) abandoned.push(msg);
        }
        failures = 0;
      } catch (error) {
        this.settings.onError?.(error, this.where());
        failures = this.lastSequence === before ? failures + 1 : 1;
        await backOff(backoffDelay(this.settings.retry, failures), signal);
      } finally {
        for (const msg of abandoned) msg.nak();
      }
    }
  }

  /** False when the message was not finished (stop() during a back-off): the caller naks it. */
  private async handle(msg: JsMsg): Promise<boolean> {
    const sequence = msg.info.streamSequence;
    if (sequence <= this.lastSequence) {
      msg.ack();
      return true;
    }
    let event: RecordedEvent;
    try {
      event = fromCloudEvent(msg.data);
    } catch (error) {
      await this.deadLetter(msg, undefined, `undecodable message: ${errorText(error)}`, msg.info.deliveryCount);
      this.finish(msg);
      return true;
    }
    if (!matchesFilter(event, this.options.filter)) {
      this.finish(msg);
      return true;
    }
    const keepAlive = setInterval(() => msg.working(), Math.max(250, Math.floor(this.settings.ackWaitMs / 3)));
    let outcome: DeliveryOutcome;
    try {
      const delivery = msg.info.deliveryCount;
      outcome =
        delivery > this.options.maxDeliver
          ? { kind: 'dead', attempt: delivery - 1, error: `delivered ${delivery} times; earlier deliveries ended without a result (consumer stopped or crashed)` }
          : await deliverWithRetry({
              event,
              source: this.source,
              handler: this.handler,
              firstAttempt: delivery,
              maxDeliver: this.options.maxDeliver,
              policy: this.settings.retry,
              signal: this.abort.signal,
              trace: extractTraceContext(msg.headers),
            });
      if (outcome.kind === 'dead') await this.deadLetter(msg, event, outcome.error, outcome.attempt);
    } finally {
      clearInterval(keepAlive);
    }
    if (outcome.kind === 'aborted') return false;
    this.finish(msg);
    return true;
  }

  private finish(msg: JsMsg): void {
    msg.ack();
    this.lastSequence = msg.info.streamSequence;
  }

  /** Publishes the original message with the failure in headers to `crm.dlq.<consumer>`, and waits for the stream's ack. */
  private async deadLetter(msg: JsMsg, event: RecordedEvent | undefined, error: string, attempts: number): Promise<void> {
    const h = natsHeaders();
    for (const key of [TRACEPARENT, TRACESTATE]) {
      const value = msg.headers?.get(key);
      if (value) h.set(key, value);
    }
    h.set(DeadLetterHeaders.consumer, this.options.name);
    h.set(DeadLetterHeaders.source, this.source);
    h.set(DeadLetterHeaders.error, error.replace(/[\r\n]+/g, ' ').slice(0, 2000));
    h.set(DeadLetterHeaders.attempts, String(Math.max(1, attempts)));
    h.set(DeadLetterHeaders.failedAt, new Date().toISOString());
    h.set(DeadLetterHeaders.streamSequence, String(msg.info.streamSequence));
    await this.js.publish(deadLetterSubject(this.options.name, this.settings.namespace), msg.data, {
      msgID: `${this.options.name}/${this.source}/${event?.id ?? msg.info.streamSequence}`,
      headers: h,
    });
  }

  async lag(): Promise<SourceLag> {
    const info = await this.jsm.consumers.info(this.stream, this.durable);
    return { source: this.source, pending: info.num_pending + info.num_ack_pending };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
