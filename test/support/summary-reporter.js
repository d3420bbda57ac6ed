/**
 * A Jest reporter that ends a run with one plain line, `<suite>: N passed, N failed[, N skipped]`,
 * which tools reading a CI log understand (Jest's own summary says "N passed, N total"). With
 * TEST_SUMMARY_FILE set it also appends the counts there as a JSON line, for .ci/run's total.
 */
const { appendFileSync } = require('node:fs');

class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.suite = options.suite ?? 'tests';
  }

  onRunComplete(_contexts, results) {
    const counts = {
      suite: this.suite,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(
      `${counts.suite}: ${counts.passed} passed, ${counts.failed} failed${skipped}\n`,
    );
    if (process.env.TEST_SUMMARY_FILE) {
      appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify(counts)}\n`);
    }
  }
}

module.exports = SummaryReporter;
