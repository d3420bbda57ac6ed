/**
 * End-to-end specs against the real platform: global setup starts the local infrastructure and
 * the four apps (or reuses them when all four already answer), teardown stops what it started.
 */
module.exports = {
  ...require('./jest.unit.config'),
  roots: ['<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', { suite: 'e2e' }]],
};
