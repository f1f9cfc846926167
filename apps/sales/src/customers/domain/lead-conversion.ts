// What sales makes of a converted lead (DOMAIN.md §1 "conversion creates the account, contact and
// (optionally) opportunity in sales and links them"): pure mappings from the lead's snapshot in
// `leads.LeadConverted` to the account and contact to match or create, and the opportunity to open.
import {
  SalesCustomerEventType as T, type AccountKind, type LeadConversionEvent, type LeadConversionRecordedData, type LeadConvertedData,
} from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { normalizeEmail, normalizePhone } from '@crm/identity';
import { defined } from './profile-changes';

export type LeadSnapshot = NonNullable<LeadConvertedData['lead']>;

/** Days from the conversion to the expected close date when the converter gave none. */
export const DEFAULT_CLOSE_DAYS = 90;

/** The owner of what conversion opens when the lead had no owner and nobody is named as converter. */
export const UNASSIGNED = 'unassigned';

/** Leads normalises at its edge; values that still do not normalise are dropped rather than stored raw. */
const email = (raw?: string) => {
  const r = raw === undefined ? undefined : normalizeEmail(raw);
  return r?.ok ? r.value : undefined;
};
const phone = (raw?: string) => {
  const r = raw === undefined ? undefined : normalizePhone(raw);
  return r?.ok ? r.matchKey : undefined;
};

/**
 * The account a lead stands for: its company (a company account), or the person themself when the
 * lead names no company. The person's e-mail and phone belong on the contact, so a company account
 * gets neither; they still help find an existing company account (see `accountLookup`).
 */
export const accountFromLead = (lead: LeadSnapshot): { kind: AccountKind; name: string; email?: string; phone?: string; ownerId?: string; industry?: string; region?: string } => {
  const common = { ...(lead.ownerId && { ownerId: lead.ownerId }), ...(lead.industry && { industry: lead.industry }), ...(lead.region && { region: lead.region }) };
  const company = lead.company?.trim();
  if (company) return { kind: 'company', name: company, ...common };
  const e = email(lead.email);
  const p = phone(lead.phone);
  return { kind: 'person', name: lead.name, ...(e && { email: e }), ...(p && { phone: p }), ...common };
};

/** What to look an existing account up by: the account's own keys plus, for a company, the lead's e-mail and phone. */
export const accountLookup = (lead: LeadSnapshot): { kind: AccountKind; name: string; email?: string; phone?: string } => {
  const account = accountFromLead(lead);
  return { kind: account.kind, name: account.name, email: email(lead.email), phone: phone(lead.phone) };
};

export const contactFromLead = (lead: LeadSnapshot, accountId: string) => {
  const e = email(lead.email);
  const p = phone(lead.phone);
  return { name: lead.name, accountId, decisionMaker: false, ...(e && { email: e }), ...(p && { phone: p }), ...(lead.ownerId && { ownerId: lead.ownerId }) };
};

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The opportunity the pipeline feature is to open under the lead event's `opportunityId`: the
 * converter's hints where given, else "<company or name> — new business", 0 in the tenant's default
 * currency, closing 90 days after the conversion, owned by the lead's owner, else the converter.
 */
export const opportunityToOpen = (converted: LeadConvertedData, defaultCurrency: string): LeadConversionRecordedData['opportunity'] => {
  const hint = converted.opportunity ?? {};
  const lead = converted.lead;
  const label = lead?.company?.trim() || lead?.name || converted.leadId;
  return {
    name: hint.name ?? `${label} — new business`.slice(0, 300),
    amount: { amountMinor: hint.amountMinor ?? 0, currency: hint.currency ?? defaultCurrency },
    expectedCloseDate: hint.expectedCloseDate ?? addDays(converted.convertedAt, DEFAULT_CLOSE_DAYS),
    ownerId: lead?.ownerId ?? converted.convertedBy ?? UNASSIGNED,
    source: { leadId: converted.leadId, ...(lead?.campaignId && { campaignId: lead.campaignId }), ...(lead?.channel && { channel: lead.channel }) },
  };
};

export type RecordLeadConversion = { type: 'RecordLeadConversion'; data: Omit<LeadConversionRecordedData, 'recordedAt'> & { now: Date } };

export type LeadConversionState = { status: 'none' } | { status: 'recorded'; recorded: LeadConversionRecordedData };

/** `leadconversion-<leadId>`: one record per lead; recording again (a redelivered event) records nothing. */
export const leadConversionDecider: Decider<RecordLeadConversion, LeadConversionEvent, LeadConversionState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (_, event) => ({ status: 'recorded', recorded: event.data }),
  decide: ({ data }, state) => {
    if (state.status === 'recorded') return [];
    const { now, ...recorded } = data;
    return [{ type: T.LeadConversionRecorded, data: { ...defined(recorded), recordedAt: now.toISOString() } }];
  },
};
