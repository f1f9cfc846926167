import { SalesDealEventType as E, type DiscountApprovalPolicy, type QuoteEvent, type QuoteLine, type QuoteTotals } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { approvalFor, mayDecide, type ApproverStep } from './approval-policy';
import { priceQuote } from './pricing';
import type { AcceptQuote, ApproveQuote, DraftQuote, QuoteCommand, RejectQuote, RejectQuoteApproval, ReviseQuote, SendQuote } from './quote.commands';
import { QuoteError } from './quote.errors';

/** Where the current version stands with the customer. */
export type QuoteStatus = 'draft' | 'sent' | 'accepted' | 'rejected';

/** Where the current version stands with the approver chain. */
export type ApprovalStatus = 'not_required' | 'pending' | 'approved' | 'rejected';

export type ApprovalRecord = { step: number; role: string; approverId: string; decision: 'granted' | 'rejected'; comment?: string; decidedAt: string };

export type QuoteApproval = {
  status: ApprovalStatus;
  steps: ApproverStep[];
  decisions: ApprovalRecord[];
  thresholdBps?: number;
  requestedBy?: string;
  requestedAt?: string;
  approvedAt?: string;
};

/** Only the current version is kept: a revision replaces lines, totals and approval. */
export type ExistingQuote = {
  status: QuoteStatus;
  quoteId: string;
  version: number;
  opportunityId: string;
  accountId: string;
  currency: string;
  lines: QuoteLine[];
  taxRateBps: number;
  totals: QuoteTotals;
  validUntil?: string;
  versionAt: string;
  approval: QuoteApproval;
  sentAt?: string;
  /** When the customer accepted or rejected the current version, with their note. */
  decidedAt?: string;
  customerNote?: string;
};

export type QuoteState = { status: 'none' } | ExistingQuote;

const MAX_LINES = 200;

const existing = (state: QuoteState, quoteId: string): ExistingQuote => {
  if (state.status === 'none') throw new QuoteError('quote_not_found', `quote ${quoteId} does not exist`);
  return state;
};

const today = (now: Date) => now.toISOString().slice(0, 10);

const refuseExpired = (q: ExistingQuote, now: Date, action: string) => {
  // ISO calendar dates compare correctly as strings; the quote is valid through validUntil.
  if (q.validUntil !== undefined && today(now) > q.validUntil) {
    throw new QuoteError('quote_expired', `quote ${q.quoteId} was valid until ${q.validUntil}; revise it before you ${action}`);
  }
};

/** Nothing takes effect before approval: a version waiting for (or refused by) its approvers cannot go out. */
const refuseUnapproved = (q: ExistingQuote, action: string) => {
  if (q.approval.status === 'pending') {
    throw new QuoteError('approval_pending', `quote ${q.quoteId} version ${q.version} is waiting for approval; it cannot be ${action}`);
  }
  if (q.approval.status === 'rejected') {
    throw new QuoteError('approval_rejected', `the discount of quote ${q.quoteId} version ${q.version} was rejected; revise it before it can be ${action}`);
  }
};

const normaliseLines = (lines: readonly QuoteLine[]): QuoteLine[] => {
  if (lines.length === 0 || lines.length > MAX_LINES) throw new QuoteError('invalid_quote', `a quote has 1 to ${MAX_LINES} lines, not ${lines.length}`);
  const ids = new Set(lines.map((l) => l.lineId));
  if (ids.size !== lines.length) throw new QuoteError('invalid_quote', 'line ids must be distinct within a quote');
  return lines.map((l) => ({
    lineId: l.lineId,
    productId: l.productId,
    ...(l.description !== undefined && { description: l.description }),
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    discountBps: l.discountBps ?? 0,
  }));
};

type VersionInput = {
  quoteId: string;
  version: number;
  opportunityId: string;
  accountId: string;
  currency: string;
  lines: readonly QuoteLine[];
  taxRateBps: number;
  validUntil?: string;
  policy: DiscountApprovalPolicy;
  requestedBy: string;
  now: Date;
};

