// The caller (Wasmtime's `Caller`): what a host function learns about the instance that
// called it — its store, the store's data and the instance's exports.

import type { Store } from './store.ts';
import { wasm, type Exports } from './webassembly.ts';

/** What a host function receives as its first argument. */
export interface Caller<T> {
  readonly store: Store<T>;
  /** `store.data`. */
  readonly data: T;
  /**
   * The calling instance's exported memory named "memory" (undefined if none). Read
   * `memory.buffer` again after anything that may grow memory: growth replaces it.
   */
  memory(): WebAssembly.Memory | undefined;
  /** Any export of the calling instance (undefined while its start function runs). */
  export(name: string): unknown;
}

/** The caller of one instance's host functions, created before the instance exists. */
export class InstanceCaller<T> implements Caller<T> {
  readonly store: Store<T>;
  /** Set once V8 has created the instance. */
  exports: Exports | null = null;
  private mem: WebAssembly.Memory | null | undefined = undefined;

  constructor(store: Store<T>) {
    this.store = store;
  }

  get data(): T {
    return this.store.data;
  }

  memory(): WebAssembly.Memory | undefined {
    if (this.mem === undefined) {
      const exports = this.exports;
      if (exports === null) return undefined;
      // The Memory object of an instance never changes (only its buffer does).
      const m = exports.memory;
      this.mem = m instanceof wasm.Memory ? m : null;
    }
    return this.mem ?? undefined;
  }

  export(name: string): unknown {
    const exports = this.exports;
    return exports !== null && Object.hasOwn(exports, name) ? exports[name] : undefined;
  }
}
