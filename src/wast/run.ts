// The WAST script runner (the reference interpreter's script/run.ml): executes the
// commands of a script on V8 through the WebAssembly JavaScript API and reports one result
// per command. Text modules are parsed by our parser and encoded by our encoder before V8
// compiles them; binary modules go to V8 as they are. Nothing here imports from `node:`.

import { encodeModule } from '../binary/index.ts';
import { ParseError } from '../model/errors.ts';
import type { FuncType, Module, ValType } from '../model/types.ts';
import { parseModule } from '../text/index.ts';
import type { Exports, WasmModule } from './js-api.ts';
import { wasm } from './js-api.ts';
import type { Action, Command, Const, ResultPattern, Script, ScriptModule } from './commands.ts';
import { spectestExports } from './spectest.ts';
import { trapMatches } from './traps.ts';
import type { MatchContext, Observed } from './values.ts';
import {
  HostRefs,
  constNeedsWrapper,
  constToJs,
  f32Bits,
  f64Bits,
  matches,
  observeJs,
  patternNeedsWrapper,
  showObserved,
  showPattern,
} from './values.ts';
import {
  findExport,
  funcTypeAt,
  funcTypeHasOpaque,
  funcTypeIndex,
  globalTypeOf,
  inferredModel,
  opaqueToJs,
} from './signatures.ts';
import { refClassifier, wrapperFor } from './wrapper.ts';
import type { WrapTarget } from './wrapper.ts';

export type Status = 'passed' | 'failed' | 'skipped';

/** The kind of a result: a command kind, or `script` for an error of the whole script. */
export type ResultKind = Command['kind'] | 'script';

export interface AssertionResult {
  /** `file:line:kind`, stable across runs (the baseline's key). */
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: ResultKind;
  readonly status: Status;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

export interface RunOptions {
  /** The script's name in result identifiers and messages. */
  readonly file?: string;
}

export interface ScriptResult {
  readonly file: string;
  readonly results: readonly AssertionResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A failure of the script itself (a missing module or export), not of WebAssembly. */
class ScriptError extends Error {
  override name = 'ScriptError';
}

/** An import the registry cannot satisfy (our own link check, before V8's). */
class UnknownImport extends Error {
  override name = 'UnknownImport';
}

interface Live {
  readonly exports: Exports;
  /** The module's model when we have one (text and quote modules). */
  readonly model: Module | null;
}

/** A module slot: a live instance, or why the module the script expected is missing. */
type Entry = Live | { readonly failed: string };

interface Compiled {
  readonly module: WasmModule;
  readonly model: Module | null;
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

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function isRuntimeError(e: unknown): e is Error {
  return e instanceof wasm.RuntimeError;
}

/** Interprets a JS API value as a value of type `t`. */
function observeTyped(value: unknown, t: ValType): Observed {
  switch (t) {
    case 'i32':
      return { type: 'i32', value: Number(value) | 0 };
    case 'i64':
      return { type: 'i64', value: BigInt.asIntN(64, BigInt(value as bigint)) };
    case 'f32':
      return { type: 'f32', bits: f32Bits(Number(value)) };
    case 'f64':
      return { type: 'f64', bits: f64Bits(Number(value)) };
    default:
      return { type: 'ref', value };
  }
}

export class ScriptRunner {
  private readonly file: string;
  private readonly hosts = new HostRefs();
  private readonly registry = new Map<string, Exports>();
  private readonly named = new Map<string, Entry>();
  private readonly definitions = new Map<string, Compiled | { readonly failed: string }>();
  private current: Entry | null = null;
  private readonly ctx: MatchContext;

  constructor(options: RunOptions = {}) {
    this.file = options.file ?? '<script>';
    this.registry.set('spectest', spectestExports());
    this.ctx = { hosts: this.hosts, classify: (v) => refClassifier()(v) };
  }

  run(script: Script): AssertionResult[] {
    const out: AssertionResult[] = [];
    for (const command of script.commands) out.push(this.runCommand(command));
    return out;
  }

