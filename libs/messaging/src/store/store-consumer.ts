import type { RecordedEvent } from '@crm/contracts';
import type { EventStore, EventSubscription } from '@crm/eventstore';
import { startSourceRuns, type SourceRun } from '../source-runs';
import type { CheckpointStore } from '../checkpoint-store.port';
import { resolveConsumerOptions, type ResolvedConsumerOptions } from '../consumer-options';
import type { ConsumerOptions, EventConsumer, EventHandler, RunningConsumer, SourceContext, SourceLag } from '../consumer.port';
import type { DeadLetterStore } from '../dead-letter-store.port';
import { backOff, backoffDelay, DEFAULT_RETRY_POLICY, deliverWithRetry, type RetryPolicy } from '../retry-delivery';
import { traceContextOfEvent } from '../trace-headers';

export type StoreConsumerSettings = {
  /** In-place retry back-off of a failing handler. */
  retry?: RetryPolicy;
  /** Save the checkpoint after this many handled events (default 100)… */
  checkpointEvery?: number;
  /** …or this long after the first unsaved one (default 200 ms), whichever comes first. */
  checkpointIntervalMs?: number;
  /** Restarts of a source's subscription after consecutive store/checkpoint failures before it gives up (default 10). */
  maxConsecutiveFailures?: number;
  /** `lag()` counts at most this many events per source (default 10,000). */
  lagScanLimit?: number;
  /** Told about store, checkpoint and dead-letter failures (the consumer retries them). */
  onError?: (error: unknown, where: { consumer: string; source: SourceContext }) => void;
};

/**
 * The embedded-mode consumer: each source is a catch-up subscription on that context's event
 * store, starting after the consumer's checkpoint. Events are handled one at a time in `$all`
 * order; a failing event is retried in place, then recorded as a dead letter and skipped. The
 * checkpoint is saved in batches, never ahead of the last event finished (handled or
 * dead-lettered), so a crash re-delivers at most the unsaved tail.
 */
export class StoreEventConsumer implements EventConsumer {
  private readonly running = new Set<RunningConsumer>();
  private readonly settings: Required<Omit<StoreConsumerSettings, 'onError'>> & Pick<StoreConsumerSettings, 'onError'>;

  constructor(
    private readonly storeFor: (source: SourceContext) => EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly deadLetters: DeadLetterStore,
    settings: StoreConsumerSettings = {},
  ) {
    this.settings = {
      retry: settings.retry ?? DEFAULT_RETRY_POLICY,
      checkpointEvery: settings.checkpointEvery ?? 100,
      checkpointIntervalMs: settings.checkpointIntervalMs ?? 200,
      maxConsecutiveFailures: settings.maxConsecutiveFailures ?? 10,
      lagScanLimit: settings.lagScanLimit ?? 10_000,
      onError: settings.onError,
    };
  }

  async start(options: ConsumerOptions, handler: EventHandler): Promise<RunningConsumer> {
    const resolved = resolveConsumerOptions(options);
    return startSourceRuns(
      resolved.sources,
      (source) => new StoreSourceRun(resolved, source, handler, this.storeFor(source), this.checkpoints, this.deadLetters, this.settings),
      this.running,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((r) => r.stop()));
  }
}

class StoreSourceRun implements SourceRun {
  private readonly abort = new AbortController();
  private subscription?: EventSubscription;
  private loop?: Promise<void>;
  /** Position of the last event finished (handled or dead-lettered). */
  private finished?: bigint;
  private saved?: bigint;
  private unsaved = 0;
  private saveChain: Promise<void> = Promise.resolve();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: ResolvedConsumerOptions,
    private readonly source: SourceContext,
    private readonly handler: EventHandler,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly deadLetters: DeadLetterStore,
    private readonly settings: StoreEventConsumer['settings'],
  ) {}

  async start(): Promise<void> {
    this.finished = this.saved = await this.checkpoints.load(this.options.name, this.source);
    this.loop = this.runLoop();
  }

  private async runLoop(): Promise<void> {
    const { signal } = this.abort;
    for (let failures = 0; !signal.aborted && failures < this.settings.maxConsecutiveFailures; ) {
      const before = this.finished;
      try {
        await this.consume();
        return;
      } catch (error) {
        this.settings.onError?.(error, { consumer: this.options.name, source: this.source });
        failures = this.finished === before ? failures + 1 : 1;
        await backOff(backoffDelay(this.settings.retry, failures), signal);
      }
    }
  }

  /** One subscription: handles events until stopped; throws when the store or a state store fails. */
  private async consume(): Promise<void> {
    const { signal } = this.abort;
    const subscription = this.store.subscribeToAll({ after: this.finished, filter: this.options.filter });
    this.subscription = subscription;
    try {
      for await (const event of subscription) {
        if (signal.aborted) return;
        if (!(await this.deliver(event))) return;
      }
    } finally {
      await subscription.close();
    }
  }

  /** False when the consumer stopped before the event was finished. */
  private async deliver(event: RecordedEvent): Promise<boolean> {
    const outcome = await deliverWithRetry({
      event,
      source: this.source,
      handler: this.handler,
      firstAttempt: 1,
      maxDeliver: this.options.maxDeliver,
      policy: this.settings.retry,
      signal: this.abort.signal,
      trace: traceContextOfEvent(event.metadata),
    });
    if (outcome.kind === 'aborted') return false;
    if (outcome.kind === 'dead') {
      await this.deadLetters.record({
        consumer: this.options.name,
        source: this.source,
        event,
        error: outcome.error,
        attempts: outcome.attempt,
        failedAt: new Date(),
      });
    }
    this.finished = event.position;
    if (++this.unsaved >= this.settings.checkpointEvery) await this.flush();
    else this.scheduleFlush();
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error) => this.settings.onError?.(error, { consumer: this.options.name, source: this.source }));
    }, this.settings.checkpointIntervalMs);
  }

  /** Saves the position of the last finished event (serialised: saves never overtake each other). */
  private flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const next = this.saveChain.then(async () => {
      const position = this.finished;
      if (position === undefined || position === this.saved) return;
      const count = this.unsaved;
      await this.checkpoints.save(this.options.name, this.source, position);
      this.saved = position;
      this.unsaved = Math.max(0, this.unsaved - count);
    });
    this.saveChain = next.catch(() => undefined);
    return next;
  }

  async lag(): Promise<SourceLag> {
    const ahead = await this.store.readAll({ after: this.finished, filter: this.options.filter, maxCount: this.settings.lagScanLimit });
    return { source: this.source, pending: ahead.length };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close();
    await this.loop;
    await this.flush();
  }
}
