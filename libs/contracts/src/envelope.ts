/**
 * The event envelope: what every recorded event looks like, whichever store holds it.
 * This is the public contract other services and other systems (ERP, finance, the data
 * warehouse) consume; see docs/events.md.
 */

/** Metadata carried by every event. `tenantId` is mandatory: no read path may ignore it. */
export type EventMetadata = {
  tenantId: string;
  /** Who caused the change: a user id, `system`, or `service:<name>`. */
  actor?: string;
  /** Shared by every event that stems from one original request. */
  correlationId: string;
  /** The id of the command or event that directly caused this one. */
  causationId?: string;
  /** W3C trace context of the operation that wrote the event. */
  traceparent?: string;
  tracestate?: string;
  /** The `Idempotency-Key` of the command that produced the event, when it had one. */
  idempotencyKey?: string;
  /** Payload schema version of `data` (defaults to 1). */
  schemaVersion?: number;
  [key: string]: unknown;
};

/** An event as the domain produces it: a type and its payload. */
export type DomainEvent<Type extends string = string, Data = unknown> = {
  type: Type;
  data: Data;
};

/** An event ready to append. `id` defaults to a fresh UUIDv7. */
export type NewEvent<Type extends string = string, Data = unknown> = DomainEvent<Type, Data> & {
  id?: string;
  metadata: EventMetadata;
};

/** An event as the store recorded it. */
export type RecordedEvent<Type extends string = string, Data = unknown> = {
  /** UUIDv7. */
  id: string;
  /** `<context>.<EventName>`, e.g. `leads.LeadCaptured`. */
  type: Type;
  /** `category-id`, e.g. `lead-0190…`. */
  streamName: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Position in the store-wide `$all` order; strictly increasing in delivery order. */
  position: bigint;
  /** When the store recorded it (UTC). */
  occurredAt: Date;
  data: Data;
  metadata: EventMetadata;
};

/** `lead-0190…` → `lead`. Everything before the first dash. */
export const streamCategory = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
};

/** `lead-0190-…` → `0190-…`. Everything after the first dash. */
export const streamId = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? '' : streamName.slice(dash + 1);
};

/** `<context>.<EventName>` → `<context>`. */
export const eventContext = (type: string): string => type.slice(0, Math.max(0, type.indexOf('.')));
