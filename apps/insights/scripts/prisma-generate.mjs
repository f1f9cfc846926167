// Runs `prisma generate` for apps/insights offline.
//
// `prisma generate` needs no engine, but the Prisma CLI resolves (and, when missing, downloads)
// the native schema-engine binary first, unless PRISMA_SCHEMA_ENGINE_BINARY names an existing
// file. We point it at a stub that is never executed, and switch off the update check.
//
//   node apps/insights/scripts/prisma-generate.mjs        (npm run prisma:generate)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(here, '..');
const schema = join(appDir, 'prisma', 'schema.prisma');
const prismaCli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
const engineBinary = configured && existsSync(resolve(configured)) ? configured : join(here, 'schema-engine.stub');

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
  cwd: appDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: engineBinary,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
