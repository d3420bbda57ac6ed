/**
 * The scale suite (`npm run test:scale`): two replicas of every app under steady load, SIGKILLs
 * and a rolling restart; on the same harness as the e2e suites, after them.
 */
const e2e = require('./jest.e2e.config');

module.exports = {
  ...e2e,
  roots: ['<rootDir>/test/scale'],
  testRegex: '.*\\.scale-spec\\.ts$',
  testTimeout: 900000,
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', { suite: 'scale' }]],
};
