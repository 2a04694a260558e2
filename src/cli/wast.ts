// `nanoprocess wast`: run WebAssembly script files (spec's script/ format, .wast) and
// count the outcome of every command that checks something.

import { type Command, EXIT, FileError, type Io, UsageError, describeSystemError, formatWasmError, parseOptions, readInput } from './io.ts';
import { decodeSource } from './text-input.ts';
import type { AssertionResult } from '../wast/index.ts';

const help = `nanoprocess wast — run WebAssembly script files (.wast)

Usage: nanoprocess wast FILE_OR_DIR... [--json]

Runs every .wast file given, and every .wast file under each directory given
(recursively, in name order). Every module goes through nanoprocess's own
parser or decoder and validator first, which alone decide assert_malformed and
assert_invalid; V8 then compiles, links and runs the modules through the
WebAssembly JavaScript API. Prints one line per file with its counts (and its
failures, and notes where the runner had to work around a V8 limit), then a
final line of the form

  N passed, N failed, N skipped

Every command is decided today; the skipped count is there for a command the
runner could not decide, which would never count as passed. Exit code 1 when
anything failed.

Options:
  --json      write every assertion's result as one JSON document to standard
              output; the per-file lines and the summary go to standard error
  -h, --help  show this help
`;

/** Failures listed per file in the human-readable output; --json has them all. */
const MAX_LISTED_FAILURES = 10;

/** The .wast files named by the arguments, directories expanded recursively and sorted. */
export async function collectScripts(paths: readonly string[]): Promise<string[]> {
  const { collectWastFiles } = await import('../wast/files.ts');
  try {
    return collectWastFiles(paths);
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path ?? paths.join(', ');
    throw new FileError(`cannot read ${path}: ${describeSystemError(e)}`);
  }
}

interface FileReport {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Set when the script as a whole could not be read or parsed. */
  readonly error?: string;
  readonly assertions: readonly AssertionResult[];
}

async function runFile(file: string, io: Io): Promise<FileReport> {
  // Loaded here, not at the top, so that `nanoprocess --help` does not load the runner.
  const { runWast } = await import('../wast/index.ts');
  try {
    const source = decodeSource(await readInput(file, io));
    const r = runWast(source, file);
    return { file, passed: r.passed, failed: r.failed, skipped: r.skipped, assertions: r.results };
  } catch (e) {
    const message = formatWasmError(e, file) ?? `${file}: ${(e as Error).message ?? String(e)}`;
    // A script that cannot be run counts as one failure, so that it cannot go unnoticed.
    return { file, passed: 0, failed: 1, skipped: 0, error: message, assertions: [] };
  }
}

function counts(r: { passed: number; failed: number; skipped: number }): string {
  return `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('wast', args, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('expected at least one .wast file or directory', 'wast');
  const files = await collectScripts(positionals);
  if (files.length === 0) throw new UsageError(`no .wast files found in ${positionals.join(', ')}`, 'wast');
  const log = values.json ? io.stderr : io.stdout;
  const reports: FileReport[] = [];
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    const r = await runFile(file, io);
    reports.push(r);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    log.write(`${file}: ${counts(r)}\n`);
    if (r.error) log.write(`  ${r.error}\n`);
    const failures = r.assertions.filter((a) => a.status === 'failed');
    for (const f of failures.slice(0, MAX_LISTED_FAILURES)) {
      const at = `${f.line}:${f.column}: `;
      // A script that does not parse is one result of kind `script` whose reason has the position.
      const what = f.kind === 'script' ? (f.reason ?? 'failed').replace(at, '') : `${f.kind}: ${f.reason ?? 'failed'}`;
      log.write(`  ${file}:${at}${what}\n`);
    }
    if (failures.length > MAX_LISTED_FAILURES) {
      log.write(`  … and ${failures.length - MAX_LISTED_FAILURES} more failures (--json lists them all)\n`);
    }
    for (const a of r.assertions) if (a.note !== undefined) log.write(`  ${file}:${a.line}:${a.column}: ${a.kind}: note: ${a.note}\n`);
  }
  if (values.json) io.stdout.write(JSON.stringify({ ...total, files: reports }, null, 1) + '\n');
  log.write(`${counts(total)}\n`);
  return total.failed > 0 ? EXIT.failure : EXIT.ok;
}

export const wastCommand: Command = {
  name: 'wast',
  summary: 'run WebAssembly script files (.wast) and count passed, failed and skipped assertions',
  help,
  run,
};
