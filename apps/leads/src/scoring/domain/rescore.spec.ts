import { LeadEventType, LeadScoringEventType, type LeadAttributeValue, type LeadScoringEvent, type TouchpointType } from '@crm/contracts';
import { currentLeadScore, decideRescore, leadFactsFromHistory, rescoreFromHistory, type LeadHistoryEvent } from './rescore';
import { DEFAULT_SCORING_RULES, parseScoringRules } from './scoring-rules';

const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-03-01T08:00:00.000Z');
const day = (n: number): Date => new Date(t0.getTime() + n * DAY);
const leadId = '0190aaaa-0000-7000-8000-000000000001';

const captured: LeadHistoryEvent = {
  type: LeadEventType.LeadCaptured,
  data: {
    leadId,
    name: '王小明',
    company: '北京某某科技有限公司',
    email: 'xiaoming@example.cn',
    phone: '+8613800138000',
    source: { channel: 'web_form' },
    capturedAt: t0.toISOString(),
  },
};
const updated = (changes: Record<string, LeadAttributeValue | null>, at = day(1)): LeadHistoryEvent => ({
  type: LeadEventType.LeadAttributesUpdated,
  data: { leadId, changes, updatedAt: at.toISOString() },
});
let seq = 0;
const touch = (type: TouchpointType, at = day(2), url?: string): LeadHistoryEvent => ({
  type: LeadEventType.TouchpointRecorded,
  data: { leadId, touchpointId: `tp-${++seq}`, type, at: at.toISOString(), ...(url !== undefined && { url }), recordedAt: at.toISOString() },
});

/** A manufacturing lead with complete contact, pricing, whitepaper and three visits to the docs. */
const history: LeadHistoryEvent[] = [
  captured,
  updated({ industry: 'Manufacturing' }),
  touch('pricing_page_view'),
  touch('whitepaper_download', day(3)),
  touch('page_view', day(3), 'https://acme.example/docs/a'),
  touch('page_view', day(4), 'https://acme.example/docs/b'),
  touch('page_view', day(5), 'https://acme.example/docs/c'),
];
const asOf = day(6);

/** A tenant's changed rule set: manufacturing is no longer a key industry, docs readers count, pricing is worth more, hot at 70. */
const rulesV2 = parseScoringRules({
  version: 2,
  hotThreshold: 70,
  attributeRules: [
    DEFAULT_SCORING_RULES.attributeRules[0],
    { id: 'key-industry', description: 'From a key industry', when: { op: 'in', field: 'industry', values: ['software', 'financial services'] }, points: 30 },
  ],
  behaviourRules: [
    { id: 'viewed-pricing', description: 'Viewed the pricing page', touchpoint: 'pricing_page_view', points: 25, award: 'once' },
    DEFAULT_SCORING_RULES.behaviourRules[1],
    { id: 'docs-reader', description: 'Reads the docs', touchpoint: 'page_view', filter: { urlContains: '/docs/' }, points: 4, cap: 10 },
  ],
  decay: { afterDaysInactive: 14, percentPerWeek: 20 },
});

const explained = (reasons: { ruleId: string; points: number; detail: string }[]) => reasons.map((r) => `${r.ruleId} ${r.points > 0 ? '+' : ''}${r.points}: ${r.detail}`);

