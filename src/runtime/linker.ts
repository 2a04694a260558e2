// The linker (Wasmtime's `Linker`; spec §4.5.4 "Instantiation", whose imports it
// supplies): host functions, memories, tables, globals, tags and whole instances, defined
// by module and name; it links a module once (`instantiatePre`) and instantiates it many
// times.

import { EmbeddingError } from './errors.ts';
import type { FuncType } from './extern-types.ts';
import { Func } from './func.ts';
import type { Instance } from './instance.ts';
import { InstancePre } from './instance-pre.ts';
import { remember } from './known.ts';
import { checkHostType, resolveImports, type Definition, type HostFunction } from './link.ts';
import type { Module } from './module.ts';
import type { Engine } from './engine.ts';
import type { Store } from './store.ts';
import { wasm } from './webassembly.ts';

export interface DefineFuncOptions {
  /**
   * The function may return a promise: it is wrapped with `WebAssembly.Suspending` (JSPI),
   * and the guest must then be entered with `Func.callAsync` (a plain `call` fails when
   * the guest calls it).
   */
  readonly async?: boolean;
}

/** What `define` accepts: a WebAssembly object, a `Func`, or an exported function. */
export type Definable = WebAssembly.Memory | WebAssembly.Table | WebAssembly.Global | WebAssembly.Tag | Func | Function;

export class Linker<T = undefined> {
  readonly engine: Engine;
  /** Whether a second definition of a name replaces the first (default: it is an error). */
  allowShadowing = false;
  private readonly defs = new Map<string, Map<string, Definition>>();

  constructor(engine: Engine) {
    this.engine = engine;
  }

  /**
   * A host function of type `type`, called as `fn(caller, ...args)` with the JS API's
   * conversions (i64 ↔ bigint); several results are returned as an array.
   */
  defineFunc(module: string, name: string, type: FuncType, fn: HostFunction<T>, options: DefineFuncOptions = {}): this {
    if (typeof fn !== 'function') throw new TypeError(`defineFunc ${quote(module, name)}: not a function`);
    const checked = checkHostType(type, `defineFunc ${quote(module, name)}`);
    return this.set(module, name, { kind: 'host', type: checked, fn, async: options.async === true });
  }

  /**
   * A memory, table, global or tag (WebAssembly.* object), or a function: a `Func`, or a
   * function exported by an instance. Objects taken from our instances are type-checked
   * exactly; others as far as the JS API shows them, and by V8 when instantiating. A plain
   * JavaScript function gets no caller argument (prefer `defineFunc`).
   */
  define(module: string, name: string, value: Definable): this {
    if (value instanceof Func) {
      remember(value.raw, { info: value.info, kind: 'func', index: value.index });
      return this.set(module, name, { kind: 'value', value: value.raw });
    }
    const ok =
      typeof value === 'function' ||
      value instanceof wasm.Memory ||
      value instanceof wasm.Table ||
      value instanceof wasm.Global ||
      value instanceof wasm.Tag;
    if (!ok) throw new TypeError(`define ${quote(module, name)}: not a WebAssembly.Memory, Table, Global, Tag or a function`);
    return this.set(module, name, { kind: 'value', value });
  }

  /** Every export of `instance`, under the module name `moduleName`. */
  defineInstance(moduleName: string, instance: Instance): this {
    const info = instance.module.info;
    for (const e of info.header.exports) {
      const value = instance.exports[e.name] as object;
      remember(value, { info, kind: e.kind, index: e.index });
      this.set(moduleName, e.name, { kind: 'value', value });
    }
    return this;
  }

  /** Links `module` and instantiates it in `store` (LinkError names module, field and both types). */
  instantiate(store: Store<T>, module: Module): Instance {
    return this.instantiatePre(module).instantiate(store);
  }

  instantiateAsync(store: Store<T>, module: Module): Promise<Instance> {
    return this.instantiatePre(module).instantiateAsync(store);
  }

  /** Resolves and type-checks the imports of `module` once; `instantiate` on the result is cheap. */
  instantiatePre(module: Module): InstancePre<T> {
    if (module.engine !== this.engine) throw new EmbeddingError('the module was compiled with another engine than the linker\'s');
    const resolved = resolveImports(module.info, (m, n) => this.defs.get(m)?.get(n));
    return new InstancePre<T>(module, resolved);
  }

  private set(module: string, name: string, def: Definition): this {
    let names = this.defs.get(module);
    if (names === undefined) this.defs.set(module, (names = new Map()));
    if (names.has(name) && !this.allowShadowing) throw new EmbeddingError(`${quote(module, name)} is already defined`);
    names.set(name, def);
    return this;
  }
}

function quote(module: string, name: string): string {
  return `${JSON.stringify(module)}.${JSON.stringify(name)}`;
}
