import type { LeadAttributeValue, ScoreReason, TouchpointType } from '@crm/contracts';
import { DECAY_REASON_ID, type AttributeRule, type BehaviourRule, type ConditionValue, type DecayRule, type FieldCondition, type ScoringRules } from './scoring-rules';

/** A lead's fields by name: built-in (name, company, email, phone, industry, …) and custom. */
export type LeadAttributes = Readonly<Record<string, LeadAttributeValue | null | undefined>>;

export type TouchpointFact = {
  /** When given, touchpoints with the same id count once. */
  touchpointId?: string;
  type: TouchpointType;
  at: Date;
  url?: string;
};

/** What the score is computed from: everything known about one lead. */
export type LeadFacts = {
  attributes: LeadAttributes;
  touchpoints: readonly TouchpointFact[];
  /** Counts as activity for decay when the lead has no touchpoint yet. */
  capturedAt?: Date;
};

export type ScoreResult = {
  /** After decay; what the lead's score is. Equals the sum of all `reasons`' points. */
  score: number;
  /** The sum of the rules' reasons, before decay. */
  scoreBeforeDecay: number;
  /** `score >= hotThreshold`. */
  hot: boolean;
  hotThreshold: number;
  /** The rules that fired, in rule-set order (attribute rules, then behaviour rules), then the decay line if any. */
  reasons: ScoreReason[];
};

const DAY_MS = 24 * 60 * 60 * 1000;

const normalise = (value: ConditionValue | LeadAttributeValue): string => String(value).trim().toLowerCase();

const isPresent = (value: LeadAttributeValue | null | undefined): value is LeadAttributeValue =>
  value !== undefined && value !== null && String(value).trim() !== '';

const quote = (value: ConditionValue | LeadAttributeValue): string => (typeof value === 'string' ? `"${value}"` : String(value));

const fieldValue = (attributes: LeadAttributes, field: string): LeadAttributeValue | undefined => {
  const value = Object.prototype.hasOwnProperty.call(attributes, field) ? attributes[field] : undefined;
  return isPresent(value) ? value : undefined;
};

/** Whether the condition holds, and if so a short explanation of why. */
const evaluate = (condition: FieldCondition, attributes: LeadAttributes): string | undefined => {
  switch (condition.op) {
    case 'present': {
      const value = fieldValue(attributes, condition.field);
      return value === undefined ? undefined : `${condition.field} present`;
    }
    case 'equals': {
      const value = fieldValue(attributes, condition.field);
      return value !== undefined && normalise(value) === normalise(condition.value) ? `${condition.field} = ${quote(value)}` : undefined;
    }
    case 'in': {
      const value = fieldValue(attributes, condition.field);
      return value !== undefined && condition.values.some((candidate) => normalise(candidate) === normalise(value))
        ? `${condition.field} ${quote(value)} is in the list`
        : undefined;
    }
    case 'all': {
      const parts = condition.conditions.map((c) => evaluate(c, attributes));
      return parts.every((p): p is string => p !== undefined) ? parts.join(' and ') : undefined;
    }
    case 'any': {
      const matched = condition.conditions.map((c) => evaluate(c, attributes)).find((p) => p !== undefined);
      return matched;
    }
  }
};

const attributeReason = (rule: AttributeRule, attributes: LeadAttributes): ScoreReason | undefined => {
  const why = evaluate(rule.when, attributes);
  return why === undefined ? undefined : { ruleId: rule.id, kind: 'attribute', points: rule.points, detail: `${rule.description}: ${why} → +${rule.points}` };
};

const matchesFilter = (rule: BehaviourRule, touchpoint: TouchpointFact): boolean => {
  if (touchpoint.type !== rule.touchpoint) return false;
  const urlContains = rule.filter?.urlContains;
  if (urlContains === undefined) return true;
  return touchpoint.url !== undefined && touchpoint.url.toLowerCase().includes(urlContains.toLowerCase());
};

