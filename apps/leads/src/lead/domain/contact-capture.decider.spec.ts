import { ContactCaptureEventType as T } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { contactCaptureDecider, type RecordContactCapture } from './contact-capture.decider';

const given = DeciderSpecification.for(contactCaptureDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const capturedAt = now.toISOString();

describe('Contact capture decider (a capture that matched a sales contact)', () => {
  const record: RecordContactCapture = {
    type: 'RecordContactCapture',
    data: {
      captureId: 'cap-1', contactId: 'con-1', matchedOn: 'email', name: 'Ann', email: 'ann@example.cn',
      source: { channel: 'web_form', formId: 'f-1', utm: { source: 'wechat' }, campaignId: 'cmp-1' },
      consents: [{ purpose: 'marketing', grantedAt: capturedAt, source: 'web_form:f-1' }], now,
    },
  };
  const recaptured = {
    type: T.ContactRecaptured,
    data: {
      captureId: 'cap-1', contactId: 'con-1', name: 'Ann', email: 'ann@example.cn',
      source: { channel: 'web_form' as const, formId: 'f-1', utm: { source: 'wechat' }, campaignId: 'cmp-1' },
      consents: [{ purpose: 'marketing', grantedAt: capturedAt, source: 'web_form:f-1' }], matchedOn: 'email' as const, capturedAt,
    },
  };

  it('records the capture against the contact with its source and consents', () => given([]).when(record).then([recaptured]));
  it('leaves out empty consents and absent fields', () =>
    given([]).when({ type: 'RecordContactCapture', data: { captureId: 'cap-2', contactId: 'con-1', matchedOn: 'phone', name: 'B', phone: '+8613800138000', source: { channel: 'api' }, consents: [], now } })
      .then([{ type: T.ContactRecaptured, data: { captureId: 'cap-2', contactId: 'con-1', name: 'B', phone: '+8613800138000', source: { channel: 'api' }, matchedOn: 'phone', capturedAt } }]));
  it('records one capture once', () => given([recaptured]).when(record).thenNothingHappened());
  it('remembers the contact and rule', () =>
    given([]).when(record).thenState((s) => expect(s).toEqual({ status: 'recorded', captureId: 'cap-1', contactId: 'con-1', matchedOn: 'email' })));
});
