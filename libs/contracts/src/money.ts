import { z } from 'zod';

/** An ISO 4217 currency code, upper case (`CNY`, `USD`, …). */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as CNY');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** An amount of money: integer minor units (fen for CNY) and a currency. Never a float. */
export const Money = z.object({
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCode,
});
export type Money = z.infer<typeof Money>;

/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = z.iso.date();
