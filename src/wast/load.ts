// Loading a script's module with our own toolchain before V8 sees it (the reference
// interpreter's script/run.ml: parse or decode, then validate), and compiling what we
// accepted on V8.
//
// Text modules were parsed with the script; quoted modules are parsed here (a ParseError
// means malformed), binary modules decoded (a DecodeError means malformed). Every model
// is then validated (a ValidationError means invalid), and its branch hints checked.
// V8 compiles a binary module's own bytes and our encoding of a text module's model.

import { decodeModule, encodeModule } from '../binary/index.ts';
import { ParseError } from '../model/errors.ts';
import type { Module } from '../model/types.ts';
import { parseModule } from '../text/index.ts';
import { validateModule } from '../validate/index.ts';
import type { BranchHint, ScriptModule } from './commands.ts';
import { branchHintsOfSource, checkBranchHints } from './custom.ts';
import type { WasmModule } from './js-api.ts';
import { wasm } from './js-api.ts';

/** A module that our parser or decoder read and our validator accepted. */
export interface Loaded {
  readonly source: ScriptModule;
  readonly model: Module;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The source text of `(module quote …)`; malformed UTF-8 is a parse error. */
export function quoteSource(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ParseError('malformed UTF-8 encoding', 1, 1, 0);
  }
}

/**
 * The model of a script module: a text module's own, a quoted module parsed by our
 * parser (throws ParseError), a binary module decoded by our decoder (throws DecodeError).
 */
export function readModule(m: ScriptModule): Module {
  return withoutStackTraces(read, m);
}

function read(m: ScriptModule): Module {
  switch (m.kind) {
    case 'text':
      return m.module;
    case 'quote':
      return parseModule(quoteSource(m.bytes));
    case 'binary':
      return decodeModule(m.bytes);
  }
}

/**
 * Reads and validates a script module: throws ParseError or DecodeError (malformed),
 * ValidationError (invalid), or CustomValidationError (valid, but a custom annotation is
 * not: see ./custom.ts).
 */
export function loadModule(m: ScriptModule): Loaded {
  return withoutStackTraces(load, m);
}

function load(m: ScriptModule): Loaded {
  let model: Module;
  let hints: readonly BranchHint[] | undefined;
  if (m.kind === 'quote') {
    const source = quoteSource(m.bytes);
    model = parseModule(source);
    hints = branchHintsOfSource(source);
  } else {
    model = read(m);
    hints = m.kind === 'text' ? m.branchHints : undefined;
  }
  validateModule(model);
  if (hints !== undefined) checkBranchHints(hints);
  return { source: m, model };
}

/**
 * Calls `f(m)` with V8's capture of JavaScript stack traces switched off. The suite
 * expects our errors by the thousand (every assert_malformed and assert_invalid), and
 * capturing their stacks made loading the suite's modules about 70% slower; the runner
 * reports an error by its name and message only. (`Error.stackTraceLimit` is V8's;
 * elsewhere setting it does nothing.)
 */
function withoutStackTraces<T>(f: (m: ScriptModule) => T, m: ScriptModule): T {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return f(m);
  } finally {
    E.stackTraceLimit = limit;
  }
}

/** The bytes V8 compiles: a binary module's own, or our encoding of the model. */
export function bytesOf(loaded: Loaded): Uint8Array {
  return loaded.source.kind === 'binary' ? loaded.source.bytes : encodeModule(loaded.model);
}

// V8 refuses already at compile time a memory whose declared maximum exceeds its own
// implementation limit (262 144 pages for memory64 in V8 13.6), although the
// specification allows up to 2^48 pages. A maximum only bounds `memory.grow`, which the
// specification lets fail at any size (it may always push -1), and which V8 could never
// take past its limit anyway;
// so for a memory that no other module can see (neither imported nor exported, hence
// never matched against an import type), lowering its declared maximum to V8's limit
// changes nothing the module or the script can observe. Only then do we retry with it.
const MEMORY_LIMIT = /maximum memory size \(\d+ pages\) is larger than implementation limit \((\d+) pages\)/;

/** A model whose private memories declare at most `limit` pages, or null if it cannot be. */
function clampPrivateMemories(model: Module, limit: bigint): Module | null {
  let importedMemories = 0;
  for (const imp of model.imports) {
    if (imp.desc.kind !== 'memory') continue;
    const max = imp.desc.type.limits.max;
    if (max !== null && max > limit) return null;
    importedMemories++;
  }
  const exported = new Set<number>();
  for (const e of model.exports) if (e.kind === 'memory') exported.add(e.index);
  let changed = false;
  const memories = model.memories.map((m, i) => {
    const { max, min } = m.limits;
    if (max === null || max <= limit) return m;
    if (min > limit || exported.has(importedMemories + i)) return null;
    changed = true;
    return { ...m, limits: { ...m.limits, max: limit } };
  });
  if (!changed || memories.includes(null)) return null;
  return { ...model, memories: memories as Module['memories'] };
}

/**
 * Compiles a loaded module on V8. A CompileError for a private memory's maximum above
 * V8's implementation limit is retried once with that maximum lowered to the limit (see
 * above); `clamped` says so.
 */
export function compileLoaded(loaded: Loaded): { module: WasmModule; clamped: boolean } {
  const bytes = bytesOf(loaded);
  try {
    return { module: new wasm.Module(bytes), clamped: false };
  } catch (e) {
    const limit = e instanceof wasm.CompileError ? MEMORY_LIMIT.exec(e.message)?.[1] : undefined;
    const clamped = limit === undefined ? null : clampPrivateMemories(loaded.model, BigInt(limit));
    if (clamped === null) throw e;
    return { module: new wasm.Module(encodeModule(clamped)), clamped: true };
  }
}
