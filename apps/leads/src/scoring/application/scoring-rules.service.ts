import { scoringRulesStream } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { ScoringRules, ScoringRuleSet } from '../domain/scoring-rules';
import { scoringRulesDecider } from '../domain/scoring-rules.decider';

/** A tenant's rule set and its stream revision (-1: the tenant is on the built-in defaults). */
export type CurrentScoringRules = { rules: ScoringRules; revision: number };

export type ScoringRulesChange = { rules: ScoringRules; revision: number; changed: boolean };

/** Reads and changes a tenant's scoring rules (stream `scoring-rules-<tenantId>`). */
@Injectable()
export class ScoringRulesService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async current(tenantId: string): Promise<CurrentScoringRules> {
    const { state, revision } = await loadAggregate(this.store, scoringRulesStream(tenantId), scoringRulesDecider, tenantId);
    return { rules: state.rules, revision };
  }

  /** Replaces the rule set (If-Match and Idempotency-Key from the request); identical rules change nothing. */
  async change(ctx: RequestContext, ruleSet: ScoringRuleSet, expectedVersion: number | undefined): Promise<ScoringRulesChange> {
    const result = await handleCommand(
      this.store,
      scoringRulesStream(ctx.tenantId),
      scoringRulesDecider,
      { type: 'ChangeScoringRules', data: { ruleSet, ...(expectedVersion !== undefined && { expectedVersion }), changedBy: ctx.actor, now: this.clock.now() } },
      commandOptions(ctx),
    );
    return { rules: result.state.rules, revision: result.revision, changed: result.events.length > 0 && !result.replayed };
  }
}
