import { ScoringRulesEventType, type ScoringRulesEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { DEFAULT_SCORING_RULES, ScoringRuleSet, type ScoringRuleSet as RuleSet } from './scoring-rules';
import type { ChangeScoringRules } from './scoring-rules.commands';
import { ruleSetOf, scoringRulesDecider } from './scoring-rules.decider';

const given = DeciderSpecification.for(scoringRulesDecider);
const now = new Date('2026-03-01T08:00:00.000Z');

const defaults = ruleSetOf(DEFAULT_SCORING_RULES);
const strict: RuleSet = ScoringRuleSet.parse({ ...defaults, hotThreshold: 90 });
const lenient: RuleSet = ScoringRuleSet.parse({ ...defaults, hotThreshold: 40 });

const change = (ruleSet: RuleSet, expectedVersion?: number): ChangeScoringRules => ({
  type: 'ChangeScoringRules',
  data: { ruleSet, ...(expectedVersion !== undefined && { expectedVersion }), changedBy: 'admin-1', now },
});
const changed = (version: number, rules: RuleSet): ScoringRulesEvent => ({
  type: ScoringRulesEventType.ScoringRulesChanged,
  data: { version, rules, changedBy: 'admin-1', changedAt: now.toISOString() },
});

describe('Scoring rules decider', () => {
  describe('given a tenant on the built-in defaults (version 1)', () => {
    it('the current rules are the defaults', () =>
      given([]).when(change(defaults)).thenState((s) => expect(s).toEqual({ rules: DEFAULT_SCORING_RULES, customised: false })));

    it('when an administrator changes them, then version 2 holds the new rules', () => given([]).when(change(strict)).then([changed(2, strict)]));

    it('when the change names version 1 (the version they edited), then it is accepted', () => given([]).when(change(strict, 1)).then([changed(2, strict)]));

    it('when the submitted rules are the defaults, then nothing happens', () => given([]).when(change(defaults)).thenNothingHappened());

    it('when the rules arrive with their keys in another order, then they are still the same rules', () => {
      const reordered = Object.fromEntries(Object.entries(defaults).reverse()) as RuleSet;
      given([]).when(change(reordered)).thenNothingHappened();
    });
  });

  describe('given a tenant at version 2', () => {
    const history = [changed(2, strict)];

    it('the current rules are version 2', () =>
      given(history).when(change(strict)).thenState((s) => expect(s).toEqual({ rules: { ...strict, version: 2 }, customised: true })));

    it('when they change again, then the version goes up by one', () => given(history).when(change(lenient)).then([changed(3, lenient)]));

    it('when the same rules are submitted again, then nothing happens (a retried PUT adds no version)', () =>
      given(history).when(change(strict)).thenNothingHappened());

    it('when going back to the defaults, then that is a change too (version 3)', () => given(history).when(change(defaults)).then([changed(3, defaults)]));

    it('when the change was made on version 1, then it is a conflict', () =>
      given(history).when(change(lenient, 1)).thenThrows('rule_set_version_mismatch', (e) => {
        expect(e.kind).toBe('conflict');
        expect(e.details).toEqual({ expectedVersion: 1, actualVersion: 2 });
      }));
  });
});
