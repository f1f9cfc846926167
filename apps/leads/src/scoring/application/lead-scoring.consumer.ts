import { LeadEventType, ScoringRulesEventType, streamCategory, streamId, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ScoringRules } from '../domain/scoring-rules';
import { LeadScoringService } from './lead-scoring.service';
import { ScoringRulesService } from './scoring-rules.service';

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

/** Tenants whose rule sets the consumer keeps; past this the cache starts over (a miss is one read). */
const MAX_CACHED_RULE_SETS = 10_000;

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
 *
 * The tenant's rule set is cached here, not read per event: the only writer of a rule set is
 * `leads.ScoringRulesChanged`, which this consumer receives in `$all` order among the lead
 * events, and it drops the tenant's entry before re-scoring. A rule set read while handling an
 * event includes every change committed before it; a change committed later is delivered later
 * and drops the entry then. So no lead event is scored under rules older than those a read at
 * that moment would give, and the re-score that follows a change covers the rest.
 */
@Injectable()
export class LeadScoringConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SCORING_CONSUMER);
  private stop?: () => Promise<void>;
  private readonly ruleSets = new Map<string, ScoringRules>();

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(SCORING_OPTIONS) private readonly options: ScoringOptions,
    private readonly scoring: LeadScoringService,
    private readonly rules: ScoringRulesService,
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
      this.ruleSets.delete(tenantId);
      const { leads, rescored } = await this.scoring.rescoreTenant(tenantId, event);
      this.logger.log(`tenant ${tenantId}: rules v${(event.data as { version: number }).version}, ${rescored} of ${leads} lead(s) re-scored`);
      return;
    }
    if (streamCategory(event.streamName) !== 'lead') return;
    await this.scoring.rescoreLead(tenantId, streamId(event.streamName), event, await this.rulesOf(tenantId));
  }

  private async rulesOf(tenantId: string): Promise<ScoringRules> {
    const cached = this.ruleSets.get(tenantId);
    if (cached) return cached;
    const { rules } = await this.rules.current(tenantId);
    if (this.ruleSets.size >= MAX_CACHED_RULE_SETS) this.ruleSets.clear();
    this.ruleSets.set(tenantId, rules);
    return rules;
  }
}
