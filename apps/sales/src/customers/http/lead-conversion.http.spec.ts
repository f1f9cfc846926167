import { leadConversionStream, newId, type RecordedEvent } from '@crm/contracts';
import type { ConsumerOptions, EventConsumer, EventHandler } from '@crm/messaging';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { LEAD_CONVERSION_CONSUMER } from '../application/lead-conversion.consumer';

/** A consumer port that delivers what the spec hands it, to whichever durable consumer asks. */
const fakeConsumer = () => {
  const started = new Map<string, { options: ConsumerOptions; handler: EventHandler }>();
  const consumer: EventConsumer = {
    start: async (options, handler) => {
      started.set(options.name, { options, handler });
      return { stop: async () => undefined, lag: async () => [] };
    },
    close: async () => undefined,
  };
  return { consumer, started, deliver: (name: string, event: RecordedEvent) => started.get(name)!.handler(event, { source: 'leads', attempt: 1 }) };
};

describe('lead conversion wired through the consumer port', () => {
  const fake = fakeConsumer();
  const fixture = useSalesApp({ sales: { background: true, consumer: fake.consumer } });

  it('starts sales.lead-conversion on the leads context, filtered to leads.LeadConverted', () => {
    expect(fake.started.get(LEAD_CONVERSION_CONSUMER)?.options).toEqual({
      name: 'sales.lead-conversion', sources: ['leads'], filter: { eventTypes: ['leads.LeadConverted'] },
    });
  });

  it('creates the records from a delivered event, readable through the API, and appends nothing on redelivery', async () => {
    const leadId = newId();
    const accountId = newId();
    const contactId = newId();
    const event: RecordedEvent = {
      id: newId(),
      type: 'leads.LeadConverted',
      streamName: `lead-${leadId}`,
      revision: 3,
      position: 1n,
      occurredAt: new Date('2026-11-02T08:00:00.000Z'),
      metadata: { tenantId: 'conv-tenant', correlationId: 'corr-1' },
      data: {
        leadId, accountId, contactId,
        lead: { name: 'Jane Doe', company: 'Globex Corporation', email: 'jane@globex.com', channel: 'trade_show' },
        convertedBy: 'rep-2',
        convertedAt: '2026-11-02T08:00:00.000Z',
      },
    };
    await fake.deliver(LEAD_CONVERSION_CONSUMER, event);
    const headers = { 'x-tenant-id': 'conv-tenant' };
    const account = await fixture.app().inject({ method: 'GET', url: `/v1/accounts/${accountId}`, headers });
    expect(account.json()).toMatchObject({ id: accountId, name: 'Globex Corporation', fromLeadId: leadId });
    const contact = await fixture.app().inject({ method: 'GET', url: `/v1/contacts/${contactId}`, headers });
    expect(contact.json()).toMatchObject({ id: contactId, accountId, email: 'jane@globex.com' });
    const [recorded] = await fixture.store().readStream(leadConversionStream(leadId));
    expect(recorded.data).toMatchObject({ account: 'created', contact: 'created' });
    expect(recorded.data).not.toHaveProperty('opportunity');

    const before = (await fixture.store().readAll()).length;
    await fake.deliver(LEAD_CONVERSION_CONSUMER, event);
    expect((await fixture.store().readAll()).length).toBe(before);
  });
});

describe('lead conversion consumer switched off', () => {
  const fake = fakeConsumer();
  useSalesApp({ sales: { background: false, consumer: fake.consumer } });
  it('does not start when background is false', () => expect(fake.started.has(LEAD_CONVERSION_CONSUMER)).toBe(false));
});

describe('lead conversion consumer in in-memory mode (no NATS, no PostgreSQL)', () => {
  const fixture = useSalesApp({ sales: { background: true } });
  it('does not start (there is no leads store to read) and the service still serves', async () => {
    expect((await fixture.app().inject({ method: 'POST', url: '/v1/accounts', payload: { name: 'Initech' } })).statusCode).toBe(201);
  });
});
