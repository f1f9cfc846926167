import { LeadEventType, type LeadAttributeValue, type LeadEvent, type LeadSourceChannel, type Utm } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { matchKeys, type MatchableRecord, type MatchKey } from '@crm/identity';
import type {
  AlertHotLeadOwner, AssignLead, CaptureLead, ClaimLead, ConfirmLeadConversion, ConvertLead, DisqualifyLead, LeadCommand, MarkLeadMerged, MergeLead,
  QualifyLead, RecaptureLead, RecordFollowUp, RecordTouchpoints, ReturnLeadToPool, UpdateLeadAttributes,
} from './lead.commands';
import { LeadError } from './lead.errors';

export type LeadStatus = 'captured' | 'qualified' | 'disqualified' | 'converted';

export type LeadState =
  | { status: 'none' }
  | {
      status: LeadStatus;
      leadId: string;
      name: string;
      company?: string;
      email?: string;
      phone?: string;
      channel: LeadSourceChannel;
      campaignId?: string;
      utm?: Utm;
      disqualifyReason?: string;
      conversion?: { accountId: string; contactId: string; opportunityId?: string };
      /** What sales reported it did with the conversion (`LeadConversionConfirmed`). */
      conversionConfirmed?: { account: 'created' | 'linked'; contact: 'created' | 'linked' };
      /** Set once this lead was merged into another: its id redirects there and it takes no more commands. */
      mergedInto?: string;
      /** Leads merged into this one, oldest first. */
      merged: readonly string[];
      /** Every identity the lead was captured or recaptured with: its match keys come from these. */
      identities: readonly MatchableRecord[];
      /** Touchpoint ids already recorded (a re-sent touchpoint records nothing). */
      touchpointIds: ReadonlySet<string>;
      /** Lead fields and custom fields set after capture (`region` and `industry` drive assignment rules). */
      attributes: Readonly<Record<string, LeadAttributeValue>>;
      /** The rep who owns the lead; absent while it sits in the pool (公海). */
      ownerId?: string;
      /** When the owner got it or last followed it up (ISO): the no-follow-up clock starts here. */
      lastActivityAt?: string;
      score: number;
      hot: boolean;
      /** The owner already alerted in the current hot spell. */
      alertedOwnerId?: string;
    };

type ExistingLead = Exclude<LeadState, { status: 'none' }>;

const known = (state: LeadState, leadId: string): ExistingLead => {
  if (state.status === 'none') throw new LeadError('lead_not_found', `lead ${leadId} does not exist`);
  return state;
};

/** A lead that takes commands: it exists and was not merged away. */
const existing = (state: LeadState, leadId: string): ExistingLead => {
  const lead = known(state, leadId);
  if (lead.mergedInto !== undefined) {
    throw new LeadError('lead_merged', `lead ${leadId} was merged into lead ${lead.mergedInto}; use that one`, { survivorId: lead.mergedInto });
  }
  return lead;
};

/** The match keys (`@crm/identity`) this lead can be found by: e-mail, phone, company + person name. */
export const leadMatchKeys = (lead: ExistingLead): MatchKey[] => [...new Set(lead.identities.flatMap((identity) => matchKeys(identity)))];

const identityOf = (person: { name: string; company?: string; email?: string; phone?: string }): MatchableRecord => ({
  personName: person.name,
  ...(person.company !== undefined && { companyName: person.company }),
  ...(person.email !== undefined && { email: person.email }),
  ...(person.phone !== undefined && { phone: person.phone }),
});

