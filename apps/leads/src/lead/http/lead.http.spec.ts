import { expectProblem } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';

describe('leads HTTP API', () => {
  const { store, send, get, post } = useLeadsApp();

  const eventsOf = async (id: string) => store().readStream(`lead-${id}`);
  const validLead = { name: '李雷', company: 'Acme Co., Ltd.', email: 'Li.Lei@Example.COM', phone: '138 0013 8000', channel: 'web_form', utm: { source: 'baidu', medium: 'cpc', campaign: 'spring-2026' } };
  let people = 0;
  /** Another person each time (the same person twice would attach to the first lead). */
  const freshLead = () => {
    const n = ++people;
    return { ...validLead, name: `李雷${n}`, email: `li.lei.${n}@example.com`, phone: `139 0013 ${String(1000 + n)}` };
  };
  const capture = async (headers: Record<string, string> = {}) => {
    const res = await post('/v1/leads', freshLead(), headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; revision: number }>().id;
  };

  describe('POST /v1/leads', () => {
    it('captures a lead: 201, Location, ETag, one LeadCaptured with metadata', async () => {
      const res = await post('/v1/leads', validLead, { 'x-actor-id': 'user-7', 'x-correlation-id': 'corr-1' });
      expect(res.statusCode).toBe(201);
      const body = res.json<{ id: string }>();
      expect(body).toMatchObject({ status: 'captured', revision: 0 });
      expect(res.headers.location).toBe(`/v1/leads/${body.id}`);
      expect(res.headers.etag).toBe('"0"');
      const events = await eventsOf(body.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'leads.LeadCaptured',
        data: { leadId: body.id, name: '李雷', email: 'li.lei@example.com', source: { channel: 'web_form', utm: { source: 'baidu', medium: 'cpc', campaign: 'spring-2026' } } },
        metadata: { tenantId: 'default', actor: 'user-7', correlationId: 'corr-1' },
      });
    });

    it('normalises the e-mail and the phone (E.164, mainland China by default) before recording them', async () => {
      const res = await post('/v1/leads', { name: '王芳', email: ' Wang.Fang＠Example．CN ', phone: '１３８ ００１３ ８０００' }, { 'x-tenant-id': 'normalise' });
      expect(res.statusCode).toBe(201);
      const [event] = await eventsOf(res.json<{ id: string }>().id);
      expect(event.data).toMatchObject({ email: 'wang.fang@example.cn', phone: '+8613800138000' });
      const landline = await post('/v1/leads', { name: 'Office', phone: '(010) 6552 9988' }, { 'x-tenant-id': 'normalise' });
      expect((await eventsOf(landline.json<{ id: string }>().id))[0].data).toMatchObject({ phone: '+861065529988' });
    });

    it('rejects a phone number that is not one with 400 problem+json', async () => {
      const res = await post('/v1/leads', { name: 'Typo', phone: '138 0013' });
      expectProblem(res, 400, 'validation_failed');
      expect(res.json<{ errors: { path: string }[] }>().errors[0].path).toBe('phone');
    });

    it('records campaign, referrer and consent given through the API', async () => {
      const res = await post('/v1/leads', { ...freshLead(), campaignId: 'cmp-7', referrer: 'https://partner.example/offer', consentPurposes: ['marketing', 'newsletter'] });
      expect(res.statusCode).toBe(201);
      const [event] = await eventsOf(res.json<{ id: string }>().id);
      expect(event.data).toMatchObject({
        source: { channel: 'web_form', campaignId: 'cmp-7', referrer: 'https://partner.example/offer' },
        consents: [
          { purpose: 'marketing', source: 'web_form', grantedAt: expect.any(String) },
          { purpose: 'newsletter', source: 'web_form', grantedAt: expect.any(String) },
        ],
      });
    });

    it.each([
      ['a missing name', { email: 'a@b.cn' }],
      ['a malformed e-mail', { name: 'A', email: 'not-an-email' }],
      ['neither e-mail nor phone', { name: 'A' }],
      ['an unknown channel', { name: 'A', email: 'a@b.cn', channel: 'carrier-pigeon' }],
      ['an unknown field', { name: 'A', email: 'a@b.cn', favouriteColour: 'red' }],
      ['an unknown UTM field', { name: 'A', email: 'a@b.cn', utm: { sauce: 'x' } }],
      ['a name too long', { name: 'x'.repeat(201), email: 'a@b.cn' }],
    ])('rejects %s with 400 problem+json and appends nothing', async (_, payload) => {
      const before = (await store().readAll()).length;
      const res = await post('/v1/leads', payload);
      expectProblem(res, 400, 'validation_failed');
      expect(res.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0);
      expect((await store().readAll()).length).toBe(before);
    });

    it('rejects malformed JSON with 400 problem+json', async () => {
      const res = await post('/v1/leads', '{"name": ', { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('rejects a malformed tenant header with 400', async () => {
      expectProblem(await post('/v1/leads', validLead, { 'x-tenant-id': 'Bad Tenant!' }), 400, 'invalid_header');
    });

    it('replays a retried capture with the same Idempotency-Key: same id, nothing appended', async () => {
      const person = freshLead();
      const first = await post('/v1/leads', person, { 'idempotency-key': 'form-submit-42' });
      const again = await post('/v1/leads', person, { 'idempotency-key': 'form-submit-42' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(first.json<{ id: string }>().id)).toHaveLength(1);
      const other = await post('/v1/leads', freshLead(), { 'idempotency-key': 'form-submit-43' });
      expect(other.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
    });

    it('keeps tenants apart', async () => {
      const id = await capture({ 'x-tenant-id': 'acme' });
      expect((await eventsOf(id))[0].metadata.tenantId).toBe('acme');
      expect((await get(`/v1/leads/${id}`, { 'x-tenant-id': 'acme' })).statusCode).toBe(200);
      expectProblem(await get(`/v1/leads/${id}`, { 'x-tenant-id': 'globex' }), 404, 'lead_not_found');
      expectProblem(await post(`/v1/leads/${id}/qualify`, {}, { 'x-tenant-id': 'globex' }), 404, 'not_found');
      expect(await eventsOf(id)).toHaveLength(1);
    });
  });

  describe('lifecycle', () => {
    it('qualifies with If-Match: stale → 409 and nothing appended, fresh → 200 with the next ETag', async () => {
      const id = await capture();
      await post(`/v1/leads/${id}/disqualify`, { reason: 'no budget' });
      const stale = await post(`/v1/leads/${id}/qualify`, {}, { 'if-match': '"0"' });
      expectProblem(stale, 409, 'concurrency_conflict');
      expect(stale.json()).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
      expect(await eventsOf(id)).toHaveLength(2);
      const fresh = await post(`/v1/leads/${id}/qualify`, { note: 'budget approved' }, { 'if-match': '"1"' });
      expect(fresh.statusCode).toBe(200);
      expect(fresh.headers.etag).toBe('"2"');
      expect(fresh.json()).toEqual({ id, status: 'qualified', revision: 2 });
    });

    it('rejects a malformed If-Match with 400', async () => {
      const id = await capture();
      expectProblem(await post(`/v1/leads/${id}/qualify`, {}, { 'if-match': 'yesterday' }), 400, 'invalid_header');
    });

    it('changes profile attributes with If-Match: 200 and one LeadAttributesUpdated; stale → 409; a retry appends nothing', async () => {
      const id = await capture();
      const patch = (payload: unknown, headers: Record<string, string> = {}) => send('PATCH', `/v1/leads/${id}`, payload, headers);
      expectProblem(await patch({ industry: 'software' }, { 'if-match': '"7"' }), 409, 'concurrency_conflict');
      const res = await patch({ industry: 'software', employees: 120 }, { 'if-match': '"0"', 'idempotency-key': `attrs-${id}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect((await patch({ industry: 'software', employees: 120 }, { 'idempotency-key': `attrs-${id}` })).headers.etag).toBe('"1"');
      const events = await eventsOf(id);
      expect(events.map((e) => e.type)).toEqual(['leads.LeadCaptured', 'leads.LeadAttributesUpdated']);
      expect(events[1].data).toMatchObject({ changes: { industry: 'software', employees: 120 } });
    });

    it.each([
      ['an empty body', {}],
      ['an identity field', { email: 'x@example.com' }],
      ['a bad attribute name', { 'Bad Name': 'x' }],
      ['an object value', { industry: { nested: true } }],
      ['an array body', ['industry']],
    ])('refuses %s with 400 and appends nothing', async (_, payload) => {
      const id = await capture();
      expectProblem(await send('PATCH', `/v1/leads/${id}`, payload), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
    });

    it('answers 404 when patching an unknown lead', async () => {
      expectProblem(await send('PATCH', '/v1/leads/0190aaaa-0000-7000-8000-00000000ffff', { industry: 'x' }), 404, 'lead_not_found');
    });

    it('requires a reason to disqualify', async () => {
      const id = await capture();
      expectProblem(await post(`/v1/leads/${id}/disqualify`, {}), 400, 'validation_failed');
      expectProblem(await post(`/v1/leads/${id}/disqualify`, { reason: '   ' }), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
    });

    it('refuses to convert an unqualified lead with 422', async () => {
      const id = await capture();
      expectProblem(await post(`/v1/leads/${id}/convert`, {}), 422, 'lead_not_qualified');
    });

    it('converts a qualified lead, naming the records sales will create; a retry appends nothing', async () => {
      const id = await capture();
      await post(`/v1/leads/${id}/qualify`);
      const res = await post(`/v1/leads/${id}/convert`, {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'converted', revision: 2 });
      const again = await post(`/v1/leads/${id}/convert`, {});
      expect(again.json()).toMatchObject({ status: 'converted', revision: 2 });
      const events = await eventsOf(id);
      expect(events.map((e) => e.type)).toEqual(['leads.LeadCaptured', 'leads.LeadQualified', 'leads.LeadConverted']);
      expect(events[2].data).toMatchObject({ leadId: id, accountId: expect.any(String), contactId: expect.any(String), opportunityId: expect.any(String) });
      const lead = await get(`/v1/leads/${id}`);
      const { accountId, contactId, opportunityId } = events[2].data as Record<string, string>;
      expect(lead.json()).toMatchObject({ status: 'converted', conversion: { accountId, contactId, opportunityId } });
    });

    it('converts with the lead snapshot, the opportunity hints and who converted, so sales needs not call back', async () => {
      const id = await capture();
      await post(`/v1/leads/${id}/qualify`);
      const res = await post(`/v1/leads/${id}/convert`, { opportunity: { name: 'Acme CRM rollout', amount: { amountMinor: 1_250_000, currency: 'CNY' }, expectedCloseDate: '2026-06-30' } }, { 'x-actor-id': 'rep-9' });
      expect(res.statusCode).toBe(200);
      const converted = (await eventsOf(id)).at(-1)!;
      expect(converted.data).toMatchObject({
        lead: { name: expect.stringMatching(/^李雷/), company: 'Acme Co., Ltd.', email: expect.stringMatching(/@example\.com$/), phone: expect.stringMatching(/^\+86139/), channel: 'web_form', utm: { source: 'baidu' } },
        opportunity: { name: 'Acme CRM rollout', amountMinor: 1_250_000, currency: 'CNY', expectedCloseDate: '2026-06-30' },
        convertedBy: 'rep-9',
      });
    });

    it.each([
      ['a decimal amount', { opportunity: { amount: { amountMinor: 12.5, currency: 'CNY' } } }],
      ['a lower-case currency', { opportunity: { amount: { amountMinor: 100, currency: 'cny' } } }],
      ['a date that is not YYYY-MM-DD', { opportunity: { expectedCloseDate: '30/06/2026' } }],
      ['hints without an opportunity', { createOpportunity: false, opportunity: { name: 'x' } }],
      ['an unknown hint', { opportunity: { probability: 50 } }],
    ])('refuses a conversion with %s: 400, nothing appended', async (_, body) => {
      const id = await capture();
      await post(`/v1/leads/${id}/qualify`);
      expectProblem(await post(`/v1/leads/${id}/convert`, body), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(2);
    });

    it('answers 404 for an unknown lead and 400 for an id that is not a UUID', async () => {
      expectProblem(await post('/v1/leads/0190aaaa-0000-7000-8000-00000000ffff/qualify'), 404, 'lead_not_found');
      expectProblem(await post('/v1/leads/not-a-uuid/qualify'), 400, 'validation_failed');
    });
  });

  describe('platform endpoints', () => {
    it('serves problem+json for an unknown route', async () => {
      expectProblem(await get('/v1/nothing-here'), 404, 'not_found');
    });

    it('serves liveness and readiness', async () => {
      expect((await get('/health/live')).statusCode).toBe(200);
      const ready = await get('/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ok' });
    });

    it('serves the OpenAPI document with every lead operation', async () => {
      const res = await get('/docs-json');
      expect(res.statusCode).toBe(200);
      const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/leads', '/v1/leads/{id}', '/v1/leads/{id}/qualify', '/v1/leads/{id}/disqualify', '/v1/leads/{id}/convert', '/v1/leads/{id}/merge']));
      expect((await get('/docs')).statusCode).toBe(200);
    });
  });
});
