import { LeadConversionRecordedData, SalesCustomerEventType, type RecordedEvent } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import type { RunningConsumer } from '@crm/messaging';
import { registerLagSource } from '@crm/observability';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LEADS_CONSUMER, type LeadsConsumerRuntime } from '../../leads-consumer.module';
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
  private running?: RunningConsumer;
  private unregisterLag?: () => void;

  constructor(
    @Inject(LEADS_CONSUMER) private readonly runtime: LeadsConsumerRuntime,
    private readonly leads: LeadCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.consumer) {
      this.logger.warn(`not started: ${this.runtime.unavailable ?? 'no consumer'}; conversions are not confirmed on leads`);
      return;
    }
    const running = await this.runtime.consumer.start(
      { name: CONVERSION_CONFIRMATION_CONSUMER, sources: ['sales'], filter: { eventTypes: [SalesCustomerEventType.LeadConversionRecorded] } },
      (event) => this.handle(event),
    );
    this.running = running;
    this.unregisterLag = registerLagSource(CONVERSION_CONFIRMATION_CONSUMER, 'sales', async () => (await running.lag())[0]?.pending ?? 0);
  }

  async onModuleDestroy(): Promise<void> {
    this.unregisterLag?.();
    await this.running?.stop();
    await this.runtime.close();
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
