// The fuzz driver: hands out batches of case indices to worker threads, watches each
// worker's heartbeat, kills a worker stuck on one case (a hang) or lost to a crash (out
// of memory, a fatal error) and replaces it, and adds up the results.

import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MAX_INPUT } from './mutate.ts';
import { addStats, emptyStats, HEARTBEAT, type BatchResult, type Failure, type Stats, type WorkerInit } from './run-case.ts';

export interface FuzzOptions {
  readonly seed: number;
  /** Number of cases (indices first … first + cases - 1). */
  readonly cases: number;
  /** First case index (default 0). */
  readonly first?: number;
  /** Stop handing out cases after this many seconds (default: no limit). */
  readonly timeSec?: number;
  /** Worker threads (default 1). */
  readonly workers?: number;
  /** Use the spec suite's modules as seeds (default true). */
  readonly spec?: boolean;
  /** A case whose own time exceeds this twice is a hang (default 1000 ms). */
  readonly slowMs?: number;
  /** A worker stuck on one case this long is killed (default 10000 ms). */
  readonly killMs?: number;
  /** Cases per batch (default 250). */
  readonly batch?: number;
  /** Where failing inputs go (default: a new directory under the OS temp dir). */
  readonly outDir?: string;
  /** Heap limit of each worker in MB (default 1024). */
  readonly heapMb?: number;
  /** For the tests of the watchdog: a case at which the worker loops forever. */
  readonly hangAt?: number;
  /** Called after every batch. */
  readonly onProgress?: (s: Summary) => void;
}

export interface Summary {
  readonly seed: number;
  readonly stats: Stats;
  readonly explainedBy: Record<string, number>;
  readonly failures: Failure[];
  readonly outDir: string;
  readonly elapsedMs: number;
  /** Cases not run because the time ran out. */
  readonly skipped: number;
}

/** `N cases: N agreed, N disagreed (N explained), N crashes, N hangs` */
export function summaryLine(s: Stats): string {
  return `${s.cases} cases: ${s.agreed} agreed, ${s.disagreed} disagreed (${s.explained} explained), ${s.crashes} crashes, ${s.hangs} hangs`;
}

/** Whether a run found anything that is not explained. */
export function failed(s: Stats): boolean {
  return s.disagreed > s.explained || s.crashes > 0 || s.hangs > 0 || s.checkFailures > 0;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);

