import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { startTelemetry } from './telemetry';
import { telemetryConfigFromEnv } from './telemetry-config';
import { contextFromMetadata, currentTraceMetadata, withSpan } from './trace-context';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('telemetry off', () => {
  // These tests are about the default level: the ambient LOG_LEVEL (jest sets it to silent) must not leak in.
  const ambientLevel = process.env.LOG_LEVEL;
  beforeEach(() => { delete process.env.LOG_LEVEL; });
  afterAll(() => { if (ambientLevel !== undefined) process.env.LOG_LEVEL = ambientLevel; });
  it('starts nothing without OTEL_* configuration, and shuts down quietly', async () => {
    const telemetry = startTelemetry({ serviceName: 'off', env: {} });
    expect(telemetry.enabled).toBe(false);
    expect(startTelemetry({ serviceName: 'off', env: {} })).toBe(telemetry);
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });

  it('OTEL_SDK_DISABLED=true wins, even over a test exporter', async () => {
    const telemetry = startTelemetry({
      serviceName: 'off',
      env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    });
    expect(telemetry.enabled).toBe(false);
    await telemetry.shutdown();
  });

  it('trace helpers are cheap no-ops: {} / ROOT_CONTEXT, and withSpan still runs the function', async () => {
    expect(currentTraceMetadata()).toEqual({});
    expect(contextFromMetadata({ traceparent: TRACEPARENT })).toBe(ROOT_CONTEXT);
    const inside = await withSpan('noop', SpanKind.INTERNAL, {}, () => currentTraceMetadata(), contextFromMetadata({ traceparent: TRACEPARENT }));
    expect(inside).toEqual({});
    await expect(withSpan('noop', SpanKind.INTERNAL, {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('log lines carry no trace fields', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger({ service: 'off', destination });

    await withSpan('noop', SpanKind.INTERNAL, {}, () => logger.info('hello'));

    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line.msg).toBe('hello');
    expect(line).not.toHaveProperty('trace_id');
  });
});

describe('telemetryConfigFromEnv', () => {
  it('is off by default and with OTEL_SDK_DISABLED=true', () => {
    expect(telemetryConfigFromEnv({}).sdkEnabled).toBe(false);
    expect(telemetryConfigFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).sdkEnabled).toBe(false);
    expect(telemetryConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).sdkEnabled).toBe(false);
  });

  it('an OTLP endpoint turns traces (OTLP/HTTP) and OTLP metrics on', () => {
    expect(telemetryConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      sdkEnabled: true,
      traces: 'otlp-http',
      metricExporters: ['otlp'],
      logsExport: false,
      prometheusEnabled: true,
    });
  });

  it('defers other trace exporters and protocols to the NodeSDK', () => {
    expect(telemetryConfigFromEnv({ OTEL_TRACES_EXPORTER: 'console' }).traces).toBe('env');
    expect(telemetryConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).traces).toBe('env');
    expect(telemetryConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }).metricExporters).toEqual([]);
  });

  it('reads metric and log exporters, and METRICS_ENABLED', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'otlp', METRICS_ENABLED: 'false' };
    expect(telemetryConfigFromEnv(env)).toMatchObject({ metricExporters: [], logsExport: true, prometheusEnabled: false });
    expect(telemetryConfigFromEnv({ OTEL_METRICS_EXPORTER: 'prometheus,console' }).metricExporters).toEqual(['console']);
  });
});