  runCommand(command: Command): AssertionResult {
    const result = (status: Status, reason?: string): AssertionResult => {
      const r: AssertionResult = {
        id: `${this.file}:${command.line}:${command.kind}`,
        file: this.file,
        line: command.line,
        column: command.column,
        kind: command.kind,
        status,
      };
      return reason === undefined ? r : { ...r, reason };
    };
    try {
      const outcome = this.execute(command);
      return outcome === null ? result('passed') : result(outcome.status, outcome.reason);
    } catch (e) {
      return result('failed', describeError(e));
    }
  }

  /** Runs one command: null when it passed, else its status and reason. */
  private execute(command: Command): { status: Status; reason: string } | null {
    const fail = (reason: string) => ({ status: 'failed' as const, reason });
    const skip = (reason: string) => ({ status: 'skipped' as const, reason });
    switch (command.kind) {
      case 'module': {
        let compiled: Compiled;
        try {
          compiled = this.compile(command.module);
        } catch (e) {
          const lost = this.lose(command.name, command.definition, describeError(e));
          // A definition is only validated, never instantiated; V8 checks its own size
          // limits already when compiling (e.g. a 2^48-page memory64), so such a valid
          // definition cannot be checked until our validator exists.
          if (command.definition && e instanceof wasm.CompileError && /implementation limit/.test(e.message)) {
            return skip(`V8 implementation limit: ${e.message}`);
          }
          return lost;
        }
        if (command.definition) {
          if (command.name !== null) this.definitions.set(command.name, compiled);
          return null;
        }
        return this.start(command.name, compiled);
      }
      case 'module_instance': {
        const def = command.definition === null ? undefined : this.definitions.get(command.definition);
        if (def === undefined) return this.lose(command.instance, false, `unknown module definition ${command.definition}`);
        if ('failed' in def) return this.lose(command.instance, false, `module definition failed: ${def.failed}`);
        return this.start(command.instance, def);
      }
      case 'register': {
        const entry = this.entry(command.name);
        this.registry.set(command.as, entry.exports);
        return null;
      }
      case 'action':
        this.perform(command.action, null);
        return null;
      case 'assert_return': {
        const values = this.perform(command.action, command.expected);
        if (values.length !== command.expected.length) {
          return fail(`expected ${command.expected.length} results, got ${values.length}`);
        }
        for (let i = 0; i < values.length; i++) {
          if (!matches(values[i]!, command.expected[i]!, this.ctx)) {
            return fail(
              `result ${i}: expected ${showPattern(command.expected[i]!)}, got ${showObserved(values[i]!, this.hosts)}`,
            );
          }
        }
        return null;
      }
      case 'assert_trap':
        return this.expectTrap(() => this.perform(command.action, null), command.message);
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        const compiled = this.compile(command.module);
        return this.expectTrap(() => this.instantiate(compiled), command.message);
      }
      case 'assert_exhaustion':
        try {
          this.perform(command.action, null);
        } catch (e) {
          if (e instanceof RangeError && /call stack/i.test(e.message)) return null;
          return fail(`expected stack exhaustion, got ${describeError(e)}`);
        }
        return fail('expected stack exhaustion, returned normally');
      case 'assert_exception':
        try {
          this.perform(command.action, null);
        } catch (e) {
          if (e instanceof wasm.Exception) return null;
          return fail(`expected an exception, got ${describeError(e)}`);
        }
        return fail('expected an exception, returned normally');
      case 'assert_unlinkable': {
        const compiled = this.compile(command.module);
        try {
          this.instantiate(compiled);
        } catch (e) {
          // "unknown import" is our registry's verdict; a type mismatch is V8's LinkError.
          const ours = e instanceof UnknownImport;
          if (!ours && !(e instanceof wasm.LinkError)) return fail(`expected a link error, got ${describeError(e)}`);
          const wanted = command.message.startsWith('unknown import') ? true : command.message.startsWith('incompatible import type') ? false : ours;
          if (ours === wanted) return null;
          return fail(`wrong link error: expected "${command.message}", got ${describeError(e)}`);
        }
        return fail('expected a link error, instantiated');
      }
      case 'assert_malformed':
      case 'assert_malformed_custom':
        if (command.module.kind === 'binary') return skip('binary modules need our decoder');
        if (command.module.kind === 'text') return fail('a text module parsed although malformed');
        try {
          parseModule(quoteSource(command.module.bytes));
        } catch (e) {
          if (!(e instanceof ParseError)) return fail(`our parser failed with ${describeError(e)}`);
          // As the reference interpreter: the error must begin with the expected message.
          if (e.reason.startsWith(command.message)) return null;
          return fail(`wrong error: expected "${command.message}", got "${e.reason}"`);
        }
        return fail(`our parser accepted it (expected "${command.message}")`);
      case 'assert_invalid':
      case 'assert_invalid_custom':
        return skip('needs our validator');
    }
  }

