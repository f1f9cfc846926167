import { LeadEventType } from '@crm/contracts';
import { OTHER_CONTEXTS, runConsumer, type OtherContexts } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { LeadConversionService } from './lead-conversion.service';

/** Durable consumer name (`<consuming-app>.<purpose>`). */
export const LEAD_CONVERSION_CONSUMER = 'sales.lead-conversion';

/**
 * Consumes `leads.LeadConverted` from the leads context through the consumer port for other
 * contexts (`OTHER_CONTEXTS`: a test's, else JetStream with NATS, else the leads event store with
 * checkpoints and dead letters in `sales_messaging`). In memory without NATS there is no leads
 * store to read: it warns and does not start.
 */
@Injectable()
export class LeadConversionConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LEAD_CONVERSION_CONSUMER);
  private stop?: () => Promise<void>;

  constructor(
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    @Inject(OTHER_CONTEXTS) private readonly contexts: OtherContexts,
    private readonly conversions: LeadConversionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    if (!this.contexts.consumer) {
      this.logger.warn(`not started: ${this.contexts.unavailable ?? 'no consumer'}; lead conversions are not consumed`);
      return;
    }
    this.stop = await runConsumer(
      this.contexts.consumer,
      { name: LEAD_CONVERSION_CONSUMER, sources: ['leads'], eventTypes: [LeadEventType.LeadConverted] },
      async (event) => void (await this.conversions.handle(event)),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }
}
