import type { z } from 'zod';
import { LeadCapturedData, LeadConvertedData, LeadDisqualifiedData, LeadEventType, LeadQualifiedData, TouchpointRecordedData } from './leads.events';

export type EventSchema = {
  /** Payload schema version (metadata.schemaVersion); older versions are upcast on read. */
  version: number;
  data: z.ZodType;
  description: string;
};

/**
 * Every published event type and its payload schema: the public contract, validated at the
 * edges and rendered into docs/asyncapi.yaml.
 */
export const eventSchemas: Record<string, EventSchema> = {
  [LeadEventType.LeadCaptured]: { version: 1, data: LeadCapturedData, description: 'A lead was captured from a channel.' },
  [LeadEventType.LeadQualified]: { version: 1, data: LeadQualifiedData, description: 'A lead was qualified for sales.' },
  [LeadEventType.LeadDisqualified]: { version: 1, data: LeadDisqualifiedData, description: 'A lead was disqualified, with a reason.' },
  [LeadEventType.LeadConverted]: { version: 1, data: LeadConvertedData, description: 'A lead was converted; sales creates the account, contact and opportunity.' },
  [LeadEventType.TouchpointRecorded]: { version: 1, data: TouchpointRecordedData, description: 'A behaviour touchpoint (page view, download, e-mail click, …) was recorded on a lead.' },
};

/** Validates an event payload against its declared schema; unknown types pass through unchanged. */
export const parseEventData = (type: string, data: unknown): unknown => {
  const schema = eventSchemas[type];
  return schema ? schema.data.parse(data) : data;
};
