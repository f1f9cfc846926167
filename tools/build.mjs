#!/usr/bin/env node
// Compiles every project's src/ to dist/ with swc (type checking is `npm run typecheck`'s job),
// after generating the Prisma client. Incremental: unchanged files are skipped.
// Usage: node tools/build.mjs [project-dir …]   (default: every folder in libs/ and apps/)
import { transformFile } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const skip = /\.(spec|contract|bench)\.ts$|\.d\.ts$/;

const projects = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['libs', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p))).filter((p) => existsSync(join(root, p, 'src')));

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

const generator = join(root, 'apps/insights/scripts/prisma-generate.mjs');
if (projects.some((p) => p.endsWith('insights')) && existsSync(generator)) {
  const r = spawnSync(process.execPath, [generator], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let compiled = 0;
for (const project of projects) {
  const src = join(root, project, 'src');
  const dist = join(root, project, 'dist');
  for (const file of walk(src)) {
    const rel = relative(src, file);
    if (file.endsWith('.ts')) {
      if (skip.test(file)) continue;
      const out = join(dist, rel.replace(/\.ts$/, '.js'));
      if (existsSync(out) && statSync(out).mtimeMs >= statSync(file).mtimeMs) continue;
      const { code, map } = await transformFile(file, { ...swcrc, filename: file, sourceFileName: relative(dirname(out), file), swcrc: false, configFile: false });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${code}\n//# sourceMappingURL=${rel.split('/').pop().replace(/\.ts$/, '.js')}.map\n`);
      if (map) writeFileSync(`${out}.map`, map);
      compiled++;
    } else if (/\.(mjs|cjs|js|json|sql)$/.test(file)) {
      const out = join(dist, rel);
      mkdirSync(dirname(out), { recursive: true });
      copyFileSync(file, out);
    }
  }
}
console.log(`build: ${compiled} file(s) compiled in ${projects.length} project(s)`);