  private expectTrap(thunk: () => unknown, message: string): { status: 'failed'; reason: string } | null {
    try {
      thunk();
    } catch (e) {
      if (isRuntimeError(e)) {
        if (trapMatches(message, e.message)) return null;
        return { status: 'failed', reason: `wrong trap: expected "${message}", got "${e.message}"` };
      }
      return { status: 'failed', reason: `expected trap "${message}", got ${describeError(e)}` };
    }
    return { status: 'failed', reason: `expected trap "${message}", returned normally` };
  }

  /** Records that a module the script relies on is missing; the command fails. */
  private lose(name: string | null, definition: boolean, reason: string) {
    const entry = { failed: reason };
    if (definition) {
      if (name !== null) this.definitions.set(name, entry);
    } else {
      this.current = entry;
      if (name !== null) this.named.set(name, entry);
    }
    return { status: 'failed' as const, reason };
  }

  private start(name: string | null, compiled: Compiled) {
    let exports: Exports;
    try {
      exports = this.instantiate(compiled);
    } catch (e) {
      return this.lose(name, false, describeError(e));
    }
    const live: Live = { exports, model: compiled.model };
    this.current = live;
    if (name !== null) this.named.set(name, live);
    return null;
  }

  private compile(m: ScriptModule): Compiled {
    let model: Module | null = null;
    let bytes: Uint8Array;
    switch (m.kind) {
      case 'binary':
        bytes = m.bytes;
        break;
      case 'text':
        model = m.module;
        bytes = encodeModule(model);
        break;
      case 'quote':
        model = parseModule(quoteSource(m.bytes));
        bytes = encodeModule(model);
        break;
    }
    return { module: new wasm.Module(bytes), model };
  }

  private instantiate(compiled: Compiled): Exports {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of wasm.Module.imports(compiled.module)) {
      const source = this.registry.get(imp.module);
      if (source === undefined) throw new UnknownImport(`unknown import: module "${imp.module}" is not registered`);
      if (!Object.hasOwn(source, imp.name)) throw new UnknownImport(`unknown import "${imp.module}" "${imp.name}"`);
      (imports[imp.module] ??= {})[imp.name] = source[imp.name];
    }
    return new wasm.Instance(compiled.module, imports).exports;
  }

  private entry(name: string | null): Live {
    const entry = name === null ? this.current : this.named.get(name);
    if (entry === null || entry === undefined) throw new ScriptError(`unknown module ${name ?? '(no current module)'}`);
    if ('failed' in entry) throw new ScriptError(`module ${name ?? ''} unavailable: ${entry.failed}`.replace('  ', ' '));
    return entry;
  }

