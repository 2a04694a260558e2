// Runs the official WASI testsuite (WebAssembly/wasi-testsuite, its test specification
// in doc/specification.md) against `nanoprocess run`, or against Node.js's built-in
// node:wasi for reference: every wasm32-wasip1 test of a local checkout, each with its
// .json (args, env, root directory, expected stdout prefix and exit code).
//
//   npm run wasi-testsuite -- [--json] [--runtime nanoprocess|node-wasi] [--filter TEXT]
//                             [--timeout SECONDS] [DIR]
//
// DIR is a checkout holding the prebuilt tests (the testsuite's prod/testsuite-base
// branch has them under tests/*/testsuite/wasm32-wasip1/); default: $WASI_TESTSUITE,
// else ../wasi-testsuite beside this repository. Prints one line per test and a final
// "N passed, N failed, N skipped"; exits 1 if any test failed.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const bin = join(repo, 'bin', 'nanoprocess.js');

type Runtime = 'nanoprocess' | 'node-wasi';

interface Options {
  readonly dir: string;
  readonly json: boolean;
  readonly runtime: Runtime;
  readonly filter: string | null;
  readonly timeoutSeconds: number;
}

/** One step of a test (the specification's operation-based form). */
type Operation =
  | { readonly type: 'run'; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly root: string | null }
  | { readonly type: 'read'; readonly id: 'stdout' | 'stderr'; readonly payload: string }
  | { readonly type: 'write'; readonly id: 'stdin'; readonly payload: string }
  | { readonly type: 'wait'; readonly exitCode: number };

interface TestCase {
  readonly suite: string;
  readonly name: string;
  readonly wasm: string;
  readonly operations: readonly Operation[];
  /** Why the test cannot run here (a proposal or operation nanoprocess does not offer). */
  readonly skip: string | null;
}

interface Outcome {
  readonly suite: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly reason?: string;
  readonly ms?: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  let dir: string | null = null;
  let json = false;
  let runtime: Runtime = 'nanoprocess';
  let filter: string | null = null;
  let timeoutSeconds = 60;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') json = true;
    else if (arg === '--runtime') {
      const v = value();
      if (v !== 'nanoprocess' && v !== 'node-wasi') throw new UsageError(`unknown runtime ${v} (nanoprocess or node-wasi)`);
      runtime = v;
    } else if (arg === '--filter') filter = value();
    else if (arg === '--timeout') {
      timeoutSeconds = Number(value());
      if (!(timeoutSeconds > 0)) throw new UsageError('--timeout needs a positive number of seconds');
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (dir === null) dir = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  dir ??= process.env.WASI_TESTSUITE ?? join(repo, '..', 'wasi-testsuite');
  return { dir: resolve(dir), json, runtime, filter, timeoutSeconds };
}

// ---- reading the tests ----

/** The suites: tests/<language>/testsuite/wasm32-wasip1/ folders with a manifest.json. */
function findSuites(dir: string): { name: string; path: string }[] {
  const tests = join(dir, 'tests');
  if (!existsSync(tests)) {
    throw new UsageError(
      `${dir} has no tests/ folder: pass a checkout of the wasi-testsuite's prod/testsuite-base branch (it holds the built tests)`,
    );
  }
  const suites: { name: string; path: string }[] = [];
  for (const language of readdirSync(tests).sort()) {
    const path = join(tests, language, 'testsuite', 'wasm32-wasip1');
    const manifest = join(path, 'manifest.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
    suites.push({ name: name ?? language, path });
  }
  if (suites.length === 0) throw new UsageError(`${dir} holds no built wasm32-wasip1 tests (tests/*/testsuite/wasm32-wasip1/manifest.json)`);
  return suites;
}

type Json = Record<string, unknown>;

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const asEnv = (v: unknown): Record<string, string> =>
  v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

/** A test's operations: the legacy form (args, env, root, stdout, stderr, exit_code) converted as the spec says. */
function readTest(suite: string, suitePath: string, wasmFile: string): TestCase {
  const name = wasmFile.slice(0, -'.wasm'.length);
  const wasm = join(suitePath, wasmFile);
  const specFile = join(suitePath, `${name}.json`);
  const spec: Json = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, 'utf8')) as Json) : {};
  const rootOf = (v: unknown): string | null => (typeof v === 'string' ? join(suitePath, v) : null);
  if (spec.operations === undefined) {
    const operations: Operation[] = [{ type: 'run', args: asStrings(spec.args), env: asEnv(spec.env), root: rootOf(spec.root) }];
    if (typeof spec.stdout === 'string') operations.push({ type: 'read', id: 'stdout', payload: spec.stdout });
    if (typeof spec.stderr === 'string') operations.push({ type: 'read', id: 'stderr', payload: spec.stderr });
    operations.push({ type: 'wait', exitCode: typeof spec.exit_code === 'number' ? spec.exit_code : 0 });
    return { suite, name, wasm, operations, skip: null };
  }
  const proposals = asStrings(spec.proposals);
  let skip: string | null = proposals.length > 0 ? `needs the ${proposals.join(', ')} proposal(s)` : null;
  const operations: Operation[] = [];
  for (const op of (Array.isArray(spec.operations) ? spec.operations : []) as Json[]) {
    switch (op.type) {
      case 'run':
        operations.push({ type: 'run', args: asStrings(op.args), env: asEnv(op.env), root: rootOf(op.root) });
        break;
      case 'read':
        operations.push({ type: 'read', id: op.id === 'stderr' ? 'stderr' : 'stdout', payload: String(op.payload ?? '') });
        break;
      case 'write':
        operations.push({ type: 'write', id: 'stdin', payload: String(op.payload ?? '') });
        break;
      case 'wait':
        operations.push({ type: 'wait', exitCode: typeof op.exit_code === 'number' ? op.exit_code : 0 });
        break;
      default:
        skip ??= `uses the ${String(op.type)} operation`;
    }
  }
  return { suite, name, wasm, operations, skip };
}

