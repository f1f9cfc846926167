import { context as otelContext, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { EventMetadata } from '@crm/contracts';
import type { MsgHdrs } from '@nats-io/nats-core';

/** W3C trace-context keys, as NATS headers and as event metadata keys. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** OpenTelemetry carrier accessors over NATS message headers. */
export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => {
    if (!carrier || !carrier.has(key)) return undefined;
    const values = carrier.values(key);
    return values.length === 1 ? values[0] : values;
  },
};

/** Writes the trace context (default: the active one) into NATS headers via the global propagator. */
export const injectTraceHeaders = (headers: MsgHdrs, ctx: Context = otelContext.active()): void => {
  propagation.inject(ctx, headers, natsHeaderSetter);
};

/** The trace context carried by NATS headers (`base` when there is none). */
export const extractTraceContext = (headers: MsgHdrs | undefined, base: Context = ROOT_CONTEXT): Context =>
  propagation.extract(base, headers, natsHeaderGetter);

type MetadataCarrier = Pick<EventMetadata, 'traceparent' | 'tracestate'>;

const metadataGetter: TextMapGetter<MetadataCarrier> = {
  keys: (carrier) => [TRACEPARENT, TRACESTATE].filter((k) => typeof carrier[k as keyof MetadataCarrier] === 'string'),
  get: (carrier, key) => {
    const value = key === TRACEPARENT ? carrier.traceparent : key === TRACESTATE ? carrier.tracestate : undefined;
    return typeof value === 'string' ? value : undefined;
  },
};

/** The trace context an event was written in (its metadata's `traceparent`/`tracestate`). */
export const traceContextOfEvent = (metadata: MetadataCarrier, base: Context = ROOT_CONTEXT): Context =>
  propagation.extract(base, metadata, metadataGetter);

/**
 * Copies an event's W3C trace context verbatim into NATS headers. The relay uses this rather
 * than a propagator: the event metadata already holds the W3C strings, and copying them keeps
 * the publish independent of which propagator (if any) the process registered.
 */
export const copyTraceHeadersFromMetadata = (headers: MsgHdrs, metadata: MetadataCarrier): void => {
  if (typeof metadata.traceparent === 'string' && metadata.traceparent !== '') headers.set(TRACEPARENT, metadata.traceparent);
  if (typeof metadata.tracestate === 'string' && metadata.tracestate !== '') headers.set(TRACESTATE, metadata.tracestate);
};
