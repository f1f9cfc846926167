import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const uuid = (what: string) => z.uuid({ message: `${what} ids are UUIDs` });
const calendarDate = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as CNY');
/** Integer minor units (fen for CNY): 12.50 CNY is 1250. Decimals are refused, never rounded. */
const minorUnits = z.number().int('money is integer minor units').min(0).max(Number.MAX_SAFE_INTEGER);
const bps = z.number().int('basis points are integers (1500 = 15 %)').min(0).max(10_000);

export const QuoteLineBody = z
  .object({
    /** Defaults to the line's position (1, 2, …); distinct within a quote. */
    lineId: text(50).optional(),
    productId: text(100),
    description: text(500).optional(),
    quantity: z.number().int('quantities are whole numbers').min(1).max(1_000_000),
    unitPriceMinor: minorUnits,
    discountBps: bps.default(0),
  })
  .strict();
export type QuoteLineBody = z.infer<typeof QuoteLineBody>;

const lines = z.array(QuoteLineBody).min(1).max(200);

export const DraftQuoteBody = z
  .object({
    opportunityId: uuid('opportunity'),
    accountId: uuid('account'),
    /** Default: the tenant's currency (sales settings). */
    currency: currency.optional(),
    lines,
    /** Default: the tenant's tax rate (sales settings). */
    taxRateBps: bps.optional(),
    validUntil: calendarDate.optional(),
  })
  .strict();
export type DraftQuoteBody = z.infer<typeof DraftQuoteBody>;

/** A new version: new lines; currency, tax rate and validity stay as they were unless given. */
export const ReviseQuoteBody = z.object({ lines, currency: currency.optional(), taxRateBps: bps.optional(), validUntil: calendarDate.optional() }).strict();
export type ReviseQuoteBody = z.infer<typeof ReviseQuoteBody>;

export const ApproveQuoteBody = z.object({ comment: text(2000).optional() }).strict();
export type ApproveQuoteBody = z.infer<typeof ApproveQuoteBody>;

export const RejectApprovalBody = z.object({ comment: text(2000) }).strict();
export type RejectApprovalBody = z.infer<typeof RejectApprovalBody>;

/** Sending, and the customer's acceptance or rejection, with an optional note. */
export const QuoteStatusBody = z.object({ note: text(2000).optional() }).strict();
export type QuoteStatusBody = z.infer<typeof QuoteStatusBody>;

export const QuoteIdParam = uuid('quote');

const status = z.enum(['draft', 'sent', 'accepted', 'rejected']);
const approvalStatus = z.enum(['not_required', 'pending', 'approved', 'rejected']);

export const QuoteCommandResponse = z.object({ id: z.string(), version: z.number().int(), status, approval: approvalStatus, revision: z.number().int() });
export type QuoteCommandResponse = z.infer<typeof QuoteCommandResponse>;

const decision = z.object({
  decision: z.enum(['granted', 'rejected']),
  approverId: z.string(),
  comment: z.string().optional(),
  decidedAt: z.string(),
});

export const QuoteResponse = QuoteCommandResponse.extend({
  opportunityId: z.string(),
  accountId: z.string(),
  currency: z.string(),
  lines: z.array(QuoteLineBody.extend({ lineId: z.string(), grossMinor: z.number().int(), discountMinor: z.number().int(), netMinor: z.number().int() })),
  taxRateBps: z.number().int(),
  totals: z.object({
    subtotalMinor: z.number().int(),
    discountMinor: z.number().int(),
    netMinor: z.number().int(),
    taxMinor: z.number().int(),
    totalMinor: z.number().int(),
    effectiveDiscountBps: z.number().int(),
  }),
  validUntil: z.string().optional(),
  versionAt: z.string(),
  sentAt: z.string().optional(),
  /** When the customer accepted or rejected this version, with their note. */
  decidedAt: z.string().optional(),
  customerNote: z.string().optional(),
  approvalDetail: z.object({
    required: z.boolean(),
    thresholdBps: z.number().int().optional(),
    requestedBy: z.string().optional(),
    requestedAt: z.string().optional(),
    approvedAt: z.string().optional(),
    /** Index of the step waiting for a decision; null when none is. */
    currentStep: z.number().int().nullable(),
    steps: z.array(z.object({ step: z.number().int(), role: z.string(), approverId: z.string().optional(), decision: decision.optional() })),
  }),
});
export type QuoteResponse = z.infer<typeof QuoteResponse>;
