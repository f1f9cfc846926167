import type { ScoringRuleSet } from './scoring-rules';

/**
 * Replace a tenant's whole rule set. `expectedVersion`, when given, is the version the
 * administrator edited (the `version` of the document they read): a different current
 * version is a conflict.
 */
export type ChangeScoringRules = {
  type: 'ChangeScoringRules';
  data: { ruleSet: ScoringRuleSet; expectedVersion?: number; changedBy?: string; now: Date };
};

export type ScoringRulesCommand = ChangeScoringRules;
