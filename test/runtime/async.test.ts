import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbeddingError, Engine, Linker, Module, Store, Trap } from '../../src/runtime/index.ts';

const engine = new Engine();
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function setup() {
  const linker = new Linker<{ calls: number }>(engine);
  linker.defineFunc('env', 'fetch', { params: ['i32'], results: ['i32'] }, async (caller, x: number) => {
    await tick();
    caller.data.calls++;
    if (x < 0) throw new RangeError('negative');
    return x * 10;
  }, { async: true });
  const m = Module.compileSync(engine, `(module $a (import "env" "fetch" (func $fetch (param i32) (result i32)))
    (func $sum (export "sum") (param i32) (result i32) local.get 0 call $fetch local.get 0 i32.const 1 i32.add call $fetch i32.add)
    (func $after (export "after") (param i32) (result i32) local.get 0 call $fetch i32.const 0 i32.div_s)
    (func (export "sync") (result i32) i32.const 5))`);
  const store = new Store(engine, { calls: 0 });
  return { store, instance: linker.instantiate(store, m) };
}

describe('async host functions (JSPI)', () => {
  it('suspend the guest under callAsync', async () => {
    const { store, instance } = setup();
    assert.equal(await instance.getFunc('sum')!.callAsync(1), 30);
    assert.equal(store.data.calls, 2);
    // Several guests suspended at once, each resumed with its own result.
    const results = await Promise.all([1, 2, 3].map((n) => instance.getFunc('sum')!.callAsync(n)));
    assert.deepEqual(results, [30, 50, 70]);
  });

  it('a plain call into a guest that suspends fails clearly', () => {
    const { instance } = setup();
    assert.throws(() => instance.getFunc('sum')!.call(1), (e) => e instanceof EmbeddingError && /Func\.callAsync/.test(e.message));
    assert.equal(instance.getFunc('sync')!.call(), 5);
  });

  it('a rejected promise reaches the caller unchanged; a trap after resuming is a Trap', async () => {
    const { instance } = setup();
    await assert.rejects(instance.getFunc('sum')!.callAsync(-5), (e) => e instanceof RangeError && e.message === 'negative');
    await assert.rejects(instance.getFunc('after')!.callAsync(1), (e) => e instanceof Trap && e.kind === 'integer-divide-by-zero' && e.frames[0]!.funcName === 'after');
  });

  it('callAsync works without async imports too', async () => {
    const { instance } = setup();
    assert.equal(await instance.getFunc('sync')!.callAsync(), 5);
  });

  it('cannot suspend a start function: a clear error, sync or async', async () => {
    const linker = new Linker(engine);
    linker.defineFunc('env', 'f', { params: [], results: [] }, async () => {}, { async: true });
    const m = Module.compileSync(engine, '(module (import "env" "f" (func $f)) (start $f))');
    const expected = (e: unknown) => e instanceof EmbeddingError && /"env"\."f" was called from a start function/.test(e.message);
    assert.throws(() => linker.instantiate(new Store(engine), m), expected);
    await assert.rejects(linker.instantiateAsync(new Store(engine), m), expected);
  });
});
