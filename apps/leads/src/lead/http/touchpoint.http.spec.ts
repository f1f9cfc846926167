import { useLeadsApp } from '../../../test/leads-app.fixture';
import { MAX_TOUCHPOINTS_PER_BATCH } from './lead.dto';

describe('touchpoint ingestion', () => {
  const { app, store } = useLeadsApp();

  let people = 0;
  /** A new person each time: the same e-mail twice would attach to the first lead. */
  const capture = async (tenant = 'default') =>
    (await app().inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': tenant }, payload: { name: 'Touch Me', email: `touch-${++people}@example.cn` } })).json<{ id: string }>().id;
  const send = (touchpoints: unknown[], tenant = 'default') =>
    app().inject({ method: 'POST', url: '/v1/touchpoints', headers: { 'x-tenant-id': tenant }, payload: { touchpoints } });
  const touchpointsOf = async (leadId: string) => (await store().readStream(`lead-${leadId}`)).filter((e) => e.type === 'leads.TouchpointRecorded');

  it('records a batch across leads, answering per item in request order', async () => {
    const [a, b] = [await capture(), await capture()];
    const unknown = '0190aaaa-0000-7000-8000-00000000dead';
    const res = await send([
      { touchpointId: 'pv-1', leadId: a, type: 'page_view', at: '2026-03-01T10:00:00+08:00', url: 'https://example.cn/' },
      { touchpointId: 'pr-1', leadId: b, type: 'pricing_page_view', at: '2026-03-01T02:01:00Z' },
      { touchpointId: 'wp-1', leadId: a, type: 'whitepaper_download', at: '2026-03-01T02:02:00Z', campaignId: 'cmp-9' },
      { touchpointId: 'x-1', leadId: unknown, type: 'email_opened', at: '2026-03-01T02:03:00Z' },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      results: [
        { touchpointId: 'pv-1', leadId: a, status: 'recorded' },
        { touchpointId: 'pr-1', leadId: b, status: 'recorded' },
        { touchpointId: 'wp-1', leadId: a, status: 'recorded' },
        { touchpointId: 'x-1', leadId: unknown, status: 'rejected', code: 'lead_not_found' },
      ],
    });
    const onA = await touchpointsOf(a);
    expect(onA.map((e) => e.data)).toEqual([
      expect.objectContaining({ touchpointId: 'pv-1', type: 'page_view', at: '2026-03-01T02:00:00.000Z', url: 'https://example.cn/' }),
      expect.objectContaining({ touchpointId: 'wp-1', type: 'whitepaper_download', campaignId: 'cmp-9' }),
    ]);
    expect(await touchpointsOf(b)).toHaveLength(1);
  });

  it('answers duplicate for a re-sent batch and appends nothing', async () => {
    const lead = await capture();
    const batch = [
      { touchpointId: 'eo-1', leadId: lead, type: 'email_opened', at: '2026-03-02T08:00:00Z' },
      { touchpointId: 'ec-1', leadId: lead, type: 'email_clicked', at: '2026-03-02T08:01:00Z' },
    ];
    await send(batch);
    const before = (await store().readAll()).length;
    const again = await send(batch);
    expect(again.json<{ results: { status: string }[] }>().results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect((await store().readAll()).length).toBe(before);
  });

  it('rejects another tenant’s lead per item', async () => {
    const lead = await capture('acme');
    const res = await send([{ touchpointId: 'fs-1', leadId: lead, type: 'form_submit', at: '2026-03-02T08:00:00Z' }], 'globex');
    expect(res.json()).toEqual({ results: [{ touchpointId: 'fs-1', leadId: lead, status: 'rejected', code: 'not_found' }] });
    expect(await touchpointsOf(lead)).toHaveLength(0);
  });

  it.each([
    ['an empty batch', []],
    ['an unknown type', [{ touchpointId: 't', leadId: '0190aaaa-0000-7000-8000-000000000001', type: 'telepathy', at: '2026-03-01T00:00:00Z' }]],
    ['a lead id that is not a UUID', [{ touchpointId: 't', leadId: 'lead-1', type: 'page_view', at: '2026-03-01T00:00:00Z' }]],
    ['a time without a zone', [{ touchpointId: 't', leadId: '0190aaaa-0000-7000-8000-000000000001', type: 'page_view', at: 'yesterday' }]],
    ['an unknown field', [{ touchpointId: 't', leadId: '0190aaaa-0000-7000-8000-000000000001', type: 'page_view', at: '2026-03-01T00:00:00Z', score: 100 }]],
    ['too many touchpoints', Array.from({ length: MAX_TOUCHPOINTS_PER_BATCH + 1 }, (_, i) => ({ touchpointId: `t${i}`, leadId: '0190aaaa-0000-7000-8000-000000000001', type: 'page_view', at: '2026-03-01T00:00:00Z' }))],
  ])('rejects %s with 400 problem+json, appending nothing', async (_, touchpoints) => {
    const before = (await store().readAll()).length;
    const res = await send(touchpoints);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await store().readAll()).length).toBe(before);
  });
});
