// One measurement in its own process, so that a pathological peer can be killed and a
// peer's heap growth does not disturb the next one. Driven by bench/run.ts over IPC:
// receives a Job, sends one Report per run, then `done` (or `error`).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadParser, type ParserName } from './peers.ts';

export interface Job {
  readonly parser: ParserName;
  readonly path: string;
  /** Measured runs after one warm-up run. */
  readonly runs: number;
  /** Stop early (after at least one measured run) once this much time is spent. */
  readonly budgetMs: number;
}

export type Report =
  | { readonly kind: 'loaded'; readonly ms: number }
  | { readonly kind: 'run'; readonly warmup: boolean; readonly ms: number; readonly outBytes: number; readonly valid: boolean }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'done' };

// The lib setting has no WebAssembly types; only validate() is needed here.
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function send(report: Report): Promise<void> {
  return new Promise((resolve) => process.send!(report, () => resolve()));
}

async function main(job: Job): Promise<void> {
  const t0 = performance.now();
  let parse;
  try {
    parse = await loadParser(job.parser);
  } catch (e) {
    await send({ kind: 'error', message: (e as Error).message });
    return;
  }
  await send({ kind: 'loaded', ms: performance.now() - t0 });
  const text = readFileSync(job.path, 'utf8');
  const file = basename(job.path);
  const started = performance.now();
  for (let i = 0; i <= job.runs; i++) {
    gc();
    const s = performance.now();
    let out: Uint8Array;
    try {
      out = await parse(text, file);
    } catch (e) {
      await send({ kind: 'error', message: String((e as Error)?.message ?? e).split('\n')[0]! });
      return;
    }
    const ms = performance.now() - s;
    // Only the warm-up's output is checked: validation is not part of the measurement.
    const valid = i === 0 ? wasm.validate(out) : true;
    await send({ kind: 'run', warmup: i === 0, ms, outBytes: out.length, valid });
    if (i >= 1 && performance.now() - started > job.budgetMs) break;
  }
  await send({ kind: 'done' });
}

process.once('message', (job: Job) => {
  main(job).then(
    () => process.disconnect(),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
});
