/**
 * CRM metrics through the OpenTelemetry metrics API, served as Prometheus text by the
 * service itself (`metricsText()` behind a `GET /metrics` route) and, when telemetry is
 * configured, also pushed over OTLP.
 *
 * One MeterProvider per process, owned here (the NodeSDK gets no metric readers, so there is
 * never a second one). It is created by `startTelemetry` (with the service's resource and the
 * OTLP reader) or lazily on first use, and it is ON unless `METRICS_ENABLED=false`: the
 * Prometheus reader only aggregates in memory and serialises on scrape, so it is cheap.
 */
import { createNoopMeter, diag, metrics, type Attributes, type Counter, type Histogram, type Meter, type ObservableGauge, type ObservableResult } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { telemetryConfigFromEnv } from './telemetry-config';

/** The Prometheus text exposition format, for the `/metrics` response's `content-type`. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `ok` appended, `duplicate` an idempotent retry that appended nothing, `rejected` a domain
 * rule said no (422), `conflict` a revision mismatch (409), `invalid` bad input (400),
 * `error` anything unexpected.
 */
export type CommandOutcome = 'ok' | 'duplicate' | 'rejected' | 'conflict' | 'invalid' | 'error';

/** `applied` changed the read model, `skipped` was already applied (replay), `failed` threw. */
export type ProjectionOutcome = 'applied' | 'skipped' | 'failed';

/** Reads how far a consumer is behind its source (events not yet processed). May be async. */
export type LagReader = () => number | Promise<number>;

type Instruments = {
  commands: Counter;
  commandDuration: Histogram;
  eventsAppended: Counter;
  projectionEvents: Counter;
  consumerLag: ObservableGauge;
};

type MetricsState = {
  provider: MeterProvider | undefined;
  prometheus: PrometheusExporter | undefined;
  serializer: PrometheusSerializer;
  instruments: Instruments;
};

export type MetricsSetup = {
  serviceName?: string;
  serviceVersion?: string;
  /** More readers for the same provider, e.g. the OTLP periodic reader `startTelemetry` adds. */
  readers?: IMetricReader[];
};

const COMMAND_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const lagSources = new Map<string, { consumer: string; source: string; read: LagReader }>();
let current: MetricsState | undefined;

const observeLag = async (result: ObservableResult): Promise<void> => {
  await Promise.all(
    [...lagSources.values()].map(async ({ consumer, source, read }) => {
      try {
        const lag = await read();
        if (Number.isFinite(lag)) result.observe(Math.max(0, lag), { consumer, source });
      } catch (error) {
        diag.warn(`crm_consumer_lag: the reader for ${consumer}/${source} failed`, error);
      }
    }),
  );
};

const createInstruments = (meter: Meter): Instruments => {
  const consumerLag = meter.createObservableGauge('crm_consumer_lag', {
    description: 'Events recorded by the source that the consumer has not processed yet.',
  });
  consumerLag.addCallback(observeLag);
  return {
    commands: meter.createCounter('crm_commands_total', { description: 'Commands handled, by outcome.' }),
    commandDuration: meter.createHistogram('crm_command_duration_seconds', {
      description: 'Time to handle a command: read, decide, append (with retries).',
      unit: 's',
      advice: { explicitBucketBoundaries: COMMAND_BUCKETS_SECONDS },
    }),
    eventsAppended: meter.createCounter('crm_events_appended_total', { description: 'Events appended to the event store.' }),
    projectionEvents: meter.createCounter('crm_projection_events_total', { description: 'Events handled by projections, by outcome.' }),
    consumerLag,
  };
};

const resourceFor = (setup: MetricsSetup): Resource => {
  const own = resourceFromAttributes({
    ...(setup.serviceName === undefined ? {} : { [ATTR_SERVICE_NAME]: setup.serviceName }),
    ...(setup.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: setup.serviceVersion }),
  });
  // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES win over the code's defaults, as for traces.
  return defaultResource().merge(own).merge(detectResources({ detectors: [envDetector] }));
};

/**
 * Creates the process's MeterProvider. `startTelemetry` calls it; call it yourself only in a
 * process that records metrics without `startTelemetry`. A second call changes nothing.
 */
