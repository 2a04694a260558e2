// The store (Wasmtime's `Store`; spec §4.2.3 "Store"): the state of one nanoprocess — the
// host's data for it and every instance created in it. Instances of one store may share
// memories, tables and functions; nothing passes between stores unless the host passes it.
//
// Limits (a resource limiter deciding memory and table growth, fuel, deadlines) will be
// configured here, per store, as in Wasmtime; none is enforced yet.

import type { Engine } from './engine.ts';
import type { Instance } from './instance.ts';
import type { ModuleInfo } from './module-info.ts';

export class Store<T = undefined> {
  readonly engine: Engine;
  /** The host's data for this store; host functions see it as `caller.data`. */
  data: T;
  private readonly list: Instance[] = [];
  /** The modules of the instances in this store: where backtrace frames are looked up. */
  readonly modules: Set<ModuleInfo> = new Set();

  constructor(engine: Engine, ...data: undefined extends T ? [data?: T] : [data: T]) {
    this.engine = engine;
    this.data = data[0] as T;
  }

  /** Every instance created in this store, oldest first. */
  get instances(): readonly Instance[] {
    return this.list;
  }

  /** Records a new instance (internal: the linker calls it). */
  adopt(instance: Instance): void {
    this.list.push(instance);
    this.modules.add(instance.module.info);
  }
}
