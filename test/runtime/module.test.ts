import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError, ParseError, ValidationError } from '../../src/model/errors.ts';
import { WASM2_FEATURES } from '../../src/model/features.ts';
import { Engine, Module, externTypeText } from '../../src/runtime/index.ts';
import { wat } from './helpers.ts';

const engine = new Engine();

const TYPES = `(module $m
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func (type $t)))
  (import "env" "mem" (memory 1 2))
  (import "env" "tab" (table 3 funcref))
  (import "env" "g" (global (mut i64)))
  (import "env" "tag" (tag (param i32 f64)))
  (memory $m2 i64 1)
  (table 10 20 externref)
  (global $c f32 (f32.const 1))
  (func $sum (export "sum") (param i64 f64) (result i64 f64) local.get 0 local.get 1)
  (export "f" (func 0))
  (export "mem" (memory 0))
  (export "mem64" (memory $m2))
  (export "tab" (table 0))
  (export "ext" (table 1))
  (export "g" (global 0))
  (export "c" (global $c))
  (export "tag" (tag 0)))`;

describe('Module', () => {
  it('types its imports and exports', () => {
    const m = Module.compileSync(engine, TYPES);
    assert.deepEqual(
      m.imports.map((i) => `${i.module}.${i.name}: ${externTypeText(i.type)}`),
      [
        'env.f: (func (param i32) (result i32))',
        'env.mem: (memory 1 2)',
        'env.tab: (table 3 funcref)',
        'env.g: (global (mut i64))',
        'env.tag: (tag (param i32 f64))',
      ],
    );
    assert.deepEqual(
      m.exports.map((e) => `${e.name}: ${externTypeText(e.type)}`),
      [
        'sum: (func (param i64 f64) (result i64 f64))',
        'f: (func (param i32) (result i32))',
        'mem: (memory 1 2)',
        'mem64: (memory i64 1)',
        'tab: (table 3 funcref)',
        'ext: (table 10 20 externref)',
        'g: (global (mut i64))',
        'c: (global f32)',
        'tag: (tag (param i32 f64))',
      ],
    );
    const sum = m.exports[0]!.type;
    assert.ok(sum.kind === 'func');
    assert.deepEqual(sum.type, { params: ['i64', 'f64'], results: ['i64', 'f64'] });
    assert.equal(m.name, 'm');
  });

  it('compiles bytes and text, sync and async, to the same thing', async () => {
    const text = '(module (func (export "f") (result i32) i32.const 7))';
    for (const m of [Module.compileSync(engine, text), Module.compileSync(engine, wat(text)), await Module.compile(engine, text)]) {
      assert.deepEqual(m.exports.map((e) => e.name), ['f']);
      assert.ok(m.compiled instanceof WebAssembly.Module);
    }
  });

  it('reports malformed binaries with their byte offset', async () => {
    const bad = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1]);
    assert.throws(() => Module.compileSync(engine, bad), (e) => e instanceof DecodeError && e.offset === 9 && e.message === "length out of bounds (at offset 0x9)");
    await assert.rejects(Module.compile(engine, new Uint8Array([1, 2, 3, 4])), (e) => e instanceof DecodeError && /magic header/.test(e.message));
  });

  it('reports invalid modules with the offset of the failing instruction', () => {
    const bytes = wat('(module (func (result i32) i64.const 1))');
    assert.throws(
      () => Module.compileSync(engine, bytes),
      (e) => e instanceof ValidationError && /^type mismatch/.test(e.reason) && bytes[e.offset] === 0x0b && e.message.includes(`(at offset 0x${e.offset.toString(16)})`),
    );
  });

  it('reports malformed text with line and column', () => {
    assert.throws(() => Module.compileSync(engine, '(module\n  (func (result i32) i32.konst 1))'), (e) => e instanceof ParseError && e.line === 2);
  });

  it('checks the engine\'s features', () => {
    const old = new Engine({ features: WASM2_FEATURES });
    const text = '(module (func (param i32) (result i32) local.get 0 return_call 0))';
    assert.throws(() => Module.compileSync(old, text), DecodeError);
    assert.doesNotThrow(() => Module.compileSync(engine, text));
  });

  it('rejects a source of the wrong type', () => {
    assert.throws(() => Module.compileSync(engine, 42 as unknown as string), TypeError);
  });
});
