// Wrapper modules: how the runner invokes a function or reads a global whose values the
// JS API cannot carry exactly (v128, NaN payloads, exnref). The wrapper imports the target
// under its own type (it copies the defining module's type section, so the canonical types
// are identical), loads the arguments from its memory, calls, and stores every result
// back into its memory — or, for references, into an exported global — where the runner
// reads them bit for bit. One wrapper is compiled per target type and instantiated once
// per target. Also here: the anyref classifier behind `(ref.struct)` and friends.

import { encodeModule } from '../binary/index.ts';
import type { Instruction } from '../model/instruction.ts';
import { op } from '../model/opcodes.ts';
import type { Global, GlobalType, Module, RefType, ValType } from '../model/types.ts';
import { emptyModule, refType, typeDefs } from '../model/types.ts';
import type { Const } from './commands.ts';
import type { Exports, WasmGlobal, WasmMemory, WasmModule } from './js-api.ts';
import { wasm } from './js-api.ts';
import { funcTypeAt } from './signatures.ts';
import type { HostRefs, Observed } from './values.ts';

function ins(name: string, imm: Instruction['imm'] = null): Instruction {
  return { op: op(name), imm };
}

const LOAD: Record<string, string> = {
  i32: 'i32.load',
  i64: 'i64.load',
  f32: 'f32.load',
  f64: 'f64.load',
  v128: 'v128.load',
};
const STORE: Record<string, string> = {
  i32: 'i32.store',
  i64: 'i64.store',
  f32: 'f32.store',
  f64: 'f64.store',
  v128: 'v128.store',
};
const ALIGN: Record<string, number> = { i32: 2, i64: 3, f32: 2, f64: 3, v128: 4 };
/** Bytes per argument or result in the wrapper's memory. */
const SLOT = 16;

function isOpaqueRef(t: RefType): boolean {
  return t.heap === 'exn' || t.heap === 'noexn';
}

function memarg(t: string, slot: number) {
  return { align: ALIGN[t]!, offset: BigInt(slot * SLOT), memory: 0 };
}

/**
 * What a wrapper calls or reads: function type `typeIndex` of `source`, or a global of
 * type `type` (whose value type may name `source`'s types).
 */
export type WrapTarget =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'global'; readonly type: GlobalType };

/**
 * A compiled wrapper for one target type. Memory layout: argument i in slot i, result i
 * in slot (params + i), 16 bytes per slot. Numbers and vectors travel through memory,
 * host references as parameters of `run`, null exception references as constants.
 * Results that are JS-representable references come out through exported globals `r0`…;
 * exception references only as null or not (an i32 in their slot).
 */
export class WrapperModule {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  private readonly compiled: WasmModule;
  /** For result i: the global that holds it, or -1 when it is in memory. */
  private readonly resultGlobal: readonly number[];

