// A pre-linked module (Wasmtime's `InstancePre`): imports resolved and type-checked once,
// so that each instantiation only binds the host functions to the new instance's caller
// and asks V8 for the instance (spec §4.5.4 "Instantiation", steps 4 on).

import { InstanceCaller } from './caller.ts';
import { EmbeddingError } from './errors.ts';
import { fromGuest } from './guest-error.ts';
import { Instance } from './instance.ts';
import { v8LinkError, type HostFunction, type Resolved } from './link.ts';
import type { Module } from './module.ts';
import type { Store } from './store.ts';
import type { FrameSource } from './backtrace.ts';
import { wasm, type Imports, type WasmInstance } from './webassembly.ts';

/** The imports of one module name: values shared by every instance, host functions bound per instance. */
interface ImportGroup {
  readonly module: string;
  /** The whole object when it holds no host function (then shared by every instance). */
  readonly shared: Record<string, unknown> | null;
  readonly values: readonly Resolved[];
  readonly hosts: readonly Resolved[];
}

export class InstancePre<T> {
  readonly module: Module;
  private readonly resolved: readonly Resolved[];
  private readonly groups: readonly ImportGroup[];
  private readonly hasHost: boolean;

  /** Internal: `Linker.instantiatePre` makes these. */
  constructor(module: Module, resolved: readonly Resolved[]) {
    this.module = module;
    this.resolved = resolved;
    const byModule = new Map<string, Resolved[]>();
    for (const r of resolved) {
      let list = byModule.get(r.module);
      if (list === undefined) byModule.set(r.module, (list = []));
      list.push(r);
    }
    const groups: ImportGroup[] = [];
    for (const [name, list] of byModule) {
      const hosts = list.filter((r) => r.host !== null);
      const values = list.filter((r) => r.host === null);
      groups.push({ module: name, shared: hosts.length === 0 ? fields(values) : null, values, hosts });
    }
    this.groups = groups;
    this.hasHost = resolved.some((r) => r.host !== null);
  }

  /** Instantiates the module in `store`. Throws LinkError, or a Trap from its start function. */
  instantiate(store: Store<T>): Instance {
    const caller = this.begin(store);
    let raw: WasmInstance;
    try {
      raw = new wasm.Instance(this.module.compiled, this.importObject(caller));
    } catch (e) {
      throw this.failure(e, store);
    }
    return this.finish(store, caller, raw);
  }

  /** As `instantiate`, with V8 instantiating in the background. */
  async instantiateAsync(store: Store<T>): Promise<Instance> {
    const caller = this.begin(store);
    let raw: WasmInstance;
    try {
      raw = await wasm.instantiate(this.module.compiled, this.importObject(caller));
    } catch (e) {
      throw this.failure(e, store);
    }
    return this.finish(store, caller, raw);
  }

  private begin(store: Store<T>): InstanceCaller<T> | null {
    if (store.engine !== this.module.engine) throw new EmbeddingError('the store and the module belong to different engines');
    return this.hasHost ? new InstanceCaller(store) : null;
  }

  private importObject(caller: InstanceCaller<T> | null): Imports {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const g of this.groups) {
      if (g.shared !== null) {
        imports[g.module] = g.shared;
        continue;
      }
      const o = fields(g.values);
      for (const r of g.hosts) {
        const host = r.host!;
        o[r.name] = host.async ? new wasm.Suspending(bind(startGuard(host.fn, g.module, r.name), caller!, host.arity)) : bind(host.fn, caller!, host.arity);
      }
      imports[g.module] = o;
    }
    return imports as Imports;
  }

  private finish(store: Store<T>, caller: InstanceCaller<T> | null, raw: WasmInstance): Instance {
    const instance = new Instance(this.module, store, raw.exports);
    if (caller !== null) caller.exports = raw.exports;
    store.adopt(instance);
    return instance;
  }

  private failure(e: unknown, store: Store<T>): unknown {
    if (e instanceof wasm.LinkError) return v8LinkError(e, this.module.imports, this.resolved);
    const info = this.module.info;
    return fromGuest(e, function* (): Iterable<FrameSource> {
      yield info;
      for (const m of store.modules) if (m !== info) yield m;
    });
  }
}

function fields(values: readonly Resolved[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const r of values) o[r.name] = r.value;
  return o;
}

/**
 * An async host function that refuses to run from a start function: V8 runs start
 * functions outside JSPI, where a Suspending import would return its promise unawaited.
 */
function startGuard<T>(fn: HostFunction<T>, module: string, name: string): HostFunction<T> {
  return (caller, ...args) => {
    if ((caller as InstanceCaller<T>).exports === null) {
      throw new EmbeddingError(`the async host function ${JSON.stringify(module)}.${JSON.stringify(name)} was called from a start function, which cannot suspend`);
    }
    return fn(caller, ...args);
  };
}

/**
 * The host function with the instance's caller as first argument. Each arity up to 9 gets
 * a closure with exactly that many parameters: V8 calls a JavaScript import whose
 * parameter count matches the WebAssembly signature on its fast path, and no rest array
 * is allocated per call (WASI functions take up to 9 arguments).
 */
function bind<T>(fn: HostFunction<T>, caller: InstanceCaller<T>, arity: number): (...args: any[]) => unknown {
  type V = unknown;
  // prettier-ignore
  switch (arity) {
    case 0: return () => fn(caller);
    case 1: return (a: V) => fn(caller, a);
    case 2: return (a: V, b: V) => fn(caller, a, b);
    case 3: return (a: V, b: V, c: V) => fn(caller, a, b, c);
    case 4: return (a: V, b: V, c: V, d: V) => fn(caller, a, b, c, d);
    case 5: return (a: V, b: V, c: V, d: V, e: V) => fn(caller, a, b, c, d, e);
    case 6: return (a: V, b: V, c: V, d: V, e: V, f: V) => fn(caller, a, b, c, d, e, f);
    case 7: return (a: V, b: V, c: V, d: V, e: V, f: V, g: V) => fn(caller, a, b, c, d, e, f, g);
    case 8: return (a: V, b: V, c: V, d: V, e: V, f: V, g: V, h: V) => fn(caller, a, b, c, d, e, f, g, h);
    case 9: return (a: V, b: V, c: V, d: V, e: V, f: V, g: V, h: V, i: V) => fn(caller, a, b, c, d, e, f, g, h, i);
    default: return (...args: V[]) => fn(caller, ...args);
  }
}
