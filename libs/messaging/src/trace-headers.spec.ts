import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { copyTraceHeadersFromMetadata, extractTraceContext, injectTraceHeaders, traceContextOfEvent } from './trace-headers';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace headers', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('injects the W3C trace context into NATS headers and extracts it back', () => {
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true };
    const h = natsHeaders();
    injectTraceHeaders(h, trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(h.get('traceparent')).toBe(TRACEPARENT);
    expect(trace.getSpanContext(extractTraceContext(h))).toEqual(spanContext);
  });

  it('reads the context an event was written in from its metadata, and copies it verbatim into headers', () => {
    const metadata = { traceparent: TRACEPARENT, tracestate: 'crm=1' };
    expect(trace.getSpanContext(traceContextOfEvent(metadata))?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const h = natsHeaders();
    copyTraceHeadersFromMetadata(h, metadata);
    expect([h.get('traceparent'), h.get('tracestate')]).toEqual([TRACEPARENT, 'crm=1']);
  });

  it('leaves headers alone and extracts nothing when there is no trace context', () => {
    const h = natsHeaders();
    copyTraceHeadersFromMetadata(h, {});
    expect(h.keys()).toEqual([]);
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
  });
});
