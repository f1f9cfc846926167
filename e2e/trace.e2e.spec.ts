import { startTestTelemetry, type Telemetry } from '@crm/observability';
import { describeWithNats, eventually } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startSuite, type RunningSuite } from './support/suite';

/** One trace links the HTTP request, the append, the publish to JetStream and the projection update. */
describeWithNats('one trace from HTTP request to projection', (natsUrl) => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let suite: RunningSuite;
  let leads: NestFastifyApplication;
  let insights: NestFastifyApplication;

  beforeAll(async () => {
    telemetry = startTestTelemetry({ spanExporter: exporter, serviceName: 'e2e' });
    suite = await startSuite('trace', ['leads', 'insights'], natsUrl());
    ({ leads, insights } = suite.apps);
  }, 120_000);

  afterAll(async () => {
    await suite?.stop();
    await telemetry?.shutdown();
  });

  it('HTTP POST → eventstore.append → publish → consume share one trace, each linked to the request', async () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await leads.inject({
      method: 'POST',
      url: '/v1/leads',
      headers: { traceparent: incoming, 'x-tenant-id': 'trace' },
      payload: { name: 'Trace Lead', email: 'trace@example.cn' },
    });
    expect(res.statusCode).toBe(201);
    const { id } = res.json<{ id: string }>();
    await eventually(async () => ((await insights.inject({ url: `/v1/leads/${id}`, headers: { 'x-tenant-id': 'trace' } })).statusCode === 200 ? true : undefined));

    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spans = await eventually(() => {
      const all = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      return all.some((s) => s.name === 'consume leads.LeadCaptured') ? all : undefined;
    });
    const byName = (prefix: string): ReadableSpan => {
      const span = spans.find((s) => s.name.startsWith(prefix));
      if (!span) throw new Error(`no span "${prefix}…" in ${spans.map((s) => s.name).join(', ')}`);
      return span;
    };
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

    const http = byName('POST /v1/leads');
    const append = byName('eventstore.append');
    const publish = byName(`publish ${suite.natsNamespace}.leads.LeadCaptured`);
    const consume = byName('consume leads.LeadCaptured');
    expect(parentOf(http)).toBe('00f067aa0ba902b7'); // continues the caller's trace
    expect(parentOf(append)).toBe(http.spanContext().spanId);
    expect(parentOf(publish)).toBe(http.spanContext().spanId); // via the event's metadata.traceparent
    expect(parentOf(consume)).toBe(http.spanContext().spanId); // via metadata, whichever transport delivered it
  });
});
