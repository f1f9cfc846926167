// Lint rules, including the module boundaries the architecture relies on:
//  - domain/ code is pure: no NestJS, Prisma, pg, NATS, KurrentDB, Fastify or OpenTelemetry imports;
//  - libs never import apps, and apps never reach into another app (Nx project tags).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export const domainBannedImports = {
  patterns: [
    { group: ['@nestjs/*', '@nestjs/**'], message: 'domain/ code is pure: no NestJS (keep it in application/ or http/)' },
    { group: ['@prisma/*', '**/generated/prisma/**'], message: 'domain/ code is pure: no Prisma' },
    { group: ['pg', 'pg-*'], message: 'domain/ code is pure: no PostgreSQL driver' },
    { group: ['@nats-io/*', 'nats'], message: 'domain/ code is pure: no NATS' },
    { group: ['@kurrent/*', '@eventstore/*'], message: 'domain/ code is pure: no event-store client' },
    { group: ['fastify', '@fastify/*', '@opentelemetry/*'], message: 'domain/ code is pure: no framework or telemetry imports' },
    { group: ['@crm/eventstore', '@crm/messaging', '@crm/nest-kit', '@crm/observability'], message: 'domain/ code is pure: only @crm/contracts and @crm/domain' },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'coverage/**', '.nx/**', 'charts/**', 'infra/**', 'load-tests/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/*/src/**/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', domainBannedImports] },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.contract.ts', '**/bench/**', 'e2e/**', 'tools/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