const textAttribute = (lead: ExistingLead, field: string): string | undefined => {
  const value = lead.attributes[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

const isClosed = (lead: ExistingLead): boolean => lead.status === 'converted' || lead.status === 'disqualified';

const open = (state: LeadState, leadId: string): ExistingLead => {
  const lead = existing(state, leadId);
  if (isClosed(lead)) throw new LeadError('lead_closed', `lead ${leadId} is ${lead.status}; it has no place in the pool`);
  return lead;
};

/** The person and source a capture carries, as every capture event (`LeadCaptured`, `LeadRecaptured`, `ContactRecaptured`) records them. */
export const capturedPerson = (data: Omit<CaptureLead['data'], 'leadId' | 'now'>) => ({
  name: data.name,
  ...(data.company !== undefined && { company: data.company }),
  ...(data.email !== undefined && { email: data.email }),
  ...(data.phone !== undefined && { phone: data.phone }),
  source: data.source,
  ...(data.consents?.length && { consents: data.consents }),
});

const capture = ({ data }: CaptureLead, state: LeadState): LeadEvent[] => {
  if (state.status !== 'none') throw new LeadError('lead_already_exists', `lead ${data.leadId} already exists`);
  return [{
    type: LeadEventType.LeadCaptured,
    data: {
      leadId: data.leadId,
      ...capturedPerson(data),
      capturedAt: data.now.toISOString(),
    },
  }];
};

const recapture = ({ data }: RecaptureLead, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (isClosed(lead)) throw new LeadError('lead_closed', `lead ${data.leadId} is ${lead.status}; a capture attaches to open leads only`);
  const added = {
    ...(lead.company === undefined && data.company !== undefined && { company: data.company }),
    ...(lead.email === undefined && data.email !== undefined && { email: data.email }),
    ...(lead.phone === undefined && data.phone !== undefined && { phone: data.phone }),
  };
  return [{
    type: LeadEventType.LeadRecaptured,
    data: {
      leadId: data.leadId,
      ...capturedPerson(data),
      matchedOn: data.matchedOn,
      ...(Object.keys(added).length > 0 && { added }),
      recapturedAt: data.now.toISOString(),
    },
  }];
};

const merge = ({ data }: MergeLead, state: LeadState): LeadEvent[] => {
  const survivor = existing(state, data.survivorId);
  if (data.mergedId === data.survivorId) throw new LeadError('merge_into_self', 'a lead cannot be merged into itself');
  if (survivor.merged.includes(data.mergedId)) return [];
  return [{
    type: LeadEventType.LeadsMerged,
    data: { leadId: data.survivorId, mergedId: data.mergedId, ...(data.mergedBy !== undefined && { mergedBy: data.mergedBy }), mergedAt: data.now.toISOString() },
  }];
};

const markMerged = ({ data }: MarkLeadMerged, state: LeadState): LeadEvent[] => {
  if (data.leadId === data.survivorId) throw new LeadError('merge_into_self', 'a lead cannot be merged into itself');
  if (known(state, data.leadId).mergedInto === data.survivorId) return [];
  const lead = existing(state, data.leadId);
  // Sales holds an account and contact made from a converted lead: it must stay addressable.
  if (lead.status === 'converted') throw new LeadError('lead_already_converted', `lead ${data.leadId} is converted; it cannot be merged away`);
  return [{
    type: LeadEventType.LeadMergedInto,
    data: { leadId: data.leadId, survivorId: data.survivorId, ...(data.mergedBy !== undefined && { mergedBy: data.mergedBy }), mergedAt: data.now.toISOString() },
  }];
};

const confirmConversion = ({ data }: ConfirmLeadConversion, state: LeadState): LeadEvent[] => {
  const lead = known(state, data.leadId);
  if (lead.status !== 'converted') throw new LeadError('lead_not_converted', `lead ${data.leadId} is ${lead.status}, not converted`);
  const { now, ...ids } = data;
  const same = lead.conversionConfirmed !== undefined && lead.conversion?.accountId === ids.accountId && lead.conversion.contactId === ids.contactId
    && lead.conversion.opportunityId === ids.opportunityId && lead.conversionConfirmed.account === ids.account && lead.conversionConfirmed.contact === ids.contact;
  if (same) return [];
  return [{
    type: LeadEventType.LeadConversionConfirmed,
    data: {
      leadId: ids.leadId, accountId: ids.accountId, account: ids.account, contactId: ids.contactId, contact: ids.contact,
      ...(ids.opportunityId !== undefined && { opportunityId: ids.opportunityId }),
      confirmedAt: now.toISOString(),
    },
  }];
};

const updateAttributes = ({ data }: UpdateLeadAttributes, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (lead.status === 'converted') throw new LeadError('lead_already_converted', `lead ${data.leadId} is converted: its profile now lives in sales`);
  const changes = Object.fromEntries(Object.entries(data.changes).filter(([field, value]) =>
    value === null ? field in lead.attributes : lead.attributes[field] !== value));
  if (Object.keys(changes).length === 0) return [];
  return [{ type: LeadEventType.LeadAttributesUpdated, data: { leadId: data.leadId, changes, updatedAt: data.now.toISOString() } }];
};

const qualify = ({ data }: QualifyLead, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (lead.status === 'qualified') return [];
  if (lead.status === 'converted') throw new LeadError('lead_already_converted', `lead ${data.leadId} is already converted`);
  return [{
    type: LeadEventType.LeadQualified,
    data: {
      leadId: data.leadId,
      ...(data.qualifiedBy !== undefined && { qualifiedBy: data.qualifiedBy }),
      ...(data.note !== undefined && { note: data.note }),
      qualifiedAt: data.now.toISOString(),
    },
  }];
};

const disqualify = ({ data }: DisqualifyLead, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (data.reason.trim() === '') throw new LeadError('disqualify_reason_required', 'a reason is required to disqualify a lead');
  if (lead.status === 'converted') throw new LeadError('lead_already_converted', `lead ${data.leadId} is already converted`);
  if (lead.status === 'disqualified' && lead.disqualifyReason === data.reason) return [];
  return [{ type: LeadEventType.LeadDisqualified, data: { leadId: data.leadId, reason: data.reason, disqualifiedAt: data.now.toISOString() } }];
};

const convert = ({ data }: ConvertLead, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (lead.status === 'converted') return [];
  if (lead.status === 'disqualified') throw new LeadError('lead_disqualified', `lead ${data.leadId} is disqualified; qualify it first`);
  if (lead.status !== 'qualified') throw new LeadError('lead_not_qualified', `lead ${data.leadId} must be qualified before it is converted`);
  const industry = textAttribute(lead, 'industry');
  const region = textAttribute(lead, 'region');
  const snapshot = {
    name: lead.name,
    ...(lead.company !== undefined && { company: lead.company }),
    ...(lead.email !== undefined && { email: lead.email }),
    ...(lead.phone !== undefined && { phone: lead.phone }),
    ...(lead.ownerId !== undefined && { ownerId: lead.ownerId }),
    ...(industry !== undefined && { industry }),
    ...(region !== undefined && { region }),
    channel: lead.channel,
    ...(lead.campaignId !== undefined && { campaignId: lead.campaignId }),
    ...(lead.utm !== undefined && { utm: lead.utm }),
  };
  const hints = data.opportunityId !== undefined && data.opportunity !== undefined && Object.keys(data.opportunity).length > 0 ? data.opportunity : undefined;
  return [{
    type: LeadEventType.LeadConverted,
    data: {
      leadId: data.leadId,
      accountId: data.accountId,
      contactId: data.contactId,
      ...(data.opportunityId !== undefined && { opportunityId: data.opportunityId }),
      lead: snapshot,
      ...(hints !== undefined && { opportunity: hints }),
      ...(data.convertedBy !== undefined && { convertedBy: data.convertedBy }),
      convertedAt: data.now.toISOString(),
    },
  }];
};

const recordTouchpoints = ({ data }: RecordTouchpoints, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  const seen = new Set(lead.touchpointIds);
  const recordedAt = data.now.toISOString();
  return data.touchpoints
    .filter((t) => !seen.has(t.touchpointId) && seen.add(t.touchpointId))
    .map((t) => ({ type: LeadEventType.TouchpointRecorded, data: { leadId: data.leadId, ...t, recordedAt } }));
};

const assign = ({ data }: AssignLead, state: LeadState): LeadEvent[] => {
  const lead = open(state, data.leadId);
  if (lead.ownerId === data.ownerId) return [];
  return [{
    type: LeadEventType.LeadAssigned,
    data: {
      leadId: data.leadId,
      ownerId: data.ownerId,
      how: data.how,
      ...(data.ruleId !== undefined && { ruleId: data.ruleId }),
      ...(lead.ownerId !== undefined && { previousOwnerId: lead.ownerId }),
      assignedAt: data.now.toISOString(),
    },
  }];
};

const claim = ({ data }: ClaimLead, state: LeadState): LeadEvent[] => {
  const lead = open(state, data.leadId);
  if (lead.ownerId === data.repId) return [];
  if (lead.ownerId !== undefined) throw new LeadError('lead_already_owned', `lead ${data.leadId} already has an owner; only leads in the pool can be claimed`);
  return [{ type: LeadEventType.LeadClaimed, data: { leadId: data.leadId, ownerId: data.repId, claimedAt: data.now.toISOString() } }];
};

const returnToPool = ({ data }: ReturnLeadToPool, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (lead.ownerId === undefined) return [];
  if (data.reason === 'no_follow_up') {
    // The timer is armed for one activity time; anything newer (a follow-up, a new owner) wins.
    if (isClosed(lead)) return [];
    const since = data.ifNoActivitySince?.getTime();
    if (since !== undefined && lead.lastActivityAt !== undefined && Date.parse(lead.lastActivityAt) > since) return [];
  } else if (isClosed(lead)) {
    throw new LeadError('lead_closed', `lead ${data.leadId} is ${lead.status}; it cannot go back to the pool`);
  }
  return [{
    type: LeadEventType.LeadReturnedToPool,
    data: { leadId: data.leadId, previousOwnerId: lead.ownerId, reason: data.reason, returnedAt: data.now.toISOString() },
  }];
};

const followUp = ({ data }: RecordFollowUp, state: LeadState): LeadEvent[] => {
  const lead = open(state, data.leadId);
  if (lead.ownerId === undefined) throw new LeadError('lead_in_pool', `lead ${data.leadId} is in the pool; claim it before following it up`);
  return [{
    type: LeadEventType.LeadFollowedUp,
    data: { leadId: data.leadId, by: data.by, ...(data.note !== undefined && { note: data.note }), followedUpAt: data.now.toISOString() },
  }];
};

const alertHotLeadOwner = ({ data }: AlertHotLeadOwner, state: LeadState): LeadEvent[] => {
  const lead = existing(state, data.leadId);
  if (!lead.hot || lead.ownerId === undefined || lead.alertedOwnerId === lead.ownerId || isClosed(lead)) return [];
  return [{ type: LeadEventType.HotLeadOwnerAlerted, data: { leadId: data.leadId, ownerId: lead.ownerId, score: lead.score, alertedAt: data.now.toISOString() } }];
};

const withAttributes = (current: Readonly<Record<string, LeadAttributeValue>>, changes: Record<string, LeadAttributeValue | null>) => {
  const next: Record<string, LeadAttributeValue> = { ...current };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next;
};

const evolve = (state: LeadState, event: LeadEvent): LeadState => {
  switch (event.type) {
    case LeadEventType.LeadCaptured: {
      const { leadId, name, company, email, phone, source } = event.data;
      return {
        status: 'captured', leadId, name, company, email, phone, channel: source.channel, campaignId: source.campaignId, utm: source.utm,
        touchpointIds: new Set(), attributes: {}, score: 0, hot: false, merged: [], identities: [identityOf(event.data)],
      };
    }
    case LeadEventType.LeadRecaptured: {
      if (state.status === 'none') return state;
      const { added } = event.data;
      return { ...state, ...added, identities: [...state.identities, identityOf(event.data)] };
    }
    case LeadEventType.LeadsMerged:
      return state.status === 'none' ? state : { ...state, merged: [...state.merged, event.data.mergedId] };
    case LeadEventType.LeadMergedInto:
      return state.status === 'none' ? state : { ...state, mergedInto: event.data.survivorId };
    case LeadEventType.LeadConversionConfirmed: {
      if (state.status === 'none') return state;
      const { accountId, contactId, opportunityId, account, contact } = event.data;
      return { ...state, conversion: { accountId, contactId, opportunityId }, conversionConfirmed: { account, contact } };
    }
    case LeadEventType.LeadQualified:
      return state.status === 'none' ? state : { ...state, status: 'qualified', disqualifyReason: undefined };
    case LeadEventType.LeadDisqualified:
      return state.status === 'none' ? state : { ...state, status: 'disqualified', disqualifyReason: event.data.reason };
    case LeadEventType.LeadConverted: {
      if (state.status === 'none') return state;
      const { accountId, contactId, opportunityId } = event.data;
      return { ...state, status: 'converted', conversion: { accountId, contactId, opportunityId } };
    }
    case LeadEventType.TouchpointRecorded:
      // The set is shared along one fold instead of copied per event: a lead can have thousands
      // of page views, and copying would make every command quadratic in its history. A fold
      // never looks at an earlier state again, so nothing observes the sharing.
      if (state.status === 'none') return state;
      (state.touchpointIds as Set<string>).add(event.data.touchpointId);
      return { ...state };
    case LeadEventType.LeadAttributesUpdated:
      return state.status === 'none' ? state : { ...state, attributes: withAttributes(state.attributes, event.data.changes) };
    case LeadEventType.LeadAssigned:
      return state.status === 'none' ? state : { ...state, ownerId: event.data.ownerId, lastActivityAt: event.data.assignedAt };
    case LeadEventType.LeadClaimed:
      return state.status === 'none' ? state : { ...state, ownerId: event.data.ownerId, lastActivityAt: event.data.claimedAt };
    case LeadEventType.LeadFollowedUp:
      return state.status === 'none' ? state : { ...state, lastActivityAt: event.data.followedUpAt };
    case LeadEventType.LeadReturnedToPool:
      return state.status === 'none' ? state : { ...state, ownerId: undefined, lastActivityAt: undefined };
    case LeadEventType.HotLeadOwnerAlerted:
      return state.status === 'none' ? state : { ...state, alertedOwnerId: event.data.ownerId };
    case LeadEventType.LeadScoreChanged:
      return state.status === 'none' ? state : { ...state, score: event.data.score };
    case LeadEventType.LeadBecameHot:
      return state.status === 'none' ? state : { ...state, score: event.data.score, hot: true, alertedOwnerId: undefined };
    case LeadEventType.LeadCooled:
      return state.status === 'none' ? state : { ...state, score: event.data.score, hot: false, alertedOwnerId: undefined };
    default:
      return state;
  }
};

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'CaptureLead':
        return capture(command, state);
      case 'RecaptureLead':
        return recapture(command, state);
      case 'MergeLead':
        return merge(command, state);
      case 'MarkLeadMerged':
        return markMerged(command, state);
      case 'ConfirmLeadConversion':
        return confirmConversion(command, state);
      case 'QualifyLead':
        return qualify(command, state);
      case 'DisqualifyLead':
        return disqualify(command, state);
      case 'UpdateLeadAttributes':
        return updateAttributes(command, state);
      case 'ConvertLead':
        return convert(command, state);
      case 'RecordTouchpoints':
        return recordTouchpoints(command, state);
      case 'AssignLead':
        return assign(command, state);
      case 'ClaimLead':
        return claim(command, state);
      case 'ReturnLeadToPool':
        return returnToPool(command, state);
      case 'RecordFollowUp':
        return followUp(command, state);
      case 'AlertHotLeadOwner':
        return alertHotLeadOwner(command, state);
    }
  },
};
