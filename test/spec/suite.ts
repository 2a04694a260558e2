// The spec suite run shared by the spec test and the baseline updater: finds the suite,
// runs every script (in worker threads, one per core), and compares with the baseline.

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScriptResult } from '../../src/wast/index.ts';
import { collectWastFiles } from '../../src/wast/files.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const suiteDir = resolve(repoRoot, '..', 'shared', 'spec-testsuite');
export const baselinePath = join(repoRoot, 'test', 'spec', 'baseline.json');

export interface FileBaseline {
  passed: number;
  failed: number;
  skipped: number;
  /** `file:line:kind` of every failing command (a line may repeat). */
  failing: string[];
}

export interface Baseline {
  /** Where the suite lives, relative to the repository root. */
  suite: string;
  files: Record<string, FileBaseline>;
}

export function suiteExists(): boolean {
  return existsSync(suiteDir);
}

/** The suite's scripts: core at the top, then legacy/ and custom/ (directories in name order). */
export function suiteFiles(): string[] {
  return collectWastFiles([suiteDir]);
}

/**
 * Runs the given suite files (default: all) in `threads` workers; results come back
 * keyed by the file's path relative to the suite, in the order of `files`.
 */
export async function runSuite(
  files: readonly string[] = suiteFiles(),
  threads = Math.max(1, Math.min(availableParallelism(), files.length)),
): Promise<Map<string, ScriptResult>> {
  const queue = [...files].sort((a, b) => weight(b) - weight(a)); // longest first
  const results = new Map<string, ScriptResult>();
  const worker = new URL('./worker.ts', import.meta.url);
  // Each lane runs one worker at a time. A worker that dies (a crash of V8 or of the
  // runner) or runs one file for more than FILE_TIMEOUT_MS (a guest that hangs) costs
  // that file one failure, and the lane goes on with a new worker.
  const lane = (): Promise<void> =>
    new Promise<void>((done) => {
      const w = new Worker(worker, { workerData: { suiteDir } });
      let current: string | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const replace = (why: string) => {
        clearTimeout(timer);
        w.removeAllListeners();
        if (current !== undefined) results.set(relativeName(current), crashed(relativeName(current), why));
        void w.terminate();
        void lane().then(done);
      };
      const feed = () => {
        clearTimeout(timer);
        current = queue.shift();
        if (current === undefined) {
          void w.terminate().then(() => done());
          return;
        }
        timer = setTimeout(() => replace(`no result after ${FILE_TIMEOUT_MS / 1000} s`), FILE_TIMEOUT_MS);
        w.postMessage(current);
      };
      w.on('message', (r: ScriptResult) => {
        results.set(r.file, r);
        feed();
      });
      w.on('error', (e) => replace(`worker crashed: ${e instanceof Error ? e.message : String(e)}`));
      w.on('exit', (code) => {
        if (current !== undefined) replace(`worker exited with code ${code}`);
      });
      feed();
    });
  await Promise.all(Array.from({ length: threads }, lane));
  const ordered = new Map<string, ScriptResult>();
  for (const f of files) {
    const name = relativeName(f);
    const r = results.get(name);
    if (r !== undefined) ordered.set(name, r);
  }
  return ordered;
}

/** Longest time one script may take before its worker is replaced. */
const FILE_TIMEOUT_MS = 60_000;

function crashed(name: string, reason: string): ScriptResult {
  const result = { id: `${name}:1:script`, file: name, line: 1, column: 1, kind: 'script', status: 'failed', reason } as const;
  return { file: name, results: [result], passed: 0, failed: 1, skipped: 0 };
}

function weight(file: string): number {
  try {
    return readFileSync(file).length;
  } catch {
    return 0;
  }
}

export function relativeName(file: string): string {
  return file.slice(suiteDir.length + 1).split('\\').join('/');
}

export function toBaseline(results: Map<string, ScriptResult>): Baseline {
  const files: Record<string, FileBaseline> = {};
  for (const [name, r] of results) {
    files[name] = {
      passed: r.passed,
      failed: r.failed,
      skipped: r.skipped,
      failing: r.results.filter((x) => x.status === 'failed').map((x) => x.id),
    };
  }
  return { suite: '../shared/spec-testsuite', files };
}

export function readBaseline(): Baseline | null {
  if (!existsSync(baselinePath)) return null;
  return JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
}

function counts(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

/**
 * Differences of one file's run against its baseline: commands that fail now but did not
 * (with their reasons), commands recorded as failing that no longer fail, and fewer
 * passes than recorded (a pass that became a skip).
 */
export function compareFile(result: ScriptResult, base: FileBaseline | undefined): string[] {
  const problems: string[] = [];
  if (base === undefined) problems.push('not in the baseline (run node test/spec/update-baseline.ts)');
  const before = counts(base?.failing ?? []);
  const now = counts(result.results.filter((x) => x.status === 'failed').map((x) => x.id));
  for (const r of result.results) {
    if (r.status !== 'failed') continue;
    const left = before.get(r.id) ?? 0;
    if (left > 0) before.set(r.id, left - 1);
    else problems.push(`newly failing: ${r.id}: ${r.reason ?? ''}`);
  }
  for (const [id, n] of counts(base?.failing ?? [])) {
    const extra = n - (now.get(id) ?? 0);
    if (extra > 0) problems.push(`now passing (update the baseline): ${id}${extra > 1 ? ` ×${extra}` : ''}`);
  }
  if (base !== undefined && result.passed < base.passed) {
    problems.push(`passed ${result.passed}, baseline ${base.passed}`);
  }
  return problems;
}

export function stableJson(baseline: Baseline): string {
  const lines = ['{', `  "suite": ${JSON.stringify(baseline.suite)},`, '  "files": {'];
  const names = Object.keys(baseline.files);
  names.forEach((name, i) => {
    const f = baseline.files[name]!;
    const failing = f.failing.length === 0 ? '[]' : `[\n${f.failing.map((id) => `        ${JSON.stringify(id)}`).join(',\n')}\n      ]`;
    lines.push(
      `    ${JSON.stringify(name)}: {`,
      `      "passed": ${f.passed}, "failed": ${f.failed}, "skipped": ${f.skipped},`,
      `      "failing": ${failing}`,
      `    }${i + 1 < names.length ? ',' : ''}`,
    );
  });
  lines.push('  }', '}', '');
  return lines.join('\n');
}
