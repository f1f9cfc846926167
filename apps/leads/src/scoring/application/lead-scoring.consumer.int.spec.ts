import { leadStream, LeadScoringEventType } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';
import { createServiceApp, EVENT_STORE, loadBaseConfig } from '@crm/nest-kit';
import { createTestDatabase, eventually, type TestDatabase } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { AppModule } from '../../app.module';
import { SCORING_CONSUMER } from './lead-scoring.consumer';

/** The scoring consumer on real PostgreSQL: score events on the lead stream, its checkpoint in `leads.consumer_checkpoints`, restart-safe. */
describe('lead scoring consumer on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('leads_scoring');
  });
  afterAll(() => db?.drop());

  const start = async (): Promise<NestFastifyApplication> => {
    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'postgres', DATABASE_URL: db.url });
    const app = await createServiceApp(AppModule.forRoot(config), { name: 'leads', description: 'test' }, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  };
  const checkpoint = async (): Promise<bigint | undefined> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ position: string }>('SELECT position::text AS position FROM leads.consumer_checkpoints WHERE consumer = $1', [SCORING_CONSUMER]);
      return rows.length === 0 ? undefined : BigInt(rows[0].position);
    } finally {
      await client.end();
    }
  };

  it('scores a captured lead, saves its checkpoint, and appends nothing more after a restart', async () => {
    let app = await start();
    let leadId: string;
    let scored: number;
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        headers: { 'x-tenant-id': 'pg-scoring' },
        payload: { name: 'Han Meimei', company: 'Acme', email: 'han@example.cn', phone: '138 0013 8000' },
      });
      expect(res.statusCode).toBe(201);
      leadId = res.json<{ id: string }>().id;
      const store = app.get<EventStore>(EVENT_STORE);
      const events = await eventually(async () => {
        const stream = await store.readStream(leadStream(leadId));
        return stream.some((e) => e.type === LeadScoringEventType.LeadScoreChanged) ? stream : undefined;
      });
      expect(events.map((e) => e.type)).toEqual(['leads.LeadCaptured', 'leads.LeadScoreChanged']);
      expect(events[1].data).toMatchObject({ score: 10, ruleSetVersion: 1 });
      scored = events.length;
      const captured = events[0].position;
      await eventually(async () => ((await checkpoint()) ?? -1n) >= captured || undefined);
    } finally {
      await app.close();
    }

    app = await start();
    try {
      // A restart resumes after the checkpoint; a later capture proves the consumer is running again.
      const other = await app.inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': 'pg-scoring' }, payload: { name: 'Li Lei', company: 'Acme', email: 'li@example.cn', phone: '138 0013 8001' } });
      const otherId = other.json<{ id: string }>().id;
      const store = app.get<EventStore>(EVENT_STORE);
      await eventually(async () => ((await store.readStream(leadStream(otherId))).length >= 2) || undefined);
      expect(await store.readStream(leadStream(leadId))).toHaveLength(scored);
    } finally {
      await app.close();
    }
  });
});
