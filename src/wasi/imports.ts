// The wasi_snapshot_preview1 import object, built from the function table
// (functions.ts): one host function per row, dispatching to its body in calls-*.ts,
// turning a WasiError into the errno the guest sees, optionally tracing every call.
// Blocking rows are wrapped with WebAssembly.Suspending (JSPI) when asynchronous.
//
// Why JSPI for blocking I/O. Node.js delivers socket data, connections and (for pipes
// and terminals) stdin only through the event loop, which cannot turn while a guest runs
// synchronously. The alternative, Atomics.wait on the guest's thread with the I/O done
// by a worker, needs a worker per waiting guest, copies every byte through shared
// memory, and still freezes the host's event loop (and every other guest in the process)
// while one guest waits. With JSPI only the waiting guest's stack is suspended; the event
// loop goes on serving the host and other guests, and a promise resumes the guest. The
// cost is paid only by the four functions that may wait (fd_read, poll_oneoff,
// sock_accept, sock_recv): everything else stays a plain synchronous import, so
// fd_write and clock_time_get cost no more than without JSPI. Writes never wait: stdout
// and stderr are written synchronously to the host descriptor, sockets queue in Node.js.

import { wasm, type WasmInstance } from '../runtime/webassembly.ts';
import type { CallEnv } from './call-env.ts';
import * as basic from './calls-basic.ts';
import * as fd from './calls-fd.ts';
import * as path from './calls-path.ts';
import * as poll from './calls-poll.ts';
import * as sock from './calls-sock.ts';
import { WasiConfigError, WasiExit, type WasiContext } from './context.ts';
import { ERRNO, WasiError } from './errno.ts';
import { WASI_FUNCTIONS, type WasiFunction } from './functions.ts';
import { GuestMemory } from './memory.ts';

export const WASI_MODULE = 'wasi_snapshot_preview1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = (env: CallEnv, ...args: any[]) => number | Promise<number>;
type HostFn = (...args: unknown[]) => number | Promise<number> | undefined;

const BODIES: Readonly<Record<string, Body>> = { ...basic, ...fd, ...path, ...poll, ...sock } as unknown as Record<string, Body>;

/** The body of a WASI function (every row of the table has one; a test checks it). */
export function wasiBody(name: string): Body | undefined {
  return Object.hasOwn(BODIES, name) ? BODIES[name] : undefined;
}

function errnoOf(e: unknown): number {
  if (e instanceof WasiError) return ERRNO[e.code];
  throw e; // proc_exit's WasiExit, or a bug of ours: not something to hide from the host
}

function settle(result: number | Promise<number>): number | Promise<number> {
  return typeof result === 'number' ? result : result.then((n) => n, errnoOf);
}

function describe(f: WasiFunction, args: readonly unknown[]): string {
  return `${f.name}(${f.params.map(([name], i) => `${name}=${String(args[i])}`).join(', ')})`;
}

const ERRNO_NAMES = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k])) as Record<number, string>;

/** One host function for row `f`, calling its body with `env()`'s environment. */
export function makeHostFunction(f: WasiFunction, env: (caller?: unknown) => CallEnv, trace: ((line: string) => void) | null): HostFn {
  const body = wasiBody(f.name);
  if (!body) throw new Error(`no body for WASI function ${f.name}`);
  if (trace) {
    return (...args: unknown[]) => {
      const line = describe(f, args);
      let result: number | Promise<number>;
      try {
        result = settle(body(env(), ...args));
      } catch (e) {
        if (!(e instanceof WasiError)) {
          trace(`${line} -> ${(e as Error).name}`);
          throw e;
        }
        result = ERRNO[e.code];
      }
      const report = (n: number) => (trace(`${line} -> ${ERRNO_NAMES[n] ?? n}`), n);
      return typeof result === 'number' ? report(result) : result.then(report);
    };
  }
  // Fixed parameters rather than a rest array: no allocation per call.
  return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown, h?: unknown, i?: unknown, j?: unknown) => {
    try {
      return settle(body(env(), a, b, c, d, e, g, h, i, j));
    } catch (err) {
      return errnoOf(err);
    }
  };
}

interface SuspendingConstructor {
  new (fn: (...args: never[]) => unknown): object;
}

/** WebAssembly.Suspending (JSPI), present in Node.js 24. */
export function suspending(fn: HostFn): object {
  const S = (globalThis as unknown as { WebAssembly: { Suspending?: SuspendingConstructor } }).WebAssembly.Suspending;
  if (!S) throw new Error('this JavaScript engine lacks JSPI (WebAssembly.Suspending)');
  return new S(fn);
}

export interface WasiImportOptions {
  /** The guest's memory, asked for on each call (it may be set after instantiation). */
  readonly memory: () => WebAssembly.Memory | undefined;
  /**
   * Asynchronous: the blocking functions (fd_read, poll_oneoff, sock_accept, sock_recv)
   * may suspend the guest with JSPI while they wait on the event loop; the guest must
   * then be entered through WebAssembly.promising. Default: false (they block the thread
   * or answer 'again').
   */
  readonly async?: boolean;
}

/**
 * The `wasi_snapshot_preview1` functions for the plain WebAssembly JS API:
 * `new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasiImports(ctx, { memory }) })`.
 */
export function wasiImports(ctx: WasiContext, options: WasiImportOptions): Record<string, unknown> {
  const mem = new GuestMemory(options.memory);
  const isAsync = options.async === true;
  const syncEnv: CallEnv = { ctx, mem, canSuspend: false };
  const asyncEnv: CallEnv = { ctx, mem, canSuspend: true };
  const out: Record<string, unknown> = {};
  for (const f of WASI_FUNCTIONS) {
    const suspend = isAsync && f.blocking;
    const env = suspend ? () => asyncEnv : () => syncEnv;
    const host = makeHostFunction(f, env, ctx.trace);
    out[f.name] = suspend ? suspending(host) : host;
  }
  return out;
}

/**
 * Runs a plain-API instance's `_start` (like node:wasi's `wasi.start`): resolves to the
 * exit code, proc_exit's or 0. With `async`, it enters through WebAssembly.promising so
 * that imports made with `{ async: true }` may suspend.
 */
export async function startWasi(instance: WasmInstance, options: { async?: boolean } = {}): Promise<number> {
  const start = instance.exports._start;
  if (typeof start !== 'function') throw new WasiConfigError('the module exports no _start function (a WASI command)');
  try {
    if (options.async) {
      await wasm.promising(start)();
    } else start();
    return 0;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    throw e;
  }
}
