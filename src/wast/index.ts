// WAST scripts (the spec's script format): the command model, the parser and the runner.
// This is the API the CLI and the spec test use; node-side file handling is in ./files.ts.

import { ParseError } from '../model/errors.ts';
import type { Script } from './commands.ts';
import { parseScript } from './parse.ts';
import type { AssertionResult, RunOptions, ScriptResult } from './run.ts';
import { runScript, summarize } from './run.ts';

export type * from './commands.ts';
export { parseScript } from './parse.ts';
export { ScriptRunner, runScript, summarize } from './run.ts';
export { quoteSource } from './load.ts';
export type { AssertionResult, ResultKind, RunOptions, ScriptResult, Status } from './run.ts';
export { TRAP_TABLE, trapMatches } from './traps.ts';
export { spectestModel } from './spectest.ts';

/**
 * Parses and runs one script. A script that does not parse (or one of whose text modules
 * does not) gives a single failed result of kind `script` at the error's position.
 */
export function runWast(source: string, file = '<script>', options: Omit<RunOptions, 'file'> = {}): ScriptResult {
  let script: Script;
  try {
    script = parseScript(source, file);
  } catch (e) {
    return summarize(file, [scriptFailure(file, e)]);
  }
  try {
    return runScript(script, { ...options, file });
  } catch (e) {
    // Only setting up the run can throw (every command's errors become its result).
    return summarize(file, [scriptFailure(file, e)]);
  }
}

function scriptFailure(file: string, e: unknown): AssertionResult {
  const line = e instanceof ParseError ? e.line : 1;
  const column = e instanceof ParseError ? e.column : 1;
  const reason = e instanceof ParseError ? `${line}:${column}: ${e.reason}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { id: `${file}:${line}:script`, file, line, column, kind: 'script', status: 'failed', reason };
}
