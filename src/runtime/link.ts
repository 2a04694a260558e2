// Import matching (spec §4.5.4 "Instantiation" step 3 and §3.2 "external type matching"):
// each import of a module against what the linker defines under its module and name.
// Items taken from modules compiled with the same engine are compared exactly, through
// the engine's canonical types: function and tag types by (sub)type, globals by
// mutability and value type, tables by element type and limits, memories by limits (the
// current size standing for the minimum). A WebAssembly object the runtime did not hand
// out is checked as far as the JS API lets us see it; V8 checks the rest while
// instantiating, and its verdict is reported the same way (see `v8LinkError`).

import { HDEF } from '../validate/codes.ts';
import type { Caller } from './caller.ts';
import { EmbeddingError, LinkError } from './errors.ts';
import {
  externTypeText,
  funcTypeText,
  limitsMatch,
  sameFuncType,
  type ExternType,
  type FuncType,
  type ImportType,
} from './extern-types.ts';
import type { KnownItem } from './known.ts';
import { recall } from './known.ts';
import type { ModuleInfo } from './module-info.ts';
import { wasm } from './webassembly.ts';

export type HostFunction<T> = (caller: Caller<T>, ...args: any[]) => unknown;

/** What a linker holds under one module and name. */
export type Definition =
  | { readonly kind: 'host'; readonly type: FuncType; readonly fn: HostFunction<any>; readonly async: boolean }
  | { readonly kind: 'value'; readonly value: object };

/** One import, resolved: a value to pass to V8 as is, or a host function to bind per instance. */
export interface Resolved {
  readonly module: string;
  readonly name: string;
  readonly value: unknown;
  readonly host: { readonly fn: HostFunction<any>; readonly arity: number; readonly async: boolean } | null;
  /** The provided type in text, for V8's verdicts. */
  readonly provided: string;
}

const PAGE = 65536;

/** Resolves and checks every import of `info`; throws LinkError for the first that fails. */
export function resolveImports(info: ModuleInfo, lookup: (module: string, name: string) => Definition | undefined): Resolved[] {
  const counts = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  const out: Resolved[] = [];
  for (const imp of info.imports) {
    const index = counts[imp.type.kind]++;
    const def = lookup(imp.module, imp.name);
    if (def === undefined) {
      throw new LinkError(imp.module, imp.name, `unknown import: ${where(imp)} (expected ${externTypeText(imp.type)})`);
    }
    out.push(resolveOne(info, imp, index, def));
  }
  return out;
}

function where(imp: { readonly module: string; readonly name: string }): string {
  return `${JSON.stringify(imp.module)}.${JSON.stringify(imp.name)}`;
}

function mismatch(imp: ImportType, provided: string): LinkError {
  return new LinkError(imp.module, imp.name, `incompatible import type for ${where(imp)}: expected ${externTypeText(imp.type)}, got ${provided}`);
}

function resolveOne(info: ModuleInfo, imp: ImportType, index: number, def: Definition): Resolved {
  if (def.kind === 'host') {
    const provided = funcTypeText(def.type);
    if (imp.type.kind !== 'func' || !sameFuncType(def.type, imp.type.type)) throw mismatch(imp, provided);
    const host = { fn: def.fn, arity: def.type.params.length, async: def.async };
    return { module: imp.module, name: imp.name, value: undefined, host, provided };
  }
  const value = def.value;
  const item = recall(value);
  const provided = item === undefined ? describeUnknown(value) : externTypeText(actualType(item, value));
  const ok = item === undefined ? unknownMatches(imp.type, value) : knownMatches(info, imp.type, index, item, value);
  if (!ok) throw mismatch(imp, provided);
  return { module: imp.module, name: imp.name, value, host: null, provided };
}

/** The type of a known item, with the current size of a memory or table as its minimum. */
function actualType(item: KnownItem, value: object): ExternType {
  const t = item.info.exportType(item.kind, item.index);
  if (t.kind === 'memory' && value instanceof wasm.Memory) {
    return { kind: 'memory', limits: { ...t.limits, min: BigInt(Math.floor(value.buffer.byteLength / PAGE)) } };
  }
  if (t.kind === 'table' && value instanceof wasm.Table) {
    return { ...t, limits: { ...t.limits, min: BigInt(value.length) } };
  }
  return t;
}

