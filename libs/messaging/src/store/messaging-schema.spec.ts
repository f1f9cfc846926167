import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { ensureMessagingSchema, MESSAGING_MIGRATIONS } from './messaging-schema';
import { PostgresCheckpointStore } from './postgres-checkpoint-store';

const migrationsDir = join(__dirname, '..', '..', 'migrations');

describe('messaging schema', () => {
  it('embeds exactly the checked-in migration files', () => {
    const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
    expect(MESSAGING_MIGRATIONS.map((m) => m.name)).toEqual(files);
    for (const m of MESSAGING_MIGRATIONS) expect(m.sql).toBe(readFileSync(join(migrationsDir, m.name), 'utf8'));
  });

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
      await Promise.all([ensureMessagingSchema(pool, 'leads'), ensureMessagingSchema(pool, 'leads'), ensureMessagingSchema(pool, 'sales')]);
      await ensureMessagingSchema(pool, 'leads');
      const leads = new PostgresCheckpointStore(pool, 'leads');
      const sales = new PostgresCheckpointStore(pool, 'sales');
      await leads.save('relay.leads', 'leads', 2n ** 62n);
      await leads.save('relay.leads', 'leads', 2n ** 62n + 1n);
      expect(await leads.load('relay.leads', 'leads')).toBe(2n ** 62n + 1n);
      expect(await sales.load('relay.leads', 'leads')).toBeUndefined();
      expect(await leads.load('relay.leads', 'sales')).toBeUndefined();
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(ensureMessagingSchema(pool, 'x"; DROP TABLE y; --')).rejects.toThrow(/schema name/);
    });
  });
});
