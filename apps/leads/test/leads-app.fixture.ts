import { InMemoryEventStore } from '@crm/eventstore';
import type { EventConsumer } from '@crm/messaging';
import { createServiceApp, loadBaseConfig, SCHEDULER } from '@crm/nest-kit';
import { InMemoryTimerStore, ManualClock, type Scheduler } from '@crm/scheduler';
import { injector, type RequestHeaders } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AssignmentOptions } from '../src/assignment/application/assignment.tokens';
import { AppModule } from '../src/app.module';
import type { ScoringOptions } from '../src/scoring/application/lead-scoring.consumer';

export type LeadsAppOptions = {
  scoring?: ScoringOptions;
  /** Hot-lead routing (`assignment.background`); off by default like scoring. */
  assignment?: AssignmentOptions;
  /** A consumer for other contexts' events (sales); without one the conversion confirmation does not start. */
  consumer?: EventConsumer;
  /** A `ManualClock` shared by commands and timers; the scheduler is then driven with `scheduler().runOnce()`. */
  clock?: ManualClock;
  /** Sent with every request of `send`/`get`/`post`/`put`/`patch` (read per request when a function). */
  headers?: RequestHeaders | (() => RequestHeaders);
};

/**
 * The leads service on an in-memory event store for one spec file (registered as
 * beforeAll/afterAll): requests go through `app().inject`, appended events are read from `store()`.
 * Background consumers (scoring, hot-lead routing) are off unless a spec turns them on, so other
 * features' specs see only their own events. Timers live in `timers()`; with a `clock` the
 * scheduler does not run by itself. `send`/`get`/`post`/`put`/`patch` inject requests with `headers`.
 */
export const useLeadsApp = (options: LeadsAppOptions = {}) => {
  let app: NestFastifyApplication | undefined;
  let store: InMemoryEventStore | undefined;
  let timers: InMemoryTimerStore | undefined;
  beforeAll(async () => {
    store = new InMemoryEventStore();
    timers = new InMemoryTimerStore();
    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'memory' });
    const module = AppModule.forRoot(config, {
      eventStore: store,
      ...(options.clock && { clock: options.clock }),
      timers: { timerStore: timers, ...(options.clock && { start: false }) },
      scoring: options.scoring ?? { background: false },
      assignment: options.assignment ?? { background: false },
      ...(options.consumer && { consumer: options.consumer }),
    });
    app = await createServiceApp(module, { name: 'leads', description: 'test' }, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app?.close());
  return {
    app: (): NestFastifyApplication => app!,
    store: (): InMemoryEventStore => store!,
    timers: (): InMemoryTimerStore => timers!,
    scheduler: (): Scheduler => app!.get<Scheduler>(SCHEDULER),
    ...injector(() => app!, options.headers),
  };
};
