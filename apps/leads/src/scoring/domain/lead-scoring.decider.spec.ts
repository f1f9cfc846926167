import { DeciderSpecification } from '@crm/domain';
import type { ScoreResult } from './lead-score';
import { decideScoreChange, leadScoringDecider, type RecordLeadScore } from './lead-scoring.decider';
import { LeadScoringEventType, type LeadScoringEvent, type ScoreReason } from '@crm/contracts';

const given = DeciderSpecification.for(leadScoringDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const earlier = '2026-02-01T08:00:00.000Z';
const leadId = '0190aaaa-0000-7000-8000-000000000001';

const reason = (ruleId: string, points: number): ScoreReason => ({ ruleId, kind: ruleId === 'decay' ? 'decay' : 'attribute', points, detail: `${ruleId} ${points}` });
const result = (reasons: ScoreReason[], hotThreshold = 60): ScoreResult => {
  const score = reasons.reduce((s, r) => s + r.points, 0);
  const scoreBeforeDecay = reasons.filter((r) => r.kind !== 'decay').reduce((s, r) => s + r.points, 0);
  return { score, scoreBeforeDecay, hot: score >= hotThreshold, hotThreshold, reasons };
};
const record = (next: ScoreResult, ruleSetVersion = 1): RecordLeadScore => ({ type: 'RecordLeadScore', data: { leadId, next, ruleSetVersion, now } });

const r45 = [reason('complete-contact', 10), reason('viewed-pricing', 15), reason('downloaded-whitepaper', 20)];
const r75 = [...r45, reason('key-industry', 30)];
const r55 = [...r75, reason('decay', -20)];

const changed = (score: number, previousScore: number, reasons: ScoreReason[], ruleSetVersion = 1, scoredAt = now.toISOString()): LeadScoringEvent => ({
  type: LeadScoringEventType.LeadScoreChanged,
  data: { leadId, score, previousScore, reasons, ruleSetVersion, scoredAt },
});
const becameHot = (score: number, reasons: ScoreReason[], threshold = 60, becameHotAt = now.toISOString()): LeadScoringEvent => ({
  type: LeadScoringEventType.LeadBecameHot,
  data: { leadId, score, reasons, threshold, ruleSetVersion: 1, becameHotAt },
});
const cooled = (score: number, reasons: ScoreReason[], threshold = 60, ruleSetVersion = 1): LeadScoringEvent => ({
  type: LeadScoringEventType.LeadCooled,
  data: { leadId, score, reasons, threshold, ruleSetVersion, cooledAt: now.toISOString() },
});

describe('Lead scoring decider', () => {
  describe('given a lead never scored (0, not hot)', () => {
    it('when it scores 45, then only the score changes, with its reasons', () => given([]).when(record(result(r45))).then([changed(45, 0, r45)]));
    it('when it scores 75, then the score changes and the lead becomes hot, with the reasons', () =>
      given([]).when(record(result(r75))).then([changed(75, 0, r75), becameHot(75, r75)]));
    it('when it still scores 0, then nothing happens', () => given([]).when(record(result([]))).thenNothingHappened());
  });

  describe('given a lead at 45, not hot', () => {
    const history = [changed(45, 0, r45, 1, earlier)];
    it('when it scores 45 again, then nothing happens', () => given(history).when(record(result(r45))).thenNothingHappened());
    it('when it crosses the threshold upward (75), then LeadScoreChanged and LeadBecameHot', () =>
      given(history).when(record(result(r75))).then([changed(75, 45, r75), becameHot(75, r75)]));
    it('when it reaches exactly the threshold, then it becomes hot', () => {
      const r60 = [...r45, reason('repeat-visits', 15)];
      given(history).when(record(result(r60))).then([changed(60, 45, r60), becameHot(60, r60)]);
    });
  });

  describe('given a hot lead at 75', () => {
    const history = [changed(75, 45, r75, 1, earlier), becameHot(75, r75, 60, earlier)];
    it('when it scores 75 again, then nothing happens (no repeated alert)', () => given(history).when(record(result(r75))).thenNothingHappened());
    it('when it rises to 85, then the score changes but it does not become hot again', () => {
      const r85 = [...r75, reason('repeat-visits', 10)];
      given(history).when(record(result(r85))).then([changed(85, 75, r85)]);
    });
    it('when it decays below the threshold (55), then LeadScoreChanged and LeadCooled', () =>
      given(history).when(record(result(r55))).then([changed(55, 75, r55), cooled(55, r55)]));
    it('when a new rule set raises the threshold to 80 with the score unchanged, then it cools without a score change', () =>
      given(history).when(record(result(r75, 80), 2)).then([cooled(75, r75, 80, 2)]));
    it('then the state follows the events', () =>
      given(history).when(record(result(r55))).thenState((state) => expect(state).toEqual({ score: 55, hot: false })));
  });

  describe('decideScoreChange (the same rule as a plain function)', () => {
    it('given a previous score and a next result, then the events, stamped with the rule-set version and time', () =>
      expect(decideScoreChange({ leadId, previous: { score: 45, hot: false }, next: result(r75), ruleSetVersion: 7, now })).toEqual([
        { ...changed(75, 45, r75), data: { ...changed(75, 45, r75).data, ruleSetVersion: 7 } },
        { ...becameHot(75, r75), data: { ...becameHot(75, r75).data, ruleSetVersion: 7 } },
      ]));
  });
});
