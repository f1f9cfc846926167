import { DEFAULT_KEY_INDUSTRIES, DEFAULT_SCORING_RULES, ScoringRules, parseScoringRules } from './scoring-rules';

const minimal = { version: 3 };

describe('Scoring rules', () => {
  describe('given the shipped default rule set', () => {
    it('then it is the DOMAIN.md example: +10 complete contact, +30 key industry, +15 pricing, +20 whitepaper, +10 repeat visits; hot at 60', () => {
      expect(DEFAULT_SCORING_RULES.hotThreshold).toBe(60);
      expect(DEFAULT_SCORING_RULES.attributeRules.map((r) => [r.id, r.points])).toEqual([
        ['complete-contact', 10],
        ['key-industry', 30],
      ]);
      expect(DEFAULT_SCORING_RULES.behaviourRules.map((r) => [r.id, r.touchpoint, r.points, r.award, r.minOccurrences])).toEqual([
        ['viewed-pricing', 'pricing_page_view', 15, 'once', 1],
        ['downloaded-whitepaper', 'whitepaper_download', 20, 'once', 1],
        ['repeat-visits', 'page_view', 10, 'once', 3],
      ]);
    });
    it('then key industries are a configurable list on the rule', () =>
      expect(DEFAULT_SCORING_RULES.attributeRules[1].when).toEqual({ op: 'in', field: 'industry', values: [...DEFAULT_KEY_INDUSTRIES] }));
    it('then scores decay by 5 points a week after 30 inactive days, down to 0', () =>
      expect(DEFAULT_SCORING_RULES.decay).toEqual({ afterDaysInactive: 30, pointsPerWeek: 5, floor: 0 }));
    it('then it survives a JSON round trip unchanged (it is stored per tenant)', () =>
      expect(parseScoringRules(JSON.parse(JSON.stringify(DEFAULT_SCORING_RULES)))).toEqual(DEFAULT_SCORING_RULES));
  });

  describe('given an administrator’s rule set', () => {
    it('when defaults are left out, then the threshold is 60, lists are empty and there is no decay', () =>
      expect(parseScoringRules(minimal)).toEqual({ version: 3, hotThreshold: 60, attributeRules: [], behaviourRules: [] }));
    it('when a behaviour rule leaves out award and minOccurrences, then it awards per occurrence from the first one', () =>
      expect(
        parseScoringRules({ ...minimal, behaviourRules: [{ id: 'opens', description: 'Opens', touchpoint: 'email_opened', points: 2, cap: 10 }] })
          .behaviourRules[0],
      ).toEqual({ id: 'opens', description: 'Opens', touchpoint: 'email_opened', points: 2, cap: 10, award: 'per_occurrence', minOccurrences: 1 }));
    it('when two rules share an id, then it is refused, pointing at the second', () =>
      expect(
        ScoringRules.safeParse({
          ...minimal,
          attributeRules: [{ id: 'x', description: 'a', when: { op: 'present', field: 'email' }, points: 1 }],
          behaviourRules: [{ id: 'x', description: 'b', touchpoint: 'form_submit', points: 1 }],
        }).error?.issues.map((i) => [i.path, i.message]),
      ).toEqual([[['behaviourRules', 0, 'id'], 'duplicate rule id "x"']]));
    it('when a rule is called "decay", then it is refused (the decay reason line owns that id)', () =>
      expect(ScoringRules.safeParse({ ...minimal, behaviourRules: [{ id: 'decay', description: 'd', touchpoint: 'page_view', points: 1 }] }).success).toBe(false));
    it.each([
      ['negative points', { attributeRules: [{ id: 'a', description: 'a', when: { op: 'present', field: 'email' }, points: -5 }] }],
      ['fractional points', { behaviourRules: [{ id: 'a', description: 'a', touchpoint: 'page_view', points: 1.5 }] }],
      ['an unknown touchpoint type', { behaviourRules: [{ id: 'a', description: 'a', touchpoint: 'phone_call', points: 1 }] }],
      ['minOccurrences 0', { behaviourRules: [{ id: 'a', description: 'a', touchpoint: 'page_view', points: 1, minOccurrences: 0 }] }],
      ['an unknown condition', { attributeRules: [{ id: 'a', description: 'a', when: { op: 'matches', field: 'email' }, points: 1 }] }],
      ['an empty "in" list', { attributeRules: [{ id: 'a', description: 'a', when: { op: 'in', field: 'industry', values: [] }, points: 1 }] }],
      ['both decay rates', { decay: { afterDaysInactive: 30, pointsPerWeek: 5, percentPerWeek: 10 } }],
      ['no decay rate', { decay: { afterDaysInactive: 30 } }],
      ['a percentage above 100', { decay: { afterDaysInactive: 30, percentPerWeek: 120 } }],
      ['an unknown property', { hotThreshhold: 50 }],
    ])('when it has %s, then it is refused', (_why, rest) => expect(ScoringRules.safeParse({ ...minimal, ...rest }).success).toBe(false));
    it('when conditions nest, then they parse', () =>
      expect(
        ScoringRules.safeParse({
          ...minimal,
          attributeRules: [
            {
              id: 'enterprise',
              description: 'Big company in finance, or any bank',
              when: {
                op: 'any',
                conditions: [
                  { op: 'all', conditions: [{ op: 'equals', field: 'size', value: 'enterprise' }, { op: 'equals', field: 'industry', value: 'finance' }] },
                  { op: 'equals', field: 'isBank', value: true },
                ],
              },
              points: 25,
            },
          ],
        }).success,
      ).toBe(true));
  });
});
