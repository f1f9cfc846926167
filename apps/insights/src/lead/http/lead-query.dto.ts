import { LeadSourceChannel } from '@crm/contracts';
import { z } from 'zod';
import { LEAD_SORTS, LEAD_STATUSES, MAX_LEAD_PAGE_SIZE, type LeadStatus } from '../lead.query';

/** `true` or `false` as written in a query string (z.coerce.boolean would read `false` as true). */
const QueryBoolean = z.enum(['true', 'false'], { message: 'true or false' }).transform((value) => value === 'true');

// The inferred types are named apart from the schemas: a parameter typed by a name that is also a
// value would make Nest's metadata point at the zod object, which Swagger then tries to read as a DTO class.
export const ListLeadsQuery = z
  .object({
    status: z.enum(LEAD_STATUSES as [LeadStatus, ...LeadStatus[]]).optional(),
    ownerId: z.string().trim().min(1).max(255).optional(),
    pool: QueryBoolean.optional(),
    hot: QueryBoolean.optional(),
    campaignId: z.string().trim().min(1).max(100).optional(),
    channel: LeadSourceChannel.optional(),
    // A cleared search box sends `q=`: that searches for nothing, it is not an error.
    q: z.string().trim().max(200).optional().transform((value) => (value === '' ? undefined : value)),
    minScore: z.coerce.number().int().min(0).max(1_000_000).optional(),
    sort: z.enum(LEAD_SORTS).default('capturedAt'),
    limit: z.coerce.number().int().min(1).max(MAX_LEAD_PAGE_SIZE).optional(),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();
export type ListLeadsParams = z.infer<typeof ListLeadsQuery>;

export const LeadIdParam = z.uuid({ message: 'lead ids are UUIDs' });
