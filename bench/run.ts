// `npm run bench`: WAT text → binary throughput, ours against wasm-tools, wabt and binaryen,
// side by side in one run, on real-world modules printed to text (see corpus.ts).
//
// Every (file, parser) pair runs in a child process (child.ts): one warm-up run, then up
// to --runs measured runs within a time budget. The whole sweep is repeated --rounds
// times, round-robin (every file and parser once per round, the parsers' order rotating),
// so that changes in the machine's load fall on all parsers alike; the median of a pair's
// measured runs from all rounds is reported in MB of text (10^6 bytes, UTF-8) per second.
// A run that exceeds --timeout is killed and shown as "> N s" (and that pair is not run
// again), so a pathological peer cannot stall the benchmark.
//
// Options: --only NAME[,NAME…]  --parsers ours,wasm-tools,wabt,binaryen  --runs N (5)
//          --rounds N (3)  --timeout SECONDS (60)  --budget SECONDS (20)  --json FILE

import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Job, Report } from './child.ts';
import { CORPUS, prepare, type PreparedInput } from './corpus.ts';
import { DESCRIPTIONS, PARSERS, type ParserName } from './peers.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Throughput targets from the issue: ours / peer must reach at least this. */
const TARGETS: Readonly<Record<Exclude<ParserName, 'ours'>, number>> = {
  'wasm-tools': 2,
  wabt: 1,
  binaryen: 5,
};

type Outcome =
  | { readonly kind: 'ok'; readonly medianMs: number; readonly runs: readonly number[]; readonly outBytes: number; readonly valid: boolean }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'error'; readonly message: string };

interface Measurement {
  readonly input: PreparedInput;
  readonly parser: ParserName;
  outcome: Outcome;
  /** Median of each round's runs (ms), for the report. */
  readonly roundMedians: number[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function measure(parser: ParserName, input: PreparedInput, opts: { runs: number; timeoutMs: number; budgetMs: number }): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = fork(join(here, 'child.ts'), [], {
      execArgv: ['--expose-gc', '--max-old-space-size=8192'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const runs: number[] = [];
    let outBytes = 0;
    let valid = true;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(o);
    };
    // The timeout applies to each run on its own (loading the parser is not a run).
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish(runs.length > 0 ? ok() : { kind: 'timeout', seconds: opts.timeoutMs / 1000 });
      }, opts.timeoutMs);
    };
    const ok = (): Outcome => ({ kind: 'ok', medianMs: median(runs), runs, outBytes, valid });
    child.on('message', (r: Report) => {
      switch (r.kind) {
        case 'loaded':
          arm();
          break;
        case 'run':
          if (r.warmup) {
            outBytes = r.outBytes;
            valid = r.valid;
          } else runs.push(r.ms);
          arm();
          break;
        case 'error':
          finish({ kind: 'error', message: r.message });
          break;
        case 'done':
          finish(ok());
          break;
      }
    });
    child.on('exit', (code, signal) => {
      if (!settled) finish({ kind: 'error', message: `child exited (${signal ?? code}) ${stderr.trim().split('\n').pop() ?? ''}`.trim() });
    });
    const job: Job = { parser, path: input.path, runs: opts.runs, budgetMs: opts.budgetMs };
    child.send(job);
    arm();
  });
}

const mb = (bytes: number) => bytes / 1e6;

function throughput(m: Measurement): number | null {
  return m.outcome.kind === 'ok' ? mb(m.input.textBytes) / (m.outcome.medianMs / 1000) : null;
}

function cell(m: Measurement | undefined): string {
  if (!m) return '';
  const o = m.outcome;
  if (o.kind === 'timeout') return `> ${o.seconds} s`;
  if (o.kind === 'error') return 'error';
  return `${throughput(m)!.toFixed(1)}${o.valid ? '' : ' (invalid output)'}`;
}

/** ours / peer, or a lower bound when the peer timed out. */
function ratio(ours: Measurement | undefined, peer: Measurement | undefined): { text: string; value: number | null } {
  if (!ours || !peer) return { text: '', value: null };
  const a = throughput(ours);
  if (a === null) return { text: '—', value: null };
  if (peer.outcome.kind === 'timeout') {
    const bound = a / (mb(peer.input.textBytes) / peer.outcome.seconds);
    return { text: `> ${bound.toFixed(1)}×`, value: bound };
  }
  const b = throughput(peer);
  if (b === null) return { text: '—', value: null };
  return { text: `${(a / b).toFixed(2)}×`, value: a / b };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ')).join('\n');
}

