import type { RecordedEvent } from '@crm/contracts';
import type { EventFilter } from '@crm/eventstore';

/** A bounded context that publishes events: its store and its NATS stream carry its name. */
export type SourceContext = 'leads' | 'sales' | 'service' | 'billing' | 'insights' | 'automation';

export type DeliveryContext = {
  /** The context whose store recorded the event; `event.position` is a position in that store. */
  source: SourceContext;
  /** 1 on the first delivery, then 2, 3, … */
  attempt: number;
};

/** Throwing makes the delivery fail; the consumer retries it, then dead-letters it. */
export type EventHandler = (event: RecordedEvent, context: DeliveryContext) => Promise<void>;

export type ConsumerOptions = {
  /** Durable name, `<consuming-app>.<purpose>` (e.g. `insights.lead-read-model`). */
  name: string;
  /** The contexts to consume from. */
  sources: readonly SourceContext[];
  /** Which events of those contexts to deliver (all when omitted). */
  filter?: EventFilter;
  /** Deliveries (attempts) of one event that all failed before it is dead-lettered (default 5). */
  maxDeliver?: number;
};

/** How far one source's events are ahead of what the consumer has handled. */
export type SourceLag = {
  source: SourceContext;
  /** Events not yet handled (approximate: adapters may count events a client-side filter drops). */
  pending: number;
};

export type RunningConsumer = {
  /** Finishes the event in hand (a retry back-off is cut short), records progress, stops. */
  stop(): Promise<void>;
  /** Per-source lag, for metrics. */
  lag(): Promise<SourceLag[]>;
};

/**
 * Durable, at-least-once, checkpointed event consumption. Per source, events arrive in the
 * order that source's store recorded them; a failing event is retried before any later event
 * of that source is delivered, and after `maxDeliver` failed deliveries it is dead-lettered
 * and skipped. Handlers must be idempotent (redelivery after a crash is normal).
 *
 * Adapters: NATS JetStream (durable pull consumers) and event-store catch-up subscriptions
 * (embedded mode). Both pass `consumer.contract.ts`.
 */
export type EventConsumer = {
  start(options: ConsumerOptions, handler: EventHandler): Promise<RunningConsumer>;
  close(): Promise<void>;
};

/** A dead-lettered delivery, kept for inspection and replay. */
export type DeadLetter = {
  consumer: string;
  source: SourceContext;
  event: RecordedEvent;
  error: string;
  attempts: number;
  failedAt: Date;
};
