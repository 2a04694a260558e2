// The attack suite's target (test/wasi/attack.test.ts): a granted directory with a secret
// just outside it, on the host file system (a fresh temporary directory) or in memory,
// and a hostile guest probing it through the real WASI imports on the runtime's Linker.
//
// Layout, the same on both file systems:
//   <top>/root/                  the preopen (fd 3, guest path "/sandbox")
//   <top>/root/file              "inside"
//   <top>/root/sub/              a subdirectory
//   <top>/root/host-rel   ->     ../outside/secret   (links the HOST made)
//   <top>/root/host-abs   ->     <top>/outside/secret (absolute)
//   <top>/outside/secret         SECRET: must never reach the guest
//   <top>/outside/keep/          a directory nothing may remove

import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModule } from '../../../src/binary/index.ts';
import { Engine, Linker, Module, Store } from '../../../src/runtime/index.ts';
import { parseModule } from '../../../src/text/index.ts';
import { WasiContext, type WasiOptions } from '../../../src/wasi/context.ts';
import { ERRNO, type ErrnoName } from '../../../src/wasi/errno.ts';
import { WASI_FUNCTIONS } from '../../../src/wasi/functions.ts';
import { openHostDirectory } from '../../../src/wasi/fs/host.ts';
import { MemoryFileSystem } from '../../../src/wasi/fs/memory.ts';
import type { Directory } from '../../../src/wasi/fs/types.ts';
import { addWasiToLinker } from '../../../src/wasi/linker.ts';
import { MemoryOutput } from '../../../src/wasi/streams.ts';

export const SECRET = 'TOP-SECRET-7f3a9c-never-in-the-guest';
export const GUEST_ROOT = '/sandbox';
export type FsKind = 'host' | 'memory';
export const FS_KINDS: readonly FsKind[] = ['host', 'memory'];

export interface Sandbox {
  readonly kind: FsKind;
  /** The preopen's directory handle. */
  readonly dir: Directory;
  /** The host path of <top> (host only): must never reach the guest. */
  readonly top: string | null;
  /** Everything outside root/: names, types, contents, times. */
  outside(): string;
  /** The tree inside root/ (names and types), to check a refused call changed nothing. */
  inside(): string;
  cleanup(): void;
}

export function makeSandbox(kind: FsKind, options: { readOnly?: boolean } = {}): Sandbox {
  return kind === 'host' ? hostSandbox(options) : memorySandbox(options);
}

function hostSandbox(options: { readOnly?: boolean }): Sandbox {
  const top = mkdtempSync(join(tmpdir(), 'nanoprocess-attack-'));
  mkdirSync(join(top, 'root', 'sub'), { recursive: true });
  mkdirSync(join(top, 'outside', 'keep'), { recursive: true });
  writeFileSync(join(top, 'root', 'file'), 'inside');
  writeFileSync(join(top, 'outside', 'secret'), SECRET);
  symlinkSync('../outside/secret', join(top, 'root', 'host-rel'));
  symlinkSync(join(top, 'outside', 'secret'), join(top, 'root', 'host-abs'));
  const dir = openHostDirectory(join(top, 'root'), { readOnly: options.readOnly });
  // Sizes, contents and modification times (not access times: reading for the snapshot sets them).
  const describe = (path: string, skip: string | null, times: boolean): string => {
    const lines: string[] = [];
    const walk = (p: string, rel: string) => {
      for (const name of readdirSync(p).sort()) {
        const full = join(p, name);
        const r = rel === '' ? name : `${rel}/${name}`;
        if (r === skip) continue;
        const s = lstatSync(full, { bigint: true });
        if (s.isDirectory()) {
          lines.push(`${r}/ ${times ? s.mtimeNs : ''}`);
          walk(full, r);
        } else if (s.isSymbolicLink()) lines.push(`${r} -> link`);
        else lines.push(`${r} ${s.size} ${times ? s.mtimeNs : ''} ${readFileSync(full, 'latin1')}`);
      }
    };
    walk(path, '');
    return lines.join('\n');
  };
  return {
    kind: 'host',
    dir,
    top,
    // The temporary directory itself too: nothing may appear next to root/ and outside/.
    outside: () => describe(top, 'root', true),
    inside: () => describe(join(top, 'root'), null, false),
    cleanup: () => {
      dir.close();
      rmSync(top, { recursive: true, force: true });
    },
  };
}

