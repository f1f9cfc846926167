/**
 * Trace context across the event boundary: stamp the active W3C trace context into an
 * event's metadata when it is appended, and continue that trace when the event is handled
 * (projection, automation, another service). With telemetry off the global propagator and
 * context manager are the API's no-ops, so these cost next to nothing and return `{}` /
 * `ROOT_CONTEXT`.
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
} from '@opentelemetry/api';

/** The trace fields of `EventMetadata` (contracts' envelope); `EventMetadata` is assignable to it. */
export type TraceMetadata = {
  traceparent?: string;
  tracestate?: string;
};

const TRACER = '@crm/observability';

/**
 * `{ traceparent, tracestate? }` of the active span, to spread into a new event's metadata:
 * `metadata: { tenantId, correlationId, ...currentTraceMetadata() }`. `{}` when no span is active.
 */
export const currentTraceMetadata = (): TraceMetadata => {
  const active = context.active();
  if (trace.getSpan(active) === undefined) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  const result: TraceMetadata = {};
  if (carrier.traceparent !== undefined) result.traceparent = carrier.traceparent;
  if (carrier.tracestate !== undefined && carrier.tracestate !== '') result.tracestate = carrier.tracestate;
  return result;
};

/**
 * The context an event was written in, to parent the span that handles it
 * (`withSpan(name, SpanKind.CONSUMER, attrs, fn, contextFromMetadata(event.metadata))`).
 * `ROOT_CONTEXT` when the event carries no (valid) trace context or telemetry is off.
 */
export const contextFromMetadata = (metadata: TraceMetadata | undefined): Context => {
  const traceparent = metadata?.traceparent;
  if (typeof traceparent !== 'string' || traceparent === '') return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent };
  if (typeof metadata?.tracestate === 'string' && metadata.tracestate !== '') carrier.tracestate = metadata.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
};

/**
 * Runs `fn` in a new active span (child of `parentContext`, default the active context),
 * records a thrown error as an exception event with status ERROR, rethrows it, and ends the
 * span. Status stays UNSET on success, as the OpenTelemetry spec recommends.
 */
export const withSpan = async <T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  parentContext: Context = context.active(),
): Promise<T> =>
  trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, parentContext, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      const exception = error instanceof Error ? error : new Error(String(error));
      span.recordException(exception);
      span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
      throw error;
    } finally {
      span.end();
    }
  });

/** The active span's ids (for log lines and problem+json responses); undefined when there is none. */
export const activeTraceIds = (): { traceId: string; spanId: string; traceFlags: number } | undefined => {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: spanContext.traceFlags };
};
