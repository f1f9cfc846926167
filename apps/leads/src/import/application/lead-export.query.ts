import { LeadEventType, leadStream, type LeadCapturedData, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';
import { EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { leadDecider } from '../../lead/domain/lead.decider';
import { csvLine, UTF8_BOM } from './csv-writer';

export type LeadExportFilter = {
  status?: string;
  channel?: string;
  /** Inclusive bounds on the capture time. */
  capturedFrom?: Date;
  capturedTo?: Date;
};

export const LEAD_EXPORT_COLUMNS = [
  'id', 'status', 'name', 'company', 'email', 'phone', 'channel', 'campaign',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'captured_at',
] as const;

/** `$all` is read this many capture events at a time… */
const PAGE = 500;
/** …and this many lead streams are read at once. */
const PARALLEL_STREAMS = 8;

/**
 * Streams a tenant's leads as CSV straight from the leads event store (there is no lead read
 * model in this service). Cost: one pass over the `leads.LeadCaptured` events in `$all` (pages
 * of 500, filtered on tenant, channel and capture time without reading anything else), then one
 * `readStream` per remaining lead to fold its current status — so O(leads) round trips, 8 in
 * parallel. Memory holds one page and 8 streams, whatever the tenant's size.
 */
@Injectable()
export class LeadExportQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async *csv(ctx: RequestContext, filter: LeadExportFilter): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(LEAD_EXPORT_COLUMNS);
    for await (const line of this.lines(ctx, filter)) yield line;
  }

  private async *lines(ctx: RequestContext, filter: LeadExportFilter): AsyncGenerator<string> {
    for (let after: bigint | undefined; ;) {
      const page = await this.store.readAll({ ...(after !== undefined && { after }), maxCount: PAGE, filter: { eventTypes: [LeadEventType.LeadCaptured] } });
      if (page.length === 0) return;
      after = page[page.length - 1].position;
      const candidates = page.filter((e) => e.metadata.tenantId === ctx.tenantId && matchesCapture(e.data as LeadCapturedData, filter));
      for (let i = 0; i < candidates.length; i += PARALLEL_STREAMS) {
        const rows = await Promise.all(candidates.slice(i, i + PARALLEL_STREAMS).map((e) => this.row(ctx, e, filter)));
        for (const row of rows) if (row !== undefined) yield row;
      }
      if (page.length < PAGE) return;
    }
  }

  private async row(ctx: RequestContext, captured: RecordedEvent, filter: LeadExportFilter): Promise<string | undefined> {
    const data = captured.data as LeadCapturedData;
    const history = await this.store.readStream(leadStream(data.leadId));
    if (history.length === 0 || history[0].metadata.tenantId !== ctx.tenantId) return undefined;
    const state = history.reduce((s, e) => leadDecider.evolve(s, { type: e.type, data: e.data } as LeadEvent), leadDecider.initialState());
    // A lead merged into another is exported once, as its survivor.
    if (state.status === 'none' || state.mergedInto !== undefined || (filter.status !== undefined && state.status !== filter.status)) return undefined;
    const utm = data.source.utm ?? {};
    return csvLine([
      data.leadId, state.status, state.name, state.company, state.email, state.phone, state.channel, data.source.campaignId,
      utm.source, utm.medium, utm.campaign, utm.term, utm.content, data.capturedAt,
    ]);
  }
}

const matchesCapture = (data: LeadCapturedData, filter: LeadExportFilter): boolean => {
  if (filter.channel !== undefined && data.source.channel !== filter.channel) return false;
  const at = Date.parse(data.capturedAt);
  if (filter.capturedFrom && at < filter.capturedFrom.getTime()) return false;
  if (filter.capturedTo && at > filter.capturedTo.getTime()) return false;
  return true;
};
