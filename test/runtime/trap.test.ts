import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, Linker, Module, Store, Trap, trapKindOf, type TrapKind } from '../../src/runtime/index.ts';
import { offsetOf, wat } from './helpers.ts';

const engine = new Engine();

/** Instantiates `source` (no imports) and returns its exports as Funcs. */
function run(source: string | Uint8Array, name: string, ...args: unknown[]): unknown {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, Module.compileSync(engine, source));
  return instance.getFunc(name)!.call(...args);
}

function trapOf(thunk: () => unknown): Trap {
  try {
    thunk();
  } catch (e) {
    if (e instanceof Trap) return e;
    throw e;
  }
  assert.fail('no trap');
}

// Each kind: a function $inner (index 1) that traps, called by $outer (index 0).
const CASES: { kind: TrapKind; op: string; body: string; extra?: string }[] = [
  { kind: 'unreachable', op: 'unreachable', body: 'unreachable' },
  { kind: 'memory-out-of-bounds', op: 'i32.load', body: 'i32.const 65536 i32.load drop', extra: '(memory 1)' },
  { kind: 'table-out-of-bounds', op: 'table.get', body: 'i32.const 5 table.get 0 drop', extra: '(table 1 funcref)' },
  { kind: 'integer-divide-by-zero', op: 'i32.div_u', body: 'i32.const 1 i32.const 0 i32.div_u drop' },
  { kind: 'integer-overflow', op: 'i32.div_s', body: 'i32.const 0x80000000 i32.const -1 i32.div_s drop' },
  { kind: 'invalid-conversion', op: 'i32.trunc_f32_s', body: 'f32.const nan i32.trunc_f32_s drop' },
  {
    kind: 'indirect-call-type-mismatch', op: 'call_indirect', body: 'i32.const 7 i32.const 0 call_indirect (param i32)',
    extra: '(table 1 funcref) (elem (i32.const 0) $outer)',
  },
  { kind: 'null-reference', op: 'struct.get', body: 'ref.null $s struct.get $s 0 drop', extra: '(type $s (struct (field i32)))' },
  { kind: 'array-out-of-bounds', op: 'array.get', body: 'i32.const 1 array.new_default $a i32.const 1 array.get $a drop', extra: '(type $a (array i32))' },
  { kind: 'cast-failure', op: 'ref.cast', body: 'i32.const 1 ref.i31 ref.cast (ref struct) drop' },
  { kind: 'unaligned-atomic', op: 'i32.atomic.load', body: 'i32.const 1 i32.atomic.load drop', extra: '(memory 1 1 shared)' },
  { kind: 'out-of-memory', op: 'array.new_default', body: 'i32.const 0x7fffffff array.new_default $a drop', extra: '(type $a (array i64))' },
];