describe('rescoring a lead from its history', () => {
  describe('given a lead’s history', () => {
    it('when it is folded, then the facts are the captured fields, the updated attributes and the touchpoints', () => {
      const facts = leadFactsFromHistory(history, asOf);
      expect(facts.attributes).toEqual({ name: '王小明', company: '北京某某科技有限公司', email: 'xiaoming@example.cn', phone: '+8613800138000', industry: 'Manufacturing' });
      expect(facts.touchpoints.map((t) => t.type)).toEqual(['pricing_page_view', 'whitepaper_download', 'page_view', 'page_view', 'page_view']);
      expect(facts.capturedAt).toEqual(t0);
    });
    it('when an update clears a field (null), then the field is gone and complete contact no longer fires', () => {
      const cleared = [...history, updated({ phone: null }, day(5))];
      expect(leadFactsFromHistory(cleared, asOf).attributes).not.toHaveProperty('phone');
      expect(rescoreFromHistory(cleared, DEFAULT_SCORING_RULES, asOf).reasons.map((r) => r.ruleId)).not.toContain('complete-contact');
    });
    it('when folded as of an earlier date, then later events are left out', () => {
      const facts = leadFactsFromHistory(history, day(3));
      expect(facts.touchpoints.map((t) => t.type)).toEqual(['pricing_page_view', 'whitepaper_download', 'page_view']);
      expect(leadFactsFromHistory(history, new Date(t0.getTime() - 1))).toEqual({ attributes: {}, touchpoints: [] });
    });
    it('when it holds other events (qualified, score events), then they do not change the facts', () => {
      const noisy: LeadHistoryEvent[] = [
        ...history,
        { type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: day(5).toISOString() } },
        { type: LeadScoringEventType.LeadScoreChanged, data: { leadId, score: 5, previousScore: 0, reasons: [], ruleSetVersion: 1, scoredAt: day(5).toISOString() } },
      ];
      expect(leadFactsFromHistory(noisy, asOf)).toEqual(leadFactsFromHistory(history, asOf));
    });
  });

  describe('given the same history under two rule sets', () => {
    it('when scored under the defaults (v1), then 10 + 30 + 15 + 20 + 10 = 85, hot', () => {
      const v1 = rescoreFromHistory(history, DEFAULT_SCORING_RULES, asOf);
      expect({ score: v1.score, hot: v1.hot }).toEqual({ score: 85, hot: true });
      expect(explained(v1.reasons)).toEqual([
        'complete-contact +10: Complete contact information (name, company, e-mail and phone): name present and company present and email present and phone present → +10',
        'key-industry +30: From a key industry: industry "Manufacturing" is in the list → +30',
        'viewed-pricing +15: Viewed the pricing page: pricing_page_view ×1 → +15 once',
        'downloaded-whitepaper +20: Downloaded a whitepaper: whitepaper_download ×1 → +20 once',
        'repeat-visits +10: Visited the site several times: page_view ×3 (≥ 3 required) → +10 once',
      ]);
    });
    it('when re-scored under the changed rules (v2), then 10 + 25 + 20 + 10 = 65, not hot at 70, and each point explained', () => {
      const v2 = rescoreFromHistory(history, rulesV2, asOf);
      expect({ score: v2.score, hot: v2.hot, hotThreshold: v2.hotThreshold }).toEqual({ score: 65, hot: false, hotThreshold: 70 });
      expect(explained(v2.reasons)).toEqual([
        'complete-contact +10: Complete contact information (name, company, e-mail and phone): name present and company present and email present and phone present → +10',
        'viewed-pricing +25: Viewed the pricing page: pricing_page_view ×1 → +25 once',
        'downloaded-whitepaper +20: Downloaded a whitepaper: whitepaper_download ×1 → +20 once',
        'docs-reader +10: Reads the docs: page_view (url contains "/docs/") ×3 → 3 × 4 = 12, capped at 10',
      ]);
    });
    it('when both are scored a month later, then each decays by its own rule', () => {
      expect(explained(rescoreFromHistory(history, DEFAULT_SCORING_RULES, day(45)).reasons).at(-1)).toBe(
        'decay -5: Inactive 40 days since 2026-03-06: 1 week(s) past the 30-day grace × 5 points → -5',
      );
      expect(explained(rescoreFromHistory(history, rulesV2, day(45)).reasons).at(-1)).toBe(
        'decay -32: Inactive 40 days since 2026-03-06: 3 week(s) past the 14-day grace × 20% → -32',
      );
    });
  });

  describe('decideRescore: the events a rule change causes for an existing lead', () => {
    const scoredUnderV1: LeadScoringEvent[] = [
      {
        type: LeadScoringEventType.LeadScoreChanged,
        data: { leadId, score: 85, previousScore: 0, reasons: rescoreFromHistory(history, DEFAULT_SCORING_RULES, asOf).reasons, ruleSetVersion: 1, scoredAt: asOf.toISOString() },
      },
      {
        type: LeadScoringEventType.LeadBecameHot,
        data: { leadId, score: 85, reasons: [], threshold: 60, ruleSetVersion: 1, becameHotAt: asOf.toISOString() },
      },
    ];
    const scoredHistory = [...history, ...scoredUnderV1];

    it('given a lead scored 85 and hot under v1, when the rules change to v2, then its score changes to 65 and it cools, stamped v2', () => {
      const now = day(7);
      const v2 = rescoreFromHistory(history, rulesV2, now);
      expect(currentLeadScore(scoredHistory)).toEqual({ score: 85, hot: true });
      expect(decideRescore({ leadId, history: scoredHistory, rules: rulesV2, now })).toEqual([
        { type: LeadScoringEventType.LeadScoreChanged, data: { leadId, score: 65, previousScore: 85, reasons: v2.reasons, ruleSetVersion: 2, scoredAt: now.toISOString() } },
        { type: LeadScoringEventType.LeadCooled, data: { leadId, score: 65, reasons: v2.reasons, threshold: 70, ruleSetVersion: 2, cooledAt: now.toISOString() } },
      ]);
    });
    it('given a lead already scored under the same rules, when re-scored, then nothing happens', () =>
      expect(decideRescore({ leadId, history: scoredHistory, rules: DEFAULT_SCORING_RULES, now: day(7) })).toEqual([]));
    it('given a lead never scored, when scored, then it gets its first score and becomes hot', () =>
      expect(decideRescore({ leadId, history, rules: DEFAULT_SCORING_RULES, now: day(7) }).map((e) => e.type)).toEqual([
        LeadScoringEventType.LeadScoreChanged,
        LeadScoringEventType.LeadBecameHot,
      ]));
  });
});