export const initMetrics = (setup: MetricsSetup = {}): void => {
  if (current !== undefined) {
    if (setup.readers?.length) diag.warn('initMetrics: metrics were already initialised; extra readers ignored');
    return;
  }
  const { prometheusEnabled } = telemetryConfigFromEnv();
  const prometheus = prometheusEnabled ? new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true }) : undefined;
  const readers: IMetricReader[] = [...(prometheus ? [prometheus] : []), ...(setup.readers ?? [])];
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  if (readers.length === 0) {
    current = { provider: undefined, prometheus: undefined, serializer, instruments: createInstruments(createNoopMeter()) };
    return;
  }
  const provider = new MeterProvider({ resource: resourceFor(setup), readers });
  // So that instrumentations (HTTP server duration, …) and other libraries report here too.
  metrics.setGlobalMeterProvider(provider);
  current = { provider, prometheus, serializer, instruments: createInstruments(provider.getMeter('@crm/observability')) };
};

/** Flushes and stops the MeterProvider; metrics start afresh (lazily) on next use. Lag sources stay registered. */
export const shutdownMetrics = async (): Promise<void> => {
  const state = current;
  current = undefined;
  if (state?.provider === undefined) return;
  metrics.disable();
  await state.provider.shutdown();
};

const instruments = (): Instruments => {
  if (current === undefined) initMetrics();
  return (current as MetricsState).instruments;
};

/** Counts one handled command and its duration. */
export const recordCommand = (record: { service: string; command: string; outcome: CommandOutcome; durationSeconds: number }): void => {
  const attributes: Attributes = { service: record.service, command: record.command, outcome: record.outcome };
  const { commands, commandDuration } = instruments();
  commands.add(1, attributes);
  commandDuration.record(record.durationSeconds, attributes);
};

/**
 * Runs `handle`, then records `crm_commands_total` and `crm_command_duration_seconds`.
 * `outcomeOf` classifies a thrown error (default `error`); `okOutcome` classifies the result
 * (default `ok`, e.g. return `duplicate` when an idempotent retry appended nothing).
 */
export const measureCommand = async <T>(
  service: string,
  command: string,
  handle: () => Promise<T>,
  classify: { outcomeOf?: (error: unknown) => CommandOutcome; okOutcome?: (result: T) => CommandOutcome } = {},
): Promise<T> => {
  const started = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await handle();
    recordCommand({ service, command, outcome: classify.okOutcome?.(result) ?? 'ok', durationSeconds: seconds() });
    return result;
  } catch (error) {
    recordCommand({ service, command, outcome: classify.outcomeOf?.(error) ?? 'error', durationSeconds: seconds() });
    throw error;
  }
};

/** Counts appended events; `streamCategory` is `lead` for `lead-0190…` (see `streamCategory` in contracts). */
export const recordEventsAppended = (record: { service: string; streamCategory: string; count?: number }): void => {
  const count = record.count ?? 1;
  if (count > 0) instruments().eventsAppended.add(count, { service: record.service, stream_category: record.streamCategory });
};

/** Counts one event handled by a projection. */
export const recordProjectionEvent = (record: { service: string; projection: string; outcome: ProjectionOutcome }): void => {
  instruments().projectionEvents.add(1, { service: record.service, projection: record.projection, outcome: record.outcome });
};

/**
 * Feeds `crm_consumer_lag{consumer,source}`: `read` is called on every scrape/export (keep it
 * cheap; it may be async, e.g. one query for the head position). A throwing or non-finite
 * reading is skipped. Registering the same consumer/source again replaces the reader.
 * Returns the function that unregisters it (call it when the consumer stops); the series then
 * keeps its last value until the process restarts (OTel's cumulative collection keeps every
 * attribute set it has seen).
 */
export const registerLagSource = (consumer: string, source: string, read: LagReader): (() => void) => {
  const key = `${consumer}\u0000${source}`;
  const entry = { consumer, source, read };
  lagSources.set(key, entry);
  instruments(); // make sure the gauge exists even if nothing else recorded yet
  return () => {
    if (lagSources.get(key) === entry) lagSources.delete(key);
  };
};

/**
 * The current metrics in the Prometheus text format, for a `GET /metrics` route:
 * `reply.header('content-type', PROMETHEUS_CONTENT_TYPE); return metricsText();`
 * With `METRICS_ENABLED=false` it returns a comment line only.
 */
export const metricsText = async (): Promise<string> => {
  instruments();
  const state = current as MetricsState;
  if (state.prometheus === undefined) return '# metrics disabled (METRICS_ENABLED=false)\n';
  const { resourceMetrics, errors } = await state.prometheus.collect();
  if (errors.length > 0) diag.warn('metricsText: collection errors', ...errors);
  return state.serializer.serialize(resourceMetrics);
};
