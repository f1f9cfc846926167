import { useLeadsApp } from '../../../test/leads-app.fixture';
import { WEB_FORM_LIMIT } from './web-form.controller';

describe('public web form', () => {
  const { app, store } = useLeadsApp();
  let ip = 0;
  const nextIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;

  const submit = (form: Record<string, string>, options: { ip?: string; headers?: Record<string, string>; formId?: string } = {}) =>
    app().inject({
      method: 'POST',
      url: `/v1/web-forms/${options.formId ?? 'contact-us'}/submissions`,
      payload: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      remoteAddress: options.ip ?? nextIp(),
    });
  const captured = async () => (await store().readAll()).filter((e) => e.type === 'leads.LeadCaptured');

  it('captures a lead from an urlencoded post with its UTM fields, campaign, referrer and consent', async () => {
    const before = (await captured()).length;
    const res = await submit(
      { name: '张伟', email: 'Zhang.Wei@Example.CN', company: '深圳某某电子有限公司', utm_source: 'baidu', utm_medium: 'cpc', utm_campaign: 'expo-2026', utm_term: 'crm', utm_content: 'banner-a', campaign: 'cmp-42', consent: 'on', website: '' },
      { headers: { referer: 'https://www.example.cn/pricing' } },
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'received' });
    const events = await captured();
    expect(events).toHaveLength(before + 1);
    const event = events[events.length - 1];
    expect(event.data).toMatchObject({
      name: '张伟',
      email: 'zhang.wei@example.cn',
      source: {
        channel: 'web_form',
        formId: 'contact-us',
        utm: { source: 'baidu', medium: 'cpc', campaign: 'expo-2026', term: 'crm', content: 'banner-a' },
        campaignId: 'cmp-42',
        referrer: 'https://www.example.cn/pricing',
      },
      consents: [{ purpose: 'marketing', source: 'web_form:contact-us', grantedAt: expect.any(String) }],
    });
    expect(event.metadata).toMatchObject({ actor: 'web_form:contact-us', tenantId: 'default' });
  });

  it('accepts and drops a submission whose honeypot is filled: same answer, nothing appended', async () => {
    const before = (await store().readAll()).length;
    const res = await submit({ name: 'Bot', email: 'bot@spam.example', website: 'http://spam.example' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'received' });
    expect((await store().readAll()).length).toBe(before);
  });

  it('rejects a post without a name or any contact with 400 problem+json, appending nothing', async () => {
    const before = (await store().readAll()).length;
    const bad: Record<string, string>[] = [{ email: 'a@b.cn' }, { name: 'No Contact' }, { name: 'X', email: 'not-mail' }, { name: 'X', email: 'a@b.cn', surprise: 'field' }];
    for (const form of bad) {
      const res = await submit(form);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await submit({ name: 'X', email: 'a@b.cn' }, { formId: 'Bad Form!' })).toMatchObject({ statusCode: 400 });
    expect((await store().readAll()).length).toBe(before);
  });

  it('makes a double submit with the same submission_id harmless', async () => {
    const before = (await captured()).length;
    const form = { name: 'Double Click', email: 'double@example.cn', submission_id: 'sub-7f3a' };
    expect((await submit(form)).statusCode).toBe(202);
    expect((await submit(form)).statusCode).toBe(202);
    expect((await captured()).length).toBe(before + 1);
  });

  it('limits submissions per client IP with 429 problem+json; other IPs are unaffected', async () => {
    const busy = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i <= WEB_FORM_LIMIT.limit; i++) statuses.push((await submit({ name: `Flood ${i}`, email: `f${i}@example.cn` }, { ip: busy })).statusCode);
    expect(statuses.slice(0, WEB_FORM_LIMIT.limit).every((s) => s === 202)).toBe(true);
    const limited = await submit({ name: 'One more', email: 'more@example.cn' }, { ip: busy });
    expect(statuses[WEB_FORM_LIMIT.limit]).toBe(429);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await submit({ name: 'Neighbour', email: 'n@example.cn' })).statusCode).toBe(202);
  });
});