const behaviourReason = (rule: BehaviourRule, touchpoints: readonly TouchpointFact[]): ScoreReason | undefined => {
  const count = touchpoints.filter((t) => matchesFilter(rule, t)).length;
  if (count === 0 || count < rule.minOccurrences) return undefined;
  const what = `${rule.touchpoint}${rule.filter?.urlContains !== undefined ? ` (url contains "${rule.filter.urlContains}")` : ''} ×${count}`;
  const threshold = rule.minOccurrences > 1 ? ` (≥ ${rule.minOccurrences} required)` : '';
  const earned = rule.award === 'once' ? rule.points : rule.points * count;
  const points = rule.cap === undefined ? earned : Math.min(earned, rule.cap);
  const how = rule.award === 'once' ? `+${rule.points} once` : `${count} × ${rule.points} = ${earned}`;
  const capped = points < earned ? `, capped at ${rule.cap}` : '';
  return { ruleId: rule.id, kind: 'behaviour', points, detail: `${rule.description}: ${what}${threshold} → ${how}${capped}` };
};

/** Touchpoints that count at `asOf`: not in the future, each touchpoint id once. */
const countedTouchpoints = (touchpoints: readonly TouchpointFact[], asOf: Date): TouchpointFact[] => {
  const seen = new Set<string>();
  return touchpoints.filter((t) => {
    if (t.at.getTime() > asOf.getTime()) return false;
    if (t.touchpointId === undefined) return true;
    if (seen.has(t.touchpointId)) return false;
    seen.add(t.touchpointId);
    return true;
  });
};

const lastActivity = (touchpoints: readonly TouchpointFact[], capturedAt: Date | undefined): Date | undefined => {
  const latest = touchpoints.reduce((max, t) => Math.max(max, t.at.getTime()), capturedAt?.getTime() ?? Number.NEGATIVE_INFINITY);
  return latest === Number.NEGATIVE_INFINITY ? undefined : new Date(latest);
};

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

const decayReason = (decay: DecayRule, before: number, since: Date | undefined, asOf: Date): ScoreReason | undefined => {
  if (since === undefined || before <= decay.floor) return undefined;
  const inactiveDays = Math.floor((asOf.getTime() - since.getTime()) / DAY_MS);
  const weeks = Math.floor((inactiveDays - decay.afterDaysInactive) / 7);
  if (weeks <= 0) return undefined;
  const decayed =
    'pointsPerWeek' in decay ? before - weeks * decay.pointsPerWeek : Math.round(before * Math.pow(1 - decay.percentPerWeek / 100, weeks));
  const after = Math.max(decay.floor, decayed);
  if (after >= before) return undefined;
  const rate = 'pointsPerWeek' in decay ? `${decay.pointsPerWeek} points` : `${decay.percentPerWeek}%`;
  const floor = decayed < decay.floor ? `, floor ${decay.floor}` : '';
  return {
    ruleId: DECAY_REASON_ID,
    kind: 'decay',
    points: after - before,
    detail: `Inactive ${inactiveDays} days since ${isoDay(since)}: ${weeks} week(s) past the ${decay.afterDaysInactive}-day grace × ${rate}${floor} → ${after - before}`,
  };
};

/**
 * Scores a lead: pure and deterministic (time arrives as `asOf`). Touchpoints after `asOf`
 * do not count. The reasons of the rules that fired sum to `scoreBeforeDecay`; decay, from
 * the last activity (last touchpoint, else capture) to `asOf`, is one more reason line, so
 * all the reasons sum to `score`.
 */
export const scoreLead = (facts: LeadFacts, rules: ScoringRules, asOf: Date): ScoreResult => {
  const touchpoints = countedTouchpoints(facts.touchpoints, asOf);
  const ruleReasons = [
    ...rules.attributeRules.map((rule) => attributeReason(rule, facts.attributes)),
    ...rules.behaviourRules.map((rule) => behaviourReason(rule, touchpoints)),
  ].filter((reason): reason is ScoreReason => reason !== undefined);
  const scoreBeforeDecay = ruleReasons.reduce((sum, reason) => sum + reason.points, 0);
  const capturedAt = facts.capturedAt !== undefined && facts.capturedAt.getTime() <= asOf.getTime() ? facts.capturedAt : undefined;
  const decay = rules.decay === undefined ? undefined : decayReason(rules.decay, scoreBeforeDecay, lastActivity(touchpoints, capturedAt), asOf);
  const reasons = decay === undefined ? ruleReasons : [...ruleReasons, decay];
  const score = scoreBeforeDecay + (decay?.points ?? 0);
  return { score, scoreBeforeDecay, hot: score >= rules.hotThreshold, hotThreshold: rules.hotThreshold, reasons };
};
