import { DAY_MS } from '../domain/stalled-deal';
import type { Opportunity } from '../domain/opportunity.decider';
import type { OpportunityResponse } from './opportunity.dto';

/** The opportunity document served by GET /v1/opportunities/{id}; stage times are exact, up to `now` for the open stay. */
export const opportunityView = (o: Opportunity, revision: number, now: Date): OpportunityResponse => {
  const stageHistory = o.stageHistory.map((v) => ({
    stageId: v.stageId,
    enteredAt: v.enteredAt,
    leftAt: v.leftAt ?? null,
    ms: Math.max(0, (v.leftAt === undefined ? now.getTime() : Date.parse(v.leftAt)) - Date.parse(v.enteredAt)),
  }));
  const msInCurrentStage = stageHistory[stageHistory.length - 1].ms;
  return {
    id: o.opportunityId,
    status: o.status,
    stageId: o.stageId,
    probability: o.probability,
    revision,
    name: o.name,
    accountId: o.accountId,
    ...(o.contactId !== undefined && { contactId: o.contactId }),
    pipelineId: o.pipelineId,
    amount: o.amount,
    expectedCloseDate: o.expectedCloseDate,
    ownerId: o.ownerId,
    ...(o.teamId !== undefined && { teamId: o.teamId }),
    competitors: [...o.competitors],
    ...(o.source !== undefined && { source: o.source }),
    createdAt: o.createdAt,
    lastUpdateAt: o.lastUpdateAt,
    ...(o.lastActivityAt !== undefined && { lastActivityAt: o.lastActivityAt }),
    ...(o.closedAt !== undefined && { closedAt: o.closedAt }),
    ...(o.lost !== undefined && { lost: o.lost }),
    stageHistory,
    msInCurrentStage,
    daysInCurrentStage: Math.floor(msInCurrentStage / DAY_MS),
    stalled: { ...o.stalled },
  };
};
