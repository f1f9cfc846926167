import { DEFAULT_PIPELINE_STAGES, DEFAULT_SALES_SETTINGS, idFromKey } from '@crm/contracts';
import { expectProblem, type HttpMethod } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';

describe('pipelines, sales settings, teams and targets HTTP API', () => {
  const { store, send: request } = useSalesApp({ headers: { 'x-actor-id': 'admin-1' } });

  let tenantNo = 0;
  /** A fresh tenant per test: pipelines and settings are per tenant. */
  const tenant = () => `t-pipe-${++tenantNo}`;
  const send = (tenantId: string, method: HttpMethod, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    request(method, url, payload, { 'x-tenant-id': tenantId, ...headers });
  const count = async () => (await store().readAll()).length;
  const smb = { name: 'SMB', stages: [{ stageId: 'qualify', name: 'Qualify', probability: 20 }, { stageId: 'demo', name: 'Demo', probability: 60 }] };

  describe('pipelines', () => {
    it('the default pipeline exists for every tenant without being defined (no ETag)', async () => {
      const res = await send(tenant(), 'GET', '/v1/pipelines/default');
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.json()).toEqual({ pipelineId: 'default', name: 'Default pipeline', stages: DEFAULT_PIPELINE_STAGES, builtIn: true, revision: -1 });
    });

    it('PUT defines a pipeline: 200, ETag, sales.PipelineDefined; GET and the list serve it', async () => {
      const t = tenant();
      const res = await send(t, 'PUT', '/v1/pipelines/smb', smb);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toEqual({ pipelineId: 'smb', ...smb, builtIn: false, revision: 0 });
      expect(await store().readStream(`pipeline-${t}-smb`)).toMatchObject([{ type: 'sales.PipelineDefined', data: { pipelineId: 'smb', ...smb }, metadata: { tenantId: t, actor: 'admin-1' } }]);
      expect((await send(t, 'GET', '/v1/pipelines/smb')).json()).toMatchObject({ pipelineId: 'smb', builtIn: false, revision: 0 });
      const list = (await send(t, 'GET', '/v1/pipelines')).json<{ pipelines: { pipelineId: string }[] }>();
      expect(list.pipelines.map((p) => p.pipelineId)).toEqual(['default', 'smb']);
    });

    it('another tenant does not see it (404), and a tenant named like a prefix does not list it', async () => {
      const t = tenant();
      await send(t, 'PUT', '/v1/pipelines/smb', smb);
      expectProblem(await send(`${t}-x`, 'GET', '/v1/pipelines/smb'), 404, 'pipeline_not_found');
      const list = (await send(`${t}-x`, 'GET', '/v1/pipelines')).json<{ pipelines: { pipelineId: string }[] }>();
      expect(list.pipelines.map((p) => p.pipelineId)).toEqual(['default']);
    });

    it('redefining the default pipeline replaces the built-in stages for that tenant only', async () => {
      const t = tenant();
      expect((await send(t, 'PUT', '/v1/pipelines/default', smb)).statusCode).toBe(200);
      expect((await send(t, 'GET', '/v1/pipelines/default')).json()).toMatchObject({ builtIn: false, stages: smb.stages });
      expect((await send(tenant(), 'GET', '/v1/pipelines/default')).json()).toMatchObject({ builtIn: true });
    });

    it('the same definition again appends nothing; a stale If-Match is 409; a retry with the same Idempotency-Key appends nothing', async () => {
      const t = tenant();
      await send(t, 'PUT', '/v1/pipelines/smb', smb);
      expect((await send(t, 'PUT', '/v1/pipelines/smb', smb)).json()).toMatchObject({ revision: 0 });
      const renamed = { ...smb, name: 'Small business' };
      expect((await send(t, 'PUT', '/v1/pipelines/smb', renamed, { 'if-match': '"0"', 'idempotency-key': 'p-1' })).json()).toMatchObject({ revision: 1 });
      expect((await send(t, 'PUT', '/v1/pipelines/smb', renamed, { 'if-match': '"0"', 'idempotency-key': 'p-1' })).json()).toMatchObject({ revision: 1 });
      expectProblem(await send(t, 'PUT', '/v1/pipelines/smb', { ...smb, name: 'Again' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await store().readStream(`pipeline-${t}-smb`)).toHaveLength(2);
    });

    it('422 for a stage id used twice', async () =>
      expectProblem(await send(tenant(), 'PUT', '/v1/pipelines/smb', { name: 'x', stages: [...smb.stages, smb.stages[0]] }), 422, 'duplicate_stage_id'));

    it.each([
      ['no stages', { name: 'x', stages: [] }],
      ['a probability above 100', { name: 'x', stages: [{ stageId: 'a', name: 'A', probability: 101 }] }],
      ['a fractional probability', { name: 'x', stages: [{ stageId: 'a', name: 'A', probability: 10.5 }] }],
      ['a stage id that is not a key', { name: 'x', stages: [{ stageId: 'Big Deal', name: 'A', probability: 10 }] }],
      ['an unknown field', { ...smb, colour: 'red' }],
    ])('400 for %s, nothing appended', async (_, body) => {
      const before = await count();
      expectProblem(await send(tenant(), 'PUT', '/v1/pipelines/smb', body), 400, 'validation_failed');
      expect(await count()).toBe(before);
    });

    it('404 for an unknown pipeline, 400 for a malformed id', async () => {
      expectProblem(await send(tenant(), 'GET', '/v1/pipelines/nope'), 404, 'pipeline_not_found');
      expectProblem(await send(tenant(), 'GET', '/v1/pipelines/No%20Way'), 400, 'validation_failed');
    });
  });

  describe('sales settings', () => {
    const custom = { ...DEFAULT_SALES_SETTINGS, defaultTaxRateBps: 600, stalledRules: [{ stageId: 'proposal', days: 7 }] };

    it('GET serves the defaults at version 0 without an ETag', async () => {
      const res = await send(tenant(), 'GET', '/v1/sales-settings');
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.json()).toEqual({ ...DEFAULT_SALES_SETTINGS, version: 0 });
    });

    it('PUT replaces them as the next version (ETag); the same again changes nothing; stale If-Match 409; retry appends nothing', async () => {
      const t = tenant();
      const first = await send(t, 'PUT', '/v1/sales-settings', custom, { 'idempotency-key': 's-1' });
      expect(first.statusCode).toBe(200);
      expect(first.headers.etag).toBe('"0"');
      expect(first.json()).toEqual({ ...custom, version: 1 });
      expect((await send(t, 'PUT', '/v1/sales-settings', custom, { 'idempotency-key': 's-1' })).json()).toEqual({ ...custom, version: 1 });
      expect((await send(t, 'PUT', '/v1/sales-settings', custom)).json()).toEqual({ ...custom, version: 1 });
      const second = await send(t, 'PUT', '/v1/sales-settings', { ...custom, defaultCurrency: 'USD' }, { 'if-match': '"0"' });
      expect(second.json()).toMatchObject({ version: 2, defaultCurrency: 'USD' });
      expectProblem(await send(t, 'PUT', '/v1/sales-settings', { ...custom, defaultTaxRateBps: 0 }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await store().readStream(`salessettings-${t}`)).toMatchObject([
        { type: 'sales.SalesSettingsChanged', data: { version: 1, changedBy: 'admin-1' } },
        { type: 'sales.SalesSettingsChanged', data: { version: 2 } },
      ]);
      expect((await send(t, 'GET', '/v1/sales-settings')).headers.etag).toBe('"1"');
    });

    it('a stalled rule may name a stage of any of the tenant’s pipelines, and nothing else (422)', async () => {
      const t = tenant();
      const onDemo = { ...custom, stalledRules: [{ stageId: 'demo', days: 3 }] };
      expectProblem(await send(t, 'PUT', '/v1/sales-settings', onDemo), 422, 'unknown_stalled_stage');
      await send(t, 'PUT', '/v1/pipelines/smb', smb);
      expect((await send(t, 'PUT', '/v1/sales-settings', onDemo)).statusCode).toBe(200);
    });

    it('422 for duplicate lost reason codes and two rules for one stage', async () => {
      expectProblem(await send(tenant(), 'PUT', '/v1/sales-settings', { ...custom, lostReasons: [{ code: 'price', label: 'a' }, { code: 'price', label: 'b' }] }), 422, 'duplicate_lost_reason');
      expectProblem(await send(tenant(), 'PUT', '/v1/sales-settings', { ...custom, stalledRules: [{ stageId: 'proposal', days: 1 }, { stageId: 'proposal', days: 2 }] }), 422, 'duplicate_stalled_rule');
    });

    it.each([
      ['a missing field', { ...custom, defaultTaxRateBps: undefined }],
      ['no lost reasons', { ...custom, lostReasons: [] }],
      ['a zero-day rule', { ...custom, stalledRules: [{ stageId: 'proposal', days: 0 }] }],
      ['a lower-case currency', { ...custom, defaultCurrency: 'cny' }],
      ['an unknown field', { ...custom, extra: 1 }],
    ])('400 for %s, nothing appended', async (_, body) => {
      const before = await count();
      expectProblem(await send(tenant(), 'PUT', '/v1/sales-settings', body), 400, 'validation_failed');
      expect(await count()).toBe(before);
    });
  });

  describe('sales teams', () => {
    const east = { name: 'East', managerId: 'mgr-1', memberIds: ['rep-1', 'rep-2'] };
    it('PUT defines a team (ETag, sales.SalesTeamDefined); GET serves it; the same again appends nothing', async () => {
      const t = tenant();
      const res = await send(t, 'PUT', '/v1/sales-teams/east', east);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toEqual({ teamId: 'east', ...east, revision: 0 });
      expect((await send(t, 'PUT', '/v1/sales-teams/east', east)).json()).toMatchObject({ revision: 0 });
      expect((await send(t, 'GET', '/v1/sales-teams/east')).json()).toEqual({ teamId: 'east', ...east, revision: 0 });
      expect(await store().readStream(`salesteam-${t}-east`)).toMatchObject([{ type: 'sales.SalesTeamDefined', data: { teamId: 'east', ...east } }]);
    });
    it('stale If-Match 409, retry with the same key appends nothing, 404 unknown, 422 duplicate member, 400 bad input', async () => {
      const t = tenant();
      await send(t, 'PUT', '/v1/sales-teams/east', east);
      await send(t, 'PUT', '/v1/sales-teams/east', { ...east, managerId: 'mgr-2' }, { 'idempotency-key': 'team-1', 'if-match': '"0"' });
      expect((await send(t, 'PUT', '/v1/sales-teams/east', { ...east, managerId: 'mgr-2' }, { 'idempotency-key': 'team-1', 'if-match': '"0"' })).statusCode).toBe(200);
      expectProblem(await send(t, 'PUT', '/v1/sales-teams/east', { ...east, managerId: 'mgr-3' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await store().readStream(`salesteam-${t}-east`)).toHaveLength(2);
      expectProblem(await send(t, 'GET', '/v1/sales-teams/west'), 404, 'team_not_found');
      expectProblem(await send(t, 'PUT', '/v1/sales-teams/west', { ...east, memberIds: ['rep-1', 'rep-1'] }), 422, 'duplicate_team_member');
      const before = await count();
      expectProblem(await send(t, 'PUT', '/v1/sales-teams/west', { name: 'West' }), 400, 'validation_failed');
      expect(await count()).toBe(before);
    });
  });

  describe('sales targets', () => {
    const q4 = { scope: { kind: 'rep', id: 'rep-1' }, period: '2026-Q4', target: { amountMinor: 100_000_000, currency: 'CNY' } };
    it('PUT sets a target under an id derived from scope and period; setting it again replaces it', async () => {
      const t = tenant();
      const targetId = idFromKey(t, 'sales-target', 'rep:rep-1:2026-Q4');
      const res = await send(t, 'PUT', '/v1/sales-targets', q4);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ targetId, ...q4, revision: 0 });
      expect((await send(t, 'PUT', '/v1/sales-targets', { ...q4, target: { amountMinor: 120_000_000, currency: 'CNY' } })).json()).toMatchObject({ targetId, revision: 1 });
      const got = await send(t, 'GET', `/v1/sales-targets/${targetId}`);
      expect(got.headers.etag).toBe('"1"');
      expect(got.json()).toMatchObject({ targetId, target: { amountMinor: 120_000_000 } });
      expect((await store().readStream(`salestarget-${targetId}`)).map((e) => e.type)).toEqual(['sales.SalesTargetSet', 'sales.SalesTargetSet']);
    });
    it('same amount appends nothing; retry with the same key appends nothing; stale If-Match 409', async () => {
      const t = tenant();
      const targetId = idFromKey(t, 'sales-target', 'rep:rep-1:2026-Q4');
      await send(t, 'PUT', '/v1/sales-targets', q4, { 'idempotency-key': 'tg-1' });
      await send(t, 'PUT', '/v1/sales-targets', q4, { 'idempotency-key': 'tg-1' });
      await send(t, 'PUT', '/v1/sales-targets', q4);
      expectProblem(await send(t, 'PUT', '/v1/sales-targets', { ...q4, target: { amountMinor: 1, currency: 'CNY' } }, { 'if-match': '"5"' }), 409, 'concurrency_conflict');
      expect(await store().readStream(`salestarget-${targetId}`)).toHaveLength(1);
    });
    it('404 for an unknown or another tenant’s target', async () => {
      const t = tenant();
      const res = await send(t, 'PUT', '/v1/sales-targets', q4);
      expectProblem(await send(tenant(), 'GET', `/v1/sales-targets/${res.json<{ targetId: string }>().targetId}`), 404, 'target_not_found');
      expectProblem(await send(t, 'GET', '/v1/sales-targets/0190cccc-0000-7000-8000-000000000009'), 404, 'target_not_found');
    });
    it.each([
      ['a decimal amount', { ...q4, target: { amountMinor: 10.5, currency: 'CNY' } }],
      ['a bad period', { ...q4, period: '2026-13' }],
      ['an unknown scope kind', { ...q4, scope: { kind: 'region', id: 'x' } }],
    ])('400 for %s, nothing appended', async (_, body) => {
      const before = await count();
      expectProblem(await send(tenant(), 'PUT', '/v1/sales-targets', body), 400, 'validation_failed');
      expect(await count()).toBe(before);
    });
  });
});
