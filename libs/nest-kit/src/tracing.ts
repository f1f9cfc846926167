import type { RecordedEvent } from '@crm/contracts';
import { extractTraceContext, injectTraceHeaders, type EventConsumer, type EventPublisher } from '@crm/messaging';
import { contextFromMetadata, SpanKind, withSpan } from '@crm/observability';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { context as otelContext, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { Observable } from 'rxjs';

/**
 * One trace per operation, across processes: HTTP request → append → publish → consume.
 * The http instrumentation makes the request span when telemetry runs with instrumentations;
 * where it does not (tests, or instrumentations off) this interceptor makes it, continuing an
 * incoming `traceparent`, so that the command's events still carry the request's trace.
 */
@Injectable()
export class RequestSpanInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (trace.getActiveSpan()) return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string; url: string; headers: Record<string, unknown>; routeOptions?: { url?: string } }>();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions?.url ?? request.url.split('?')[0];
    return new Observable((subscriber) => {
      void withSpan(`${request.method} ${route}`, SpanKind.SERVER, { 'http.request.method': request.method, 'http.route': route }, () =>
        new Promise<void>((resolve, reject) => {
          next.handle().subscribe({
            next: (v) => subscriber.next(v),
            error: (e: unknown) => { subscriber.error(e); reject(e instanceof Error ? e : new Error(String(e))); },
            complete: () => { subscriber.complete(); resolve(); },
          });
        }), parent).catch(() => undefined);
    });
  }
}

/** A JetStream publisher whose every publish is a PRODUCER span in the event's trace. */
export const tracedPublisher = (publisher: EventPublisher): EventPublisher => ({
  publish: (subject, payload, options) =>
    withSpan(`publish ${subject}`, SpanKind.PRODUCER, { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': options.msgID }, () => {
      injectTraceHeaders(options.headers, otelContext.active());
      return publisher.publish(subject, payload, options);
    }, extractTraceContext(options.headers)),
});

/** A consumer whose handler runs in a CONSUMER span, a child of the trace that wrote the event. */
export const tracedConsumer = (consumer: EventConsumer): EventConsumer => ({
  start: (options, handler) =>
    consumer.start(options, (event: RecordedEvent, delivery) =>
      withSpan(`consume ${event.type}`, SpanKind.CONSUMER, {
        'messaging.consumer.group.name': options.name,
        'messaging.message.id': event.id,
        'crm.source': delivery.source,
        'crm.attempt': delivery.attempt,
      }, () => handler(event, delivery), contextFromMetadata(event.metadata))),
  close: () => consumer.close(),
});
