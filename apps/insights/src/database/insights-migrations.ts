import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deployMigrations, diffMigrations, type DeployMigrationsResult, type DiffMigrationsResult, type RunOptions } from '@crm/prisma-tools';

/** The PostgreSQL schema insights owns; its `_prisma_migrations` table lives there too. */
export const INSIGHTS_DB_SCHEMA = 'insights';

/** apps/insights/prisma, found from here in src/ (ts-node, jest) as in dist/ (built). */
const findPrismaDir = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma');
    if (existsSync(join(candidate, 'schema.prisma'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`apps/insights/prisma not found above ${__dirname}`);
  }
};

export type InsightsPrismaPaths = { schemaPath: string; migrationsDir: string };

export const insightsPrismaPaths = (): InsightsPrismaPaths => {
  const prismaDir = findPrismaDir();
  return { schemaPath: join(prismaDir, 'schema.prisma'), migrationsDir: join(prismaDir, 'migrations') };
};

/**
 * Applies the checked-in migrations of the insights read models to `databaseUrl` (Prisma's
 * `migrate deploy`, offline, through the WebAssembly schema engine in a child process).
 * Idempotent and safe to run concurrently; resolves with the names of the migrations it applied.
 */
export const migrateInsights = (databaseUrl: string, options?: RunOptions): Promise<DeployMigrationsResult> =>
  deployMigrations({ databaseUrl, migrationsDir: insightsPrismaPaths().migrationsDir, migrationsSchema: INSIGHTS_DB_SCHEMA }, options);

/**
 * The SQL that takes the checked-in migrations to `schema.prisma`; `empty` when they agree.
 * `shadowDatabaseUrl`: a server where a temporary database may be created (default: a temporary
 * embedded PostgreSQL).
 */
export const diffInsightsMigrations = (shadowDatabaseUrl?: string, options?: RunOptions): Promise<DiffMigrationsResult> =>
  diffMigrations({ ...insightsPrismaPaths(), shadowDatabaseUrl }, options);
