import { consumerStateSchema, type RecordedEvent, type ServiceName } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';
import {
  InMemoryCheckpointStore, InMemoryDeadLetterStore, migrateMessaging, PostgresCheckpointStore, PostgresDeadLetterStore, StoreEventConsumer,
  type EventConsumer, type SourceContext,
} from '@crm/messaging';
import { registerLagSource } from '@crm/observability';
import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE } from './command-context';
import type { BaseConfig } from './config';
import { PG_POOL, SERVICE_CONFIG } from './event-sourcing.module';
import { createEventConsumer } from './messaging';
import { tracedConsumer } from './tracing';

/**
 * The consumer port over the service's own event store: in-process reactions to its own events
 * (scoring, routing, follow-up tasks). Checkpoints and dead letters live in the service's
 * schema on PostgreSQL, in memory otherwise (a restart then re-delivers from the start, which
 * handlers must survive: they are idempotent).
 */
export const OWN_EVENTS = Symbol('OWN_EVENTS');

/**
 * The consumer port for other contexts' events: JetStream with NATS, else catch-up
 * subscriptions on their event stores (checkpoints in `<app>_messaging`). `consumer` is absent
 * when nothing can deliver them (in memory without NATS); `unavailable` says why.
 */
export const OTHER_CONTEXTS = Symbol('OTHER_CONTEXTS');
export type OtherContexts = { consumer?: EventConsumer; unavailable?: string };

export type ConsumersModuleOptions = {
  app: ServiceName;
  /** The service's own schema (its event store's). */
  schema: string;
  /** Tests: the consumer port for other contexts' events. */
  otherContexts?: EventConsumer;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Closable = { close: () => Promise<void> };
const OWN_EVENTS_CLOSE = Symbol('OWN_EVENTS_CLOSE');
const OTHER_CONTEXTS_CLOSE = Symbol('OTHER_CONTEXTS_CLOSE');

/** Closes both ports after every consumer has stopped (consumers stop in `onModuleDestroy`). */
@Injectable()
class ConsumersLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(OWN_EVENTS_CLOSE) private readonly own: Closable,
    @Inject(OTHER_CONTEXTS_CLOSE) private readonly other: Closable,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.own.close(), this.other.close()]);
  }
}

/** Both consumer ports of a command service, for its feature modules (global). Needs `EventSourcingModule`. */
@Global()
@Module({})
export class ConsumersModule {
  static forRoot(options: ConsumersModuleOptions): DynamicModule {
    const logger = new Logger(`${options.app}.consumers`);
    return {
      module: ConsumersModule,
      providers: [
        {
          provide: OWN_EVENTS_CLOSE,
          inject: [EVENT_STORE, PG_POOL],
          useFactory: async (store: EventStore, pool: Pool | undefined): Promise<Closable & { consumer: EventConsumer }> => {
            if (pool) await migrateMessaging(pool, options.schema);
            const consumer = tracedConsumer(new StoreEventConsumer(
              () => store,
              pool ? new PostgresCheckpointStore(pool, options.schema) : new InMemoryCheckpointStore(),
              pool ? new PostgresDeadLetterStore(pool, options.schema) : new InMemoryDeadLetterStore(),
              { onError: (error, { consumer: name }) => logger.warn(`${name}: ${errorText(error)}`) },
            ));
            return { consumer, close: () => consumer.close() };
          },
        },
        { provide: OWN_EVENTS, inject: [OWN_EVENTS_CLOSE], useFactory: (own: { consumer: EventConsumer }) => own.consumer },
        {
          provide: OTHER_CONTEXTS_CLOSE,
          inject: [SERVICE_CONFIG, PG_POOL],
          useFactory: async (config: BaseConfig, pool: Pool | undefined): Promise<Closable & OtherContexts> => {
            if (options.otherContexts) return { consumer: options.otherContexts, close: async () => undefined };
            if (!config.NATS_URL && config.EVENT_STORE !== 'kurrentdb' && !pool) {
              return { unavailable: 'no NATS and no database to read the other services’ event stores from', close: async () => undefined };
            }
            if (!config.NATS_URL && pool) await migrateMessaging(pool, consumerStateSchema(options.app));
            const runtime = await createEventConsumer(config, options.app, pool);
            return { consumer: runtime.consumer, close: runtime.close };
          },
        },
        { provide: OTHER_CONTEXTS, inject: [OTHER_CONTEXTS_CLOSE], useFactory: ({ consumer, unavailable }: OtherContexts): OtherContexts => ({ consumer, unavailable }) },
        ConsumersLifecycle,
      ],
      exports: [OWN_EVENTS, OTHER_CONTEXTS],
    };
  }
}

export type ConsumerSubscription = {
  /** Durable name, `<consuming-app>.<purpose>`. */
  name: string;
  sources: SourceContext[];
  eventTypes: readonly string[];
};

/**
 * Starts a durable consumer and exports its lag (`crm_consumer_lag{consumer,source}`).
 * Returns what stops it (call it in `onModuleDestroy`).
 */
export const runConsumer = async (
  consumer: EventConsumer,
  subscription: ConsumerSubscription,
  handle: (event: RecordedEvent) => Promise<void>,
): Promise<() => Promise<void>> => {
  const { name, sources, eventTypes } = subscription;
  const running = await consumer.start({ name, sources, filter: { eventTypes: [...eventTypes] } }, handle);
  const unregister = sources.map((source) =>
    registerLagSource(name, source, async () => (await running.lag()).find((l) => l.source === source)?.pending ?? 0));
  return async () => {
    unregister.forEach((u) => u());
    await running.stop();
  };
};