describe('traps', () => {
  for (const c of CASES) {
    it(`${c.kind}: kind, backtrace names and offsets`, () => {
      const bytes = wat(`(module $mod ${c.extra ?? ''}
        (func $outer (export "run") call $inner)
        (func $inner ${c.body}))`);
      const trap = trapOf(() => run(bytes, 'run'));
      assert.equal(trap.kind, c.kind, trap.message);
      assert.deepEqual(trap.frames, [
        { funcIndex: 1, funcName: 'inner', moduleName: 'mod', offset: offsetOf(bytes, 1, c.op) },
        { funcIndex: 0, funcName: 'outer', moduleName: 'mod', offset: offsetOf(bytes, 0, 'call') },
      ]);
      assert.match(trap.message, /^wasm trap: .+\nwasm backtrace:\n {2}0: 0x[0-9a-f]+ - mod!inner\n {2}1: 0x[0-9a-f]+ - mod!outer$/);
      assert.ok(trap.cause instanceof WebAssembly.RuntimeError);
    });
  }

  it('stack-overflow: call stack exhausted, with frames', () => {
    const bytes = wat('(module $deep (func $down (export "run") (param i32) local.get 0 i32.const 1 i32.add call $down))');
    const trap = trapOf(() => run(bytes, 'run', 0));
    assert.equal(trap.kind, 'stack-overflow');
    assert.match(trap.message, /^wasm trap: call stack exhausted\nwasm backtrace:\n/);
    assert.ok(trap.frames.length > 0);
    for (const f of trap.frames) assert.deepEqual({ ...f, offset: 0 }, { funcIndex: 0, funcName: 'down', moduleName: 'deep', offset: 0 });
    assert.ok(trap.cause instanceof RangeError);
  });

  it('names frames without a name section by index, and modules without a name as <unknown>', () => {
    const bytes = wat('(module (func (export "run") unreachable))');
    const trap = trapOf(() => run(bytes, 'run'));
    assert.deepEqual(trap.frames, [{ funcIndex: 0, offset: offsetOf(bytes, 0, 'unreachable') }]);
    assert.match(trap.message, /0: 0x[0-9a-f]+ - <unknown>!<wasm function 0>$/);
  });

  it('names the frames of every module on the stack', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    const libBytes = wat('(module $lib (func $nop) (func $boom (export "boom") unreachable))');
    const lib = linker.instantiate(store, Module.compileSync(engine, libBytes));
    linker.defineInstance('lib', lib);
    const appBytes = wat('(module $app (import "lib" "boom" (func $boom)) (func $main (export "main") call $boom))');
    const app = linker.instantiate(store, Module.compileSync(engine, appBytes));
    const trap = trapOf(() => app.getFunc('main')!.call());
    assert.deepEqual(trap.frames, [
      { funcIndex: 1, funcName: 'boom', moduleName: 'lib', offset: offsetOf(libBytes, 1, 'unreachable') },
      { funcIndex: 1, funcName: 'main', moduleName: 'app', offset: offsetOf(appBytes, 1, 'call') },
    ]);
  });

  it('a trap in a start function is a Trap from instantiate', () => {
    const bytes = wat('(module $s (func $init unreachable) (start $init))');
    const trap = trapOf(() => new Linker(engine).instantiate(new Store(engine), Module.compileSync(engine, bytes)));
    assert.equal(trap.kind, 'unreachable');
    assert.deepEqual(trap.frames, [{ funcIndex: 0, funcName: 'init', moduleName: 's', offset: offsetOf(bytes, 0, 'unreachable') }]);
  });

  it('an out-of-bounds data segment at instantiation is a Trap without frames', () => {
    const m = Module.compileSync(engine, '(module (memory 1) (data (i32.const 65535) "ab"))');
    const trap = trapOf(() => new Linker(engine).instantiate(new Store(engine), m));
    assert.equal(trap.kind, 'memory-out-of-bounds');
    assert.deepEqual(trap.frames, []);
    assert.equal(trap.message, 'wasm trap: out of bounds memory access');
  });

  it('host exceptions pass through unchanged, traps of nested calls too', () => {
    const linker = new Linker(engine);
    const store = new Store(engine);
    const err = new TypeError('host failure');
    linker.defineFunc('env', 'fail', { params: [], results: [] }, () => {
      throw err;
    });
    const inner = new Linker(engine).instantiate(store, Module.compileSync(engine, '(module $in (func $t (export "t") unreachable))'));
    let nested: unknown;
    linker.defineFunc('env', 'nested', { params: [], results: [] }, () => {
      try {
        inner.getFunc('t')!.call();
      } catch (e) {
        nested = e;
        throw e;
      }
    });
    const m = Module.compileSync(engine, '(module (import "env" "fail" (func $f)) (import "env" "nested" (func $n)) (func (export "a") call $f) (func (export "b") call $n))');
    const instance = linker.instantiate(store, m);
    assert.throws(() => instance.getFunc('a')!.call(), (e) => e === err);
    assert.throws(() => instance.getFunc('b')!.call(), (e) => e === nested && e instanceof Trap && e.frames[0]!.funcName === 't');
  });

  it('a host function overflowing the JavaScript stack is not a wasm trap', () => {
    const linker = new Linker(engine);
    const deep = (n: number): number => deep(n + 1) + 1;
    linker.defineFunc('env', 'deep', { params: [], results: [] }, () => void deep(0));
    const instance = linker.instantiate(new Store(engine), Module.compileSync(engine, '(module (import "env" "deep" (func $d)) (func (export "f") call $d))'));
    assert.throws(() => instance.getFunc('f')!.call(), (e) => e instanceof RangeError && !(e instanceof Trap));
  });

  it('maps V8 messages to kinds', () => {
    assert.equal(trapKindOf('WebAssembly.Instance(): data segment 0 is out of bounds (offset 1, length 2, memory size 3)'), 'memory-out-of-bounds');
    assert.equal(trapKindOf('remainder by zero'), 'integer-divide-by-zero');
    assert.equal(trapKindOf('something new'), 'other');
  });
});
