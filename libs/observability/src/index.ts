/**
 * `@crm/observability`: OpenTelemetry set-up, trace propagation through events, a pino
 * logger that stamps trace ids, and the CRM metrics (Prometheus text at `/metrics`).
 *
 * ## In a service: observability first
 * ```ts
 * // apps/leads/src/instrumentation.ts: loads no Nest, pg or pino
 * import { startTelemetry } from '@crm/observability';
 * export const telemetry = startTelemetry({ serviceName: 'leads', serviceVersion: process.env.APP_VERSION });
 *
 * // apps/leads/src/main.ts
 * import { telemetry } from './instrumentation'; // FIRST import: the SDK patches http/pg/nestjs-core/pino
 * import { NestFactory } from '@nestjs/core';      // before these modules are loaded
 * ...
 * app.enableShutdownHooks(); await app.listen(port, '0.0.0.0');
 * process.once('SIGTERM', () => void app.close().then(() => telemetry.shutdown()));
 * ```
 * The all-in-one launcher calls it once (`serviceName: 'crm'`); later calls return the same handle.
 *
 * ## Switches (standard `OTEL_*` variables; see `telemetryConfigFromEnv`)
 * - OFF by default: no SDK is loaded; tracing and propagation are the API's no-ops.
 * - ON when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` /
 *   `_METRICS_ENDPOINT`), `OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER` or `OTEL_LOGS_EXPORTER`
 *   is set; never with `OTEL_SDK_DISABLED=true`. Traces: OTLP/HTTP (JSON) to the endpoint,
 *   unless `OTEL_TRACES_EXPORTER` / `OTEL_EXPORTER_OTLP_PROTOCOL` ask for something else (then
 *   the NodeSDK's own env handling). Metrics: OTLP/HTTP push when `OTEL_METRICS_EXPORTER`
 *   includes `otlp`, or is unset and an OTLP endpoint is set. Logs: OTel log records only when
 *   `OTEL_LOGS_EXPORTER` is set (stdout JSON is the log pipe). Instrumentations: http (not for
 *   `/metrics`, `/health/*`), pg (only under a parent span), nestjs-core, pino.
 * - Prometheus metrics are ON regardless (in-memory, read on scrape) unless `METRICS_ENABLED=false`.
 * - `LOG_LEVEL` (default `info`).
 *
 * ## Events carry the trace (HTTP → command → append → publish → projection)
 * - Appending: `metadata: { tenantId, correlationId, ...currentTraceMetadata() }`.
 * - Handling: `withSpan('insights.project LeadCaptured', SpanKind.CONSUMER, { 'crm.event.type': e.type },
 *   () => apply(e), contextFromMetadata(e.metadata))`.
 * - NATS headers: `libs/messaging` (`trace-headers.ts`) uses the same global W3C propagator.
 *
 * ## Logs
 * - `createLogger({ service: 'relay' })` for code outside Nest; every line has `trace_id`/`span_id`.
 * - `LoggerModule.forRoot({ pinoHttp: pinoHttpOptions({ service: 'leads' }) })` (nestjs-pino).
 *
 * ## Metrics
 * - `measureCommand(service, command, () => handleCommand(...), { outcomeOf })` or `recordCommand(...)`,
 *   `recordEventsAppended(...)`, `recordProjectionEvent(...)`, `registerLagSource(consumer, source, read)`.
 * - `GET /metrics`: `reply.header('content-type', PROMETHEUS_CONTENT_TYPE); return metricsText();`
 *
 * ## Tests
 * `startTestTelemetry({ spanExporter: new InMemorySpanExporter() })` (from `@opentelemetry/sdk-trace-base`)
 * registers the W3C propagator and an AsyncLocalStorage context manager; `await telemetry.shutdown()`
 * in `afterAll` restores the no-op globals.
 */
export { startTelemetry, startTestTelemetry, type Telemetry, type TelemetryOptions } from './telemetry';
export { telemetryConfigFromEnv, type Env, type TelemetryConfig } from './telemetry-config';
export { activeTraceIds, contextFromMetadata, currentTraceMetadata, withSpan, type TraceMetadata } from './trace-context';
export {
  createLogger,
  loggerOptions,
  pinoHttpOptions,
  REDACTED_PATHS,
  traceLogFields,
  type CreateLoggerOptions,
  type TraceLogFields,
} from './logger';
export {
  initMetrics,
  measureCommand,
  metricsText,
  PROMETHEUS_CONTENT_TYPE,
  recordCommand,
  recordEventsAppended,
  recordProjectionEvent,
  registerLagSource,
  shutdownMetrics,
  type CommandOutcome,
  type LagReader,
  type MetricsSetup,
  type ProjectionOutcome,
} from './metrics';
export { SpanKind } from '@opentelemetry/api';
