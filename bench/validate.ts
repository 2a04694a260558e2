// Decode + validate throughput of binary modules: ours (`validate` from src/validate, the
// fused decode-and-validate loop) side by side with V8's `WebAssembly.validate`, the npm
// `wasmparser` package, wabt and binaryen, in ONE process, on real-world .wasm files
// shipped in npm packages (dev dependencies).
//
// Every validator first runs on every file, round after round, for at least WARMUP_MS in
// all and at least three rounds (warm-up, so that its code is optimized for all of them:
// a JIT compiles a long loop early, on stack, but a function entered a few times per
// module only after some calls). Then, file by file, --runs rounds: each round takes one
// sample of every validator, in an order that rotates from round to round so that load
// from other processes hits them alike. A sample is an untimed run followed by a timed
// batch of back-to-back runs lasting at least BATCH_MS (calibrated per validator and
// file), so that short runs are not at the mercy of the timer and of transients. The
// median sample is reported, in MB of .wasm (10^6 bytes) per second, with the ratios of
// ours to each peer. The machine's other load makes single numbers noisy; the ratios,
// measured side by side, much less so.
//
//   ours        validate(bytes) — decodes and validates everything (src/validate/validate.ts)
//   v8          WebAssembly.validate(bytes) — V8's C++ decoder and validator
//   wasmparser  npm `wasmparser` (BinaryReader): reads the whole module, every operator of
//               every function body included, but it only parses — it does not validate
//   wabt        npm `wabt`: readWasm + validate() (+ destroy)
//   binaryen    npm `binaryen`: readBinary + setFeatures(All) + validate() (+ dispose)
//   model       (with --model) ours the slow way: decodeModule + validateModule
//
// Options: --only NAME[,NAME…]  --validators v8,wasmparser,wabt,binaryen  --runs N (9)
//          --model  --spread  --json FILE
// `npm run bench` runs this after the parser benchmark (bench/all.ts); alone:
// `npm run bench -- validate [OPTIONS]` or `node bench/validate.ts [OPTIONS]`.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS, WABT_FEATURES } from './corpus.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

export interface WasmFile {
  readonly name: string;
  readonly pkg: string;
  /** Path of the .wasm file inside the package. */
  readonly file: string;
  readonly origin: string;
}

/** The parser benchmark's corpus (its .wasm files), plus two larger Rust modules. */
export const FILES: readonly WasmFile[] = [
  ...CORPUS.map(({ name, pkg, file, origin }) => ({ name, pkg, file, origin })),
  { name: 'wasm-tools', pkg: '@bytecodealliance/jco-transpile', file: 'vendor/wasm-tools.core.wasm', origin: 'Rust, wasm32-wasip1' },
  { name: 'jco-bindgen', pkg: '@bytecodealliance/jco-transpile', file: 'vendor/js-component-bindgen-component.core.wasm', origin: 'Rust, wasm32-wasip1' },
];

type Check = (bytes: Uint8Array) => void;

export type ValidatorName = 'ours' | 'v8' | 'wasmparser' | 'wabt' | 'binaryen' | 'model';
const PEERS = ['v8', 'wasmparser', 'wabt', 'binaryen'] as const;

/** wasmparser's BinaryReaderState.ERROR and .END_WASM (a const enum, not importable here). */
const STATE_ERROR = -1;
const STATE_END_WASM = 2;

/** Least duration of one timed sample (back-to-back runs of one validator on one file). */
const BATCH_MS = 25;

/** Least time each validator spends warming up, over all files (see the top). */
const WARMUP_MS = 1000;

/** Targets of issue 3: ours / wasmparser on every file; ours / v8 as the median. */
const TARGET_WASMPARSER = 3;
const TARGET_V8_MEDIAN = 0.4;

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')) as { version: string }).version;
}

