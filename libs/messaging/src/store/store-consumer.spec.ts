import type { NewEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { consumerContract } from '../consumer.contract';
import type { SourceContext } from '../consumer.port';
import type { CheckpointStore } from '../checkpoint-store.port';
import type { DeadLetterStore } from '../dead-letter-store.port';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import { InMemoryDeadLetterStore } from './in-memory-dead-letter-store';
import { migrateMessaging } from './messaging-schema';
import { PostgresCheckpointStore } from './postgres-checkpoint-store';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store';
import { StoreEventConsumer } from './store-consumer';

const storeWorld = (state: () => { checkpoints: CheckpointStore; deadLetters: DeadLetterStore }) => async () => {
  const stores = new Map<SourceContext, InMemoryEventStore>();
  const storeFor = (source: SourceContext) => {
    let s = stores.get(source);
    if (!s) stores.set(source, (s = new InMemoryEventStore()));
    return s;
  };
  const { checkpoints, deadLetters } = state();
  const consumers: StoreEventConsumer[] = [];
  return {
    append: async (source: SourceContext, streamName: string, events: readonly NewEvent[]) => {
      await storeFor(source).appendToStream(streamName, events);
    },
    newConsumer: () => {
      const c = new StoreEventConsumer(storeFor, checkpoints, deadLetters, { retry: { initialBackoffMs: 5, maxBackoffMs: 20 }, checkpointIntervalMs: 20 });
      consumers.push(c);
      return c;
    },
    deadLetters: (consumer: string) => deadLetters.list(consumer),
    dispose: async () => {
      await Promise.all(consumers.map((c) => c.close()));
      await Promise.all([...stores.values()].map((s) => s.close()));
    },
  };
};

consumerContract(
  'event-store subscriptions, in-memory checkpoints',
  storeWorld(() => ({ checkpoints: new InMemoryCheckpointStore(), deadLetters: new InMemoryDeadLetterStore() })),
);

describe('on PostgreSQL checkpoint and dead-letter stores', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('messaging');
    pool = new Pool({ connectionString: db.url, max: 4 });
    await migrateMessaging(pool, 'insights');
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  consumerContract(
    'event-store subscriptions, PostgreSQL checkpoints',
    storeWorld(() => ({ checkpoints: new PostgresCheckpointStore(pool, 'insights'), deadLetters: new PostgresDeadLetterStore(pool, 'insights') })),
  );
});
