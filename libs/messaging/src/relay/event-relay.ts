import { CLOUDEVENT_CONTENT_TYPE, encodeCloudEvent, type RecordedEvent } from '@crm/contracts';
import type { EventStore, EventSubscription } from '@crm/eventstore';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { CheckpointStore } from '../checkpoint-store.port';
import type { SourceContext } from '../consumer.port';
import { DEFAULT_NAMESPACE, eventSubject } from '../nats/jetstream-topology';
import { backOff, backoffDelay, errorText, type RetryPolicy } from '../retry-delivery';
import { copyTraceHeadersFromMetadata } from '../trace-headers';

/** What the relay needs of JetStream: `jetstream(nc)` is one. */
export type EventPublisher = {
  publish(subject: string, payload: string | Uint8Array, options: { msgID: string; headers: MsgHdrs }): Promise<{ seq: number; duplicate: boolean }>;
};

export type EventRelayOptions = {
  context: SourceContext;
  /** This service's own event store: the outbox. */
  store: EventStore;
  publisher: EventPublisher;
  checkpoints: CheckpointStore;
  namespace?: string;
  /** Publishes awaiting their ack at once (default 256). */
  maxInFlight?: number;
  /** Save the checkpoint after this many acked events (default 1,000)… */
  checkpointEvery?: number;
  /** …or this long after the first unsaved ack (default 250 ms). */
  checkpointIntervalMs?: number;
  /** Back-off between restarts after a failed publish. */
  retry?: RetryPolicy;
  /** Restarts without progress before the relay gives up and reports `failed` (default 10). */
  maxConsecutiveFailures?: number;
  /** `lag()` counts at most this many events (default 10,000). */
  lagScanLimit?: number;
  onError?: (error: unknown) => void;
};

export type RelayState = 'new' | 'running' | 'stopped' | 'failed';

export type RelayStats = {
  state: RelayState;
  /** Publishes acked by the stream since start (duplicates included). */
  published: number;
  /** Acks that reported a duplicate `Nats-Msg-Id` (a re-publish after a restart). */
  duplicates: number;
  inFlight: number;
  /** Every event up to this position is acked by JetStream. */
  ackedPosition?: bigint;
  /** The durable checkpoint (≤ ackedPosition). */
  checkpoint?: bigint;
  lastError?: string;
};

type InFlight = { position: bigint; done: boolean };

const IDLE = Symbol('idle');
const nextTurn = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(resolve, IDLE));

export const relayCheckpointName = (context: SourceContext): string => `relay.${context}`;

/**
 * Tails one service's event store and publishes every event to JetStream as a CloudEvent on
 * `crm.<context>.<EventName>`, with `Nats-Msg-Id` = event id and the event's trace context in
 * headers. Publishes are pipelined (up to `maxInFlight` awaiting acks); the checkpoint only
 * ever moves to the highest position below which every publish was acked, so a crash loses
 * nothing: the next relay re-publishes from the checkpoint and JetStream drops the duplicates
 * within its de-duplication window. A failed publish restarts the tail from the acked position.
 */
export class EventRelay {
  private readonly abort = new AbortController();
  private readonly name: string;
  private readonly settings: Required<Omit<EventRelayOptions, 'onError' | 'context' | 'store' | 'publisher' | 'checkpoints'>>;
  private state: RelayState = 'new';
  private loop?: Promise<void>;
  private subscription?: EventSubscription;
  private acked?: bigint;
  private saved?: bigint;
  private ackedSinceSave = 0;
  private published = 0;
  private duplicates = 0;
  private inFlight = 0;
  private lastError?: string;
  private saveChain: Promise<void> = Promise.resolve();
  private saveTimer?: NodeJS.Timeout;