async function loadValidators(withModel: boolean, only?: readonly string[]): Promise<Map<ValidatorName, Check>> {
  const want = (name: ValidatorName) => only === undefined || only.includes(name);
  const out = new Map<ValidatorName, Check>();
  const { validate, validateModule } = await import('../src/validate/index.ts');
  out.set('ours', (bytes) => validate(bytes));

  if (want('v8')) {
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    out.set('v8', (bytes) => {
      if (!wasm.validate(bytes)) throw new Error('WebAssembly.validate: invalid');
    });
  }

  if (want('wasmparser')) {
    const wp = (await import('wasmparser')).default;
    out.set('wasmparser', (bytes) => {
      const reader = new wp.BinaryReader();
      reader.setData(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteOffset + bytes.length);
      for (;;) {
        if (!reader.read()) throw new Error('wasmparser: unexpected end');
        if (reader.state === STATE_ERROR) throw reader.error;
        if (reader.state === STATE_END_WASM) return;
      }
    });
  }

  if (want('wabt')) {
    const wabt = await (await import('wabt')).default();
    out.set('wabt', (bytes) => {
      const m = wabt.readWasm(bytes, { readDebugNames: false, ...WABT_FEATURES });
      try {
        m.validate();
      } finally {
        m.destroy();
      }
    });
  }

  if (want('binaryen')) {
    const binaryen = (await import('binaryen')).default;
    out.set('binaryen', (bytes) => {
      const m = binaryen.readBinary(bytes);
      try {
        m.setFeatures(binaryen.Features.All);
        if (!m.validate()) throw new Error('binaryen: invalid');
      } finally {
        m.dispose();
      }
    });
  }

  if (withModel) {
    const { decodeModule } = await import('../src/binary/index.ts');
    out.set('model', (bytes) => validateModule(decodeModule(bytes)));
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ')).join('\n');
}

export interface ValidateBenchOptions {
  /** File names to measure (default: all of FILES). */
  readonly only?: readonly string[];
  /** Measured rounds per file (at least 5). */
  readonly runs?: number;
  /** The peers to measure (default: all); ours always runs. */
  readonly validators?: readonly string[];
  /** Also measure ours the slow way (decodeModule + validateModule). */
  readonly model?: boolean;
  /** Also print each validator's fastest, median and slowest sample per file. */
  readonly spread?: boolean;
  /** Write the measurements here as JSON. */
  readonly json?: string;
}

export interface FileResult {
  readonly file: string;
  readonly bytes: number;
  /** Median milliseconds per validator (absent: it failed; see errors). */
  readonly ms: Partial<Record<ValidatorName, number>>;
  readonly errors: Partial<Record<ValidatorName, string>>;
}

/** Runs the benchmark and prints its report; returns the measurements. */
export async function runValidateBench(options: ValidateBenchOptions = {}): Promise<FileResult[]> {
  const runs = Math.max(5, options.runs ?? 9);
  const files = options.only ? FILES.filter((f) => options.only!.includes(f.name)) : FILES;
  if (files.length === 0) throw new Error(`--only matches none of: ${FILES.map((f) => f.name).join(', ')}`);
  const validators = await loadValidators(options.model === true, options.validators);
  const names = [...validators.keys()];

  console.log('decode + validate throughput (bench/validate.ts), one process, validators alternating within each round');
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores); wasmparser ${version('wasmparser')} (parses only, no validation), wabt ${version('wabt')}, binaryen ${version('binaryen')}`);
  console.log(`median of ${runs} samples (batches of ≥ ${BATCH_MS} ms) after warming up on every file (≥ ${WARMUP_MS} ms and 3 rounds per validator); MB/s of .wasm, MB = 10^6 bytes; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  // Warm-up over every file first, so that each validator's code is optimized for all of
  // them (type feedback from one file only would deoptimize on the next, mid-measurement).
  const inputs = files.map((f) => new Uint8Array(readFileSync(join(root, 'node_modules', ...f.pkg.split('/'), f.file))));
  const failed = new Set<ValidatorName>();
  const warmed = new Map<ValidatorName, number>(names.map((n) => [n, 0]));
  for (let round = 0; round < 3 || names.some((n) => !failed.has(n) && warmed.get(n)! < WARMUP_MS); round++) {
    for (const name of names) {
      if (failed.has(name) || (round >= 3 && warmed.get(name)! >= WARMUP_MS)) continue;
      const t0 = performance.now();
      for (const bytes of inputs) {
        try {
          validators.get(name)!(bytes);
        } catch {
          failed.add(name); // reported below, per file
          break;
        }
      }
      warmed.set(name, warmed.get(name)! + performance.now() - t0);
    }
  }

  const results: FileResult[] = [];
  for (let fi = 0; fi < files.length; fi++) {
    const f = files[fi]!;
    const bytes = inputs[fi]!;
    const times = new Map<ValidatorName, number[]>(names.map((n) => [n, []]));
    const errors: Partial<Record<ValidatorName, string>> = {};
    // Runs per sample: enough back-to-back runs for a sample of at least BATCH_MS (the
    // fastest validators take about a millisecond on a small file), from the fastest of
    // three calibration runs.
    const batch = new Map<ValidatorName, number>();
    for (const name of names) {
      try {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          validators.get(name)!(bytes);
          best = Math.min(best, performance.now() - start);
        }
        batch.set(name, Math.max(1, Math.ceil(BATCH_MS / Math.max(best, 0.01))));
      } catch (e) {
        errors[name] = String((e as Error)?.message ?? e).split('\n')[0]!;
      }
    }
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + round) % names.length]!;
        if (errors[name] !== undefined) continue;
        const check = validators.get(name)!;
        const n = batch.get(name)!;
        let start = 0;
        try {
          // An untimed run first: the timed ones then run in this validator's own steady
          // state — caches refilled after the previous validator, and the young
          // generation holding this validator's garbage, not another's. (No forced
          // collection: a clean young generation for every sample would hide part of the
          // collection cost of a validator that allocates a lot.)
          check(bytes);
          start = performance.now();
          for (let i = 0; i < n; i++) check(bytes);
        } catch (e) {
          errors[name] = String((e as Error)?.message ?? e).split('\n')[0]!;
          continue;
        }
        times.get(name)!.push((performance.now() - start) / n);
      }
    }
    const ms: Partial<Record<ValidatorName, number>> = {};
    for (const n of names) if (errors[n] === undefined) ms[n] = median(times.get(n)!);
    results.push({ file: f.name, bytes: bytes.length, ms, errors });
    const mbps = (n: ValidatorName) => (ms[n] === undefined ? 'error' : (bytes.length / 1e3 / ms[n]!).toFixed(1));
    if (options.spread) {
      for (const n of names) {
        const t = [...(times.get(n) ?? [])].sort((a, b) => a - b);
        if (t.length) console.log(`    ${n}: min ${t[0]!.toFixed(2)} median ${median(t).toFixed(2)} max ${t[t.length - 1]!.toFixed(2)} ms (batch ${batch.get(n)})`);
      }
    }
    console.log(`  ${f.name.padEnd(12)} ${f.pkg}@${version(f.pkg)} ${f.file} (${f.origin}, ${(bytes.length / 1e3).toFixed(0)} kB): ${names.map((n) => `${n} ${mbps(n)}`).join(', ')}`);
  }

  // The report: MB/s per validator, then ours / each peer.
  const peers = PEERS.filter((p) => validators.has(p));
  const extra = names.filter((n) => n !== 'ours' && !(peers as readonly string[]).includes(n));
  const header = ['file', 'kB', 'ours MB/s', ...peers.map((p) => `${p} MB/s`), ...extra.map((n) => `${n} MB/s`), ...peers.map((p) => `ours/${p}`)];
  const rows: string[][] = [header];
  const ratio = (r: FileResult, p: ValidatorName) => (r.ms.ours !== undefined && r.ms[p] !== undefined ? r.ms[p]! / r.ms.ours : null);
  const cell = (r: FileResult, n: ValidatorName) => (r.ms[n] === undefined ? 'error' : (r.bytes / 1e3 / r.ms[n]!).toFixed(1));
  for (const r of results) {
    rows.push([
      r.file,
      (r.bytes / 1e3).toFixed(0),
      cell(r, 'ours'),
      ...peers.map((p) => cell(r, p)),
      ...extra.map((n) => cell(r, n)),
      ...peers.map((p) => {
        const x = ratio(r, p);
        return x === null ? '—' : `${x.toFixed(2)}×`;
      }),
    ]);
  }
  const medianRatio = (p: ValidatorName) => {
    const xs = results.map((r) => ratio(r, p)).filter((x): x is number => x !== null);
    return xs.length > 0 ? median(xs) : null;
  };
  rows.push(['median', '', '', ...peers.map(() => ''), ...extra.map(() => ''), ...peers.map((p) => {
    const x = medianRatio(p);
    return x === null ? '—' : `${x.toFixed(2)}×`;
  })]);
  console.log('\n' + table(rows) + '\n');
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const misses: string[] = [];
  for (const r of results) {
    const x = ratio(r, 'wasmparser');
    if (x === null || x < TARGET_WASMPARSER) misses.push(`${r.file}: ours/wasmparser ${x === null ? 'n/a' : x.toFixed(2) + '×'} (target ≥ ${TARGET_WASMPARSER}× on every file)`);
  }
  const mv8 = medianRatio('v8');
  if (mv8 === null || mv8 < TARGET_V8_MEDIAN) misses.push(`median ours/v8 ${mv8 === null ? 'n/a' : mv8.toFixed(2) + '×'} (target ≥ ${TARGET_V8_MEDIAN}×)`);
  console.log(misses.length === 0
    ? `targets met: ≥ ${TARGET_WASMPARSER}× wasmparser on every file, median ≥ ${TARGET_V8_MEDIAN}× V8's WebAssembly.validate`
    : `targets missed:\n  ${misses.join('\n  ')}`);
  for (const r of results) for (const [n, e] of Object.entries(r.errors)) console.log(`${n} on ${r.file}: ${e}`);

  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2) + '\n');
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '9' },
      model: { type: 'boolean' },
      validators: { type: 'string' },
      spread: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      json: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
    process.exit(0);
  }
  runValidateBench({
    only: values.only?.split(','),
    runs: Number(values.runs),
    model: values.model,
    validators: values.validators?.split(','),
    spread: values.spread,
    json: values.json,
  }).catch((e) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
  });
}
