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

interface PerContext {
  memory: WebAssembly.Memory | undefined;
  readonly sync: CallEnv;
  readonly async: CallEnv;
}

/** Defines `wasi_snapshot_preview1` on `linker`; `select` finds the context in the store's data. */
export function addWasiToLinker<T>(linker: WasiLinker<T>, select: (data: T) => WasiContext, options: AddWasiOptions = {}): void {
  const states = new WeakMap<WasiContext, PerContext>();
  const stateOf = (caller: Caller<T>): PerContext => {
    const ctx = select(caller.data);
    let s = states.get(ctx);
    if (s === undefined) {
      const holder: { memory: WebAssembly.Memory | undefined } = { memory: undefined };
      const mem = new GuestMemory(() => holder.memory);
      s = Object.assign(holder, { sync: { ctx, mem, canSuspend: false }, async: { ctx, mem, canSuspend: true } });
      states.set(ctx, s);
    }
    s.memory = caller.memory();
    return s;
  };
  for (const f of WASI_FUNCTIONS) {
    const suspend = options.async === true && f.blocking;
    let current: PerContext | null = null;
    const host = makeHostFunction(f, () => (suspend ? current!.async : current!.sync), options.trace ?? null);
    const fn = (caller: Caller<T>, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown, h?: unknown, i?: unknown, j?: unknown) => {
      current = stateOf(caller);
      return host(a, b, c, d, e, g, h, i, j);
    };
    linker.defineFunc(WASI_MODULE, f.name, wasiFuncType(f), fn, { async: suspend });
  }
}
