// The WASI preview1 function table: all 46 functions of wasi_snapshot_preview1 with
// their witx signatures, each with a body, and the import object built from it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasiContext } from '../../src/wasi/context.ts';
import { WASI_FUNCTIONS, wasiFuncType } from '../../src/wasi/functions.ts';
import { wasiBody, wasiImports } from '../../src/wasi/imports.ts';
import { guest, WASI_IMPORTS, wasm } from './helpers.ts';

/** The core signatures of wasi_snapshot_preview1.witx (params → result), written out independently. */
const WITX: Record<string, string> = {
  args_get: 'i32 i32', args_sizes_get: 'i32 i32', environ_get: 'i32 i32', environ_sizes_get: 'i32 i32',
  clock_res_get: 'i32 i32', clock_time_get: 'i32 i64 i32', fd_advise: 'i32 i64 i64 i32', fd_allocate: 'i32 i64 i64',
  fd_close: 'i32', fd_datasync: 'i32', fd_fdstat_get: 'i32 i32', fd_fdstat_set_flags: 'i32 i32',
  fd_fdstat_set_rights: 'i32 i64 i64', fd_filestat_get: 'i32 i32', fd_filestat_set_size: 'i32 i64',
  fd_filestat_set_times: 'i32 i64 i64 i32', fd_pread: 'i32 i32 i32 i64 i32', fd_prestat_get: 'i32 i32',
  fd_prestat_dir_name: 'i32 i32 i32', fd_pwrite: 'i32 i32 i32 i64 i32', fd_read: 'i32 i32 i32 i32',
  fd_readdir: 'i32 i32 i32 i64 i32', fd_renumber: 'i32 i32', fd_seek: 'i32 i64 i32 i32', fd_sync: 'i32',
  fd_tell: 'i32 i32', fd_write: 'i32 i32 i32 i32', path_create_directory: 'i32 i32 i32',
  path_filestat_get: 'i32 i32 i32 i32 i32', path_filestat_set_times: 'i32 i32 i32 i32 i64 i64 i32',
  path_link: 'i32 i32 i32 i32 i32 i32 i32', path_open: 'i32 i32 i32 i32 i32 i64 i64 i32 i32',
  path_readlink: 'i32 i32 i32 i32 i32 i32', path_remove_directory: 'i32 i32 i32',
  path_rename: 'i32 i32 i32 i32 i32 i32', path_symlink: 'i32 i32 i32 i32 i32', path_unlink_file: 'i32 i32 i32',
  poll_oneoff: 'i32 i32 i32 i32', proc_exit: 'i32', proc_raise: 'i32', sched_yield: '', random_get: 'i32 i32',
  sock_accept: 'i32 i32 i32', sock_recv: 'i32 i32 i32 i32 i32 i32', sock_send: 'i32 i32 i32 i32 i32',
  sock_shutdown: 'i32 i32',
};

