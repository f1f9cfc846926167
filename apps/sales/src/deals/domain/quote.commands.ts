import type { DiscountApprovalPolicy, QuoteLine } from '@crm/contracts';

/** The tenant's approval policy travels on the command (read from the sales settings by the service). */
export type DraftQuote = {
  type: 'DraftQuote';
  data: {
    quoteId: string;
    opportunityId: string;
    accountId: string;
    currency: string;
    lines: QuoteLine[];
    taxRateBps: number;
    validUntil?: string;
    policy: DiscountApprovalPolicy;
    requestedBy: string;
    now: Date;
  };
};

/** The next version: new lines; currency, tax rate and validity default to the current version's. */
export type ReviseQuote = {
  type: 'ReviseQuote';
  data: {
    quoteId: string;
    lines: QuoteLine[];
    currency?: string;
    taxRateBps?: number;
    validUntil?: string;
    policy: DiscountApprovalPolicy;
    requestedBy: string;
    now: Date;
  };
};

/** An approver's decision on the current step; `roles` are the actor's (x-actor-roles). */
export type ApproveQuote = { type: 'ApproveQuote'; data: { quoteId: string; approverId: string; roles: string[]; comment?: string; now: Date } };

export type RejectQuoteApproval = { type: 'RejectQuoteApproval'; data: { quoteId: string; approverId: string; roles: string[]; comment: string; now: Date } };

export type SendQuote = { type: 'SendQuote'; data: { quoteId: string; by: string; note?: string; now: Date } };

/** The customer's decisions on the sent version. */
export type AcceptQuote = { type: 'AcceptQuote'; data: { quoteId: string; by: string; note?: string; now: Date } };

export type RejectQuote = { type: 'RejectQuote'; data: { quoteId: string; by: string; note?: string; now: Date } };

export type QuoteCommand = DraftQuote | ReviseQuote | ApproveQuote | RejectQuoteApproval | SendQuote | AcceptQuote | RejectQuote;
