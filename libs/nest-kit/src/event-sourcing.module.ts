import { InMemoryEventStore, KurrentDBEventStore, migratePostgresEventStore, PostgresEventStore, type EventStore } from '@crm/eventstore';
import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { BaseConfig } from './config';
import { CLOCK, clockProvider, EVENT_STORE } from './command-context';
import type { Clock } from '@crm/domain';
import { HealthModule, type ReadinessCheck } from './health';
import { startRelay, type MessagingRuntime } from './messaging';
import { instrumentEventStore, ObservabilityModule } from './observability.module';
import type { SourceContext } from '@crm/messaging';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const MESSAGING = Symbol('MESSAGING');

/** Builds the event store that the configuration names, in the service's own schema. */
export const createEventStore = async (config: BaseConfig, schema: string, pool: Pool | undefined): Promise<EventStore> => {
  switch (config.EVENT_STORE) {
    case 'memory':
      return new InMemoryEventStore();
    case 'postgres': {
      if (!pool) throw new Error('EVENT_STORE=postgres needs DATABASE_URL');
      await migratePostgresEventStore(pool, schema);
      return new PostgresEventStore({ pool, schema });
    }
    case 'kurrentdb':
      return new KurrentDBEventStore({ connectionString: config.KURRENTDB_URL!, streamPrefix: `${schema}.` });
  }
};

/**
 * A PostgreSQL pool whose idle clients may lose their connection (a database restart, or the
 * embedded database stopping first on Ctrl-C) without crashing the process: the next query
 * reconnects, and readiness reports the outage meanwhile.
 */
export const createPool = (url: string, max = 10): Pool => {
  const pool = new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, application_name: 'crm' });
  const logger = new Logger('postgres');
  pool.on('error', (error) => logger.warn(`idle connection lost: ${error.message}`));
  return pool;
};

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool | undefined,
    @Inject(MESSAGING) private readonly messaging: MessagingRuntime,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.close();
    await this.store.close();
    await this.pool?.end();
  }
}

export type EventSourcingOptions = {
  config: BaseConfig;
  /** The service's context: its own PostgreSQL schema, its NATS stream — its events never mix with another service's. */
  schema: SourceContext;
  /** A store built by the caller (tests); the configured one otherwise. */
  eventStore?: EventStore;
  /** A clock built by the caller (tests: a `ManualClock`, so commands and timers share one time). */
  clock?: Clock;
  readinessChecks?: ReadinessCheck[];
};

/**
 * The composition root shared by command services: configuration, the PostgreSQL pool, the
 * event store the configuration names, a clock, and /health with the matching readiness checks.
 */
@Global()
@Module({})
export class EventSourcingModule {
  static forRoot(options: EventSourcingOptions): DynamicModule {
    const { config } = options;
    return {
      module: EventSourcingModule,
      imports: [
        ObservabilityModule.forRoot(options.schema),
        HealthModule.forRoot({
          inject: [PG_POOL, MESSAGING],
          useFactory: (pool: Pool | undefined, messaging: MessagingRuntime) => [
            ...(pool ? [{ name: 'database', check: async () => void (await pool.query('SELECT 1')) }] : []),
            ...messaging.readiness,
            ...(options.readinessChecks ?? []),
          ],
        }),
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PG_POOL, useFactory: () => (config.DATABASE_URL && !options.eventStore ? createPool(config.DATABASE_URL) : undefined) },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool | undefined) =>
            instrumentEventStore(options.eventStore ?? (await createEventStore(config, options.schema, pool)), options.schema),
        },
        {
          provide: MESSAGING,
          inject: [EVENT_STORE, PG_POOL],
          useFactory: (store: EventStore, pool: Pool | undefined) => startRelay(config, options.schema as SourceContext, store, pool),
        },
        options.clock ? { provide: CLOCK, useValue: options.clock } : clockProvider,
        EventStoreLifecycle,
      ],
      exports: [SERVICE_CONFIG, PG_POOL, EVENT_STORE, MESSAGING, CLOCK],
    };
  }
}
