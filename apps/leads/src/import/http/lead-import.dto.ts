import { LeadSourceChannel } from '@crm/contracts';
import { z } from 'zod';
import type { ImportFormat } from '../application/import-file.reader';
import type { LeadImportJob } from '../application/lead-import-job.store';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Upload content types and the format each one means. */
export const IMPORT_CONTENT_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  [XLSX_CONTENT_TYPE]: 'xlsx',
};

export const importFormatOf = (contentType: string | undefined): ImportFormat | undefined =>
  IMPORT_CONTENT_TYPES[(contentType ?? '').split(';')[0].trim().toLowerCase()];

export const LeadImportIdParam = z.uuid({ message: 'lead import ids are UUIDs' });

export const StartLeadImportQuery = z.object({
  /** The file's name as the user knows it (informational). */
  fileName: z.string().trim().min(1).max(255).optional(),
});
/** A distinct name from the schema's: a parameter typed with it must not emit the zod object as design-time metadata. */
export type StartLeadImportParams = z.infer<typeof StartLeadImportQuery>;

export const LeadImportResponse = z.object({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'interrupted']),
  format: z.enum(['csv', 'xlsx']),
  fileName: z.string().optional(),
  bytes: z.number().int(),
  sha256: z.string(),
  processed: z.number().int(),
  failed: z.number().int(),
  created: z.number().int(),
  attached: z.number().int(),
  error: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  links: z.object({ self: z.string(), errors: z.string() }),
});
export type LeadImportResponse = z.infer<typeof LeadImportResponse>;

export const toLeadImportResponse = (job: LeadImportJob): LeadImportResponse => {
  const { tenantId: _tenant, headers: _headers, ...rest } = job;
  return { ...rest, links: { self: `/v1/lead-imports/${job.id}`, errors: `/v1/lead-imports/${job.id}/errors` } };
};

/** `2026-03-01` or an ISO date-time; a bare `capturedTo` date includes that whole day (UTC). */
const dateBound = (endOfDay: boolean) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) =>
    v.length === 10 ? new Date(`${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`) : new Date(v));

export const ExportLeadsQuery = z.object({
  status: z.string().regex(/^[a-z_]{1,40}$/, 'a lead status such as captured, qualified, disqualified, converted').optional(),
  channel: LeadSourceChannel.optional(),
  capturedFrom: dateBound(false).optional(),
  capturedTo: dateBound(true).optional(),
});
export type ExportLeadsParams = z.infer<typeof ExportLeadsQuery>;
