import { z } from 'zod';
import { CalendarDate, CurrencyCode, Money } from './money';

/**
 * Quotes with discount approvals (`quote-<id>`) and contracts/orders (`contract-<id>`) —
 * DOMAIN.md §2. All money is integer minor units; discounts and tax rates are basis points.
 */

const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const QuoteLine = z.object({
  lineId: z.string().min(1).max(50),
  productId: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  quantity: z.number().int().min(1).max(1_000_000),
  unitPriceMinor: MinorUnits,
  /** Line discount, basis points (1000 = 10 %). */
  discountBps: z.number().int().min(0).max(10_000).default(0),
});
export type QuoteLine = z.infer<typeof QuoteLine>;

/** Totals as computed by the sales domain (rounding: half away from zero per line, then summed). */
export const QuoteTotals = z.object({
  subtotalMinor: MinorUnits,
  discountMinor: MinorUnits,
  netMinor: MinorUnits,
  taxMinor: MinorUnits,
  totalMinor: MinorUnits,
  /** Overall discount of the quote, basis points of the subtotal (what the approval threshold compares). */
  effectiveDiscountBps: z.number().int().min(0).max(10_000),
});
export type QuoteTotals = z.infer<typeof QuoteTotals>;

/** A version of a quote: the first draft is version 1, each revision the next. */
export const QuoteVersionData = z.object({
  quoteId: z.string(),
  version: z.number().int().min(1),
  opportunityId: z.string(),
  accountId: z.string(),
  currency: CurrencyCode,
  lines: z.array(QuoteLine).min(1).max(200),
  taxRateBps: z.number().int().min(0).max(10_000),
  totals: QuoteTotals,
  validUntil: CalendarDate.optional(),
  /** True when a discount is above the tenant's threshold: it cannot be sent before approval. */
  approvalRequired: z.boolean(),
  at: z.iso.datetime(),
});
export type QuoteVersionData = z.infer<typeof QuoteVersionData>;

export const QuoteApprovalRequestedData = z.object({
  quoteId: z.string(),
  version: z.number().int().min(1),
  /** The chain to go through, in order (from the tenant's policy and the quote's total). */
  steps: z.array(z.object({ role: z.string(), approverId: z.string().optional() })).min(1),
  effectiveDiscountBps: z.number().int(),
  maxLineDiscountBps: z.number().int(),
  thresholdBps: z.number().int(),
  requestedBy: z.string().optional(),
  requestedAt: z.iso.datetime(),
});
export type QuoteApprovalRequestedData = z.infer<typeof QuoteApprovalRequestedData>;

export const QuoteApprovalDecisionData = z.object({
  quoteId: z.string(),
  version: z.number().int().min(1),
  /** Index of the step decided (0-based). */
  step: z.number().int().min(0),
  role: z.string(),
  approverId: z.string(),
  comment: z.string().max(2000).optional(),
  decidedAt: z.iso.datetime(),
});
export type QuoteApprovalDecisionData = z.infer<typeof QuoteApprovalDecisionData>;

/** Every step approved: the version may now be sent. */
export const QuoteApprovedData = z.object({ quoteId: z.string(), version: z.number().int().min(1), approvedAt: z.iso.datetime() });
export type QuoteApprovedData = z.infer<typeof QuoteApprovedData>;

export const QuoteStatusData = z.object({
  quoteId: z.string(),
  version: z.number().int().min(1),
  by: z.string().optional(),
  note: z.string().max(2000).optional(),
  at: z.iso.datetime(),
});
export type QuoteStatusData = z.infer<typeof QuoteStatusData>;

export const Installment = z.object({
  sequence: z.number().int().min(1),
  dueDate: CalendarDate,
  amountMinor: MinorUnits,
});
export type Installment = z.infer<typeof Installment>;

export const ContractLine = z.object({
  productId: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  quantity: z.number().int().min(1),
  /** Net of discount, before tax. */
  netMinor: MinorUnits,
});
export type ContractLine = z.infer<typeof ContractLine>;

