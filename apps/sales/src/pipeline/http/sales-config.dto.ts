import { CurrencyCode, SalesPeriod, SalesSettings } from '@crm/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** The whole settings document; each accepted change is the next version. */
export const PutSalesSettingsBody = SalesSettings.strict();
export type PutSalesSettingsBody = z.infer<typeof PutSalesSettingsBody>;

export const SalesSettingsResponse = SalesSettings.extend({ version: z.number().int() });

/** Team ids are tenant-chosen slugs. */
export const TeamIdParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a team id: letters, digits, ".", "-" and "_" (at most 100)');

export const DefineTeamBody = z
  .object({ name: text(200), managerId: text(100), memberIds: z.array(text(100)).max(500).default([]) })
  .strict();
export type DefineTeamBody = z.infer<typeof DefineTeamBody>;

export const TeamResponse = z.object({ teamId: z.string(), name: z.string(), managerId: z.string(), memberIds: z.array(z.string()), revision: z.number().int() });

/** Integer minor units: 12.50 CNY is 1250; decimals are refused, never rounded. */
const money = z
  .object({
    amountMinor: z.number().int('money is integer minor units').min(0).max(Number.MAX_SAFE_INTEGER),
    currency: z.string().trim().toUpperCase().pipe(CurrencyCode),
  })
  .strict();

export const SetTargetBody = z
  .object({
    scope: z.object({ kind: z.enum(['rep', 'team']), id: text(100) }).strict(),
    period: SalesPeriod,
    target: money,
  })
  .strict();
export type SetTargetBody = z.infer<typeof SetTargetBody>;

export const TargetIdParam = z.uuid({ message: 'target ids are UUIDs' });

export const TargetResponse = z.object({
  targetId: z.string(),
  scope: z.object({ kind: z.enum(['rep', 'team']), id: z.string() }),
  period: z.string(),
  target: z.object({ amountMinor: z.number().int(), currency: z.string() }),
  setAt: z.string(),
  revision: z.number().int(),
});
