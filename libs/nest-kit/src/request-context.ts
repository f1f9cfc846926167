import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { newId } from '@crm/contracts';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@crm/domain';

/** Who is asking, for which tenant, and under which retry/concurrency guarantees. */
export type RequestContext = {
  tenantId: string;
  actor: string;
  correlationId: string;
  /** `Idempotency-Key`: a retried request with the same key appends nothing new. */
  idempotencyKey?: string;
  /** From `If-Match`: the stream revision the caller last saw. */
  expectedRevision?: number;
  /**
   * The actor's roles (`x-actor-roles: sales_manager,sales_director`), e.g. for approval chains.
   * Like the tenant and actor, trusted from the gateway in front of the services.
   */
  roles: string[];
};

const TENANT = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const KEY = /^[\x21-\x7e]{1,255}$/;
const ROLE = /^[a-z][a-z0-9_]{0,49}$/;
const ETAG = /^(?:W\/)?"?(\d{1,15})"?$/;

export class RequestHeaderError extends DomainError<'invalid_header'> {
  constructor(header: string, message: string) {
    super('invalid_header', `${header}: ${message}`, 'invalid', { header });
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Parses `If-Match` (`"3"`, `W/"3"` or `3`) into a revision; `*` means no particular revision. */
export const parseIfMatch = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '*' || value.trim() === '') return undefined;
  const m = ETAG.exec(value.trim());
  if (!m) throw new RequestHeaderError('If-Match', 'expected an ETag such as "3" (the revision from a previous ETag)');
  return Number(m[1]);
};

/** Formats a stream revision as a strong ETag. */
export const etag = (revision: number): string => `"${revision}"`;

/**
 * Reads the request context from headers. Until the gateway exists the tenant comes from
 * `x-tenant-id` (the configured default tenant when absent) and the actor from `x-actor-id`.
 */
export const readRequestContext = (request: FastifyRequest, defaultTenant: string): RequestContext => {
  const tenantId = header(request, 'x-tenant-id') ?? defaultTenant;
  if (!TENANT.test(tenantId)) throw new RequestHeaderError('x-tenant-id', 'lower-case letters, digits, "-" and "_", at most 63 characters');
  const idempotencyKey = header(request, 'idempotency-key');
  if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
    throw new RequestHeaderError('Idempotency-Key', '1 to 255 visible ASCII characters');
  }
  const correlationId = header(request, 'x-correlation-id') ?? newId();
  if (!KEY.test(correlationId)) throw new RequestHeaderError('x-correlation-id', '1 to 255 visible ASCII characters');
  const actor = header(request, 'x-actor-id') ?? 'anonymous';
  if (!KEY.test(actor)) throw new RequestHeaderError('x-actor-id', '1 to 255 visible ASCII characters');
  const roles = (header(request, 'x-actor-roles') ?? '').split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  if (roles.some((r) => !ROLE.test(r))) throw new RequestHeaderError('x-actor-roles', 'comma-separated role names: lower-case letters, digits and "_"');
  return { tenantId, actor, correlationId, idempotencyKey, expectedRevision: parseIfMatch(header(request, 'if-match')), roles };
};

/** Each app's default tenant rides on its own requests (set by `configureServiceApp`). */
export const DEFAULT_TENANT_PROPERTY = 'crmDefaultTenant';

/** `@Ctx() ctx: RequestContext` in a controller method. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { [DEFAULT_TENANT_PROPERTY]?: string }>();
  return readRequestContext(request, request[DEFAULT_TENANT_PROPERTY] ?? 'default');
});
