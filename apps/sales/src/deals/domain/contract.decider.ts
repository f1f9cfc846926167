import { SalesDealEventType as E, type ContractDraftedData, type ContractEvent, type ContractLine, type ContractSignedData, type Installment, type Money } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { CancelContract, ContractCommand, ContractSchedule, ContractSource, DraftContract, SignContract } from './contract.commands';
import { ContractError } from './contract.errors';
import { planInstallments } from './installments';
import { priceQuote } from './pricing';

export type ContractStatus = 'drafted' | 'signed' | 'cancelled';

export type ExistingContract = Omit<ContractDraftedData, 'draftedAt'> & {
  status: ContractStatus;
  draftedAt: string;
  signed?: Pick<ContractSignedData, 'accountName' | 'primaryContact' | 'signedBy' | 'customerSignatory' | 'signedAt'>;
  cancelled?: { reason: string; cancelledAt: string };
};

export type ContractState = { status: 'none' } | ExistingContract;

/** What a contract binds the customer to, before it has a number. */
export type ContractTerms = {
  accountId: string;
  opportunityId?: string;
  quoteId?: string;
  quoteVersion?: number;
  total: Money;
  taxMinor: number;
  lines: ContractLine[];
  installments: Installment[];
  startDate: string;
  endDate?: string;
};

const MAX_LINES = 200;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const existing = (state: ContractState, contractId: string): ExistingContract => {
  if (state.status === 'none') throw new ContractError('contract_not_found', `contract ${contractId} does not exist`);
  return state;
};

const fromSource = (source: ContractSource): Omit<ContractTerms, 'installments' | 'startDate' | 'endDate'> => {
  if (source.kind === 'quote') {
    const quote = source.quote;
    if (quote.status === 'none') throw new ContractError('unknown_quote', `quote ${source.quoteId} does not exist`);
    if (quote.status !== 'accepted') {
      throw new ContractError('quote_not_accepted', `quote ${quote.quoteId} version ${quote.version} is ${quote.status}; a contract needs an accepted quote`);
    }
    // Line nets are re-derived with the same pricing that produced the accepted totals.
    const priced = priceQuote(quote.lines, quote.taxRateBps).lines;
    return {
      accountId: quote.accountId,
      opportunityId: quote.opportunityId,
      quoteId: quote.quoteId,
      quoteVersion: quote.version,
      total: { amountMinor: quote.totals.totalMinor, currency: quote.currency },
      taxMinor: quote.totals.taxMinor,
      lines: quote.lines.map((l, i) => ({
        productId: l.productId,
        ...(l.description !== undefined && { description: l.description }),
        quantity: l.quantity,
        netMinor: priced[i].netMinor,
      })),
    };
  }
  const { lines, taxMinor } = source;
  if (lines.length === 0 || lines.length > MAX_LINES) throw new ContractError('invalid_contract', `a contract has 1 to ${MAX_LINES} lines, not ${lines.length}`);
  const amounts = [...lines.map((l) => l.netMinor), taxMinor];
  if (amounts.some((a) => !Number.isSafeInteger(a) || a < 0) || lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 1)) {
    throw new ContractError('invalid_contract', 'amounts are non-negative integers of minor units and quantities positive integers');
  }
  const total = amounts.reduce((s, a) => s + BigInt(a), 0n);
  if (total > SAFE) throw new ContractError('amount_too_large', `the contract total (${total} minor units) is larger than ${Number.MAX_SAFE_INTEGER}`);
  return {
    accountId: source.accountId,
    ...(source.opportunityId !== undefined && { opportunityId: source.opportunityId }),
    total: { amountMinor: Number(total), currency: source.currency },
    taxMinor,
    lines: lines.map((l) => ({ productId: l.productId, ...(l.description !== undefined && { description: l.description }), quantity: l.quantity, netMinor: l.netMinor })),
  };
};

/**
 * The terms of a new contract, with every rule checked: an accepted quote, dates in order and
 * a payment plan that sums to the total. Pure, so the service can check them before it takes a
 * contract number (a refused draft then leaves no gap in the sequence).
 */
