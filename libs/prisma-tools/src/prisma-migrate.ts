import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Offline Prisma Migrate for CommonJS callers (apps, jest): runs ../bin/schema-engine-cli.mjs — the
 * WebAssembly schema engine, which Node 20 can only load with `--experimental-wasm-modules` — in a
 * child Node process.
 */
export const schemaEngineCli: string = resolve(__dirname, '..', 'bin', 'schema-engine-cli.mjs');

/** Node flags for loading the engine's `.wasm` ES module, while this Node still knows them. */
export const wasmModuleFlags = (): string[] =>
  ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning'].filter((flag) =>
    process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]),
  );

export type PrismaMigrateErrorCode = 'failed' | 'timeout';

export class PrismaMigrateError extends Error {
  constructor(
    readonly code: PrismaMigrateErrorCode,
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'PrismaMigrateError';
  }
}

export type RunOptions = {
  /** Extra environment for the child (DATABASE_URL, SHADOW_DATABASE_URL). */
  env?: Record<string, string | undefined>;
  /** Kill the child after this long (default 120 s). */
  timeoutMs?: number;
};

type ChildResult = { code: number; stdout: string; stderr: string };

const run = (args: readonly string[], { env = {}, timeoutMs = 120_000 }: RunOptions): Promise<ChildResult> =>
  new Promise((ok, ko) => {
    const child = spawn(process.execPath, [...wasmModuleFlags(), schemaEngineCli, ...args, '--json'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      ko(new PrismaMigrateError('timeout', `prisma-migrate ${args[0]} did not finish within ${timeoutMs} ms`, stderr));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      ko(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code: code ?? 1, stdout, stderr });
    });
  });

const parseResult = <T>(command: string, { code, stdout, stderr }: ChildResult, okCodes: readonly number[]): T => {
  if (!okCodes.includes(code)) {
    throw new PrismaMigrateError('failed', `prisma-migrate ${command} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`, stderr);
  }
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new PrismaMigrateError('failed', `prisma-migrate ${command}: unexpected output ${JSON.stringify(stdout.slice(0, 500))}`, stderr);
  }
};

export type DeployMigrationsInput = {
  databaseUrl: string;
  /** A Prisma migrations directory (`<timestamp>_<name>/migration.sql`, migration_lock.toml). */
  migrationsDir: string;
  /** PostgreSQL schema for `_prisma_migrations` (created when missing); default: the connection's. */
  migrationsSchema?: string;
};

export type DeployMigrationsResult = { applied: string[] };

/**
 * `prisma migrate deploy`, offline: applies the migrations not yet recorded in `_prisma_migrations`
 * (Prisma's own table and checks: checksums, failed migrations). Idempotent; concurrent callers
 * are serialised by an advisory lock.
 */
export const deployMigrations = async (
  { databaseUrl, migrationsDir, migrationsSchema }: DeployMigrationsInput,
  options: RunOptions = {},
): Promise<DeployMigrationsResult> => {
  const args = ['deploy', '--migrations', migrationsDir, ...(migrationsSchema ? ['--migrations-schema', migrationsSchema] : [])];
  const result = await run(args, { ...options, env: { ...options.env, DATABASE_URL: databaseUrl } });
  return parseResult<DeployMigrationsResult>('deploy', result, [0]);
};

export type DiffMigrationsInput = {
  schemaPath: string;
  /** Default: `migrations` next to the schema. */
  migrationsDir?: string;
  /** A server on which a temporary shadow database may be created; default: a temporary embedded PostgreSQL. */
  shadowDatabaseUrl?: string;
};

export type DiffMigrationsResult = {
  /** True when the migrations already produce exactly the schema. */
  empty: boolean;
  /** The SQL that takes the migrations to the schema. */
  sql: string;
};

/** The SQL that takes the migrations directory to `schema.prisma` (empty when they agree). */
export const diffMigrations = async (
  { schemaPath, migrationsDir, shadowDatabaseUrl }: DiffMigrationsInput,
  options: RunOptions = {},
): Promise<DiffMigrationsResult> => {
  const args = ['diff', '--schema', schemaPath, ...(migrationsDir ? ['--migrations', migrationsDir] : [])];
  const env = shadowDatabaseUrl ? { ...options.env, SHADOW_DATABASE_URL: shadowDatabaseUrl } : options.env;
  const result = await run(args, { ...options, env });
  return parseResult<DiffMigrationsResult>('diff', result, [0]);
};
