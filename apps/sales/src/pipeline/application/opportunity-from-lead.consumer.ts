import { LeadConversionRecordedData, SalesCustomerEventType, type RecordedEvent } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';
import {
  InMemoryCheckpointStore, InMemoryDeadLetterStore, migrateMessaging, PostgresCheckpointStore, PostgresDeadLetterStore, StoreEventConsumer,
  type EventConsumer, type RunningConsumer,
} from '@crm/messaging';
import { EVENT_STORE, PG_POOL, tracedConsumer } from '@crm/nest-kit';
import { registerLagSource } from '@crm/observability';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { OpportunityCommandsService } from './opportunity-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the sales schema. */
export const OPPORTUNITY_FROM_LEAD_CONSUMER = 'sales.opportunity-from-lead';

/**
 * Opens the opportunity a lead conversion names: an in-process catch-up consumer of the sales
 * store's own `sales.LeadConversionRecorded` events (checkpoint and dead letters in
 * `sales_messaging` on PostgreSQL, in memory otherwise; a restart then re-delivers from the
 * start, which appends nothing).
 */
@Injectable()
export class OpportunityFromLeadConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OPPORTUNITY_FROM_LEAD_CONSUMER);
  private consumer?: EventConsumer;
  private running?: RunningConsumer;
  private unregisterLag?: () => void;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool | undefined,
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    private readonly opportunities: OpportunityCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    if (this.pool) await migrateMessaging(this.pool, 'sales');
    this.consumer = tracedConsumer(
      new StoreEventConsumer(
        () => this.store,
        this.pool ? new PostgresCheckpointStore(this.pool, 'sales') : new InMemoryCheckpointStore(),
        this.pool ? new PostgresDeadLetterStore(this.pool, 'sales') : new InMemoryDeadLetterStore(),
        { onError: (error) => this.logger.warn(`opportunity from lead: ${error instanceof Error ? error.message : String(error)}`) },
      ),
    );
    const running = await this.consumer.start(
      { name: OPPORTUNITY_FROM_LEAD_CONSUMER, sources: ['sales'], filter: { eventTypes: [SalesCustomerEventType.LeadConversionRecorded] } },
      (event) => this.handle(event),
    );
    this.running = running;
    this.unregisterLag = registerLagSource(OPPORTUNITY_FROM_LEAD_CONSUMER, 'sales', async () => (await running.lag())[0]?.pending ?? 0);
  }

  async onModuleDestroy(): Promise<void> {
    this.unregisterLag?.();
    await this.running?.stop();
    await this.consumer?.close();
  }

  /** One delivery; safe to repeat. A payload that breaks the contract throws (retried, then dead-lettered). */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== SalesCustomerEventType.LeadConversionRecorded) return;
    const data = LeadConversionRecordedData.parse(event.data);
    await this.opportunities.openFromLeadConversion({ ...event, data });
  }
}
