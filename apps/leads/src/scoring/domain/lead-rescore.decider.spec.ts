import { LeadEventType, LeadScoringEventType, type LeadEvent, type LeadScoreChangedData } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { leadRescoreDecider, type RescoreLead } from './lead-rescore.decider';
import { DEFAULT_SCORING_RULES, parseScoringRules, type ScoringRules } from './scoring-rules';

const given = DeciderSpecification.for(leadRescoreDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const leadId = '0190aaaa-0000-7000-8000-000000000001';

const captured: LeadEvent = {
  type: LeadEventType.LeadCaptured,
  data: { leadId, name: 'Han Meimei', company: 'Acme', email: 'han@example.cn', phone: '+8613800138000', source: { channel: 'api' }, capturedAt: '2026-03-01T07:00:00.000Z' },
};
const touchpoint = (touchpointId: string, type: 'page_view' | 'pricing_page_view' | 'whitepaper_download'): LeadEvent => ({
  type: LeadEventType.TouchpointRecorded,
  data: { leadId, touchpointId, type, at: '2026-03-01T07:30:00.000Z', recordedAt: '2026-03-01T07:31:00.000Z' },
});
const rescore = (rules: ScoringRules = DEFAULT_SCORING_RULES): RescoreLead => ({ type: 'RescoreLead', data: { leadId, rules, now } });
const decided = (history: LeadEvent[], command: RescoreLead = rescore()) =>
  leadRescoreDecider.decide(command, history.reduce(leadRescoreDecider.evolve, leadRescoreDecider.initialState()));
const contact = { ruleId: 'complete-contact', kind: 'attribute', points: 10, detail: expect.any(String) };
const scoreChanged = (score: number, previousScore: number, ruleSetVersion = 1) => ({
  type: LeadScoringEventType.LeadScoreChanged,
  data: expect.objectContaining({ leadId, score, previousScore, ruleSetVersion, scoredAt: now.toISOString() }),
});

describe('Lead re-score decider', () => {
  it('given no lead, when re-scored, then nothing happens', () => given([]).when(rescore()).thenNothingHappened());

  it('given a lead captured with complete contact, when re-scored, then its score is 10 with the reason', () => {
    const events = decided([captured]);
    expect(events).toEqual([scoreChanged(10, 0)]);
    expect(events[0].data).toMatchObject({ reasons: [contact] });
  });

  it('given a lead already scored for everything it has, when re-scored, then nothing happens (idempotent)', () => {
    const history = [captured, touchpoint('pr-1', 'pricing_page_view'), touchpoint('wp-1', 'whitepaper_download')];
    const first = decided(history);
    expect(first).toEqual([scoreChanged(45, 0)]);
    given([...history, ...first]).when(rescore()).thenNothingHappened();
  });

  it('given a scored lead, when re-scored under a lower threshold, then it becomes hot with the new rule-set version', () => {
    const history = [captured, touchpoint('pr-1', 'pricing_page_view'), touchpoint('wp-1', 'whitepaper_download')];
    const first = decided(history);
    const warmer = parseScoringRules({ ...DEFAULT_SCORING_RULES, version: 2, hotThreshold: 40 });
    given([...history, ...first]).when(rescore(warmer)).then([
      {
        type: LeadScoringEventType.LeadBecameHot,
        data: { leadId, score: 45, reasons: (first[0].data as LeadScoreChangedData).reasons, threshold: 40, ruleSetVersion: 2, becameHotAt: now.toISOString() },
      },
    ]);
  });
});
