import { idFromKey, SalesPipelineEventType, type Money, type SalesTargetSetData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { SalesTargetCommand, SalesTargetScope } from './sales-target.commands';
import { SalesTargetError } from './sales-target.errors';

export type SalesTargetEvent = { type: typeof SalesPipelineEventType.SalesTargetSet; data: SalesTargetSetData };

export type SalesTarget = { targetId: string; scope: SalesTargetScope; period: string; target: Money; setAt: string };

export type SalesTargetState = { set: false } | ({ set: true } & SalesTarget);

/** One target per rep/team and period: its id is derived from them, so setting it again replaces it. */
export const salesTargetId = (tenantId: string, scope: SalesTargetScope, period: string): string =>
  idFromKey(tenantId, 'sales-target', `${scope.kind}:${scope.id}:${period}`);

const evolve = (state: SalesTargetState, event: SalesTargetEvent): SalesTargetState => {
  switch (event.type) {
    case SalesPipelineEventType.SalesTargetSet: {
      const { targetId, scope, period, target, setAt } = event.data;
      return { set: true, targetId, scope, period, target, setAt };
    }
    default:
      return state;
  }
};

const decide = ({ data }: SalesTargetCommand, state: SalesTargetState): SalesTargetEvent[] => {
  if (!Number.isSafeInteger(data.target.amountMinor) || data.target.amountMinor < 0) {
    throw new SalesTargetError('invalid_amount', `a target is an integer number of minor units ≥ 0, not ${data.target.amountMinor}`);
  }
  if (state.set && state.target.amountMinor === data.target.amountMinor && state.target.currency === data.target.currency) return [];
  return [{
    type: SalesPipelineEventType.SalesTargetSet,
    data: {
      targetId: data.targetId,
      scope: { ...data.scope },
      period: data.period,
      target: { ...data.target },
      ...(data.setBy !== undefined && { setBy: data.setBy }),
      setAt: data.now.toISOString(),
    },
  }];
};

export const salesTargetDecider: Decider<SalesTargetCommand, SalesTargetEvent, SalesTargetState> = {
  initialState: () => ({ set: false }),
  evolve,
  decide,
};
