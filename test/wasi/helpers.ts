// Test helpers for WASI: WAT guests instantiated with the plain WebAssembly JS API (or the
// runtime's Linker), a context with in-memory stdio, and memory inspection.

import { encodeModule } from '../../src/binary/index.ts';
import { parseModule } from '../../src/text/index.ts';
import { WasiContext, WasiExit, type WasiOptions } from '../../src/wasi/context.ts';
import { ERRNO, type ErrnoName } from '../../src/wasi/errno.ts';
import { WASI_FUNCTIONS } from '../../src/wasi/functions.ts';
import { wasiImports } from '../../src/wasi/imports.ts';
import { MemoryOutput } from '../../src/wasi/streams.ts';

export const wasm = (text: string) => encodeModule(parseModule(text));

/** Import declarations for every WASI function, as `$name`. */
export const WASI_IMPORTS = WASI_FUNCTIONS.map(
  (f) =>
    `(import "wasi_snapshot_preview1" "${f.name}" (func $${f.name} ${f.params.length ? `(param ${f.params.map((p) => p[1]).join(' ')})` : ''} ${f.result === 'errno' ? '(result i32)' : ''}))`,
).join('\n');

/**
 * A guest that exports every WASI function as `call_NAME` (so tests call them directly
 * with any arguments), a memory of `pages` pages, and optional extra fields.
 */
export function probeModule(extra = '', pages = 1): Uint8Array {
  const exports = WASI_FUNCTIONS.map((f) => {
    const params = f.params.map((p, i) => `(param $p${i} ${p[1]})`).join(' ');
    const gets = f.params.map((_, i) => `(local.get $p${i})`).join(' ');
    return `(func (export "call_${f.name}") ${params} ${f.result === 'errno' ? '(result i32)' : ''} (call $${f.name} ${gets}))`;
  }).join('\n');
  return wasm(`(module ${WASI_IMPORTS} (memory (export "memory") ${pages}) ${exports} ${extra})`);
}

const PROBE = probeModule();

export interface Guest {
  readonly ctx: WasiContext;
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory;
  readonly stdout: MemoryOutput;
  readonly stderr: MemoryOutput;
  /** Calls WASI function `name` through the guest; returns the errno's name. */
  call(name: string, ...args: (number | bigint)[]): ErrnoName;
  callAsync(name: string, ...args: (number | bigint)[]): Promise<ErrnoName>;
  view(): DataView;
  bytes(ptr: number, len: number): Uint8Array;
  /** Writes a string (UTF-8) at `ptr`; returns its length in bytes. */
  put(ptr: number, text: string | Uint8Array): number;
  text(ptr: number, len: number): string;
  u32(ptr: number): number;
  u64(ptr: number): bigint;
  setU32(ptr: number, v: number): void;
}

const NAMES = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k])) as Record<number, ErrnoName>;

export function errnoName(n: number): ErrnoName {
  return NAMES[n] ?? (`#${n}` as ErrnoName);
}

/** Instantiates the probe module (or `bytes`) with a context from `options`. */
export function guest(options: WasiOptions = {}, config: { async?: boolean; bytes?: Uint8Array } = {}): Guest {
  const stdout = new MemoryOutput();
  const stderr = new MemoryOutput();
  const ctx = new WasiContext({ stdout, stderr, ...options });
  let memory: WebAssembly.Memory | undefined;
  const imports = wasiImports(ctx, { memory: () => memory, async: config.async });
  const module = new WebAssembly.Module(config.bytes ?? PROBE);
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports as Record<string, Function> });
  memory = instance.exports.memory as WebAssembly.Memory;
  const fn = (name: string) => instance.exports[`call_${name}`] as (...a: unknown[]) => number;
  const promisingOf = (f: Function) => (WebAssembly as unknown as { promising(f: Function): (...a: unknown[]) => Promise<number> }).promising(f);
  return {
    ctx,
    instance,
    memory,
    stdout,
    stderr,
    call: (name, ...args) => errnoName(fn(name)(...args)),
    callAsync: async (name, ...args) => errnoName(await promisingOf(fn(name))(...args)),
    view: () => new DataView(memory!.buffer),
    bytes: (ptr, len) => new Uint8Array(memory!.buffer, ptr, len).slice(),
    put: (ptr, text) => {
      const b = typeof text === 'string' ? new TextEncoder().encode(text) : text;
      new Uint8Array(memory!.buffer).set(b, ptr);
      return b.length;
    },
    text: (ptr, len) => new TextDecoder().decode(new Uint8Array(memory!.buffer, ptr, len)),
    u32: (ptr) => new DataView(memory!.buffer).getUint32(ptr, true),
    u64: (ptr) => new DataView(memory!.buffer).getBigUint64(ptr, true),
    setU32: (ptr, v) => new DataView(memory!.buffer).setUint32(ptr, v, true),
  };
}

