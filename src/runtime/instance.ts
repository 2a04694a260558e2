// An instance (Wasmtime's `Instance`; spec §4.2.6 "Module Instances"): a module linked and
// instantiated in a store, with typed access to its exports.

import type { ExternType } from './extern-types.ts';
import { Func } from './func.ts';
import { remember } from './known.ts';
import type { Module } from './module.ts';
import type { Store } from './store.ts';

export class Instance {
  readonly module: Module;
  readonly store: Store<any>;
  /** V8's exports object, as the JS API gives it. */
  readonly exports: Readonly<Record<string, unknown>>;
  private funcs: Map<string, Func> | null = null;

  constructor(module: Module, store: Store<any>, exports: Readonly<Record<string, unknown>>) {
    this.module = module;
    this.store = store;
    this.exports = exports;
  }

  /** The exported function `name`, or undefined when there is no function export of that name. */
  getFunc(name: string): Func | undefined {
    let func = this.funcs?.get(name);
    if (func !== undefined) return func;
    const index = this.indexOf(name, 'func');
    if (index < 0) return undefined;
    func = new Func(this.exports[name] as (...args: unknown[]) => unknown, this.store, this.module.info, index);
    (this.funcs ??= new Map()).set(name, func);
    return func;
  }

  getMemory(name: string): WebAssembly.Memory | undefined {
    return this.item(name, 'memory') as WebAssembly.Memory | undefined;
  }

  getGlobal(name: string): WebAssembly.Global | undefined {
    return this.item(name, 'global') as WebAssembly.Global | undefined;
  }

  getTable(name: string): WebAssembly.Table | undefined {
    return this.item(name, 'table') as WebAssembly.Table | undefined;
  }

  getTag(name: string): WebAssembly.Tag | undefined {
    return this.item(name, 'tag') as WebAssembly.Tag | undefined;
  }

  /** The export `name` if it is of kind `kind`, remembered with its type for linking. */
  private item(name: string, kind: ExternType['kind']): unknown {
    const index = this.indexOf(name, kind);
    if (index < 0) return undefined;
    const value = this.exports[name];
    remember(value, { info: this.module.info, kind, index });
    return value;
  }

  /** The index of export `name` in the index space of `kind`, or -1. */
  private indexOf(name: string, kind: ExternType['kind']): number {
    const e = this.module.info.exportNamed(name);
    return e !== undefined && e.kind === kind ? e.index : -1;
  }
}
