import { expectProblem } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';

describe('de-duplication on capture, and merging leads', () => {
  let n = 0;
  let tenant = 'dedup';
  beforeEach(() => {
    tenant = `dedup-${++n}`;
  });
  const { store, get, post } = useLeadsApp({ headers: () => ({ 'x-tenant-id': tenant }) });
  const typesOf = async (id: string) => (await store().readStream(`lead-${id}`)).map((e) => e.type);
  const capture = async (payload: object, headers: Record<string, string> = {}) => {
    const res = await post('/v1/leads', payload, headers);
    expect([200, 201]).toContain(res.statusCode);
    return res;
  };
  const idOf = (res: { json: <T>() => T }) => res.json<{ id: string }>().id;
  const allEvents = async () => (await store().readAll()).length;

  describe('POST /v1/leads matching an open lead', () => {
    it('attaches a capture with the same e-mail: 200, the existing id, attached: true, one LeadRecaptured', async () => {
      const first = await capture({ name: 'Ann Lee', email: 'ann@example.cn' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ attached: false });
      const again = await capture({ name: 'Ann', email: ' ANN@Example.cn ', phone: '138 0013 8000', company: 'Acme Inc.', channel: 'landing_page', campaignId: 'cmp-9', utm: { source: 'wechat' }, consentPurposes: ['marketing'] });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: idOf(first), attached: true, status: 'captured', revision: 1 });
      expect(again.headers.location).toBe(`/v1/leads/${idOf(first)}`);
      expect(again.headers.etag).toBe('"1"');
      const [, recaptured] = await store().readStream(`lead-${idOf(first)}`);
      expect(recaptured).toMatchObject({
        type: 'leads.LeadRecaptured',
        data: {
          matchedOn: 'email', source: { channel: 'landing_page', campaignId: 'cmp-9', utm: { source: 'wechat' } },
          consents: [{ purpose: 'marketing' }], added: { phone: '+8613800138000', company: 'Acme Inc.' },
        },
      });
      expect((await get(`/v1/leads/${idOf(first)}`)).json()).toMatchObject({ name: 'Ann Lee', phone: '+8613800138000', company: 'Acme Inc.' });
    });

    it('matches on the phone, and on the folded company with the same person name', async () => {
      const lead = await capture({ name: '王芳', phone: '+86 138 0013 8000', company: '北京某某科技有限公司' });
      const byPhone = await capture({ name: 'Someone', phone: '13800138000' });
      expect(byPhone.json()).toMatchObject({ id: idOf(lead), attached: true });
      const byCompany = await capture({ name: '王 芳', email: 'wf@example.cn', company: '北京某某科技有限公司（北京）' });
      expect(byCompany.json()).toMatchObject({ id: idOf(lead), attached: true });
      const data = (await store().readStream(`lead-${idOf(lead)}`)).slice(1).map((e) => (e.data as { matchedOn: string }).matchedOn);
      expect(data).toEqual(['phone', 'company_and_name']);
    });

    it('finds the lead by a key an earlier recapture added', async () => {
      const lead = await capture({ name: 'Bo', email: 'bo@example.cn' });
      await capture({ name: 'Bo', email: 'bo@example.cn', phone: '139 0013 9000' });
      expect((await capture({ name: 'B.', phone: '13900139000' })).json()).toMatchObject({ id: idOf(lead), attached: true });
    });

    it('creates a new lead when the match is converted or disqualified, and later captures attach to the new one', async () => {
      const old = await capture({ name: 'Cy', email: 'cy@example.cn' });
      await post(`/v1/leads/${idOf(old)}/disqualify`, { reason: 'no budget' });
      const fresh = await capture({ name: 'Cy', email: 'cy@example.cn' });
      expect(fresh.statusCode).toBe(201);
      expect(idOf(fresh)).not.toBe(idOf(old));
      expect((await capture({ name: 'Cy', email: 'cy@example.cn' })).json()).toMatchObject({ id: idOf(fresh), attached: true });
      expect(await typesOf(idOf(old))).toEqual(['leads.LeadCaptured', 'leads.LeadDisqualified']);
    });

    it('keeps tenants apart', async () => {
      const mine = await capture({ name: 'Di', email: 'di@example.cn' });
      const theirs = await post('/v1/leads', { name: 'Di', email: 'di@example.cn' }, { 'x-tenant-id': `${tenant}-other` });
      expect(theirs.statusCode).toBe(201);
      expect(idOf(theirs)).not.toBe(idOf(mine));
    });

    it('creates one lead when the same person is captured many times at once', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/v1/leads', { name: 'Eve', email: 'eve@example.cn', ...(i % 2 === 0 && { phone: '137 0013 7000' }) })));
      const ids = new Set(results.map(idOf));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
      const types = await typesOf([...ids][0]);
      expect(types.filter((t) => t === 'leads.LeadCaptured')).toHaveLength(1);
      expect(types.filter((t) => t === 'leads.LeadRecaptured')).toHaveLength(7);
    });

    it('replays an attaching capture retried with the same Idempotency-Key', async () => {
      const lead = await capture({ name: 'Fa', email: 'fa@example.cn' });
      const first = await capture({ name: 'Fa', email: 'fa@example.cn' }, { 'idempotency-key': 'retry-1' });
      const before = await allEvents();
      const again = await capture({ name: 'Fa', email: 'fa@example.cn' }, { 'idempotency-key': 'retry-1' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await allEvents()).toBe(before);
      expect(await typesOf(idOf(lead))).toEqual(['leads.LeadCaptured', 'leads.LeadRecaptured']);
    });

    it('attaches a web-form submission too (the form still answers 202)', async () => {
      const lead = await capture({ name: 'Gu', email: 'gu@example.cn' });
      const res = await post('/v1/web-forms/contact-us/submissions', { name: 'Gu', email: 'gu@example.cn', utm_source: 'baidu' });
      expect(res.statusCode).toBe(202);
      const [, recaptured] = await store().readStream(`lead-${idOf(lead)}`);
      expect(recaptured).toMatchObject({ type: 'leads.LeadRecaptured', data: { source: { channel: 'web_form', formId: 'contact-us', utm: { source: 'baidu' } } } });
    });
  });

  describe('POST /v1/leads/:id/merge', () => {
    const two = async () => {
      const survivor = idOf(await capture({ name: 'Hu', email: 'hu@example.cn' }));
      const merged = idOf(await capture({ name: 'Hu Work', email: 'hu@work.example', phone: '136 0013 6000' }));
      return { survivor, merged };
    };

    it('merges: LeadMergedInto on the loser, LeadsMerged on the survivor, both histories kept; the loser redirects', async () => {
      const { survivor, merged } = await two();
      const res = await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }, { 'x-actor-id': 'mgr-1' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id: survivor, status: 'captured', revision: 1 });
      expect(res.headers.etag).toBe('"1"');
      expect(await store().readStream(`lead-${survivor}`)).toEqual([
        expect.objectContaining({ type: 'leads.LeadCaptured' }),
        expect.objectContaining({ type: 'leads.LeadsMerged', data: expect.objectContaining({ leadId: survivor, mergedId: merged, mergedBy: 'mgr-1' }) }),
      ]);
      expect(await typesOf(merged)).toEqual(['leads.LeadCaptured', 'leads.LeadMergedInto']);
      const loser = await get(`/v1/leads/${merged}`);
      expect(loser.statusCode).toBe(200);
      expect(loser.json()).toMatchObject({ id: merged, mergedInto: survivor });
      expect((await get(`/v1/leads/${survivor}`)).json()).toMatchObject({ merged: [merged] });
    });

    it('answers commands on the merged lead with 422 lead_merged naming the survivor', async () => {
      const { survivor, merged } = await two();
      await post(`/v1/leads/${survivor}/merge`, { mergedId: merged });
      const res = await post(`/v1/leads/${merged}/qualify`, {});
      expectProblem(res, 422, 'lead_merged');
      expect(res.json()).toMatchObject({ survivorId: survivor });
    });

    it('points the loser’s match keys at the survivor: a later capture of the loser’s e-mail or phone attaches there', async () => {
      const { survivor, merged } = await two();
      await post(`/v1/leads/${survivor}/merge`, { mergedId: merged });
      expect((await capture({ name: 'Hu', email: 'hu@work.example' })).json()).toMatchObject({ id: survivor, attached: true });
      expect((await capture({ name: 'Hu', phone: '13600136000' })).json()).toMatchObject({ id: survivor, attached: true });
      expect(await typesOf(merged)).toEqual(['leads.LeadCaptured', 'leads.LeadMergedInto']);
    });

    it('refuses merging a lead into itself, an already merged lead, and a merged survivor with 422; nothing appended', async () => {
      const { survivor, merged } = await two();
      const before = await allEvents();
      expectProblem(await post(`/v1/leads/${survivor}/merge`, { mergedId: survivor }), 422, 'merge_into_self');
      expect(await allEvents()).toBe(before);
      await post(`/v1/leads/${survivor}/merge`, { mergedId: merged });
      const third = idOf(await capture({ name: 'Third', email: 'third@example.cn' }));
      const after = await allEvents();
      expectProblem(await post(`/v1/leads/${third}/merge`, { mergedId: merged }), 422, 'lead_merged');
      expectProblem(await post(`/v1/leads/${merged}/merge`, { mergedId: third }), 422, 'lead_merged');
      expect(await allEvents()).toBe(after);
    });

    it('refuses merging away a converted lead with 422', async () => {
      const { survivor, merged } = await two();
      await post(`/v1/leads/${merged}/qualify`, {});
      await post(`/v1/leads/${merged}/convert`, {});
      expectProblem(await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }), 422, 'lead_already_converted');
      expect(await typesOf(survivor)).toEqual(['leads.LeadCaptured']);
    });

    it('answers 404 for an unknown survivor or merged lead, 400 for bad input; nothing appended', async () => {
      const { survivor } = await two();
      const before = await allEvents();
      const unknown = '0190aaaa-0000-7000-8000-00000000beef';
      expectProblem(await post(`/v1/leads/${unknown}/merge`, { mergedId: survivor }), 404, 'lead_not_found');
      expectProblem(await post(`/v1/leads/${survivor}/merge`, { mergedId: unknown }), 404, 'lead_not_found');
      expectProblem(await post(`/v1/leads/${survivor}/merge`, { mergedId: 'nope' }), 400, 'validation_failed');
      expectProblem(await post(`/v1/leads/${survivor}/merge`, {}), 400, 'validation_failed');
      expectProblem(await post(`/v1/leads/${survivor}/merge`, { mergedId: survivor, extra: 1 }), 400, 'validation_failed');
      expect(await allEvents()).toBe(before);
    });

    it('refuses a stale If-Match with 409 before touching the merged lead', async () => {
      const { survivor, merged } = await two();
      const res = await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }, { 'if-match': '"5"' });
      expectProblem(res, 409, 'concurrency_conflict');
      expect(await typesOf(merged)).toEqual(['leads.LeadCaptured']);
      expect((await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }, { 'if-match': '"0"' })).statusCode).toBe(200);
    });

    it('replays a retry with the same Idempotency-Key: nothing new appended', async () => {
      const { survivor, merged } = await two();
      const first = await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'merge-1', 'if-match': '"0"' });
      const before = await allEvents();
      const again = await post(`/v1/leads/${survivor}/merge`, { mergedId: merged }, { 'idempotency-key': 'merge-1', 'if-match': '"0"' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await allEvents()).toBe(before);
    });
  });
});
