import { LeadEventType, streamCategory, streamId, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AssignmentService } from './assignment.service';
import { ASSIGNMENT_OPTIONS, type AssignmentOptions } from './assignment.tokens';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the leads schema. */
export const HOT_LEAD_ROUTING_CONSUMER = 'leads.hot-lead-routing';

/**
 * "A hot lead is routed to sales first and its owner alerted" (DOMAIN.md §1): an in-process
 * catch-up consumer of the leads store, filtered to `leads.LeadBecameHot`. A lead in the pool is
 * assigned by the tenant's policy, then its owner alerted (`HotLeadOwnerAlerted`, once per hot
 * spell and owner). Redelivery changes nothing: an owned lead is not re-assigned, the
 * assignment carries the event's id as its idempotency key, and the alert is once per spell.
 */
@Injectable()
export class HotLeadRoutingConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(ASSIGNMENT_OPTIONS) private readonly options: AssignmentOptions,
    private readonly assignment: AssignmentService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    this.stop = await runConsumer(this.events, { name: HOT_LEAD_ROUTING_CONSUMER, sources: ['leads'], eventTypes: [LeadEventType.LeadBecameHot] }, (event) => this.handle(event));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  /** Routes the lead that became hot; public so a spec can deliver an event twice. */
  async handle(event: RecordedEvent): Promise<void> {
    if (streamCategory(event.streamName) !== 'lead') return;
    await this.assignment.routeHotLead(event.metadata.tenantId, streamId(event.streamName), event.metadata.correlationId, `hot-lead:${event.id}`);
  }
}
