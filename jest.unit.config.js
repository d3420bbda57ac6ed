/** Unit specs: beside the code, no infrastructure. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@microshop/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', { suite: 'unit' }]],
};
