import { InMemoryEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig, SCHEDULER, type TimersModuleOptions } from '@crm/nest-kit';
import { InMemoryTimerStore, ManualClock } from '@crm/scheduler';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Scheduler } from '@crm/scheduler';
import { injector, type RequestHeaders } from '@crm/testing';
import { AppModule } from '../src/app.module';
import type { SalesOptions } from '../src/sales.options';

/**
 * The sales service on an in-memory event store for one spec file (registered as
 * beforeAll/afterAll): requests go through `app().inject`, appended events are read from
 * `store()`. Commands and timers share `clock` (a `ManualClock`); timers run on an in-memory store
 * and fire when a spec calls `scheduler().runOnce()` (the runner is not started); background consumers are off unless `sales: { background: true }`.
 * `send`/`get`/`post`/`put`/`patch` inject requests carrying `headers` (read per request when a function).
 */
export const useSalesApp = (
  options: { sales?: SalesOptions; timers?: Omit<TimersModuleOptions, 'schema'>; start?: Date; headers?: RequestHeaders | (() => RequestHeaders) } = {},
) => {
  let app: NestFastifyApplication | undefined;
  let store: InMemoryEventStore | undefined;
  const clock = new ManualClock(options.start ?? new Date('2026-11-02T09:00:00.000Z'));
  const timerStore = new InMemoryTimerStore();
  beforeAll(async () => {
    store = new InMemoryEventStore();
    const config = loadBaseConfig('sales', 3102, { EVENT_STORE: 'memory' });
    const module = AppModule.forRoot(config, {
      eventStore: store,
      clock,
      timers: { timerStore, clock, start: false, ...options.timers },
      sales: { background: false, ...options.sales },
    });
    app = await createServiceApp(module, { name: 'sales', description: 'test' }, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app?.close());
  return {
    app: (): NestFastifyApplication => app!,
    store: (): InMemoryEventStore => store!,
    scheduler: (): Scheduler => app!.get<Scheduler>(SCHEDULER),
    clock,
    timerStore,
    ...injector(() => app!, options.headers),
  };
};
