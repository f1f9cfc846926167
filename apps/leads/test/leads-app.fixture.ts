import { InMemoryEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import type { ScoringOptions } from '../src/scoring/application/lead-scoring.consumer';

/**
 * The leads service on an in-memory event store for one spec file (registered as
 * beforeAll/afterAll): requests go through `app().inject`, appended events are read from `store()`.
 * Background scoring (score events appended to lead streams as they change) is off unless
 * `scoring: { background: true }` is passed, so other features' specs see only their own events.
 */
export const useLeadsApp = (options: { scoring?: ScoringOptions } = {}) => {
  let app: NestFastifyApplication | undefined;
  let store: InMemoryEventStore | undefined;
  beforeAll(async () => {
    store = new InMemoryEventStore();
    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'memory' });
    app = await createServiceApp(AppModule.forRoot(config, { eventStore: store, scoring: options.scoring ?? { background: false } }), { name: 'leads', description: 'test' }, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app?.close());
  return { app: (): NestFastifyApplication => app!, store: (): InMemoryEventStore => store! };
};