export const contractTerms = (source: ContractSource, schedule: ContractSchedule): ContractTerms => {
  const terms = fromSource(source);
  if (schedule.endDate !== undefined && schedule.endDate < schedule.startDate) {
    throw new ContractError('invalid_dates', `the contract cannot end (${schedule.endDate}) before it starts (${schedule.startDate})`);
  }
  return {
    ...terms,
    installments: planInstallments(terms.total.amountMinor, schedule.startDate, schedule.installments),
    startDate: schedule.startDate,
    ...(schedule.endDate !== undefined && { endDate: schedule.endDate }),
  };
};

const draft = ({ data }: DraftContract, state: ContractState): ContractEvent[] => {
  if (state.status !== 'none') throw new ContractError('contract_already_exists', `contract ${data.contractId} already exists`);
  const t = contractTerms(data.source, data.schedule);
  return [{
    type: E.ContractDrafted,
    data: {
      contractId: data.contractId,
      contractNumber: data.contractNumber,
      accountId: t.accountId,
      ...(t.opportunityId !== undefined && { opportunityId: t.opportunityId }),
      ...(t.quoteId !== undefined && { quoteId: t.quoteId, quoteVersion: t.quoteVersion }),
      ...(data.contactId !== undefined && { contactId: data.contactId }),
      ownerId: data.ownerId,
      total: t.total,
      taxMinor: t.taxMinor,
      lines: t.lines,
      installments: t.installments,
      startDate: t.startDate,
      ...(t.endDate !== undefined && { endDate: t.endDate }),
      draftedAt: data.now.toISOString(),
    },
  }];
};

const sign = ({ data }: SignContract, state: ContractState): ContractEvent[] => {
  const c = existing(state, data.contractId);
  if (c.status === 'signed') return [];
  if (c.status === 'cancelled') throw new ContractError('contract_cancelled', `contract ${c.contractNumber} was cancelled; it cannot be signed`);
  if (!data.account) throw new ContractError('unknown_account', `account ${c.accountId} of contract ${c.contractNumber} does not exist`);
  if (c.contactId !== undefined && !data.contact) {
    throw new ContractError('unknown_contact', `contact ${c.contactId} of contract ${c.contractNumber} does not exist`);
  }
  const { status: _, draftedAt: __, signed: ___, cancelled: ____, ...drafted } = c;
  const contact = data.contact;
  return [{
    type: E.ContractSigned,
    data: {
      ...drafted,
      accountName: data.account.name,
      ...(contact && {
        primaryContact: {
          contactId: contact.contactId,
          name: contact.name,
          ...(contact.email !== undefined && { email: contact.email }),
          ...(contact.phone !== undefined && { phone: contact.phone }),
        },
      }),
      signedBy: data.signedBy,
      ...(data.customerSignatory !== undefined && { customerSignatory: data.customerSignatory }),
      signedAt: data.now.toISOString(),
    },
  }];
};

const cancel = ({ data }: CancelContract, state: ContractState): ContractEvent[] => {
  const c = existing(state, data.contractId);
  if (c.status === 'cancelled') return [];
  if (data.reason.trim() === '') throw new ContractError('invalid_contract', 'a cancellation needs a reason');
  return [{ type: E.ContractCancelled, data: { contractId: c.contractId, reason: data.reason, cancelledAt: data.now.toISOString() } }];
};

const evolve = (state: ContractState, event: ContractEvent): ContractState => {
  switch (event.type) {
    case E.ContractDrafted:
      return { ...event.data, status: 'drafted' };
    case E.ContractSigned: {
      if (state.status === 'none') return state;
      const { accountName, primaryContact, signedBy, customerSignatory, signedAt } = event.data;
      return {
        ...state,
        status: 'signed',
        signed: {
          accountName,
          ...(primaryContact !== undefined && { primaryContact }),
          ...(signedBy !== undefined && { signedBy }),
          ...(customerSignatory !== undefined && { customerSignatory }),
          signedAt,
        },
      };
    }
    case E.ContractCancelled:
      if (state.status === 'none') return state;
      return { ...state, status: 'cancelled', cancelled: { reason: event.data.reason, cancelledAt: event.data.cancelledAt } };
    default:
      return state;
  }
};

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'DraftContract':
        return draft(command, state);
      case 'SignContract':
        return sign(command, state);
      case 'CancelContract':
        return cancel(command, state);
    }
  },
};
