import type { ContractLine } from '@crm/contracts';
import type { InstallmentPlan } from './installments';
import type { QuoteState } from './quote.decider';

/** Where a contract's lines and amounts come from: the accepted version of a quote, or the request itself. */
export type ContractSource =
  | { kind: 'quote'; quoteId: string; quote: QuoteState }
  | { kind: 'direct'; accountId: string; opportunityId?: string; currency: string; lines: ContractLine[]; taxMinor: number };

/** What signing needs to know about the customer (the service reads it from the customers' streams). */
export type AccountSnapshot = { accountId: string; name: string };
export type ContactSnapshot = { contactId: string; name: string; email?: string; phone?: string };

export type ContractSchedule = { startDate: string; endDate?: string; installments: InstallmentPlan };

/** The number comes from the tenant's sequence (allocated before drafting). */
export type DraftContract = {
  type: 'DraftContract';
  data: { contractId: string; contractNumber: string; ownerId: string; contactId?: string; source: ContractSource; schedule: ContractSchedule; now: Date };
};

/**
 * The service looks the customer up on the customers' streams: `account` is undefined when the
 * account is unknown; `contact` is the contract's contact (or, when it names none, the
 * opportunity's), undefined when not found. A merged record is followed to its survivor.
 */
export type SignContract = {
  type: 'SignContract';
  data: { contractId: string; signedBy: string; customerSignatory?: string; account?: AccountSnapshot; contact?: ContactSnapshot; now: Date };
};

export type CancelContract = { type: 'CancelContract'; data: { contractId: string; reason: string; now: Date } };

export type ContractCommand = DraftContract | SignContract | CancelContract;
