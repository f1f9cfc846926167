import { eventSchemas, SalesDealEventType as E, type ContractEvent, type QuoteEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import type { ContractCommand, ContractSchedule, ContractSource } from './contract.commands';
import { contractDecider } from './contract.decider';
import { quoteDecider, type QuoteState } from './quote.decider';

const given = DeciderSpecification.for(contractDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const contractId = '0190ffff-0000-7000-8000-000000000001';
const quoteId = '0190cccc-0000-7000-8000-000000000001';
const opportunityId = '0190dddd-0000-7000-8000-000000000001';
const accountId = '0190eeee-0000-7000-8000-000000000001';
const contactId = '0190abab-0000-7000-8000-000000000001';

/** A quote folded through the quote decider: 3 × 100.00 at 10 % off and 1 × 50.00 onboarding, 13 % VAT = 361.60. */
const quoteAfter = (...steps: ('sent' | 'accepted' | 'rejected')[]): QuoteState => {
  const status = (type: QuoteEvent['type']) => ({ type, data: { quoteId, version: 1, by: 'x', at } }) as QuoteEvent;
  const drafted = quoteDecider.decide({
    type: 'DraftQuote',
    data: {
      quoteId, opportunityId, accountId, currency: 'CNY', taxRateBps: 1300, requestedBy: 'rep-1', now,
      lines: [
        { lineId: '1', productId: 'crm-seat', quantity: 3, unitPriceMinor: 10_000, discountBps: 1000 },
        { lineId: '2', productId: 'onboarding', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000, discountBps: 0 },
      ],
      policy: { thresholdBps: 1500, chain: [{ role: 'sales_manager', minTotalMinor: 0 }] },
    },
  }, { status: 'none' });
  const more = steps.map((s) => status(s === 'sent' ? E.QuoteSent : s === 'accepted' ? E.QuoteAccepted : E.QuoteRejected));
  return [...drafted, ...more].reduce(quoteDecider.evolve, quoteDecider.initialState());
};

const fromQuote = (quote: QuoteState): ContractSource => ({ kind: 'quote', quoteId, quote });
const direct: ContractSource = {
  kind: 'direct', accountId, currency: 'CNY', taxMinor: 1_300,
  lines: [{ productId: 'support', description: 'Premium support', quantity: 1, netMinor: 10_000 }],
};
const schedule: ContractSchedule = { startDate: '2026-12-01', endDate: '2027-11-30', installments: { kind: 'single' } };
const draft = (source: ContractSource, over: Partial<ContractSchedule> & { contactId?: string } = {}): ContractCommand => {
  const { contactId: named, ...rest } = over;
  return { type: 'DraftContract', data: { contractId, contractNumber: 'C-2026-000001', ownerId: 'rep-1', ...(named && { contactId: named }), source, schedule: { ...schedule, ...rest }, now } };
};

const draftedFromQuote: ContractEvent = {
  type: E.ContractDrafted,
  data: {
    contractId, contractNumber: 'C-2026-000001', accountId, opportunityId, quoteId, quoteVersion: 1, ownerId: 'rep-1',
    total: { amountMinor: 36_160, currency: 'CNY' },
    taxMinor: 4_160,
    lines: [{ productId: 'crm-seat', quantity: 3, netMinor: 27_000 }, { productId: 'onboarding', description: 'Onboarding', quantity: 1, netMinor: 5_000 }],
    installments: [{ sequence: 1, dueDate: '2026-12-01', amountMinor: 36_160 }],
    startDate: '2026-12-01', endDate: '2027-11-30', draftedAt: at,
  },
};
const draftedDirect = (named?: string): ContractEvent => ({
  type: E.ContractDrafted,
  data: {
    contractId, contractNumber: 'C-2026-000001', accountId, ...(named && { contactId: named }), ownerId: 'rep-1',
    total: { amountMinor: 11_300, currency: 'CNY' }, taxMinor: 1_300,
    lines: [{ productId: 'support', description: 'Premium support', quantity: 1, netMinor: 10_000 }],
    installments: [{ sequence: 1, dueDate: '2026-12-01', amountMinor: 11_300 }],
    startDate: '2026-12-01', endDate: '2027-11-30', draftedAt: at,
  },
});
const account = { accountId, name: 'Acme 科技' };
const contact = { contactId, name: '王小明', email: 'xm@example.cn', phone: '+8613800138000' };
const sign = (over: Partial<{ account: typeof account; contact: typeof contact; customerSignatory: string }> = { account }): ContractCommand => ({
  type: 'SignContract', data: { contractId, signedBy: 'rep-1', ...over, now },
});
const cancelled: ContractEvent = { type: E.ContractCancelled, data: { contractId, reason: 'Customer withdrew', cancelledAt: at } };

describe('Contract decider', () => {
  describe('DraftContract', () => {
    it('drafts from an accepted quote: account, opportunity, lines (net), tax and total come from the accepted version', () =>
      given([]).when(draft(fromQuote(quoteAfter('sent', 'accepted')))).then([draftedFromQuote]));

    it('refuses a quote that is not accepted, and an unknown one', () => {
      given([]).when(draft(fromQuote(quoteAfter()))).thenThrows('quote_not_accepted');
      given([]).when(draft(fromQuote(quoteAfter('sent')))).thenThrows('quote_not_accepted');
      given([]).when(draft(fromQuote(quoteAfter('sent', 'rejected')))).thenThrows('quote_not_accepted');
      given([]).when(draft(fromQuote({ status: 'none' }))).thenThrows('unknown_quote');
    });

    it('drafts directly: total = lines + tax; the contact it names is kept', () =>
      given([]).when(draft(direct, { contactId })).then([draftedDirect(contactId)]));

    it('splits the total into installments, or takes an explicit list that must sum exactly', () => {
      given([]).when(draft(direct, { installments: { kind: 'even', installmentCount: 2, intervalMonths: 6 } })).thenState((s) =>
        expect(s.status !== 'none' && s.installments).toEqual([{ sequence: 1, dueDate: '2026-12-01', amountMinor: 5_650 }, { sequence: 2, dueDate: '2027-06-01', amountMinor: 5_650 }]));
      given([]).when(draft(direct, { installments: { kind: 'explicit', installments: [{ dueDate: '2026-12-01', amountMinor: 5_000 }, { dueDate: '2027-03-01', amountMinor: 6_000 }] } }))
        .thenThrows('installments_mismatch');
    });

    it('refuses an end before the start, totals beyond safe integers, no lines and a second draft', () => {
      given([]).when(draft(direct, { endDate: '2026-11-30' })).thenThrows('invalid_dates');
      given([]).when(draft({ ...direct, lines: [{ productId: 'p', quantity: 1, netMinor: Number.MAX_SAFE_INTEGER }], taxMinor: 1 })).thenThrows('amount_too_large');
      given([]).when(draft({ ...direct, lines: [] })).thenThrows('invalid_contract');
      given([draftedDirect()]).when(draft(direct)).thenThrows('contract_already_exists');
    });
  });

  describe('SignContract', () => {
    const { draftedAt: _, ...drafted } = draftedFromQuote.data as Extract<ContractEvent, { type: 'sales.ContractDrafted' }>['data'];
    it('signs with everything billing and service need: totals, lines, installments, dates, account name, primary contact', () =>
      given([draftedFromQuote]).when(sign({ account, contact, customerSignatory: '李总' })).then([{
        type: E.ContractSigned,
        data: { ...drafted, accountName: 'Acme 科技', primaryContact: contact, signedBy: 'rep-1', customerSignatory: '李总', signedAt: at },
      }]));

    it('signs without a primary contact when none is known', () =>
      given([draftedFromQuote]).when(sign()).then([{ type: E.ContractSigned, data: { ...drafted, accountName: 'Acme 科技', signedBy: 'rep-1', signedAt: at } }]));

    it('refuses an unknown account, and a contact the contract names that does not exist', () => {
      given([draftedFromQuote]).when(sign({})).thenThrows('unknown_account');
      given([draftedDirect(contactId)]).when(sign({ account })).thenThrows('unknown_contact');
    });

    it('signing twice is a no-op; signing a cancelled contract is refused', () => {
      const signed = contractDecider.decide(sign(), contractDecider.evolve(contractDecider.initialState(), draftedFromQuote));
      given([draftedFromQuote, ...signed]).when(sign()).thenNothingHappened();
      given([draftedFromQuote, cancelled]).when(sign()).thenThrows('contract_cancelled');
    });

    it('refuses an unknown contract', () => given([]).when(sign()).thenThrows('contract_not_found'));

    it('emits payloads that satisfy the published schemas', () => {
      const events = [draftedFromQuote, draftedDirect(contactId), ...contractDecider.decide(sign({ account, contact }), contractDecider.evolve(contractDecider.initialState(), draftedFromQuote)), cancelled];
      for (const e of events) expect(() => eventSchemas[e.type].data.parse(e.data)).not.toThrow();
    });
  });

  describe('CancelContract', () => {
    const cancel = (reason: string): ContractCommand => ({ type: 'CancelContract', data: { contractId, reason, now } });
    it('cancels a drafted or a signed contract with a reason', () => {
      given([draftedDirect()]).when(cancel('Customer withdrew')).then([cancelled]);
      const signed = contractDecider.decide(sign(), contractDecider.evolve(contractDecider.initialState(), draftedDirect()));
      given([draftedDirect(), ...signed]).when(cancel('Customer withdrew')).then([cancelled]);
    });
    it('is a no-op when already cancelled; needs a reason; refuses an unknown contract', () => {
      given([draftedDirect(), cancelled]).when(cancel('again')).thenNothingHappened();
      given([draftedDirect()]).when(cancel(' ')).thenThrows('invalid_contract');
      given([]).when(cancel('x')).thenThrows('contract_not_found');
    });
  });
});
