import type { z } from 'zod';
import { LeadAttributesUpdatedData, LeadBecameHotData, LeadCooledData, LeadScoreChangedData } from './lead-scoring.events';
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
  [LeadEventType.LeadAttributesUpdated]: { version: 1, data: LeadAttributesUpdatedData, description: 'Lead fields changed (null clears a field).' },
  [LeadEventType.LeadScoreChanged]: { version: 1, data: LeadScoreChangedData, description: 'A lead’s score changed, with the rules that fired.' },
  [LeadEventType.LeadBecameHot]: { version: 1, data: LeadBecameHotData, description: 'A lead’s score reached the hot threshold: route it first and alert its owner.' },
  [LeadEventType.LeadCooled]: { version: 1, data: LeadCooledData, description: 'A lead’s score fell below the hot threshold.' },
  [LeadEventType.TouchpointRecorded]: { version: 1, data: TouchpointRecordedData, description: 'A behaviour touchpoint (page view, download, e-mail click, …) was recorded on a lead.' },
};

/** Validates an event payload against its declared schema; unknown types pass through unchanged. */
export const parseEventData = (type: string, data: unknown): unknown => {
  const schema = eventSchemas[type];
  return schema ? schema.data.parse(data) : data;
};