function readTests(options: Options): TestCase[] {
  const cases: TestCase[] = [];
  for (const suite of findSuites(options.dir)) {
    for (const file of readdirSync(suite.path).sort()) {
      if (!file.endsWith('.wasm')) continue;
      const test = readTest(suite.name, suite.path, file);
      if (options.filter !== null && !`${suite.name} ${test.name}`.includes(options.filter)) continue;
      cases.push(test);
    }
  }
  return cases;
}

// ---- running one test ----

/** Removes the artifacts (*.cleanup) a test may leave in its directory, as the spec asks before and after. */
function cleanup(root: string): void {
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name.endsWith('.cleanup') && !entry.isSymbolicLink()) rmSync(path, { recursive: true, force: true });
      else if (entry.isDirectory()) walk(path);
    }
  };
  if (existsSync(root) && statSync(root).isDirectory()) walk(root);
}

/** The command line that runs a test: `nanoprocess run` with Wasmtime's flags, or this script's node:wasi child mode. */
function commandFor(runtime: Runtime, test: TestCase, run: Extract<Operation, { type: 'run' }>): string[] {
  if (runtime === 'node-wasi') {
    const job = JSON.stringify({ wasm: test.wasm, args: run.args, env: run.env, root: run.root });
    return ['--no-warnings', fileURLToPath(import.meta.url), '--node-wasi-child', job];
  }
  const argv = [bin, 'run'];
  for (const [k, v] of Object.entries(run.env)) argv.push('--env', `${k}=${v}`);
  if (run.root !== null) argv.push('--dir', `${run.root}::/`);
  argv.push('--', test.wasm, ...run.args);
  return argv;
}

