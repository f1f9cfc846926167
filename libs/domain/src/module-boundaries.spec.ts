import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The lint rules that keep domain/ code pure are part of the architecture: prove they bite.
const root = join(__dirname, '../../..');
const lint = (filePath: string, code: string) =>
  spawnSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    timeout: 60_000,
  });
const messages = (out: string): string[] => (JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[])[0].messages.map((m) => `${m.ruleId}: ${m.message}`);

describe('module boundaries', () => {
  it.each([
    ["import { Injectable } from '@nestjs/common';", 'no NestJS'],
    ["import { Pool } from 'pg';", 'no PostgreSQL driver'],
    ["import { connect } from '@nats-io/transport-node';", 'no NATS'],
    ["import { PrismaClient } from '@prisma/client';", 'no Prisma'],
    ["import { InMemoryEventStore } from '@crm/eventstore';", 'only @crm/contracts and @crm/domain'],
  ])('refuses `%s` in domain/ code', (code, why) => {
    const result = lint('apps/leads/src/lead/domain/fixture.decider.ts', `${code}\nexport const x = 1;\n`);
    expect(result.status).toBe(1);
    expect(messages(result.stdout).join('\n')).toContain(why);
  });

  it('allows the same imports outside domain/ and pure imports inside it', () => {
    expect(lint('apps/leads/src/lead/application/fixture.service.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n").status).toBe(0);
    expect(lint('apps/leads/src/lead/domain/fixture.decider.ts', "import { DomainError } from '@crm/domain';\nexport const x = DomainError;\n").status).toBe(0);
  });
});
