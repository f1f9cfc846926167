import { LeadEventType, type LeadEvent, type LeadSourceChannel } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { CaptureLead, ConvertLead, DisqualifyLead, LeadCommand, QualifyLead, RecordTouchpoints } from './lead.commands';
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
      disqualifyReason?: string;
      conversion?: { accountId: string; contactId: string; opportunityId?: string };
      /** Touchpoint ids already recorded (a re-sent touchpoint records nothing). */
      touchpointIds: ReadonlySet<string>;
    };

type ExistingLead = Exclude<LeadState, { status: 'none' }>;

const existing = (state: LeadState, leadId: string): ExistingLead => {
  if (state.status === 'none') throw new LeadError('lead_not_found', `lead ${leadId} does not exist`);
  return state;
};

const capture = ({ data }: CaptureLead, state: LeadState): LeadEvent[] => {
  if (state.status !== 'none') throw new LeadError('lead_already_exists', `lead ${data.leadId} already exists`);
  return [{
    type: LeadEventType.LeadCaptured,
    data: {
      leadId: data.leadId,
      name: data.name,
      ...(data.company !== undefined && { company: data.company }),
      ...(data.email !== undefined && { email: data.email }),
      ...(data.phone !== undefined && { phone: data.phone }),
      source: data.source,
      ...(data.consents?.length && { consents: data.consents }),
      capturedAt: data.now.toISOString(),
    },
  }];
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
  return [{
    type: LeadEventType.LeadConverted,
    data: {
      leadId: data.leadId,
      accountId: data.accountId,
      contactId: data.contactId,
      ...(data.opportunityId !== undefined && { opportunityId: data.opportunityId }),
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

const evolve = (state: LeadState, event: LeadEvent): LeadState => {
  switch (event.type) {
    case LeadEventType.LeadCaptured: {
      const { leadId, name, company, email, phone, source } = event.data;
      return { status: 'captured', leadId, name, company, email, phone, channel: source.channel, touchpointIds: new Set() };
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
      case 'QualifyLead':
        return qualify(command, state);
      case 'DisqualifyLead':
        return disqualify(command, state);
      case 'ConvertLead':
        return convert(command, state);
      case 'RecordTouchpoints':
        return recordTouchpoints(command, state);
    }
  },
};
