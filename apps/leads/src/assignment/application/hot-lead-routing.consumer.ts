import { LeadEventType, streamCategory, streamId, type RecordedEvent } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';
import {
  InMemoryCheckpointStore, InMemoryDeadLetterStore, migrateMessaging, PostgresCheckpointStore, PostgresDeadLetterStore, StoreEventConsumer,
  type EventConsumer, type RunningConsumer,
} from '@crm/messaging';
import { EVENT_STORE, PG_POOL, tracedConsumer } from '@crm/nest-kit';
import { registerLagSource } from '@crm/observability';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
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
  private readonly logger = new Logger(HOT_LEAD_ROUTING_CONSUMER);
  private consumer?: EventConsumer;
  private running?: RunningConsumer;
  private unregisterLag?: () => void;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool | undefined,
    @Inject(ASSIGNMENT_OPTIONS) private readonly options: AssignmentOptions,
    private readonly assignment: AssignmentService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    if (this.pool) await migrateMessaging(this.pool, 'leads');
    this.consumer = tracedConsumer(
      new StoreEventConsumer(
        () => this.store,
        this.pool ? new PostgresCheckpointStore(this.pool, 'leads') : new InMemoryCheckpointStore(),
        this.pool ? new PostgresDeadLetterStore(this.pool, 'leads') : new InMemoryDeadLetterStore(),
        { onError: (error) => this.logger.warn(`hot-lead routing: ${error instanceof Error ? error.message : String(error)}`) },
      ),
    );
    const running = await this.consumer.start(
      { name: HOT_LEAD_ROUTING_CONSUMER, sources: ['leads'], filter: { eventTypes: [LeadEventType.LeadBecameHot] } },
      (event) => this.handle(event),
    );
    this.running = running;
    this.unregisterLag = registerLagSource(HOT_LEAD_ROUTING_CONSUMER, 'leads', async () => (await running.lag())[0]?.pending ?? 0);
  }

  async onModuleDestroy(): Promise<void> {
    this.unregisterLag?.();
    await this.running?.stop();
    await this.consumer?.close();
  }

  /** Routes the lead that became hot; public so a spec can deliver an event twice. */
  async handle(event: RecordedEvent): Promise<void> {
    if (streamCategory(event.streamName) !== 'lead') return;
    await this.assignment.routeHotLead(event.metadata.tenantId, streamId(event.streamName), event.metadata.correlationId, `hot-lead:${event.id}`);
  }
}
