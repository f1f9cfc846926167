import { leadConversionStream, newId, SalesCustomerEventType, type LeadConversionRecordedData } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { InMemoryCheckpointStore, InMemoryDeadLetterStore, StoreEventConsumer } from '@crm/messaging';
import { eventually } from '@crm/testing';
import { useLeadsApp } from '../../../test/leads-app.fixture';

describe('conversion confirmation (leads.conversion-confirmation, from sales.LeadConversionRecorded)', () => {
  /** The sales service's store, read through the consumer port as in embedded mode. */
  const sales = new InMemoryEventStore();
  const tenant = 'confirm';
  const { store, get, post } = useLeadsApp({
    consumer: new StoreEventConsumer(() => sales, new InMemoryCheckpointStore(), new InMemoryDeadLetterStore()),
    headers: { 'x-tenant-id': tenant },
  });
  const leadEvents = (id: string, type: string) => store().readStream(`lead-${id}`).then((events) => events.filter((e) => e.type === type));
  let people = 0;
  const convertedLead = async () => {
    const id = (await post('/v1/leads', { name: 'Conv', email: `conv-${++people}@example.cn` })).json<{ id: string }>().id;
    await post(`/v1/leads/${id}/qualify`);
    await post(`/v1/leads/${id}/convert`, {});
    return id;
  };
  const salesRecords = async (data: LeadConversionRecordedData) => {
    await sales.appendToStream(leadConversionStream(data.leadId), [
      { id: newId(), type: SalesCustomerEventType.LeadConversionRecorded, data, metadata: { tenantId: tenant, correlationId: 'corr-sales' } },
    ]);
  };
  const recorded = (leadId: string, contactId = 'con-1'): LeadConversionRecordedData => ({
    leadId, accountId: 'acc-1', account: 'linked', contactId, contact: 'created', opportunityId: 'opp-1', recordedAt: '2026-03-01T08:00:00.000Z',
  });

  it('notes on the lead what sales created or linked, once', async () => {
    const id = await convertedLead();
    await salesRecords(recorded(id));
    const [confirmed] = await eventually(async () => {
      const found = await leadEvents(id, 'leads.LeadConversionConfirmed');
      return found.length > 0 ? found : undefined;
    });
    expect(confirmed.data).toMatchObject({ leadId: id, accountId: 'acc-1', account: 'linked', contactId: 'con-1', contact: 'created', opportunityId: 'opp-1' });
    expect(confirmed.metadata).toMatchObject({ tenantId: tenant, actor: 'service:leads.conversion-confirmation', correlationId: 'corr-sales' });
    expect((await get(`/v1/leads/${id}`)).json()).toMatchObject({
      conversion: { accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1' }, conversionConfirmed: { account: 'linked', contact: 'created' },
    });

    // The same record again (a redelivery, or sales handling the conversion twice) appends nothing;
    // a later lead's record shows the first was passed.
    await salesRecords(recorded(id));
    const later = await convertedLead();
    await salesRecords(recorded(later));
    await eventually(async () => ((await leadEvents(later, 'leads.LeadConversionConfirmed')).length > 0 ? true : undefined));
    expect(await leadEvents(id, 'leads.LeadConversionConfirmed')).toHaveLength(1);
  });

  it('skips a record for a lead it cannot confirm and goes on with the next', async () => {
    const unknown = '0190aaaa-0000-7000-8000-00000000c0de';
    await salesRecords(recorded(unknown));
    const id = await convertedLead();
    await salesRecords(recorded(id, 'con-2'));
    await eventually(async () => ((await leadEvents(id, 'leads.LeadConversionConfirmed')).length > 0 ? true : undefined));
    expect(await store().readStream(`lead-${unknown}`)).toHaveLength(0);
  });
});
