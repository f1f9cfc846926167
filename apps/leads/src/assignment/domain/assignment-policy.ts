import type { AssignmentHow, AssignmentRule, AssignmentSettingsData, LeadAttributeValue, LeadSourceChannel } from '@crm/contracts';

/** What assignment rules look at: the lead's channel and its `region` and `industry` attributes. */
export type RoutableLead = { channel: LeadSourceChannel; attributes: Readonly<Record<string, LeadAttributeValue>> };

/** Where a lead goes: a round-robin pool of reps, and how the choice reads on `LeadAssigned`. */
export type Route = { pool: string; repIds: readonly string[]; how: Exclude<AssignmentHow, 'manual'>; ruleId?: string };

export const DEFAULT_POOL = 'default';

const fold = (v: string) => v.trim().toLowerCase();

const anyOf = (wanted: readonly string[] | undefined, actual: LeadAttributeValue | undefined): boolean => {
  if (wanted === undefined || wanted.length === 0) return true;
  if (typeof actual !== 'string') return false;
  return wanted.some((w) => fold(w) === fold(actual));
};

/** A rule matches when every condition it names matches (within a condition: any of its values, case-insensitive). */
export const ruleMatches = (rule: AssignmentRule, lead: RoutableLead): boolean =>
  anyOf(rule.regions, lead.attributes.region) && anyOf(rule.industries, lead.attributes.industry) && anyOf(rule.channels, lead.channel);

/** First matching rule wins; no rule matches → the tenant's round-robin. Undefined when there is nobody to route to. */
export const routeLead = (settings: Pick<AssignmentSettingsData, 'rules' | 'repIds'>, lead: RoutableLead): Route | undefined => {
  const rule = settings.rules.find((r) => ruleMatches(r, lead));
  if (rule) return { pool: `rule:${rule.id}`, repIds: rule.repIds, how: 'rule', ruleId: rule.id };
  return settings.repIds.length > 0 ? { pool: DEFAULT_POOL, repIds: settings.repIds, how: 'round_robin' } : undefined;
};

/**
 * The rep after the one picked last, in the current list order. When the last one left the list
 * the turn goes to the first rep; a rep added to the list gets its turn when the cursor passes it.
 */
export const nextRep = (repIds: readonly string[], lastRepId: string | undefined): string | undefined => {
  if (repIds.length === 0) return undefined;
  const last = lastRepId === undefined ? -1 : repIds.indexOf(lastRepId);
  return repIds[(last + 1) % repIds.length];
};
