import { priceQuote } from '../domain/pricing';
import type { ExistingQuote } from '../domain/quote.decider';
import type { QuoteCommandResponse, QuoteResponse } from './quote.dto';

export const quoteSummary = (q: ExistingQuote, revision: number): QuoteCommandResponse => ({
  id: q.quoteId,
  version: q.version,
  status: q.status,
  approval: q.approval.status,
  revision,
});

/** The quote served by GET /v1/quotes/{id}: the current version, its line amounts and where its approval stands. */
export const quoteView = (q: ExistingQuote, revision: number): QuoteResponse => {
  const priced = priceQuote(q.lines, q.taxRateBps).lines;
  const { approval } = q;
  return {
    ...quoteSummary(q, revision),
    opportunityId: q.opportunityId,
    accountId: q.accountId,
    currency: q.currency,
    lines: q.lines.map((l, i) => ({ ...l, grossMinor: priced[i].grossMinor, discountMinor: priced[i].discountMinor, netMinor: priced[i].netMinor })),
    taxRateBps: q.taxRateBps,
    totals: q.totals,
    ...(q.validUntil !== undefined && { validUntil: q.validUntil }),
    versionAt: q.versionAt,
    ...(q.sentAt !== undefined && { sentAt: q.sentAt }),
    ...(q.decidedAt !== undefined && { decidedAt: q.decidedAt }),
    ...(q.customerNote !== undefined && { customerNote: q.customerNote }),
    approvalDetail: {
      required: approval.status !== 'not_required',
      ...(approval.thresholdBps !== undefined && { thresholdBps: approval.thresholdBps }),
      ...(approval.requestedBy !== undefined && { requestedBy: approval.requestedBy }),
      ...(approval.requestedAt !== undefined && { requestedAt: approval.requestedAt }),
      ...(approval.approvedAt !== undefined && { approvedAt: approval.approvedAt }),
      currentStep: approval.status === 'pending' ? approval.decisions.length : null,
      steps: approval.steps.map((s, step) => {
        const d = approval.decisions.find((r) => r.step === step);
        return {
          step,
          role: s.role,
          ...(s.approverId !== undefined && { approverId: s.approverId }),
          ...(d && { decision: { decision: d.decision, approverId: d.approverId, ...(d.comment !== undefined && { comment: d.comment }), decidedAt: d.decidedAt } }),
        };
      }),
    },
  };
};
