import type { Money, SalesPeriod } from '@crm/contracts';

export type SalesTargetScope = { kind: 'rep' | 'team'; id: string };

/** Sets (or replaces) the won-amount target of a rep or team for a period. */
export type SetSalesTarget = {
  type: 'SetSalesTarget';
  data: { targetId: string; scope: SalesTargetScope; period: SalesPeriod; target: Money; setBy?: string; now: Date };
};

export type SalesTargetCommand = SetSalesTarget;
