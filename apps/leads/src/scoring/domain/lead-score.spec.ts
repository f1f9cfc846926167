import fc from 'fast-check';
import { scoreLead, type LeadAttributes, type LeadFacts, type ScoreResult, type TouchpointFact } from './lead-score';
import { TouchpointType } from '@crm/contracts';
import { DEFAULT_SCORING_RULES, parseScoringRules, type ScoringRules, type ScoringRulesInput } from './scoring-rules';

const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-03-01T08:00:00.000Z');
const day = (n: number): Date => new Date(t0.getTime() + n * DAY);

const completeContact: LeadAttributes = { name: '王小明', company: '北京某某科技有限公司', email: 'xiaoming@example.cn', phone: '+8613800138000' };
const tp = (type: TouchpointType, at: Date = t0, url?: string, touchpointId?: string): TouchpointFact => ({
  type,
  at,
  ...(url !== undefined && { url }),
  ...(touchpointId !== undefined && { touchpointId }),
});
const pageViews = (n: number): TouchpointFact[] => Array.from({ length: n }, (_, i) => tp('page_view', t0, `https://acme.example/p/${i}`));

const rules = (input: Omit<ScoringRulesInput, 'version'>): ScoringRules => parseScoringRules({ version: 1, ...input });

/** Given a lead's facts, when it is scored under a rule set as of a date, then score, hot flag and the reasons' (ruleId, points). */
const given = (facts: Partial<LeadFacts>) => ({
  when: (ruleSet: ScoringRules = DEFAULT_SCORING_RULES, asOf: Date = t0) => {
    const result = scoreLead({ attributes: {}, touchpoints: [], ...facts }, ruleSet, asOf);
    return {
      result,
      then: (score: number, hot: boolean, reasons: [string, number][]): void => {
        expect({ score: result.score, hot: result.hot, reasons: result.reasons.map((r) => [r.ruleId, r.points]) }).toEqual({ score, hot, reasons });
      },
    };
  },
});