/** Runs `f`, expecting proc_exit; returns its code. */
export function exitCodeOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    throw e;
  }
  throw new Error('expected proc_exit');
}

/** Writes iovecs at `at`: [ptr, len] pairs. */
export function putIovecs(g: Guest, at: number, iovs: readonly (readonly [number, number])[]): void {
  iovs.forEach(([p, l], i) => {
    g.setU32(at + i * 8, p);
    g.setU32(at + i * 8 + 4, l);
  });
}

// Scratch areas of the probe's memory used by the helpers below.
const PATH_AT = 1024;
const PATH2_AT = 2048;
const IOV_AT = 3072;
const DATA_AT = 4096;
const OUT_AT = 512;

export const ALL = (1n << 30n) - 1n;
/** What wasi-libc asks for when opening a directory: everything but writing. */
export const DIR_ALL = ALL & ~(1n << 6n);

export interface Opened {
  readonly errno: ErrnoName;
  readonly fd: number;
}

export function pathOpen(
  g: Guest,
  dirfd: number,
  path: string,
  options: { oflags?: number; base?: bigint; inheriting?: bigint; fdflags?: number; follow?: boolean } = {},
): Opened {
  const len = g.put(PATH_AT, path);
  g.setU32(OUT_AT, 0xdeadbeef);
  const errno = g.call('path_open', dirfd, options.follow === false ? 0 : 1, PATH_AT, len, options.oflags ?? 0, options.base ?? ALL, options.inheriting ?? ALL, options.fdflags ?? 0, OUT_AT);
  return { errno, fd: g.u32(OUT_AT) };
}

/** Calls a path function taking (fd, path_ptr, path_len). */
export function pathCall(g: Guest, name: string, dirfd: number, path: string): ErrnoName {
  const len = g.put(PATH_AT, path);
  return g.call(name, dirfd, PATH_AT, len);
}

export function pathCall2(g: Guest, name: 'path_rename' | 'path_link', fd1: number, p1: string, fd2: number, p2: string, follow = false): ErrnoName {
  const l1 = g.put(PATH_AT, p1);
  const l2 = g.put(PATH2_AT, p2);
  if (name === 'path_rename') return g.call(name, fd1, PATH_AT, l1, fd2, PATH2_AT, l2);
  return g.call(name, fd1, follow ? 1 : 0, PATH_AT, l1, fd2, PATH2_AT, l2);
}

export function symlink(g: Guest, target: string, dirfd: number, path: string): ErrnoName {
  const l1 = g.put(PATH_AT, target);
  const l2 = g.put(PATH2_AT, path);
  return g.call('path_symlink', PATH_AT, l1, dirfd, PATH2_AT, l2);
}

export function write(g: Guest, fd: number, data: string | Uint8Array, name: 'fd_write' | 'fd_pwrite' = 'fd_write', offset = 0n): { errno: ErrnoName; n: number } {
  const len = g.put(DATA_AT, data);
  putIovecs(g, IOV_AT, [[DATA_AT, len]]);
  const errno = name === 'fd_write' ? g.call('fd_write', fd, IOV_AT, 1, OUT_AT) : g.call('fd_pwrite', fd, IOV_AT, 1, offset, OUT_AT);
  return { errno, n: g.u32(OUT_AT) };
}

