import { SalesDealEventType as E, type ContractNumberEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';

/** Takes the next number of a tenant's yearly sequence for a contract (once per contract). */
export type AllocateContractNumber = { type: 'AllocateContractNumber'; data: { contractId: string; year: number; now: Date } };

export type ContractNumberState = { last: number; byContract: ReadonlyMap<string, string> };

/** `C-2026-000042`: the year, then the sequence padded to six digits (longer past 999999). */
export const formatContractNumber = (year: number, sequence: number): string => `C-${year}-${String(sequence).padStart(6, '0')}`;

/**
 * The sequence is one stream per tenant and year, appended with its expected revision, so two
 * drafts at the same moment can never get the same number. Allocating for a contract that
 * already has a number appends nothing, so a retried draft keeps its number.
 * `byContract` is shared along one fold (never copied): a fold does not revisit a state.
 */
export const contractNumberDecider: Decider<AllocateContractNumber, ContractNumberEvent, ContractNumberState> = {
  initialState: () => ({ last: 0, byContract: new Map() }),
  evolve: (state, event) => {
    (state.byContract as Map<string, string>).set(event.data.contractId, event.data.contractNumber);
    return { last: event.data.sequence, byContract: state.byContract };
  },
  decide: ({ data }, state) => {
    if (state.byContract.has(data.contractId)) return [];
    const sequence = state.last + 1;
    return [{
      type: E.ContractNumberAllocated,
      data: { contractId: data.contractId, contractNumber: formatContractNumber(data.year, sequence), year: data.year, sequence, allocatedAt: data.now.toISOString() },
    }];
  },
};
