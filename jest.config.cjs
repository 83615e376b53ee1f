/** Two projects: `unit` (no network, no listening sockets) and `e2e` (apps booted on ephemeral ports). */
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
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.test.ts', '<rootDir>/apps/**/*.test.ts', '<rootDir>/test/*.test.ts'], testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
