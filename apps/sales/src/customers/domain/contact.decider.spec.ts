import { eventSchemas, SalesCustomerEventType as T, type ContactEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { contactDecider } from './contact.decider';

const given = DeciderSpecification.for(contactDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const a = '0190dddd-0000-7000-8000-000000000001';
const b = '0190dddd-0000-7000-8000-000000000002';
const c = '0190dddd-0000-7000-8000-000000000003';
const account = '0190cccc-0000-7000-8000-000000000001';

const created: ContactEvent = {
  type: T.ContactCreated,
  data: { contactId: a, name: '王芳', accountId: account, role: 'decision_maker', decisionMaker: true, email: 'wang.fang@example.cn', wecomId: 'wangfang', createdAt: at },
};
const mergedInto = (survivorId: string): ContactEvent => ({ type: T.ContactMergedInto, data: { mergedId: a, survivorId, mergedAt: at } });
const absorbed = (mergedId: string): ContactEvent => ({ type: T.ContactsMerged, data: { survivorId: a, mergedId, mergedAt: at } });

describe('Contact decider', () => {
  describe('CreateContact', () => {
    it('creates the contact with its role, decision maker flag and WeCom id', () =>
      given([]).when({
        type: 'CreateContact',
        data: { contactId: a, name: '王芳', accountId: account, role: 'decision_maker', decisionMaker: true, email: 'wang.fang@example.cn', wecomId: 'wangfang', now },
      }).then([created]));
    it('refuses a second create of the same id', () =>
      given([created]).when({ type: 'CreateContact', data: { contactId: a, name: 'x', decisionMaker: false, now } }).thenThrows('contact_already_exists'));
  });

  describe('UpdateContact', () => {
    const update = (changes: object) => ({ type: 'UpdateContact' as const, data: { contactId: a, changes, now } });
    it('records only the fields that change; null clears', () =>
      given([created]).when(update({ decisionMaker: false, wecomId: null, title: 'CTO', name: '王芳' })).then([
        { type: T.ContactUpdated, data: { contactId: a, changes: { title: 'CTO', decisionMaker: false, wecomId: null }, updatedAt: at } },
      ]));
    it('moves the contact to another account', () =>
      given([created]).when(update({ accountId: b })).thenState((s) => expect(s).toMatchObject({ accountId: b })));
    it('does nothing when nothing changes', () => given([created]).when(update({ role: 'decision_maker' })).thenNothingHappened());
    it('refuses an unknown contact', () => given([]).when(update({ title: 'x' })).thenThrows('contact_not_found'));
    it('refuses a merged contact and names the survivor', () =>
      given([created, mergedInto(b)]).when(update({ title: 'x' })).thenThrows('contact_merged', (e) => expect(e.details).toEqual({ survivorId: b })));
  });

  describe('merging', () => {
    const into = (survivorId: string) => ({ type: 'MergeContactInto' as const, data: { mergedId: a, survivorId, now } });
    const absorb = (mergedId: string) => ({ type: 'AbsorbContact' as const, data: { survivorId: a, mergedId, now } });
    it('redirects the merged contact, once', () => {
      given([created]).when(into(b)).then([mergedInto(b)]);
      given([created, mergedInto(b)]).when(into(b)).thenNothingHappened();
    });
    it('refuses a contact merged elsewhere, or into itself', () => {
      given([created, mergedInto(c)]).when(into(b)).thenThrows('contact_merged');
      given([created]).when(into(a)).thenThrows('merge_into_self');
      given([]).when(into(b)).thenThrows('contact_not_found');
    });
    it('records the merge on the survivor, once', () => {
      given([created]).when(absorb(b)).then([absorbed(b)]);
      given([created, absorbed(b)]).when(absorb(b)).thenNothingHappened();
    });
    it('refuses a merged survivor, or itself', () => {
      given([created, mergedInto(c)]).when(absorb(b)).thenThrows('contact_merged');
      given([created]).when(absorb(a)).thenThrows('merge_into_self');
    });
  });

  describe('RecordContactEngagement (a capture in leads matched the contact)', () => {
    const engage = (captureAt: string, extra: object = {}) => ({
      type: 'RecordContactEngagement' as const,
      data: { contactId: a, channel: 'web_form', formId: 'contact-us', captureId: `cap-${captureAt}`, at: captureAt, ...extra, now },
    });
    const engaged = (captureAt: string, extra: object = {}): ContactEvent => ({
      type: T.ContactEngaged,
      data: { contactId: a, channel: 'web_form', formId: 'contact-us', captureId: `cap-${captureAt}`, at: captureAt, ...extra, recordedAt: at },
    });
    const morning = '2026-11-02T08:00:00.000Z';
    const evening = '2026-11-02T18:00:00.000Z';
    it('records the engagement with its channel, campaign and UTM', () =>
      given([created]).when(engage(morning, { campaignId: 'cmp-1', utm: { source: 'wechat' } })).then([engaged(morning, { campaignId: 'cmp-1', utm: { source: 'wechat' } })]));
    it('shows it as the last engagement', () =>
      given([created]).when(engage(morning)).thenState((s) =>
        expect(s).toMatchObject({ lastEngagement: { channel: 'web_form', formId: 'contact-us', captureId: `cap-${morning}`, at: morning } })));
    it('keeps the latest capture as the last engagement when captures arrive out of order', () =>
      given([created, engaged(evening)]).when(engage(morning)).thenState((s) => expect(s).toMatchObject({ lastEngagement: { at: evening } })));
    it('refuses an unknown contact', () => given([]).when(engage(morning)).thenThrows('contact_not_found'));
    it('refuses a merged contact, naming the survivor', () =>
      given([created, mergedInto(b)]).when(engage(morning)).thenThrows('contact_merged', (e) => expect(e.details).toEqual({ survivorId: b })));
  });

  it('emits payloads that satisfy the published schemas', () => {
    const engagedEvent: ContactEvent = {
      type: T.ContactEngaged, data: { contactId: a, channel: 'api', captureId: 'cap-1', at, recordedAt: at },
    };
    for (const e of [created, mergedInto(b), absorbed(b), engagedEvent]) expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
  });
});
