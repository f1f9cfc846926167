import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import { DuplicateEventIdError, WrongExpectedVersionError } from '@crm/eventstore';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

/** An RFC 9457 problem document. `code` is our stable machine-readable error code. */
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const STATUS_BY_KIND = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, rule_violation: 422 } as const;

// Extension members come first: a detail named `status`, `type`, `title`, `detail` or `code` must
// never override the standard members (a `status: 'cancelled'` detail once became a 500).
export const problem = (status: number, code: string, detail?: string, extra: Record<string, unknown> = {}): ProblemDetails => ({
  ...extra,
  type: `urn:crm:problem:${code}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  code,
});

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^a-zA-Z0-9]+/g, '_').toLowerCase();

/** Turns anything thrown while serving a request into a problem document. Never leaks internals on 500. */
export const toProblem = (error: unknown): ProblemDetails => {
  if (error instanceof DomainError) {
    return problem(STATUS_BY_KIND[error.kind], error.code, error.message, error.details ?? {});
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, 'concurrency_conflict', error.message, { actualRevision: error.actual });
  }
  if (error instanceof DuplicateEventIdError) {
    return problem(409, 'duplicate_event_id', error.message);
  }
  if (error instanceof ZodError) {
    return problem(400, 'validation_failed', 'The request is not valid.', {
      errors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    const extra = typeof response === 'object' && response && 'errors' in response ? { errors: (response as { errors: unknown }).errors } : {};
    return problem(status, status === 404 ? 'not_found' : snake(TITLES[status] ?? 'http_error'), Array.isArray(detail) ? detail.join('; ') : String(detail), extra);
  }
  // Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode.
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return problem(fastifyError.statusCode, snake(fastifyError.code ?? 'bad_request').replace(/^fst_err_/, ''), fastifyError.message);
  }
  return problem(500, 'internal_error', 'An unexpected error occurred; it has been logged.');
};

export const sendProblem = (reply: FastifyReply, request: FastifyRequest, error: unknown, logger: Pick<Logger, 'error'>): void => {
  const body = toProblem(error);
  body.instance = request.url;
  if (body.status >= 500) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
};

/** The one exception filter every app installs: everything becomes problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), error, this.logger);
  }
}
