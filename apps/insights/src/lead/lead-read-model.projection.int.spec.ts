import { LeadEventType, newId, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../test/read-model.fixture';
import type { InsightsReadModel } from '../insights-read-model';
import { LEAD_READ_MODEL_PROJECTION } from './lead-read-model.projection';
import type { LeadView } from './lead.query';

// Given events → rows, on real PostgreSQL. One database for the file; every test uses fresh lead
// ids and tenants, and positions keep growing (the checkpoint is shared, as in production).
const fixture = useInsightsReadModel('insights_lead_rm');
const { recorded } = fixture;
let readModel: InsightsReadModel;
beforeAll(() => {
  readModel = fixture.readModel();
});

const captured = (leadId: string, capturedAt = '2025-03-01T10:00:00.000Z', name = 'Ada Lovelace'): LeadEvent => ({
  type: LeadEventType.LeadCaptured,
  data: {
    leadId,
    name,
    company: 'Analytical Engines Ltd',
    email: 'ada@example.com',
    source: { channel: 'web_form', utm: { source: 'newsletter', campaign: 'spring' } },
    capturedAt,
  },
});
const qualified = (leadId: string): LeadEvent => ({ type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: '2025-03-02T09:00:00.000Z' } });
const disqualified = (leadId: string): LeadEvent => ({
  type: LeadEventType.LeadDisqualified,
  data: { leadId, reason: 'no budget', disqualifiedAt: '2025-03-02T11:00:00.000Z' },
});
const converted = (leadId: string): LeadEvent => ({
  type: LeadEventType.LeadConverted,
  data: { leadId, accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1', convertedAt: '2025-03-03T08:00:00.000Z' },
});

const project = async (events: RecordedEvent[]) => {
  const outcomes = [];
  for (const event of events) outcomes.push(await readModel.projections.leadReadModel.project(event));
  return outcomes;
};

/** Everything the projection wrote, to compare before/after a replay. */
const snapshot = async () => ({
  leads: await readModel.prisma.lead.findMany({ orderBy: [{ tenantId: 'asc' }, { id: 'asc' }] }),
  checkpoints: await readModel.prisma.projectionCheckpoint.findMany({ orderBy: [{ projection: 'asc' }, { source: 'asc' }] }),
});

describe('lead read model projection', () => {
  it('given a captured, qualified and converted lead, the row shows it converted, with its source and timestamps', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    const events = [
      recorded(tenant, captured(leadId), '2025-03-01T10:00:00.100Z'),
      recorded(tenant, qualified(leadId), '2025-03-02T09:00:00.100Z'),
      recorded(tenant, converted(leadId), '2025-03-03T08:00:00.100Z'),
    ];

    expect(await project(events)).toEqual(['applied', 'applied', 'applied']);

    expect(await readModel.leads.findLead(tenant, leadId)).toEqual<LeadView>({
      tenantId: tenant,
      id: leadId,
      name: 'Ada Lovelace',
      company: 'Analytical Engines Ltd',
      email: 'ada@example.com',
      phone: null,
      source: { channel: 'web_form', utm: { source: 'newsletter', campaign: 'spring' } },
      status: 'converted',
      disqualifyReason: null,
      accountId: 'acc-1',
      contactId: 'con-1',
      opportunityId: 'opp-1',
      capturedAt: '2025-03-01T10:00:00.000Z',
      qualifiedAt: '2025-03-02T09:00:00.000Z',
      disqualifiedAt: null,
      convertedAt: '2025-03-03T08:00:00.000Z',
      updatedAt: '2025-03-03T08:00:00.100Z',
      position: events[2].position.toString(),
    });
    expect(await readModel.projections.leadReadModel.position()).toBe(events[2].position);
  });

  it('given a disqualified lead, the row keeps the reason', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    await project([recorded(tenant, captured(leadId)), recorded(tenant, disqualified(leadId))]);

    expect(await readModel.leads.findLead(tenant, leadId)).toMatchObject({
      status: 'disqualified',
      disqualifyReason: 'no budget',
      disqualifiedAt: '2025-03-02T11:00:00.000Z',
      qualifiedAt: null,
    });
  });

  it('a recapture fills in the fields the lead lacked; a merged lead leaves the list (its survivor stands for it)', async () => {
    const tenant = `t-${newId()}`;
    const [survivor, loser] = [newId(), newId()];
    await project([
      recorded(tenant, captured(survivor)),
      recorded(tenant, captured(loser, '2025-03-01T11:00:00.000Z', 'Ada L.')),
      recorded(tenant, {
        type: LeadEventType.LeadRecaptured,
        data: { leadId: survivor, name: 'Ada', phone: '+8613800138000', source: { channel: 'import' }, matchedOn: 'email', added: { phone: '+8613800138000' }, recapturedAt: '2025-03-02T08:00:00.000Z' },
      }),
      recorded(tenant, { type: LeadEventType.LeadMergedInto, data: { leadId: loser, survivorId: survivor, mergedAt: '2025-03-02T09:00:00.000Z' } }),
    ]);
    expect(await readModel.leads.findLead(tenant, survivor)).toMatchObject({ name: 'Ada Lovelace', phone: '+8613800138000', status: 'captured' });
    expect(await readModel.leads.findLead(tenant, loser)).toBeUndefined();
    expect(await readModel.prisma.lead.count({ where: { tenantId: tenant } })).toBe(1);
  });

  it('replaying the same events is a no-op: rows and checkpoint unchanged, every event skipped', async () => {
    const tenant = `t-${newId()}`;
    const [a, b] = [newId(), newId()];
    const events = [
      recorded(tenant, captured(a)),
      recorded(tenant, captured(b)),
      recorded(tenant, qualified(a)),
      recorded(tenant, disqualified(b)),
      recorded(tenant, converted(a)),
    ];
    await project(events);
    const before = await snapshot();

    // Redelivery through the consumer port (second attempt), then a full replay from the start.
    await readModel.projections.leadReadModel.handle(events[4], { source: 'leads', attempt: 2 });
    expect(await project(events)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);

    expect(await snapshot()).toEqual(before);
  });

  it('the same event delivered concurrently is applied once', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    await project([recorded(tenant, captured(leadId))]);
    const qualify = recorded(tenant, qualified(leadId));

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => readModel.projections.leadReadModel.project(qualify)));

    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(4);
    expect(await readModel.projections.leadReadModel.position()).toBe(qualify.position);
  });

  it('keeps tenants apart: the same lead id in two tenants is two rows, each visible only to its tenant', async () => {
    const [tenantA, tenantB] = [`t-${newId()}`, `t-${newId()}`];
    const leadId = newId();
    await project([
      recorded(tenantA, captured(leadId, '2025-03-01T10:00:00.000Z', 'Lead of A')),
      recorded(tenantB, captured(leadId, '2025-03-01T10:00:00.000Z', 'Lead of B')),
      recorded(tenantB, qualified(leadId)),
    ]);

    expect(await readModel.leads.findLead(tenantA, leadId)).toMatchObject({ name: 'Lead of A', status: 'captured' });
    expect(await readModel.leads.findLead(tenantB, leadId)).toMatchObject({ name: 'Lead of B', status: 'qualified' });
    expect(await readModel.leads.findLead(`t-${newId()}`, leadId)).toBeUndefined();
    expect((await readModel.leads.listLeads(tenantA)).items.map((l) => l.name)).toEqual(['Lead of A']);
    expect(await readModel.leads.countLeadsByStatus(tenantA)).toEqual({ captured: 1, qualified: 0, disqualified: 0, converted: 0, total: 1 });
  });

  it('fails an event without a tenant, and leaves the checkpoint where it was', async () => {
    const leadId = newId();
    const event = recorded('x', captured(leadId));
    const before = await snapshot();

    await expect(readModel.projections.leadReadModel.project({ ...event, metadata: { correlationId: newId() } as RecordedEvent['metadata'] })).rejects.toMatchObject({
      code: 'missing_tenant',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('fails a change to a lead that was never captured (retried, then dead-lettered by the consumer) and rolls the checkpoint back', async () => {
    const tenant = `t-${newId()}`;
    const before = await snapshot();

    await expect(readModel.projections.leadReadModel.project(recorded(tenant, qualified(newId())))).rejects.toMatchObject({ code: 'lead_not_projected' });
    expect(await snapshot()).toEqual(before);
  });

  it('ignores leads events it does not show, but moves the checkpoint past them', async () => {
    const event = { ...recorded(`t-${newId()}`, captured(newId())), type: 'leads.LeadNoteAdded', data: { leadId: 'x' } };
    const leadsBefore = (await snapshot()).leads;

    expect(await readModel.projections.leadReadModel.project(event)).toBe('applied');
    expect((await snapshot()).leads).toEqual(leadsBefore);
    expect(await readModel.projections.leadReadModel.position()).toBe(event.position);
  });

  it(`records its checkpoint as ${LEAD_READ_MODEL_PROJECTION}/leads`, async () => {
    const rows = await readModel.prisma.projectionCheckpoint.findMany();
    expect(rows.map((r) => [r.projection, r.source])).toEqual([[LEAD_READ_MODEL_PROJECTION, 'leads']]);
  });
});