describe('recaptures and merges', () => {
  const formRule = parseScoringRules({
    version: 3,
    hotThreshold: 60,
    attributeRules: [DEFAULT_SCORING_RULES.attributeRules[0]],
    behaviourRules: [
      { id: 'form', description: 'Submitted a form', touchpoint: 'form_submit', points: 25, award: 'per_occurrence' },
      { id: 'pricing', description: 'Viewed the pricing page', touchpoint: 'pricing_page_view', points: 15, award: 'once' },
    ],
  });
  const bare: LeadHistoryEvent = { type: LeadEventType.LeadCaptured, data: { leadId, name: 'Ann', email: 'ann@example.cn', source: { channel: 'api' }, capturedAt: t0.toISOString() } };
  const recaptured = (channel: 'web_form' | 'import', at = day(1), added?: { company?: string; phone?: string }): LeadHistoryEvent => ({
    type: LeadEventType.LeadRecaptured,
    data: { leadId, name: 'Ann', email: 'ann@example.cn', source: { channel }, matchedOn: 'email', ...(added && { added }), recapturedAt: at.toISOString() },
  });
  const pointsOf = (events: LeadScoringEvent[]) => (events[0]?.data as { score?: number } | undefined)?.score;

  it('counts a web-form recapture as a form_submit touchpoint; an import recapture is no behaviour', () => {
    expect(pointsOf(decideRescore({ leadId, history: [bare, recaptured('web_form')], rules: formRule, now: day(2) }))).toBe(25);
    expect(decideRescore({ leadId, history: [bare, recaptured('import')], rules: formRule, now: day(2) })).toEqual([]);
  });

  it('takes the fields a recapture added into the attributes (complete contact)', () => {
    const facts = leadFactsFromHistory([bare, recaptured('import', day(1), { company: 'Acme', phone: '+8613800138000' })], day(2));
    expect(facts.attributes).toMatchObject({ company: 'Acme', phone: '+8613800138000', email: 'ann@example.cn' });
  });

  it('lets a survivor take over the touchpoints of the leads merged into it, not their fields', () => {
    const loser: LeadHistoryEvent[] = [
      { ...bare, data: { ...bare.data, leadId: 'loser', company: 'Loser Co', phone: '+8613900139000' } } as LeadHistoryEvent,
      { ...touch('pricing_page_view', day(1)), data: { ...(touch('pricing_page_view', day(1)).data as object), leadId: 'loser' } } as LeadHistoryEvent,
      recaptured('web_form', day(1)),
    ];
    const [changed] = decideRescore({ leadId, history: [bare], absorbed: loser, rules: formRule, now: day(2) });
    expect(changed.data).toMatchObject({ score: 40, reasons: [expect.objectContaining({ ruleId: 'form' }), expect.objectContaining({ ruleId: 'pricing' })] });
  });

  it('scores a merged-away lead no more', () => {
    const mergedAway: LeadHistoryEvent = { type: LeadEventType.LeadMergedInto, data: { leadId, survivorId: 'survivor', mergedAt: day(1).toISOString() } };
    expect(decideRescore({ leadId, history: [bare, recaptured('web_form'), mergedAway], rules: formRule, now: day(2) })).toEqual([]);
  });
});
