// WASI preview1 calls without descriptors: args_*, environ_*, clock_*, random_get,
// proc_exit, proc_raise, sched_yield.

import { CLOCKID } from './constants.ts';
import { WasiError } from './errno.ts';
import { WasiExit } from './context.ts';
import type { CallEnv } from './call-env.ts';

/** Writes a list of strings as C's argv/environ: pointers at `listPtr`, NUL-terminated bytes at `bufPtr`. */
function writeStrings(env: CallEnv, items: readonly Uint8Array[], listPtr: number, bufPtr: number): number {
  const { mem } = env;
  const size = items.reduce((n, s) => n + s.length + 1, 0);
  mem.check(listPtr, items.length * 4);
  mem.check(bufPtr, size);
  let at = bufPtr >>> 0;
  items.forEach((s, i) => {
    mem.setU32(listPtr + i * 4, at);
    mem.write(at, s);
    mem.setU8(at + s.length, 0);
    at += s.length + 1;
  });
  return 0;
}

function writeSizes(env: CallEnv, items: readonly Uint8Array[], countPtr: number, sizePtr: number): number {
  env.mem.check(countPtr, 4);
  env.mem.check(sizePtr, 4);
  env.mem.setU32(countPtr, items.length);
  env.mem.setU32(sizePtr, items.reduce((n, s) => n + s.length + 1, 0));
  return 0;
}

export function args_get(env: CallEnv, argv: number, argvBuf: number): number {
  return writeStrings(env, env.ctx.args, argv, argvBuf);
}
export function args_sizes_get(env: CallEnv, argc: number, size: number): number {
  return writeSizes(env, env.ctx.args, argc, size);
}
export function environ_get(env: CallEnv, environ: number, environBuf: number): number {
  return writeStrings(env, env.ctx.env, environ, environBuf);
}
export function environ_sizes_get(env: CallEnv, count: number, size: number): number {
  return writeSizes(env, env.ctx.env, count, size);
}

/** The time of clock `id` in nanoseconds; 'inval' for an unknown clock. */
export function clockNow(env: CallEnv, id: number): bigint {
  switch (id >>> 0) {
    case CLOCKID.realtime:
      return env.ctx.clocks.realtime();
    case CLOCKID.monotonic:
      return env.ctx.clocks.monotonic();
    case CLOCKID.process_cputime_id:
    case CLOCKID.thread_cputime_id: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      throw new WasiError('inval');
  }
}

export function clock_res_get(env: CallEnv, id: number, resPtr: number): number {
  clockNow(env, id); // validates the id
  const res = id >>> 0 === CLOCKID.monotonic ? 1n : 1000n;
  env.mem.setU64(resPtr, res);
  return 0;
}

export function clock_time_get(env: CallEnv, id: number, _precision: bigint, timePtr: number): number {
  env.mem.setU64(timePtr, clockNow(env, id)); // one bounds check: the hot path of many programs
  return 0;
}

export function random_get(env: CallEnv, buf: number, len: number): number {
  const into = env.mem.bytes(buf, len);
  if (into.buffer instanceof ArrayBuffer) env.ctx.random(into);
  else {
    // crypto refuses views of shared memory (threads): fill a copy, then copy it in.
    const copy = new Uint8Array(into.length);
    env.ctx.random(copy);
    into.set(copy);
  }
  return 0;
}

/**
 * Unwinds with WasiExit. Codes of 126 and more are outside WASI's range (witx: "behaves
 * as if it were implemented by an unreachable instruction"); WasiExit says so with
 * `valid`, and `nanoprocess run` reports it as an error, as Wasmtime does.
 */
export function proc_exit(env: CallEnv, code: number): never {
  env.ctx.exitCode = code >>> 0;
  throw new WasiExit(code >>> 0);
}

/** Signals are not delivered to a guest: 'notsup', as Wasmtime's preview1 answers. */
export function proc_raise(_env: CallEnv, _sig: number): number {
  throw new WasiError('notsup');
}

export function sched_yield(_env: CallEnv): number {
  return 0;
}