export const ContractDraftedData = z.object({
  contractId: z.string(),
  /** Human-facing number, unique per tenant (e.g. `C-2026-000042`). */
  contractNumber: z.string().min(1).max(50),
  accountId: z.string(),
  opportunityId: z.string().optional(),
  quoteId: z.string().optional(),
  quoteVersion: z.number().int().optional(),
  /** The customer's contact for the contract (the primary contact on signing); else the opportunity's. */
  contactId: z.string().optional(),
  ownerId: z.string(),
  total: Money,
  taxMinor: MinorUnits,
  lines: z.array(ContractLine).min(1),
  /** The payment plan: sums exactly to `total.amountMinor`. */
  installments: z.array(Installment).min(1).max(120),
  startDate: CalendarDate,
  endDate: CalendarDate.optional(),
  draftedAt: z.iso.datetime(),
});
export type ContractDraftedData = z.infer<typeof ContractDraftedData>;

/**
 * A contract was signed: everything billing needs for the payment plan and service needs for
 * onboarding, so neither has to call sales back.
 */
export const ContractSignedData = ContractDraftedData.omit({ draftedAt: true }).extend({
  accountName: z.string(),
  primaryContact: z.object({
    contactId: z.string(),
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }).optional(),
  signedBy: z.string().optional(),
  customerSignatory: z.string().max(200).optional(),
  signedAt: z.iso.datetime(),
});
export type ContractSignedData = z.infer<typeof ContractSignedData>;

export const ContractCancelledData = z.object({ contractId: z.string(), reason: z.string().min(1).max(500), cancelledAt: z.iso.datetime() });
export type ContractCancelledData = z.infer<typeof ContractCancelledData>;

/**
 * A contract number was taken from a tenant's yearly sequence (`contractnumbers-<tenantId>-<year>`).
 * Internal to sales: it makes numbers unique per tenant under concurrent drafting.
 */
export const ContractNumberAllocatedData = z.object({
  contractId: z.string(),
  contractNumber: z.string().min(1).max(50),
  year: z.number().int().min(1970).max(9999),
  sequence: z.number().int().min(1),
  allocatedAt: z.iso.datetime(),
});
export type ContractNumberAllocatedData = z.infer<typeof ContractNumberAllocatedData>;

export const SalesDealEventType = {
  QuoteDrafted: 'sales.QuoteDrafted',
  QuoteRevised: 'sales.QuoteRevised',
  QuoteApprovalRequested: 'sales.QuoteApprovalRequested',
  QuoteApprovalGranted: 'sales.QuoteApprovalGranted',
  QuoteApprovalRejected: 'sales.QuoteApprovalRejected',
  QuoteApproved: 'sales.QuoteApproved',
  QuoteSent: 'sales.QuoteSent',
  QuoteAccepted: 'sales.QuoteAccepted',
  QuoteRejected: 'sales.QuoteRejected',
  ContractDrafted: 'sales.ContractDrafted',
  ContractSigned: 'sales.ContractSigned',
  ContractCancelled: 'sales.ContractCancelled',
  ContractNumberAllocated: 'sales.ContractNumberAllocated',
} as const;

export type QuoteEvent =
  | { type: typeof SalesDealEventType.QuoteDrafted; data: QuoteVersionData }
  | { type: typeof SalesDealEventType.QuoteRevised; data: QuoteVersionData }
  | { type: typeof SalesDealEventType.QuoteApprovalRequested; data: QuoteApprovalRequestedData }
  | { type: typeof SalesDealEventType.QuoteApprovalGranted; data: QuoteApprovalDecisionData }
  | { type: typeof SalesDealEventType.QuoteApprovalRejected; data: QuoteApprovalDecisionData }
  | { type: typeof SalesDealEventType.QuoteApproved; data: QuoteApprovedData }
  | { type: typeof SalesDealEventType.QuoteSent; data: QuoteStatusData }
  | { type: typeof SalesDealEventType.QuoteAccepted; data: QuoteStatusData }
  | { type: typeof SalesDealEventType.QuoteRejected; data: QuoteStatusData };

export type ContractEvent =
  | { type: typeof SalesDealEventType.ContractDrafted; data: ContractDraftedData }
  | { type: typeof SalesDealEventType.ContractSigned; data: ContractSignedData }
  | { type: typeof SalesDealEventType.ContractCancelled; data: ContractCancelledData };

export type ContractNumberEvent = { type: typeof SalesDealEventType.ContractNumberAllocated; data: ContractNumberAllocatedData };

export const quoteStream = (quoteId: string): string => `quote-${quoteId}`;
export const contractStream = (contractId: string): string => `contract-${contractId}`;
export const contractNumberStream = (tenantId: string, year: number): string => `contractnumbers-${tenantId}-${year}`;
