import type { LeadSourceChannel, Utm } from '@crm/contracts';
import type { InsightsPrisma, Prisma } from '../database/insights-prisma';
import type { Lead } from '../generated/prisma/client';
import { LeadStatus } from '../generated/prisma/enums';
import { readCheckpoint } from '../projection/projection-checkpoint';
import { LeadReadModelError } from './lead-read-model.errors';
import { LEAD_READ_MODEL_PROJECTION } from './lead-read-model.projection';

export { LeadStatus };

export const LEAD_STATUSES: readonly LeadStatus[] = Object.values(LeadStatus);

export const isLeadStatus = (value: unknown): value is LeadStatus => typeof value === 'string' && (LEAD_STATUSES as readonly string[]).includes(value);

/** A lead as the query API returns it: JSON-ready (ISO-8601 instants, the position as a string). */
export type LeadView = {
  tenantId: string;
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  source: { channel: LeadSourceChannel | string; utm: Utm };
  status: LeadStatus;
  disqualifyReason: string | null;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  capturedAt: string;
  qualifiedAt: string | null;
  disqualifiedAt: string | null;
  convertedAt: string | null;
  /** When the store recorded the last event applied to this lead. */
  updatedAt: string;
  /** `$all` position (leads store) of the last event applied to this lead, as a decimal string. */
  position: string;
};

export type LeadStatusCounts = Record<LeadStatus, number> & { total: number };

export type ListLeadsOptions = {
  status?: LeadStatus;
  /** Page size, 1–200 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
};

export type LeadPage = {
  /** Newest capture first (ties broken by id). */
  items: LeadView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** The tenant's leads by status (all of them, whatever the status filter and page). */
  counts: LeadStatusCounts;
};

export type LeadQuery = {
  /** One lead of the tenant, or undefined (another tenant's lead is never visible). */
  findLead(tenantId: string, leadId: string): Promise<LeadView | undefined>;
  /** Like findLead, but throws LeadReadModelError `lead_not_found` (404). */
  getLead(tenantId: string, leadId: string): Promise<LeadView>;
  /** A page of the tenant's leads, optionally of one status, with the counts by status. */
  listLeads(tenantId: string, options?: ListLeadsOptions): Promise<LeadPage>;
  countLeadsByStatus(tenantId: string): Promise<LeadStatusCounts>;
  /** Leads-store position the read model has caught up to (for read-your-writes polling). */
  position(): Promise<bigint | undefined>;
};

export const DEFAULT_LEAD_PAGE_SIZE = 50;
export const MAX_LEAD_PAGE_SIZE = 200;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const toView = (row: Lead): LeadView => {
  const utm: Utm = {};
  if (row.utmSource !== null) utm.source = row.utmSource;
  if (row.utmMedium !== null) utm.medium = row.utmMedium;
  if (row.utmCampaign !== null) utm.campaign = row.utmCampaign;
  if (row.utmTerm !== null) utm.term = row.utmTerm;
  if (row.utmContent !== null) utm.content = row.utmContent;
  return {
    tenantId: row.tenantId,
    id: row.id,
    name: row.name,
    company: row.company,
    email: row.email,
    phone: row.phone,
    source: { channel: row.channel, utm },
    status: row.status,
    disqualifyReason: row.disqualifyReason,
    accountId: row.accountId,
    contactId: row.contactId,
    opportunityId: row.opportunityId,
    capturedAt: row.capturedAt.toISOString(),
    qualifiedAt: iso(row.qualifiedAt),
    disqualifiedAt: iso(row.disqualifiedAt),
    convertedAt: iso(row.convertedAt),
    updatedAt: row.updatedAt.toISOString(),
    position: row.lastEventPosition.toString(),
  };
};

type Cursor = { capturedAt: Date; id: string };

/** Opaque keyset cursor: base64url of `[capturedAt ISO, id]` of the last row of a page. */
const encodeCursor = (row: Pick<Lead, 'capturedAt' | 'id'>): string =>
  Buffer.from(JSON.stringify([row.capturedAt.toISOString(), row.id]), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): Cursor => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const capturedAt = new Date(value[0]);
      if (!Number.isNaN(capturedAt.getTime())) return { capturedAt, id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new LeadReadModelError('invalid_cursor', 'cursor is not one this API returned');
};

const pageSize = (limit: number | undefined): number => {
  if (limit === undefined) return DEFAULT_LEAD_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LEAD_PAGE_SIZE) {
    throw new LeadReadModelError('invalid_limit', `limit must be an integer from 1 to ${MAX_LEAD_PAGE_SIZE}`, { limit });
  }
  return limit;
};

/** Read access to the lead read model. Every query is scoped to one tenant. */
export const createLeadQuery = (prisma: InsightsPrisma): LeadQuery => {
  const findLead = async (tenantId: string, leadId: string): Promise<LeadView | undefined> => {
    const row = await prisma.lead.findUnique({ where: { tenantId_id: { tenantId, id: leadId } } });
    return row ? toView(row) : undefined;
  };

  const countLeadsByStatus = async (tenantId: string): Promise<LeadStatusCounts> => {
    const groups = await prisma.lead.groupBy({ by: ['status'], where: { tenantId }, _count: { _all: true } });
    const counts: LeadStatusCounts = { captured: 0, qualified: 0, disqualified: 0, converted: 0, total: 0 };
    for (const group of groups) {
      counts[group.status] = group._count._all;
      counts.total += group._count._all;
    }
    return counts;
  };

  return {
    findLead,
    getLead: async (tenantId, leadId) => {
      const lead = await findLead(tenantId, leadId);
      if (!lead) throw new LeadReadModelError('lead_not_found', `lead ${leadId} not found`, { leadId });
      return lead;
    },
    listLeads: async (tenantId, options = {}) => {
      const take = pageSize(options.limit);
      const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
      const where: Prisma.LeadWhereInput = {
        tenantId,
        ...(options.status ? { status: options.status } : {}),
        ...(after ? { OR: [{ capturedAt: { lt: after.capturedAt } }, { capturedAt: after.capturedAt, id: { lt: after.id } }] } : {}),
      };
      const [rows, counts] = await Promise.all([
        prisma.lead.findMany({ where, orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }], take: take + 1 }),
        countLeadsByStatus(tenantId),
      ]);
      const page = rows.slice(0, take);
      const last = page[page.length - 1];
      return { items: page.map(toView), nextCursor: rows.length > take && last ? encodeCursor(last) : null, counts };
    },
    countLeadsByStatus,
    position: () => readCheckpoint(prisma, LEAD_READ_MODEL_PROJECTION, 'leads'),
  };
};
