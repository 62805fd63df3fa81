/**
 * Ends the run with one plain line, `tests: N passed, N failed`, that CI systems and people
 * can read without knowing jest's layout. Skipped tests are counted too, never hidden.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    // Time-skipping tests start from a chosen point of the business week: say which, to reproduce a failure.
    if (results.numFailedTests > 0 && process.env.BGA_TEST_START_DESCRIPTION) console.log(`failed with the ${process.env.BGA_TEST_START_DESCRIPTION}`);
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
}
module.exports = SummaryReporter;