  constructor(source: Module, target: WrapTarget) {
    const types = [...source.types];
    const body: Instruction[] = [];
    const runParams: ValType[] = [];
    let params: readonly ValType[] = [];
    let results: readonly ValType[];
    if (target.kind === 'func') {
      const ft = funcTypeAt(source, target.typeIndex);
      if (ft === null) throw new Error(`type ${target.typeIndex} is not a function type`);
      params = ft.params;
      results = ft.results;
      params.forEach((t, i) => {
        if (typeof t !== 'object') {
          body.push(ins('i32.const', 0), ins(LOAD[t]!, memarg(t, i)));
        } else if (isOpaqueRef(t)) {
          body.push(ins('ref.null', t.heap));
        } else {
          body.push(ins('local.get', runParams.length));
          runParams.push(t);
        }
      });
      body.push(ins('call', 0));
    } else {
      results = [target.type.type];
      body.push(ins('global.get', 0));
    }
    this.params = params;
    this.results = results;

    // Results: pop them into locals (the last is on top), then store each one.
    const firstLocal = runParams.length;
    for (let i = results.length - 1; i >= 0; i--) body.push(ins('local.set', firstLocal + i));
    const globals: Global[] = [];
    const globalBase = target.kind === 'global' ? 1 : 0;
    const resultGlobal: number[] = [];
    results.forEach((t, i) => {
      const slot = params.length + i;
      if (typeof t === 'object' && !isOpaqueRef(t)) {
        resultGlobal.push(globals.length);
        body.push(ins('local.get', firstLocal + i), ins('global.set', globalBase + globals.length));
        globals.push({ type: { type: refType(true, t.heap), mutable: true }, init: [ins('ref.null', t.heap)] });
        return;
      }
      resultGlobal.push(-1);
      body.push(ins('i32.const', 0), ins('local.get', firstLocal + i));
      if (typeof t === 'object') body.push(ins('ref.is_null'), ins('i32.store', memarg('i32', slot)));
      else body.push(ins(STORE[t]!, memarg(t, slot)));
    });
    this.resultGlobal = resultGlobal;

    const runType = typeDefs(source).length;
    types.push({
      explicit: false,
      types: [{ final: true, supertypes: [], composite: { kind: 'func', params: runParams, results: [] } }],
    });
    const locals = results.map((t) => ({ count: 1, type: typeof t === 'object' ? refType(true, t.heap) : t }));
    const pages = BigInt(Math.ceil(((params.length + results.length) * SLOT + 1) / 65536));
    const wrapper: Module = {
      ...emptyModule(),
      types,
      imports: [
        target.kind === 'func'
          ? { module: 'm', name: 't', desc: { kind: 'func', type: target.typeIndex } }
          : { module: 'm', name: 't', desc: { kind: 'global', type: target.type } },
      ],
      funcs: [{ type: runType, locals, body }],
      memories: [{ limits: { address: 'i32', min: pages, max: null, shared: false } }],
      globals,
      exports: [
        { name: 'run', kind: 'func', index: target.kind === 'func' ? 1 : 0 },
        { name: 'mem', kind: 'memory', index: 0 },
        ...globals.map((_, i) => ({ name: `r${i}`, kind: 'global' as const, index: globalBase + i })),
      ],
    };
    this.compiled = new wasm.Module(encodeModule(wrapper));
  }

  private readonly instances = new WeakMap<object, BoundWrapper>();

  /** The wrapper instance bound to one function or global (made once per target). */
  bind(target: object): BoundWrapper {
    let bound = this.instances.get(target);
    if (bound === undefined) {
      bound = new BoundWrapper(this, new wasm.Instance(this.compiled, { m: { t: target } }).exports);
      this.instances.set(target, bound);
    }
    return bound;
  }

  /** Index of the global holding result i, or -1. */
  globalOf(i: number): number {
    return this.resultGlobal[i]!;
  }
}

export class BoundWrapper {
  private readonly type: WrapperModule;
  private readonly exports: Exports;
  private readonly run: (...args: unknown[]) => void;

  constructor(type: WrapperModule, exports: Exports) {
    this.type = type;
    this.exports = exports;
    this.run = exports.run as (...args: unknown[]) => void;
  }

  /** Calls the target with `args` (traps and exceptions propagate) and reads its results. */
  call(args: readonly Const[], hosts: HostRefs): Observed[] {
    const { params, results } = this.type;
    if (args.length !== params.length) {
      throw new Error(`wrong number of arguments: ${args.length} for ${params.length} parameters`);
    }
    const mem = new DataView((this.exports.mem as WasmMemory).buffer);
    const jsArgs: unknown[] = [];
    args.forEach((c, i) => {
      const t = params[i]!;
      const at = i * SLOT;
      if (typeof t === 'object') {
        if (isOpaqueRef(t)) {
          if (c.type !== 'ref.null') throw new Error(`argument ${i}: only null fits ${t.heap}ref`);
        } else {
          jsArgs.push(c.type === 'ref.null' ? null : c.type === 'ref.extern' || c.type === 'ref.host' ? hosts.get(c.value) : mismatch(i, c.type, t));
        }
        return;
      }
      if (c.type !== t) mismatch(i, c.type, t);
      switch (c.type) {
        case 'i32':
          mem.setInt32(at, c.value, true);
          break;
        case 'i64':
          mem.setBigInt64(at, BigInt.asIntN(64, c.value), true);
          break;
        case 'f32':
          mem.setUint32(at, c.bits >>> 0, true);
          break;
        case 'f64':
          mem.setBigUint64(at, BigInt.asUintN(64, c.bits), true);
          break;
        case 'v128':
          new Uint8Array(mem.buffer, at, 16).set(c.bytes);
          break;
      }
    });
    this.run(...jsArgs);
    return results.map((t, i) => this.read(mem, t, i));
  }

