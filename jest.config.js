// One jest run for the whole repo: unit tests beside the code, integration tests per
// service and end-to-end tests in test/, all against the real servers the global
// setup starts once (or those NATS_URL / MONGO_URL point at).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources (the `cei-source` export condition),
  // not to the JavaScript `pnpm build` emits for the deployed apps.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'cei-source'] },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  testMatch: [
    '<rootDir>/{packages,services,gateway,test}/**/src/**/*.test.ts',
    '<rootDir>/test/e2e/**/*.test.ts',
    '<rootDir>/infra/local/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/packages/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest-global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
