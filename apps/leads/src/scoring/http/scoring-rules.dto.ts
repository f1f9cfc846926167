import { z } from 'zod';
import { ruleSetShape, ScoringRules, uniqueRuleIds } from '../domain/scoring-rules';

/**
 * `PUT /v1/scoring-rules`: the whole rule set. Defaults (threshold 60, award per occurrence,
 * …) may be left out. `version` is optional: when present (the document from `GET`, edited),
 * it must be the current version, else 409; the server assigns the next one.
 */
export const PutScoringRulesBody = z
  .strictObject({ version: z.int().positive().optional(), ...ruleSetShape })
  .superRefine(uniqueRuleIds);
export type PutScoringRulesBody = z.infer<typeof PutScoringRulesBody>;

/** `GET /v1/scoring-rules`: the tenant's current rule set (the built-in defaults, version 1, until changed). */
export const ScoringRulesResponse = ScoringRules;

export const PutScoringRulesResponse = z.object({
  /** The version now in force (unchanged when the submitted rules were the current ones). */
  version: z.int().positive(),
  /** The tenant's leads queued for re-scoring from their history under the new rules (0 when nothing changed). */
  rescoring: z.object({ leads: z.int().nonnegative() }),
});
export type PutScoringRulesResponse = z.infer<typeof PutScoringRulesResponse>;
