import { ContactCaptureEventType, ContactRecapturedData, type RecordedEvent } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { OTHER_CONTEXTS, runConsumer, type OtherContexts } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { ContactCommandsService } from './contact-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`). */
export const CONTACT_RECAPTURES_CONSUMER = 'sales.contact-recaptures';

/**
 * A known contact filled in a form (or came in through another channel) again: leads recorded the
 * capture against the contact (`leads.ContactRecaptured`) instead of creating a lead, and this
 * consumer notes it on the contact as `sales.ContactEngaged`, once per leads event. A capture
 * naming a contact that does not exist is logged and skipped (retrying would not change it).
 * Reads leads' events through the consumer port for other contexts; off with `background: false`.
 */
@Injectable()
export class ContactRecaptureConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CONTACT_RECAPTURES_CONSUMER);
  private stop?: () => Promise<void>;

  constructor(
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    @Inject(OTHER_CONTEXTS) private readonly contexts: OtherContexts,
    private readonly contacts: ContactCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    if (!this.contexts.consumer) {
      this.logger.warn(`not started: ${this.contexts.unavailable ?? 'no consumer'}; captures of known contacts are not noted on them`);
      return;
    }
    this.stop = await runConsumer(
      this.contexts.consumer,
      { name: CONTACT_RECAPTURES_CONSUMER, sources: ['leads'], eventTypes: [ContactCaptureEventType.ContactRecaptured] },
      (event) => this.handle(event),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== ContactCaptureEventType.ContactRecaptured) return;
    const data = ContactRecapturedData.parse(event.data);
    try {
      const result = await this.contacts.recordEngagement(data, event);
      if (!result) this.logger.warn(`${event.id}: contact ${data.contactId} does not exist; capture ${data.captureId} not noted`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'conflict') throw error;
      this.logger.warn(`${event.id}: capture ${data.captureId} not noted on contact ${data.contactId}: ${error.code}: ${error.message}`);
    }
  }
}
