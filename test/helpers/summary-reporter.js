/**
 * Ends the run with one plain line, `tests: N passed, N failed`, that CI systems and people
 * can read without knowing jest's layout. Skipped tests are counted too, never hidden.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
}
module.exports = SummaryReporter;