  /**
   * Performs an action and returns its results. `expected`, when given, is what the
   * script expects (it tells how to read JS numbers and whether exact bits are needed).
   * Traps and exceptions propagate.
   */
  private perform(action: Action, expected: readonly ResultPattern[] | null): Observed[] {
    const live = this.entry(action.module);
    const value = live.exports[action.name];
    if (value === undefined) throw new ScriptError(`unknown export "${action.name}"`);
    const exact = expected !== null && expected.some(patternNeedsWrapper);

    if (action.kind === 'get') {
      if (!(value instanceof wasm.Global)) throw new ScriptError(`export "${action.name}" is not a global`);
      const index = live.model === null ? null : findExport(live.model, action.name, 'global');
      const type = live.model === null || index === null ? null : globalTypeOf(live.model, index);
      if (exact || (type !== null && opaqueToJs(type.type))) {
        if (live.model !== null && type !== null) return this.wrapped(live.model, { kind: 'global', type }, value);
        // No model: the type the expected result implies, immutable or else mutable.
        const inferred = expected === null || expected.length !== 1 ? null : inferredModel([], expected);
        const valType = inferred === null ? undefined : funcTypeAt(inferred, 0)!.results[0];
        if (inferred === null || valType === undefined) throw new ScriptError('exact results need the global type (binary module)');
        try {
          return this.wrapped(inferred, { kind: 'global', type: { type: valType, mutable: false } }, value, [], true);
        } catch (e) {
          if (!(e instanceof wasm.LinkError)) throw e;
          return this.wrapped(inferred, { kind: 'global', type: { type: valType, mutable: true } }, value, [], true);
        }
      }
      const raw = value.value as unknown;
      if (type !== null) return [observeTyped(raw, type.type)];
      return this.observeUntyped([raw], expected);
    }

    if (typeof value !== 'function') throw new ScriptError(`export "${action.name}" is not a function`);
    let ft: FuncType | null = null;
    let typeIndex: number | null = null;
    if (live.model !== null) {
      const index = findExport(live.model, action.name, 'func');
      typeIndex = index === null ? null : funcTypeIndex(live.model, index);
      ft = typeIndex === null ? null : funcTypeAt(live.model, typeIndex);
    }
    if (exact || action.args.some(constNeedsWrapper) || (ft !== null && funcTypeHasOpaque(ft))) {
      if (live.model !== null && typeIndex !== null) {
        return this.wrapped(live.model, { kind: 'func', typeIndex }, value, action.args);
      }
      // No model (a binary module): the type the script's values imply.
      const inferred = expected === null ? null : inferredModel(action.args, expected);
      if (inferred === null) throw new ScriptError('exact arguments or results need the function type (binary module)');
      return this.wrapped(inferred, { kind: 'func', typeIndex: 0 }, value, action.args, true);
    }
    const args = action.args.map((c) => constToJs(c, this.hosts));
    const raw = (value as (...a: unknown[]) => unknown)(...args);
    const count = ft !== null ? ft.results.length : (expected?.length ?? 0);
    const list = count === 0 ? [] : count === 1 ? [raw] : Array.from(raw as Iterable<unknown>);
    if (ft !== null) return list.map((v, i) => observeTyped(v, ft.results[i]!));
    return this.observeUntyped(list, expected);
  }

  private observeUntyped(list: unknown[], expected: readonly ResultPattern[] | null): Observed[] {
    return list.map((v, i) => {
      const pattern = expected?.[i];
      if (pattern === undefined) return { type: 'ref', value: v };
      const o = observeJs(v, pattern);
      if (typeof o === 'string') throw new ScriptError(o);
      return o;
    });
  }

  private wrapped(
    model: Module,
    target: WrapTarget,
    value: object,
    args: readonly Const[] = [],
    inferred = false,
  ): Observed[] {
    return wrapperFor(model, target, inferred).bind(value).call(args, this.hosts);
  }
}

/** Runs a parsed script; one result per command. */
export function runScript(script: Script, options: RunOptions = {}): ScriptResult {
  const runner = new ScriptRunner(options);
  return summarize(options.file ?? '<script>', runner.run(script));
}

export function summarize(file: string, results: readonly AssertionResult[]): ScriptResult {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.status === 'passed') passed++;
    else if (r.status === 'failed') failed++;
    else skipped++;
  }
  return { file, results, passed, failed, skipped };
}
