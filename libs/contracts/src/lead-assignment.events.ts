import { z } from 'zod';

/* The events of the lead pool (公海) and assignment (DOMAIN.md §1). */

/** How an owner was chosen. */
export const AssignmentHow = z.enum(['manual', 'round_robin', 'rule']);
export type AssignmentHow = z.infer<typeof AssignmentHow>;

/** Why a lead went back to the pool. */
export const ReturnToPoolReason = z.enum(['manual', 'no_follow_up']);
export type ReturnToPoolReason = z.infer<typeof ReturnToPoolReason>;

export const LeadAssignedData = z.object({
  leadId: z.string(),
  ownerId: z.string().min(1).max(255),
  how: AssignmentHow,
  /** The assignment rule that matched, when `how` is `rule`. */
  ruleId: z.string().max(100).optional(),
  /** The owner before a re-assignment. */
  previousOwnerId: z.string().max(255).optional(),
  assignedAt: z.iso.datetime(),
});
export type LeadAssignedData = z.infer<typeof LeadAssignedData>;

export const LeadClaimedData = z.object({
  leadId: z.string(),
  ownerId: z.string().min(1).max(255),
  claimedAt: z.iso.datetime(),
});
export type LeadClaimedData = z.infer<typeof LeadClaimedData>;

export const LeadReturnedToPoolData = z.object({
  leadId: z.string(),
  previousOwnerId: z.string(),
  reason: ReturnToPoolReason,
  returnedAt: z.iso.datetime(),
});
export type LeadReturnedToPoolData = z.infer<typeof LeadReturnedToPoolData>;

export const LeadFollowedUpData = z.object({
  leadId: z.string(),
  /** Who followed up (usually the owner). */
  by: z.string().min(1).max(255),
  note: z.string().max(2000).optional(),
  followedUpAt: z.iso.datetime(),
});
export type LeadFollowedUpData = z.infer<typeof LeadFollowedUpData>;

export const HotLeadOwnerAlertedData = z.object({
  leadId: z.string(),
  ownerId: z.string(),
  score: z.int().nonnegative(),
  alertedAt: z.iso.datetime(),
});
export type HotLeadOwnerAlertedData = z.infer<typeof HotLeadOwnerAlertedData>;

/** A rule: every condition given must match (values within one condition: any of them, case-insensitive). */
export const AssignmentRule = z.object({
  id: z.string().min(1).max(100),
  /** Territory: the lead's `region` attribute. */
  regions: z.array(z.string().min(1).max(100)).max(200).optional(),
  /** The lead's `industry` attribute. */
  industries: z.array(z.string().min(1).max(100)).max(200).optional(),
  /** The lead's source channels (`LeadSourceChannel` values; checked where settings are written). */
  channels: z.array(z.string().min(1).max(50)).max(20).optional(),
  /** Reps that receive matching leads, round-robin among them. */
  repIds: z.array(z.string().min(1).max(255)).min(1).max(500),
});
export type AssignmentRule = z.infer<typeof AssignmentRule>;

export const AssignmentSettingsData = z.object({
  /** Reps of the default round-robin. */
  repIds: z.array(z.string().min(1).max(255)).max(1000),
  /** First matching rule wins; no match → round-robin over `repIds`. */
  rules: z.array(AssignmentRule).max(200),
  /** Open leads a rep may hold before claims are refused. */
  claimCap: z.int().positive().max(100_000),
  /** Days without a follow-up after which an owned lead returns to the pool. */
  returnAfterDays: z.int().positive().max(3650),
});
export type AssignmentSettingsData = z.infer<typeof AssignmentSettingsData>;

export const AssignmentSettingsChangedData = AssignmentSettingsData.extend({ changedAt: z.iso.datetime() });
export type AssignmentSettingsChangedData = z.infer<typeof AssignmentSettingsChangedData>;

export const RoundRobinAdvancedData = z.object({
  /** `default` or `rule:<ruleId>`. */
  pool: z.string(),
  repId: z.string(),
  leadId: z.string(),
  at: z.iso.datetime(),
});
export type RoundRobinAdvancedData = z.infer<typeof RoundRobinAdvancedData>;

export const RepLeadTakenData = z.object({ repId: z.string(), leadId: z.string(), at: z.iso.datetime() });
export type RepLeadTakenData = z.infer<typeof RepLeadTakenData>;

export const RepLeadDroppedData = z.object({ repId: z.string(), leadId: z.string(), at: z.iso.datetime() });
export type RepLeadDroppedData = z.infer<typeof RepLeadDroppedData>;

export const LeadAssignmentEventType = {
  LeadAssigned: 'leads.LeadAssigned',
  LeadClaimed: 'leads.LeadClaimed',
  LeadReturnedToPool: 'leads.LeadReturnedToPool',
  LeadFollowedUp: 'leads.LeadFollowedUp',
  HotLeadOwnerAlerted: 'leads.HotLeadOwnerAlerted',
  AssignmentSettingsChanged: 'leads.AssignmentSettingsChanged',
  RoundRobinAdvanced: 'leads.RoundRobinAdvanced',
  RepLeadTaken: 'leads.RepLeadTaken',
  RepLeadDropped: 'leads.RepLeadDropped',
} as const;

/** Events on a lead's own stream. */
export type LeadAssignmentEvent =
  | { type: typeof LeadAssignmentEventType.LeadAssigned; data: LeadAssignedData }
  | { type: typeof LeadAssignmentEventType.LeadClaimed; data: LeadClaimedData }
  | { type: typeof LeadAssignmentEventType.LeadReturnedToPool; data: LeadReturnedToPoolData }
  | { type: typeof LeadAssignmentEventType.LeadFollowedUp; data: LeadFollowedUpData }
  | { type: typeof LeadAssignmentEventType.HotLeadOwnerAlerted; data: HotLeadOwnerAlertedData };

/** `assignment-settings-<tenant>`. */
export type AssignmentSettingsEvent = { type: typeof LeadAssignmentEventType.AssignmentSettingsChanged; data: AssignmentSettingsChangedData };
/** `assignment-round-robin-<tenant>`. */
export type RoundRobinEvent = { type: typeof LeadAssignmentEventType.RoundRobinAdvanced; data: RoundRobinAdvancedData };
/** `rep-leads-<tenant>-<repId>`: the open leads a rep holds (the per-rep cap). */
export type RepLeadsEvent =
  | { type: typeof LeadAssignmentEventType.RepLeadTaken; data: RepLeadTakenData }
  | { type: typeof LeadAssignmentEventType.RepLeadDropped; data: RepLeadDroppedData };

/** Tenants and rep ids are part of these stream names: unlike lead ids they are not globally unique. */
export const assignmentSettingsStream = (tenantId: string): string => `assignmentsettings-${tenantId}`;
export const roundRobinStream = (tenantId: string): string => `assignmentroundrobin-${tenantId}`;
export const repLeadsStream = (tenantId: string, repId: string): string => `repleads-${tenantId}-${repId}`;
