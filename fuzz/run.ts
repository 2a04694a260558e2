// `npm run fuzz -- --seed N --cases N [--time S] [--workers N]`: the differential fuzzer's
// command line (see README, "Fuzzing"). Prints progress, then
//   N cases: N agreed, N disagreed (N explained), N crashes, N hangs
// and exits 1 on any unexplained disagreement, crash, hang or failed internal check.
//
// Other options: --first I (start at case I), --only I (run case I alone and describe
// it), --input FILE (check one .wasm file), --slow-ms MS (the hang threshold, default
// 1000), --no-spec (generated seeds only), --quiet (no progress lines), --rules (check
// every explained-difference rule against this V8, large probes included).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Corpus, makeCase } from './cases.ts';
import { loadSpecSeeds } from './corpus.ts';
import { failed, runFuzz, summaryLine, type Summary } from './fuzz.ts';
import { checkCase, checkRules, type CaseResult } from './oracle.ts';
import { caseOptions } from './run-case.ts';

const USAGE = 'usage: npm run fuzz -- --seed N --cases N [--time S] [--workers N] [--first I] [--only I] [--input FILE] [--slow-ms MS] [--no-spec] [--quiet] [--rules]';

function int(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, not "${value}"`);
  return n;
}

function describe(r: CaseResult): string {
  const lines = [
    `ours: ${r.ours ? 'valid' : `invalid (${r.reason})`}`,
    `V8: ${r.v8 ? 'valid' : 'invalid'}${r.v8Message ? ` (${r.v8Message})` : ''}`,
    `explained by: ${r.explainedBy ?? '-'}`,
    `our time: ${r.ourMs.toFixed(2)} ms (CPU)`,
  ];
  for (const p of r.problems) lines.push(`${p.kind}: ${p.message}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      cases: { type: 'string' },
      time: { type: 'string' },
      workers: { type: 'string' },
      first: { type: 'string' },
      only: { type: 'string' },
      input: { type: 'string' },
      'slow-ms': { type: 'string' },
      'no-spec': { type: 'boolean' },
      quiet: { type: 'boolean' },
      rules: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = int(values.seed, 'seed', 1);
  if (values.rules) {
    let bad = 0;
    for (const r of checkRules(true)) {
      console.log(`${r.problem === null ? 'holds' : 'FAILS'}  ${r.id}: ${r.problem ?? r.description}`);
      if (r.problem !== null) bad++;
    }
    return bad > 0 ? 1 : 0;
  }
  if (values.input !== undefined) {
    const r = checkCase(new Uint8Array(readFileSync(values.input)), { roundTrips: true });
    console.log(describe(r));
    return r.problems.length > 0 ? 1 : 0;
  }
  if (values.only !== undefined) {
    const index = int(values.only, 'only', 0);
    const corpus = new Corpus(values['no-spec'] ? [] : loadSpecSeeds());
    const c = makeCase(seed, index, corpus);
    console.log(`case ${index} of seed ${seed}: ${c.origin} (${c.bytes.length} bytes)`);
    if (c.crash !== null) console.log(`crash: ${c.crash}`);
    const r = checkCase(c.bytes, caseOptions(seed, index));
    console.log(describe(r));
    return r.problems.length > 0 || c.crash !== null ? 1 : 0;
  }
  const cases = int(values.cases, 'cases', 10000);
  const workers = int(values.workers, 'workers', 1);
  const time = values.time === undefined ? undefined : Number(values.time);
  const quiet = values.quiet === true;
  let lastPrint = 0;
  const started = Date.now();
  const progress = (s: Summary): void => {
    if (quiet || Date.now() - lastPrint < 2000) return;
    lastPrint = Date.now();
    const rate = (s.stats.cases / ((Date.now() - started) / 1000)).toFixed(0);
    console.log(`  … ${summaryLine(s.stats)} (${rate} cases/s)`);
  };
  console.log(`fuzz: seed ${seed}, ${cases} cases from ${int(values.first, 'first', 0)}, ${workers} worker${workers === 1 ? '' : 's'}${time === undefined ? '' : `, at most ${time} s`}`);
  const s = await runFuzz({
    seed,
    cases,
    first: int(values.first, 'first', 0),
    workers,
    ...(time === undefined ? {} : { timeSec: time }),
    slowMs: int(values['slow-ms'], 'slow-ms', 1000),
    spec: values['no-spec'] !== true,
    onProgress: progress,
  });
  const st = s.stats;
  for (const f of s.failures) {
    console.log(`\n${f.kind} at case ${f.index} (${f.origin})\n  ${f.message.split('\n').join('\n  ')}`);
    for (const file of f.files) console.log(`  saved: ${file}`);
  }
  const explained = Object.entries(s.explainedBy).map(([k, v]) => `${k} ${v}`).join(', ');
  const perCase = st.cases > 0 ? (st.ourMs / st.cases).toFixed(3) : '0';
  console.log(
    `\nchecks: ${st.binary} binary round trips, ${st.text} text round trips, ${st.streaming} streaming, ${st.fast} fast path, ${st.features} feature subsets; ${st.checkFailures} failed`,
  );
  console.log(`verdicts: we accept ${st.oursAccepted}, V8 accepts ${st.v8Accepted}${explained === '' ? '' : `; explained: ${explained}`}`);
  console.log(
    `time: ${(s.elapsedMs / 1000).toFixed(1)} s, ${((s.elapsedMs * 1000) / Math.max(1, st.cases)).toFixed(0)} µs per case overall, ${perCase} ms of CPU time per case in our code, slowest ${st.maxMs.toFixed(1)} ms (case ${st.maxIndex})${s.skipped > 0 ? `; ${s.skipped} cases not run (time limit)` : ''}`,
  );
  if (s.failures.length > 0) console.log(`failing inputs: ${s.outDir}`);
  console.log(summaryLine(st));
  return failed(st) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    console.error(USAGE);
    process.exitCode = 2;
  },
);
