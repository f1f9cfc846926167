/**
 * OpenTelemetry set-up for a service process. Call `startTelemetry` first thing in `main.ts`,
 * before `@nestjs/*`, `pg` or `pino-http` are loaded, so that the instrumentations can patch
 * them. Configuration comes from the standard `OTEL_*` variables; see `telemetryConfigFromEnv`.
 *
 * The SDK packages are loaded only when telemetry is on: with no `OTEL_*` configuration this
 * costs a few environment reads and the (always-on, in-memory) Prometheus metrics.
 */
import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { initMetrics, shutdownMetrics } from './metrics';
import { telemetryConfigFromEnv, type Env, type TelemetryConfig } from './telemetry-config';

export type TelemetryOptions = {
  /** `service.name`, e.g. `leads` (`OTEL_SERVICE_NAME` overrides it). */
  serviceName: string;
  serviceVersion?: string;
  /**
   * Test hook: send spans to these processors instead of the `OTEL_*`-configured exporter.
   * Turns tracing on whatever the environment says (but not with `OTEL_SDK_DISABLED=true`).
   */
  spanProcessors?: SpanProcessor[];
  /** Test hook: like `spanProcessors`, with each span exported as it ends (SimpleSpanProcessor). */
  spanExporter?: SpanExporter;
  /** Load the http, pg, nestjs-core and pino instrumentations (default true). */
  instrumentations?: boolean;
  /** Defaults to `process.env`. */
  env?: Env;
};

export type Telemetry = {
  /** Whether the NodeSDK runs (tracing, W3C propagation, instrumentations). */
  readonly enabled: boolean;
  /** Flushes pending spans and metrics, then stops. Never rejects. */
  shutdown(): Promise<void>;
};

const RUNNING = Symbol.for('crm.observability.telemetry');
type GlobalWithTelemetry = typeof globalThis & { [RUNNING]?: Telemetry };
const registry = globalThis as GlobalWithTelemetry;

/*
 * Lazy `require`: the SDK (and its exporters) load only when telemetry is on, and
 * `@crm/observability` stays cheap to import before anything else in `main.ts`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loading, see above */