describe('scoreLead', () => {
  describe('the DOMAIN.md example under the default rules', () => {
    it('given complete contact, pricing, whitepaper, 3 visits and a key industry, then 10+15+20+10+30 = 85 and hot', () => {
      const { result, then } = given({
        attributes: { ...completeContact, industry: 'Software' },
        touchpoints: [tp('pricing_page_view'), tp('whitepaper_download'), ...pageViews(3)],
      }).when();
      then(85, true, [
          ['complete-contact', 10],
          ['key-industry', 30],
          ['viewed-pricing', 15],
          ['downloaded-whitepaper', 20],
          ['repeat-visits', 10],
        ]);
      expect(result.reasons.map((r) => r.detail)).toEqual([
        'Complete contact information (name, company, e-mail and phone): name present and company present and email present and phone present → +10',
        'From a key industry: industry "Software" is in the list → +30',
        'Viewed the pricing page: pricing_page_view ×1 → +15 once',
        'Downloaded a whitepaper: whitepaper_download ×1 → +20 once',
        'Visited the site several times: page_view ×3 (≥ 3 required) → +10 once',
      ]);
    });

    const warm: Partial<LeadFacts> = { attributes: completeContact, touchpoints: [tp('pricing_page_view'), tp('whitepaper_download')] };
    it('given only complete contact, pricing and whitepaper, then 45 and not hot', () =>
      given(warm).when().then(45, false, [['complete-contact', 10], ['viewed-pricing', 15], ['downloaded-whitepaper', 20]]));
    it('given the same lead from a key industry, then 75 and hot', () =>
      given({ ...warm, attributes: { ...completeContact, industry: 'manufacturing' } })
        .when()
        .then(75, true, [['complete-contact', 10], ['key-industry', 30], ['viewed-pricing', 15], ['downloaded-whitepaper', 20]]));
    it('given exactly the threshold (10 + 30 + 20 = 60), then hot', () =>
      given({ attributes: { ...completeContact, industry: 'software' }, touchpoints: [tp('whitepaper_download')] })
        .when()
        .then(60, true, [['complete-contact', 10], ['key-industry', 30], ['downloaded-whitepaper', 20]]));
    it('given a lead with nothing, then 0, not hot and no reasons', () => given({}).when().then(0, false, []));
  });

  describe('attribute rules', () => {
    const on = (when: ScoringRulesInput['attributeRules']) => rules({ attributeRules: when });
    const rule = (when: NonNullable<ScoringRulesInput['attributeRules']>[number]['when']) => on([{ id: 'r', description: 'Rule', when, points: 7 }]);

    it('present: a value that is not blank', () => {
      given({ attributes: { email: 'a@b.cn' } }).when(rule({ op: 'present', field: 'email' })).then(7, false, [['r', 7]]);
      given({ attributes: { email: '   ' } }).when(rule({ op: 'present', field: 'email' })).then(0, false, []);
      given({ attributes: { email: null } }).when(rule({ op: 'present', field: 'email' })).then(0, false, []);
      given({ attributes: {} }).when(rule({ op: 'present', field: 'email' })).then(0, false, []);
    });
    it('present: not fooled by inherited object properties', () =>
      given({ attributes: {} }).when(rule({ op: 'present', field: 'constructor' })).then(0, false, []));
    it('equals: trimmed, case-insensitive; numbers and booleans too', () => {
      given({ attributes: { region: '  East China ' } }).when(rule({ op: 'equals', field: 'region', value: 'east china' })).then(7, false, [['r', 7]]);
      given({ attributes: { region: 'North' } }).when(rule({ op: 'equals', field: 'region', value: 'east china' })).then(0, false, []);
      given({ attributes: { employees: 500 } }).when(rule({ op: 'equals', field: 'employees', value: 500 })).then(7, false, [['r', 7]]);
      given({ attributes: { decisionMaker: true } }).when(rule({ op: 'equals', field: 'decisionMaker', value: true })).then(7, false, [['r', 7]]);
    });
    it('in: the value is one of a list', () => {
      given({ attributes: { industry: 'Healthcare' } }).when(rule({ op: 'in', field: 'industry', values: ['retail', 'healthcare'] })).then(7, false, [['r', 7]]);
      given({ attributes: { industry: 'mining' } }).when(rule({ op: 'in', field: 'industry', values: ['retail', 'healthcare'] })).then(0, false, []);
    });
    it('all: every condition holds ("complete contact" needs all four fields)', () =>
      given({ attributes: { name: 'Ann', company: 'Acme', email: 'ann@acme.example' } }).when().then(0, false, []));
    it('any: one condition is enough, and the detail names it', () => {
      const { result } = given({ attributes: { title: 'CTO' } }).when(
        rule({ op: 'any', conditions: [{ op: 'equals', field: 'title', value: 'CEO' }, { op: 'equals', field: 'title', value: 'cto' }] }),
      );
      expect(result.reasons).toEqual([{ ruleId: 'r', kind: 'attribute', points: 7, detail: 'Rule: title = "CTO" → +7' }]);
    });
    it('fires once however the condition is met', () =>
      given({ attributes: completeContact, touchpoints: pageViews(10) }).when(on([{ id: 'contact', description: 'Contact', when: { op: 'present', field: 'email' }, points: 10 }])).then(10, false, [['contact', 10]]));
  });

  describe('behaviour rules', () => {
    const opens = (extra: Partial<NonNullable<ScoringRulesInput['behaviourRules']>[number]>) =>
      rules({ behaviourRules: [{ id: 'opens', description: 'Opened e-mails', touchpoint: 'email_opened', points: 3, ...extra }] });
    const opened = (n: number) => Array.from({ length: n }, () => tp('email_opened'));

    it('per occurrence: points for every matching touchpoint', () => given({ touchpoints: opened(4) }).when(opens({})).then(12, false, [['opens', 12]]));
    it('counts only its touchpoint type', () =>
      given({ touchpoints: [tp('email_sent'), tp('email_clicked'), tp('email_opened')] }).when(opens({})).then(3, false, [['opens', 3]]));
    it('cap: never more than the cap, and the detail says so', () => {
      const { result } = given({ touchpoints: opened(5) }).when(opens({ cap: 10 }));
      expect(result.reasons).toEqual([{ ruleId: 'opens', kind: 'behaviour', points: 10, detail: 'Opened e-mails: email_opened ×5 → 5 × 3 = 15, capped at 10' }]);
    });
    it('cap: below the cap nothing is cut', () => given({ touchpoints: opened(3) }).when(opens({ cap: 10 })).then(9, false, [['opens', 9]]));
    it('minOccurrences: nothing below it', () => given({ touchpoints: opened(2) }).when(opens({ minOccurrences: 3 })).then(0, false, []));
    it('minOccurrences: from there on every occurrence counts, the first ones included', () =>
      given({ touchpoints: opened(3) }).when(opens({ minOccurrences: 3 })).then(9, false, [['opens', 9]]));
    it('once: a single award however many occurrences', () => given({ touchpoints: opened(9) }).when(opens({ award: 'once' })).then(3, false, [['opens', 3]]));
    it('"visited several times": 2 page views give nothing, 3 give +10, 30 still +10', () => {
      given({ touchpoints: pageViews(2) }).when().then(0, false, []);
      given({ touchpoints: pageViews(3) }).when().then(10, false, [['repeat-visits', 10]]);
      given({ touchpoints: pageViews(30) }).when().then(10, false, [['repeat-visits', 10]]);
    });
    it('filter: only touchpoints whose URL contains the text (case-insensitive); no URL, no match', () => {
      const docs = rules({
        behaviourRules: [{ id: 'docs', description: 'Read the API docs', touchpoint: 'page_view', filter: { urlContains: '/docs/api' }, points: 4 }],
      });
      const { result } = given({
        touchpoints: [tp('page_view', t0, 'https://acme.example/DOCS/API/leads'), tp('page_view', t0, 'https://acme.example/blog'), tp('page_view')],
      }).when(docs);
      expect(result.reasons).toEqual([{ ruleId: 'docs', kind: 'behaviour', points: 4, detail: 'Read the API docs: page_view (url contains "/docs/api") ×1 → 1 × 4 = 4' }]);
    });
    it('every touchpoint type can be scored', () => {
      const all = rules({ behaviourRules: TouchpointType.options.map((type, i) => ({ id: `r-${type}`, description: type, touchpoint: type, points: i + 1 })) });
      given({ touchpoints: TouchpointType.options.map((type) => tp(type)) })
        .when(all)
        .then(36, false, TouchpointType.options.map((type, i) => [`r-${type}`, i + 1]));
    });
    it('a touchpoint delivered twice (same id) counts once', () =>
      given({ touchpoints: [tp('email_opened', t0, undefined, 'tp-1'), tp('email_opened', t0, undefined, 'tp-1'), tp('email_opened', t0, undefined, 'tp-2')] })
        .when(opens({}))
        .then(6, false, [['opens', 6]]));
    it('touchpoints after asOf do not count yet', () =>
      given({ touchpoints: [tp('email_opened', day(0)), tp('email_opened', day(2))] }).when(opens({}), day(1)).then(3, false, [['opens', 3]]));
  });

  describe('hot threshold', () => {
    it('follows the rule set', () => {
      const facts = { attributes: completeContact, touchpoints: [tp('pricing_page_view'), tp('whitepaper_download')] };
      given(facts).when({ ...DEFAULT_SCORING_RULES, hotThreshold: 45 }).then(45, true, [['complete-contact', 10], ['viewed-pricing', 15], ['downloaded-whitepaper', 20]]);
      expect(given(facts).when({ ...DEFAULT_SCORING_RULES, hotThreshold: 46 }).result.hot).toBe(false);
    });
  });

  describe('decay (default: after 30 inactive days, −5 per full week, floor 0)', () => {
    const hotLead: Partial<LeadFacts> = {
      attributes: { ...completeContact, industry: 'software' },
      touchpoints: [tp('pricing_page_view', day(-10)), tp('whitepaper_download', day(-5)), ...pageViews(3)],
    };
    const all85: [string, number][] = [['complete-contact', 10], ['key-industry', 30], ['viewed-pricing', 15], ['downloaded-whitepaper', 20], ['repeat-visits', 10]];

    it('given 30 days since the last touchpoint, then no decay yet', () => given(hotLead).when(DEFAULT_SCORING_RULES, day(30)).then(85, true, all85));
    it('given 36 days, then still no decay (no full week past the grace period)', () => given(hotLead).when(DEFAULT_SCORING_RULES, day(36)).then(85, true, all85));
    it('given 37 days, then −5, as its own reason line', () => {
      const { result, then } = given(hotLead).when(DEFAULT_SCORING_RULES, day(37));
      then(80, true, [...all85, ['decay', -5]]);
      expect(result.scoreBeforeDecay).toBe(85);
      expect(result.reasons.at(-1)).toEqual({
        ruleId: 'decay',
        kind: 'decay',
        points: -5,
        detail: 'Inactive 37 days since 2026-03-01: 1 week(s) past the 30-day grace × 5 points → -5',
      });
    });
    it('given 65 days (5 weeks), then 60: still hot; given 72 days, then 55: cooled', () => {
      given(hotLead).when(DEFAULT_SCORING_RULES, day(65)).then(60, true, [...all85, ['decay', -25]]);
      given(hotLead).when(DEFAULT_SCORING_RULES, day(72)).then(55, false, [...all85, ['decay', -30]]);
    });
    it('given a year, then never below the floor', () => {
      given(hotLead).when(DEFAULT_SCORING_RULES, day(365)).then(0, false, [...all85, ['decay', -85]]);
      const floored = { ...DEFAULT_SCORING_RULES, decay: { afterDaysInactive: 30, pointsPerWeek: 5, floor: 20 } };
      expect(given(hotLead).when(floored, day(365)).result.reasons.at(-1)).toMatchObject({ points: -65, detail: expect.stringContaining('floor 20') });
    });
    it('given a score already below the floor, then decay leaves it alone', () =>
      given({ attributes: completeContact, capturedAt: day(-400) })
        .when({ ...DEFAULT_SCORING_RULES, decay: { afterDaysInactive: 0, pointsPerWeek: 5, floor: 20 } })
        .then(10, false, [['complete-contact', 10]]));
    it('given a new touchpoint, then the clock restarts from it', () =>
      given({ ...hotLead, touchpoints: [...(hotLead.touchpoints ?? []), tp('email_opened', day(60))] }).when(DEFAULT_SCORING_RULES, day(72)).then(85, true, all85));
    it('given a touchpoint after asOf, then it is not activity yet', () =>
      given({ ...hotLead, touchpoints: [...(hotLead.touchpoints ?? []), tp('email_opened', day(100))] }).when(DEFAULT_SCORING_RULES, day(72)).then(55, false, [...all85, ['decay', -30]]));
    it('given no touchpoint at all, then it decays from the capture', () =>
      given({ attributes: { industry: 'software' }, capturedAt: t0 }).when(DEFAULT_SCORING_RULES, day(44)).then(20, false, [['key-industry', 30], ['decay', -10]]));
    it('given neither touchpoints nor a capture date, then there is nothing to decay from', () =>
      given({ attributes: { industry: 'software' } }).when(DEFAULT_SCORING_RULES, day(400)).then(30, false, [['key-industry', 30]]));
    it('percent per week compounds and rounds to whole points: 85 × 0.9² = 68.85 → 69', () =>
      given(hotLead)
        .when({ ...DEFAULT_SCORING_RULES, decay: { afterDaysInactive: 30, percentPerWeek: 10, floor: 0 } }, day(44))
        .then(69, true, [...all85, ['decay', -16]]));
    it('no decay rule, no decay', () => given(hotLead).when({ ...DEFAULT_SCORING_RULES, decay: undefined }, day(1000)).then(85, true, all85));
  });

  describe('properties', () => {
    const fields = ['name', 'company', 'email', 'phone', 'industry', 'region'] as const;
    const words = ['software', 'retail', 'acme', '', '  ', 'x'];
    const arbAttributes: fc.Arbitrary<LeadAttributes> = fc.dictionary(fc.constantFrom(...fields), fc.oneof(fc.constantFrom(...words), fc.constant(null)), { maxKeys: 6 });
    const arbDate = fc.integer({ min: -200, max: 200 }).map(day);
    const arbTouchpoint: fc.Arbitrary<TouchpointFact> = fc.record(
      {
        touchpointId: fc.constantFrom('a', 'b', 'c', 'd'),
        type: fc.constantFrom(...TouchpointType.options),
        at: arbDate,
        url: fc.constantFrom('https://acme.example/pricing', 'https://acme.example/docs', 'https://acme.example/'),
      },
      { requiredKeys: ['type', 'at'] },
    );
    const arbFacts: fc.Arbitrary<LeadFacts> = fc.record(
      { attributes: arbAttributes, touchpoints: fc.array(arbTouchpoint, { maxLength: 20 }), capturedAt: arbDate },
      { requiredKeys: ['attributes', 'touchpoints'] },
    );
    const arbCondition = fc.oneof(
      fc.record({ op: fc.constant('present' as const), field: fc.constantFrom(...fields) }),
      fc.record({ op: fc.constant('equals' as const), field: fc.constantFrom(...fields), value: fc.constantFrom(...words) }),
      fc.record({ op: fc.constant('in' as const), field: fc.constantFrom(...fields), values: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }) }),
    );
    const arbRules: fc.Arbitrary<ScoringRules> = fc
      .record({
        hotThreshold: fc.integer({ min: 0, max: 200 }),
        attributeRules: fc.array(fc.record({ when: arbCondition, points: fc.integer({ min: 0, max: 50 }) }), { maxLength: 4 }),
        behaviourRules: fc.array(
          fc.record(
            {
              touchpoint: fc.constantFrom(...TouchpointType.options),
              points: fc.integer({ min: 0, max: 30 }),
              award: fc.constantFrom('per_occurrence' as const, 'once' as const),
              cap: fc.integer({ min: 0, max: 60 }),
              minOccurrences: fc.integer({ min: 1, max: 4 }),
              filter: fc.record({ urlContains: fc.constantFrom('pricing', 'docs', 'ACME') }),
            },
            { requiredKeys: ['touchpoint', 'points'] },
          ),
          { maxLength: 5 },
        ),
        decay: fc.option(
          fc.oneof(
            fc.record({ afterDaysInactive: fc.integer({ min: 0, max: 60 }), pointsPerWeek: fc.integer({ min: 1, max: 20 }), floor: fc.integer({ min: 0, max: 40 }) }),
            fc.record({ afterDaysInactive: fc.integer({ min: 0, max: 60 }), percentPerWeek: fc.integer({ min: 1, max: 100 }), floor: fc.integer({ min: 0, max: 40 }) }),
          ),
          { nil: undefined },
        ),
      })
      .map(({ attributeRules, behaviourRules, decay, ...rest }) =>
        rules({
          ...rest,
          ...(decay !== undefined && { decay }),
          attributeRules: attributeRules.map((r, i) => ({ id: `a${i}`, description: `a${i}`, ...r })),
          behaviourRules: behaviourRules.map((r, i) => ({ id: `b${i}`, description: `b${i}`, ...r })),
        }),
      );
    const sum = (reasons: ScoreResult['reasons']) => reasons.reduce((s, r) => s + r.points, 0);

    it('the rules’ reasons sum to the score before decay, all reasons to the score; never negative, decay never adds', () =>
      fc.assert(
        fc.property(arbFacts, arbRules, arbDate, (facts, ruleSet, asOf) => {
          const result = scoreLead(facts, ruleSet, asOf);
          const decay = result.reasons.filter((r) => r.kind === 'decay');
          expect(sum(result.reasons.filter((r) => r.kind !== 'decay'))).toBe(result.scoreBeforeDecay);
          expect(sum(result.reasons)).toBe(result.score);
          expect(decay.length).toBeLessThanOrEqual(1);
          expect(decay.every((r) => r.points < 0)).toBe(true);
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(result.scoreBeforeDecay);
          expect(Number.isInteger(result.score)).toBe(true);
          expect(result.hot).toBe(result.score >= ruleSet.hotThreshold);
        }),
      ));

    it('adding a (new) touchpoint never lowers the score before decay', () =>
      fc.assert(
        fc.property(arbFacts, arbRules, arbDate, arbTouchpoint, fc.boolean(), fc.nat(), (facts, ruleSet, asOf, extra, withId, position) => {
          // A new touchpoint has an id of its own (or none); a redelivery of a known id is not new.
          const { touchpointId: _known, ...fresh } = extra;
          const touchpoints = [...facts.touchpoints];
          touchpoints.splice(position % (touchpoints.length + 1), 0, withId ? { ...fresh, touchpointId: 'new' } : fresh);
          const before = scoreLead(facts, ruleSet, asOf).scoreBeforeDecay;
          const after = scoreLead({ ...facts, touchpoints }, ruleSet, asOf).scoreBeforeDecay;
          expect(after).toBeGreaterThanOrEqual(before);
        }),
      ));

    it('is deterministic: the same facts, rules and asOf give the same result', () =>
      fc.assert(fc.property(arbFacts, arbRules, arbDate, (facts, ruleSet, asOf) => expect(scoreLead(facts, ruleSet, asOf)).toEqual(scoreLead(facts, ruleSet, asOf)))));
  });
});
