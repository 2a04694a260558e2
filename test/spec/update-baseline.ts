// Rewrites test/spec/baseline.json from a fresh run of the spec suite and prints what
// changed. Usage: node test/spec/update-baseline.ts

import { writeFileSync } from 'node:fs';
import { baselinePath, compareFile, readBaseline, runSuite, stableJson, suiteDir, suiteExists, toBaseline } from './suite.ts';

if (!suiteExists()) {
  console.error(`spec suite not found at ${suiteDir}`);
  process.exit(1);
}
const started = performance.now();
const results = await runSuite();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const old = readBaseline();
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, result] of results) {
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped;
  if (old !== null) for (const p of compareFile(result, old.files[name])) console.log(`${name}: ${p}`);
}
writeFileSync(baselinePath, stableJson(toBaseline(results)));
console.log(`${results.size} scripts in ${seconds} s: ${passed} passed, ${failed} failed, ${skipped} skipped`);
console.log(`wrote ${baselinePath}`);
