import {
  accountStream, contactStream, DEFAULT_SALES_SETTINGS, leadConversionStream, newId, salesSettingsStream, type LeadConvertedData, type RecordedEvent,
} from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { ManualClock } from '@crm/scheduler';
import { LeadConversionService } from './lead-conversion.service';
import { MatchKeyIndex } from './match-key-index';

const tenantId = 'acme-tenant';
let position = 0n;

/** A `leads.LeadConverted` as the consumer port delivers it (from the leads store or JetStream). */
const leadConverted = (over: Partial<LeadConvertedData> = {}, tenant = tenantId): RecordedEvent => {
  const leadId = over.leadId ?? newId();
  return {
    id: newId(),
    type: 'leads.LeadConverted',
    streamName: `lead-${leadId}`,
    revision: 2,
    position: position++,
    occurredAt: new Date('2026-11-02T08:59:00.000Z'),
    metadata: { tenantId: tenant, actor: 'manager-1', correlationId: `corr-${leadId}` },
    data: {
      leadId,
      accountId: newId(),
      contactId: newId(),
      opportunityId: newId(),
      lead: { name: '张三', company: '北京字节跳动科技有限公司', email: 'zhang.san@bytedance.com', phone: '+8613800138000', ownerId: 'rep-7', channel: 'web_form', campaignId: 'cmp-1' },
      convertedBy: 'manager-1',
      convertedAt: '2026-11-02T08:59:00.000Z',
      ...over,
    } satisfies LeadConvertedData,
  };
};

