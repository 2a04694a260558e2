// The differential fuzzer (fuzz/, README "Fuzzing"): a bounded, deterministic run in a
// worker thread must find no unexplained disagreement with V8, no crash, no hang and no
// failed round trip; every explained-difference rule must still hold on this V8; and a
// case must be reproducible from its seed and index.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Corpus, makeCase } from '../../fuzz/cases.ts';
import { failed, runFuzz, summaryLine } from '../../fuzz/fuzz.ts';
import { minimize } from '../../fuzz/minimize.ts';
import { checkRules } from '../../fuzz/oracle.ts';
import { Rng } from '../../fuzz/rng.ts';

/** Cases in the bounded run: tens of thousands, in well under a minute on a busy machine. */
const CASES = 20000;

test(`a bounded run (seed 1, ${CASES} cases) finds nothing unexplained`, { timeout: 240_000 }, async () => {
  const s = await runFuzz({ seed: 1, cases: CASES, workers: 1 });
  const st = s.stats;
  const report = s.failures.map((f) => `${f.kind} at case ${f.index} (${f.origin}): ${f.message}\n  ${f.files.join('\n  ')}`).join('\n');
  console.log(`${summaryLine(st)} in ${(s.elapsedMs / 1000).toFixed(1)} s`);
  assert.equal(st.cases, CASES);
  assert.ok(!failed(st), `${summaryLine(st)}; ${st.checkFailures} failed checks\n${report}`);
  // The run exercises both verdicts and every check.
  assert.ok(st.oursAccepted > CASES / 10 && st.oursAccepted < (CASES * 9) / 10, `we accepted ${st.oursAccepted}`);
  assert.ok(st.binary > 0 && st.streaming > 0 && st.fast > 0 && st.features > 0);
});

test('a worker stuck on a case is killed and replaced; every case still runs once', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-fuzz-test-'));
  try {
    // Case 70 loops forever (a test hook); the watchdog kills its worker after 300 ms.
    const s = await runFuzz({ seed: 3, cases: 120, batch: 50, spec: false, killMs: 300, hangAt: 70, outDir: dir });
    assert.equal(s.stats.cases, 120);
    assert.equal(s.stats.hangs, 1);
    assert.equal(s.stats.agreed + s.stats.disagreed + s.stats.hangs, 120);
    const hang = s.failures.find((f) => f.kind === 'hang');
    assert.equal(hang?.index, 70);
    assert.ok(hang.files.length > 0 && existsSync(hang.files[0]!), 'the input of the hanging case is saved');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every explained-difference rule still holds on this V8', () => {
  // Each rule's probe must disagree as the rule says and be explained by it (the large
  // probes, of megabytes, run with `npm run fuzz -- --rules`).
  const results = checkRules(false);
  assert.ok(results.length >= 10);
  for (const r of results) assert.equal(r.problem, null, `${r.id}: ${r.problem}`);
});

test('a case is a function of the seed and its index', () => {
  const corpus = new Corpus([]);
  for (const index of [0, 1, 17, 999]) {
    const a = makeCase(7, index, corpus);
    const b = makeCase(7, index, corpus);
    assert.deepEqual(a.bytes, b.bytes);
    assert.equal(a.origin, b.origin);
  }
  assert.notDeepEqual(makeCase(7, 1, corpus).bytes, makeCase(8, 1, corpus).bytes);
  const r = new Rng(3, 4);
  const xs = [r.u32(), r.u32(), r.u32()];
  const again = new Rng(3, 4);
  assert.deepEqual([again.u32(), again.u32(), again.u32()], xs);
});

test('the minimizer keeps the failure and drops the rest', () => {
  const bytes = new Uint8Array(200).map((_, i) => i);
  // "Fails" while the input still holds the bytes 42 and 77.
  const out = minimize(bytes, (b) => b.includes(42) && b.includes(77));
  assert.ok(out.includes(42) && out.includes(77));
  assert.ok(out.length <= 10, `left ${out.length} bytes`);
});
