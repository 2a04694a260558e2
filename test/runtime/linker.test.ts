import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbeddingError, Engine, LinkError, Linker, Module, Store, type Caller } from '../../src/runtime/index.ts';

const engine = new Engine();
const compile = (text: string) => Module.compileSync(engine, text);

function linkError(thunk: () => unknown, module: string, field: string, message: string): void {
  assert.throws(thunk, (e) => {
    assert.ok(e instanceof LinkError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.module, module);
    assert.equal(e.field, field);
    return true;
  });
}

describe('Linker', () => {
  it('calls host functions with a caller: store data, memory and exports', () => {
    const linker = new Linker<{ log: string[] }>(engine);
    linker.defineFunc('env', 'log', { params: ['i32', 'i32'], results: [] }, (caller: Caller<{ log: string[] }>, ptr: number, len: number) => {
      const bytes = new Uint8Array(caller.memory()!.buffer, ptr, len);
      caller.data.log.push(new TextDecoder().decode(bytes));
      assert.equal(typeof caller.export('main'), 'function');
      assert.equal(caller.export('nothing'), undefined);
      assert.equal(caller.store.data, caller.data);
    });
    const m = compile(`(module (import "env" "log" (func $log (param i32 i32)))
      (memory (export "memory") 1) (data (i32.const 8) "hello")
      (func (export "main") i32.const 8 i32.const 5 call $log))`);
    const store = new Store(engine, { log: [] as string[] });
    const instance = linker.instantiate(store, m);
    instance.getFunc('main')!.call();
    instance.getFunc('main')!.call();
    assert.deepEqual(store.data.log, ['hello', 'hello']);
    assert.deepEqual(store.instances, [instance]);
  });

  it('converts values as the JS API does: i64 as bigint, several results as an array', () => {
    const linker = new Linker(engine);
    linker.defineFunc('env', 'swap', { params: ['i64', 'f64'], results: ['f64', 'i64'] }, (_c, a: bigint, b: number) => [b, a * 2n]);
    const m = compile(`(module (import "env" "swap" (func $swap (param i64 f64) (result f64 i64)))
      (func (export "f") (param i64 f64) (result f64 i64) local.get 0 local.get 1 call $swap)
      (func (export "none")) (func (export "one") (result i64) i64.const -1))`);
    const instance = linker.instantiate(new Store(engine), m);
    assert.deepEqual(instance.getFunc('f')!.call(21n, 1.5), [1.5, 42n]);
    assert.equal(instance.getFunc('none')!.call(), undefined);
    assert.equal(instance.getFunc('one')!.call(), -1n);
    assert.deepEqual(instance.getFunc('f')!.type, { params: ['i64', 'f64'], results: ['f64', 'i64'] });
  });

  it('links memories, tables, globals and functions of another instance', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    const lib = linker.instantiate(store, compile(`(module
      (memory (export "mem") 1 4) (table (export "tab") 2 funcref) (global (export "g") (mut i32) (i32.const 5))
      (global (export "c") i64 (i64.const 9))
      (func $double (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
      (elem (i32.const 0) $double))`));
    linker.define('lib', 'mem', lib.getMemory('mem')!);
    linker.define('lib', 'tab', lib.getTable('tab')!);
    linker.define('lib', 'g', lib.getGlobal('g')!);
    linker.define('lib', 'c', lib.getGlobal('c')!);
    linker.define('lib', 'double', lib.getFunc('double')!);
    const app = linker.instantiate(store, compile(`(module
      (import "lib" "mem" (memory 1)) (import "lib" "tab" (table 1 funcref))
      (import "lib" "g" (global $g (mut i32))) (import "lib" "c" (global $c i64))
      (import "lib" "double" (func $double (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (func (export "run") (result i32)
        i32.const 0 i32.const 42 i32.store
        global.get $g i32.const 0 call_indirect (type $t)
        call $double)
      (func (export "inc") global.get $g i32.const 1 i32.add global.set $g))`));
    assert.equal(app.getFunc('run')!.call(), 20);
    app.getFunc('inc')!.call();
    assert.equal(lib.getGlobal('g')!.value, 6);
    assert.equal(new DataView(lib.getMemory('mem')!.buffer).getInt32(0, true), 42);
  });

  it('chains instances with defineInstance', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    const a = linker.instantiate(store, compile('(module (func (export "one") (result i32) i32.const 1) (global (export "g") i32 (i32.const 10)))'));
    linker.defineInstance('a', a);
    const b = linker.instantiate(store, compile(`(module (import "a" "one" (func $one (result i32))) (import "a" "g" (global $g i32))
      (func (export "two") (result i32) call $one global.get $g i32.add))`));
    linker.defineInstance('b', b);
    const c = linker.instantiate(store, compile(`(module (import "b" "two" (func $two (result i32)))
      (func (export "three") (result i32) call $two i32.const 1 i32.add))`));
    assert.equal(c.getFunc('three')!.call(), 12);
    assert.equal(store.instances.length, 3);
  });

  it('reuses an InstancePre across stores, each instance with its own state and caller', () => {
    const linker = new Linker<{ id: number }>(engine);
    linker.defineFunc('env', 'id', { params: [], results: ['i32'] }, (caller) => caller.data.id);
    const pre = linker.instantiatePre(compile(`(module (import "env" "id" (func $id (result i32)))
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32) global.get $n call $id i32.add global.set $n global.get $n))`));
    const s1 = new Store(engine, { id: 100 });
    const s2 = new Store(engine, { id: 1 });
    const i1 = pre.instantiate(s1);
    const i2 = pre.instantiate(s2);
    assert.equal(i1.getFunc('next')!.call(), 100);
    assert.equal(i1.getFunc('next')!.call(), 200);
    assert.equal(i2.getFunc('next')!.call(), 1);
    assert.deepEqual(s1.instances, [i1]);
    assert.deepEqual(s2.instances, [i2]);
  });

  it('instantiates asynchronously', async () => {
    const linker = new Linker(engine);
    const instance = await linker.instantiateAsync(new Store(engine), compile('(module (func (export "f") (result i32) i32.const 3))'));
    assert.equal(instance.getFunc('f')!.call(), 3);
  });

  it('gives typed exports only of their kind', () => {
    const instance = new Linker(engine).instantiate(new Store(engine), compile('(module (memory (export "m") 1) (func (export "f")))'));
    assert.equal(instance.getFunc('m'), undefined);
    assert.equal(instance.getMemory('f'), undefined);
    assert.equal(instance.getFunc('missing'), undefined);
    assert.equal(instance.getFunc('f'), instance.getFunc('f'));
    assert.ok(instance.getMemory('m') instanceof WebAssembly.Memory);
  });

  it('refuses v128 at the JavaScript boundary with a clear error', () => {
    const linker = new Linker(engine);
    assert.throws(() => linker.defineFunc('env', 'v', { params: ['v128'], results: [] }, () => {}), (e) => e instanceof EmbeddingError && /v128/.test(e.message));
    const instance = linker.instantiate(new Store(engine), compile('(module (func (export "v") (param v128)))'));
    assert.throws(() => instance.getFunc('v')!.call(0), (e) => e instanceof EmbeddingError && e.message.includes('(func (param v128)) cannot be called from JavaScript'));
  });

  it('refuses a second definition unless shadowing is allowed', () => {
    const linker = new Linker(engine);
    const mem = new WebAssembly.Memory({ initial: 1 });
    linker.define('env', 'm', mem);
    assert.throws(() => linker.define('env', 'm', mem), (e) => e instanceof EmbeddingError && e.message === '"env"."m" is already defined');
    linker.allowShadowing = true;
    assert.doesNotThrow(() => linker.define('env', 'm', mem));
  });

  it('refuses stores and modules of another engine', () => {
    const other = new Engine();
    const m = compile('(module)');
    assert.throws(() => new Linker(other).instantiatePre(m), EmbeddingError);
    assert.throws(() => new Linker(engine).instantiate(new Store(other), m), EmbeddingError);
  });
});

