// WASI on the runtime's Linker (addWasiToLinker, one context per store, synchronous and
// JSPI calls) and the runWasi convenience.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, Linker, Module, Store, Trap } from '../../src/runtime/index.ts';
import { WasiConfigError, WasiContext, WasiExit } from '../../src/wasi/context.ts';
import { addWasiToLinker } from '../../src/wasi/linker.ts';
import { runWasi } from '../../src/wasi/run.ts';
import { MemoryOutput } from '../../src/wasi/streams.ts';
import { ECHO, HELLO } from './guests.ts';

describe('runWasi', () => {
  it('runs _start and resolves to the exit code', async () => {
    const out = new MemoryOutput();
    assert.equal(await runWasi(HELLO, { args: ['hello', 'world'], stdout: out }), 3);
    assert.equal(out.text(), 'hi world\n');
    assert.equal(await runWasi(HELLO, { args: ['hello'] }), 0, '_start returning is exit code 0');
  });

  it('reads stdin through JSPI', async () => {
    const out = new MemoryOutput();
    assert.equal(await runWasi(ECHO, { stdin: 'echo me', stdout: out }), 0);
    assert.equal(out.text(), 'echo me');
  });

  it('rejects with a Trap, a missing _start, or a link error', async () => {
    await assert.rejects(runWasi('(module (func (export "_start") unreachable))'), (e: unknown) => e instanceof Trap && e.kind === 'unreachable');
    await assert.rejects(runWasi('(module)'), WasiConfigError);
    await assert.rejects(runWasi('(module (import "wasi_snapshot_preview1" "nope" (func)) (func (export "_start")))'), /nope/);
    await assert.rejects(runWasi('(module (import "wasi_snapshot_preview1" "fd_close" (func (param i64))) (func (export "_start")))'), /fd_close/);
  });

  it('accepts a compiled Module', async () => {
    const engine = new Engine();
    const module = await Module.compile(engine, HELLO);
    const out = new MemoryOutput();
    assert.equal(await runWasi(module, { args: ['x', 'again'], stdout: out }), 3);
    assert.equal(out.text(), 'hi again\n');
  });
});

describe('the plain WebAssembly JS API', () => {
  it('wasiImports + startWasi run a command, synchronously or with JSPI', async () => {
    const { wasiImports, startWasi } = await import('../../src/wasi/imports.ts');
    const { wasm } = await import('./helpers.ts');
    for (const [source, isAsync, args, stdin, want, code] of [
      [HELLO, false, ['p', 'plain'], '', 'hi plain\n', 3],
      [ECHO, true, ['p'], 'jspi', 'jspi', 0],
    ] as const) {
      const out = new MemoryOutput();
      const ctx = new WasiContext({ args: [...args], stdin, stdout: out });
      let memory: WebAssembly.Memory | undefined;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm(source)), {
        wasi_snapshot_preview1: wasiImports(ctx, { memory: () => memory, async: isAsync }) as Record<string, Function>,
      });
      memory = instance.exports.memory as WebAssembly.Memory;
      assert.equal(await startWasi(instance, { async: isAsync }), code);
      assert.equal(out.text(), want);
    }
    const empty = new WebAssembly.Instance(new WebAssembly.Module(wasm('(module)')));
    await assert.rejects(startWasi(empty), WasiConfigError);
  });
});

describe('addWasiToLinker', () => {
  it('gives each store its own context, through one linker', () => {
    const engine = new Engine();
    const linker = new Linker<{ wasi: WasiContext }>(engine);
    addWasiToLinker(linker, (d) => d.wasi);
    const module = Module.compileSync(engine, HELLO);
    const pre = linker.instantiatePre(module);
    for (const name of ['one', 'two']) {
      const out = new MemoryOutput();
      const store = new Store(engine, { wasi: new WasiContext({ args: ['p', name], stdout: out }) });
      const instance = pre.instantiate(store);
      assert.throws(() => instance.getFunc('_start')!.call(), (e: unknown) => e instanceof WasiExit && e.code === 3);
      assert.equal(out.text(), `hi ${name}\n`);
    }
  });

  it('registers suspending functions with { async: true } (callAsync)', async () => {
    const engine = new Engine();
    const linker = new Linker<WasiContext>(engine);
    addWasiToLinker(linker, (c) => c, { async: true });
    const out = new MemoryOutput();
    const store = new Store(engine, new WasiContext({ stdin: 'abc', stdout: out }));
    const instance = await linker.instantiateAsync(store, await Module.compile(engine, ECHO));
    await instance.getFunc('_start')!.callAsync();
    assert.equal(out.text(), 'abc');
  });

  it('traces calls when asked', () => {
    const engine = new Engine();
    const linker = new Linker<WasiContext>(engine);
    const lines: string[] = [];
    addWasiToLinker(linker, (c) => c, { trace: (l) => lines.push(l) });
    const store = new Store(engine, new WasiContext({ args: ['p'] }));
    const instance = linker.instantiate(store, Module.compileSync(engine, HELLO));
    instance.getFunc('_start')!.call();
    assert.deepEqual(lines, ['args_sizes_get(argc_ptr=16, argv_buf_size_ptr=20) -> success']);
  });
});
