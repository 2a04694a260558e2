// WASI preview1 on the runtime's Linker (Wasmtime's `wasmtime_wasi::add_to_linker`): all
// 46 functions of the table, each finding its WasiContext in the store's data and the
// memory in the calling instance.

import type { Caller, FuncType } from '../runtime/index.ts';
import type { CallEnv } from './call-env.ts';
import type { WasiContext } from './context.ts';
import { WASI_FUNCTIONS, wasiFuncType } from './functions.ts';
import { makeHostFunction, WASI_MODULE } from './imports.ts';
import { GuestMemory } from './memory.ts';

/** The part of the runtime's Linker used here. */
export interface WasiLinker<T> {
  defineFunc(module: string, name: string, type: FuncType, fn: (caller: Caller<T>, ...args: any[]) => unknown, options?: { async?: boolean }): unknown;
}

export interface AddWasiOptions {
  /**
   * Asynchronous blocking functions (fd_read, poll_oneoff, sock_accept, sock_recv): they
   * suspend the guest with JSPI, which must then be entered with `Func.callAsync`.
   */
  readonly async?: boolean;
  /** Receives one line per call (name, arguments, errno). */
  readonly trace?: (line: string) => void;
}

interface PerInstance {
  readonly sync: CallEnv;
  readonly async: CallEnv;
}

/** Defines `wasi_snapshot_preview1` on `linker`; `select` finds the context in the store's data. */
export function addWasiToLinker<T>(linker: WasiLinker<T>, select: (data: T) => WasiContext, options: AddWasiOptions = {}): void {
  // One GuestMemory per calling instance (its Caller), bound to that instance's memory.
  // Not one per context with the memory swapped in on each call: instances sharing a
  // store share the context, and a call suspended in fd_read (JSPI) would then resume
  // with whichever instance called last, and write its data into that one's memory.
  const states = new WeakMap<Caller<T>, PerInstance>();
  const stateOf = (caller: Caller<T>): PerInstance => {
    const ctx = select(caller.data);
    let s = states.get(caller);
    if (s === undefined || s.sync.ctx !== ctx) {
      const mem = new GuestMemory(() => caller.memory());
      s = { sync: { ctx, mem, canSuspend: false }, async: { ctx, mem, canSuspend: true } };
      states.set(caller, s);
    }
    return s;
  };
  for (const f of WASI_FUNCTIONS) {
    const suspend = options.async === true && f.blocking;
    let current: PerInstance | null = null;
    const host = makeHostFunction(f, () => (suspend ? current!.async : current!.sync), options.trace ?? null);
    const fn = (caller: Caller<T>, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown, h?: unknown, i?: unknown, j?: unknown) => {
      current = stateOf(caller);
      return host(a, b, c, d, e, g, h, i, j);
    };
    linker.defineFunc(WASI_MODULE, f.name, wasiFuncType(f), fn, { async: suspend });
  }
}
