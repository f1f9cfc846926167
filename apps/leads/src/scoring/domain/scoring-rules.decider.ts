import { ScoringRulesEventType, type ScoringRulesEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { ScoringRulesCommand } from './scoring-rules.commands';
import { DEFAULT_SCORING_RULES, ScoringRules, type ScoringRuleSet } from './scoring-rules';
import { ScoringRulesError } from './scoring-rules.errors';

/**
 * A tenant's rule set (stream `scoring-rules-<tenantId>`). Until the tenant changes it, the
 * built-in defaults (version 1) apply; each change is the whole new set with the next version.
 */
export type ScoringRulesState = {
  rules: ScoringRules;
  /** False while the tenant is on the built-in defaults. */
  customised: boolean;
};

export const initialScoringRulesState = (): ScoringRulesState => ({ rules: DEFAULT_SCORING_RULES, customised: false });

/** The rule set without its version: what a change replaces. */
export const ruleSetOf = ({ version: _version, ...ruleSet }: ScoringRules): ScoringRuleSet => ruleSet;

/** JSON with object keys sorted, so two rule sets compare by content, whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export const sameRuleSet = (a: ScoringRuleSet, b: ScoringRuleSet): boolean => canonical(a) === canonical(b);

const evolve = (state: ScoringRulesState, event: ScoringRulesEvent): ScoringRulesState => {
  switch (event.type) {
    case ScoringRulesEventType.ScoringRulesChanged:
      // Parsed, not cast: the stored payload is the public contract's looser shape.
      return { rules: ScoringRules.parse({ ...event.data.rules, version: event.data.version }), customised: true };
    default:
      return state;
  }
};

const decide = (command: ScoringRulesCommand, state: ScoringRulesState): ScoringRulesEvent[] => {
  const { ruleSet, expectedVersion, changedBy, now } = command.data;
  const current = state.rules.version;
  if (expectedVersion !== undefined && expectedVersion !== current) {
    throw new ScoringRulesError('rule_set_version_mismatch', `the rule set is at version ${current}, not ${expectedVersion}`, {
      expectedVersion,
      actualVersion: current,
    });
  }
  if (sameRuleSet(ruleSetOf(state.rules), ruleSet)) return [];
  return [{
    type: ScoringRulesEventType.ScoringRulesChanged,
    data: { version: current + 1, rules: ruleSet, ...(changedBy !== undefined && { changedBy }), changedAt: now.toISOString() },
  }];
};

export const scoringRulesDecider: Decider<ScoringRulesCommand, ScoringRulesEvent, ScoringRulesState> = {
  initialState: initialScoringRulesState,
  evolve,
  decide,
};