describe('WASI function table', () => {
  it('lists the 46 functions of wasi_snapshot_preview1 once each, with their witx types', () => {
    assert.equal(WASI_FUNCTIONS.length, 46);
    assert.equal(new Set(WASI_FUNCTIONS.map((f) => f.name)).size, 46);
    assert.deepEqual(Object.keys(WITX).sort(), WASI_FUNCTIONS.map((f) => f.name).sort());
    for (const f of WASI_FUNCTIONS) {
      assert.equal(f.params.map((p) => p[1]).join(' '), WITX[f.name], f.name);
      assert.deepEqual(wasiFuncType(f).results, f.name === 'proc_exit' ? [] : ['i32'], f.name);
    }
  });

  it('has a body for every function, and marks exactly the waiting ones as blocking', () => {
    for (const f of WASI_FUNCTIONS) assert.equal(typeof wasiBody(f.name), 'function', f.name);
    assert.deepEqual(WASI_FUNCTIONS.filter((f) => f.blocking).map((f) => f.name).sort(), ['fd_read', 'poll_oneoff', 'sock_accept', 'sock_recv']);
    assert.equal(wasiBody('toString'), undefined);
  });

  it('builds an import object a module importing all 46 functions links against', () => {
    const imports = wasiImports(new WasiContext(), { memory: () => undefined });
    assert.equal(Object.keys(imports).length, 46);
    const module = new WebAssembly.Module(wasm(`(module ${WASI_IMPORTS})`));
    assert.doesNotThrow(() => new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports as Record<string, Function> }));
    const asyncImports = wasiImports(new WasiContext(), { memory: () => undefined, async: true });
    assert.doesNotThrow(() => new WebAssembly.Instance(module, { wasi_snapshot_preview1: asyncImports as Record<string, Function> }));
  });

  it('traces each call with its arguments and errno', () => {
    const lines: string[] = [];
    const g = guest({ trace: (l) => lines.push(l) });
    g.call('fd_close', 99);
    g.call('sched_yield');
    assert.deepEqual(lines, ['fd_close(fd=99) -> badf', 'sched_yield() -> success']);
  });

  it('returns an errno, never a host exception, for any arguments (wild pointers and lengths)', () => {
    const g = guest({ args: ['a'], env: { A: 'b' }, stdin: 'x' });
    const WILD = [0xffffffff, 0xfffffff0, 65536, 65535, 65533, 0x80000000];
    for (const f of WASI_FUNCTIONS) {
      if (f.name === 'proc_exit') continue;
      for (const wild of WILD) {
        for (let k = 0; k < f.params.length; k++) {
          // every parameter wild in turn, the others small and plausible
          const args = f.params.map(([name, type], i) => (type === 'i64' ? (i === k ? -1n : 0n) : i === k ? wild : name === 'fd' ? 0 : name.endsWith('_len') || name === 'nsubscriptions' ? 1 : 64));
          const r = g.call(f.name, ...args);
          assert.equal(typeof r, 'string', `${f.name}(${args.join(', ')})`);
        }
      }
    }
  });

  it('answers fault for pointers past the end of memory', () => {
    const g = guest({ args: ['prog'] });
    assert.equal(g.call('args_sizes_get', 65533, 0), 'fault');
    assert.equal(g.call('args_get', 0, 65535), 'fault');
    assert.equal(g.call('clock_time_get', 0, 0n, 65529), 'fault');
    assert.equal(g.call('clock_time_get', 0, 0n, 65528), 'success');
    assert.equal(g.call('random_get', 65000, 537), 'fault');
    assert.equal(g.call('random_get', 0xffffffff, 2), 'fault');
    assert.equal(g.call('fd_fdstat_get', 1, 65520), 'fault');
    assert.equal(g.call('fd_write', 1, 65532, 1, 0), 'fault'); // the iovec itself is out of bounds
    g.setU32(0, 65000);
    g.setU32(4, 1000); // the iovec's buffer runs past the end
    assert.equal(g.call('fd_write', 1, 0, 1, 16), 'fault');
    assert.equal(g.stdout.bytes().length, 0, 'nothing written when a later check fails');
  });

  it('sees memory growth between calls', () => {
    const bytes = wasm(`(module ${WASI_IMPORTS} (memory (export "memory") 1)
      (func (export "grow") (result i32) (memory.grow (i32.const 1)))
      (func (export "call_random_get") (param i32 i32) (result i32) (call $random_get (local.get 0) (local.get 1))))`);
    const g = guest({ random: (b) => b.fill(7) }, { bytes });
    assert.equal(g.call('random_get', 70000, 4), 'fault');
    (g.instance.exports.grow as () => number)();
    assert.equal(g.call('random_get', 70000, 4), 'success');
    assert.deepEqual([...g.bytes(70000, 4)], [7, 7, 7, 7]);
  });

  it('works on a shared memory (threads): strings, random bytes, writes', async () => {
    const { MemoryFileSystem } = await import('../../src/wasi/fs/memory.ts');
    const bytes = wasm(`(module ${WASI_IMPORTS} (memory (export "memory") 1 1 shared)
      (func (export "call_random_get") (param i32 i32) (result i32) (call $random_get (local.get 0) (local.get 1)))
      (func (export "call_fd_write") (param i32 i32 i32 i32) (result i32) (call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (func (export "call_path_create_directory") (param i32 i32 i32) (result i32) (call $path_create_directory (local.get 0) (local.get 1) (local.get 2))))`);
    const g = guest({ random: (b) => b.fill(5), preopens: [{ guestPath: '/', dir: new MemoryFileSystem().root() }] }, { bytes });
    assert.ok(g.memory.buffer instanceof SharedArrayBuffer);
    assert.equal(g.call('random_get', 0, 4), 'success');
    assert.deepEqual([...g.bytes(0, 4)], [5, 5, 5, 5]);
    const n = g.put(100, 'dir');
    assert.equal(g.call('path_create_directory', 3, 100, n), 'success');
    g.setU32(200, 100);
    g.setU32(204, 3);
    assert.equal(g.call('fd_write', 1, 200, 1, 300), 'success');
    assert.equal(g.stdout.text(), 'dir');
  });

  it('faults every pointer when the module exports no memory', () => {
    const bytes = wasm(`(module ${WASI_IMPORTS} (func (export "call_args_sizes_get") (param i32 i32) (result i32) (call $args_sizes_get (local.get 0) (local.get 1))) (memory 1) (export "memory" (memory 0)))`);
    const ctx = new WasiContext();
    const imports = wasiImports(ctx, { memory: () => undefined });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { wasi_snapshot_preview1: imports as Record<string, Function> });
    assert.equal((instance.exports.call_args_sizes_get as (a: number, b: number) => number)(0, 4), 21);
  });
});
