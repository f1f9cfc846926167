import { LeadMatchKeyEventType, type LeadMatchKeyEvent, type LeadMatchRule } from '@crm/contracts';
import type { Decider } from '@crm/domain';

/**
 * Points a match key at a lead. Who may take a key over from another lead (an open lead never,
 * a closed or merged one yes) depends on that lead's stream, so the service decides it and
 * appends at the key stream's revision it read: two captures racing for one key cannot both win.
 */
export type PointMatchKey = { type: 'PointMatchKey'; data: { leadId: string; rule: LeadMatchRule; now: Date } };

/** The lead a key (`leadkey-<tenant>-<hash>`) belongs to, and since when. */
export type LeadMatchKeyState = { leadId?: string; pointedAt?: string };

export const leadMatchKeyDecider: Decider<PointMatchKey, LeadMatchKeyEvent, LeadMatchKeyState> = {
  initialState: () => ({}),
  evolve: (_state, event) => ({ leadId: event.data.leadId, pointedAt: event.data.at }),
  decide: ({ data }, state) =>
    state.leadId === data.leadId
      ? []
      : [{
          type: LeadMatchKeyEventType.LeadMatchKeyPointed,
          data: { leadId: data.leadId, rule: data.rule, ...(state.leadId !== undefined && { previousLeadId: state.leadId }), at: data.now.toISOString() },
        }],
};
