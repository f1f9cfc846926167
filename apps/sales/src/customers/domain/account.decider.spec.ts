import { eventSchemas, SalesCustomerEventType as T, type AccountEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { accountDecider } from './account.decider';

const given = DeciderSpecification.for(accountDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const a = '0190cccc-0000-7000-8000-000000000001';
const b = '0190cccc-0000-7000-8000-000000000002';
const c = '0190cccc-0000-7000-8000-000000000003';

const created = (accountId = a, name = '北京字节跳动科技有限公司'): AccountEvent => ({
  type: T.AccountCreated,
  data: { accountId, kind: 'company', name, industry: 'internet', phone: '+861058001234', createdAt: at },
});
const mergedInto = (mergedId: string, survivorId: string): AccountEvent => ({ type: T.AccountMergedInto, data: { mergedId, survivorId, mergedBy: 'rep-1', mergedAt: at } });
const absorbed = (survivorId: string, mergedId: string): AccountEvent => ({ type: T.AccountsMerged, data: { survivorId, mergedId, mergedBy: 'rep-1', mergedAt: at } });

describe('Account decider', () => {
  describe('CreateAccount', () => {
    const create = { type: 'CreateAccount' as const, data: { accountId: a, kind: 'company' as const, name: '北京字节跳动科技有限公司', industry: 'internet', phone: '+861058001234', email: undefined, now } };
    it('creates the account with only the fields given', () => given([]).when(create).then([created()]));
    it('refuses a second create of the same id', () => given([created()]).when(create).thenThrows('account_already_exists'));
    it('keeps the lead it came from', () =>
      given([]).when({ type: 'CreateAccount', data: { accountId: a, kind: 'person', name: '张三', fromLeadId: 'lead-1', now } }).then([
        { type: T.AccountCreated, data: { accountId: a, kind: 'person', name: '张三', fromLeadId: 'lead-1', createdAt: at } },
      ]));
  });

  describe('UpdateAccount', () => {
    const update = (changes: object) => ({ type: 'UpdateAccount' as const, data: { accountId: a, changes, now } });
    it('records only the fields that change; null clears', () =>
      given([created()]).when(update({ name: '北京字节跳动科技有限公司', region: '华北', phone: null, industry: 'internet' })).then([
        { type: T.AccountUpdated, data: { accountId: a, changes: { region: '华北', phone: null }, updatedAt: at } },
      ]));
    it('does nothing when nothing changes (clearing an absent field included)', () => given([created()]).when(update({ industry: 'internet', email: null })).thenNothingHappened());
    it('applies the change to the state', () =>
      given([created()]).when(update({ phone: null, tags: ['vip'] })).thenState((s) => {
        expect(s).toMatchObject({ tags: ['vip'] });
        expect(s).not.toHaveProperty('phone');
      }));
    it('refuses an unknown account', () => given([]).when(update({ region: 'x' })).thenThrows('account_not_found'));
    it('refuses a merged account and names the survivor', () =>
      given([created(), mergedInto(a, b)]).when(update({ region: 'x' })).thenThrows('account_merged', (e) => expect(e.details).toEqual({ survivorId: b })));
  });

  describe('MergeAccountInto (on the merged account)', () => {
    const into = (survivorId: string) => ({ type: 'MergeAccountInto' as const, data: { mergedId: a, survivorId, mergedBy: 'rep-1', now } });
    it('redirects the merged account to the survivor', () => given([created()]).when(into(b)).then([mergedInto(a, b)]));
    it('is a no-op when repeated', () => given([created(), mergedInto(a, b)]).when(into(b)).thenNothingHappened());
    it('refuses a record already merged elsewhere', () => given([created(), mergedInto(a, c)]).when(into(b)).thenThrows('account_merged'));
    it('refuses merging into itself', () => given([created()]).when(into(a)).thenThrows('merge_into_self'));
    it('refuses an unknown account', () => given([]).when(into(b)).thenThrows('account_not_found'));
  });

  describe('AbsorbAccount (on the survivor)', () => {
    const absorb = (mergedId: string) => ({ type: 'AbsorbAccount' as const, data: { survivorId: a, mergedId, mergedBy: 'rep-1', now } });
    it('records the merge on the survivor', () => given([created()]).when(absorb(b)).then([absorbed(a, b)]));
    it('is a no-op when repeated', () => given([created(), absorbed(a, b)]).when(absorb(b)).thenNothingHappened());
    it('keeps the list of merged accounts', () => given([created(), absorbed(a, b)]).when(absorb(c)).thenState((s) => expect(s).toMatchObject({ absorbed: [b, c] })));
    it('refuses a survivor that is itself merged', () => given([created(), mergedInto(a, c)]).when(absorb(b)).thenThrows('account_merged'));
    it('refuses merging into itself', () => given([created()]).when(absorb(a)).thenThrows('merge_into_self'));
    it('refuses an unknown survivor', () => given([]).when(absorb(b)).thenThrows('account_not_found'));
  });

  it('emits payloads that satisfy the published schemas', () => {
    for (const e of [created(), mergedInto(a, b), absorbed(a, b)]) expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
  });
});
