import { z } from 'zod';
import { TouchpointType } from '@crm/contracts';

/**
 * A tenant's lead-scoring rule set (DOMAIN.md §1): attribute rules on lead fields,
 * behaviour rules on touchpoints, inactivity decay and the hot threshold. Every tenant
 * starts from `DEFAULT_SCORING_RULES`; an administrator replaces the whole set, with a new
 * `version`, and existing leads are re-scored from their history (see rescore.ts).
 */

/** Reserved for the decay line of a score's reasons; no rule may use it. */
export const DECAY_REASON_ID = 'decay';

export const RuleId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, "_", "." and "-"')
  .refine((id) => id !== DECAY_REASON_ID, `"${DECAY_REASON_ID}" is reserved for the decay reason`);

/** Points a rule awards: whole, never negative (so scores are never negative and more behaviour never lowers them). */
export const RulePoints = z.int().min(0).max(1000);

/** A lead field: the built-in ones (name, company, email, phone, industry, …) or a custom field. */
export const LeadFieldName = z.string().min(1).max(100);

export const ConditionValue = z.union([z.string().max(500), z.number(), z.boolean()]);
export type ConditionValue = z.infer<typeof ConditionValue>;

/**
 * A condition on lead fields. Strings compare trimmed and case-insensitively; a field is
 * present when it has a value that is not blank.
 */
export type FieldCondition =
  | { op: 'present'; field: string }
  | { op: 'equals'; field: string; value: ConditionValue }
  | { op: 'in'; field: string; values: ConditionValue[] }
  | { op: 'all'; conditions: FieldCondition[] }
  | { op: 'any'; conditions: FieldCondition[] };

export const FieldCondition: z.ZodType<FieldCondition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('present'), field: LeadFieldName }),
    z.strictObject({ op: z.literal('equals'), field: LeadFieldName, value: ConditionValue }),
    z.strictObject({ op: z.literal('in'), field: LeadFieldName, values: z.array(ConditionValue).min(1).max(500) }),
    z.strictObject({ op: z.literal('all'), conditions: z.array(FieldCondition).min(1).max(50) }),
    z.strictObject({ op: z.literal('any'), conditions: z.array(FieldCondition).min(1).max(50) }),
  ]),
);

/** Awards `points` once when the lead's fields satisfy `when`. */
export const AttributeRule = z.strictObject({
  id: RuleId,
  description: z.string().min(1).max(500),
  when: FieldCondition,
  points: RulePoints,
});
export type AttributeRule = z.infer<typeof AttributeRule>;

/** Narrows which touchpoints of the type a behaviour rule counts. */
export const TouchpointFilter = z.strictObject({
  /** The touchpoint's URL contains this text (case-insensitive). A touchpoint without a URL never matches. */
  urlContains: z.string().min(1).max(2000).optional(),
});
export type TouchpointFilter = z.infer<typeof TouchpointFilter>;

/**
 * Counts the lead's touchpoints of one type (optionally filtered). Nothing is awarded below
 * `minOccurrences`; from there on, `per_occurrence` awards `points` for every counted
 * touchpoint (the first ones included) and `once` awards `points` a single time. `cap` is the
 * most this rule can add.
 */
export const BehaviourRule = z.strictObject({
  id: RuleId,
  description: z.string().min(1).max(500),
  touchpoint: TouchpointType,
  filter: TouchpointFilter.optional(),
  points: RulePoints,
  award: z.enum(['per_occurrence', 'once']).default('per_occurrence'),
  cap: z.int().min(0).optional(),
  minOccurrences: z.int().min(1).max(1000).default(1),
});
export type BehaviourRule = z.infer<typeof BehaviourRule>;

const decayBase = {
  /** Grace period: no decay until the lead has been inactive this many days. */
  afterDaysInactive: z.int().min(0).max(3650),
  /** Decay never takes a score below this (and never raises a score already below it). */
  floor: z.int().min(0).default(0),
};

/** Minus `pointsPerWeek` for every full week of inactivity after the grace period. */
export const PointsDecay = z.strictObject({ ...decayBase, pointsPerWeek: z.int().min(1).max(1000) });
/** Minus `percentPerWeek` % (compounded, rounded to whole points) per full week after the grace period. */
export const PercentDecay = z.strictObject({ ...decayBase, percentPerWeek: z.number().gt(0).max(100) });

