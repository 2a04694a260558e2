// A/B of `validate(bytes)` between another checkout of this project (A: a copy made with
// `git worktree add` or `git archive`) and this one (B), in ONE process: for telling
// whether a change to the validator is faster, where two full benchmark runs differ by
// more than most changes do.
//
// Both copies' `validate` warm up on every file; then, per file, --rounds rounds, each
// timing one batch of A and one of B back to back (CPU time of the process; the order
// alternates), a batch lasting about BATCH_MS. It prints, per file, the median of the
// rounds' speed ratios B/A (above 1: B is faster) and their interquartile range. On the
// development machine two copies of the same code give medians within about 2% of 1.
//
//   node bench/ab.ts ../baseline [--rounds N (40)] [--only NAME,…]

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FILES } from './validate.ts';

type Validate = (bytes: Uint8Array) => void;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BATCH_MS = 15;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '40' }, only: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/ab.ts OTHER_CHECKOUT [--rounds N] [--only NAME,…]');
  process.exit(2);
}
const rounds = Math.max(5, Number(values.rounds));
const only = values.only?.split(',');
const files = only ? FILES.filter((f) => only.includes(f.name)) : FILES;
if (files.length === 0) {
  console.error(`--only matches none of: ${FILES.map((f) => f.name).join(', ')}`);
  process.exit(2);
}

async function load(checkout: string): Promise<Validate> {
  const url = pathToFileURL(join(resolve(checkout), 'src/validate/validate.ts')).href;
  return (await import(url)).validate as Validate;
}

/** CPU microseconds per call of `f` on `bytes`, over `reps` calls. */
function batch(f: Validate, bytes: Uint8Array, reps: number): number {
  const start = cpuUsage();
  for (let i = 0; i < reps; i++) f(bytes);
  const d = cpuUsage(start);
  return (d.user + d.system) / reps;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const a = await load(positionals[0]!);
const b = await load(root);
const inputs = files.map((f) => new Uint8Array(readFileSync(join(root, 'node_modules', ...f.pkg.split('/'), f.file))));
// Warm-up: both optimized for every file (see bench/validate.ts on why it takes a while).
const warmUntil = performance.now() + 2000;
while (performance.now() < warmUntil) for (const bytes of inputs) (a(bytes), b(bytes));

console.log(`B = ${root}, A = ${resolve(positionals[0]!)}; median of ${rounds} paired batches of ~${BATCH_MS} ms`);
for (let fi = 0; fi < files.length; fi++) {
  const bytes = inputs[fi]!;
  const reps = Math.max(2, Math.round((BATCH_MS * 1000) / batch(a, bytes, 3)));
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = batch(a, bytes, reps);
      tb = batch(b, bytes, reps);
    } else {
      tb = batch(b, bytes, reps);
      ta = batch(a, bytes, reps);
    }
    ratios.push(ta / tb);
  }
  ratios.sort((x, y) => x - y);
  const name = files[fi]!.name.padEnd(14);
  console.log(`${name} B/A speed ${quantile(ratios, 0.5).toFixed(3)}  (IQR ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)})`);
}
