/**
 * Two projects: `unit` (no network, no listening sockets) and `e2e` (apps booted on ephemeral ports).
 * Timeouts fit a busy 2-core CI box, where a clean clone's `.ci/run` failed 13 e2e tests on Jest's 5 s
 * default: 60 s per e2e test and hook (booting apps, migrating a MariaDB database), 15 s per unit test.
 * Jest 30 ignores `testTimeout` in a project, so the global one is e2e's and the unit project lowers it
 * in a setup file.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  // oidc-provider and jose are ESM-only; ts-jest transpiles them for Node 20 (see architecture doc).
  transformIgnorePatterns: ['/node_modules/(?!(oidc-provider|jose|@noble|@scure|@simplewebauthn|@peculiar|oauth4webapi|openid-client)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', setupFilesAfterEnv: ['<rootDir>/test/helpers/unit-timeout.cjs'], testMatch: ['<rootDir>/libs/**/*.test.ts', '<rootDir>/apps/**/*.test.ts', '<rootDir>/test/*.test.ts'], testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
