import { consumerStateSchema, LeadEventType } from '@crm/contracts';
import { migrateMessaging, type EventConsumer, type RunningConsumer } from '@crm/messaging';
import { createEventConsumer, PG_POOL, SERVICE_CONFIG, type BaseConfig } from '@crm/nest-kit';
import { registerLagSource } from '@crm/observability';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { LeadConversionService } from './lead-conversion.service';

/** Durable consumer name (`<consuming-app>.<purpose>`). */
export const LEAD_CONVERSION_CONSUMER = 'sales.lead-conversion';

/**
 * Consumes `leads.LeadConverted` from the leads context through the consumer port: the one a test
 * gives (`SALES_OPTIONS.consumer`), else the configured one (JetStream when NATS is configured,
 * else the leads event store in PostgreSQL, checkpoints and dead letters in `sales_messaging`).
 * Without either (in-memory mode) there is no leads store to read: it warns and does not start.
 */
@Injectable()
export class LeadConversionConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LEAD_CONVERSION_CONSUMER);
  private running?: RunningConsumer;
  private close?: () => Promise<void>;
  private unregisterLag?: () => void;

  constructor(
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(PG_POOL) private readonly pool: Pool | undefined,
    private readonly conversions: LeadConversionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    const consumer = this.options.consumer ?? (await this.configuredConsumer());
    if (!consumer) return;
    const running = await consumer.start(
      { name: LEAD_CONVERSION_CONSUMER, sources: ['leads'], filter: { eventTypes: [LeadEventType.LeadConverted] } },
      async (event) => void (await this.conversions.handle(event)),
    );
    this.running = running;
    this.unregisterLag = registerLagSource(LEAD_CONVERSION_CONSUMER, 'leads', async () => (await running.lag())[0]?.pending ?? 0);
  }

  async onModuleDestroy(): Promise<void> {
    this.unregisterLag?.();
    await this.running?.stop();
    await this.close?.();
  }

  private async configuredConsumer(): Promise<EventConsumer | undefined> {
    const embedded = !this.config.NATS_URL;
    if (embedded && this.config.EVENT_STORE !== 'kurrentdb' && !this.pool) {
      this.logger.warn('no NATS and no PostgreSQL: the leads event store cannot be read, so lead conversions are not consumed');
      return undefined;
    }
    if (embedded && this.pool) await migrateMessaging(this.pool, consumerStateSchema('sales'));
    const runtime = await createEventConsumer(this.config, 'sales', this.pool);
    this.close = runtime.close;
    return runtime.consumer;
  }
}
