import type { LeadSourceChannel, Utm } from '@crm/contracts';
import type { InsightsPrisma, Prisma } from '../database/insights-prisma';
import type { Lead } from '../generated/prisma/client';
import { LeadStatus } from '../generated/prisma/enums';
import { readCheckpoint } from '../projection/projection-checkpoint';
import { LeadReadModelError } from './lead-read-model.errors';
import { LEAD_READ_MODEL_PROJECTION } from './lead-read-model.projection';

export { LeadStatus };

export const LEAD_STATUSES: readonly LeadStatus[] = Object.values(LeadStatus);

/** A lead as the query API returns it: JSON-ready (ISO-8601 instants, the position as a string). */
export type LeadView = {
  tenantId: string;
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  source: { channel: LeadSourceChannel | string; utm: Utm; campaignId: string | null; referrer: string | null; formId: string | null };
  status: LeadStatus;
  /** The rep holding the lead; null while it is in the pool (公海). */
  ownerId: string | null;
  /** Latest lead score (0 until scored) and whether it is hot. */
  score: number;
  hot: boolean;
  industry: string | null;
  region: string | null;
  /** The owner's last activity (assigned, claimed, followed up); null while unowned. */
  lastActivityAt: string | null;
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

/** `capturedAt`: newest capture first. `score`: highest score first, then newest capture. Ties: by id. */
export const LEAD_SORTS = ['capturedAt', 'score'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** Statuses a lead can still be worked in: such a lead without an owner is in the pool (公海). */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['captured', 'qualified'];

export type ListLeadsOptions = {
  status?: LeadStatus;
  ownerId?: string;
  /** true: open leads without an owner (the pool); false: every other lead. */
  pool?: boolean;
  hot?: boolean;
  campaignId?: string;
  channel?: string;
  /** Case-insensitive substring of the name, company or e-mail. */
  q?: string;
  minScore?: number;
  sort?: LeadSort;
  /** Page size, 1–200 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page (of the same sort). */
  cursor?: string;
};

export type LeadPage = {
  /** In the order of `sort` (newest capture first by default). */
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
  /** A page of the tenant's leads matching every filter given, with the counts by status. */
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
    source: { channel: row.channel, utm, campaignId: row.campaignId, referrer: row.referrer, formId: row.formId },
    status: row.status,
    ownerId: row.ownerId,
    score: row.score,
    hot: row.hot,
    industry: row.industry,
    region: row.region,
    lastActivityAt: iso(row.lastActivityAt),
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

type Cursor = { capturedAt: Date; id: string; score?: number };

/**
 * Opaque keyset cursor: base64url of the sort key of the last row of a page, `[capturedAt ISO, id]`
 * by capture, `['score', score, capturedAt ISO, id]` by score; a cursor of the other sort is refused.
 */
const encodeCursor = (sort: LeadSort, row: Pick<Lead, 'capturedAt' | 'id' | 'score'>): string => {
  const key = sort === 'score' ? ['score', row.score, row.capturedAt.toISOString(), row.id] : [row.capturedAt.toISOString(), row.id];
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
};

const instant = (value: unknown): Date | undefined => {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const parseCursor = (sort: LeadSort, value: unknown): Cursor | undefined => {
  if (!Array.isArray(value)) return undefined;
  if (sort === 'capturedAt' && value.length === 2 && typeof value[1] === 'string') {
    const capturedAt = instant(value[0]);
    return capturedAt && { capturedAt, id: value[1] };
  }
  if (sort === 'score' && value.length === 4 && value[0] === 'score' && Number.isSafeInteger(value[1]) && typeof value[3] === 'string') {
    const capturedAt = instant(value[2]);
    return capturedAt && { score: value[1] as number, capturedAt, id: value[3] };
  }
  return undefined;
};

const decodeCursor = (sort: LeadSort, cursor: string): Cursor => {
  let cursorKey: Cursor | undefined;
  try {
    cursorKey = parseCursor(sort, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    // not JSON: refused below
  }
  if (cursorKey) return cursorKey;
  throw new LeadReadModelError('invalid_cursor', `cursor is not one this API returned for sort=${sort}`);
};

/** Rows after the cursor in the order of `sort` (every key descending). */
const afterCursor = (sort: LeadSort, after: Cursor): Prisma.LeadWhereInput => {
  const byCapture: Prisma.LeadWhereInput[] = [{ capturedAt: { lt: after.capturedAt } }, { capturedAt: after.capturedAt, id: { lt: after.id } }];
  if (sort === 'capturedAt' || after.score === undefined) return { OR: byCapture };
  return { OR: [{ score: { lt: after.score } }, ...byCapture.map((c) => ({ ...c, score: after.score }))] };
};

const ORDER: Record<LeadSort, Prisma.LeadOrderByWithRelationInput[]> = {
  capturedAt: [{ capturedAt: 'desc' }, { id: 'desc' }],
  score: [{ score: 'desc' }, { capturedAt: 'desc' }, { id: 'desc' }],
};

/**
 * Prisma passes `contains` to ILIKE unescaped: escape `%`, `_` and the escape character itself, so
 * that a search for them finds them (and a trailing `\` is not an SQL error).
 */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const inPool: Prisma.LeadWhereInput = { status: { in: [...OPEN_LEAD_STATUSES] }, ownerId: null };

/** One condition per filter given in `options`; a row must meet them all. */
const filtersOf = (options: ListLeadsOptions): Prisma.LeadWhereInput[] => {
  const filters: Prisma.LeadWhereInput[] = [];
  if (options.status !== undefined) filters.push({ status: options.status });
  if (options.ownerId !== undefined) filters.push({ ownerId: options.ownerId });
  if (options.pool !== undefined) filters.push(options.pool ? inPool : { NOT: inPool });
  if (options.hot !== undefined) filters.push({ hot: options.hot });
  if (options.campaignId !== undefined) filters.push({ campaignId: options.campaignId });
  if (options.channel !== undefined) filters.push({ channel: options.channel });
  if (options.minScore !== undefined) filters.push({ score: { gte: options.minScore } });
  if (options.q !== undefined && options.q !== '') {
    const contains = { contains: likeLiteral(options.q), mode: 'insensitive' as const };
    filters.push({ OR: [{ name: contains }, { company: contains }, { email: contains }] });
  }
  return filters;
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
      const sort = options.sort ?? 'capturedAt';
      const after = options.cursor === undefined ? undefined : decodeCursor(sort, options.cursor);
      const where: Prisma.LeadWhereInput = { tenantId, AND: [...filtersOf(options), ...(after ? [afterCursor(sort, after)] : [])] };
      const [rows, counts] = await Promise.all([
        prisma.lead.findMany({ where, orderBy: ORDER[sort], take: take + 1 }),
        countLeadsByStatus(tenantId),
      ]);
      const page = rows.slice(0, take);
      const last = page[page.length - 1];
      return { items: page.map(toView), nextCursor: rows.length > take && last ? encodeCursor(sort, last) : null, counts };
    },
    countLeadsByStatus,
    position: () => readCheckpoint(prisma, LEAD_READ_MODEL_PROJECTION, 'leads'),
  };
};
