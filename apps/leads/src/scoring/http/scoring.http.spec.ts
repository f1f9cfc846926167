import { LeadScoringEventType, scoringRulesStream, type RecordedEvent } from '@crm/contracts';
import { eventually, expectProblem } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';
import { LeadScoringService } from '../application/lead-scoring.service';
import { DEFAULT_SCORING_RULES } from '../domain/scoring-rules';
import { ruleSetOf } from '../domain/scoring-rules.decider';

describe('lead scoring', () => {
  const { app, store } = useLeadsApp({ scoring: { background: true } });

  let tenants = 0;
  /** A fresh tenant per test: its own rule set and leads. */
  const freshTenant = () => `scoring-t${++tenants}-${Date.now().toString(36)}`;
  const defaults = ruleSetOf(DEFAULT_SCORING_RULES);
  const get = (tenant: string) => app().inject({ method: 'GET', url: '/v1/scoring-rules', headers: { 'x-tenant-id': tenant } });
  const put = (tenant: string, payload: unknown, headers: Record<string, string> = {}) =>
    app().inject({ method: 'PUT', url: '/v1/scoring-rules', headers: { 'x-tenant-id': tenant, ...headers }, payload: payload as object });
  const rulesEvents = (tenant: string) => store().readStream(scoringRulesStream(tenant));

  describe('GET/PUT /v1/scoring-rules', () => {
    it('answers the built-in defaults (version 1) for a tenant that never changed them, without an ETag', async () => {
      const res = await get(freshTenant());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(DEFAULT_SCORING_RULES);
      expect(res.headers.etag).toBeUndefined();
    });

    it('replaces the rules: 202 with the next version, one ScoringRulesChanged, then GET answers it with its ETag', async () => {
      const tenant = freshTenant();
      const res = await put(tenant, { ...defaults, hotThreshold: 80 }, { 'x-actor-id': 'admin-1' });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ version: 2, rescoring: { leads: 0 } });
      expect(res.headers.etag).toBe('"0"');
      const events = await rulesEvents(tenant);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'leads.ScoringRulesChanged',
        data: { version: 2, rules: { hotThreshold: 80 }, changedBy: 'admin-1' },
        metadata: { tenantId: tenant, actor: 'admin-1' },
      });
      const after = await get(tenant);
      expect(after.json()).toEqual({ ...DEFAULT_SCORING_RULES, version: 2, hotThreshold: 80 });
      expect(after.headers.etag).toBe('"0"');
    });

    it('fills in the defaults of a minimal rule set and bumps the version on every change', async () => {
      const tenant = freshTenant();
      expect((await put(tenant, { behaviourRules: [{ id: 'webinar', description: 'Registered for a webinar', touchpoint: 'webinar_registration', points: 40 }] })).json()).toEqual({ version: 2, rescoring: { leads: 0 } });
      expect((await get(tenant)).json()).toEqual({
        version: 2,
        hotThreshold: 60,
        attributeRules: [],
        behaviourRules: [{ id: 'webinar', description: 'Registered for a webinar', touchpoint: 'webinar_registration', points: 40, award: 'per_occurrence', minOccurrences: 1 }],
      });
      expect((await put(tenant, defaults)).json()).toMatchObject({ version: 3 });
    });

    it('answers 200 and appends nothing when the submitted rules are the current ones', async () => {
      const tenant = freshTenant();
      const same = await put(tenant, defaults);
      expect(same.statusCode).toBe(200);
      expect(same.json()).toEqual({ version: 1, rescoring: { leads: 0 } });
      expect(await rulesEvents(tenant)).toHaveLength(0);
    });

    it.each([
      ['a negative threshold', { ...defaults, hotThreshold: -1 }],
      ['an unknown touchpoint type', { behaviourRules: [{ id: 'x', description: 'x', touchpoint: 'telepathy', points: 5 }] }],
      ['a duplicated rule id', { behaviourRules: [{ id: 'x', description: 'x', touchpoint: 'page_view', points: 5 }, { id: 'x', description: 'y', touchpoint: 'form_submit', points: 5 }] }],
      ['the reserved decay id', { behaviourRules: [{ id: 'decay', description: 'x', touchpoint: 'page_view', points: 5 }] }],
      ['an unknown field', { ...defaults, surprise: true }],
      ['fractional points', { attributeRules: [{ id: 'a', description: 'a', when: { op: 'present', field: 'email' }, points: 2.5 }] }],
    ])('rejects %s with 400 problem+json, appending nothing', async (_, body) => {
      const tenant = freshTenant();
      const res = await put(tenant, body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0);
      expect(await rulesEvents(tenant)).toHaveLength(0);
    });

    it('refuses a stale If-Match (or a stale version in the body) with 409, appending nothing', async () => {
      const tenant = freshTenant();
      const first = await put(tenant, { ...defaults, hotThreshold: 70 });
      expect(first.headers.etag).toBe('"0"');
      expect((await put(tenant, { ...defaults, hotThreshold: 75 }, { 'if-match': '"0"' })).statusCode).toBe(202);
      const stale = await put(tenant, { ...defaults, hotThreshold: 90 }, { 'if-match': '"0"' });
      expectProblem(stale, 409, 'concurrency_conflict');
      expect(stale.json()).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
      expectProblem(await put(tenant, { ...defaults, version: 2, hotThreshold: 90 }), 409, 'rule_set_version_mismatch');
      expect(await rulesEvents(tenant)).toHaveLength(2);
      expect((await put(tenant, { ...(await get(tenant)).json<object>(), hotThreshold: 90 })).json()).toMatchObject({ version: 4 });
    });

    it('keeps tenants apart', async () => {
      const [a, b] = [freshTenant(), freshTenant()];
      await put(a, { ...defaults, hotThreshold: 99 });
      expect((await get(b)).json()).toEqual(DEFAULT_SCORING_RULES);
    });
  });

  describe('scoring on the write path', () => {
    const capture = async (tenant: string) => {
      const res = await app().inject({
        method: 'POST',
        url: '/v1/leads',
        headers: { 'x-tenant-id': tenant, 'x-correlation-id': 'corr-score' },
        payload: { name: '韩梅梅', company: 'Acme Co., Ltd.', email: 'han.meimei@example.cn', phone: '138 0013 8000' },
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const touch = async (tenant: string, leadId: string) => {
      const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
      const res = await app().inject({
        method: 'POST',
        url: '/v1/touchpoints',
        headers: { 'x-tenant-id': tenant },
        payload: {
          touchpoints: [
            { touchpointId: 'pv-1', leadId, type: 'page_view', at: at(9), url: 'https://example.cn/' },
            { touchpointId: 'pv-2', leadId, type: 'page_view', at: at(8), url: 'https://example.cn/product' },
            { touchpointId: 'pr-1', leadId, type: 'pricing_page_view', at: at(7), url: 'https://example.cn/pricing' },
            { touchpointId: 'pv-3', leadId, type: 'page_view', at: at(6), url: 'https://example.cn/cases' },
            { touchpointId: 'wp-1', leadId, type: 'whitepaper_download', at: at(5) },
          ],
        },
      });
      expect(res.statusCode).toBe(200);
    };
    const scoreEvents = async (leadId: string): Promise<RecordedEvent[]> =>
      (await store().readStream(`lead-${leadId}`)).filter((e) => (Object.values(LeadScoringEventType) as string[]).includes(e.type));
    /** Waits until the lead's score events satisfy `done`, then returns them. */
    const scoreEventsWhen = (leadId: string, done: (events: RecordedEvent[]) => boolean) =>
      eventually(async () => {
        const events = await scoreEvents(leadId);
        return done(events) ? events : undefined;
      });
    const ruleIds = (e: RecordedEvent) => (e.data as { reasons: { ruleId: string }[] }).reasons.map((r) => r.ruleId);

    it('scores a lead as its events arrive, heats and cools it as the rules change, and re-running changes nothing', async () => {
      const tenant = freshTenant();
      const leadId = await capture(tenant);

      // Complete contact: +10 as soon as it is captured.
      const [first] = await scoreEventsWhen(leadId, (e) => e.length >= 1);
      expect(first).toMatchObject({
        type: 'leads.LeadScoreChanged',
        data: { leadId, score: 10, previousScore: 0, ruleSetVersion: 1 },
        metadata: { tenantId: tenant, actor: 'service:leads.scoring', correlationId: 'corr-score' },
      });

      // Pricing +15, whitepaper +20, three visits +10: 55 under the defaults, below their threshold of 60 (the articles'
      // example needs the key-industry +30 too, which no command sets yet).
      await touch(tenant, leadId);
      const scored = await scoreEventsWhen(leadId, (e) => e.some((x) => (x.data as { score: number }).score === 55));
      const at55 = scored[scored.length - 1];
      expect(at55).toMatchObject({ type: 'leads.LeadScoreChanged', data: { score: 55, previousScore: 10, ruleSetVersion: 1 } });
      expect(ruleIds(at55)).toEqual(['complete-contact', 'viewed-pricing', 'downloaded-whitepaper', 'repeat-visits']);
      expect((at55.data as { reasons: { detail: string }[] }).reasons[3].detail).toContain('page_view ×3 (≥ 3 required)');
      expect(scored.some((e) => e.type === 'leads.LeadBecameHot')).toBe(false);

      // A tenant hot at 50: the lead is re-scored from its history and becomes hot (same score, new threshold).
      const warmer = await put(tenant, { ...defaults, hotThreshold: 50 });
      expect(warmer.statusCode).toBe(202);
      expect(warmer.json()).toEqual({ version: 2, rescoring: { leads: 1 } });
      const hot = (await scoreEventsWhen(leadId, (e) => e.some((x) => x.type === 'leads.LeadBecameHot'))).find((e) => e.type === 'leads.LeadBecameHot')!;
      expect(hot).toMatchObject({ data: { leadId, score: 55, threshold: 50, ruleSetVersion: 2 } });
      expect(ruleIds(hot)).toEqual(['complete-contact', 'viewed-pricing', 'downloaded-whitepaper', 'repeat-visits']);

      // Stricter: hot at 90, pricing worth 25 → 65 and cooled.
      const stricter = {
        ...defaults,
        hotThreshold: 90,
        behaviourRules: defaults.behaviourRules.map((r) => (r.id === 'viewed-pricing' ? { ...r, points: 25 } : r)),
      };
      expect((await put(tenant, stricter)).json()).toEqual({ version: 3, rescoring: { leads: 1 } });
      const cooledAll = await scoreEventsWhen(leadId, (e) => e.some((x) => x.type === 'leads.LeadCooled'));
      expect(cooledAll.slice(-2)).toMatchObject([
        { type: 'leads.LeadScoreChanged', data: { score: 65, previousScore: 55, ruleSetVersion: 3 } },
        { type: 'leads.LeadCooled', data: { score: 65, threshold: 90, ruleSetVersion: 3 } },
      ]);

      // Re-running changes nothing: the same rules again, the same touchpoints again, a re-score of the tenant.
      const same = await put(tenant, stricter);
      expect(same.statusCode).toBe(200);
      expect(same.json()).toEqual({ version: 3, rescoring: { leads: 0 } });
      await touch(tenant, leadId);
      const scoring = app().get(LeadScoringService);
      expect(await scoring.rescoreTenant(tenant, { id: 'test', metadata: { tenantId: tenant, correlationId: 'test' } })).toEqual({ leads: 1, rescored: 0 });
      expect(await scoring.rescoreLead(tenant, leadId, { id: 'test', metadata: { tenantId: tenant, correlationId: 'test' } })).toEqual([]);
      expect(await scoreEvents(leadId)).toHaveLength(cooledAll.length);
    });

    it('re-scores a survivor with the touchpoints of the lead merged into it; the merged lead is scored no more', async () => {
      const tenant = freshTenant();
      const webinarOnly = { hotThreshold: 60, behaviourRules: [{ id: 'webinar', description: 'Registered for a webinar', touchpoint: 'webinar_registration', points: 70 }] };
      expect((await put(tenant, webinarOnly)).statusCode).toBe(202);
      const lead = (email: string) => app().inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': tenant }, payload: { name: 'Merge Me', email } }).then((r) => r.json<{ id: string }>().id);
      const [survivor, merged] = [await lead('one@example.cn'), await lead('two@example.cn')];
      await app().inject({
        method: 'POST', url: '/v1/touchpoints', headers: { 'x-tenant-id': tenant },
        payload: { touchpoints: [{ touchpointId: 'web-1', leadId: merged, type: 'webinar_registration', at: new Date().toISOString() }] },
      });
      await scoreEventsWhen(merged, (e) => e.some((x) => x.type === 'leads.LeadBecameHot'));
      const res = await app().inject({ method: 'POST', url: `/v1/leads/${survivor}/merge`, headers: { 'x-tenant-id': tenant }, payload: { mergedId: merged } });
      expect(res.statusCode).toBe(200);
      const hot = await scoreEventsWhen(survivor, (e) => e.some((x) => x.type === 'leads.LeadBecameHot'));
      expect(hot.at(-1)).toMatchObject({ type: 'leads.LeadBecameHot', data: { leadId: survivor, score: 70 } });
      const scoring = app().get(LeadScoringService);
      expect(await scoring.rescoreLead(tenant, merged, { id: 'test', metadata: { tenantId: tenant, correlationId: 'test' } })).toEqual([]);
    });

    it('does not score another tenant’s leads with this tenant’s rules', async () => {
      const [a, b] = [freshTenant(), freshTenant()];
      const leadA = await capture(a);
      await scoreEventsWhen(leadA, (e) => e.length >= 1);
      const res = await put(b, { ...defaults, hotThreshold: 5 });
      expect(res.json()).toEqual({ version: 2, rescoring: { leads: 0 } });
      const scoring = app().get(LeadScoringService);
      expect(await scoring.leadIdsOf(b)).toEqual([]);
      expect(await scoring.leadIdsOf(a)).toEqual([leadA]);
      expect((await scoreEvents(leadA)).map((e) => e.type)).toEqual(['leads.LeadScoreChanged']);
    });
  });
});