export const DecayRule = z.union([PointsDecay, PercentDecay]);
export type DecayRule = z.infer<typeof DecayRule>;

/** The rules of a rule set, without its `version` (which the rule-set aggregate assigns). */
export const ruleSetShape = {
  /** A lead whose (decayed) score is at least this is hot. */
  hotThreshold: z.int().min(0).default(60),
  attributeRules: z.array(AttributeRule).max(200).default([]),
  behaviourRules: z.array(BehaviourRule).max(200).default([]),
  /** Absent: scores do not decay. */
  decay: DecayRule.optional(),
};

/** Rule ids are unique across attribute and behaviour rules (a score's reasons name them). */
export const uniqueRuleIds = (rules: { attributeRules: readonly { id: string }[]; behaviourRules: readonly { id: string }[] }, ctx: z.RefinementCtx): void => {
  const seen = new Set<string>();
  const check = (list: 'attributeRules' | 'behaviourRules') => (rule: { id: string }, index: number) => {
    if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${rule.id}"`, path: [list, index, 'id'] });
    seen.add(rule.id);
  };
  rules.attributeRules.forEach(check('attributeRules'));
  rules.behaviourRules.forEach(check('behaviourRules'));
};

/** A rule set as an administrator submits it: everything but the version. */
export const ScoringRuleSet = z.strictObject(ruleSetShape).superRefine(uniqueRuleIds);
export type ScoringRuleSet = z.infer<typeof ScoringRuleSet>;

export const ScoringRules = z
  .strictObject({
    /** Increases with every change; recorded on each score event (`ruleSetVersion`). */
    version: z.int().positive(),
    ...ruleSetShape,
  })
  .superRefine(uniqueRuleIds);
export type ScoringRules = z.infer<typeof ScoringRules>;
/** A rule set as an administrator writes it: defaults (threshold 60, award per occurrence, …) may be left out. */
export type ScoringRulesInput = z.input<typeof ScoringRules>;

/** Parses an administrator's rule set, filling in the defaults; throws a ZodError when it is invalid. */
export const parseScoringRules = (input: unknown): ScoringRules => ScoringRules.parse(input);

/**
 * The industries the default "key industry" rule favours. A placeholder every tenant is
 * expected to replace with its own; values compare trimmed and case-insensitively.
 */
export const DEFAULT_KEY_INDUSTRIES: readonly string[] = [
  'software',
  'internet',
  'manufacturing',
  'financial services',
  'healthcare',
  'education',
];

/**
 * The articles' example (DOMAIN.md §1), shipped as every tenant's initial rule set:
 * complete contact +10, pricing page +15, whitepaper +20, several visits (≥ 3 page views)
 * +10, key industry +30; hot at 60.
 *
 * Decay: after 30 days without a touchpoint (the same period after which an untouched lead
 * returns to the pool), −5 points per further full week, down to 0. A lead at 85 that goes
 * silent is still hot for 30 + 5×7 = 65 days and cold after 10 weeks.
 */
export const DEFAULT_SCORING_RULES: ScoringRules = parseScoringRules({
  version: 1,
  hotThreshold: 60,
  attributeRules: [
    {
      id: 'complete-contact',
      description: 'Complete contact information (name, company, e-mail and phone)',
      when: {
        op: 'all',
        conditions: [
          { op: 'present', field: 'name' },
          { op: 'present', field: 'company' },
          { op: 'present', field: 'email' },
          { op: 'present', field: 'phone' },
        ],
      },
      points: 10,
    },
    {
      id: 'key-industry',
      description: 'From a key industry',
      when: { op: 'in', field: 'industry', values: [...DEFAULT_KEY_INDUSTRIES] },
      points: 30,
    },
  ],
  behaviourRules: [
    { id: 'viewed-pricing', description: 'Viewed the pricing page', touchpoint: 'pricing_page_view', points: 15, award: 'once' },
    { id: 'downloaded-whitepaper', description: 'Downloaded a whitepaper', touchpoint: 'whitepaper_download', points: 20, award: 'once' },
    { id: 'repeat-visits', description: 'Visited the site several times', touchpoint: 'page_view', points: 10, award: 'once', minOccurrences: 3 },
  ],
  decay: { afterDaysInactive: 30, pointsPerWeek: 5, floor: 0 },
} satisfies ScoringRulesInput);
