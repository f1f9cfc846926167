import type { LeadScoringEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { decideRescore, type LeadHistoryEvent } from './rescore';
import type { ScoringRules } from './scoring-rules';

/** Re-score one lead from its whole history under the tenant's current rules, at `now`. */
export type RescoreLead = {
  type: 'RescoreLead';
  data: { leadId: string; rules: ScoringRules; now: Date; absorbed?: readonly LeadHistoryEvent[] };
};

/** The lead's history as read: a lead's score depends on all of it. */
export type LeadRescoreState = { history: LeadHistoryEvent[] };

/**
 * `decideRescore` as a Decider over the lead stream (`lead-<id>`), for `handleCommand`: the
 * score events to append, none when neither the score nor the hot flag changed (so running
 * it twice appends nothing the second time). A lead that was never captured is not scored.
 */
export const leadRescoreDecider: Decider<RescoreLead, LeadHistoryEvent, LeadRescoreState> = {
  initialState: () => ({ history: [] }),
  // The array is shared along one fold instead of copied per event (histories can be long);
  // a fold never looks at an earlier state again.
  evolve: (state, event) => {
    state.history.push(event);
    return { history: state.history };
  },
  decide: ({ data }, { history }): LeadScoringEvent[] =>
    history.length === 0 ? [] : decideRescore({ leadId: data.leadId, history, rules: data.rules, now: data.now, ...(data.absorbed && { absorbed: data.absorbed }) }),
};
