import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, startTestTelemetry, type Telemetry } from './telemetry';
import { activeTraceIds, contextFromMetadata, currentTraceMetadata, withSpan } from './trace-context';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe('trace context with the SDK on (test telemetry)', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;

  beforeAll(() => {
    telemetry = startTestTelemetry({ spanExporter: exporter, serviceName: 'observability-test' });
  });
  afterAll(async () => {
    await telemetry.shutdown();
  });
  beforeEach(() => exporter.reset());

  it('is on, and a second start is a no-op returning the same handle', () => {
    expect(telemetry.enabled).toBe(true);
    expect(startTelemetry({ serviceName: 'other' })).toBe(telemetry);
  });

  it('captures the spans withSpan makes, with kind, attributes and resource', async () => {
    const result = await withSpan('leads.QualifyLead', SpanKind.INTERNAL, { 'crm.command': 'QualifyLead' }, () => 42);

    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('leads.QualifyLead');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes['crm.command']).toBe('QualifyLead');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.resource.attributes['service.name']).toBe('observability-test');
  });

  it('currentTraceMetadata inside an active span yields a traceparent of that span', async () => {
    const seen = await withSpan('append', SpanKind.INTERNAL, {}, async (span) => {
      await new Promise((resolve) => setImmediate(resolve)); // across an async hop (AsyncLocalStorage)
      return { metadata: currentTraceMetadata(), ids: span.spanContext() };
    });

    const match = TRACEPARENT.exec(seen.metadata.traceparent ?? '');
    expect(match).not.toBeNull();
    expect(match?.[1]).toBe(seen.ids.traceId);
    expect(match?.[2]).toBe(seen.ids.spanId);
    expect(seen.metadata.traceparent).toBe(`00-${seen.ids.traceId}-${seen.ids.spanId}-01`);
  });

  it('currentTraceMetadata is {} outside any span', () => {
    expect(currentTraceMetadata()).toEqual({});
    expect(activeTraceIds()).toBeUndefined();
  });

  it('contextFromMetadata + withSpan continue the trace as a child of the writing span', async () => {
    const metadata = await withSpan('leads.append', SpanKind.PRODUCER, {}, () => ({ tenantId: 't1', ...currentTraceMetadata(), tracestate: 'crm=1' }));
    const [writer] = exporter.getFinishedSpans();

    await withSpan('insights.project', SpanKind.CONSUMER, { 'crm.event.type': 'leads.LeadCaptured' }, () => undefined, contextFromMetadata(metadata));

    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'insights.project');
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer?.spanContext().traceId).toBe(writer.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(writer.spanContext().spanId);
    expect(consumer?.parentSpanContext?.isRemote).toBe(true);
    expect(consumer?.spanContext().traceState?.get('crm')).toBe('1');
  });

  it('contextFromMetadata ignores metadata without a (valid) traceparent', async () => {
    expect(contextFromMetadata(undefined)).toBe(ROOT_CONTEXT);
    expect(contextFromMetadata({})).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(contextFromMetadata({ traceparent: 'garbage' }))).toBeUndefined();

    await withSpan('orphan', SpanKind.CONSUMER, {}, () => undefined, contextFromMetadata({}));
    expect(exporter.getFinishedSpans()[0].parentSpanContext).toBeUndefined();
  });

  it('withSpan records a thrown error, sets status ERROR, ends the span and rethrows', async () => {
    await expect(
      withSpan('failing', SpanKind.INTERNAL, {}, async () => {
        throw new Error('rule violated');
      }),
    ).rejects.toThrow('rule violated');

    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rule violated' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0].attributes?.['exception.message']).toBe('rule violated');
    expect(span.ended).toBe(true);
  });

  it('nested withSpan calls parent on the active span', async () => {
    await withSpan('outer', SpanKind.SERVER, {}, () => withSpan('inner', SpanKind.INTERNAL, {}, () => context.active()));

    const inner = exporter.getFinishedSpans().find((s) => s.name === 'inner');
    const outer = exporter.getFinishedSpans().find((s) => s.name === 'outer');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
  });
});
