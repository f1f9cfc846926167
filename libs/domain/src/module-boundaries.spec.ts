import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The lint rules that keep domain/ code pure are part of the architecture: prove they bite.
// One ESLint process lints every case (its start-up dominates the cost).
const root = join(__dirname, '../../..');
type Case = { filePath: string; code: string };
const lintAll = (cases: Case[]): string[][] => {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(root)} });
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const out = [];
      for (const c of cases) {
        const [result] = await eslint.lintText(c.code, { filePath: c.filePath });
        out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(2); });`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`eslint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[][];
};

const domainFile = 'apps/leads/src/lead/domain/fixture.decider.ts';
const banned: [string, string][] = [
  ["import { Injectable } from '@nestjs/common';", 'no NestJS'],
  ["import { Pool } from 'pg';", 'no PostgreSQL driver'],
  ["import { connect } from '@nats-io/transport-node';", 'no NATS'],
  ["import { PrismaClient } from '@prisma/client';", 'no Prisma'],
  ["import { InMemoryEventStore } from '@crm/eventstore';", 'only @crm/contracts and @crm/domain'],
];
const allowed: Case[] = [
  { filePath: 'apps/leads/src/lead/application/fixture.service.ts', code: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n" },
  { filePath: domainFile, code: "import { DomainError } from '@crm/domain';\nexport const x = DomainError;\n" },
];

describe('module boundaries', () => {
  let results: string[][];
  beforeAll(() => {
    results = lintAll([...banned.map(([code]) => ({ filePath: domainFile, code: `${code}\nexport const x = 1;\n` })), ...allowed]);
  }, 120_000);

  it.each(banned.map(([code, why], i) => [code, why, i] as const))('refuses `%s` in domain/ code (%s)', (_code, why, i) => {
    expect(results[i].join('\n')).toContain(why);
  });

  it('allows the same imports outside domain/ and pure imports inside it', () => {
    expect(results.slice(banned.length)).toEqual([[], []]);
  });
});
