import type { Decider } from '@crm/domain';
import { LeadScoringEventType, type LeadScoringEvent } from '@crm/contracts';
import type { ScoreResult } from './lead-score';

/** What a lead's score events say so far. A lead never scored is at 0 and not hot. */
export type LeadScoreState = { score: number; hot: boolean };

export const initialLeadScoreState = (): LeadScoreState => ({ score: 0, hot: false });

/** Record a freshly computed score for a lead (after a touchpoint, an attribute change, a rule change or a decay tick). */
export type RecordLeadScore = {
  type: 'RecordLeadScore';
  data: { leadId: string; next: ScoreResult; ruleSetVersion: number; now: Date };
};

export const evolveLeadScore = (state: LeadScoreState, event: LeadScoringEvent): LeadScoreState => {
  switch (event.type) {
    case LeadScoringEventType.LeadScoreChanged:
      return { ...state, score: event.data.score };
    case LeadScoringEventType.LeadBecameHot:
      return { score: event.data.score, hot: true };
    case LeadScoringEventType.LeadCooled:
      return { score: event.data.score, hot: false };
    default:
      return state;
  }
};

/**
 * The events a new score causes: `LeadScoreChanged` when the score differs, then
 * `LeadBecameHot` when the lead was not hot and now is, or `LeadCooled` when it was and no
 * longer is. The hot flag is compared, not the scores, so a changed threshold alone can heat
 * or cool a lead whose score did not move. Nothing when nothing changed.
 */
export const decideScoreChange = (input: {
  leadId: string;
  previous: LeadScoreState;
  next: ScoreResult;
  ruleSetVersion: number;
  now: Date;
}): LeadScoringEvent[] => {
  const { leadId, previous, next, ruleSetVersion, now } = input;
  const at = now.toISOString();
  const events: LeadScoringEvent[] = [];
  if (next.score !== previous.score) {
    events.push({
      type: LeadScoringEventType.LeadScoreChanged,
      data: { leadId, score: next.score, previousScore: previous.score, reasons: next.reasons, ruleSetVersion, scoredAt: at },
    });
  }
  if (next.hot && !previous.hot) {
    events.push({
      type: LeadScoringEventType.LeadBecameHot,
      data: { leadId, score: next.score, reasons: next.reasons, threshold: next.hotThreshold, ruleSetVersion, becameHotAt: at },
    });
  } else if (!next.hot && previous.hot) {
    events.push({
      type: LeadScoringEventType.LeadCooled,
      data: { leadId, score: next.score, reasons: next.reasons, threshold: next.hotThreshold, ruleSetVersion, cooledAt: at },
    });
  }
  return events;
};

/** The same rule as a Decider over a lead's score events, for `handleCommand` and given/when/then specs. */
export const leadScoringDecider: Decider<RecordLeadScore, LeadScoringEvent, LeadScoreState> = {
  initialState: initialLeadScoreState,
  evolve: evolveLeadScore,
  decide: ({ data }, state) => decideScoreChange({ leadId: data.leadId, previous: state, next: data.next, ruleSetVersion: data.ruleSetVersion, now: data.now }),
};
