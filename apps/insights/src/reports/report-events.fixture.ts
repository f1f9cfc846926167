import { campaignStream, leadStream, newId, type CampaignEvent, type LeadEvent, type RecordedEvent } from '@crm/contracts';

const DAY_MS = 86_400_000;

/** Day 0 of the report specs: 2025-03-01T00:00:00Z; `day(1.5)` is 36 hours later. */
export const DAY0 = Date.parse('2025-03-01T00:00:00.000Z');
export const day = (n: number): Date => new Date(DAY0 + n * DAY_MS);
export const dayIso = (n: number): string => day(n).toISOString();

/**
 * Wraps lead and campaign events as the leads store would deliver them, with ever-growing
 * positions (one counter per spec file: the projections' checkpoints are shared by the file).
 */
export const createEventRecorder = () => {
  let position = 0n;
  const recorded = (tenantId: string, event: LeadEvent | CampaignEvent): RecordedEvent => ({
    id: newId(),
    type: event.type,
    // The projections do not read the stream name; the ids in `data` place the event.
    streamName: event.type.startsWith('campaigns.') ? campaignStream(newId()) : leadStream(newId()),
    revision: 0,
    position: ++position,
    occurredAt: new Date(DAY0),
    data: event.data,
    metadata: { tenantId, correlationId: newId() },
  });
  return { recorded };
};
