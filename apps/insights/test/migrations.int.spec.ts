import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { diffMigrations } from '@crm/prisma-tools';
import { createTestDatabase, testDatabaseAdminUrl, type TestDatabase } from '@crm/testing';
import { diffInsightsMigrations, insightsPrismaPaths, migrateInsights } from '../src/database/insights-migrations';

const INSIGHTS_TABLES = [
  '_prisma_migrations',
  'campaign',
  'campaign_cost',
  'campaign_variant_engagement',
  'lead',
  'lead_funnel_fact',
  'lead_touch',
  'projection_checkpoint',
  'sales_activity',
  'sales_opportunity',
  'sales_pipeline',
  'sales_settings',
  'sales_stage_visit',
  'sales_target',
  'sales_team',
  'sales_team_member',
  'won_deal',
];

// The WebAssembly schema engine runs in child processes (jest runs CommonJS, without
// --experimental-wasm-modules); each call starts Node and the engine, hence the timeouts.
const ENGINE_TIMEOUT = 180_000;

const tablesIn = async (url: string, schema: string): Promise<string[]> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
};

const appliedMigrations = async (url: string): Promise<string[]> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM insights._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    return rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
};

describe('insights migrations (checked in under apps/insights/prisma/migrations)', () => {
  it(
    'produce exactly prisma/schema.prisma — if this fails, run `npm run insights:migrate:diff -- <name>` and check in the new migration',
    async () => {
      const diff = await diffInsightsMigrations(testDatabaseAdminUrl());
      if (!diff.empty) throw new Error(`schema.prisma and the checked-in migrations disagree; the missing migration is:\n${diff.sql}`);
      expect(diff.empty).toBe(true);
    },
    ENGINE_TIMEOUT,
  );

  it(
    'the staleness check bites: a schema change without a migration is reported as SQL',
    async () => {
      const { schemaPath, migrationsDir } = insightsPrismaPaths();
      const dir = mkdtempSync(join(tmpdir(), 'insights-schema-'));
      try {
        const changed = join(dir, 'schema.prisma');
        copyFileSync(schemaPath, changed);
        writeFileSync(changed, readFileSync(changed, 'utf8').replace(/^(\s*phone\s+String\?)/m, '$1\n  website String?'));
        const diff = await diffMigrations({ schemaPath: changed, migrationsDir, shadowDatabaseUrl: testDatabaseAdminUrl() });
        expect(diff.empty).toBe(false);
        expect(diff.sql).toContain('ALTER TABLE "insights"."lead" ADD COLUMN');
        expect(diff.sql).toContain('"website" TEXT');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    ENGINE_TIMEOUT,
  );

  describe('migrateInsights', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('insights_migrate');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it(
      'creates the read-model tables in the `insights` schema of a fresh database, recorded in insights._prisma_migrations',
      async () => {
        const { applied } = await migrateInsights(db.url);

        expect(applied).toHaveLength(4);
        expect(applied[0]).toMatch(/^\d{14}_init$/);
        expect(applied[1]).toMatch(/^\d{14}_reports$/);
        expect(applied[2]).toMatch(/^\d{14}_sales_reports$/);
        expect(applied[3]).toMatch(/^\d{14}_lead_list_fields$/);
        expect(await tablesIn(db.url, 'insights')).toEqual(INSIGHTS_TABLES);
        expect(await tablesIn(db.url, 'public')).toEqual([]);
        expect(await appliedMigrations(db.url)).toEqual(applied);
      },
      ENGINE_TIMEOUT,
    );

    it(
      'is idempotent: running it again, even several times at once, applies nothing',
      async () => {
        const before = await appliedMigrations(db.url);
        const runs = await Promise.all([migrateInsights(db.url), migrateInsights(db.url), migrateInsights(db.url)]);
        expect(runs.map((r) => r.applied)).toEqual([[], [], []]);
        expect(await appliedMigrations(db.url)).toEqual(before);
      },
      ENGINE_TIMEOUT,
    );

    it(
      'applies concurrently started deploys to a fresh database exactly once',
      async () => {
        const fresh = await createTestDatabase('insights_migrate_race');
        try {
          const runs = await Promise.all([migrateInsights(fresh.url), migrateInsights(fresh.url), migrateInsights(fresh.url)]);
          expect(runs.flatMap((r) => r.applied)).toHaveLength(4);
          expect(await tablesIn(fresh.url, 'insights')).toEqual(INSIGHTS_TABLES);
        } finally {
          await fresh.drop();
        }
      },
      ENGINE_TIMEOUT,
    );
  });
});
