import { LeadConversionRecordedData, SalesCustomerEventType, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { OpportunityCommandsService } from './opportunity-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the sales schema. */
export const OPPORTUNITY_FROM_LEAD_CONSUMER = 'sales.opportunity-from-lead';

/**
 * Opens the opportunity a lead conversion names: an in-process catch-up consumer of the sales
 * store's own `sales.LeadConversionRecorded` events (checkpoint and dead letters in
 * the `sales` schema on PostgreSQL, in memory otherwise; a restart then re-delivers from the
 * start, which appends nothing).
 */
@Injectable()
export class OpportunityFromLeadConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    private readonly opportunities: OpportunityCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    this.stop = await runConsumer(this.events, { name: OPPORTUNITY_FROM_LEAD_CONSUMER, sources: ['sales'], eventTypes: [SalesCustomerEventType.LeadConversionRecorded] }, (event) => this.handle(event));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  /** One delivery; safe to repeat. A payload that breaks the contract throws (retried, then dead-lettered). */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== SalesCustomerEventType.LeadConversionRecorded) return;
    const data = LeadConversionRecordedData.parse(event.data);
    await this.opportunities.openFromLeadConversion({ ...event, data });
  }
}
