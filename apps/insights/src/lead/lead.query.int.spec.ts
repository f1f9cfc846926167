import { LeadEventType, newId, type LeadEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../test/read-model.fixture';
import type { InsightsReadModel } from '../insights-read-model';

const fixture = useInsightsReadModel('insights_lead_q');
let readModel: InsightsReadModel;
beforeAll(() => {
  readModel = fixture.readModel();
});

const given = async (tenantId: string, ...events: LeadEvent[]) => {
  for (const event of events) await readModel.projections.leadReadModel.project(fixture.recorded(tenantId, event, '2025-04-01T00:00:00.000Z'));
};
const captured = (leadId: string, capturedAt: string): LeadEvent => ({
  type: LeadEventType.LeadCaptured,
  data: { leadId, name: `Lead ${leadId.slice(-4)}`, source: { channel: 'api' }, capturedAt },
});
const qualified = (leadId: string): LeadEvent => ({ type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: '2025-04-02T00:00:00.000Z' } });

describe('lead query', () => {
  const tenant = `t-${newId()}`;
  // Five leads; two share a capture instant (the id breaks the tie).
  const ids = ['00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-00000000000c', '00000000-0000-7000-8000-00000000000d', '00000000-0000-7000-8000-00000000000e'];
  const capturedAt = ['2025-04-01T01:00:00.000Z', '2025-04-01T02:00:00.000Z', '2025-04-01T02:00:00.000Z', '2025-04-01T03:00:00.000Z', '2025-04-01T04:00:00.000Z'];

  beforeAll(async () => {
    await given(tenant, ...ids.map((id, i) => captured(id, capturedAt[i])), qualified(ids[1]), qualified(ids[3]));
    await given(`t-${newId()}`, captured(newId(), '2025-04-01T05:00:00.000Z'));
  });

  it('lists the newest captures first, page by page with the cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const pages: number[] = [];
    do {
      const page = await readModel.leads.listLeads(tenant, { limit: 2, cursor });
      pages.push(page.items.length);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
  });

  it('filters by status and returns the counts by status of the whole tenant', async () => {
    const page = await readModel.leads.listLeads(tenant, { status: 'qualified' });

    expect(page.items.map((l) => l.id)).toEqual([ids[3], ids[1]]);
    expect(page.nextCursor).toBeNull();
    expect(page.counts).toEqual({ captured: 3, qualified: 2, disqualified: 0, converted: 0, total: 5 });
  });

  it('gets one lead, and a typed not-found for an unknown one', async () => {
    expect(await readModel.leads.getLead(tenant, ids[0])).toMatchObject({ id: ids[0], status: 'captured', source: { channel: 'api', utm: {} } });
    await expect(readModel.leads.getLead(tenant, newId())).rejects.toMatchObject({ code: 'lead_not_found', kind: 'not_found' });
  });

  it('refuses a cursor it did not issue and an out-of-range limit', async () => {
    await expect(readModel.leads.listLeads(tenant, { cursor: 'bogus' })).rejects.toMatchObject({ code: 'invalid_cursor', kind: 'invalid' });
    await expect(readModel.leads.listLeads(tenant, { limit: 0 })).rejects.toMatchObject({ code: 'invalid_limit', kind: 'invalid' });
    await expect(readModel.leads.listLeads(tenant, { limit: 201 })).rejects.toMatchObject({ code: 'invalid_limit' });
  });

  it('an unknown tenant sees nothing', async () => {
    const page = await readModel.leads.listLeads(`t-${newId()}`);
    expect(page).toEqual({ items: [], nextCursor: null, counts: { captured: 0, qualified: 0, disqualified: 0, converted: 0, total: 0 } });
  });
});