describe('LeadConversionService (the sales.lead-conversion handler)', () => {
  let store: InMemoryEventStore;
  let service: LeadConversionService;
  const clock = new ManualClock('2026-11-02T09:00:00.000Z');
  beforeEach(() => {
    store = new InMemoryEventStore();
    service = new LeadConversionService(store, clock, new MatchKeyIndex(store, clock));
  });
  const all = async () => store.readAll();
  const dataOf = (e: RecordedEvent) => e.data as LeadConvertedData;

  it('creates the account and the contact under the ids the event names and records the conversion with the opportunity to open', async () => {
    const event = leadConverted();
    const { leadId, accountId, contactId, opportunityId } = dataOf(event);
    const recorded = await service.handle(event);
    expect(recorded).toEqual({
      leadId, accountId, account: 'created', contactId, contact: 'created', opportunityId,
      opportunity: {
        name: '北京字节跳动科技有限公司 — new business',
        amount: { amountMinor: 0, currency: 'CNY' },
        expectedCloseDate: '2027-01-31',
        ownerId: 'rep-7',
        source: { leadId, campaignId: 'cmp-1', channel: 'web_form' },
      },
      recordedAt: '2026-11-02T09:00:00.000Z',
    });
    expect((await store.readStream(accountStream(accountId)))[0]).toMatchObject({
      type: 'sales.AccountCreated',
      data: { accountId, kind: 'company', name: '北京字节跳动科技有限公司', ownerId: 'rep-7', fromLeadId: leadId },
      metadata: { tenantId, actor: 'service:sales.lead-conversion', correlationId: `corr-${leadId}`, causationId: event.id, idempotencyKey: `lead-converted:${event.id}` },
    });
    expect((await store.readStream(contactStream(contactId)))[0].data).toMatchObject({
      contactId, name: '张三', accountId, email: 'zhang.san@bytedance.com', phone: '+8613800138000', fromLeadId: leadId,
    });
    expect((await store.readStream(leadConversionStream(leadId))).map((e) => e.type)).toEqual(['sales.LeadConversionRecorded']);
  });

  it('appends nothing when the same event is delivered again', async () => {
    const event = leadConverted();
    await service.handle(event);
    const before = await all();
    expect(await service.handle(event)).toBeUndefined();
    expect(await all()).toEqual(before);
  });

  it('completes a delivery that stopped after creating the account: same outcome, nothing created twice', async () => {
    const event = leadConverted();
    const { accountId, leadId } = dataOf(event);
    // First delivery: got as far as the account, then the process died.
    await store.appendToStream(accountStream(accountId), [{
      type: 'sales.AccountCreated',
      data: { accountId, kind: 'company', name: '北京字节跳动科技有限公司', fromLeadId: leadId, createdAt: clock.now().toISOString() },
      metadata: { tenantId, correlationId: 'first-delivery', idempotencyKey: `lead-converted:${event.id}` },
    }]);
    const recorded = await service.handle(event);
    expect(recorded).toMatchObject({ accountId, account: 'created', contact: 'created' });
    expect((await all()).filter((e) => e.type === 'sales.AccountCreated')).toHaveLength(1);
    expect((await store.readStream(leadConversionStream(leadId)))).toHaveLength(1);
  });

  it('links an existing account found by its folded company name and an existing contact found by e-mail', async () => {
    const first = leadConverted({ lead: { name: '李四', company: 'ACME Co., Ltd.', email: 'li.si@acme.com', channel: 'event' } });
    await service.handle(first);
    const second = leadConverted({
      lead: { name: 'Li Si', company: 'acme', email: 'LI.SI@acme.com', channel: 'api' },
      opportunityId: undefined,
    });
    const recorded = await service.handle(second);
    expect(recorded).toMatchObject({ accountId: dataOf(first).accountId, account: 'linked', contactId: dataOf(first).contactId, contact: 'linked' });
    expect(recorded).not.toHaveProperty('opportunity');
    expect(await store.readStream(accountStream(dataOf(second).accountId))).toEqual([]);
    expect(await store.readStream(contactStream(dataOf(second).contactId))).toEqual([]);
  });

  it('links the records the converter chose (the ids in the event already exist)', async () => {
    const first = leadConverted();
    await service.handle(first);
    const chosen = leadConverted({ accountId: dataOf(first).accountId, contactId: dataOf(first).contactId, lead: { name: 'Other', company: 'Other Ltd', channel: 'api' } });
    expect(await service.handle(chosen)).toMatchObject({ accountId: dataOf(first).accountId, account: 'linked', contact: 'linked' });
  });

  it('makes a person account for a lead without a company, and uses the tenant’s default currency and the hints', async () => {
    await store.appendToStream(salesSettingsStream(tenantId), [{
      type: 'sales.SalesSettingsChanged',
      data: { ...DEFAULT_SALES_SETTINGS, defaultCurrency: 'USD', version: 1, changedAt: '2026-11-01T00:00:00.000Z' },
      metadata: { tenantId, correlationId: 'settings' },
    }]);
    const event = leadConverted({
      lead: { name: 'Jane Doe', email: 'jane@example.com', channel: 'webinar' },
      opportunity: { amountMinor: 500_000, expectedCloseDate: '2026-12-15' },
      convertedBy: undefined,
    });
    const recorded = await service.handle(event);
    expect((await store.readStream(accountStream(dataOf(event).accountId)))[0].data).toMatchObject({ kind: 'person', name: 'Jane Doe', email: 'jane@example.com' });
    expect(recorded?.opportunity).toMatchObject({ name: 'Jane Doe — new business', amount: { amountMinor: 500_000, currency: 'USD' }, expectedCloseDate: '2026-12-15', ownerId: 'unassigned' });
  });

  it('creates one account when two leads of the same company are converted at the same time', async () => {
    const a = leadConverted({ lead: { name: 'A', company: '腾讯科技（深圳）有限公司', channel: 'api' } });
    const b = leadConverted({ lead: { name: 'B', company: '腾讯科技有限公司', channel: 'api' } });
    const [ra, rb] = await Promise.all([service.handle(a), service.handle(b)]);
    expect([ra?.account, rb?.account].sort()).toEqual(['created', 'linked']);
    expect(ra?.accountId).toBe(rb?.accountId);
    expect((await all()).filter((e) => e.type === 'sales.AccountCreated')).toHaveLength(1);
  });

  it('keeps tenants apart', async () => {
    await service.handle(leadConverted());
    expect(await service.handle(leadConverted({}, 'other-tenant'))).toMatchObject({ account: 'created', contact: 'created' });
  });

  it('ignores other events, and fails (to be retried, then dead-lettered) on a payload that breaks the contract or has nothing to create from', async () => {
    expect(await service.handle({ ...leadConverted(), type: 'leads.LeadQualified' })).toBeUndefined();
    await expect(service.handle({ ...leadConverted(), data: { leadId: 'x' } })).rejects.toThrow();
    await expect(service.handle(leadConverted({ lead: undefined }))).rejects.toThrow(/no lead snapshot/);
    expect(await all()).toEqual([]);
  });
});
