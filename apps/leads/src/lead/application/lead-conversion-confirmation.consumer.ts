import { LeadConversionRecordedData, SalesCustomerEventType, type RecordedEvent } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { OTHER_CONTEXTS, runConsumer, type OtherContexts } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LeadCommandsService } from './lead-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in `leads_messaging`. */
export const CONVERSION_CONFIRMATION_CONSUMER = 'leads.conversion-confirmation';

/**
 * Completes a conversion on the leads side: sales handles `leads.LeadConverted` and appends
 * `sales.LeadConversionRecorded` (the account, contact and opportunity now standing for the lead,
 * created or linked); this consumer notes it on the lead as `leads.LeadConversionConfirmed`.
 * Idempotent: the same ids again append nothing. A conversion the lead cannot take (unknown
 * lead, not converted) is logged and skipped: retrying would not change the answer.
 */
@Injectable()
export class LeadConversionConfirmationConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CONVERSION_CONFIRMATION_CONSUMER);
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OTHER_CONTEXTS) private readonly contexts: OtherContexts,
    private readonly leads: LeadCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.contexts.consumer) {
      this.logger.warn(`not started: ${this.contexts.unavailable ?? 'no consumer'}; conversions are not confirmed on leads`);
      return;
    }
    this.stop = await runConsumer(
      this.contexts.consumer,
      { name: CONVERSION_CONFIRMATION_CONSUMER, sources: ['sales'], eventTypes: [SalesCustomerEventType.LeadConversionRecorded] },
      (event) => this.handle(event),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== SalesCustomerEventType.LeadConversionRecorded) return;
    const data = LeadConversionRecordedData.parse(event.data);
    try {
      await this.leads.confirmConversion(data, event);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'conflict') throw error;
      this.logger.warn(`${event.id}: lead ${data.leadId} not confirmed: ${error.code}: ${error.message}`);
    }
  }
}
