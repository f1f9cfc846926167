/**
 * Reads the standard `OTEL_*` variables (plus our `METRICS_ENABLED`) into a plain decision
 * record. Pure and cheap: no OpenTelemetry SDK code is loaded to make these decisions.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export type TelemetryConfig = {
  /** Start the NodeSDK (tracing, context propagation, instrumentations). */
  sdkEnabled: boolean;
  /**
   * How traces leave the process: `otlp-http` → our OTLP/HTTP (JSON) exporter; `env` → the
   * NodeSDK's own `OTEL_TRACES_EXPORTER` handling (console, zipkin, none, or otlp with an
   * explicit `OTEL_EXPORTER_OTLP_*PROTOCOL`).
   */
  traces: 'otlp-http' | 'env';
  /** Periodic metric exporters besides the always-on Prometheus reader. */
  metricExporters: readonly ('otlp' | 'console')[];
  /** `OTEL_LOGS_EXPORTER` names a log exporter: ship pino lines as OTel log records too. */
  logsExport: boolean;
  /** The in-process Prometheus reader behind `metricsText()` (off only with `METRICS_ENABLED=false`). */
  prometheusEnabled: boolean;
};

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

const list = (env: Env, name: string): string[] | undefined =>
  value(env, name)
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');

const isTrue = (v: string | undefined): boolean => v?.toLowerCase() === 'true';
const isFalse = (v: string | undefined): boolean => v?.toLowerCase() === 'false' || v === '0';

/** Telemetry is OFF unless an exporter or an OTLP endpoint is configured, and never with `OTEL_SDK_DISABLED=true`. */
export const telemetryConfigFromEnv = (env: Env = process.env): TelemetryConfig => {
  const disabled = isTrue(value(env, 'OTEL_SDK_DISABLED'));
  const configured = [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_TRACES_EXPORTER',
    'OTEL_METRICS_EXPORTER',
    'OTEL_LOGS_EXPORTER',
  ].some((name) => value(env, name) !== undefined);
  const sdkEnabled = !disabled && configured;

  const tracesExporters = list(env, 'OTEL_TRACES_EXPORTER') ?? ['otlp'];
  const protocol = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const plainOtlp = tracesExporters.length === 1 && tracesExporters[0] === 'otlp';
  const traces = plainOtlp && (protocol === undefined || protocol === 'http/json') ? 'otlp-http' : 'env';

  const metricsExporters = list(env, 'OTEL_METRICS_EXPORTER');
  const metricExporters: ('otlp' | 'console')[] = [];
  if (sdkEnabled && !metricsExporters?.includes('none')) {
    if (metricsExporters === undefined) {
      // Unset: push OTLP metrics only when an endpoint says where (the Prometheus text is always served).
      if (value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? value(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT')) metricExporters.push('otlp');
    } else {
      if (metricsExporters.includes('otlp')) metricExporters.push('otlp');
      if (metricsExporters.includes('console')) metricExporters.push('console');
      // `prometheus` needs nothing: `/metrics` on the service's own port is always there.
    }
  }

  const logs = list(env, 'OTEL_LOGS_EXPORTER');
  const logsExport = sdkEnabled && logs !== undefined && !logs.includes('none');

  return { sdkEnabled, traces, metricExporters, logsExport, prometheusEnabled: !isFalse(value(env, 'METRICS_ENABLED')) };
};
