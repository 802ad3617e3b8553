// Mocha's spec output for people, plus a machine-readable summary for CI: when
// CLASSCORD_TEST_SUMMARY names a file, the run's counts are written there as JSON.
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failed = new Set();
    runner.on('fail', (test) => failed.add(test.fullTitle()));
    runner.once('end', () => {
      const file = process.env.CLASSCORD_TEST_SUMMARY;
      if (!file) return;
      const { passes, pending } = runner.stats;
      writeFileSync(file, JSON.stringify({ passed: passes, failed: failed.size, skipped: pending }) + '\n');
    });
  }
}

module.exports = SummaryReporter;