/** A version event, followed by the approval request when a discount is above the tenant's threshold. */
const versionEvents = (type: typeof E.QuoteDrafted | typeof E.QuoteRevised, input: VersionInput): QuoteEvent[] => {
  const lines = normaliseLines(input.lines);
  const pricing = priceQuote(lines, input.taxRateBps);
  const approval = approvalFor(pricing, input.policy);
  const at = input.now.toISOString();
  const version: QuoteEvent = {
    type,
    data: {
      quoteId: input.quoteId,
      version: input.version,
      opportunityId: input.opportunityId,
      accountId: input.accountId,
      currency: input.currency,
      lines,
      taxRateBps: input.taxRateBps,
      totals: pricing.totals,
      ...(input.validUntil !== undefined && { validUntil: input.validUntil }),
      approvalRequired: approval.required,
      at,
    },
  };
  if (!approval.required) return [version];
  return [version, {
    type: E.QuoteApprovalRequested,
    data: {
      quoteId: input.quoteId,
      version: input.version,
      steps: approval.steps,
      effectiveDiscountBps: approval.effectiveDiscountBps,
      maxLineDiscountBps: approval.maxLineDiscountBps,
      thresholdBps: approval.thresholdBps,
      requestedBy: input.requestedBy,
      requestedAt: at,
    },
  }];
};

const draft = ({ data }: DraftQuote, state: QuoteState): QuoteEvent[] => {
  if (state.status !== 'none') throw new QuoteError('quote_already_exists', `quote ${data.quoteId} already exists`);
  return versionEvents(E.QuoteDrafted, { ...data, version: 1 });
};

const revise = ({ data }: ReviseQuote, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  if (q.status === 'accepted') throw new QuoteError('quote_already_decided', `quote ${q.quoteId} version ${q.version} was accepted; it can no longer be revised`);
  // The new version replaces the old one, so any approval still pending on the old one lapses with it.
  return versionEvents(E.QuoteRevised, {
    quoteId: q.quoteId,
    version: q.version + 1,
    opportunityId: q.opportunityId,
    accountId: q.accountId,
    currency: data.currency ?? q.currency,
    lines: data.lines,
    taxRateBps: data.taxRateBps ?? q.taxRateBps,
    validUntil: data.validUntil ?? q.validUntil,
    policy: data.policy,
    requestedBy: data.requestedBy,
    now: data.now,
  });
};

const currentStep = (q: ExistingQuote, approverId: string, roles: readonly string[]): { index: number; step: ApproverStep } => {
  if (q.approval.status !== 'pending') {
    throw new QuoteError('no_pending_approval', `quote ${q.quoteId} version ${q.version} has no approval waiting (${q.approval.status})`);
  }
  const index = q.approval.decisions.length;
  const step = q.approval.steps[index];
  if (!mayDecide(step, approverId, roles)) {
    const who = step.approverId !== undefined ? `approver ${step.approverId}` : `the role ${step.role}`;
    throw new QuoteError('not_an_approver', `step ${index + 1} of the approval of quote ${q.quoteId} is for ${who}`, { step: index, role: step.role });
  }
  return { index, step };
};

const approve = ({ data }: ApproveQuote, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  const { index, step } = currentStep(q, data.approverId, data.roles);
  const decidedAt = data.now.toISOString();
  const granted: QuoteEvent = {
    type: E.QuoteApprovalGranted,
    data: { quoteId: q.quoteId, version: q.version, step: index, role: step.role, approverId: data.approverId, ...(data.comment !== undefined && { comment: data.comment }), decidedAt },
  };
  if (index < q.approval.steps.length - 1) return [granted];
  return [granted, { type: E.QuoteApproved, data: { quoteId: q.quoteId, version: q.version, approvedAt: decidedAt } }];
};

const rejectApproval = ({ data }: RejectQuoteApproval, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  if (data.comment.trim() === '') throw new QuoteError('invalid_quote', 'a rejection needs a comment saying why');
  const { index, step } = currentStep(q, data.approverId, data.roles);
  return [{
    type: E.QuoteApprovalRejected,
    data: { quoteId: q.quoteId, version: q.version, step: index, role: step.role, approverId: data.approverId, comment: data.comment, decidedAt: data.now.toISOString() },
  }];
};

const statusData = (q: ExistingQuote, data: { by: string; note?: string; now: Date }) => ({
  quoteId: q.quoteId,
  version: q.version,
  by: data.by,
  ...(data.note !== undefined && { note: data.note }),
  at: data.now.toISOString(),
});

