import { newId, SalesCustomerEventType, type LeadConversionRecordedData, type RecordedEvent } from '@crm/contracts';
import type { InMemoryEventStore } from '@crm/eventstore';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { OpportunityFromLeadConsumer } from './opportunity-from-lead.consumer';

/** The handler of `sales.opportunity-from-lead`, called directly with recorded events (the fixture runs no background consumers). */
describe('opportunity from lead conversion (consumer handler)', () => {
  const fixture = useSalesApp();
  let store: InMemoryEventStore;
  let consumer: OpportunityFromLeadConsumer;
  beforeAll(() => {
    store = fixture.store();
    consumer = fixture.app().get(OpportunityFromLeadConsumer);
  });

  const tenantId = 'acme-conv';
  const conversion = (leadId: string, opportunityId: string | undefined): LeadConversionRecordedData => ({
    leadId,
    accountId: newId(),
    account: 'created',
    contactId: newId(),
    contact: 'created',
    ...(opportunityId !== undefined && {
      opportunityId,
      opportunity: {
        name: 'Pilot for 50 seats',
        amount: { amountMinor: 12_000_000, currency: 'CNY' },
        expectedCloseDate: '2027-01-15',
        ownerId: 'rep-7',
        source: { leadId, campaignId: 'cmp-1', channel: 'web_form' },
      },
    }),
    recordedAt: fixture.clock.now().toISOString(),
  });
  /** Records the conversion as the customers feature does and returns it as delivered. */
  const record = async (data: LeadConversionRecordedData): Promise<RecordedEvent> => {
    await store.appendToStream(`leadconversion-${data.leadId}`, [{
      id: newId(), type: SalesCustomerEventType.LeadConversionRecorded, data, metadata: { tenantId, actor: 'rep-7', correlationId: 'corr-1' },
    }]);
    return (await store.readStream(`leadconversion-${data.leadId}`)).at(-1)!;
  };
  const eventsOf = (id: string) => store.readStream(`opportunity-${id}`);

  it('opens the named opportunity in the default pipeline’s first stage, with the lead as source', async () => {
    const opportunityId = newId();
    const data = conversion(newId(), opportunityId);
    const event = await record(data);
    await consumer.handle(event);
    expect(await eventsOf(opportunityId)).toMatchObject([{
      type: 'sales.OpportunityCreated',
      data: {
        opportunityId, name: 'Pilot for 50 seats', accountId: data.accountId, contactId: data.contactId, pipelineId: 'default', stageId: 'initial_contact', probability: 10,
        amount: { amountMinor: 12_000_000, currency: 'CNY' }, expectedCloseDate: '2027-01-15', ownerId: 'rep-7', source: { leadId: data.leadId, campaignId: 'cmp-1', channel: 'web_form' },
      },
      metadata: { tenantId, actor: 'rep-7', correlationId: 'corr-1', causationId: event.id },
    }]);
  });

  it('redelivery appends nothing, and neither does a second conversion event with the same content', async () => {
    const opportunityId = newId();
    const data = conversion(newId(), opportunityId);
    const event = await record(data);
    await consumer.handle(event);
    fixture.clock.advance(60_000);
    await consumer.handle(event);
    await consumer.handle(await record(data));
    expect(await eventsOf(opportunityId)).toHaveLength(1);
  });

  it('uses the tenant’s own default pipeline when it defined one', async () => {
    const app = fixture.app();
    await app.inject({ method: 'PUT', url: '/v1/pipelines/default', headers: { 'x-tenant-id': tenantId }, payload: { name: 'Ours', stages: [{ stageId: 'discovery', name: 'Discovery', probability: 15 }] } });
    const opportunityId = newId();
    await consumer.handle(await record(conversion(newId(), opportunityId)));
    expect((await eventsOf(opportunityId))[0].data).toMatchObject({ pipelineId: 'default', stageId: 'discovery', probability: 15 });
  });

  it('does nothing for a conversion without an opportunity, or for other events', async () => {
    const before = (await store.readAll()).length;
    await consumer.handle(await record(conversion(newId(), undefined)));
    const other = (await store.readAll()).at(-1)!;
    await consumer.handle({ ...other, type: 'sales.AccountCreated' });
    expect((await store.readAll()).length).toBe(before + 1);
  });

  it('a payload that breaks the contract throws (the consumer retries, then dead-letters it)', async () => {
    const event = await record(conversion(newId(), newId()));
    await expect(consumer.handle({ ...event, data: { ...(event.data as object), accountId: 42 } })).rejects.toThrow();
  });
});
