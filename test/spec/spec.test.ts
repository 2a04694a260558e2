// The spec suite (../shared/spec-testsuite) against the recorded baseline: fails when a
// command that passed before fails now, and when one recorded as failing passes (update
// the baseline with `node test/spec/update-baseline.ts`).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFile, readBaseline, runSuite, suiteDir, suiteExists } from './suite.ts';

if (!suiteExists()) {
  test('spec suite', { skip: `spec suite not found at ${suiteDir}` }, () => {});
} else {
  test('spec suite matches the baseline', async (t) => {
    const baseline = readBaseline();
    assert.ok(baseline !== null, 'test/spec/baseline.json is missing; run node test/spec/update-baseline.ts');
    const started = performance.now();
    const results = await runSuite();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const [name, result] of results) {
      passed += result.passed;
      failed += result.failed;
      skipped += result.skipped;
      await t.test(name, () => {
        const problems = compareFile(result, baseline.files[name]);
        assert.deepEqual(problems, [], `${name} differs from the baseline`);
      });
    }
    await t.test('no script vanished', () => {
      const missing = Object.keys(baseline.files).filter((name) => !results.has(name));
      assert.deepEqual(missing, []);
    });
    t.diagnostic(`${results.size} scripts in ${seconds} s: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  });
}
