import { z } from 'zod';
import { TouchpointType } from './leads.events';

/*
 * A tenant's lead-scoring rule set (DOMAIN.md §1) as an event-sourced aggregate: one stream
 * per tenant, one event per change. The leads service validates the full rule grammar
 * (conditions, filters, decay); the payload below is the shape consumers can rely on, with
 * room for rule kinds added later.
 */

const RulePayload = z.looseObject({
  id: z.string(),
  description: z.string(),
  /** Points the rule awards (never negative). */
  points: z.int().nonnegative(),
});

export const ScoringRuleSetPayload = z.object({
  /** A lead whose (decayed) score is at least this is hot. */
  hotThreshold: z.int().nonnegative(),
  /** Rules on lead fields; `when` is a condition tree (`present`, `equals`, `in`, `all`, `any`). */
  attributeRules: z.array(RulePayload.extend({ when: z.looseObject({ op: z.string() }) })),
  /** Rules on touchpoints of one type. */
  behaviourRules: z.array(
    RulePayload.extend({
      touchpoint: TouchpointType,
      award: z.enum(['per_occurrence', 'once']),
      minOccurrences: z.int().positive(),
      cap: z.int().nonnegative().optional(),
      filter: z.looseObject({ urlContains: z.string().optional() }).optional(),
    }),
  ),
  /** Inactivity decay (`pointsPerWeek` or `percentPerWeek` after `afterDaysInactive`); absent: no decay. */
  decay: z.looseObject({ afterDaysInactive: z.int().nonnegative(), floor: z.int().nonnegative() }).optional(),
});
export type ScoringRuleSetPayload = z.infer<typeof ScoringRuleSetPayload>;

export const ScoringRulesChangedData = z.object({
  /** The new version: 1 is the built-in default rule set, so a tenant's first change is 2. */
  version: z.int().min(2),
  rules: ScoringRuleSetPayload,
  /** Who changed them (a user id). */
  changedBy: z.string().optional(),
  changedAt: z.iso.datetime(),
});
export type ScoringRulesChangedData = z.infer<typeof ScoringRulesChangedData>;

export const ScoringRulesEventType = {
  ScoringRulesChanged: 'leads.ScoringRulesChanged',
} as const;

export type ScoringRulesEvent = { type: typeof ScoringRulesEventType.ScoringRulesChanged; data: ScoringRulesChangedData };

/** Stream of one tenant's rule set. */
export const scoringRulesStream = (tenantId: string): string => `scoring-rules-${tenantId}`;
