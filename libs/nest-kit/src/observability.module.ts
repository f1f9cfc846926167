import { streamCategory, type NewEvent } from '@crm/contracts';
import type { AppendOptions, EventStore } from '@crm/eventstore';
import {
  metricsText, pinoHttpOptions, PROMETHEUS_CONTENT_TYPE, recordCommand, recordEventsAppended, SpanKind, withSpan, type CommandOutcome,
} from '@crm/observability';
import {
  type CallHandler, Controller, type DynamicModule, type ExecutionContext, Get, Header, Injectable, Module, type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { LoggerModule } from 'nestjs-pino';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { toProblem } from './problem-details';
import { RequestSpanInterceptor } from './tracing';

@ApiExcludeController()
@Controller()
class MetricsController {
  /** Prometheus text exposition of the service's metrics. */
  @Get('metrics')
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return metricsText();
  }
}

const outcomeOf = (status: number): CommandOutcome =>
  status === 409 ? 'conflict' : status === 400 ? 'invalid' : status >= 500 ? 'error' : status >= 400 ? 'rejected' : 'ok';

/** Counts every command (a non-GET request) by handler name and outcome, with its duration. */
@Injectable()
class CommandMetricsInterceptor implements NestInterceptor {
  constructor(private readonly service: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ method: string }>();
    if (request.method === 'GET' || request.method === 'HEAD') return next.handle();
    const command = `${context.getClass().name.replace(/Controller$/, '')}.${context.getHandler().name}`;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    return next.handle().pipe(
      tap(() => recordCommand({ service: this.service, command, outcome: 'ok', durationSeconds: seconds() })),
      catchError((error: unknown) => {
        recordCommand({ service: this.service, command, outcome: outcomeOf(toProblem(error).status), durationSeconds: seconds() });
        return throwError(() => error);
      }),
    );
  }
}

/** pino request logs with trace ids, `/metrics`, and command metrics, for one service. */
@Module({})
export class ObservabilityModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: pinoHttpOptions({ service }) })],
      controllers: [MetricsController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: RequestSpanInterceptor },
        { provide: APP_INTERCEPTOR, useFactory: () => new CommandMetricsInterceptor(service) },
      ],
    };
  }
}

/** The event store with a span around each append and the appended-events counter. */
export const instrumentEventStore = (store: EventStore, service: string): EventStore => ({
  appendToStream: (streamName: string, events: readonly NewEvent[], options?: AppendOptions) =>
    withSpan('eventstore.append', SpanKind.INTERNAL, { 'crm.stream': streamName, 'crm.events': events.length }, async () => {
      const result = await store.appendToStream(streamName, events, options);
      recordEventsAppended({ service, streamCategory: streamCategory(streamName), count: events.length });
      return result;
    }),
  appendToStreams: (appends) =>
    withSpan('eventstore.append', SpanKind.INTERNAL, { 'crm.stream': appends.map((a) => a.streamName).join(' '), 'crm.events': appends.reduce((n, a) => n + a.events.length, 0) }, async () => {
      const results = await store.appendToStreams(appends);
      for (const a of appends) recordEventsAppended({ service, streamCategory: streamCategory(a.streamName), count: a.events.length });
      return results;
    }),
  readStream: (streamName, options) => store.readStream(streamName, options),
  readStreams: (streamNames) => store.readStreams(streamNames),
  readAll: (options) => store.readAll(options),
  subscribeToAll: (options) => store.subscribeToAll(options),
  close: () => store.close(),
});
