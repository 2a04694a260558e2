// The WAST script runner (the reference interpreter's script/run.ml): executes the
// commands of a script on V8 through the WebAssembly JavaScript API and reports one result
// per command. Every module goes through our own toolchain first (./load.ts: our parser
// or decoder, then our validator), which alone decides `assert_malformed` and
// `assert_invalid`; V8 compiles, links and runs what we accepted. Nothing here imports
// from `node:`.

import { DecodeError, ParseError, ValidationError } from '../model/errors.ts';
import type { Module, ValType } from '../model/types.ts';
import type { Exports, WasmModule } from './js-api.ts';
import { wasm } from './js-api.ts';
import type { Action, Command, Const, ResultPattern, Script, ScriptModule } from './commands.ts';
import { CustomValidationError } from './custom.ts';
import type { Loaded } from './load.ts';
import { compileLoaded, loadModule, readModule } from './load.ts';
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
  /** For a pass: how the runner had to work around V8 (see ./load.ts). */
  readonly note?: string;
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
  /** The module's model (our parser's or our decoder's). */
  readonly model: Module;
}

/** A module slot: a live instance, or why the module the script expected is missing. */
type Entry = Live | { readonly failed: string };

/**
 * A module our toolchain accepted, compiled by V8 when it is first instantiated (a
 * `(module definition …)` that is never instantiated is only validated).
 */
interface Defined {
  readonly loaded: Loaded;
  compiled: WasmModule | null;
  /** Set when V8 needed the workaround of ./load.ts `compileLoaded`. */
  note: string | null;
}

/** The outcome of a command that did not simply pass. */
type Outcome =
  | { readonly status: 'failed' | 'skipped'; readonly reason: string }
  | { readonly status: 'passed'; readonly note: string };

