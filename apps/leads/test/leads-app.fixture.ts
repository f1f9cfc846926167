import { InMemoryEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';

/**
 * The leads service on an in-memory event store for one spec file (registered as
 * beforeAll/afterAll): requests go through `app().inject`, appended events are read from `store()`.
 */
export const useLeadsApp = () => {
  let app: NestFastifyApplication | undefined;
  let store: InMemoryEventStore | undefined;
  beforeAll(async () => {
    store = new InMemoryEventStore();
    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'memory' });
    app = await createServiceApp(AppModule.forRoot(config, { eventStore: store }), { name: 'leads', description: 'test' }, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app?.close());
  return { app: (): NestFastifyApplication => app!, store: (): InMemoryEventStore => store! };
};
