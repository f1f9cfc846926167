// One Jest run for the whole workspace: real servers (embedded PostgreSQL, nats-server)
// start once in globalSetup and every suite shares them, each in its own database/stream.
/** @type {import('jest').Config} */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,e2e}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(t|j)s$': swc },
  // ESM-only packages that CommonJS code requires: compiled to CommonJS for Jest (Node 20 has require(esm); Jest's runtime does not).
  transformIgnorePatterns: ['/node_modules/(?!(uuid|content-disposition)/)'],
  moduleNameMapper: { '^@crm/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  setupFiles: ['<rootDir>/libs/testing/src/jest-setup-env.js'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.mjs',
  testTimeout: 60_000,
  maxWorkers: 2,
  cacheDirectory: '<rootDir>/.jest-cache',
};
