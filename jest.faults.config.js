/**
 * The fault-injection suite (`npm run test:faults`): kills apps and servers for real, so it runs
 * on its own, after the e2e suites, on the same harness.
 */
const e2e = require('./jest.e2e.config');

module.exports = {
  ...e2e,
  roots: ['<rootDir>/test/faults'],
  testRegex: '.*\\.fault-spec\\.ts$',
  testTimeout: 300000,
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', { suite: 'faults' }]],
};
