/** Jest runs TypeScript through SWC (no type checking here: `tsc` does that, see test/repo). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|jose)/)'],
  // Two cores on every machine we run on: keep the workers at two.
  maxWorkers: 2,
  testTimeout: 30000,
};
