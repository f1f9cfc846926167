import { LeadEventType, LeadMatchKeyEventType, newId, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../test/read-model.fixture';
import type { InsightsReadModel } from '../insights-read-model';
import { LEAD_READ_MODEL_PROJECTION, leadReadModelConsumer } from './lead-read-model.projection';
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
const assigned = (leadId: string, ownerId: string, assignedAt = '2025-03-01T12:00:00.000Z'): LeadEvent => ({
  type: LeadEventType.LeadAssigned,
  data: { leadId, ownerId, how: 'round_robin', assignedAt },
});
const claimed = (leadId: string, ownerId: string, claimedAt = '2025-03-05T09:00:00.000Z'): LeadEvent => ({
  type: LeadEventType.LeadClaimed,
  data: { leadId, ownerId, claimedAt },
});
const followedUp = (leadId: string, by: string, followedUpAt: string): LeadEvent => ({ type: LeadEventType.LeadFollowedUp, data: { leadId, by, followedUpAt } });
const returnedToPool = (leadId: string, previousOwnerId: string): LeadEvent => ({
  type: LeadEventType.LeadReturnedToPool,
  data: { leadId, previousOwnerId, reason: 'no_follow_up', returnedAt: '2025-04-01T00:00:00.000Z' },
});
const reason = { ruleId: 'pricing', kind: 'behaviour', points: 15, detail: 'pricing page' } as const;
const scoreChanged = (leadId: string, score: number, previousScore: number): LeadEvent => ({
  type: LeadEventType.LeadScoreChanged,
  data: { leadId, score, previousScore, reasons: [reason], ruleSetVersion: 1, scoredAt: '2025-03-01T13:00:00.000Z' },
});
const becameHot = (leadId: string, score: number): LeadEvent => ({
  type: LeadEventType.LeadBecameHot,
  data: { leadId, score, reasons: [reason], threshold: 60, ruleSetVersion: 1, becameHotAt: '2025-03-01T13:00:00.000Z' },
});
const cooled = (leadId: string, score: number): LeadEvent => ({
  type: LeadEventType.LeadCooled,
  data: { leadId, score, reasons: [reason], threshold: 60, ruleSetVersion: 1, cooledAt: '2025-03-20T00:00:00.000Z' },
});
const attributesUpdated = (leadId: string, changes: Record<string, string | number | boolean | null>): LeadEvent => ({
  type: LeadEventType.LeadAttributesUpdated,
  data: { leadId, changes, updatedAt: '2025-03-01T14:00:00.000Z' },
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
      source: { channel: 'web_form', utm: { source: 'newsletter', campaign: 'spring' }, campaignId: null, referrer: null, formId: null },
      status: 'converted',
      ownerId: null,
      score: 0,
      hot: false,
      industry: null,
      region: null,
      lastActivityAt: null,
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

  it('keeps the campaign, referrer and form of the capture source; a recapture from another campaign leaves them', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    const capture = captured(leadId);
    if (capture.type !== LeadEventType.LeadCaptured) throw new Error('a capture');
    capture.data.source = { ...capture.data.source, campaignId: 'cmp-spring', referrer: 'https://example.cn/blog', formId: 'demo-request' };
    await project([
      recorded(tenant, capture),
      recorded(tenant, {
        type: LeadEventType.LeadRecaptured,
        data: { leadId, name: 'Ada', source: { channel: 'event', campaignId: 'cmp-expo' }, matchedOn: 'email', recapturedAt: '2025-03-04T08:00:00.000Z' },
      }),
    ]);

    expect((await readModel.leads.findLead(tenant, leadId))?.source).toEqual({
      channel: 'web_form',
      utm: { source: 'newsletter', campaign: 'spring' },
      campaignId: 'cmp-spring',
      referrer: 'https://example.cn/blog',
      formId: 'demo-request',
    });
  });

  it('assignment sets the owner and its activity clock, a follow-up moves the clock, a return to the pool clears both, a claim takes it again', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    const owner = async () => {
      const lead = await readModel.leads.findLead(tenant, leadId);
      return { ownerId: lead?.ownerId, lastActivityAt: lead?.lastActivityAt };
    };
    await project([recorded(tenant, captured(leadId)), recorded(tenant, assigned(leadId, 'rep-li'))]);
    expect(await owner()).toEqual({ ownerId: 'rep-li', lastActivityAt: '2025-03-01T12:00:00.000Z' });

    await project([recorded(tenant, followedUp(leadId, 'rep-li', '2025-03-02T15:30:00.000Z'))]);
    expect(await owner()).toEqual({ ownerId: 'rep-li', lastActivityAt: '2025-03-02T15:30:00.000Z' });

    await project([recorded(tenant, returnedToPool(leadId, 'rep-li'))]);
    expect(await owner()).toEqual({ ownerId: null, lastActivityAt: null });

    await project([recorded(tenant, claimed(leadId, 'rep-wang'))]);
    expect(await owner()).toEqual({ ownerId: 'rep-wang', lastActivityAt: '2025-03-05T09:00:00.000Z' });

    // A re-assignment replaces the owner.
    await project([recorded(tenant, { type: LeadEventType.LeadAssigned, data: { leadId, ownerId: 'rep-zhao', how: 'manual', previousOwnerId: 'rep-wang', assignedAt: '2025-03-06T09:00:00.000Z' } })]);
    expect(await owner()).toEqual({ ownerId: 'rep-zhao', lastActivityAt: '2025-03-06T09:00:00.000Z' });
  });

  it('score events set the score; becoming hot and cooling move the hot flag', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    const scoring = async () => {
      const lead = await readModel.leads.findLead(tenant, leadId);
      return { score: lead?.score, hot: lead?.hot };
    };
    await project([recorded(tenant, captured(leadId)), recorded(tenant, scoreChanged(leadId, 25, 0))]);
    expect(await scoring()).toEqual({ score: 25, hot: false });

    await project([recorded(tenant, scoreChanged(leadId, 75, 25)), recorded(tenant, becameHot(leadId, 75))]);
    expect(await scoring()).toEqual({ score: 75, hot: true });

    await project([recorded(tenant, scoreChanged(leadId, 65, 75))]);
    expect(await scoring()).toEqual({ score: 65, hot: true });

    await project([recorded(tenant, scoreChanged(leadId, 40, 65)), recorded(tenant, cooled(leadId, 40))]);
    expect(await scoring()).toEqual({ score: 40, hot: false });
  });

  it('attribute updates set and clear industry and region; other attributes change neither', async () => {
    const tenant = `t-${newId()}`;
    const leadId = newId();
    const profile = async () => {
      const lead = await readModel.leads.findLead(tenant, leadId);
      return { industry: lead?.industry, region: lead?.region };
    };
    await project([recorded(tenant, captured(leadId)), recorded(tenant, attributesUpdated(leadId, { industry: '软件', region: '华东', employees: 120 }))]);
    expect(await profile()).toEqual({ industry: '软件', region: '华东' });

    await project([recorded(tenant, attributesUpdated(leadId, { title: 'CTO' }))]);
    expect(await profile()).toEqual({ industry: '软件', region: '华东' });

    await project([recorded(tenant, attributesUpdated(leadId, { region: null, industry: 'manufacturing' }))]);
    expect(await profile()).toEqual({ industry: 'manufacturing', region: null });
  });

  it('an owner, score or attribute event for a lead that was never captured fails (and is dead-lettered by the consumer)', async () => {
    const tenant = `t-${newId()}`;
    const before = await snapshot();
    for (const event of [assigned(newId(), 'rep-li'), scoreChanged(newId(), 10, 0), attributesUpdated(newId(), { industry: 'x' })]) {
      await expect(readModel.projections.leadReadModel.project(recorded(tenant, event))).rejects.toMatchObject({ code: 'lead_not_projected' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('replaying the same events is a no-op: rows and checkpoint unchanged, every event skipped', async () => {
    const tenant = `t-${newId()}`;
    const [a, b] = [newId(), newId()];
    const events = [
      recorded(tenant, captured(a)),
      recorded(tenant, captured(b)),
      recorded(tenant, assigned(a, 'rep-li')),
      recorded(tenant, scoreChanged(a, 70, 0)),
      recorded(tenant, becameHot(a, 70)),
      recorded(tenant, attributesUpdated(a, { industry: 'software', region: 'east' })),
      recorded(tenant, followedUp(a, 'rep-li', '2025-03-02T10:00:00.000Z')),
      recorded(tenant, qualified(a)),
      recorded(tenant, assigned(b, 'rep-wang')),
      recorded(tenant, returnedToPool(b, 'rep-wang')),
      recorded(tenant, disqualified(b)),
      recorded(tenant, converted(a)),
    ];
    await project(events);
    const before = await snapshot();
    expect(before.leads.find((l) => l.id === a)).toMatchObject({ ownerId: 'rep-li', score: 70, hot: true, industry: 'software', status: 'converted' });

    // Redelivery through the consumer port (second attempt), then a full replay from the start.
    await readModel.projections.leadReadModel.handle(events[4], { source: 'leads', attempt: 2 });
    expect(await project(events)).toEqual(events.map(() => 'skipped'));

    expect(await snapshot()).toEqual(before);
  });

  it('subscribes to the capture, status, scoring and assignment events it shows, not to the match-key index', () => {
    const types = leadReadModelConsumer.filter?.eventTypes ?? [];
    expect(types).toEqual(expect.arrayContaining([
      LeadEventType.LeadCaptured,
      LeadEventType.LeadRecaptured,
      LeadEventType.LeadMergedInto,
      LeadEventType.LeadAttributesUpdated,
      LeadEventType.LeadScoreChanged,
      LeadEventType.LeadBecameHot,
      LeadEventType.LeadCooled,
      LeadEventType.LeadAssigned,
      LeadEventType.LeadClaimed,
      LeadEventType.LeadReturnedToPool,
      LeadEventType.LeadFollowedUp,
    ]));
    expect(types).not.toContain(LeadMatchKeyEventType.LeadMatchKeyPointed);
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
