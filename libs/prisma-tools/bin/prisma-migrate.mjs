#!/usr/bin/env node
// Entry point of the offline Prisma Migrate (see ./schema-engine-cli.mjs for the commands):
// runs it in a Node that can load the WebAssembly schema engine.
//
//   node libs/prisma-tools/bin/prisma-migrate.mjs diff|create|deploy [options]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmModuleFlags } from './node-flags.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'schema-engine-cli.mjs');
const result = spawnSync(process.execPath, [...wasmModuleFlags(), cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
