#!/usr/bin/env node
// Writes project.json for every lib and app (run after adding a project). Nx then drives
// build, typecheck, lint and test per project: `npx nx run-many -t lint typecheck test`.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

for (const kind of ['libs', 'apps']) {
  for (const name of readdirSync(kind)) {
    const root = join(kind, name);
    if (!existsSync(join(root, 'package.json'))) continue;
    const project = {
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      name: kind === 'apps' ? name : `lib-${name}`,
      projectType: kind === 'apps' ? 'application' : 'library',
      sourceRoot: `${root}/src`,
      tags: [kind === 'apps' ? 'type:app' : 'type:lib'],
      targets: {
        build: { executor: 'nx:run-commands', options: { command: `node tools/build.mjs ${root}` } },
        typecheck: { executor: 'nx:run-commands', options: { command: 'tsc -p tsconfig.json --noEmit' } },
        lint: { executor: 'nx:run-commands', options: { command: `eslint ${root}` } },
        test: { executor: 'nx:run-commands', options: { command: `jest ${root}` } },
      },
    };
    writeFileSync(join(root, 'project.json'), `${JSON.stringify(project, null, 2)}\n`);
  }
}
