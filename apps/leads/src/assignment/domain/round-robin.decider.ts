import { LeadAssignmentEventType, type RoundRobinEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { AssignmentError } from './assignment.errors';
import { nextRep } from './assignment-policy';

/** Per pool: the rep picked last, and for which lead (a retried pick for that lead picks the same rep). */
export type RoundRobinState = { pools: Readonly<Record<string, { repId: string; leadId: string }>> };

export type PickRep = { type: 'PickRep'; data: { pool: string; repIds: readonly string[]; leadId: string; now: Date } };

/** Round-robin cursors of a tenant, one stream per tenant, so the turn survives restarts and every pod shares it. */
export const roundRobinDecider: Decider<PickRep, RoundRobinEvent, RoundRobinState> = {
  initialState: () => ({ pools: {} }),
  evolve: (state, { data }) => ({ pools: { ...state.pools, [data.pool]: { repId: data.repId, leadId: data.leadId } } }),
  decide: ({ data }, state) => {
    const last = state.pools[data.pool];
    if (last?.leadId === data.leadId && data.repIds.includes(last.repId)) return [];
    const repId = nextRep(data.repIds, last?.repId);
    if (repId === undefined) throw new AssignmentError('no_reps_configured', `no reps to assign to in pool ${data.pool}`);
    return [{ type: LeadAssignmentEventType.RoundRobinAdvanced, data: { pool: data.pool, repId, leadId: data.leadId, at: data.now.toISOString() } }];
  },
};

/** The rep a `PickRep` for this lead picked (after the command ran, from its resulting state). */
export const pickedRep = (state: RoundRobinState, pool: string): string | undefined => state.pools[pool]?.repId;