describe('link errors', () => {
  const host = (type: { params: string[]; results: string[] }) => new Linker(engine).defineFunc('env', 'f', type, () => 0);

  it('unknown import', () => {
    const m = compile('(module (import "env" "f" (func (param i32) (result i32))))');
    linkError(() => new Linker(engine).instantiate(new Store(engine), m), 'env', 'f', 'unknown import: "env"."f" (expected (func (param i32) (result i32)))');
    const g = compile('(module (import "env" "g" (global (mut i64))))');
    linkError(() => new Linker(engine).instantiatePre(g), 'env', 'g', 'unknown import: "env"."g" (expected (global (mut i64)))');
  });

  it('host function of another type', () => {
    const m = compile('(module (import "env" "f" (func (param i32))))');
    linkError(() => host({ params: ['i64'], results: [] }).instantiatePre(m), 'env', 'f', 'incompatible import type for "env"."f": expected (func (param i32)), got (func (param i64))');
    linkError(() => host({ params: ['i32'], results: ['i32'] }).instantiatePre(m), 'env', 'f', 'incompatible import type for "env"."f": expected (func (param i32)), got (func (param i32) (result i32))');
  });

  it('kind mismatch', () => {
    const m = compile('(module (import "env" "f" (memory 1)))');
    linkError(() => host({ params: [], results: [] }).instantiatePre(m), 'env', 'f', 'incompatible import type for "env"."f": expected (memory 1), got (func)');
    const linker = new Linker(engine).define('env', 'f', new WebAssembly.Table({ element: 'anyfunc', initial: 1 }));
    linkError(() => linker.instantiatePre(m), 'env', 'f', 'incompatible import type for "env"."f": expected (memory 1), got a WebAssembly.Table of 1 element');
  });

  it('exports of another instance: functions, globals, memories, tables', () => {
    const store = new Store(engine);
    const lib = new Linker(engine).instantiate(store, compile(`(module
      (func (export "f") (param i64)) (global (export "g") i32 (i32.const 0)) (global (export "mg") (mut f32) (f32.const 0))
      (memory (export "m") 1 2) (memory (export "big") 3) (table (export "t") 1 externref))`));
    const cases: [string, string, string][] = [
      ['(func (param i32))', 'f', 'expected (func (param i32)), got (func (param i64))'],
      ['(global (mut i32))', 'g', 'expected (global (mut i32)), got (global i32)'],
      ['(global f32)', 'mg', 'expected (global f32), got (global (mut f32))'],
      ['(global i64)', 'g', 'expected (global i64), got (global i32)'],
      ['(memory 2)', 'm', 'expected (memory 2), got (memory 1 2)'],
      ['(memory 1 2)', 'big', 'expected (memory 1 2), got (memory 3)'],
      ['(memory 1 1)', 'm', 'expected (memory 1 1), got (memory 1 2)'],
      ['(table 1 funcref)', 't', 'expected (table 1 funcref), got (table 1 externref)'],
      ['(table 2 externref)', 't', 'expected (table 2 externref), got (table 1 externref)'],
    ];
    for (const [type, name, detail] of cases) {
      const linker = new Linker(engine);
      linker.defineInstance('lib', lib);
      const kind = type.slice(1, type.indexOf(' '));
      const m = compile(`(module (import "lib" "${name}" ${type.replace(`(${kind}`, `(${kind}`)}))`);
      linkError(() => linker.instantiate(store, m), 'lib', name, `incompatible import type for "lib"."${name}": ${detail}`);
    }
  });

  it('tags: exact types', () => {
    const store = new Store(engine);
    const lib = new Linker(engine).instantiate(store, compile('(module (tag (export "e") (param i32)))'));
    const linker = new Linker(engine).defineInstance('lib', lib);
    assert.doesNotThrow(() => linker.instantiate(store, compile('(module (import "lib" "e" (tag (param i32))))')));
    linkError(() => linker.instantiate(store, compile('(module (import "lib" "e" (tag (param f32))))')), 'lib', 'e',
      'incompatible import type for "lib"."e": expected (tag (param f32)), got (tag (param i32))');
  });

  it('a caller without a memory export', () => {
    const linker = new Linker(engine);
    let seen: unknown = 'not called';
    linker.defineFunc('env', 'f', { params: [], results: [] }, (caller) => void (seen = caller.memory()));
    linker.instantiate(new Store(engine), compile('(module (import "env" "f" (func $f)) (func (export "run") call $f))')).getFunc('run')!.call();
    assert.equal(seen, undefined);
  });

  it('accepts matching exports, current size standing for the minimum', () => {
    const store = new Store(engine);
    const lib = new Linker(engine).instantiate(store, compile('(module (memory (export "m") 1 4) (func (export "grow") (result i32) i32.const 2 memory.grow))'));
    const linker = new Linker(engine).defineInstance('lib', lib);
    const m = compile('(module (import "lib" "m" (memory 3 4)))');
    linkError(() => linker.instantiate(store, m), 'lib', 'm', 'incompatible import type for "lib"."m": expected (memory 3 4), got (memory 1 4)');
    lib.getFunc('grow')!.call();
    assert.doesNotThrow(() => linker.instantiate(store, m));
  });

  it('function subtyping and concrete types across modules', () => {
    const store = new Store(engine);
    const lib = new Linker(engine).instantiate(store, compile(`(module (type $p (struct (field i32)))
      (func (export "make") (result (ref null $p)) ref.null $p))`));
    const linker = new Linker(engine).defineInstance('lib', lib);
    // The same struct type, declared again in another module: iso-recursively equal.
    assert.doesNotThrow(() => linker.instantiate(store, compile(`(module (type $q (struct (field i32)))
      (import "lib" "make" (func (result (ref null $q)))))`)));
    linkError(
      () => linker.instantiate(store, compile(`(module (type $q (struct (field i64))) (import "lib" "make" (func (result (ref null $q)))))`)),
      'lib', 'make', 'incompatible import type for "lib"."make": expected (func (result (ref null 0))), got (func (result (ref null 0)))',
    );
  });

  it('objects the runtime did not hand out: checked as far as visible, then by V8', () => {
    const m = compile('(module (import "env" "m" (memory 1 2)))');
    const small = new Linker(engine).define('env', 'm', new WebAssembly.Memory({ initial: 0 }));
    linkError(() => small.instantiatePre(m), 'env', 'm', 'incompatible import type for "env"."m": expected (memory 1 2), got a WebAssembly.Memory of 0 pages');
    const unbounded = new Linker(engine).define('env', 'm', new WebAssembly.Memory({ initial: 1 }));
    assert.throws(() => unbounded.instantiate(new Store(engine), m), (e) => {
      assert.ok(e instanceof LinkError && e.module === 'env' && e.field === 'm');
      assert.match(e.message, /^incompatible import type for "env"\."m": expected \(memory 1 2\), got a WebAssembly\.Memory of 1 page \(memory import has no maximum limit/);
      return true;
    });
    const g = compile('(module (import "env" "g" (global i64)))');
    const wrong = new Linker(engine).define('env', 'g', new WebAssembly.Global({ value: 'i32' }, 1));
    linkError(() => wrong.instantiatePre(g), 'env', 'g', 'incompatible import type for "env"."g": expected (global i64), got a WebAssembly.Global holding number');
    const fine = new Linker(engine).define('env', 'g', new WebAssembly.Global({ value: 'i64' }, 1n));
    assert.doesNotThrow(() => fine.instantiate(new Store(engine), g));
  });

  it('a function exported by V8 of the wrong type: V8 decides, named like ours', () => {
    const raw = new WebAssembly.Instance(compile('(module (func (export "f") (param f32)))').compiled).exports.f as Function;
    const linker = new Linker(engine).define('env', 'f', raw);
    linkError(() => linker.instantiate(new Store(engine), compile('(module (import "env" "f" (func (param i32))))')), 'env', 'f',
      'incompatible import type for "env"."f": expected (func (param i32)), got a function of unknown type (imported function does not match the expected type)');
  });
});
