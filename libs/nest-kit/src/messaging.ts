import { consumerStateSchema, SERVICES, type ServiceName } from '@crm/contracts';
import { KurrentDBEventStore, PostgresEventStore, type EventStore } from '@crm/eventstore';
import {
  connectNats, ensureTopology, EventRelay, InMemoryCheckpointStore, InMemoryDeadLetterStore, JetStreamEventConsumer, PostgresCheckpointStore,
  PostgresDeadLetterStore, StoreEventConsumer, type EventConsumer, type SourceContext,
} from '@crm/messaging';
import { registerLagSource } from '@crm/observability';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { BaseConfig } from './config';
import type { ReadinessCheck } from './health';
import { tracedConsumer, tracedPublisher } from './tracing';

/** Every context that publishes events: the event-sourced services. */
const SOURCES: readonly SourceContext[] = SERVICES.filter((s) => s.eventSourced).map((s) => s.name as SourceContext);

/** What a service runs for messaging, and how to stop it and check it. */
export type MessagingRuntime = { readiness: ReadinessCheck[]; close: () => Promise<void> };

export const connectFromConfig = (config: BaseConfig, name: string): Promise<NatsConnection> =>
  connectNats({ url: config.NATS_URL!, name, credsFile: config.NATS_CREDS_FILE, tlsCaFile: config.NATS_TLS_CA_FILE });

const natsReadiness = (nc: NatsConnection): ReadinessCheck => ({
  name: 'nats',
  check: async () => {
    if (nc.isClosed()) throw new Error('NATS connection closed');
    await nc.flush();
  },
});

/**
 * With NATS configured, a command service runs a relay that publishes its event store to
 * JetStream (the store is the outbox); without NATS there is nothing to run: consumers read the
 * store directly.
 */
export const startRelay = async (config: BaseConfig, context: SourceContext, store: EventStore, pool: Pool | undefined): Promise<MessagingRuntime> => {
  if (!config.NATS_URL) return { readiness: [], close: async () => undefined };
  const logger = new Logger(`relay.${context}`);
  const nc = await connectFromConfig(config, `${context}-relay`);
  await ensureTopology(await jetstreamManager(nc), [context], { namespace: config.NATS_NAMESPACE });
  const relay = new EventRelay({
    context,
    namespace: config.NATS_NAMESPACE,
    store,
    publisher: tracedPublisher(jetstream(nc)),
    // One publish in flight: with a window, a publish that fails while later ones succeed is
    // re-published after them, and consumers that checkpoint by position (the projections)
    // would skip it. Ordered delivery matters more than relay throughput (~2-3k events/s here).
    maxInFlight: 1,
    checkpoints: pool ? new PostgresCheckpointStore(pool, context) : new InMemoryCheckpointStore(),
    onError: (error) => logger.warn(`relay: ${error instanceof Error ? error.message : String(error)}`),
  });
  await relay.start();
  const unregister = registerLagSource(`relay.${context}`, context, () => relay.lag());
  return {
    readiness: [natsReadiness(nc)],
    close: async () => {
      unregister();
      await relay.stop();
      await nc.drain();
    },
  };
};

/** The event store another service owns, read-only, for embedded-mode consumers. */
export const sourceStore = (config: BaseConfig, source: SourceContext, pool: Pool | undefined): EventStore => {
  if (config.EVENT_STORE === 'kurrentdb') return new KurrentDBEventStore({ connectionString: config.KURRENTDB_URL!, streamPrefix: `${source}.` });
  if (!pool) throw new Error('embedded-mode consumers need DATABASE_URL (they read the services’ event stores)');
  return new PostgresEventStore({ pool, schema: source });
};

/**
 * The consumer port for an app: durable JetStream consumers when NATS is configured, otherwise
 * catch-up subscriptions on the services' own event stores with checkpoints and dead letters in
 * the consuming app's schema.
 */
export const createEventConsumer = async (
  config: BaseConfig,
  app: ServiceName,
  pool: Pool | undefined,
): Promise<{ consumer: EventConsumer; readiness: ReadinessCheck[]; close: () => Promise<void> }> => {
  if (config.NATS_URL) {
    const nc = await connectFromConfig(config, `${app}-consumer`);
    await ensureTopology(await jetstreamManager(nc), SOURCES, { namespace: config.NATS_NAMESPACE });
    const consumer = tracedConsumer(new JetStreamEventConsumer(nc, { topology: { namespace: config.NATS_NAMESPACE } }));
    return { consumer, readiness: [natsReadiness(nc)], close: async () => { await consumer.close(); await nc.drain(); } };
  }
  const stores = new Map<SourceContext, EventStore>();
  const storeFor = (source: SourceContext) => {
    let store = stores.get(source);
    if (!store) stores.set(source, (store = sourceStore(config, source, pool)));
    return store;
  };
  const consumer = tracedConsumer(new StoreEventConsumer(
    storeFor,
    pool ? new PostgresCheckpointStore(pool, consumerStateSchema(app)) : new InMemoryCheckpointStore(),
    pool ? new PostgresDeadLetterStore(pool, consumerStateSchema(app)) : new InMemoryDeadLetterStore(),
  ));
  return {
    consumer,
    readiness: [],
    close: async () => {
      await consumer.close();
      await Promise.all([...stores.values()].map((s) => s.close()));
    },
  };
};
