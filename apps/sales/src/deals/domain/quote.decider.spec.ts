import { DEFAULT_DISCOUNT_APPROVAL, eventSchemas, SalesDealEventType as E, type DiscountApprovalPolicy, type QuoteEvent, type QuoteLine } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import type { QuoteCommand } from './quote.commands';
import { quoteDecider, type ExistingQuote, type QuoteState } from './quote.decider';

const given = DeciderSpecification.for(quoteDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const quoteId = '0190cccc-0000-7000-8000-000000000001';
const opportunityId = '0190dddd-0000-7000-8000-000000000001';
const accountId = '0190eeee-0000-7000-8000-000000000001';
/** Threshold 15 %; a sales manager for every quote, a director too from 1 000 000.00 CNY. */
const policy: DiscountApprovalPolicy = DEFAULT_DISCOUNT_APPROVAL;

const lineOf = (discountBps: number, unitPriceMinor = 100_000, quantity = 1, lineId = '1'): QuoteLine => ({ lineId, productId: 'crm-seat', quantity, unitPriceMinor, discountBps });

const draft = (lines: QuoteLine[], over: { policy?: DiscountApprovalPolicy; validUntil?: string; taxRateBps?: number } = {}): QuoteCommand => ({
  type: 'DraftQuote',
  data: { quoteId, opportunityId, accountId, currency: 'CNY', lines, taxRateBps: over.taxRateBps ?? 0, ...(over.validUntil && { validUntil: over.validUntil }), policy: over.policy ?? policy, requestedBy: 'rep-1', now },
});

/** The events a draft of these lines produces (taken from the decider, checked once in the DraftQuote specs). */
const drafted = (lines: QuoteLine[], over: Parameters<typeof draft>[1] = {}): QuoteEvent[] => quoteDecider.decide(draft(lines, over), { status: 'none' });

const plain = drafted([lineOf(1000)]); // 10 %: no approval
const discounted = drafted([lineOf(2000)]); // 20 %: manager
const big = drafted([lineOf(2000, 200_000_000)]); // 20 % of 2 000 000.00: manager then director

const decision = (type: typeof E.QuoteApprovalGranted | typeof E.QuoteApprovalRejected, step: number, role: string, approverId: string, comment?: string, version = 1): QuoteEvent => ({
  type,
  data: { quoteId, version, step, role, approverId, ...(comment !== undefined && { comment }), decidedAt: at },
});
const approved = (version = 1): QuoteEvent => ({ type: E.QuoteApproved, data: { quoteId, version, approvedAt: at } });
const status = (type: typeof E.QuoteSent | typeof E.QuoteAccepted | typeof E.QuoteRejected, by: string, note?: string, version = 1): QuoteEvent => ({
  type,
  data: { quoteId, version, by, ...(note !== undefined && { note }), at },
});
const sent = status(E.QuoteSent, 'rep-1');
const managerApproved = [decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1'), approved()];

const approve = (approverId: string, roles: string[], comment?: string): QuoteCommand => ({ type: 'ApproveQuote', data: { quoteId, approverId, roles, ...(comment !== undefined && { comment }), now } });
const rejectApproval = (approverId: string, roles: string[], comment: string): QuoteCommand => ({ type: 'RejectQuoteApproval', data: { quoteId, approverId, roles, comment, now } });
const send = (when = now): QuoteCommand => ({ type: 'SendQuote', data: { quoteId, by: 'rep-1', now: when } });
const accept = (note?: string, when = now): QuoteCommand => ({ type: 'AcceptQuote', data: { quoteId, by: 'customer', ...(note !== undefined && { note }), now: when } });
const reject = (note?: string): QuoteCommand => ({ type: 'RejectQuote', data: { quoteId, by: 'customer', ...(note !== undefined && { note }), now } });
const revise = (lines: QuoteLine[], over: Partial<{ currency: string; taxRateBps: number; validUntil: string }> = {}): QuoteCommand => ({
  type: 'ReviseQuote',
  data: { quoteId, lines, ...over, policy, requestedBy: 'rep-1', now },
});
const quote = (check: (q: ExistingQuote) => void) => (s: QuoteState) => {
  expect(s.status).not.toBe('none');
  check(s as ExistingQuote);
};

describe('Quote decider', () => {
  describe('DraftQuote', () => {
    it('drafts version 1 with lines, tax and totals; a discount within the threshold needs no approval', () =>
      given([]).when(draft([lineOf(1000, 10_000, 3), { ...lineOf(0, 5_000, 1, '2'), description: 'Onboarding' }], { taxRateBps: 1300, validUntil: '2026-12-31' })).then([{
        type: E.QuoteDrafted,
        data: {
          quoteId, version: 1, opportunityId, accountId, currency: 'CNY',
          lines: [lineOf(1000, 10_000, 3), { lineId: '2', productId: 'crm-seat', description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000, discountBps: 0 }],
          taxRateBps: 1300,
          totals: { subtotalMinor: 35_000, discountMinor: 3_000, netMinor: 32_000, taxMinor: 4_160, totalMinor: 36_160, effectiveDiscountBps: 857 },
          validUntil: '2026-12-31',
          approvalRequired: false,
          at,
        },
      }]));

    it('does not require approval for a discount exactly at the threshold (15 %)', () =>
      given([]).when(draft([lineOf(1500)])).thenState(quote((q) => expect([q.approval.status, q.totals.effectiveDiscountBps]).toEqual(['not_required', 1500]))));

    it('requires approval above the threshold and asks the chain steps that apply to the total', () =>
      given([]).when(draft([lineOf(1501)])).then([
        { type: E.QuoteDrafted, data: { ...(drafted([lineOf(1501)])[0].data as object), approvalRequired: true } } as QuoteEvent,
        {
          type: E.QuoteApprovalRequested,
          data: { quoteId, version: 1, steps: [{ role: 'sales_manager' }], effectiveDiscountBps: 1501, maxLineDiscountBps: 1501, thresholdBps: 1500, requestedBy: 'rep-1', requestedAt: at },
        },
      ]));

    it('requires approval when one line is above the threshold even if the overall discount is not', () => {
      const [version, request] = drafted([lineOf(3000, 10_000), lineOf(0, 90_000, 1, '2')]);
      expect(version.data).toMatchObject({ approvalRequired: true, totals: { effectiveDiscountBps: 300 } });
      expect(request.data).toMatchObject({ maxLineDiscountBps: 3000, effectiveDiscountBps: 300 });
    });

    it('builds the chain by amount: the director’s step applies from its minimum total, in policy order', () => {
      expect(big[1].data).toMatchObject({ steps: [{ role: 'sales_manager' }, { role: 'sales_director' }] });
      // 1 250 000.00 at 20 % off is exactly the director's minimum (1 000 000.00): it applies.
      expect(drafted([lineOf(2000, 125_000_000)])[1].data).toMatchObject({ steps: [{ role: 'sales_manager' }, { role: 'sales_director' }] });
      expect(drafted([lineOf(2000, 124_999_999)])[1].data).toMatchObject({ steps: [{ role: 'sales_manager' }] });
    });

    it('keeps named approvers, and falls back to the first step when the total reaches none', () => {
      const named: DiscountApprovalPolicy = { thresholdBps: 0, chain: [{ role: 'cfo', approverId: 'u-cfo', minTotalMinor: 1_000 }] };
      expect(drafted([lineOf(100, 100)], { policy: named })[1].data).toMatchObject({ steps: [{ role: 'cfo', approverId: 'u-cfo' }] });
    });

    it('refuses duplicate line ids, a second draft of the same quote and totals beyond safe integers', () => {
      given([]).when(draft([lineOf(0), lineOf(0)])).thenThrows('invalid_quote');
      given(plain).when(draft([lineOf(0)])).thenThrows('quote_already_exists');
      given([]).when(draft([lineOf(0, Number.MAX_SAFE_INTEGER, 2)])).thenThrows('amount_too_large');
    });

    it('emits payloads that satisfy the published schemas', () => {
      for (const e of [...big, ...plain]) expect(() => eventSchemas[e.type].data.parse(e.data)).not.toThrow();
    });
  });

  describe('ApproveQuote', () => {
    it('lets a sales manager approve the only step: granted with the comment, then approved', () =>
      given(discounted).when(approve('mgr-1', ['sales_manager'], 'Strategic account')).then([
        decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1', 'Strategic account'),
        approved(),
      ]));

    it('goes through the chain in order: manager first, then director', () => {
      given(big).when(approve('mgr-1', ['sales_manager'])).then([decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1')]);
      given(big).when(approve('dir-1', ['sales_director'])).thenThrows('not_an_approver');
      given([...big, decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1')]).when(approve('dir-1', ['sales_director'])).then([
        decision(E.QuoteApprovalGranted, 1, 'sales_director', 'dir-1'),
        approved(),
      ]);
    });

    it('refuses an actor without the step’s role', () =>
      given(discounted).when(approve('rep-2', ['sales_rep'])).thenThrows('not_an_approver', (e) => expect(e.details).toEqual({ step: 0, role: 'sales_manager' })));

    it('lets only the named approver decide a step that names one', () => {
      const named = drafted([lineOf(2000)], { policy: { thresholdBps: 1500, chain: [{ role: 'sales_manager', approverId: 'mgr-7', minTotalMinor: 0 }] } });
      given(named).when(approve('mgr-1', ['sales_manager'])).thenThrows('not_an_approver');
      given(named).when(approve('mgr-7', [])).then([decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-7'), approved()]);
    });

    it('refuses when nothing waits for approval: not required, already approved or rejected', () => {
      given(plain).when(approve('mgr-1', ['sales_manager'])).thenThrows('no_pending_approval');
      given([...discounted, ...managerApproved]).when(approve('mgr-1', ['sales_manager'])).thenThrows('no_pending_approval');
      given([...discounted, decision(E.QuoteApprovalRejected, 0, 'sales_manager', 'mgr-1', 'Too deep')]).when(approve('mgr-1', ['sales_manager'])).thenThrows('no_pending_approval');
    });

    it('refuses an unknown quote', () => given([]).when(approve('mgr-1', ['sales_manager'])).thenThrows('quote_not_found'));
  });

  describe('RejectQuoteApproval', () => {
    it('records the rejection with its comment; the version can no longer be sent', () => {
      const rejected = decision(E.QuoteApprovalRejected, 0, 'sales_manager', 'mgr-1', 'Max 15 % for this segment');
      given(discounted).when(rejectApproval('mgr-1', ['sales_manager'], 'Max 15 % for this segment')).then([rejected]);
      given([...discounted, rejected]).when(send()).thenThrows('approval_rejected');
    });

    it('requires a comment and the step’s role', () => {
      given(discounted).when(rejectApproval('mgr-1', ['sales_manager'], '  ')).thenThrows('invalid_quote');
      given(discounted).when(rejectApproval('rep-1', ['sales_rep'], 'No')).thenThrows('not_an_approver');
    });
  });

  describe('ReviseQuote', () => {
    it('drafts the next version with the quote’s opportunity, account, currency and tax rate', () =>
      given([...plain, sent]).when(revise([lineOf(500, 90_000)])).thenState(quote((q) => {
        expect(q).toMatchObject({ version: 2, status: 'draft', opportunityId, accountId, currency: 'CNY', taxRateBps: 0, approval: { status: 'not_required' } });
        expect(q.totals.totalMinor).toBe(85_500);
      })));

    it('lets a pending approval of the older version lapse', () => {
      given(big).when(revise([lineOf(1000)])).thenState(quote((q) => expect(q.approval).toEqual({ status: 'not_required', steps: [], decisions: [] })));
      // A decision that still names version 1 changes nothing on version 2.
      const revised = quoteDecider.decide(revise([lineOf(2000)]), [...big].reduce(quoteDecider.evolve, quoteDecider.initialState()));
      given([...big, ...revised, decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1')]).when(send()).thenThrows('approval_pending');
      given([...big, ...revised]).when(approve('mgr-1', ['sales_manager'])).then([decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1', undefined, 2), approved(2)]);
    });

    it('asks for approval again when the new version is above the threshold', () =>
      given([...plain, sent]).when(revise([lineOf(2500)], { taxRateBps: 600, validUntil: '2026-12-31' })).then([
        {
          type: E.QuoteRevised,
          data: {
            quoteId, version: 2, opportunityId, accountId, currency: 'CNY', lines: [lineOf(2500)], taxRateBps: 600,
            totals: { subtotalMinor: 100_000, discountMinor: 25_000, netMinor: 75_000, taxMinor: 4_500, totalMinor: 79_500, effectiveDiscountBps: 2500 },
            validUntil: '2026-12-31', approvalRequired: true, at,
          },
        },
        {
          type: E.QuoteApprovalRequested,
          data: { quoteId, version: 2, steps: [{ role: 'sales_manager' }], effectiveDiscountBps: 2500, maxLineDiscountBps: 2500, thresholdBps: 1500, requestedBy: 'rep-1', requestedAt: at },
        },
      ]));

    it('is allowed after the customer rejected, refused after they accepted', () => {
      given([...plain, sent, status(E.QuoteRejected, 'customer')]).when(revise([lineOf(0)])).thenState(quote((q) => expect([q.version, q.status]).toEqual([2, 'draft'])));
      given([...plain, sent, status(E.QuoteAccepted, 'customer')]).when(revise([lineOf(0)])).thenThrows('quote_already_decided');
    });

    it('refuses an unknown quote', () => given([]).when(revise([lineOf(0)])).thenThrows('quote_not_found'));
  });

  describe('SendQuote', () => {
    it('sends a version that needs no approval', () => given(plain).when(send()).then([sent]));
    it('refuses to send before approval, sends after', () => {
      given(discounted).when(send()).thenThrows('approval_pending');
      given([...big, decision(E.QuoteApprovalGranted, 0, 'sales_manager', 'mgr-1')]).when(send()).thenThrows('approval_pending');
      given([...discounted, ...managerApproved]).when(send()).then([sent]);
    });
    it('is a no-op when already sent', () => given([...plain, sent]).when(send()).thenNothingHappened());
    it('refuses an expired quote (valid through validUntil)', () => {
      const expiring = drafted([lineOf(0)], { validUntil: '2026-11-02' });
      given(expiring).when(send(new Date('2026-11-02T23:59:59Z'))).then([{ ...sent, data: { ...sent.data, at: '2026-11-02T23:59:59.000Z' } } as QuoteEvent]);
      given(expiring).when(send(new Date('2026-11-03T00:00:00Z'))).thenThrows('quote_expired');
    });
    it('refuses a version the customer already decided', () => given([...plain, sent, status(E.QuoteAccepted, 'customer')]).when(send()).thenThrows('quote_already_decided'));
  });

  describe('AcceptQuote / RejectQuote (the customer)', () => {
    it('accepts a sent version', () => given([...plain, sent]).when(accept('Signed PO to follow')).then([status(E.QuoteAccepted, 'customer', 'Signed PO to follow')]));
    it('rejects a sent version', () => given([...plain, sent]).when(reject('Too expensive')).then([status(E.QuoteRejected, 'customer', 'Too expensive')]));
    it('refuses a version that was not sent; one waiting for approval is refused as such', () => {
      given(plain).when(accept()).thenThrows('quote_not_sent');
      given(plain).when(reject()).thenThrows('quote_not_sent');
      given(discounted).when(accept()).thenThrows('approval_pending');
    });
    it('repeating the same decision is a no-op; the opposite one is refused', () => {
      given([...plain, sent, status(E.QuoteAccepted, 'customer')]).when(accept()).thenNothingHappened();
      given([...plain, sent, status(E.QuoteRejected, 'customer')]).when(reject()).thenNothingHappened();
      given([...plain, sent, status(E.QuoteAccepted, 'customer')]).when(reject()).thenThrows('quote_already_decided');
      given([...plain, sent, status(E.QuoteRejected, 'customer')]).when(accept()).thenThrows('quote_already_decided');
    });
    it('refuses to accept after validUntil', () =>
      given([...drafted([lineOf(0)], { validUntil: '2026-11-02' }), sent]).when(accept(undefined, new Date('2026-11-03T08:00:00Z'))).thenThrows('quote_expired'));
    it('refuses an unknown quote', () => given([]).when(accept()).thenThrows('quote_not_found'));
  });
});
