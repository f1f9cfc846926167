import { newId, SalesCustomerEventType as SC, type RecordedEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { InMemoryCheckpointStore, InMemoryDeadLetterStore, StoreEventConsumer } from '@crm/messaging';
import { eventually } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';
import { ContactIndexConsumer } from '../application/contact-index.consumer';

describe('captures matching a sales contact (leads.contact-index, leads.ContactRecaptured)', () => {
  let n = 0;
  let tenant = 'contacts';
  beforeEach(() => {
    tenant = `contacts-${++n}`;
  });
  const { app, store, post } = useLeadsApp({ headers: () => ({ 'x-tenant-id': tenant }) });
  let consumer: ContactIndexConsumer;
  beforeAll(() => {
    consumer = app().get(ContactIndexConsumer);
  });
  const idOf = (res: { json: <T>() => T }) => res.json<{ id: string }>().id;
  const allEvents = () => store().readAll();
  const leadEventCount = async () => (await allEvents()).filter((e) => e.streamName.startsWith('lead-')).length;
  const recaptures = async () => (await allEvents()).filter((e) => e.type === 'leads.ContactRecaptured' && e.metadata.tenantId === tenant);

  /** Sales events as the consumer port delivers them: one revision counter per sales stream. */
  const revisions = new Map<string, number>();
  let position = 0n;
  const salesEvent = (type: string, streamName: string, data: object, tenantId = tenant): RecordedEvent => {
    const revision = (revisions.get(streamName) ?? -1) + 1;
    revisions.set(streamName, revision);
    return { id: newId(), type, streamName, revision, position: ++position, occurredAt: new Date(), data, metadata: { tenantId, correlationId: 'corr-sales' } };
  };
  const deliver = async (...events: RecordedEvent[]) => {
    for (const event of events) await consumer.handle(event);
  };
  const contactCreated = (contactId: string, fields: { email?: string; phone?: string; fromLeadId?: string }, tenantId = tenant) =>
    salesEvent(SC.ContactCreated, `contact-${contactId}`, { contactId, name: 'Contact', decisionMaker: false, ...fields, createdAt: '2026-03-01T08:00:00.000Z' }, tenantId);
  const contactUpdated = (contactId: string, changes: object) =>
    salesEvent(SC.ContactUpdated, `contact-${contactId}`, { contactId, changes, updatedAt: '2026-03-02T08:00:00.000Z' });
  const contactMergedInto = (mergedId: string, survivorId: string) =>
    salesEvent(SC.ContactMergedInto, `contact-${mergedId}`, { mergedId, survivorId, mergedAt: '2026-03-03T08:00:00.000Z' });
  const newContact = () => `0190cccc-0000-7000-8000-${String(++n).padStart(12, '0')}`;

  describe('POST /v1/leads', () => {
    it('attaches a capture matching a contact’s e-mail: 200 { attached, contactId }, no lead written, the capture recorded', async () => {
      const contactId = newContact();
      await deliver(contactCreated(contactId, { email: 'ann@example.cn', phone: '+8613800138000' }));
      const leadsBefore = await leadEventCount();
      const res = await post('/v1/leads', {
        name: 'Ann Lee', email: ' ANN@Example.cn ', company: 'Acme', channel: 'landing_page', campaignId: 'cmp-1', utm: { source: 'wechat' }, consentPurposes: ['marketing'],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ attached: true, contactId });
      expect(res.headers.location).toBeUndefined();
      expect(await leadEventCount()).toBe(leadsBefore);
      const [recaptured] = await recaptures();
      expect(recaptured).toMatchObject({
        streamName: `contactcapture-${(recaptured.data as { captureId: string }).captureId}`,
        data: {
          contactId, name: 'Ann Lee', email: 'ann@example.cn', company: 'Acme', matchedOn: 'email',
          source: { channel: 'landing_page', campaignId: 'cmp-1', utm: { source: 'wechat' } }, consents: [{ purpose: 'marketing', source: 'landing_page' }],
        },
        metadata: { tenantId: tenant },
      });
    });

    it('matches on the phone too', async () => {
      const contactId = newContact();
      await deliver(contactCreated(contactId, { phone: '+8613900139000' }));
      const res = await post('/v1/leads', { name: 'Bo', phone: '139 0013 9000' });
      expect(res.json()).toEqual({ attached: true, contactId });
      expect((await recaptures())[0].data).toMatchObject({ matchedOn: 'phone' });
    });

    it('an open lead match wins over a contact match', async () => {
      const lead = await post('/v1/leads', { name: 'Cy', email: 'cy@example.cn' });
      expect(lead.statusCode).toBe(201);
      await deliver(contactCreated(newContact(), { email: 'cy@example.cn' }));
      const again = await post('/v1/leads', { name: 'Cy', email: 'cy@example.cn' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: idOf(lead), attached: true });
      expect(again.json()).not.toHaveProperty('contactId');
      expect(await recaptures()).toHaveLength(0);
    });

    it('creates a lead (201) when no contact is indexed for the person, or only in another tenant', async () => {
      await deliver(contactCreated(newContact(), { email: 'dee@example.cn' }, 'someone-else'));
      const res = await post('/v1/leads', { name: 'Dee', email: 'dee@example.cn' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ attached: false });
      expect(await recaptures()).toHaveLength(0);
    });

    it('does not match on company + name (contacts are indexed by e-mail and phone only)', async () => {
      await deliver(contactCreated(newContact(), { email: 'eve@example.cn' }));
      expect((await post('/v1/leads', { name: 'Contact', company: 'Acme', phone: '+8613700137000' })).statusCode).toBe(201);
    });

    it('replays a retry with the same Idempotency-Key: the same answer, nothing appended', async () => {
      const contactId = newContact();
      await deliver(contactCreated(contactId, { email: 'fa@example.cn' }));
      const first = await post('/v1/leads', { name: 'Fa', email: 'fa@example.cn' }, { 'idempotency-key': 'cap-1' });
      const before = (await allEvents()).length;
      // Even if the contact index changed meanwhile, the retry answers what the first attempt did.
      await deliver(contactUpdated(contactId, { email: null }));
      const afterIndex = (await allEvents()).length;
      const again = await post('/v1/leads', { name: 'Fa', email: 'fa@example.cn' }, { 'idempotency-key': 'cap-1' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(first.json()).toEqual({ attached: true, contactId });
      expect(afterIndex).toBeGreaterThan(before);
      expect((await allEvents()).length).toBe(afterIndex);
      expect(await recaptures()).toHaveLength(1);
    });

    it('a bad capture is still a 400 with nothing appended', async () => {
      await deliver(contactCreated(newContact(), { email: 'ga@example.cn' }));
      const before = (await allEvents()).length;
      expect((await post('/v1/leads', { email: 'ga@example.cn' })).statusCode).toBe(400);
      expect((await allEvents()).length).toBe(before);
    });
  });

  it('a web-form submission of a known contact answers 202 and is recorded against the contact', async () => {
    const contactId = newContact();
    await deliver(contactCreated(contactId, { email: 'gu@example.cn' }));
    const res = await post('/v1/web-forms/contact-us/submissions', { name: 'Gu', email: 'gu@example.cn', utm_source: 'baidu', submission_id: 's-1' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'received' });
    const again = await post('/v1/web-forms/contact-us/submissions', { name: 'Gu', email: 'gu@example.cn', utm_source: 'baidu', submission_id: 's-1' });
    expect(again.statusCode).toBe(202);
    const found = await recaptures();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ data: { contactId, source: { channel: 'web_form', formId: 'contact-us', utm: { source: 'baidu' } } }, metadata: { actor: 'web_form:contact-us' } });
  });

  it('after a conversion the same person comes back as a ContactRecaptured, not as a new lead', async () => {
    const lead = await post('/v1/leads', { name: 'Hu', email: 'hu@example.cn', phone: '+8613600136000' });
    await post(`/v1/leads/${idOf(lead)}/qualify`);
    expect((await post(`/v1/leads/${idOf(lead)}/convert`, {})).statusCode).toBe(200);
    const converted = (await store().readStream(`lead-${idOf(lead)}`)).find((e) => e.type === 'leads.LeadConverted')!;
    const { contactId } = converted.data as { contactId: string };
    // Sales creates the contact from the conversion; the index learns it.
    await deliver(contactCreated(contactId, { email: 'hu@example.cn', phone: '+8613600136000', fromLeadId: idOf(lead) }));
    const leadsBefore = await leadEventCount();
    const again = await post('/v1/leads', { name: 'Hu', email: 'hu@example.cn', channel: 'web_form' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ attached: true, contactId });
    expect(await leadEventCount()).toBe(leadsBefore);
    expect((await recaptures())[0].data).toMatchObject({ contactId, matchedOn: 'email' });
  });

  it('a disqualified lead does not stop a contact match', async () => {
    const lead = await post('/v1/leads', { name: 'Io', email: 'io@example.cn' });
    await post(`/v1/leads/${idOf(lead)}/disqualify`, { reason: 'no budget' });
    const contactId = newContact();
    await deliver(contactCreated(contactId, { email: 'io@example.cn' }));
    expect((await post('/v1/leads', { name: 'Io', email: 'io@example.cn' })).json()).toEqual({ attached: true, contactId });
  });

  describe('the index (consumer handler)', () => {
    it('follows e-mail changes: the old address no longer matches, the new one does', async () => {
      const contactId = newContact();
      await deliver(contactCreated(contactId, { email: 'old@example.cn' }), contactUpdated(contactId, { email: 'new@example.cn', title: 'CTO' }));
      expect((await post('/v1/leads', { name: 'Ju', email: 'new@example.cn' })).json()).toEqual({ attached: true, contactId });
      expect((await post('/v1/leads', { name: 'Ju', email: 'old@example.cn' })).statusCode).toBe(201);
    });

    it('a cleared phone no longer matches', async () => {
      const contactId = newContact();
      await deliver(contactCreated(contactId, { phone: '+8613500135000' }), contactUpdated(contactId, { phone: null }));
      expect((await post('/v1/leads', { name: 'Ka', phone: '+8613500135000' })).statusCode).toBe(201);
    });

    it('a merged contact’s keys lead to the survivor', async () => {
      const survivor = newContact();
      const merged = newContact();
      await deliver(contactCreated(survivor, {}), contactCreated(merged, { email: 'lu@example.cn' }), contactMergedInto(merged, survivor));
      expect((await post('/v1/leads', { name: 'Lu', email: 'lu@example.cn' })).json()).toEqual({ attached: true, contactId: survivor });
    });

    it('is idempotent under redelivery: the same events again append nothing, an older one changes nothing', async () => {
      const contactId = newContact();
      const created = contactCreated(contactId, { email: 'mo@example.cn' });
      const updated = contactUpdated(contactId, { email: 'mo2@example.cn' });
      await deliver(created, updated);
      const before = (await allEvents()).length;
      await deliver(created, updated, created);
      expect((await allEvents()).length).toBe(before);
      expect((await post('/v1/leads', { name: 'Mo', email: 'mo2@example.cn' })).json()).toEqual({ attached: true, contactId });
      expect((await post('/v1/leads', { name: 'Mo', email: 'mo@example.cn' })).statusCode).toBe(201);
    });

    it('keeps contacts that share an e-mail apart: the oldest holder matches, the other once it alone holds it', async () => {
      const first = newContact();
      const second = newContact();
      await deliver(contactCreated(first, { email: 'nu@example.cn' }), contactCreated(second, { email: 'nu@example.cn' }));
      expect((await post('/v1/leads', { name: 'Nu', email: 'nu@example.cn' })).json()).toEqual({ attached: true, contactId: first });
      await deliver(contactUpdated(first, { email: 'nu-other@example.cn' }));
      expect((await post('/v1/leads', { name: 'Nu', email: 'nu@example.cn' })).json()).toEqual({ attached: true, contactId: second });
    });

    it('writes no e-mail or phone into its streams', async () => {
      await deliver(contactCreated(newContact(), { email: 'secret@example.cn', phone: '+8613400134000' }));
      const index = (await allEvents()).filter((e) => e.streamName.startsWith('salescontact-') || e.streamName.startsWith('contactref-'));
      expect(index.length).toBeGreaterThan(0);
      expect(JSON.stringify(index.map((e) => [e.streamName, e.data]))).not.toMatch(/secret@|8613400134000/);
    });

    it('rejects a payload that breaks the contract (retried, then dead-lettered by the port)', async () => {
      await expect(consumer.handle(salesEvent(SC.ContactCreated, 'contact-x', { name: 'No id' }))).rejects.toThrow();
    });
  });
});

describe('leads.contact-index through the consumer port (the sales store, as in embedded mode)', () => {
  const sales = new InMemoryEventStore();
  const fixture = useLeadsApp({ consumer: new StoreEventConsumer(() => sales, new InMemoryCheckpointStore(), new InMemoryDeadLetterStore()) });

  it('learns sales contacts as they are written and matches captures against them', async () => {
    const contactId = '0190cccc-0000-7000-8000-00000000feed';
    await sales.appendToStream(`contact-${contactId}`, [{
      type: SC.ContactCreated,
      data: { contactId, name: 'Pan', decisionMaker: false, email: 'pan@example.cn', createdAt: '2026-03-01T08:00:00.000Z' },
      metadata: { tenantId: 'port', correlationId: 'corr-sales' },
    }]);
    await eventually(async () => ((await fixture.store().readStream(`salescontact-${contactId}`)).length > 0 ? true : undefined));
    const res = await fixture.app().inject({ method: 'POST', url: '/v1/leads', payload: { name: 'Pan', email: 'pan@example.cn' }, headers: { 'x-tenant-id': 'port' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ attached: true, contactId });
  });
});