  constructor(private readonly options: EventRelayOptions) {
    this.name = relayCheckpointName(options.context);
    this.settings = {
      namespace: options.namespace ?? DEFAULT_NAMESPACE,
      maxInFlight: options.maxInFlight ?? 256,
      checkpointEvery: options.checkpointEvery ?? 1_000,
      checkpointIntervalMs: options.checkpointIntervalMs ?? 250,
      retry: options.retry ?? { initialBackoffMs: 200, maxBackoffMs: 5_000 },
      maxConsecutiveFailures: options.maxConsecutiveFailures ?? 10,
      lagScanLimit: options.lagScanLimit ?? 10_000,
    };
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`relay ${this.name} was already started`);
    this.acked = this.saved = await this.options.checkpoints.load(this.name, this.options.context);
    this.state = 'running';
    this.loop = this.run();
  }

  /** Stops tailing, waits for the in-flight acks, saves the checkpoint. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close();
    await this.loop;
    await this.flush();
    if (this.state === 'running') this.state = 'stopped';
  }

  stats(): RelayStats {
    return {
      state: this.state,
      published: this.published,
      duplicates: this.duplicates,
      inFlight: this.inFlight,
      ackedPosition: this.acked,
      checkpoint: this.saved,
      lastError: this.lastError,
    };
  }

  /** Events in the store not yet acked by JetStream (counts at most `lagScanLimit`). */
  async lag(): Promise<number> {
    const ahead = await this.options.store.readAll({ after: this.acked, maxCount: this.settings.lagScanLimit });
    return ahead.length;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    for (let failures = 0; !signal.aborted; ) {
      const before = this.acked;
      try {
        await this.pump();
        return;
      } catch (error) {
        this.lastError = errorText(error);
        this.options.onError?.(error);
        failures = this.acked === before ? failures + 1 : 1;
        if (failures >= this.settings.maxConsecutiveFailures) {
          this.state = 'failed';
          return;
        }
        await backOff(backoffDelay(this.settings.retry, failures), signal);
      }
    }
  }

  /**
   * One tail of the store from the acked position; throws the first publish failure.
   *
   * Events are gathered into a batch while the subscription has them ready, and each batch is
   * published in one synchronous run: nats.js flushes its outbound buffer in a microtask, so
   * publishing one event per iterator step would cost one socket write per message, while a
   * batch goes out in one write (this is what keeps the relay near raw publish speed).
   */
  private async pump(): Promise<void> {
    const { signal } = this.abort;
    const window: InFlight[] = [];
    let unsettled = 0;
    const failure: { error?: unknown; failed: boolean } = { failed: false };
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      const w = wakeUp;
      wakeUp = undefined;
      w?.();
    };
    const stopped = () => signal.aborted || failure.failed;

    const publishBatch = async (batch: RecordedEvent[]): Promise<void> => {
      for (const event of batch) {
        while (window.length >= this.settings.maxInFlight && !stopped()) await new Promise<void>((resolve) => (wakeUp = resolve));
        if (stopped()) break;
        const entry: InFlight = { position: event.position, done: false };
        window.push(entry);
        this.inFlight++;
        const settled = () => {
          this.inFlight--;
          unsettled--;
          wake();
        };
        unsettled++;
        this.publish(event).then(
          (ack) => {
            this.published++;
            if (ack.duplicate) this.duplicates++;
            entry.done = true;
            this.advance(window);
            settled();
          },
          (error: unknown) => {
            if (!failure.failed) Object.assign(failure, { failed: true, error });
            settled();
          },
        );
      }
      batch.length = 0;
    };

    const subscription = this.options.store.subscribeToAll({ after: this.acked });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    const abortWaits = () => wake();
    signal.addEventListener('abort', abortWaits);
    let next: Promise<IteratorResult<RecordedEvent>> | undefined;
    try {
      const batch: RecordedEvent[] = [];
      const batchLimit = Math.max(1, Math.min(this.settings.maxInFlight, 256));
      next = iterator.next();
      let turn: Promise<typeof IDLE> | undefined;
      while (!stopped()) {
        // With a batch in hand, wait for the next event only until the current macrotask turn
        // ends: whatever the subscription has ready joins the batch, then the batch goes out.
        if (batch.length > 0) turn ??= nextTurn();
        const step = turn ? await Promise.race([next, turn]) : await next;
        if (step === IDLE) {
          turn = undefined;
          await publishBatch(batch);
          continue;
        }
        if (step.done) break;
        batch.push(step.value);
        next = iterator.next();
        if (batch.length >= batchLimit) await publishBatch(batch);
      }
      if (!stopped()) await publishBatch(batch);
    } finally {
      signal.removeEventListener('abort', abortWaits);
      next?.catch(() => undefined);
      await subscription.close();
      // Every publish settles (acked, or failed by its timeout) before the tail restarts or stops.
      while (unsettled > 0) await new Promise<void>((resolve) => (wakeUp = resolve));
    }
    if (failure.failed) throw failure.error;
  }

  private publish(event: RecordedEvent): Promise<{ seq: number; duplicate: boolean }> {
    const headers = natsHeaders();
    headers.set('Content-Type', CLOUDEVENT_CONTENT_TYPE);
    copyTraceHeadersFromMetadata(headers, event.metadata);
    return this.options.publisher.publish(eventSubject(this.options.context, event.type, this.settings.namespace), encodeCloudEvent(this.options.context, event), {
      msgID: event.id,
      headers,
    });
  }

  /** Moves the acked position over the contiguous run of acked publishes at the head of the window. */
  private advance(window: InFlight[]): void {
    let moved = 0;
    while (window.length > 0 && window[0].done) {
      this.acked = window.shift()!.position;
      moved++;
    }
    if (moved === 0) return;
    this.ackedSinceSave += moved;
    if (this.ackedSinceSave >= this.settings.checkpointEvery) {
      this.flush().catch((error: unknown) => this.options.onError?.(error));
    } else if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => {
        this.saveTimer = undefined;
        this.flush().catch((error: unknown) => this.options.onError?.(error));
      }, this.settings.checkpointIntervalMs);
    }
  }

  /** Saves the acked position (serialised, so saves never overtake each other). */
  private flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    const next = this.saveChain.then(async () => {
      const position = this.acked;
      if (position === undefined || position === this.saved) return;
      const count = this.ackedSinceSave;
      this.ackedSinceSave = 0;
      try {
        await this.options.checkpoints.save(this.name, this.options.context, position);
        this.saved = position;
      } catch (error) {
        this.ackedSinceSave += count;
        throw error;
      }
    });
    this.saveChain = next.catch(() => undefined);
    return next;
  }
}