function memorySandbox(options: { readOnly?: boolean }): Sandbox {
  const fs = new MemoryFileSystem();
  fs.mkdir('root/sub', { recursive: true });
  fs.mkdir('outside/keep', { recursive: true });
  fs.writeFile('root/file', 'inside');
  fs.writeFile('outside/secret', SECRET);
  fs.symlink('../outside/secret', 'root/host-rel');
  fs.symlink('/outside/secret', 'root/host-abs');
  const top = fs.root();
  const dir = top.openDirectory('root');
  top.close();
  if (options.readOnly) {
    // A read-only handle on root/: the embedder's way to grant a read-only tree.
    const ro = fs.root({ readOnly: true });
    const roDir = ro.openDirectory('root');
    ro.close();
    dir.close();
    return memoryView(fs, roDir);
  }
  return memoryView(fs, dir);
}

function memoryView(fs: MemoryFileSystem, dir: Directory): Sandbox {
  const describe = (path: string, skip: string | null, times: boolean): string => {
    const lines: string[] = [];
    const walk = (p: string) => {
      for (const name of fs.readdir(p).sort()) {
        const r = p === '' ? name : `${p}/${name}`;
        if (r === skip) continue;
        const s = fs.stat(r);
        if (s.type === 'directory') {
          lines.push(`${r}/ ${times ? s.mtim : ''}`);
          walk(r);
        } else if (s.type === 'symbolic-link') lines.push(`${r} -> link`);
        else lines.push(`${r} ${s.size} ${times ? s.mtim : ''} ${new TextDecoder().decode(fs.readFile(r))}`);
      }
    };
    walk(path);
    return lines.join('\n');
  };
  return {
    kind: 'memory',
    dir,
    top: null,
    outside: () => describe('', 'root', true),
    inside: () => describe('root', null, false).replace(/^root\//gm, ''),
    cleanup: () => dir.close(),
  };
}

// ---- the hostile guest ----

const wat = (text: string) => encodeModule(parseModule(text));

const IMPORTS = WASI_FUNCTIONS.map(
  (f) =>
    `(import "wasi_snapshot_preview1" "${f.name}" (func $${f.name} ${f.params.length ? `(param ${f.params.map((p) => p[1]).join(' ')})` : ''} ${f.result === 'errno' ? '(result i32)' : ''}))`,
).join('\n');

/** WAT text of a guest exporting every WASI function as `call_NAME`, plus `extra` fields. */
export function probeText(extra = '', pages = 2): string {
  const exports = WASI_FUNCTIONS.map((f) => {
    const params = f.params.map((p, i) => `(param $p${i} ${p[1]})`).join(' ');
    const gets = f.params.map((_, i) => `(local.get $p${i})`).join(' ');
    return `(func (export "call_${f.name}") ${params} ${f.result === 'errno' ? '(result i32)' : ''} (call $${f.name} ${gets}))`;
  }).join('\n');
  return `(module ${IMPORTS} (memory (export "memory") ${pages}) ${exports}
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))) ${extra})`;
}

export { IMPORTS as WASI_IMPORTS, wat };

const NAMES = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k])) as Record<number, ErrnoName>;

export interface Attacker {
  readonly ctx: WasiContext;
  readonly stdout: MemoryOutput;
  readonly stderr: MemoryOutput;
  /** Calls WASI function `name` from inside the guest; the errno's name. */
  call(name: string, ...args: (number | bigint)[]): ErrnoName;
  callAsync(name: string, ...args: (number | bigint)[]): Promise<ErrnoName>;
  /** Calls another export of the guest. */
  raw(name: string, ...args: unknown[]): unknown;
  rawAsync(name: string, ...args: unknown[]): Promise<unknown>;
  memory(): Uint8Array;
  put(ptr: number, data: string | Uint8Array): number;
  u32(ptr: number): number;
  u64(ptr: number): bigint;
  setU32(ptr: number, v: number): void;
  text(ptr: number, len: number): string;
  /** Calls `name(fd, path_ptr, path_len, ...rest)` with the path at PATH_AT. */
  path(name: string, fd: number, path: string | Uint8Array, ...rest: (number | bigint)[]): ErrnoName;
  /** Opens `path` beneath `fd`: errno and the new fd (or -1). */
  open(fd: number, path: string | Uint8Array, options?: { follow?: boolean; oflags?: number; base?: bigint; inheriting?: bigint; fdflags?: number }): { errno: ErrnoName; fd: number };
  /** Reads everything readable from `fd` into guest memory at 16384 (up to 4096 bytes). */
  read(fd: number): { errno: ErrnoName; text: string };
}