export function read(g: Guest, fd: number, max: number, name: 'fd_read' | 'fd_pread' = 'fd_read', offset = 0n): { errno: ErrnoName; text: string } {
  putIovecs(g, IOV_AT, [[DATA_AT, max]]);
  g.setU32(OUT_AT, 0);
  const errno = name === 'fd_read' ? g.call('fd_read', fd, IOV_AT, 1, OUT_AT) : g.call('fd_pread', fd, IOV_AT, 1, offset, OUT_AT);
  return { errno, text: errno === 'success' ? g.text(DATA_AT, g.u32(OUT_AT)) : '' };
}

export interface Stat {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly filetype: number;
  readonly nlink: bigint;
  readonly size: bigint;
  readonly atim: bigint;
  readonly mtim: bigint;
  readonly ctim: bigint;
}

export function readStat(g: Guest, at: number): Stat {
  const v = g.view();
  return {
    dev: v.getBigUint64(at, true),
    ino: v.getBigUint64(at + 8, true),
    filetype: v.getUint8(at + 16),
    nlink: v.getBigUint64(at + 24, true),
    size: v.getBigUint64(at + 32, true),
    atim: v.getBigUint64(at + 40, true),
    mtim: v.getBigUint64(at + 48, true),
    ctim: v.getBigUint64(at + 56, true),
  };
}

export function fdFilestat(g: Guest, fd: number): { errno: ErrnoName; stat: Stat } {
  const errno = g.call('fd_filestat_get', fd, 6000);
  return { errno, stat: readStat(g, 6000) };
}

export function pathFilestat(g: Guest, fd: number, path: string, follow = true): { errno: ErrnoName; stat: Stat } {
  const len = g.put(PATH_AT, path);
  const errno = g.call('path_filestat_get', fd, follow ? 1 : 0, PATH_AT, len, 6000);
  return { errno, stat: readStat(g, 6000) };
}

export function fdstat(g: Guest, fd: number): { errno: ErrnoName; filetype: number; flags: number; base: bigint; inheriting: bigint } {
  const errno = g.call('fd_fdstat_get', fd, 6100);
  const v = g.view();
  return { errno, filetype: v.getUint8(6100), flags: v.getUint16(6102, true), base: v.getBigUint64(6108, true), inheriting: v.getBigUint64(6116, true) };
}

export interface Dirent {
  readonly next: bigint;
  readonly ino: bigint;
  readonly name: string;
  readonly type: number;
}

/** fd_readdir into a buffer of `bufLen` bytes at 8192: the raw bytes used and the whole entries in them. */
export function readdir(g: Guest, fd: number, bufLen: number, cookie = 0n): { errno: ErrnoName; used: number; entries: Dirent[]; raw: Uint8Array } {
  const at = 8192;
  g.setU32(OUT_AT, 0xffffffff);
  const errno = g.call('fd_readdir', fd, at, bufLen, cookie, OUT_AT);
  const used = g.u32(OUT_AT);
  const raw = errno === 'success' ? g.bytes(at, used) : new Uint8Array(0);
  const entries: Dirent[] = [];
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  let p = 0;
  while (p + 24 <= raw.length) {
    const namlen = v.getUint32(p + 16, true);
    if (p + 24 + namlen > raw.length) break;
    entries.push({ next: v.getBigUint64(p, true), ino: v.getBigUint64(p + 8, true), type: v.getUint8(p + 20), name: new TextDecoder().decode(raw.subarray(p + 24, p + 24 + namlen)) });
    p += 24 + namlen;
  }
  return { errno, used, entries, raw };
}

/** Every name in the directory `fd`, by reading it with a small buffer over and over. */
export function listDir(g: Guest, fd: number): string[] {
  const names: string[] = [];
  let cookie = 0n;
  for (let round = 0; round < 1000; round++) {
    const r = readdir(g, fd, 256, cookie);
    if (r.errno !== 'success') throw new Error(`fd_readdir: ${r.errno}`);
    for (const e of r.entries) {
      names.push(e.name);
      cookie = e.next;
    }
    if (r.used < 256) return names;
  }
  throw new Error('fd_readdir does not end');
}
