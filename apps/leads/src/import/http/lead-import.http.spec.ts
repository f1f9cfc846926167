import { LeadEventType } from '@crm/contracts';
import ExcelJS from 'exceljs';
import { useLeadsApp } from '../../../test/leads-app.fixture';
import { XLSX_CONTENT_TYPE } from './lead-import.dto';

const { app, store } = useLeadsApp();

let tenantSeq = 0;
const freshTenant = () => `import-${Date.now().toString(36)}-${++tenantSeq}`;

type Job = { id: string; status: string; processed: number; failed: number; created: number; attached: number; error?: string };

const upload = (tenant: string, body: string | Buffer, contentType = 'text/csv', headers: Record<string, string> = {}) =>
  app().inject({ method: 'POST', url: '/v1/lead-imports', headers: { 'content-type': contentType, 'x-tenant-id': tenant, ...headers }, payload: body });

const finished = async (tenant: string, id: string): Promise<Job> => {
  for (let i = 0; i < 500; i++) {
    const res = await app().inject({ method: 'GET', url: `/v1/lead-imports/${id}`, headers: { 'x-tenant-id': tenant } });
    expect(res.statusCode).toBe(200);
    const job = res.json<Job>();
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`import ${id} did not finish`);
};

const importFile = async (tenant: string, body: string | Buffer, contentType = 'text/csv') => {
  const res = await upload(tenant, body, contentType);
  expect(res.statusCode).toBe(202);
  expect(res.headers.location).toBe(`/v1/lead-imports/${res.json<Job>().id}`);
  return finished(tenant, res.json<Job>().id);
};

const capturedFor = async (tenant: string) =>
  (await store().readAll({ filter: { eventTypes: [LeadEventType.LeadCaptured] } }))
    .filter((e) => e.metadata.tenantId === tenant)
    .map((e) => e.data as { name: string; email?: string; phone?: string; company?: string; source: { channel: string; utm?: Record<string, string> } });

const MIXED = [
  'Name,Company,E-mail,Phone,utm_source,Notes',
  'Alice Wang,Acme Co.,Alice@Example.com,,newsletter,first',
  'Bob,,not-an-email,,,bad e-mail',
  ',NoName Ltd,nobody@example.com,,,missing name',
  'Carol Li,"Li, Partners",,138 0013 8000,,phone only',
  '',
  'Dan,,dan@example.com,,,ok',
].join('\n');

