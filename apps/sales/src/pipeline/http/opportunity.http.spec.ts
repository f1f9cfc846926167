import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';

const DAY = 86_400_000;

describe('opportunities HTTP API', () => {
  const tenantId = 'acme';
  const { store, send, clock } = useSalesApp({ headers: { 'x-tenant-id': tenantId, 'x-actor-id': 'rep-1' } });
  const eventsOf = (id: string) => store().readStream(`opportunity-${id}`);
  const typesOf = async (id: string) => (await eventsOf(id)).map((e) => e.type);
  const count = async () => (await store().readAll()).length;
  const accountId = '0190dddd-0000-7000-8000-000000000001';
  const unknownId = '0190cccc-0000-7000-8000-00000000ffff';
  const erp = { name: 'ERP rollout', accountId, amount: { amountMinor: 50_000_000, currency: 'CNY' }, expectedCloseDate: '2026-12-31' };
  const create = async (body: object = erp, headers: Record<string, string> = {}) => {
    const res = await send('POST', '/v1/opportunities', body, headers);
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const moveTo = async (id: string, stageId: string, headers: Record<string, string> = {}) => send('POST', `/v1/opportunities/${id}/stage`, { stageId }, headers);

  describe('POST /v1/opportunities', () => {
    it('opens in the default pipeline’s first stage with its probability, owned by the caller: 201, Location, ETag', async () => {
      const res = await send('POST', '/v1/opportunities', erp);
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, status: 'open', stageId: 'initial_contact', probability: 10, revision: 0 });
      expect(res.headers.location).toBe(`/v1/opportunities/${id}`);
      expect(res.headers.etag).toBe('"0"');
      expect(await eventsOf(id)).toMatchObject([{
        type: 'sales.OpportunityCreated',
        data: { opportunityId: id, ...erp, pipelineId: 'default', stageId: 'initial_contact', probability: 10, ownerId: 'rep-1', createdAt: clock.now().toISOString() },
        metadata: { tenantId, actor: 'rep-1' },
      }]);
    });

    it('takes a stage, owner, team, contact and competitors (duplicates dropped)', async () => {
      const id = await create({ ...erp, stageId: 'proposal', ownerId: 'rep-2', teamId: 'east', contactId: '0190eeee-0000-7000-8000-000000000001', competitors: ['Rival', 'Rival', 'Other'] });
      expect((await eventsOf(id))[0].data).toMatchObject({ stageId: 'proposal', probability: 50, ownerId: 'rep-2', teamId: 'east', competitors: ['Rival', 'Other'] });
    });

    it('in a tenant-defined pipeline, with that pipeline’s probabilities', async () => {
      await send('PUT', '/v1/pipelines/smb', { name: 'SMB', stages: [{ stageId: 'qualify', name: 'Qualify', probability: 20 }, { stageId: 'demo', name: 'Demo', probability: 60 }] });
      const res = await send('POST', '/v1/opportunities', { ...erp, pipelineId: 'smb' });
      expect(res.json()).toMatchObject({ stageId: 'qualify', probability: 20 });
    });

    it('a retry with the same Idempotency-Key answers the same opportunity and appends nothing', async () => {
      const first = await send('POST', '/v1/opportunities', erp, { 'idempotency-key': 'opp-create-1' });
      const again = await send('POST', '/v1/opportunities', erp, { 'idempotency-key': 'opp-create-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(first.json<{ id: string }>().id)).toHaveLength(1);
    });

    it('422 for a stage the pipeline does not have, and for an unknown pipeline', async () => {
      expectProblem(await send('POST', '/v1/opportunities', { ...erp, stageId: 'nirvana' }), 422, 'unknown_stage');
      expectProblem(await send('POST', '/v1/opportunities', { ...erp, pipelineId: 'nope' }), 422, 'unknown_pipeline');
    });

    it.each([
      ['a decimal amount (money is integer minor units)', { ...erp, amount: { amountMinor: 10.5, currency: 'CNY' } }],
      ['a negative amount', { ...erp, amount: { amountMinor: -1, currency: 'CNY' } }],
      ['a missing currency', { ...erp, amount: { amountMinor: 1 } }],
      ['a bad currency', { ...erp, amount: { amountMinor: 1, currency: 'YUAN' } }],
      ['a missing account', { ...erp, accountId: undefined }],
      ['an account id that is not a UUID', { ...erp, accountId: 'acct-1' }],
      ['a date that is not a calendar date', { ...erp, expectedCloseDate: '2026-02-30' }],
      ['a missing name', { ...erp, name: undefined }],
      ['an unknown field', { ...erp, colour: 'red' }],
    ])('400 for %s, nothing appended', async (_, body) => {
      const before = await count();
      expectProblem(await send('POST', '/v1/opportunities', body), 400, 'validation_failed');
      expect(await count()).toBe(before);
    });
  });

  describe('GET /v1/opportunities/{id}', () => {
    it('serves the stage history with entered/left timestamps and exact days in the current stage, with the ETag', async () => {
      const t0 = clock.now();
      const id = await create();
      clock.advance(2 * DAY + 5_000);
      await moveTo(id, 'negotiation');
      clock.advance(3 * DAY + 7_000);
      const res = await send('GET', `/v1/opportunities/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      const left = new Date(t0.getTime() + 2 * DAY + 5_000).toISOString();
      expect(res.json()).toMatchObject({
        id, status: 'open', stageId: 'negotiation', probability: 75, revision: 1, name: 'ERP rollout', accountId, pipelineId: 'default',
        amount: erp.amount, expectedCloseDate: '2026-12-31', ownerId: 'rep-1', competitors: [], createdAt: t0.toISOString(), lastUpdateAt: left,
        stageHistory: [
          { stageId: 'initial_contact', enteredAt: t0.toISOString(), leftAt: left, ms: 2 * DAY + 5_000 },
          { stageId: 'negotiation', enteredAt: left, leftAt: null, ms: 3 * DAY + 7_000 },
        ],
        msInCurrentStage: 3 * DAY + 7_000,
        daysInCurrentStage: 3,
        stalled: {},
      });
    });

    it('404 for an unknown id and for another tenant’s opportunity; 400 for a malformed id', async () => {
      const id = await create();
      expectProblem(await send('GET', `/v1/opportunities/${unknownId}`), 404, 'opportunity_not_found');
      expectProblem(await send('GET', `/v1/opportunities/${id}`, undefined, { 'x-tenant-id': 'other' }), 404, 'opportunity_not_found');
      expectProblem(await send('GET', '/v1/opportunities/opp-1'), 400, 'validation_failed');
    });
  });

  describe('PATCH /v1/opportunities/{id}', () => {
    it('records the changed fields; null clears the team; a stale If-Match is 409 and appends nothing', async () => {
      const id = await create({ ...erp, teamId: 'east' });
      const res = await send('PATCH', `/v1/opportunities/${id}`, { name: 'ERP rollout', amount: { amountMinor: 60_000_000, currency: 'CNY' }, teamId: null }, { 'if-match': '"0"' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.OpportunityUpdated', data: { changes: { amount: { amountMinor: 60_000_000, currency: 'CNY' }, teamId: null } } });
      expectProblem(await send('PATCH', `/v1/opportunities/${id}`, { name: 'Again' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await eventsOf(id)).toHaveLength(2);
    });
    it('a retry with the same Idempotency-Key appends nothing; nothing changed appends nothing', async () => {
      const id = await create();
      await send('PATCH', `/v1/opportunities/${id}`, { ownerId: 'rep-2' }, { 'idempotency-key': 'patch-1' });
      expect((await send('PATCH', `/v1/opportunities/${id}`, { ownerId: 'rep-2' }, { 'idempotency-key': 'patch-1' })).statusCode).toBe(200);
      expect((await send('PATCH', `/v1/opportunities/${id}`, { ownerId: 'rep-2' })).statusCode).toBe(200);
      expect(await typesOf(id)).toEqual(['sales.OpportunityCreated', 'sales.OpportunityUpdated']);
    });
    it('400 for an empty or bad body (nothing appended), 404 unknown, 422 on a closed opportunity', async () => {
      const id = await create();
      const before = await count();
      expectProblem(await send('PATCH', `/v1/opportunities/${id}`, {}), 400, 'validation_failed');
      expectProblem(await send('PATCH', `/v1/opportunities/${id}`, { amount: { amountMinor: 1.5, currency: 'CNY' } }), 400, 'validation_failed');
      expect(await count()).toBe(before);
      expectProblem(await send('PATCH', `/v1/opportunities/${unknownId}`, { name: 'x' }), 404, 'opportunity_not_found');
      await send('POST', `/v1/opportunities/${id}/win`);
      expectProblem(await send('PATCH', `/v1/opportunities/${id}`, { name: 'x' }), 422, 'opportunity_closed');
    });
  });

  describe('POST /v1/opportunities/{id}/stage', () => {
    it('moves forwards and backwards, each recorded with direction, probability and the exact time in the previous stage', async () => {
      const id = await create();
      clock.advance(1_000);
      expect((await moveTo(id, 'negotiation')).json()).toMatchObject({ stageId: 'negotiation', probability: 75, revision: 1 });
      clock.advance(2_500);
      expect((await moveTo(id, 'needs_analysis')).json()).toMatchObject({ stageId: 'needs_analysis', probability: 25, revision: 2 });
      const [, forward, backward] = await eventsOf(id);
      expect(forward.data).toMatchObject({ fromStageId: 'initial_contact', toStageId: 'negotiation', direction: 'forward', probability: 75, msInPreviousStage: 1_000, changedBy: 'rep-1' });
      expect(backward.data).toMatchObject({ fromStageId: 'negotiation', toStageId: 'needs_analysis', direction: 'backward', probability: 25, msInPreviousStage: 2_500 });
    });
    it('the same stage is a no-op (200, nothing appended); an unknown stage is 422; unknown id 404; bad body 400', async () => {
      const id = await create();
      const same = await moveTo(id, 'initial_contact');
      expect(same.statusCode).toBe(200);
      expect(same.headers.etag).toBe('"0"');
      expectProblem(await moveTo(id, 'nirvana'), 422, 'unknown_stage');
      expectProblem(await moveTo(unknownId, 'proposal'), 404, 'opportunity_not_found');
      expectProblem(await send('POST', `/v1/opportunities/${id}/stage`, {}), 400, 'validation_failed');
      expect(await eventsOf(id)).toHaveLength(1);
    });
    it('stale If-Match 409; a retry with the same Idempotency-Key appends nothing', async () => {
      const id = await create();
      await moveTo(id, 'proposal', { 'idempotency-key': 'move-1' });
      expect((await moveTo(id, 'proposal', { 'idempotency-key': 'move-1' })).json()).toMatchObject({ revision: 1 });
      expectProblem(await moveTo(id, 'negotiation', { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      expect(await eventsOf(id)).toHaveLength(2);
    });
    it('after the pipeline drops a stage, an opportunity in it stays there and moves on to a stage that exists', async () => {
      const t = 'acme-redefine';
      const h = { 'x-tenant-id': t };
      await send('PUT', '/v1/pipelines/lean', { name: 'Lean', stages: [{ stageId: 'a', name: 'A', probability: 10 }, { stageId: 'b', name: 'B', probability: 50 }, { stageId: 'c', name: 'C', probability: 90 }] }, h);
      const res = await send('POST', '/v1/opportunities', { ...erp, pipelineId: 'lean', stageId: 'b' }, h);
      const id = res.json<{ id: string }>().id;
      await send('PUT', '/v1/pipelines/lean', { name: 'Lean', stages: [{ stageId: 'a', name: 'A', probability: 10 }, { stageId: 'c', name: 'C', probability: 80 }] }, h);
      expect((await send('GET', `/v1/opportunities/${id}`, undefined, h)).json()).toMatchObject({ stageId: 'b', probability: 50 });
      expect((await send('POST', `/v1/opportunities/${id}/stage`, { stageId: 'b' }, h)).json()).toMatchObject({ stageId: 'b', revision: 0 });
      expectProblem(await send('POST', `/v1/opportunities/${id}/stage`, { stageId: 'x' }, h), 422, 'unknown_stage');
      expect((await send('POST', `/v1/opportunities/${id}/stage`, { stageId: 'c' }, h)).json()).toMatchObject({ stageId: 'c', probability: 80 });
    });
  });

  describe('win, lose, reopen', () => {
    it('win: 200 and sales.OpportunityWon; any command but reopen on a won opportunity is 422', async () => {
      const id = await create();
      const res = await send('POST', `/v1/opportunities/${id}/win`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'won', revision: 1 });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.OpportunityWon', data: { opportunityId: id, accountId, amount: erp.amount, ownerId: 'rep-1' } });
      expectProblem(await send('POST', `/v1/opportunities/${id}/win`), 422, 'opportunity_closed');
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'price' }), 422, 'opportunity_closed');
      expectProblem(await moveTo(id, 'proposal'), 422, 'opportunity_closed');
    });
    it('win: stale If-Match 409, retry with the same key appends nothing, unknown 404', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/opportunities/${id}/win`, undefined, { 'if-match': '"3"' }), 409, 'concurrency_conflict');
      await send('POST', `/v1/opportunities/${id}/win`, undefined, { 'idempotency-key': 'win-1' });
      expect((await send('POST', `/v1/opportunities/${id}/win`, undefined, { 'idempotency-key': 'win-1' })).statusCode).toBe(200);
      expect(await typesOf(id)).toEqual(['sales.OpportunityCreated', 'sales.OpportunityWon']);
      expectProblem(await send('POST', `/v1/opportunities/${unknownId}/win`), 404, 'opportunity_not_found');
    });
    it('lose: the reason is required (422 lost_reason_required) and must be in the tenant’s list (422 unknown_lost_reason)', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, {}), 422, 'lost_reason_required');
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: '' }), 422, 'lost_reason_required');
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'aliens' }), 422, 'unknown_lost_reason');
      expect(await eventsOf(id)).toHaveLength(1);
      const res = await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'competitor', note: 'cheaper', competitor: 'Rival' });
      expect(res.json()).toMatchObject({ status: 'lost' });
      expect((await eventsOf(id))[1]).toMatchObject({ type: 'sales.OpportunityLost', data: { reason: 'competitor', note: 'cheaper', competitor: 'Rival', stageId: 'initial_contact' } });
      expect((await send('GET', `/v1/opportunities/${id}`)).json()).toMatchObject({ status: 'lost', lost: { reason: 'competitor' } });
    });
    it('lose: the tenant’s own lost reasons apply; stale If-Match 409; retry appends nothing; 400 bad body', async () => {
      const t = 'acme-reasons';
      const h = { 'x-tenant-id': t };
      const settings = (await send('GET', '/v1/sales-settings', undefined, h)).json<Record<string, unknown>>();
      const { version: _v, ...body } = settings;
      await send('PUT', '/v1/sales-settings', { ...body, lostReasons: [{ code: 'too_slow', label: 'Too slow' }] }, h);
      const id = (await send('POST', '/v1/opportunities', erp, h)).json<{ id: string }>().id;
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'price' }, h), 422, 'unknown_lost_reason');
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'too_slow' }, { ...h, 'if-match': '"7"' }), 409, 'concurrency_conflict');
      expectProblem(await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'too_slow', extra: 1 }, h), 400, 'validation_failed');
      await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'too_slow' }, { ...h, 'idempotency-key': 'lose-1' });
      expect((await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'too_slow' }, { ...h, 'idempotency-key': 'lose-1' })).statusCode).toBe(200);
      expect((await eventsOf(id)).map((e) => e.type)).toEqual(['sales.OpportunityCreated', 'sales.OpportunityLost']);
    });
    it('reopen: a lost one, in a given stage; an open one is 422; unknown stage 422; retry appends nothing; stale If-Match 409', async () => {
      const id = await create();
      expectProblem(await send('POST', `/v1/opportunities/${id}/reopen`, {}), 422, 'opportunity_not_closed');
      await send('POST', `/v1/opportunities/${id}/lose`, { reason: 'price' });
      expectProblem(await send('POST', `/v1/opportunities/${id}/reopen`, { stageId: 'nirvana' }), 422, 'unknown_stage');
      expectProblem(await send('POST', `/v1/opportunities/${id}/reopen`, { stageId: 'proposal' }, { 'if-match': '"0"' }), 409, 'concurrency_conflict');
      const res = await send('POST', `/v1/opportunities/${id}/reopen`, { stageId: 'proposal' }, { 'idempotency-key': 'reopen-1' });
      expect(res.json()).toMatchObject({ status: 'open', stageId: 'proposal', probability: 50, revision: 2 });
      expect((await send('POST', `/v1/opportunities/${id}/reopen`, { stageId: 'proposal' }, { 'idempotency-key': 'reopen-1' })).statusCode).toBe(200);
      expect(await typesOf(id)).toEqual(['sales.OpportunityCreated', 'sales.OpportunityLost', 'sales.OpportunityReopened']);
      expectProblem(await send('POST', `/v1/opportunities/${id}/reopen`, { stageId: 'Bad Stage' }), 400, 'validation_failed');
      expectProblem(await send('POST', `/v1/opportunities/${unknownId}/reopen`, {}), 404, 'opportunity_not_found');
    });
  });
});
