import type { SalesSettings, StalledRule } from '@crm/contracts';

export const DAY_MS = 86_400_000;

export type StallLevel = 'owner' | 'manager';

/** The tenant's stalled rule for a stage, if it has one. */
export const stalledRuleFor = (settings: Pick<SalesSettings, 'stalledRules'>, stageId: string): StalledRule | undefined =>
  settings.stalledRules.find((r) => r.stageId === stageId);

/** Idle days after which a level is reported; undefined when the rule does not escalate. */
export const thresholdDays = (rule: StalledRule, level: StallLevel): number | undefined =>
  level === 'owner' ? rule.days : rule.escalateAfterDays === undefined ? undefined : rule.days + rule.escalateAfterDays;

/** When a level falls due: exactly `threshold` days (of 24 h, in UTC) after the last update. */
export const stallDueAt = (lastUpdateAt: string, rule: StalledRule, level: StallLevel): Date | undefined => {
  const days = thresholdDays(rule, level);
  return days === undefined ? undefined : new Date(Date.parse(lastUpdateAt) + days * DAY_MS);
};

/** Whole days between two instants (the idle time a stalled event reports). */
export const wholeDaysBetween = (from: string, to: Date): number => Math.floor((to.getTime() - Date.parse(from)) / DAY_MS);