export const PATH_AT = 1024;
export const PATH2_AT = 65536; // the second page: the first may hold a path of 60000 bytes
export const OUT_AT = 512;
export const IOV_AT = 3072;
export const DATA_AT = 16384;
export const ALL_RIGHTS = (1n << 30n) - 1n;

/** Instantiates the probe guest through Linker + Store, as runWasi does. */
export async function attacker(options: WasiOptions & { bytes?: Uint8Array; async?: boolean } = {}): Promise<Attacker> {
  const stdout = new MemoryOutput();
  const stderr = new MemoryOutput();
  const ctx = new WasiContext({ stdout, stderr, ...options });
  const engine = new Engine();
  const linker = new Linker<WasiContext>(engine);
  addWasiToLinker(linker, (c) => c, { async: options.async ?? false });
  const module = await Module.compile(engine, options.bytes ?? PROBE);
  const store = new Store<WasiContext>(engine, ctx);
  const instance = await linker.instantiateAsync(store, module);
  const fn = (name: string) => {
    const f = instance.getFunc(name);
    if (f === undefined) throw new Error(`no export ${name}`);
    return f;
  };
  const mem = () => new Uint8Array((instance.getMemory('memory') as WebAssembly.Memory).buffer);
  const view = () => new DataView(mem().buffer);
  const a: Attacker = {
    ctx,
    stdout,
    stderr,
    call: (name, ...args) => NAMES[fn(`call_${name}`).call(...args) as number]!,
    callAsync: async (name, ...args) => NAMES[(await fn(`call_${name}`).callAsync(...args)) as number]!,
    raw: (name, ...args) => fn(name).call(...args),
    rawAsync: (name, ...args) => fn(name).callAsync(...args),
    memory: mem,
    put: (ptr, data) => {
      const b = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      mem().set(b, ptr);
      return b.length;
    },
    u32: (ptr) => view().getUint32(ptr, true),
    u64: (ptr) => view().getBigUint64(ptr, true),
    setU32: (ptr, v) => view().setUint32(ptr, v >>> 0, true),
    text: (ptr, len) => new TextDecoder().decode(mem().subarray(ptr, ptr + len)),
    path: (name, fd, path, ...rest) => {
      const len = a.put(PATH_AT, path);
      return a.call(name, fd, PATH_AT, len, ...rest);
    },
    open: (fd, path, o = {}) => {
      const len = a.put(PATH_AT, path);
      a.setU32(OUT_AT, 0xffffffff);
      const errno = a.call('path_open', fd, o.follow === false ? 0 : 1, PATH_AT, len, o.oflags ?? 0, o.base ?? ALL_RIGHTS, o.inheriting ?? ALL_RIGHTS, o.fdflags ?? 0, OUT_AT);
      return { errno, fd: errno === 'success' ? a.u32(OUT_AT) : -1 };
    },
    read: (fd) => {
      a.setU32(IOV_AT, DATA_AT);
      a.setU32(IOV_AT + 4, 4096);
      const errno = a.call('fd_read', fd, IOV_AT, 1, OUT_AT);
      return { errno, text: errno === 'success' ? a.text(DATA_AT, a.u32(OUT_AT)) : '' };
    },
  };
  return a;
}

const PROBE = wat(probeText());

/** Whether `needle` occurs in `hay` (bytes). */
export function contains(hay: Uint8Array, needle: string): boolean {
  const n = new TextEncoder().encode(needle);
  if (n.length === 0) return false;
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    if (hay[i] !== n[0]) continue;
    for (let k = 1; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return true;
  }
  return false;
}
