// One fuzz case from index to verdict, as a worker runs it: make the input, publish it
// (see worker.ts), check it, tally the result, and for a failure: confirm it, minimize
// it and write it to the run's output directory.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Corpus, makeCase } from './cases.ts';
import { minimize } from './minimize.ts';
import { checkCase, randomSubset, signature, type CaseResult, type CheckOptions } from './oracle.ts';
import { Rng } from './rng.ts';

/** What the driver gives each worker. */
export interface WorkerInit {
  readonly seed: number;
  /** Load the spec suite's modules as seeds. */
  readonly spec: boolean;
  /** Where failing inputs go (created on the first one). */
  readonly outDir: string;
  /** A case whose own time exceeds this (twice) is a hang. */
  readonly slowMs: number;
  /** Shared memory: HEARTBEAT.words Int32 words, then the current input's bytes. */
  readonly heartbeat: SharedArrayBuffer;
  /** Date.now() of the driver's start; heartbeat times are relative to it. */
  readonly epoch: number;
  /** For the tests of the watchdog: a case index at which the worker loops forever. */
  readonly hangAt?: number;
}

/** Layout of the heartbeat words. */
export const HEARTBEAT = { words: 4, index: 0, start: 1, length: 2 } as const;

export interface Stats {
  cases: number;
  agreed: number;
  disagreed: number;
  explained: number;
  crashes: number;
  hangs: number;
  /** Failed internal checks: round trips, streaming and fast paths, feature subsets. */
  checkFailures: number;
  oursAccepted: number;
  v8Accepted: number;
  binary: number;
  text: number;
  streaming: number;
  fast: number;
  features: number;
  /** Total and largest time spent in our code, and the case that took longest. */
  ourMs: number;
  maxMs: number;
  maxIndex: number;
}

export function emptyStats(): Stats {
  return {
    cases: 0, agreed: 0, disagreed: 0, explained: 0, crashes: 0, hangs: 0, checkFailures: 0,
    oursAccepted: 0, v8Accepted: 0, binary: 0, text: 0, streaming: 0, fast: 0, features: 0, ourMs: 0, maxMs: 0, maxIndex: -1,
  };
}

export function addStats(into: Stats, s: Stats): void {
  for (const k of Object.keys(s) as (keyof Stats)[]) {
    if (k === 'maxMs' || k === 'maxIndex') continue;
    into[k] += s[k];
  }
  if (s.maxMs > into.maxMs) {
    into.maxMs = s.maxMs;
    into.maxIndex = s.maxIndex;
  }
}

export type FailureKind = 'crash' | 'disagreement' | 'hang' | 'roundtrip' | 'streaming' | 'fast' | 'features';

export interface Failure {
  readonly index: number;
  readonly kind: FailureKind;
  readonly message: string;
  readonly origin: string;
  /** Files written: the input, its minimized form, a description. */
  readonly files: readonly string[];
}

export interface BatchResult {
  readonly from: number;
  readonly to: number;
  readonly stats: Stats;
  readonly explainedBy: Record<string, number>;
  readonly failures: Failure[];
}

/** The options a case's checks run with (part of the case: replayable). */
export function caseOptions(seed: number, index: number): CheckOptions {
  const r = new Rng(seed ^ 0x5bd1e995, index);
  return { subset: r.chance(0.25) ? randomSubset(r) : null, folded: r.chance(0.5) };
}

/** Writes a failing input (and its minimized form and description) to `outDir`. */
export function saveFailure(outDir: string, seed: number, index: number, kind: string, bytes: Uint8Array, min: Uint8Array | null, text: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `case-${seed}-${index}-${kind}`);
  const files = [`${base}.wasm`, `${base}.txt`];
  writeFileSync(files[0]!, bytes);
  if (min !== null) {
    files.push(`${base}.min.wasm`);
    writeFileSync(files[2]!, min);
  }
  writeFileSync(files[1]!, `${text}\nreplay: npm run fuzz -- --seed ${seed} --only ${index}\n`);
  return files;
}

function kindOf(r: CaseResult): FailureKind {
  return r.problems[0]!.kind;
}

/** How a case tells the driver where it is (see worker.ts). */
export interface CaseHooks {
  /** Called with the case's input before it is checked. */
  publish(bytes: Uint8Array): void;
  /** Called during long work that is not the case itself (minimizing): not a hang. */
  alive(): void;
}

