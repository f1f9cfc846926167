import { newId } from '@crm/contracts';
import { expectProblem } from '@crm/testing';
import { useSalesApp } from '../../../../test/sales-app.fixture';

describe('activities HTTP API', () => {
  const { store, send, clock } = useSalesApp();

  const eventsOf = (id: string) => store().readStream(`activity-${id}`);
  /** An account / opportunity of a tenant: the activity check only needs its stream to exist. */
  const seed = async (category: 'account' | 'contact' | 'opportunity', tenantId = 'default') => {
    const id = newId();
    await store().appendToStream(`${category}-${id}`, [{ type: `sales.${category === 'opportunity' ? 'Opportunity' : category === 'account' ? 'Account' : 'Contact'}Created`, data: { [`${category}Id`]: id }, metadata: { tenantId, correlationId: 'seed' } }]);
    return id;
  };
  let opportunityId: string;
  let accountId: string;
  beforeAll(async () => {
    opportunityId = await seed('opportunity');
    accountId = await seed('account');
  });
  const call = () => ({ kind: 'call', subject: 'Pricing call with Mr. Wang', about: { opportunityId } });

  describe('POST /v1/activities', () => {
    it('logs the activity for the actor: 201, Location, ETag, ActivityLogged dated now by default', async () => {
      const res = await send('POST', '/v1/activities', call(), { 'x-actor-id': 'rep-1' });
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();
      expect(res.json()).toEqual({ id, revision: 0 });
      expect(res.headers.location).toBe(`/v1/activities/${id}`);
      expect(res.headers.etag).toBe('"0"');
      const now = clock.now().toISOString();
      expect(await eventsOf(id)).toMatchObject([{
        type: 'sales.ActivityLogged',
        data: { activityId: id, kind: 'call', subject: 'Pricing call with Mr. Wang', about: { opportunityId }, actorId: 'rep-1', occurredAt: now, loggedAt: now },
        metadata: { tenantId: 'default', actor: 'rep-1' },
      }]);
    });

    it('keeps an earlier time (logged afterwards, normalised to UTC), the body and the duration', async () => {
      const res = await send('POST', '/v1/activities', {
        kind: 'visit', subject: 'On-site demo', body: 'Met the IT lead', about: { accountId, opportunityId }, occurredAt: '2026-11-01T15:00:00+08:00', durationMinutes: 90,
      });
      expect(res.statusCode).toBe(201);
      const [event] = await eventsOf(res.json<{ id: string }>().id);
      expect(event.data).toMatchObject({ kind: 'visit', body: 'Met the IT lead', about: { accountId, opportunityId }, occurredAt: '2026-11-01T07:00:00.000Z', durationMinutes: 90 });
    });

    it('answers a retry with the same Idempotency-Key with the same activity and appends nothing', async () => {
      const first = await send('POST', '/v1/activities', call(), { 'idempotency-key': 'act-1' });
      const again = await send('POST', '/v1/activities', call(), { 'idempotency-key': 'act-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(await eventsOf(first.json<{ id: string }>().id)).toHaveLength(1);
    });

    it.each([
      ['no subject reference (about names nothing)', { ...call(), about: {} }],
      ['no about', { kind: 'call', subject: 'x' }],
      ['an unknown kind', { ...call(), kind: 'fax' }],
      ['an empty subject', { ...call(), subject: '  ' }],
      ['a fractional duration', { ...call(), durationMinutes: 1.5 }],
      ['a duration over a day', { ...call(), durationMinutes: 24 * 60 + 1 }],
      ['a time that is not ISO 8601', { ...call(), occurredAt: 'yesterday' }],
      ['an id that is not a UUID', { ...call(), about: { accountId: 'acme' } }],
      ['an unknown field', { ...call(), actorId: 'someone-else' }],
    ])('rejects %s with 400 and appends nothing', async (_, body) => {
      const before = (await store().readAll()).length;
      expectProblem(await send('POST', '/v1/activities', body), 400, 'validation_failed');
      expect((await store().readAll()).length).toBe(before);
    });

    it('refuses a time in the future (beyond a few minutes of clock skew) with 422', async () => {
      const soon = new Date(clock.now().getTime() + 4 * 60_000).toISOString();
      expect((await send('POST', '/v1/activities', { ...call(), occurredAt: soon })).statusCode).toBe(201);
      const before = (await store().readAll()).length;
      const later = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
      expectProblem(await send('POST', '/v1/activities', { ...call(), occurredAt: later }), 422, 'occurred_in_future');
      expect((await store().readAll()).length).toBe(before);
    });

    it('refuses an account, contact or opportunity that does not exist, or is another tenant’s, with 422', async () => {
      const res = await send('POST', '/v1/activities', { ...call(), about: { accountId, contactId: newId() } });
      expectProblem(res, 422, 'subject_not_found');
      expect(res.json()).toMatchObject({ missing: ['contactId'] });
      expectProblem(await send('POST', '/v1/activities', call(), { 'x-tenant-id': 'globex' }), 422, 'subject_not_found');
    });
  });

  describe('GET /v1/activities/{id}', () => {
    it('serves the activity with its ETag', async () => {
      const { id } = (await send('POST', '/v1/activities', { ...call(), kind: 'email', body: 'Sent the price list' }, { 'x-actor-id': 'rep-7' })).json<{ id: string }>();
      const res = await send('GET', `/v1/activities/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"0"');
      expect(res.json()).toEqual({
        id, revision: 0, kind: 'email', subject: 'Pricing call with Mr. Wang', body: 'Sent the price list', about: { opportunityId }, actorId: 'rep-7',
        occurredAt: clock.now().toISOString(), loggedAt: clock.now().toISOString(),
      });
    });

    it('is 404 for an unknown activity and for another tenant’s, 400 for an id that is not a UUID', async () => {
      expectProblem(await send('GET', `/v1/activities/${newId()}`), 404, 'activity_not_found');
      const { id } = (await send('POST', '/v1/activities', call())).json<{ id: string }>();
      expectProblem(await send('GET', `/v1/activities/${id}`, undefined, { 'x-tenant-id': 'globex' }), 404, 'activity_not_found');
      expectProblem(await send('GET', '/v1/activities/last-call'), 400, 'validation_failed');
    });
  });
});