function knownMatches(info: ModuleInfo, expected: ExternType, index: number, item: KnownItem, value: object): boolean {
  if (item.kind !== expected.kind) return false;
  const actual = actualType(item, value);
  const reg = info.ctx.types.reg;
  const a = item.info.ctx;
  const e = info.ctx;
  if (a.types.reg !== reg) return sameText(actual, expected);
  switch (expected.kind) {
    case 'func': {
      const pc = a.types.canon[a.funcType[item.index]!]!;
      const ec = e.types.canon[e.funcType[index]!]!;
      return reg.heapSub(HDEF + pc, HDEF + ec);
    }
    case 'global': {
      const pm = a.globalMut[item.index]!;
      const pc = a.globalType[item.index]!;
      const ec = e.globalType[index]!;
      if (pm !== e.globalMut[index]) return false;
      return pm === 1 ? pc === ec : reg.valSub(pc, ec);
    }
    case 'table':
      return a.tableElem[item.index] === e.tableElem[index] && actual.kind === 'table' && limitsMatch(actual.limits, expected.limits);
    case 'memory':
      return actual.kind === 'memory' && limitsMatch(actual.limits, expected.limits);
    case 'tag':
      return a.types.canon[item.info.tags[item.index]!] === e.types.canon[info.tags[index]!];
  }
}

/** For items of modules compiled with another engine: the same types written alike. */
function sameText(actual: ExternType, expected: ExternType): boolean {
  if (actual.kind === 'memory' && expected.kind === 'memory') return limitsMatch(actual.limits, expected.limits);
  if (actual.kind === 'table' && expected.kind === 'table') {
    return actual.element === expected.element && limitsMatch(actual.limits, expected.limits);
  }
  return externTypeText(actual) === externTypeText(expected);
}

function describeUnknown(value: object): string {
  if (value instanceof wasm.Memory) return `a WebAssembly.Memory of ${plural(Math.floor(value.buffer.byteLength / PAGE), 'page')}`;
  if (value instanceof wasm.Table) return `a WebAssembly.Table of ${plural(value.length, 'element')}`;
  if (value instanceof wasm.Global) return `a WebAssembly.Global holding ${typeof value.value === 'bigint' ? 'a bigint' : typeof value.value}`;
  if (value instanceof wasm.Tag) return 'a WebAssembly.Tag';
  if (typeof value === 'function') return 'a function of unknown type';
  return 'a value of unknown kind';
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** What the JS API lets us check of an object we did not hand out. */
function unknownMatches(expected: ExternType, value: object): boolean {
  switch (expected.kind) {
    case 'func':
      return typeof value === 'function';
    case 'memory': {
      if (!(value instanceof wasm.Memory)) return false;
      const buffer = value.buffer as ArrayBuffer | SharedArrayBuffer;
      return BigInt(Math.floor(buffer.byteLength / PAGE)) >= expected.limits.min && (buffer instanceof SharedArrayBuffer) === expected.limits.shared;
    }
    case 'table':
      return value instanceof wasm.Table && BigInt(value.length) >= expected.limits.min;
    case 'global': {
      if (!(value instanceof wasm.Global)) return false;
      const v = value.value;
      return globalHolds(expected.value, v);
    }
    case 'tag':
      return value instanceof wasm.Tag;
  }
}

function globalHolds(type: string, v: unknown): boolean {
  switch (type) {
    case 'i64':
      return typeof v === 'bigint';
    case 'i32':
    case 'f32':
    case 'f64':
      return typeof v === 'number';
    default:
      return typeof v !== 'number' && typeof v !== 'bigint';
  }
}

/**
 * V8's LinkError at instantiation (`Import #3 "env" "mem": memory import has no maximum
 * limit, expected at most 2`) as ours, naming both types.
 */
export function v8LinkError(e: Error, imports: readonly ImportType[], resolved: readonly Resolved[]): LinkError {
  const at = /Import #(\d+)/.exec(e.message);
  const i = at === null ? -1 : Number(at[1]);
  const imp = imports[i];
  const detail = e.message.replace(/^WebAssembly\.\w+\(\): /, '').replace(/^Import #\d+ "[^"]*"(?: "[^"]*")?: /, '');
  if (imp === undefined) return new LinkError('', '', `link error: ${detail}`, { cause: e });
  const message = `incompatible import type for ${where(imp)}: expected ${externTypeText(imp.type)}, got ${resolved[i]?.provided ?? 'a value'} (${detail})`;
  return new LinkError(imp.module, imp.name, message, { cause: e });
}

/** Checks a host function's declared type: value types of the text format, no v128. */
export function checkHostType(type: FuncType, where: string): FuncType {
  const all = [...type.params, ...type.results];
  for (const t of all) {
    if (typeof t !== 'string' || !isValType(t)) throw new TypeError(`${where}: not a value type: ${String(t)}`);
  }
  if (all.includes('v128')) throw new EmbeddingError(`${where}: v128 values cannot cross the JavaScript boundary, so no host function can take or return one`);
  return Object.freeze({ params: Object.freeze([...type.params]), results: Object.freeze([...type.results]) });
}

const SIMPLE: ReadonlySet<string> = new Set([
  'i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'anyref', 'eqref', 'i31ref', 'structref', 'arrayref',
  'exnref', 'nullref', 'nullfuncref', 'nullexternref', 'nullexnref',
]);

function isValType(t: string): boolean {
  return SIMPLE.has(t) || /^\(ref (null )?([a-z0-9]+)\)$/.test(t);
}
