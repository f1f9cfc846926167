import { LeadEventType, newId, type LeadEvent, type LeadSourceChannel, type RecordedEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../test/read-model.fixture';
import type { InsightsReadModel } from '../insights-read-model';
import type { ListLeadsOptions } from './lead.query';

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

describe('lead query: the filters sales works its leads with', () => {
  const tenant = `t-${newId()}`;
  const at = (hour: number) => `2025-05-01T0${hour}:00:00.000Z`;
  const id = (n: number) => `00000000-0000-7000-8000-0000000001${n.toString().padStart(2, '0')}`;
  // L1 owned and hot, from the expo campaign; L2 in the pool; L3 qualified, hot, assigned then
  // returned to the pool; L4 disqualified and unowned (not in the pool); L5 claimed. L2 and L5 tie on score.
  const [L1, L2, L3, L4, L5] = [1, 2, 3, 4, 5].map(id);
  const capture = (leadId: string, hour: number, person: { name: string; company?: string; email?: string }, source: { channel: LeadSourceChannel; campaignId?: string }): LeadEvent => ({
    type: LeadEventType.LeadCaptured,
    data: { leadId, ...person, source, capturedAt: at(hour) },
  });
  const score = (leadId: string, value: number): LeadEvent => ({
    type: LeadEventType.LeadScoreChanged,
    data: { leadId, score: value, previousScore: 0, reasons: [], ruleSetVersion: 1, scoredAt: at(6) },
  });
  const hot = (leadId: string, value: number): LeadEvent => ({
    type: LeadEventType.LeadBecameHot,
    data: { leadId, score: value, reasons: [], threshold: 60, ruleSetVersion: 1, becameHotAt: at(6) },
  });
  const ids = async (options: ListLeadsOptions) => (await readModel.leads.listLeads(tenant, options)).items.map((l) => l.id);

  let history: RecordedEvent[] = [];

  beforeAll(async () => {
    const events: LeadEvent[] = [
      capture(L1, 1, { name: '王小明', company: '杭州云图科技有限公司', email: 'Xiaoming.Wang@Yuntu.example.cn' }, { channel: 'web_form', campaignId: 'cmp-expo' }),
      capture(L2, 2, { name: 'Ada Lovelace', company: 'Analytical Engines', email: 'ada@example.com' }, { channel: 'api' }),
      capture(L3, 3, { name: '李雷', company: '北京某某科技有限公司' }, { channel: 'event', campaignId: 'cmp-expo' }),
      capture(L4, 4, { name: 'Bob', company: 'ACME 100% Inc', email: 'bob@acme.test' }, { channel: 'api' }),
      capture(L5, 5, { name: 'Carol', email: 'carol@example.org' }, { channel: 'import' }),
      score(L1, 75),
      hot(L1, 75),
      { type: LeadEventType.LeadAssigned, data: { leadId: L1, ownerId: 'rep-li', how: 'rule', ruleId: 'east', assignedAt: at(7) } },
      score(L2, 30),
      qualified(L3),
      score(L3, 60),
      hot(L3, 60),
      { type: LeadEventType.LeadAssigned, data: { leadId: L3, ownerId: 'rep-li', how: 'round_robin', assignedAt: at(7) } },
      { type: LeadEventType.LeadReturnedToPool, data: { leadId: L3, previousOwnerId: 'rep-li', reason: 'manual', returnedAt: at(8) } },
      { type: LeadEventType.LeadDisqualified, data: { leadId: L4, reason: 'student', disqualifiedAt: at(8) } },
      { type: LeadEventType.LeadClaimed, data: { leadId: L5, ownerId: 'rep-wang', claimedAt: at(8) } },
      score(L5, 30),
    ];
    history = events.map((event) => fixture.recorded(tenant, event, '2025-05-01T09:00:00.000Z'));
    for (const event of history) await readModel.projections.leadReadModel.project(event);
  });

  it('pool=true: open leads without an owner, a lead returned to the pool among them; pool=false: the rest', async () => {
    expect(await ids({ pool: true })).toEqual([L3, L2]);
    expect(await ids({ pool: false })).toEqual([L5, L4, L1]);
  });

  it('ownerId: the leads a rep holds', async () => {
    expect(await ids({ ownerId: 'rep-li' })).toEqual([L1]);
    expect(await ids({ ownerId: 'rep-wang' })).toEqual([L5]);
    expect(await ids({ ownerId: 'rep-nobody' })).toEqual([]);
  });

  it('hot, minScore, campaignId and channel', async () => {
    expect(await ids({ hot: true })).toEqual([L3, L1]);
    expect(await ids({ hot: false })).toEqual([L5, L4, L2]);
    expect(await ids({ minScore: 60 })).toEqual([L3, L1]);
    expect(await ids({ minScore: 30 })).toEqual([L5, L3, L2, L1]);
    expect(await ids({ campaignId: 'cmp-expo' })).toEqual([L3, L1]);
    expect(await ids({ channel: 'api' })).toEqual([L4, L2]);
  });

  it('q: a case-insensitive substring of the name, company or e-mail, Chinese included; % _ and \\ are plain characters', async () => {
    expect(await ids({ q: '小明' })).toEqual([L1]);
    expect(await ids({ q: '李雷' })).toEqual([L3]);
    expect(await ids({ q: '科技' })).toEqual([L3, L1]);
    expect(await ids({ q: 'YUNTU.example' })).toEqual([L1]);
    expect(await ids({ q: 'ada' })).toEqual([L2]);
    expect(await ids({ q: 'analytical engines' })).toEqual([L2]);
    expect(await ids({ q: '100%' })).toEqual([L4]);
    expect(await ids({ q: '%' })).toEqual([L4]);
    expect(await ids({ q: '_' })).toEqual([]);
    expect(await ids({ q: '\\' })).toEqual([]);
    expect(await ids({ q: '张三' })).toEqual([]);
  });

  it('combines filters: hot leads of the pool; my hot leads; the pool of a campaign', async () => {
    expect(await ids({ pool: true, hot: true })).toEqual([L3]);
    expect(await ids({ ownerId: 'rep-li', hot: true })).toEqual([L1]);
    expect(await ids({ pool: true, campaignId: 'cmp-expo' })).toEqual([L3]);
    expect(await ids({ pool: true, ownerId: 'rep-li' })).toEqual([]);
    expect(await ids({ status: 'qualified', pool: true, q: '李' })).toEqual([L3]);
  });

  it('sort=score: highest first, then newest; paged with its own cursor, without gaps or repeats', async () => {
    expect(await ids({ sort: 'score' })).toEqual([L1, L3, L5, L2, L4]);
    expect(await ids({ sort: 'score', pool: true })).toEqual([L3, L2]);

    const seen: string[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await readModel.leads.listLeads(tenant, { sort: 'score', limit: 2, cursor });
      pages.push(page.items.length);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual([L1, L3, L5, L2, L4]);
  });

  it('a cursor of one sort is refused by the other', async () => {
    const byCapture = (await readModel.leads.listLeads(tenant, { limit: 1 })).nextCursor!;
    const byScore = (await readModel.leads.listLeads(tenant, { limit: 1, sort: 'score' })).nextCursor!;
    await expect(readModel.leads.listLeads(tenant, { sort: 'score', cursor: byCapture })).rejects.toMatchObject({ code: 'invalid_cursor', kind: 'invalid' });
    await expect(readModel.leads.listLeads(tenant, { cursor: byScore })).rejects.toMatchObject({ code: 'invalid_cursor', kind: 'invalid' });
  });

  it('items carry the owner, score, hot flag and source campaign; counts stay those of the whole tenant', async () => {
    const page = await readModel.leads.listLeads(tenant, { ownerId: 'rep-li' });
    expect(page.items[0]).toMatchObject({
      id: L1,
      ownerId: 'rep-li',
      score: 75,
      hot: true,
      lastActivityAt: at(7),
      source: { channel: 'web_form', campaignId: 'cmp-expo', referrer: null, formId: null },
    });
    expect(page.counts).toEqual({ captured: 3, qualified: 1, disqualified: 1, converted: 0, total: 5 });
  });

  it('redelivering the same events changes no filter result', async () => {
    const before = await Promise.all([ids({ sort: 'score' }), ids({ pool: true }), ids({ hot: true }), ids({ ownerId: 'rep-li' })]);

    const outcomes = [];
    for (const event of history) outcomes.push(await readModel.projections.leadReadModel.project(event));

    expect(outcomes.every((o) => o === 'skipped')).toBe(true);
    expect(await Promise.all([ids({ sort: 'score' }), ids({ pool: true }), ids({ hot: true }), ids({ ownerId: 'rep-li' })])).toEqual(before);
  });
});
