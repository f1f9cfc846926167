import { LeadEventType, ScoringRulesEventType, streamCategory, streamId, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LeadScoringService } from './lead-scoring.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the leads schema. */
export const SCORING_CONSUMER = 'leads.scoring';

/**
 * What can change a score. Score events are not among them, so scoring never re-triggers
 * itself; a rule change re-scores the tenant's leads.
 */
export const SCORING_TRIGGERS: readonly string[] = [
  LeadEventType.LeadCaptured,
  LeadEventType.TouchpointRecorded,
  LeadEventType.LeadAttributesUpdated,
  LeadEventType.LeadRecaptured,
  LeadEventType.LeadsMerged,
  ScoringRulesEventType.ScoringRulesChanged,
];

export const SCORING_OPTIONS = Symbol('SCORING_OPTIONS');

export type ScoringOptions = {
  /** Run the in-process consumer that scores leads as their events arrive (default true; specs of other features turn it off). */
  background?: boolean;
};

/**
 * Scoring on the write path, without touching the lead commands: an in-process catch-up
 * consumer of the leads event store, filtered to the events that can change a score, with a
 * checkpoint (`leads.consumer_checkpoints` on PostgreSQL, in memory otherwise: then it
 * re-scores from the start after a restart, which appends nothing for unchanged leads).
 * A lead event re-scores that lead; `leads.ScoringRulesChanged` re-scores every lead of the
 * tenant, durably: a crash mid-way re-delivers it and the re-scoring resumes (idempotent).
 */
@Injectable()
export class LeadScoringConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SCORING_CONSUMER);
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(SCORING_OPTIONS) private readonly options: ScoringOptions,
    private readonly scoring: LeadScoringService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    this.stop = await runConsumer(this.events, { name: SCORING_CONSUMER, sources: ['leads'], eventTypes: SCORING_TRIGGERS }, (event) => this.handle(event));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  private async handle(event: RecordedEvent): Promise<void> {
    const { tenantId } = event.metadata;
    if (event.type === ScoringRulesEventType.ScoringRulesChanged) {
      const { leads, rescored } = await this.scoring.rescoreTenant(tenantId, event);
      this.logger.log(`tenant ${tenantId}: rules v${(event.data as { version: number }).version}, ${rescored} of ${leads} lead(s) re-scored`);
      return;
    }
    if (streamCategory(event.streamName) !== 'lead') return;
    await this.scoring.rescoreLead(tenantId, streamId(event.streamName), event);
  }
}