export async function runFuzz(options: FuzzOptions): Promise<Summary> {
  const seed = options.seed >>> 0;
  const first = options.first ?? 0;
  const end = first + options.cases;
  const nWorkers = Math.max(1, options.workers ?? 1);
  const batch = Math.max(1, options.batch ?? 250);
  const slowMs = options.slowMs ?? 1000;
  const killMs = options.killMs ?? 10000;
  const outDir = options.outDir ?? join(tmpdir(), `nanoprocess-fuzz-${seed}-${process.pid}`);
  const epoch = Date.now();
  const deadline = options.timeSec === undefined ? Infinity : epoch + options.timeSec * 1000;
  const stats = emptyStats();
  const explainedBy: Record<string, number> = {};
  const failures: Failure[] = [];
  let next = first;
  let skipped = 0;
  // Batches handed back by a lost worker run before new ones.
  const pending: { from: number; to: number }[] = [];
  // Workers lost in a row before running a case.
  let strikes = 0;

  const summary = (): Summary => ({ seed, stats, explainedBy, failures, outDir, elapsedMs: Date.now() - epoch, skipped });

  const take = (): { from: number; to: number } | null => {
    const back = pending.shift();
    if (back !== undefined) return back;
    if (next >= end) return null;
    if (Date.now() > deadline) {
      skipped += end - next;
      next = end;
      return null;
    }
    const from = next;
    next = Math.min(end, next + batch);
    return { from, to: next };
  };

  const lane = (): Promise<void> =>
    new Promise<void>((done) => {
      const heartbeat = new SharedArrayBuffer(HEARTBEAT.words * 4 + MAX_INPUT);
      const beat = new Int32Array(heartbeat, 0, HEARTBEAT.words);
      Atomics.store(beat, HEARTBEAT.start, -1);
      const init: WorkerInit = {
        seed,
        spec: options.spec !== false,
        outDir,
        slowMs,
        heartbeat,
        epoch,
        ...(options.hangAt === undefined ? {} : { hangAt: options.hangAt }),
      };
      const heapMb = options.heapMb ?? 1024;
      const w = new Worker(WORKER_URL, { workerData: init, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
      let current: { from: number; to: number } | null = null;
      let finished = false;

      const feed = (): void => {
        current = take();
        if (current === null) {
          finished = true;
          clearInterval(watch);
          void w.terminate().then(() => done());
          return;
        }
        w.postMessage(current);
      };

      // A worker lost in the middle of a batch: the case it was on is a hang or a crash;
      // a new worker takes the rest of the batch.
      const lose = (kind: 'hang' | 'crash', why: string): void => {
        if (finished) return;
        finished = true;
        clearInterval(watch);
        w.removeAllListeners();
        void w.terminate();
        const index = Atomics.load(beat, HEARTBEAT.index);
        const started = Atomics.load(beat, HEARTBEAT.start) >= 0;
        const batchNow = current;
        if (batchNow !== null && started) {
          const length = Atomics.load(beat, HEARTBEAT.length);
          const bytes = new Uint8Array(heartbeat, HEARTBEAT.words * 4, length).slice();
          const files = saveLost(outDir, seed, index, kind, bytes, why);
          stats.cases++;
          if (kind === 'hang') stats.hangs++;
          else stats.crashes++;
          failures.push({ index, kind, message: why, origin: '(see the case: --only)', files });
          // The rest of the batch goes back in line, ahead of new batches, and so do the
          // cases before this one: their results died with the worker (cases are
          // deterministic, so running them again gives the same results).
          if (batchNow.from < index) pending.push({ from: batchNow.from, to: index });
          if (index + 1 < batchNow.to) pending.push({ from: index + 1, to: batchNow.to });
        } else {
          // Lost before its first case (the worker could not start): try again, a few
          // times, then give up this lane.
          if (++strikes >= 3) {
            stats.crashes++;
            failures.push({ index: batchNow?.from ?? -1, kind: 'crash', message: `worker cannot start: ${why}`, origin: '-', files: [] });
            if (batchNow !== null) skipped += batchNow.to - batchNow.from;
            done();
            return;
          }
          if (batchNow !== null) pending.push(batchNow);
        }
        void lane().then(done);
      };

      const watch = setInterval(() => {
        const start = Atomics.load(beat, HEARTBEAT.start);
        if (start >= 0 && Date.now() - epoch - start > killMs) lose('hang', `no result after ${killMs} ms: killed`);
      }, 100);

      w.on('message', (msg: BatchResult | { ready: number }) => {
        if ('ready' in msg) {
          feed();
          return;
        }
        strikes = 0;
        addStats(stats, msg.stats);
        for (const [k, v] of Object.entries(msg.explainedBy)) explainedBy[k] = (explainedBy[k] ?? 0) + v;
        failures.push(...msg.failures);
        options.onProgress?.(summary());
        feed();
      });
      w.on('error', (e) => lose('crash', `worker died: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      w.on('exit', (code) => {
        if (!finished) lose('crash', `worker exited with code ${code}`);
      });
    });

  const lanes: Promise<void>[] = [];
  for (let i = 0; i < nWorkers; i++) lanes.push(lane());
  await Promise.all(lanes);
  // Left over only when every lane gave up (workers that cannot start).
  for (const b of pending.splice(0)) skipped += b.to - b.from;
  skipped += end - next;
  next = end;
  return summary();
}

/** Saves the input of a case whose worker was lost (hang or crash). */
function saveLost(outDir: string, seed: number, index: number, kind: string, bytes: Uint8Array, why: string): string[] {
  try {
    mkdirSync(outDir, { recursive: true });
    const base = join(outDir, `case-${seed}-${index}-${kind}`);
    writeFileSync(`${base}.wasm`, bytes);
    writeFileSync(`${base}.txt`, `case ${index} of seed ${seed}: ${kind}\n${why}\nreplay: npm run fuzz -- --seed ${seed} --only ${index}\n`);
    return [`${base}.wasm`, `${base}.txt`];
  } catch {
    return [];
  }
}
