import { ContactCaptureEventType as T } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { contactKeyDecider, salesContactDecider, type IndexSalesContact } from './contact-index.decider';

const now = new Date('2026-03-01T08:00:00.000Z');
const at = now.toISOString();

describe('Sales contact entry decider (leads’ index of sales contacts)', () => {
  const given = DeciderSpecification.for(salesContactDecider);
  const index = (salesRevision: number, change: Omit<IndexSalesContact['data'], 'contactId' | 'salesRevision' | 'now'>): IndexSalesContact =>
    ({ type: 'IndexSalesContact', data: { contactId: 'con-1', salesRevision, ...change, now } });
  const indexed = (salesRevision: number, keys: { email?: string; phone?: string }, mergedInto?: string) =>
    ({ type: T.SalesContactIndexed, data: { contactId: 'con-1', keys, ...(mergedInto && { mergedInto }), salesRevision, at } });

  it('records a new contact with its key hashes', () =>
    given([]).when(index(0, { keys: { email: 'h-mail', phone: null } })).then([indexed(0, { email: 'h-mail' })]));
  it('records a new contact without keys too (it may become a merge survivor)', () =>
    given([]).when(index(0, { keys: { email: null, phone: null } })).then([indexed(0, {})]));
  it('changes only the keys a sales update names; null removes one', () =>
    given([indexed(0, { email: 'h-mail', phone: 'h-phone' })]).when(index(1, { keys: { email: null } })).then([indexed(1, { phone: 'h-phone' })]));
  it('replaces a key with the new value’s hash', () =>
    given([indexed(0, { email: 'h-mail' })]).when(index(2, { keys: { email: 'h-other' } })).then([indexed(2, { email: 'h-other' })]));
  it('records the survivor of a merge and keeps the keys (they lead to the survivor)', () =>
    given([indexed(0, { email: 'h-mail' })]).when(index(3, { mergedInto: 'con-2' })).then([indexed(3, { email: 'h-mail' }, 'con-2')]));
  it('ignores an event at or below the revision already applied (a redelivery)', () => {
    given([indexed(2, { email: 'h-mail' })]).when(index(2, { keys: { email: 'h-other' } })).thenNothingHappened();
    given([indexed(2, { email: 'h-mail' })]).when(index(1, { keys: { email: null } })).thenNothingHappened();
  });
  it('records nothing when an update changes neither keys nor survivor', () =>
    given([indexed(0, { email: 'h-mail' })]).when(index(1, { keys: {} })).thenNothingHappened());
  it('keeps the revision, keys and survivor as state', () =>
    given([indexed(0, { email: 'h-mail' })]).when(index(1, { mergedInto: 'con-2' })).thenState((s) =>
      expect(s).toEqual({ contactId: 'con-1', keys: { email: 'h-mail' }, mergedInto: 'con-2', salesRevision: 1 })));
});

describe('Contact key decider (the contacts holding one key)', () => {
  const given = DeciderSpecification.for(contactKeyDecider);
  const point = (contactId: string) => ({ type: 'PointContactKey' as const, data: { contactId, rule: 'email' as const, now } });
  const release = (contactId: string) => ({ type: 'ReleaseContactKey' as const, data: { contactId, rule: 'email' as const, now } });
  const pointed = (contactId: string) => ({ type: T.ContactKeyPointed, data: { contactId, rule: 'email' as const, at } });
  const released = (contactId: string) => ({ type: T.ContactKeyReleased, data: { contactId, rule: 'email' as const, at } });

  it('adds a holder', () => given([]).when(point('con-1')).then([pointed('con-1')]));
  it('is a no-op for a contact already holding it', () => given([pointed('con-1')]).when(point('con-1')).thenNothingHappened());
  it('keeps several holders, oldest first (sales may let two contacts share an e-mail)', () =>
    given([pointed('con-1')]).when(point('con-2')).thenState((s) => expect(s.contactIds).toEqual(['con-1', 'con-2'])));
  it('removes a holder', () =>
    given([pointed('con-1'), pointed('con-2')]).when(release('con-1')).then([released('con-1')]));
  it('is a no-op releasing a contact that does not hold it', () => given([pointed('con-1')]).when(release('con-2')).thenNothingHappened());
  it('forgets the released holder', () =>
    given([pointed('con-1'), pointed('con-2')]).when(release('con-1')).thenState((s) => expect(s.contactIds).toEqual(['con-2'])));
});
