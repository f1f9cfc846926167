import { LeadEventType, LeadScoringEventType, type LeadAttributeValue, type LeadEvent, type LeadScoringEvent } from '@crm/contracts';
import { scoreLead, type LeadAttributes, type LeadFacts, type ScoreResult, type TouchpointFact } from './lead-score';
import { decideScoreChange, evolveLeadScore, initialLeadScoreState, type LeadScoreState } from './lead-scoring.decider';
import type { ScoringRules } from './scoring-rules';

/** What a lead's stream (`lead-<id>`) holds: scoring reads touchpoints, attributes and scores, and ignores the rest. */
export type LeadHistoryEvent = LeadEvent;

const notAfter = (iso: string, asOf: Date): boolean => new Date(iso).getTime() <= asOf.getTime();

/** Channels where a recapture means the person submitted a form again (a `form_submit` touchpoint for scoring). */
const FORM_CHANNELS: ReadonlySet<string> = new Set(['web_form', 'landing_page']);

/** What a survivor takes over from the leads merged into it: their behaviour, not their fields. */
const isBehaviour = (event: LeadHistoryEvent): boolean => event.type === LeadEventType.TouchpointRecorded || event.type === LeadEventType.LeadRecaptured;

/**
 * Folds a lead's history into the facts its score is computed from, as they stood at
 * `asOf` (events stamped later are left out): the captured fields, attribute updates (a
 * `null` clears a field) and the touchpoints.
 */
export const leadFactsFromHistory = (events: readonly LeadHistoryEvent[], asOf: Date): LeadFacts => {
  let attributes: Record<string, LeadAttributeValue> = {};
  const touchpoints: TouchpointFact[] = [];
  let capturedAt: Date | undefined;
  for (const event of events) {
    switch (event.type) {
      case LeadEventType.LeadCaptured: {
        if (!notAfter(event.data.capturedAt, asOf)) break;
        const { name, company, email, phone } = event.data;
        attributes = {
          ...attributes,
          name,
          ...(company !== undefined && { company }),
          ...(email !== undefined && { email }),
          ...(phone !== undefined && { phone }),
        };
        capturedAt = new Date(event.data.capturedAt);
        break;
      }
      case LeadEventType.LeadAttributesUpdated: {
        if (!notAfter(event.data.updatedAt, asOf)) break;
        const next = { ...attributes };
        for (const [field, value] of Object.entries(event.data.changes)) {
          if (value === null) delete next[field];
          else next[field] = value;
        }
        attributes = next;
        break;
      }
      case LeadEventType.LeadRecaptured: {
        const { added, recapturedAt, source } = event.data;
        if (!notAfter(recapturedAt, asOf)) break;
        if (added) attributes = { ...attributes, ...added };
        // The person filled in a form again: that is behaviour. An import or API call is not.
        if (FORM_CHANNELS.has(source.channel)) touchpoints.push({ touchpointId: `recapture:${recapturedAt}`, type: 'form_submit', at: new Date(recapturedAt) });
        break;
      }
      case LeadEventType.TouchpointRecorded: {
        const { touchpointId, type, at, url } = event.data;
        if (!notAfter(at, asOf)) break;
        touchpoints.push({ touchpointId, type, at: new Date(at), ...(url !== undefined && { url }) });
        break;
      }
      default:
        break;
    }
  }
  const facts: LeadAttributes = attributes;
  return { attributes: facts, touchpoints, ...(capturedAt !== undefined && { capturedAt }) };
};

/** Scores a lead from its history under a (possibly new) rule set: what a rule change does to every existing lead. */
export const rescoreFromHistory = (events: readonly LeadHistoryEvent[], rules: ScoringRules, asOf: Date): ScoreResult =>
  scoreLead(leadFactsFromHistory(events, asOf), rules, asOf);

const isScoringEvent = (event: LeadHistoryEvent): event is LeadScoringEvent =>
  event.type === LeadScoringEventType.LeadScoreChanged ||
  event.type === LeadScoringEventType.LeadBecameHot ||
  event.type === LeadScoringEventType.LeadCooled;

/** The lead's last recorded score and hot flag, from the score events in its history. */
export const currentLeadScore = (events: readonly LeadHistoryEvent[]): LeadScoreState =>
  events.filter(isScoringEvent).reduce(evolveLeadScore, initialLeadScoreState());

/**
 * Re-scores one lead from its history under `rules` at `now`, and returns the score events
 * to append (none when neither the score nor the hot flag changed).
 */
export const decideRescore = (input: {
  leadId: string;
  history: readonly LeadHistoryEvent[];
  /** The histories of the leads merged into this one: their touchpoints (and form recaptures) count here. */
  absorbed?: readonly LeadHistoryEvent[];
  rules: ScoringRules;
  now: Date;
}): LeadScoringEvent[] => {
  // A lead merged away is scored no more: its behaviour counts on the survivor.
  if (input.history.some((event) => event.type === LeadEventType.LeadMergedInto)) return [];
  const behaviour = (input.absorbed ?? []).filter(isBehaviour).map((event) =>
    event.type === LeadEventType.LeadRecaptured ? { ...event, data: { ...event.data, added: undefined } } : event);
  return decideScoreChange({
    leadId: input.leadId,
    previous: currentLeadScore(input.history),
    next: rescoreFromHistory([...input.history, ...behaviour], input.rules, input.now),
    ruleSetVersion: input.rules.version,
    now: input.now,
  });
};
