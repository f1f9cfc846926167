import { ActivityLoggedData, SalesWorkEventType, type RecordedEvent } from '@crm/contracts';
import { ForeignStreamError } from '@crm/domain';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SALES_OPTIONS, type SalesOptions } from '../../sales.options';
import { OpportunityCommandsService, type OpportunityResult } from './opportunity-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the sales schema. */
export const OPPORTUNITY_ACTIVITY_CONSUMER = 'sales.opportunity-activity';

/**
 * Keeps a deal that is being worked from counting as stalled: an in-process catch-up consumer of
 * the sales store's own `sales.ActivityLogged` events that records each activity about an
 * opportunity on it (`sales.OpportunityActivityRecorded`), which moves its stalled-deal clock.
 * Checkpoint and dead letters in the `sales` schema on PostgreSQL, in memory otherwise (a restart
 * then re-delivers from the start, which appends nothing).
 */
@Injectable()
export class OpportunityActivityConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OPPORTUNITY_ACTIVITY_CONSUMER);
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    private readonly opportunities: OpportunityCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    this.stop = await runConsumer(this.events, { name: OPPORTUNITY_ACTIVITY_CONSUMER, sources: ['sales'], eventTypes: [SalesWorkEventType.ActivityLogged] }, (event) => this.handle(event));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  /**
   * One delivery; safe to repeat. An activity about an unknown or closed opportunity records
   * nothing (the activity itself stands; there is no open deal to keep alive). A payload that
   * breaks the contract throws (retried, then dead-lettered).
   */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== SalesWorkEventType.ActivityLogged) return;
    const data = ActivityLoggedData.parse(event.data);
    const { opportunityId } = data.about;
    if (opportunityId === undefined) return;
    let result: OpportunityResult | undefined;
    try {
      result = await this.opportunities.recordActivity({ ...event, data });
    } catch (error) {
      // Another tenant's opportunity does not exist for this one (the activity feature checks that already).
      if (!(error instanceof ForeignStreamError)) throw error;
      this.logger.debug(`activity ${data.activityId}: opportunity ${opportunityId} does not exist for tenant ${event.metadata.tenantId}; nothing recorded`);
      return;
    }
    const status = result?.state.status;
    if (status === 'none') this.logger.debug(`activity ${data.activityId}: opportunity ${opportunityId} does not exist; nothing recorded`);
    else if (status === 'won' || status === 'lost') this.logger.debug(`activity ${data.activityId}: opportunity ${opportunityId} is ${status}; nothing recorded`);
  }
}