const load = {
  sdkNode: (): typeof import('@opentelemetry/sdk-node') => require('@opentelemetry/sdk-node'),
  traceBase: (): typeof import('@opentelemetry/sdk-trace-base') => require('@opentelemetry/sdk-trace-base'),
  resources: (): typeof import('@opentelemetry/resources') => require('@opentelemetry/resources'),
  semconv: (): typeof import('@opentelemetry/semantic-conventions') => require('@opentelemetry/semantic-conventions'),
  sdkMetrics: (): typeof import('@opentelemetry/sdk-metrics') => require('@opentelemetry/sdk-metrics'),
  otlpTraces: (): typeof import('@opentelemetry/exporter-trace-otlp-http') => require('@opentelemetry/exporter-trace-otlp-http'),
  otlpMetrics: (): typeof import('@opentelemetry/exporter-metrics-otlp-http') => require('@opentelemetry/exporter-metrics-otlp-http'),
  http: (): typeof import('@opentelemetry/instrumentation-http') => require('@opentelemetry/instrumentation-http'),
  pg: (): typeof import('@opentelemetry/instrumentation-pg') => require('@opentelemetry/instrumentation-pg'),
  nest: (): typeof import('@opentelemetry/instrumentation-nestjs-core') => require('@opentelemetry/instrumentation-nestjs-core'),
  pino: (): typeof import('@opentelemetry/instrumentation-pino') => require('@opentelemetry/instrumentation-pino'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Paths whose incoming requests make no spans: scrapes and probes would drown the traces. */
const UNTRACED_PATH = /^\/(metrics|health)(\/|\?|$)/;

const createInstrumentations = (config: TelemetryConfig): Instrumentation[] => [
  new (load.http().HttpInstrumentation)({
    ignoreIncomingRequestHook: (request) => UNTRACED_PATH.test(request.url ?? ''),
  }),
  // Only inside a traced operation: subscription polling would otherwise make a root span per query.
  new (load.pg().PgInstrumentation)({ requireParentSpan: true }),
  new (load.nest().NestInstrumentation)(),
  // Our logger's mixin stamps trace ids; the instrumentation only ships records when OTEL_LOGS_EXPORTER says so.
  new (load.pino().PinoInstrumentation)({ disableLogCorrelation: true, disableLogSending: !config.logsExport }),
];

const envNumber = (env: Env, name: string): number | undefined => {
  const n = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
};

const metricReaders = (config: TelemetryConfig, env: Env): IMetricReader[] => {
  const { PeriodicExportingMetricReader, ConsoleMetricExporter } = load.sdkMetrics();
  const interval = envNumber(env, 'OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000;
  const timeout = Math.min(envNumber(env, 'OTEL_METRIC_EXPORT_TIMEOUT') ?? 30_000, interval);
  return config.metricExporters.map(
    (kind) =>
      new PeriodicExportingMetricReader({
        exporter: kind === 'otlp' ? new (load.otlpMetrics().OTLPMetricExporter)() : new ConsoleMetricExporter(),
        exportIntervalMillis: interval,
        exportTimeoutMillis: timeout,
      }),
  );
};

const sdkConfiguration = (options: TelemetryOptions, config: TelemetryConfig, instrumentations: Instrumentation[]): Partial<NodeSDKConfiguration> => {
  const { resourceFromAttributes } = load.resources();
  const { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } = load.semconv();
  const testProcessors = [
    ...(options.spanProcessors ?? []),
    ...(options.spanExporter ? [new (load.traceBase().SimpleSpanProcessor)(options.spanExporter)] : []),
  ];
  return {
    // Detected attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host, process) are merged over these.
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
    instrumentations,
    // Metrics have one provider, owned by ./metrics; never let the SDK build a second from the env.
    metricReaders: [],
    // No log records leave the process unless OTEL_LOGS_EXPORTER names an exporter (stdout is the log pipe).
    ...(config.logsExport ? {} : { logRecordProcessors: [] }),
    ...(testProcessors.length > 0
      ? { spanProcessors: testProcessors }
      : config.traces === 'otlp-http'
        ? { traceExporter: new (load.otlpTraces().OTLPTraceExporter)() }
        : {}),
  };
};

/**
 * Starts OpenTelemetry for this process and returns its handle; a second call returns the
 * first handle and does nothing else. OFF (no SDK, no-op tracing and propagation) unless
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or a signal-specific endpoint) or `OTEL_TRACES_EXPORTER` /
 * `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` is set, or a test passes a span exporter;
 * never with `OTEL_SDK_DISABLED=true`. Prometheus metrics are on either way.
 */
export const startTelemetry = (options: TelemetryOptions): Telemetry => {
  const running = registry[RUNNING];
  if (running !== undefined) return running;

  const env = options.env ?? process.env;
  const config = telemetryConfigFromEnv(env);
  const testMode = options.spanExporter !== undefined || (options.spanProcessors?.length ?? 0) > 0;
  const sdkEnabled = config.sdkEnabled || (testMode && env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true');

  if (!sdkEnabled) {
    initMetrics({ serviceName: options.serviceName, serviceVersion: options.serviceVersion });
    registry[RUNNING] = {
      enabled: false,
      shutdown: async () => {
        if (registry[RUNNING] !== undefined) delete registry[RUNNING];
        await shutdownMetrics().catch(reportShutdownError);
      },
    };
    return registry[RUNNING];
  }

  // The MeterProvider first, so instrumentations created next pick it up as the global one.
  initMetrics({ serviceName: options.serviceName, serviceVersion: options.serviceVersion, readers: metricReaders(config, env) });
  const instrumentations = options.instrumentations === false ? [] : createInstrumentations(config);
  for (const instrumentation of instrumentations) instrumentation.setMeterProvider(metrics.getMeterProvider());

  const sdk = new (load.sdkNode().NodeSDK)(sdkConfiguration(options, config, instrumentations));
  sdk.start();

  let stopping: Promise<void> | undefined;
  const handle: Telemetry = {
    enabled: true,
    shutdown: () => {
      stopping ??= (async () => {
        await Promise.all([sdk.shutdown(), shutdownMetrics()]).catch(reportShutdownError);
        for (const instrumentation of instrumentations) instrumentation.disable();
        // Back to the API's no-op globals, so a later start (tests) registers afresh.
        trace.disable();
        propagation.disable();
        context.disable();
        if (registry[RUNNING] === handle) delete registry[RUNNING];
      })();
      return stopping;
    },
  };
  registry[RUNNING] = handle;
  return handle;
};

/**
 * Test variant: tracing on with spans sent to `spanExporter` as they end (use an
 * `InMemorySpanExporter`), W3C propagation and an AsyncLocalStorage context manager
 * registered, no instrumentations, whatever `OTEL_*` says. Shut it down in `afterAll`.
 */
export const startTestTelemetry = (options: { spanExporter: SpanExporter; serviceName?: string }): Telemetry =>
  startTelemetry({
    serviceName: options.serviceName ?? 'test',
    spanExporter: options.spanExporter,
    instrumentations: false,
    env: { OTEL_TRACES_EXPORTER: 'none' },
  });

const reportShutdownError = (error: unknown): void => {
  diag.error('telemetry shutdown failed', error);
  process.stderr.write(`telemetry shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
};
