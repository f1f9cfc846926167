/**
 * Structured JSON logs on stdout (pino), one object per line, each stamped with the active
 * span's `trace_id` / `span_id` / `trace_flags` by a pino `mixin` (so it works whether or not
 * the pino instrumentation patched this pino instance), personal fields redacted.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { activeTraceIds } from './trace-context';

/*
 * Lazy `require`: loaded on the first createLogger call, i.e. after `startTelemetry` ran in
 * main.ts, so the pino instrumentation can ship records when OTEL_LOGS_EXPORTER asks for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loading, see above */
const loadPino = (): typeof import('pino') => require('pino');
/* eslint-enable @typescript-eslint/no-require-imports */

export type CreateLoggerOptions = {
  /** Stamped on every line as `service`. */
  service: string;
  /** pino level; defaults to `LOG_LEVEL`, then `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream they read. */
  destination?: DestinationStream;
  /** More paths to redact, in pino's `redact` syntax (e.g. `data.iban`). */
  redact?: readonly string[];
};

export type TraceLogFields = { trace_id?: string; span_id?: string; trace_flags?: string };

/**
 * Personal and secret fields never written to logs: at the top, one and two levels down
 * (`{ lead: { email } }`, `{ event: { data: { email } } }` is `*.*.email`), and request headers.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...['email', 'phone', 'password', 'token', 'secret'].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** The active span's ids as log fields (`{}` when no valid span is active). */
export const traceLogFields = (): TraceLogFields => {
  const ids = activeTraceIds();
  if (ids === undefined) return {};
  return { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: `0${ids.traceFlags.toString(16)}`.slice(-2) };
};

/** The pino options behind `createLogger`, for callers that build pino themselves. */
export const loggerOptions = (options: CreateLoggerOptions): LoggerOptions => {
  const pino = loadPino();
  return {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: options.service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceLogFields,
    redact: { paths: [...REDACTED_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
  };
};

/** A JSON logger for `service`; every line carries trace ids when a span is active. */
export const createLogger = (options: CreateLoggerOptions): Logger => {
  const pino = loadPino();
  return options.destination === undefined ? pino(loggerOptions(options)) : pino(loggerOptions(options), options.destination);
};

/** Paths not worth a log line per request (scrapes and probes). */
const QUIET_PATH = /^\/(metrics|health)(\/|\?|$)/;

const header = (request: IncomingMessage, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Trace ids seen when each request started (inside the HTTP server span), for its completion line. */
const requestTraces = new WeakMap<IncomingMessage, TraceLogFields>();

/**
 * Options for nestjs-pino: `LoggerModule.forRoot({ pinoHttp: pinoHttpOptions({ service: 'leads' }) })`.
 * Request logs carry `trace_id`/`span_id` (the HTTP server span), `tenant_id` (`x-tenant-id`)
 * and `correlation_id` (`x-correlation-id`); `/metrics` and `/health/*` are not logged;
 * 4xx log at warn, 5xx at error. Pass `logger` to share one pino instance with the app.
 */
export const pinoHttpOptions = (options: CreateLoggerOptions & { logger?: Logger }): PinoHttpOptions<IncomingMessage, ServerResponse> => ({
  logger: options.logger ?? createLogger(options),
  genReqId: (request) => header(request, 'x-request-id') ?? randomUUID(),
  autoLogging: { ignore: (request) => QUIET_PATH.test(request.url ?? '') },
  customLogLevel: (_request, response, error) =>
    error !== undefined || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
  // Called when the request starts and again when it completes: the result must be stable.
  customProps: (request) => {
    if (!requestTraces.has(request)) requestTraces.set(request, traceLogFields());
    const tenant = header(request, 'x-tenant-id');
    const correlation = header(request, 'x-correlation-id');
    return { ...(tenant === undefined ? {} : { tenant_id: tenant }), ...(correlation === undefined ? {} : { correlation_id: correlation }) };
  },
  // The completion line is written from a 'finish' listener: pin it to the request's span.
  customSuccessObject: (request, _response, value: object) => ({ ...requestTraces.get(request), ...value }),
  customErrorObject: (request, _response, _error, value: object) => ({ ...requestTraces.get(request), ...value }),
  serializers: {
    req: (request: { id?: unknown; method?: string; url?: string; remoteAddress?: string; headers?: Record<string, unknown> }) => ({
      id: request.id,
      method: request.method,
      url: request.url,
      remoteAddress: request.remoteAddress,
      userAgent: request.headers?.['user-agent'],
    }),
    res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
  },
});
