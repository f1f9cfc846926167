import { LeadAssignmentEventType, type RepLeadsEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { AssignmentError } from './assignment.errors';

/** The open leads one rep holds. */
export type RepLeadsState = { leadIds: ReadonlySet<string> };

/** Count a lead against the rep; `cap` refuses it when the rep already holds that many (omit for manager assignments). */
export type TakeLead = { type: 'TakeLead'; data: { repId: string; leadId: string; cap?: number; now: Date } };
export type DropLead = { type: 'DropLead'; data: { repId: string; leadId: string; now: Date } };
export type RepLeadsCommand = TakeLead | DropLead;

/**
 * The per-rep cap. One stream per rep (`repleads-<tenant>-<rep>`) holds the leads the rep owns;
 * every take is an append at the revision the count was read at, so two concurrent claims by
 * one rep serialize on this stream: the second re-reads, sees the first, and is refused when the
 * cap is reached. Leads on different reps never contend.
 */
export const repLeadsDecider: Decider<RepLeadsCommand, RepLeadsEvent, RepLeadsState> = {
  initialState: () => ({ leadIds: new Set() }),
  evolve: (state, event) => {
    const leadIds = new Set(state.leadIds);
    if (event.type === LeadAssignmentEventType.RepLeadTaken) leadIds.add(event.data.leadId);
    else leadIds.delete(event.data.leadId);
    return { leadIds };
  },
  decide: (command, state) => {
    const { repId, leadId, now } = command.data;
    if (command.type === 'DropLead') {
      return state.leadIds.has(leadId) ? [{ type: LeadAssignmentEventType.RepLeadDropped, data: { repId, leadId, at: now.toISOString() } }] : [];
    }
    if (state.leadIds.has(leadId)) return [];
    const { cap } = command.data;
    if (cap !== undefined && state.leadIds.size >= cap) {
      throw new AssignmentError('rep_lead_cap_reached', `rep ${repId} already holds ${state.leadIds.size} open leads (cap ${cap})`, { repId, cap, open: state.leadIds.size });
    }
    return [{ type: LeadAssignmentEventType.RepLeadTaken, data: { repId, leadId, at: now.toISOString() } }];
  },
};