/** Runs case `index`, adding its outcome to `out`. */
export function runCase(init: WorkerInit, corpus: Corpus, index: number, out: BatchResult, hooks: CaseHooks): void {
  const s = out.stats;
  s.cases++;
  let c;
  try {
    c = makeCase(init.seed, index, corpus);
  } catch (e) {
    s.crashes++;
    out.failures.push({ index, kind: 'crash', message: `making the case failed: ${e instanceof Error ? e.stack : String(e)}`, origin: '?', files: [] });
    return;
  }
  hooks.publish(c.bytes);
  const options = caseOptions(init.seed, index);
  Error.stackTraceLimit = 0; // our errors come by the thousand; a crash is re-run with stacks
  let r: CaseResult;
  try {
    r = checkCase(c.bytes, options);
  } catch (first) {
    // A bug of the oracle itself: once more with stack traces, for the report.
    Error.stackTraceLimit = 20;
    let e = first;
    try {
      checkCase(c.bytes, options);
    } catch (again) {
      e = again;
    }
    s.crashes++;
    out.failures.push({ index, kind: 'crash', message: `the oracle failed: ${e instanceof Error ? e.stack : String(e)}`, origin: c.origin, files: [] });
    return;
  }
  s.ourMs += r.ourMs;
  if (r.ourMs > s.maxMs) {
    s.maxMs = r.ourMs;
    s.maxIndex = index;
  }
  if (r.ours) s.oursAccepted++;
  if (r.v8) s.v8Accepted++;
  if (r.checked.binary) s.binary++;
  if (r.checked.text) s.text++;
  if (r.checked.streaming) s.streaming++;
  if (r.checked.fast) s.fast++;
  if (r.checked.features) s.features++;
  if (r.ours === r.v8) s.agreed++;
  else {
    s.disagreed++;
    if (r.explainedBy !== null) {
      s.explained++;
      out.explainedBy[r.explainedBy] = (out.explainedBy[r.explainedBy] ?? 0) + 1;
    }
  }

  const problems = [...r.problems];
  if (c.crash !== null) problems.unshift({ kind: 'crash', message: c.crash });
  let slow = false;
  if (r.ourMs > init.slowMs) {
    // Confirm: a single slow run may be the machine, not the input.
    const again = checkCase(c.bytes, options);
    slow = again.ourMs > init.slowMs;
  }
  if (problems.length === 0 && !slow) return;

  const kind: FailureKind = problems.length > 0 ? kindOf({ ...r, problems }) : 'hang';
  if (kind === 'crash') s.crashes++;
  else if (kind === 'hang') s.hangs++;
  else if (kind !== 'disagreement') s.checkFailures++;
  if (slow && kind !== 'hang') s.hangs++;

  // Details: a crash again with stack traces; the input minimized while it fails alike.
  let message = problems.length > 0 ? problems.map((p) => `${p.kind}: ${p.message}`).join('\n') : '';
  if (slow) message += `${message === '' ? '' : '\n'}hang: our part took ${r.ourMs.toFixed(0)} ms of CPU time (over ${init.slowMs} ms twice)`;
  let stack = '';
  if (kind === 'crash') {
    Error.stackTraceLimit = 20;
    stack = captureStack(c.bytes, options);
  }
  let min: Uint8Array | null = null;
  const sig = signature({ ...r, problems });
  if (sig !== null && c.crash === null && kind !== 'hang') {
    Error.stackTraceLimit = 0;
    min = minimize(c.bytes, (b) => {
      hooks.alive();
      try {
        return signature(checkCase(b, options)) === sig;
      } catch {
        return false;
      }
    });
  }
  Error.stackTraceLimit = 10;
  const text = [
    `case ${index} of seed ${init.seed}: ${kind}`,
    `origin: ${c.origin}`,
    message,
    `ours: ${r.ours ? 'valid' : `invalid (${r.reason})`}; V8: ${r.v8 ? 'valid' : 'invalid'}${r.v8Message ? ` (${r.v8Message})` : ''}`,
    `our time: ${r.ourMs.toFixed(1)} ms (CPU); input ${c.bytes.length} bytes${min ? `, minimized to ${min.length} bytes` : ''}`,
    stack,
  ].join('\n');
  let files: string[] = [];
  try {
    files = saveFailure(init.outDir, init.seed, index, kind, c.bytes, min, text);
  } catch (e) {
    message += `\n(could not save: ${String(e)})`;
  }
  out.failures.push({ index, kind, message, origin: c.origin, files });
}

/** The stack of the error that escaped on `bytes` (the checks re-run with stack traces). */
function captureStack(bytes: Uint8Array, options: CheckOptions): string {
  const r = checkCase(bytes, options);
  return r.problems.find((p) => p.stack !== undefined)?.stack ?? '';
}