  private read(mem: DataView, t: ValType, i: number): Observed {
    const at = (this.type.params.length + i) * SLOT;
    if (typeof t === 'object') {
      const g = this.type.globalOf(i);
      if (g < 0) return { type: 'opaque-ref', isNull: mem.getInt32(at, true) !== 0 };
      return { type: 'ref', value: (this.exports[`r${g}`] as WasmGlobal).value };
    }
    switch (t) {
      case 'i32':
        return { type: 'i32', value: mem.getInt32(at, true) };
      case 'i64':
        return { type: 'i64', value: mem.getBigInt64(at, true) };
      case 'f32':
        return { type: 'f32', bits: mem.getUint32(at, true) };
      case 'f64':
        return { type: 'f64', bits: mem.getBigUint64(at, true) };
      case 'v128':
        return { type: 'v128', bytes: new Uint8Array(mem.buffer.slice(at, at + 16)) };
    }
  }
}

function mismatch(i: number, got: string, want: ValType): never {
  throw new Error(`argument ${i}: a ${got} constant for a ${typeof want === 'object' ? 'reference' : want} parameter`);
}

let classifier: ((value: unknown) => number) | null = null;

/**
 * A function that classifies an anyref value with `ref.test` (bits: non-null 1, i31 2,
 * struct 4, array 8, eq 16; see values.ts), for patterns like `(ref.struct)`.
 */
export function refClassifier(): (value: unknown) => number {
  if (classifier !== null) return classifier;
  const anyref = refType(true, 'any');
  const body: Instruction[] = [ins('local.get', 0), ins('ref.is_null'), ins('i32.eqz')];
  (['i31', 'struct', 'array', 'eq'] as const).forEach((heap, i) => {
    body.push(ins('local.get', 0), ins('ref.test', refType(false, heap)));
    body.push(ins('i32.const', i + 1), ins('i32.shl'), ins('i32.or'));
  });
  const module: Module = {
    ...emptyModule(),
    types: [
      {
        explicit: false,
        types: [{ final: true, supertypes: [], composite: { kind: 'func', params: [anyref], results: ['i32'] } }],
      },
    ],
    funcs: [{ type: 0, locals: [], body }],
    exports: [{ name: 'kind', kind: 'func', index: 0 }],
  };
  const instance = new wasm.Instance(new wasm.Module(encodeModule(module)));
  const kind = instance.exports.kind as (value: unknown) => number;
  classifier = kind;
  return kind;
}

const byModel = new WeakMap<Module, Map<string, WrapperModule>>();

function targetKey(target: WrapTarget): string {
  return target.kind === 'func' ? `f${target.typeIndex}` : `g${JSON.stringify(target.type)}`;
}

/** The wrapper module for `target` in `source`, compiled once per model and target type. */
export function wrapperFor(source: Module, target: WrapTarget): WrapperModule {
  let cache = byModel.get(source);
  if (cache === undefined) {
    cache = new Map();
    byModel.set(source, cache);
  }
  const key = targetKey(target);
  let w = cache.get(key);
  if (w === undefined) {
    w = new WrapperModule(source, target);
    cache.set(key, w);
  }
  return w;
}