const send = ({ data }: SendQuote, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  if (q.status === 'sent') return [];
  if (q.status !== 'draft') throw new QuoteError('quote_already_decided', `the customer already ${q.status} quote ${q.quoteId} version ${q.version}`);
  refuseUnapproved(q, 'sent');
  refuseExpired(q, data.now, 'send it');
  return [{ type: E.QuoteSent, data: statusData(q, data) }];
};

const accept = ({ data }: AcceptQuote, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  if (q.status === 'accepted') return [];
  refuseUnapproved(q, 'accepted');
  if (q.status === 'rejected') throw new QuoteError('quote_already_decided', `the customer already rejected quote ${q.quoteId} version ${q.version}`);
  if (q.status !== 'sent') throw new QuoteError('quote_not_sent', `quote ${q.quoteId} version ${q.version} has not been sent to the customer`);
  refuseExpired(q, data.now, 'accept it');
  return [{ type: E.QuoteAccepted, data: statusData(q, data) }];
};

const reject = ({ data }: RejectQuote, state: QuoteState): QuoteEvent[] => {
  const q = existing(state, data.quoteId);
  if (q.status === 'rejected') return [];
  if (q.status === 'accepted') throw new QuoteError('quote_already_decided', `the customer already accepted quote ${q.quoteId} version ${q.version}`);
  if (q.status !== 'sent') throw new QuoteError('quote_not_sent', `quote ${q.quoteId} version ${q.version} has not been sent to the customer`);
  return [{ type: E.QuoteRejected, data: statusData(q, data) }];
};

const evolve = (state: QuoteState, event: QuoteEvent): QuoteState => {
  if (event.type === E.QuoteDrafted || event.type === E.QuoteRevised) {
    const { quoteId, version, opportunityId, accountId, currency, lines, taxRateBps, totals, validUntil, approvalRequired, at } = event.data;
    return {
      status: 'draft', quoteId, version, opportunityId, accountId, currency, lines, taxRateBps, totals,
      ...(validUntil !== undefined && { validUntil }),
      versionAt: at,
      approval: { status: approvalRequired ? 'pending' : 'not_required', steps: [], decisions: [] },
    };
  }
  if (state.status === 'none' || event.data.version !== state.version) return state;
  switch (event.type) {
    case E.QuoteApprovalRequested: {
      const { steps, thresholdBps, requestedBy, requestedAt } = event.data;
      return { ...state, approval: { ...state.approval, steps, thresholdBps, ...(requestedBy !== undefined && { requestedBy }), requestedAt } };
    }
    case E.QuoteApprovalGranted:
    case E.QuoteApprovalRejected: {
      const { step, role, approverId, comment, decidedAt } = event.data;
      const granted = event.type === E.QuoteApprovalGranted;
      const record: ApprovalRecord = { step, role, approverId, decision: granted ? 'granted' : 'rejected', ...(comment !== undefined && { comment }), decidedAt };
      return { ...state, approval: { ...state.approval, status: granted ? state.approval.status : 'rejected', decisions: [...state.approval.decisions, record] } };
    }
    case E.QuoteApproved:
      return { ...state, approval: { ...state.approval, status: 'approved', approvedAt: event.data.approvedAt } };
    case E.QuoteSent:
      return { ...state, status: 'sent', sentAt: event.data.at };
    case E.QuoteAccepted:
    case E.QuoteRejected:
      return {
        ...state,
        status: event.type === E.QuoteAccepted ? 'accepted' : 'rejected',
        decidedAt: event.data.at,
        ...(event.data.note !== undefined && { customerNote: event.data.note }),
      };
    default:
      return state;
  }
};

export const quoteDecider: Decider<QuoteCommand, QuoteEvent, QuoteState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'DraftQuote':
        return draft(command, state);
      case 'ReviseQuote':
        return revise(command, state);
      case 'ApproveQuote':
        return approve(command, state);
      case 'RejectQuoteApproval':
        return rejectApproval(command, state);
      case 'SendQuote':
        return send(command, state);
      case 'AcceptQuote':
        return accept(command, state);
      case 'RejectQuote':
        return reject(command, state);
    }
  },
};