function version(pkg: string): string {
  const json = JSON.parse(readFileSync(join(here, '..', 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')) as { version: string };
  return json.version;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      parsers: { type: 'string' },
      runs: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      timeout: { type: 'string', default: '60' },
      budget: { type: 'string', default: '20' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
    return;
  }
  const only = values.only?.split(',');
  const entries = only ? CORPUS.filter((e) => only.includes(e.name)) : CORPUS;
  if (entries.length === 0) throw new Error(`--only matches none of: ${CORPUS.map((e) => e.name).join(', ')}`);
  const parsers = values.parsers ? (values.parsers.split(',') as ParserName[]) : PARSERS;
  for (const p of parsers) if (!PARSERS.includes(p)) throw new Error(`unknown parser ${p}; known: ${PARSERS.join(', ')}`);
  const opts = { runs: Number(values.runs), timeoutMs: Number(values.timeout) * 1000, budgetMs: Number(values.budget) * 1000 };
  const rounds = Math.max(1, Number(values.rounds));

  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores)`);
  console.log(`wabt ${version('wabt')}, binaryen ${version('binaryen')}, @bytecodealliance/jco-transpile ${version('@bytecodealliance/jco-transpile')}`);
  for (const p of parsers) console.log(`  ${p}: ${DESCRIPTIONS[p]}`);
  console.log(
    `${rounds} round(s), round-robin; per pair and round a fresh process, one warm-up run, then up to ${opts.runs} measured runs ` +
      `(budget ${values.budget} s, timeout ${values.timeout} s per run); median of all measured runs; MB/s of text, MB = 10^6 bytes\n`,
  );

  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at start: ${load()} (other work on the machine makes the numbers noisy)`);
  console.log('printing inputs to bench/.cache/ (first run only)…');
  const inputs = await prepare(entries);
  for (const i of inputs) {
    console.log(`  ${i.entry.name}: ${i.entry.pkg}@${i.version} ${i.entry.file} (${i.entry.origin}), ${(i.wasmBytes / 1e3).toFixed(0)} kB wasm → ${mb(i.textBytes).toFixed(2)} MB text (${i.entry.printer} printer)`);
  }
  console.log('');

  const results: Measurement[] = [];
  for (const input of inputs) {
    for (const parser of parsers) results.push({ input, parser, outcome: { kind: 'ok', medianMs: 0, runs: [], outBytes: 0, valid: true }, roundMedians: [] });
  }
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`round ${round} of ${rounds} (load average ${load()})`);
    for (const input of inputs) {
      // Rotate the order of the parsers from round to round.
      const order = parsers.map((_, i) => parsers[(i + round - 1) % parsers.length]!);
      for (const parser of order) {
        const m = results.find((r) => r.input === input && r.parser === parser)!;
        if (m.outcome.kind !== 'ok') continue; // timed out or failed before: not run again
        const outcome = await measure(parser, input, opts);
        if (outcome.kind === 'ok') {
          const runs = [...m.outcome.runs, ...outcome.runs];
          m.outcome = { kind: 'ok', medianMs: median(runs), runs, outBytes: outcome.outBytes, valid: m.outcome.valid && outcome.valid };
          m.roundMedians.push(outcome.medianMs);
        } else if (m.outcome.runs.length === 0) {
          m.outcome = outcome;
        }
        const detail =
          outcome.kind === 'ok'
            ? `${(mb(input.textBytes) / (outcome.medianMs / 1000)).toFixed(1)} MB/s (median ${outcome.medianMs.toFixed(0)} ms of ${outcome.runs.length}; ${(outcome.outBytes / 1e3).toFixed(0)} kB out${outcome.valid ? '' : ', OUTPUT INVALID'})`
            : outcome.kind === 'timeout'
              ? `> ${outcome.seconds} s (killed)`
              : `error: ${outcome.message}`;
        console.log(`  ${input.entry.name.padEnd(14)} ${parser.padEnd(10)} ${detail}`);
      }
    }
  }

  const peers = parsers.filter((p): p is Exclude<ParserName, 'ours'> => p !== 'ours');
  const hasOurs = parsers.includes('ours');
  const header = ['file', 'text MB', ...parsers.map((p) => `${p} MB/s`), ...(hasOurs ? peers.map((p) => `ours/${p}`) : [])];
  const rows: string[][] = [header];
  const misses: string[] = [];
  const peerFailures: string[] = [];
  for (const input of inputs) {
    const get = (p: ParserName) => results.find((r) => r.input === input && r.parser === p);
    const ratios = hasOurs ? peers.map((p) => ({ p, r: ratio(get('ours'), get(p)) })) : [];
    for (const { p, r } of ratios) {
      const peer = get(p)!.outcome;
      if (peer.kind === 'error' && get('ours')!.outcome.kind === 'ok') {
        // No ratio to compare with: the peer cannot parse this file at all.
        peerFailures.push(`${input.entry.name}: ${p} fails (${peer.message})`);
      } else if (r.value === null || r.value < TARGETS[p]) {
        misses.push(`${input.entry.name}: ours/${p} ${r.text || 'n/a'} (target ≥ ${TARGETS[p]}×)`);
      }
    }
    rows.push([input.entry.name, mb(input.textBytes).toFixed(2), ...parsers.map((p) => cell(get(p))), ...ratios.map(({ r }) => r.text)]);
  }
  console.log('\n' + table(rows) + '\n');
  console.log(`load average at end: ${load()}`);
  if (hasOurs) {
    console.log(
      misses.length === 0
        ? `targets met on every file${peerFailures.length > 0 ? ' that the peers can parse' : ''} (≥ 2× wasm-tools, ≥ 1× wabt, ≥ 5× binaryen)`
        : `targets missed:\n  ${misses.join('\n  ')}`,
    );
    if (peerFailures.length > 0) console.log(`no ratio (the peer fails):\n  ${peerFailures.join('\n  ')}`);
  }
  for (const r of results) if (r.outcome.kind === 'error' && r.parser === 'ours') console.log(`ours on ${r.input.entry.name}: ${r.outcome.message}`);

  if (values.json) {
    const json = results.map((r) => ({
      file: r.input.entry.name,
      textBytes: r.input.textBytes,
      parser: r.parser,
      outcome: r.outcome,
      roundMedians: r.roundMedians,
      mbPerSecond: throughput(r),
    }));
    writeFileSync(values.json, JSON.stringify(json, null, 2) + '\n');
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
