import type { RecordedEvent } from '@crm/contracts';
import type { Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { CLOCK, EVENT_STORE, OTHER_CONTEXTS, runConsumer, type OtherContexts } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONTACT_INDEX_EVENT_TYPES, SalesContactIndex } from './sales-contact-index';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in `leads_messaging`. */
export const CONTACT_INDEX_CONSUMER = 'leads.contact-index';

/**
 * Keeps leads' index of sales contacts (e-mail and phone keys, merges) from `sales.ContactCreated`,
 * `sales.ContactUpdated` and `sales.ContactMergedInto`, read through the consumer port for other
 * contexts (JetStream with NATS, else the sales store). Idempotent: a redelivered or older event
 * changes nothing. A payload that breaks the contract throws (retried, then dead-lettered). In
 * memory without NATS it does not start, and captures match leads only.
 */
@Injectable()
export class ContactIndexConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CONTACT_INDEX_CONSUMER);
  private readonly index: SalesContactIndex;
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OTHER_CONTEXTS) private readonly contexts: OtherContexts,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.index = new SalesContactIndex(store, clock);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.contexts.consumer) {
      this.logger.warn(`not started: ${this.contexts.unavailable ?? 'no consumer'}; captures are not matched against sales contacts`);
      return;
    }
    this.stop = await runConsumer(
      this.contexts.consumer,
      { name: CONTACT_INDEX_CONSUMER, sources: ['sales'], eventTypes: CONTACT_INDEX_EVENT_TYPES },
      (event) => this.handle(event),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  handle(event: RecordedEvent): Promise<void> {
    return this.index.apply(event);
  }
}