describe('POST /v1/lead-imports (CSV)', () => {
  it('imports the good rows, counts and lists the bad ones, and a re-run creates nothing', async () => {
    const tenant = freshTenant();
    const job = await importFile(tenant, MIXED);
    expect(job).toMatchObject({ status: 'completed', processed: 5, failed: 2, created: 3, attached: 0 });

    const leads = await capturedFor(tenant);
    expect(leads.map((l) => l.name).sort()).toEqual(['Alice Wang', 'Carol Li', 'Dan']);
    expect(leads.find((l) => l.name === 'Alice Wang')).toMatchObject({ email: 'alice@example.com', company: 'Acme Co.', source: { channel: 'import', utm: { source: 'newsletter' } } });
    expect(leads.find((l) => l.name === 'Carol Li')).toMatchObject({ phone: '+8613800138000', company: 'Li, Partners' });

    const errors = await app().inject({ method: 'GET', url: `/v1/lead-imports/${job.id}/errors`, headers: { 'x-tenant-id': tenant } });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toMatch(/^text\/csv/);
    const lines = errors.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,column,message,Name,Company,E-mail,Phone,utm_source,Notes');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^3,E-mail,.*not a valid e-mail address.*,Bob,,not-an-email,,,bad e-mail$/);
    expect(lines[2]).toMatch(/^4,Name,.*required.*,,NoName Ltd,nobody@example.com,,,missing name$/);

    // The same file again, renamed and with its rows in another order: nothing new.
    const lines0 = MIXED.split('\n');
    const reordered = [lines0[0], ...lines0.slice(1).reverse()].join('\r\n');
    const rerun = await app().inject({ method: 'POST', url: '/v1/lead-imports?fileName=copy.csv', headers: { 'content-type': 'text/csv; charset=utf-8', 'x-tenant-id': tenant }, payload: reordered });
    expect(rerun.statusCode).toBe(202);
    expect(await finished(tenant, rerun.json<Job>().id)).toMatchObject({ status: 'completed', processed: 5, failed: 2, created: 0, attached: 3 });
    expect(await capturedFor(tenant)).toHaveLength(3);
  });

  it('reads Chinese headers, semicolons and a BOM, and attaches a repeated person in the same file', async () => {
    const tenant = freshTenant();
    const csv = '\uFEFF姓名;公司;邮箱;手机\n张伟;北京某某科技有限公司;zhang@example.cn;13800138000\n李娜;;;139-0013-9000\n张伟;;ZHANG@example.cn;\n';
    expect(await importFile(tenant, csv)).toMatchObject({ status: 'completed', processed: 3, failed: 0, created: 2, attached: 1 });
    const leads = await capturedFor(tenant);
    expect(leads).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: '张伟', company: '北京某某科技有限公司', email: 'zhang@example.cn', phone: '+8613800138000' }),
      expect.objectContaining({ name: '李娜', phone: '+8613900139000' }),
    ]));
  });

  it('attaches rows that match leads captured elsewhere (API) or by another key, and a re-run appends nothing at all', async () => {
    const tenant = freshTenant();
    const api = await app().inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': tenant }, payload: { name: 'Fay', email: 'fay@example.com' } });
    expect(api.statusCode).toBe(201);
    const csv = 'name,email,phone\nFay,FAY@example.com,137 0013 7001\nGil,gil@example.com,137 0013 7002\nGil Home,gil@home.example,137 0013 7002\n';
    expect(await importFile(tenant, csv)).toMatchObject({ status: 'completed', processed: 3, failed: 0, created: 1, attached: 2 });
    const fay = await store().readStream(`lead-${api.json<{ id: string }>().id}`);
    expect(fay.map((e) => e.type)).toEqual(['leads.LeadCaptured', 'leads.LeadRecaptured']);
    expect(fay[1].data).toMatchObject({ matchedOn: 'email', source: { channel: 'import' }, added: { phone: '+8613700137001' } });
    expect(await capturedFor(tenant)).toHaveLength(2);

    const before = (await store().readAll()).length;
    expect(await importFile(tenant, csv)).toMatchObject({ status: 'completed', processed: 3, created: 0, attached: 3 });
    expect((await store().readAll()).length).toBe(before);
  });

  it('reads a GB18030-encoded CSV as Excel in a Chinese locale writes it', async () => {
    const tenant = freshTenant();
    // "姓名,电话\n王芳,13700137000" in GB18030.
    const gbk = Buffer.from('d0d5c3fb2cb5e7bbb00acdf5b7bc2c3133373030313337303030', 'hex');
    expect(await importFile(tenant, gbk)).toMatchObject({ status: 'completed', created: 1 });
    expect(await capturedFor(tenant)).toEqual([expect.objectContaining({ name: '王芳', phone: '+8613700137000' })]);
  });

  it('returns the first job for a retried upload with the same Idempotency-Key', async () => {
    const tenant = freshTenant();
    const csv = 'name,email\nEve,eve@example.com\n';
    const first = await upload(tenant, csv, 'text/csv', { 'idempotency-key': 'upload-1' });
    expect(first.statusCode).toBe(202);
    await finished(tenant, first.json<Job>().id);
    const again = await upload(tenant, csv, 'text/csv', { 'idempotency-key': 'upload-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json<Job>()).toMatchObject({ id: first.json<Job>().id, status: 'completed', created: 1 });
  });

  it('refuses an unknown content type (415), an empty file and a file without usable columns (400)', async () => {
    const tenant = freshTenant();
    const json = await app().inject({ method: 'POST', url: '/v1/lead-imports', headers: { 'content-type': 'application/json', 'x-tenant-id': tenant }, payload: '{"name":"x"}' });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
    const pdf = await upload(tenant, 'x', 'application/pdf');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.headers['content-type']).toMatch(/^application\/problem\+json/);

    const empty = await upload(tenant, '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'empty_file' });
    const blank = await upload(tenant, '\n\n');
    expect(blank.json()).toMatchObject({ status: 400, code: 'empty_file' });

    const columns = await upload(tenant, 'foo,bar\n1,2\n');
    expect(columns.statusCode).toBe(400);
    expect(columns.json()).toMatchObject({ code: 'unrecognised_columns', headers: ['foo', 'bar'] });

    const brokenXlsx = await upload(tenant, 'not a zip', XLSX_CONTENT_TYPE);
    expect(brokenXlsx.statusCode).toBe(400);
    expect(brokenXlsx.json()).toMatchObject({ code: 'unreadable_file' });
  });

  it('answers 404 for an unknown job and for another tenant’s job', async () => {
    const tenant = freshTenant();
    const res = await upload(tenant, 'name,email\nFay,fay@example.com\n');
    const { id } = res.json<Job>();
    await finished(tenant, id);
    const other = await app().inject({ method: 'GET', url: `/v1/lead-imports/${id}`, headers: { 'x-tenant-id': freshTenant() } });
    expect(other.statusCode).toBe(404);
    const unknown = await app().inject({ method: 'GET', url: '/v1/lead-imports/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/errors', headers: { 'x-tenant-id': tenant } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('POST /v1/lead-imports (XLSX)', () => {
  it('imports the first worksheet of a workbook', async () => {
    const tenant = freshTenant();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    sheet.addRow(['姓名', '公司', '邮箱', '电话', '渠道']);
    sheet.addRow(['周杰', 'ACME Inc.', 'zhou@example.com', 13600136000, 'trade_show']);
    sheet.addRow(['吴敏', '', '', '', '']);
    sheet.addRow([{ richText: [{ text: 'Rich ' }, { text: 'Text' }] }, '', 'rich@example.com', '', '']);
    workbook.addWorksheet('ignored').addRow(['name', 'email']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const job = await importFile(tenant, file, XLSX_CONTENT_TYPE);
    expect(job).toMatchObject({ status: 'completed', processed: 3, failed: 1, created: 2 });
    const leads = await capturedFor(tenant);
    expect(leads).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: '周杰', company: 'ACME Inc.', email: 'zhou@example.com', phone: '+8613600136000', source: { channel: 'trade_show' } }),
      expect.objectContaining({ name: 'Rich Text', email: 'rich@example.com' }),
    ]));
    const errors = await app().inject({ method: 'GET', url: `/v1/lead-imports/${job.id}/errors`, headers: { 'x-tenant-id': tenant } });
    expect(errors.body).toContain('\r\n3,邮箱,an e-mail or a phone number is required,吴敏');
  });
});
