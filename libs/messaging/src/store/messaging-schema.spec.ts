import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { migrateMessaging } from './messaging-schema';
import { PostgresCheckpointStore } from './postgres-checkpoint-store';

describe('messaging schema', () => {
  describe('on PostgreSQL', () => {
    let db: TestDatabase;
    let pool: Pool;
    beforeAll(async () => {
      db = await createTestDatabase('msgschema');
      pool = new Pool({ connectionString: db.url, max: 4 });
    });
    afterAll(async () => {
      await pool.end();
      await db.drop();
    });

    it('is idempotent, also when applied concurrently, and keeps schemas apart', async () => {
      await Promise.all([migrateMessaging(pool, 'leads'), migrateMessaging(pool, 'leads'), migrateMessaging(pool, 'sales')]);
      await migrateMessaging(pool, 'leads');
      const leads = new PostgresCheckpointStore(pool, 'leads');
      const sales = new PostgresCheckpointStore(pool, 'sales');
      await leads.save('relay.leads', 'leads', 2n ** 62n);
      await leads.save('relay.leads', 'leads', 2n ** 62n + 1n);
      expect(await leads.load('relay.leads', 'leads')).toBe(2n ** 62n + 1n);
      expect(await sales.load('relay.leads', 'leads')).toBeUndefined();
      expect(await leads.load('relay.leads', 'sales')).toBeUndefined();
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(migrateMessaging(pool, 'x"; DROP TABLE y; --')).rejects.toThrow(/schema name/);
    });
  });
});
