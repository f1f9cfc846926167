import { SalesCustomerEventType as C, SalesPipelineEventType as P } from '@crm/contracts';
import { foldAccount, foldContact, foldOpportunityContactId } from './customer-snapshot';

const at = '2026-11-01T08:00:00.000Z';

describe('customer snapshots for signing', () => {
  it('folds an account’s name through renames and notes a merge', () =>
    expect(foldAccount([
      { type: C.AccountCreated, data: { accountId: 'a1', kind: 'company', name: 'Acme', createdAt: at } },
      { type: C.AccountUpdated, data: { accountId: 'a1', changes: { industry: 'SaaS' }, updatedAt: at } },
      { type: C.AccountUpdated, data: { accountId: 'a1', changes: { name: '北京某某科技有限公司' }, updatedAt: at } },
      { type: C.AccountMergedInto, data: { mergedId: 'a1', survivorId: 'a2', mergedAt: at } },
    ])).toEqual({ accountId: 'a1', name: '北京某某科技有限公司', mergedInto: 'a2' }));

  it('knows no account without its creation', () => expect(foldAccount([])).toBeUndefined());

  it('folds a contact’s name, e-mail and phone; null clears a field', () =>
    expect(foldContact([
      { type: C.ContactCreated, data: { contactId: 'p1', name: '王小明', email: 'xm@example.cn', phone: '+8613800138000', decisionMaker: true, createdAt: at } },
      { type: C.ContactUpdated, data: { contactId: 'p1', changes: { email: 'wang@example.cn', phone: null }, updatedAt: at } },
    ])).toEqual({ contactId: 'p1', name: '王小明', email: 'wang@example.cn' }));

  it('reads the opportunity’s contact, following changes and clears', () => {
    const created = { type: P.OpportunityCreated, data: { opportunityId: 'o1', contactId: 'p1' } };
    expect(foldOpportunityContactId([created])).toBe('p1');
    expect(foldOpportunityContactId([created, { type: P.OpportunityUpdated, data: { changes: { contactId: 'p2' } } }])).toBe('p2');
    expect(foldOpportunityContactId([created, { type: P.OpportunityUpdated, data: { changes: { contactId: null } } }])).toBeUndefined();
    expect(foldOpportunityContactId([created, { type: P.OpportunityUpdated, data: { changes: { name: 'x' } } }])).toBe('p1');
  });
});
