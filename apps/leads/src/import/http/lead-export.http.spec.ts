import { useLeadsApp } from '../../../test/leads-app.fixture';

const { app } = useLeadsApp();

const tenant = `export-${Date.now().toString(36)}`;
const headers = { 'x-tenant-id': tenant };

const capture = async (body: Record<string, unknown>): Promise<string> => {
  const res = await app().inject({ method: 'POST', url: '/v1/leads', headers, payload: body });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
};

const exportCsv = async (query = '', tenantHeaders: Record<string, string> = headers) => {
  const res = await app().inject({ method: 'GET', url: `/v1/leads/export.csv${query}`, headers: tenantHeaders });
  return { res, lines: res.body.replace(/^\uFEFF/, '').trim().split('\r\n') };
};

describe('GET /v1/leads/export.csv', () => {
  let qualifiedId = '';
  beforeAll(async () => {
    qualifiedId = await capture({ name: '张伟', company: '北京某某科技有限公司', email: 'zhang@example.cn', channel: 'web_form', utm: { source: 'baidu' }, campaignId: 'spring' });
    await capture({ name: 'Bob "the" Builder', company: 'Builders, Inc.', phone: '138 0013 8000', channel: 'phone' });
    await capture({ name: '=HYPERLINK("x")', email: 'formula@example.com', channel: 'web_form' });
    const q = await app().inject({ method: 'POST', url: `/v1/leads/${qualifiedId}/qualify`, headers, payload: {} });
    expect(q.statusCode).toBe(200);
    // Another tenant's lead never shows up.
    await app().inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': `${tenant}-other` }, payload: { name: 'Other', email: 'o@example.com' } });
  });

  it("streams every lead of the tenant as UTF-8 CSV with a BOM, quoted and formula-safe", async () => {
    const { res, lines } = await exportCsv();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body.startsWith('\uFEFFid,status,name,')).toBe(true);
    expect(lines[0]).toBe('id,status,name,company,email,phone,channel,campaign,utm_source,utm_medium,utm_campaign,utm_term,utm_content,captured_at');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^${qualifiedId},qualified,张伟,北京某某科技有限公司,zhang@example.cn,,web_form,spring,baidu,,,,,\\d{4}-`));
    expect(lines[2]).toContain(',captured,"Bob ""the"" Builder","Builders, Inc.",,+8613800138000,phone,');
    expect(lines[3]).toContain(`,captured,"'=HYPERLINK(""x"")",,formula@example.com,`);
    expect(res.body).not.toContain('Other');
  });

  it('filters by status, channel and capture time', async () => {
    expect((await exportCsv('?status=qualified')).lines.slice(1).map((l) => l.split(',')[0])).toEqual([qualifiedId]);
    expect((await exportCsv('?channel=web_form')).lines).toHaveLength(3);
    expect((await exportCsv('?channel=web_form&status=captured')).lines).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect((await exportCsv(`?capturedFrom=${today}&capturedTo=${today}`)).lines).toHaveLength(4);
    expect((await exportCsv('?capturedTo=2000-01-01')).lines).toHaveLength(1);
    expect((await exportCsv(`?capturedFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).lines).toHaveLength(1);
  });

  it('refuses filters it cannot read', async () => {
    const { res } = await exportCsv('?channel=carrier_pigeon&capturedFrom=yesterday');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path).sort()).toEqual(['capturedFrom', 'channel']);
  });
});