async function runTest(test: TestCase, options: Options): Promise<Outcome> {
  const base = { suite: test.suite, name: test.name };
  if (test.skip !== null) return { ...base, status: 'skipped', reason: test.skip };
  const started = performance.now();
  const failures: string[] = [];
  const roots = test.operations.flatMap((op) => (op.type === 'run' && op.root !== null ? [op.root] : []));
  roots.forEach(cleanup);
  let child: ReturnType<typeof spawn> | null = null;
  let stdout = '';
  let stderr = '';
  let read = { stdout: 0, stderr: 0 };
  let closed: Promise<number | null> = Promise.resolve(null);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    for (const op of test.operations) {
      if (op.type === 'run') {
        child = spawn(process.execPath, commandFor(options.runtime, test, op), { cwd: dirname(test.wasm), stdio: ['pipe', 'pipe', 'pipe'] });
        stdout = '';
        stderr = '';
        read = { stdout: 0, stderr: 0 };
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.stdin!.on('error', () => {});
        const c = child;
        closed = new Promise((r) => c.on('close', (code, signal) => r(code ?? (signal ? 128 + signalNumber(signal) : null))));
        timer = setTimeout(() => {
          timedOut = true;
          c.kill('SIGKILL');
        }, options.timeoutSeconds * 1000);
      } else if (op.type === 'write') {
        child?.stdin!.write(op.payload);
      } else if (op.type === 'read') {
        // Like the reference runner: the next payload.length characters of the stream must match.
        await Promise.race([closed, waitFor(() => (op.id === 'stdout' ? stdout : stderr).length >= read[op.id] + op.payload.length)]);
        const text = op.id === 'stdout' ? stdout : stderr;
        const got = text.slice(read[op.id], read[op.id] + op.payload.length);
        read[op.id] += op.payload.length;
        if (got !== op.payload) failures.push(`${op.id}: expected ${JSON.stringify(op.payload)}, got ${JSON.stringify(got)}`);
      } else {
        child?.stdin!.end();
        const code = await closed;
        clearTimeout(timer);
        if (timedOut) failures.push(`timed out after ${options.timeoutSeconds} s`);
        else if (code !== op.exitCode) failures.push(`exit code: expected ${op.exitCode}, got ${code}`);
        child = null;
      }
    }
  } finally {
    clearTimeout(timer);
    child?.kill('SIGKILL');
    roots.forEach(cleanup);
  }
  const ms = Math.round(performance.now() - started);
  if (failures.length === 0) return { ...base, status: 'passed', ms };
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  return { ...base, status: 'failed', reason: failures.join('; ') + (tail ? ` (stderr: ${tail})` : ''), ms };
}

const SIGNALS: Readonly<Record<string, number>> = { SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
function signalNumber(signal: string): number {
  return SIGNALS[signal] ?? 0;
}

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((r) => {
    const check = (): void => {
      if (condition()) r();
      else setTimeout(check, 5);
    };
    check();
  });
}

// ---- node:wasi, for reference ----

/** Child mode: runs one test with node:wasi, stdio inherited, the root preopened as "/". */
async function nodeWasiChild(job: string): Promise<void> {
  const { WASI } = await import('node:wasi');
  const { wasm, args, env, root } = JSON.parse(job) as { wasm: string; args: string[]; env: Record<string, string>; root: string | null };
  const wasi = new WASI({ version: 'preview1', args: [basename(wasm), ...args], env, preopens: root ? { '/': root } : {}, returnOnExit: true });
  const module = await WebAssembly.compile(readFileSync(wasm));
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport } as WebAssembly.Imports);
  process.exitCode = wasi.start(instance);
}

// ---- main ----

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--node-wasi-child') {
    await nodeWasiChild(argv[1] ?? '{}');
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  }
  const options = parseArgs(argv);
  const tests = readTests(options);
  const outcomes: Outcome[] = [];
  for (const test of tests) {
    const outcome = await runTest(test, options);
    outcomes.push(outcome);
    if (!options.json) {
      const label = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' }[outcome.status];
      process.stdout.write(`${label} ${outcome.suite}: ${outcome.name}${outcome.reason ? ` — ${outcome.reason}` : ''}\n`);
    }
  }
  const count = (s: Outcome['status']): number => outcomes.filter((o) => o.status === s).length;
  const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ runtime: options.runtime, dir: options.dir, ...summary, tests: outcomes }, null, 2)}\n`);
  } else {
    process.stdout.write(`runtime: ${options.runtime}, tests: ${options.dir}\n`);
    process.stdout.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
  }
  return summary.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`wasi-testsuite: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
