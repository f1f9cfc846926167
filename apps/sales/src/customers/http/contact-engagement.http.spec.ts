import { ContactCaptureEventType, newId, type ContactRecapturedData, type RecordedEvent } from '@crm/contracts';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { ContactRecaptureConsumer } from '../application/contact-recapture.consumer';

describe('contact engagement (sales.contact-recaptures, from leads.ContactRecaptured)', () => {
  let tenantSeq = 0;
  let tenant: string;
  beforeEach(() => {
    tenant = `engage-t${++tenantSeq}`;
  });
  const { app, store, send } = useSalesApp({ headers: () => ({ 'x-tenant-id': tenant }) });
  let consumer: ContactRecaptureConsumer;
  beforeAll(() => {
    consumer = app().get(ContactRecaptureConsumer);
  });

  const contact = async (email: string) => {
    const res = await send('POST', '/v1/contacts', { name: 'Ann', email });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const engagements = async (contactId: string) => (await store().readStream(`contact-${contactId}`)).filter((e) => e.type === 'sales.ContactEngaged');
  let position = 0n;
  const recaptured = (contactId: string, data: Partial<ContactRecapturedData> = {}): RecordedEvent => {
    const captureId = newId();
    return {
      id: newId(),
      type: ContactCaptureEventType.ContactRecaptured,
      streamName: `contactcapture-${captureId}`,
      revision: 0,
      position: ++position,
      occurredAt: new Date(),
      data: {
        captureId, contactId, name: 'Ann', email: 'ann@example.cn', matchedOn: 'email',
        source: { channel: 'web_form', formId: 'contact-us', campaignId: 'cmp-1', utm: { source: 'wechat', medium: 'social' } },
        capturedAt: '2026-11-02T08:30:00.000Z', ...data,
      },
      metadata: { tenantId: tenant, correlationId: 'corr-leads' },
    };
  };

  it('notes the capture on the contact once, under redelivery, and GET shows the last engagement', async () => {
    const id = await contact('ann@example.cn');
    const before = await send('GET', `/v1/contacts/${id}`);
    expect(before.json()).not.toHaveProperty('lastEngagement');
    const event = recaptured(id);
    await consumer.handle(event);
    await consumer.handle(event);
    const [engaged, ...more] = await engagements(id);
    expect(more).toHaveLength(0);
    expect(engaged).toMatchObject({
      data: {
        contactId: id, channel: 'web_form', formId: 'contact-us', campaignId: 'cmp-1', utm: { source: 'wechat', medium: 'social' },
        captureId: (event.data as ContactRecapturedData).captureId, at: '2026-11-02T08:30:00.000Z', recordedAt: '2026-11-02T09:00:00.000Z',
      },
      metadata: { tenantId: tenant, actor: 'service:sales.contact-recaptures', correlationId: 'corr-leads', causationId: event.id, idempotencyKey: `contact-recaptured:${event.id}` },
    });
    const after = await send('GET', `/v1/contacts/${id}`);
    expect(after.headers.etag).toBe('"1"');
    expect(after.json()).toMatchObject({
      lastEngagement: { channel: 'web_form', formId: 'contact-us', campaignId: 'cmp-1', utm: { source: 'wechat' }, at: '2026-11-02T08:30:00.000Z' },
    });
  });

  it('keeps the latest capture as the last engagement', async () => {
    const id = await contact('bo@example.cn');
    await consumer.handle(recaptured(id, { capturedAt: '2026-11-02T08:50:00.000Z', source: { channel: 'api' } }));
    await consumer.handle(recaptured(id, { capturedAt: '2026-11-01T08:00:00.000Z' }));
    expect(await engagements(id)).toHaveLength(2);
    expect((await send('GET', `/v1/contacts/${id}`)).json()).toMatchObject({ lastEngagement: { channel: 'api', at: '2026-11-02T08:50:00.000Z' } });
  });

  it('notes a capture of a merged contact on its survivor', async () => {
    const survivor = await contact('cy@example.cn');
    const merged = await contact('cy.other@example.cn');
    expect((await send('POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged })).statusCode).toBe(200);
    await consumer.handle(recaptured(merged));
    expect(await engagements(merged)).toHaveLength(0);
    expect(await engagements(survivor)).toHaveLength(1);
  });

  it('does not note a capture twice when it is redelivered after the contact was merged', async () => {
    const survivor = await contact('eve@example.cn');
    const merged = await contact('eve.other@example.cn');
    const event = recaptured(merged);
    await consumer.handle(event);
    expect((await send('POST', `/v1/contacts/${survivor}/merge`, { mergedId: merged })).statusCode).toBe(200);
    await consumer.handle(event);
    expect(await engagements(merged)).toHaveLength(1);
    expect(await engagements(survivor)).toHaveLength(0);
  });

  it('skips a capture naming a contact it does not know (or another tenant’s): nothing appended', async () => {
    const id = await contact('dee@example.cn');
    const total = (await store().readAll()).length;
    await consumer.handle(recaptured('0190ffff-0000-7000-8000-00000000abcd'));
    await consumer.handle({ ...recaptured(id), metadata: { tenantId: 'someone-else', correlationId: 'c' } });
    expect((await store().readAll()).length).toBe(total);
  });

  it('rejects a payload that breaks the contract (retried, then dead-lettered by the port)', async () => {
    await expect(consumer.handle({ ...recaptured('x'), data: { contactId: 'x' } })).rejects.toThrow();
  });
});