/** The part of the toolchain that reads a module of this kind. */
function reader(m: ScriptModule): string {
  return m.kind === 'binary' ? 'our decoder' : 'our parser';
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** As the reference interpreter: our error's message must begin with the expected one. */
function expectMessage(reason: string, expected: string): Outcome | null {
  if (reason.startsWith(expected)) return null;
  return { status: 'failed', reason: `wrong error: expected "${expected}", got "${reason}"` };
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
  private readonly definitions = new Map<string, Defined | { readonly failed: string }>();
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
      if (outcome === null) return result('passed');
      if (outcome.status === 'passed') return { ...result('passed'), note: outcome.note };
      return result(outcome.status, outcome.reason);
    } catch (e) {
      return result('failed', describeError(e));
    }
  }

  /** Runs one command: null when it simply passed, else its outcome. */
  private execute(command: Command): Outcome | null {
    const fail = (reason: string) => ({ status: 'failed' as const, reason });
    switch (command.kind) {
      case 'module': {
        let defined: Defined;
        try {
          defined = this.load(command.module);
        } catch (e) {
          return this.lose(command.name, command.definition, describeError(e));
        }
        if (command.definition) {
          // Decided by our decoder and validator; V8 compiles it when it is instantiated.
          if (command.name !== null) this.definitions.set(command.name, defined);
          return null;
        }
        return this.start(command.name, defined);
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
        const defined = this.load(command.module);
        return this.expectTrap(() => this.instantiate(defined), command.message);
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
        const defined = this.load(command.module);
        try {
          this.instantiate(defined);
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
      case 'assert_malformed_custom': {
        // Malformed: our parser (quoted text) or our decoder (binary) must reject it.
        const m = command.module;
        if (m.kind === 'text') return fail('a text module parsed although malformed');
        try {
          readModule(m);
        } catch (e) {
          const ours = m.kind === 'binary' ? e instanceof DecodeError : e instanceof ParseError;
          if (!ours) return fail(`${reader(m)} failed with ${describeError(e)}`);
          return expectMessage((e as DecodeError | ParseError).reason, command.message);
        }
        return fail(`${reader(m)} accepted it (expected "${command.message}")`);
      }
      case 'assert_invalid':
      case 'assert_invalid_custom': {
        // Invalid: our parser or decoder must accept it and our validator reject it (for
        // the _custom kind: the module validates, a custom annotation does not).
        const custom = command.kind === 'assert_invalid_custom';
        try {
          loadModule(command.module);
        } catch (e) {
          if (e instanceof ParseError || e instanceof DecodeError) {
            return fail(`malformed, not invalid: ${reader(command.module)} rejected it: ${describeError(e)}`);
          }
          if (!(e instanceof ValidationError)) return fail(`our validator failed with ${describeError(e)}`);
          if (e instanceof CustomValidationError !== custom) {
            return fail(`${custom ? 'the module itself' : 'only a custom annotation'} is invalid: ${describeError(e)}`);
          }
          return expectMessage(e.reason, command.message);
        }
        return fail(`our validator accepted it (expected "${command.message}")`);
      }
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

  private start(name: string | null, defined: Defined): Outcome | null {
    let exports: Exports;
    try {
      exports = this.instantiate(defined);
    } catch (e) {
      return this.lose(name, false, describeError(e));
    }
    const live: Live = { exports, model: defined.loaded.model };
    this.current = live;
    if (name !== null) this.named.set(name, live);
    return defined.note === null ? null : { status: 'passed', note: defined.note };
  }

  /** Our parser or decoder, then our validator (their errors propagate). */
  private load(m: ScriptModule): Defined {
    return { loaded: loadModule(m), compiled: null, note: null };
  }

  /** V8's compiled module (compiled on first use). */
  private compile(defined: Defined): WasmModule {
    if (defined.compiled === null) {
      const { module, clamped } = compileLoaded(defined.loaded);
      defined.compiled = module;
      if (clamped) defined.note = 'V8 compiled it with a private memory\'s maximum lowered to V8\'s implementation limit';
    }
    return defined.compiled;
  }

  private instantiate(defined: Defined): Exports {
    const module = this.compile(defined);
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of wasm.Module.imports(module)) {
      const source = this.registry.get(imp.module);
      if (source === undefined) throw new UnknownImport(`unknown import: module "${imp.module}" is not registered`);
      if (!Object.hasOwn(source, imp.name)) throw new UnknownImport(`unknown import "${imp.module}" "${imp.name}"`);
      (imports[imp.module] ??= {})[imp.name] = source[imp.name];
    }
    return new wasm.Instance(module, imports).exports;
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
      const index = findExport(live.model, action.name, 'global');
      const type = index === null ? null : globalTypeOf(live.model, index);
      if (type === null) throw new ScriptError(`export "${action.name}" is not a global of the module's model`);
      if (exact || opaqueToJs(type.type)) return this.wrapped(live.model, { kind: 'global', type }, value);
      return [observeTyped(value.value as unknown, type.type)];
    }

    if (typeof value !== 'function') throw new ScriptError(`export "${action.name}" is not a function`);
    const index = findExport(live.model, action.name, 'func');
    const typeIndex = index === null ? null : funcTypeIndex(live.model, index);
    const ft = typeIndex === null ? null : funcTypeAt(live.model, typeIndex);
    if (typeIndex === null || ft === null) throw new ScriptError(`export "${action.name}" is not a function of the module's model`);
    if (exact || action.args.some(constNeedsWrapper) || funcTypeHasOpaque(ft)) {
      return this.wrapped(live.model, { kind: 'func', typeIndex }, value, action.args);
    }
    const args = action.args.map((c) => constToJs(c, this.hosts));
    const raw = (value as (...a: unknown[]) => unknown)(...args);
    const count = ft.results.length;
    const list = count === 0 ? [] : count === 1 ? [raw] : Array.from(raw as Iterable<unknown>);
    return list.map((v, i) => observeTyped(v, ft.results[i]!));
  }

  private wrapped(model: Module, target: WrapTarget, value: object, args: readonly Const[] = []): Observed[] {
    return wrapperFor(model, target).bind(value).call(args, this.hosts);
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
