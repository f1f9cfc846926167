import { z } from 'zod';

/* The events of lead scoring (DOMAIN.md §1): score changes with their reasons, and the hot flag. */

/** Why a score is what it is: one line per rule that fired, plus one for decay. */
export const ScoreReason = z.object({
  ruleId: z.string(),
  kind: z.enum(['attribute', 'behaviour', 'decay']),
  /** Signed: rules add, decay subtracts. The reasons of a score sum to the score. */
  points: z.int(),
  /** Human-readable explanation, e.g. `page_view ×4 (≥ 3 required) → +10 once`. */
  detail: z.string(),
});
export type ScoreReason = z.infer<typeof ScoreReason>;

export const LeadScoreChangedData = z.object({
  leadId: z.string(),
  score: z.int().nonnegative(),
  previousScore: z.int().nonnegative(),
  reasons: z.array(ScoreReason),
  ruleSetVersion: z.int().positive(),
  scoredAt: z.iso.datetime(),
});
export type LeadScoreChangedData = z.infer<typeof LeadScoreChangedData>;

export const LeadBecameHotData = z.object({
  leadId: z.string(),
  score: z.int().nonnegative(),
  reasons: z.array(ScoreReason),
  /** The rule set's hot threshold the score reached. */
  threshold: z.int().nonnegative(),
  ruleSetVersion: z.int().positive(),
  becameHotAt: z.iso.datetime(),
});
export type LeadBecameHotData = z.infer<typeof LeadBecameHotData>;

export const LeadCooledData = z.object({
  leadId: z.string(),
  score: z.int().nonnegative(),
  reasons: z.array(ScoreReason),
  /** The rule set's hot threshold the score is now below. */
  threshold: z.int().nonnegative(),
  ruleSetVersion: z.int().positive(),
  cooledAt: z.iso.datetime(),
});
export type LeadCooledData = z.infer<typeof LeadCooledData>;

export const LeadScoringEventType = {
  LeadScoreChanged: 'leads.LeadScoreChanged',
  LeadBecameHot: 'leads.LeadBecameHot',
  LeadCooled: 'leads.LeadCooled',
} as const;

export type LeadScoringEvent =
  | { type: typeof LeadScoringEventType.LeadScoreChanged; data: LeadScoreChangedData }
  | { type: typeof LeadScoringEventType.LeadBecameHot; data: LeadBecameHotData }
  | { type: typeof LeadScoringEventType.LeadCooled; data: LeadCooledData };

/** A lead attribute value: lead fields and custom fields (DOMAIN.md §8). */
export const LeadAttributeValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export type LeadAttributeValue = z.infer<typeof LeadAttributeValue>;

export const LeadAttributesUpdatedData = z.object({
  leadId: z.string(),
  /** Field name → new value; `null` clears the field. Fields not named are unchanged. */
  changes: z.record(z.string().min(1).max(100), LeadAttributeValue.nullable()),
  updatedAt: z.iso.datetime(),
});
export type LeadAttributesUpdatedData = z.infer<typeof LeadAttributesUpdatedData>;
