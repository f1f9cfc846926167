import { consumerStateSchema } from '@crm/contracts';
import { migrateMessaging, type EventConsumer } from '@crm/messaging';
import { createEventConsumer, PG_POOL, type BaseConfig } from '@crm/nest-kit';
import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import type { Pool } from 'pg';

/** The consumer port of the leads service, for events of other contexts (sales). */
export const LEADS_CONSUMER = Symbol('LEADS_CONSUMER');

/** `consumer` is absent when nothing can deliver other contexts' events (no NATS, no database to read their stores from). */
export type LeadsConsumerRuntime = { consumer?: EventConsumer; unavailable?: string; close: () => Promise<void> };

/**
 * Builds the leads service's consumer port: a test's consumer, else JetStream durable consumers
 * with NATS, else catch-up subscriptions on the other services' stores (PostgreSQL or KurrentDB),
 * with checkpoints and dead letters in `leads_messaging`. In memory without NATS there is no
 * other store to read: the port is left out and the consumers that need it do not start.
 */
@Global()
@Module({})
export class LeadsConsumerModule {
  static forRoot(config: BaseConfig, override?: EventConsumer): DynamicModule {
    return {
      module: LeadsConsumerModule,
      providers: [{
        provide: LEADS_CONSUMER,
        inject: [PG_POOL],
        useFactory: async (pool: Pool | undefined): Promise<LeadsConsumerRuntime> => {
          if (override) return { consumer: override, close: async () => undefined };
          if (!config.NATS_URL && config.EVENT_STORE !== 'kurrentdb' && !pool) {
            return { unavailable: 'no NATS and no database to read the other services’ events from', close: async () => undefined };
          }
          if (!config.NATS_URL && pool) await migrateMessaging(pool, consumerStateSchema('leads'));
          const runtime = await createEventConsumer(config, 'leads', pool);
          new Logger('leads.consumers').log(config.NATS_URL ? 'consuming other contexts through JetStream' : 'consuming other contexts from their event stores');
          return { consumer: runtime.consumer, close: runtime.close };
        },
      }],
      exports: [LEADS_CONSUMER],
    };
  }
}
