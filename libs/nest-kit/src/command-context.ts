import type { EventMetadata } from '@crm/contracts';
import type { Clock, CommandOptions } from '@crm/domain';
import { systemClock } from '@crm/domain';
import { currentTraceMetadata } from '@crm/observability';
import type { RequestContext } from './request-context';

/** Injection tokens shared by every service's composition root. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const clockProvider = { provide: CLOCK, useValue: systemClock satisfies Clock };

/** Event metadata for a command issued by an HTTP request, with the active trace context. */
export const commandMetadata = (ctx: RequestContext): EventMetadata => ({
  tenantId: ctx.tenantId,
  actor: ctx.actor,
  correlationId: ctx.correlationId,
  causationId: ctx.correlationId,
  ...currentTraceMetadata(),
});

/** `handleCommand` options from the request: metadata, `If-Match` revision, `Idempotency-Key`. */
export const commandOptions = (ctx: RequestContext): CommandOptions => ({
  metadata: commandMetadata(ctx),
  ...(ctx.expectedRevision !== undefined && { expectedRevision: ctx.expectedRevision }),
  ...(ctx.idempotencyKey !== undefined && { idempotencyKey: ctx.idempotencyKey }),
});
