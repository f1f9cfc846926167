import { ContactCaptureEventType, type ContactCaptureEvent, type ContactMatchRule } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { CaptureLead } from './lead.commands';
import { capturedPerson } from './lead.decider';

/**
 * A capture that matched a sales contact and no open lead: it is recorded against the contact
 * (`contactcapture-<captureId>`) instead of creating a lead.
 */
export type RecordContactCapture = {
  type: 'RecordContactCapture';
  data: Omit<CaptureLead['data'], 'leadId'> & { captureId: string; contactId: string; matchedOn: ContactMatchRule };
};

export type ContactCaptureState = { status: 'none' } | { status: 'recorded'; captureId: string; contactId: string; matchedOn: ContactMatchRule };

export const contactCaptureDecider: Decider<RecordContactCapture, ContactCaptureEvent, ContactCaptureState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (_state, { data }) => ({ status: 'recorded', captureId: data.captureId, contactId: data.contactId, matchedOn: data.matchedOn }),
  // One capture is recorded once: its id comes from the Idempotency-Key, so the same capture again changes nothing.
  decide: ({ data }, state) => state.status === 'recorded'
    ? []
    : [{
        type: ContactCaptureEventType.ContactRecaptured,
        data: {
          captureId: data.captureId,
          contactId: data.contactId,
          ...capturedPerson(data),
          matchedOn: data.matchedOn,
          capturedAt: data.now.toISOString(),
        },
      }],
};
