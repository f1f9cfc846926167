import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const uuid = (what: string) => z.uuid({ message: `${what} ids are UUIDs` });
const calendarDate = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as CNY');
/** Integer minor units (fen for CNY): 12.50 CNY is 1250. Decimals are refused, never rounded. */
const minorUnits = z.number().int('money is integer minor units').min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The payment plan: omitted → one installment of the total at the start date;
 * `{ installmentCount, intervalMonths }` → an even split (the remainder on the last);
 * a list → exactly those, which must sum to the total.
 */
export const InstallmentsBody = z.union([
  z.object({ installmentCount: z.number().int().min(1).max(120), intervalMonths: z.number().int().min(1).max(60) }).strict(),
  z.array(z.object({ dueDate: calendarDate, amountMinor: minorUnits }).strict()).min(1).max(120),
]);
export type InstallmentsBody = z.infer<typeof InstallmentsBody>;

const terms = {
  /** The customer's contact: the primary contact on signing (else the opportunity's contact). */
  contactId: uuid('contact').optional(),
  /** Default: the actor. */
  ownerId: text(100).optional(),
  startDate: calendarDate,
  endDate: calendarDate.optional(),
  installments: InstallmentsBody.optional(),
};

/** From an accepted quote: lines, total, tax, account and opportunity come from the accepted version. */
export const ContractFromQuoteBody = z.object({ quoteId: uuid('quote'), ...terms }).strict();

export const ContractLineBody = z
  .object({
    productId: text(100),
    description: text(500).optional(),
    quantity: z.number().int('quantities are whole numbers').min(1).max(1_000_000),
    /** Net of discount, before tax. */
    netMinor: minorUnits,
  })
  .strict();

/** Directly, without a quote. */
export const DirectContractBody = z
  .object({
    accountId: uuid('account'),
    opportunityId: uuid('opportunity').optional(),
    lines: z.array(ContractLineBody).min(1).max(200),
    /** Default: the tenant's currency (sales settings). */
    currency: currency.optional(),
    taxMinor: minorUnits.default(0),
    ...terms,
  })
  .strict();

export const DraftContractBody = z.union([ContractFromQuoteBody, DirectContractBody]);
export type DraftContractBody = z.infer<typeof DraftContractBody>;

export const SignContractBody = z.object({ customerSignatory: text(200).optional() }).strict();
export type SignContractBody = z.infer<typeof SignContractBody>;

export const CancelContractBody = z.object({ reason: text(500) }).strict();
export type CancelContractBody = z.infer<typeof CancelContractBody>;

export const ContractIdParam = uuid('contract');

const status = z.enum(['drafted', 'signed', 'cancelled']);

export const ContractCommandResponse = z.object({ id: z.string(), contractNumber: z.string(), status, revision: z.number().int() });
export type ContractCommandResponse = z.infer<typeof ContractCommandResponse>;

const money = z.object({ amountMinor: z.number().int(), currency: z.string() });

export const ContractResponse = ContractCommandResponse.extend({
  accountId: z.string(),
  opportunityId: z.string().optional(),
  quoteId: z.string().optional(),
  quoteVersion: z.number().int().optional(),
  contactId: z.string().optional(),
  ownerId: z.string(),
  total: money,
  taxMinor: z.number().int(),
  lines: z.array(z.object({ productId: z.string(), description: z.string().optional(), quantity: z.number().int(), netMinor: z.number().int() })),
  installments: z.array(z.object({ sequence: z.number().int(), dueDate: z.string(), amountMinor: z.number().int() })),
  startDate: z.string(),
  endDate: z.string().optional(),
  draftedAt: z.string(),
  signed: z
    .object({
      accountName: z.string(),
      primaryContact: z.object({ contactId: z.string(), name: z.string(), email: z.string().optional(), phone: z.string().optional() }).optional(),
      signedBy: z.string().optional(),
      customerSignatory: z.string().optional(),
      signedAt: z.string(),
    })
    .optional(),
  cancelled: z.object({ reason: z.string(), cancelledAt: z.string() }).optional(),
});
export type ContractResponse = z.infer<typeof ContractResponse>;
