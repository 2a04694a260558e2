// Module fields and their abbreviations (spec §6.6): small modules → expected model pieces.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { funcref, refType } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { body, render } from './helpers.ts';

const fn = (params: string[], results: string[]) => ({
  final: true,
  supertypes: [],
  composite: { kind: 'func', params, results },
});

test('bare fields and (module $id …) both parse; the id names the module', () => {
  assert.equal(parseModule('(func)').funcs.length, 1);
  assert.equal(parseModule('').funcs.length, 0);
  const m = parseModule('(module $m (func $f))');
  assert.equal(m.names?.module, 'm');
  assert.equal(m.names?.funcs.get(0), 'f');
  assert.equal(parseModule('(module)').names, null);
});

test('type definitions, type uses and inline function types', () => {
  const m = parseModule(`
    (type $t (func (param i32) (result i32)))
    (func (type $t) (local.get 0))
    (func (param i32) (result i32) (local.get 0))
    (func (param i64))
    (func (type 0) (param i32) (result i32) (local.get 0))`);
  assert.equal(m.types.length, 2);
  assert.deepEqual(m.types[1]!.types[0], fn(['i64'], []));
  assert.equal(m.types[1]!.explicit, false);
  assert.deepEqual(
    m.funcs.map((f) => f.type),
    [0, 0, 1, 0],
  );
});

test('inline types match a later explicit type and are appended after all explicit ones', () => {
  const m = parseModule(`
    (func (param f32))
    (type (func (param i32)))
    (func (param i32))
    (type (func (result f64)))`);
  assert.deepEqual(
    m.funcs.map((f) => f.type),
    [2, 0],
  );
  assert.deepEqual(m.types[2]!.types[0], fn(['f32'], []));
});

test('inline types never match sub types or types inside rec groups of several', () => {
  const m = parseModule(`
    (type (sub (func)))
    (rec (type (func)) (type (func)))
    (func)`);
  assert.equal(m.funcs[0]!.type, 3);
  assert.equal(m.types.length, 3);
});

test('GC types: sub, final, rec, struct fields with names, arrays, packed and mutable', () => {
  const m = parseModule(`
    (type $a (sub (struct (field $x (mut i8)) (field f32 f64))))
    (type $b (sub final $a (struct (field $x (mut i8)) (field f32 f64) (field $r (ref null $a)))))
    (rec (type $l (struct (field (ref null $l)))) (type $arr (array (mut i16))))`);
  assert.equal(m.types.length, 3);
  const [a, b] = m.types.map((g) => g.types[0]!);
  assert.deepEqual(a, {
    final: false,
    supertypes: [],
    composite: {
      kind: 'struct',
      fields: [
        { storage: 'i8', mutable: true },
        { storage: 'f32', mutable: false },
        { storage: 'f64', mutable: false },
      ],
    },
  });
  assert.equal(b!.final, true);
  assert.deepEqual(b!.supertypes, [0]);
  assert.equal(m.types[2]!.explicit, true);
  assert.equal(m.types[2]!.types.length, 2);
  assert.deepEqual(m.types[2]!.types[1]!.composite, { kind: 'array', element: { storage: 'i16', mutable: true } });
  assert.deepEqual(m.names?.fields.get(1), new Map([[0, 'x'], [3, 'r']]));
  assert.deepEqual(m.names?.types, new Map([[0, 'a'], [1, 'b'], [2, 'l'], [3, 'arr']]));
  const s = parseModule('(type $s (struct (field $x i32) (field $y i64))) (func (param (ref $s)) (drop (struct.get $s $y (local.get 0))))');
  assert.equal(body(s), 'local.get 0; struct.get {field:1,type:0}; drop');
});

test('value type shorthands and (ref null? ht)', () => {
  const m = parseModule(`(func (param funcref externref anyref eqref i31ref structref arrayref nullref nullfuncref nullexternref exnref nullexnref (ref func) (ref null 0) v128))
    (type (func))`);
  const t = m.types[1]!.types[0]!.composite;
  assert.equal(t.kind, 'func');
  if (t.kind !== 'func') return;
  assert.deepEqual(t.params.slice(0, 2), [funcref, refType(true, 'extern')]);
  assert.deepEqual(t.params[11], refType(true, 'noexn'));
  assert.deepEqual(t.params[12], refType(false, 'func'));
  assert.deepEqual(t.params[13], refType(true, 0));
  assert.equal(t.params[14], 'v128');
});

test('imports: explicit and inline, every kind, with names', () => {
  const m = parseModule(`
    (import "m" "f" (func $f (param i32)))
    (import "m" "t" (table $t 1 2 funcref))
    (import "m" "mem" (memory $mem i64 1 shared))
    (import "m" "g" (global $g (mut i32)))
    (import "m" "e" (tag $e (param i64)))
    (func $g2 (import "m" "h") (result i32))
    (global (import "m" "gg") f32)
    (func $local)`);
  assert.deepEqual(
    m.imports.map((i) => `${i.module}.${i.name}:${i.desc.kind}`),
    ['m.f:func', 'm.t:table', 'm.mem:memory', 'm.g:global', 'm.e:tag', 'm.h:func', 'm.gg:global'],
  );
  assert.deepEqual(m.imports[2]!.desc, { kind: 'memory', type: { limits: { address: 'i64', min: 1n, max: null, shared: true } } });
  assert.deepEqual(m.imports[3]!.desc, { kind: 'global', type: { type: 'i32', mutable: true } });
  assert.equal(m.funcs.length, 1);
  assert.deepEqual(m.names?.funcs, new Map([[0, 'f'], [1, 'g2'], [2, 'local']]));
});

test('exports: explicit and inline (several per field), in textual order', () => {
  const m = parseModule(`
    (func $f (export "a") (export "b"))
    (memory (export "mem") 1)
    (export "c" (func $f))
    (global $g (export "g") i32 (i32.const 1))
    (table $t (export "t") 0 funcref)
    (tag (export "e"))
    (export "g2" (global $g))`);
  assert.deepEqual(
    m.exports.map((e) => `${e.name}:${e.kind}:${e.index}`),
    ['a:func:0', 'b:func:0', 'mem:memory:0', 'c:func:0', 'g:global:0', 't:table:0', 'e:tag:0', 'g2:global:0'],
  );
});

test('inline import with exports: the export refers to the import', () => {
  const m = parseModule('(func (export "x") (import "m" "f") (param i32))');
  assert.deepEqual(m.exports, [{ name: 'x', kind: 'func', index: 0 }]);
  assert.equal(m.imports.length, 1);
});

test('memories: limits, i64 address, shared, inline data', () => {
  const m = parseModule(`
    (memory 1)
    (memory $m i64 2 3)
    (memory 1 1 shared)
    (memory (data "hello" "!"))
    (memory i64 (data))`);
  assert.deepEqual(
    m.memories.map((x) => x.limits),
    [
      { address: 'i32', min: 1n, max: null, shared: false },
      { address: 'i64', min: 2n, max: 3n, shared: false },
      { address: 'i32', min: 1n, max: 1n, shared: true },
      { address: 'i32', min: 1n, max: 1n, shared: false },
      { address: 'i64', min: 0n, max: 0n, shared: false },
    ],
  );
  assert.equal(m.datas.length, 2);
  assert.deepEqual(m.datas[0]!.mode.kind === 'active' && m.datas[0]!.mode.memory, 3);
  assert.equal(m.datas[0]!.mode.kind === 'active' && render(m.datas[0]!.mode.offset), 'i32.const 0');
  assert.equal(m.datas[1]!.mode.kind === 'active' && render(m.datas[1]!.mode.offset), 'i64.const 0n');
  assert.equal(new TextDecoder().decode(m.datas[0]!.bytes), 'hello!');
});

test('data segments: passive, active with (memory x), (offset …) and bare offset expressions', () => {
  const m = parseModule(`
    (memory $a 1) (memory $b 1)
    (data $p "p")
    (data (i32.const 8) "x")
    (data (memory $b) (offset (i32.const 1) (i32.const 2) i32.add) "y")
    (data $d (memory 1) (i32.const 0))
    (func (data.drop $d) (memory.init $b $p (i32.const 0) (i32.const 0) (i32.const 0)))`);
  assert.deepEqual(m.datas[0]!.mode, { kind: 'passive' });
  assert.equal(m.datas[1]!.mode.kind === 'active' && m.datas[1]!.mode.memory, 0);
  assert.equal(m.datas[2]!.mode.kind === 'active' && render(m.datas[2]!.mode.offset), 'i32.const 1; i32.const 2; i32.add');
  assert.equal(m.datas[3]!.bytes.length, 0);
  assert.equal(m.dataCount, true);
  assert.equal(body(m), 'data.drop 3; i32.const 0; i32.const 0; i32.const 0; memory.init {data:0,memory:1}');
  assert.deepEqual(m.names?.datas, new Map([[0, 'p'], [3, 'd']]));
  assert.equal(parseModule('(memory 1) (data "x")').dataCount, false);
});

test('tables: limits, table64, init expressions, inline elem segments', () => {
  const m = parseModule(`
    (func $f) (func $g)
    (table $t 2 funcref)
    (table i64 1 10 externref)
    (table 3 (ref func) (ref.func $f))
    (table funcref (elem $f $g $f))
    (table i64 anyref (elem (item (ref.null any)) (ref.i31 (i32.const 1))))`);
  assert.deepEqual(m.tables[0], { type: { element: funcref, limits: { address: 'i32', min: 2n, max: null, shared: false } }, init: null });
  assert.equal(m.tables[1]!.type.limits.address, 'i64');
  assert.equal(render(m.tables[2]!.init!), 'ref.func 0');
  assert.deepEqual(m.tables[3]!.type.limits, { address: 'i32', min: 3n, max: 3n, shared: false });
  assert.deepEqual(m.elems[0], {
    type: funcref,
    mode: { kind: 'active', table: 3, offset: m.elems[0]!.mode.kind === 'active' ? m.elems[0]!.mode.offset : [] },
    init: { kind: 'funcs', indices: [0, 1, 0] },
  });
  assert.deepEqual(m.tables[4]!.type.limits, { address: 'i64', min: 2n, max: 2n, shared: false });
  const e = m.elems[1]!;
  assert.equal(e.init.kind, 'exprs');
  assert.equal(e.mode.kind === 'active' && render(e.mode.offset), 'i64.const 0n');
  if (e.init.kind === 'exprs') assert.deepEqual(e.init.exprs.map(render), ['ref.null any', 'i32.const 1; ref.i31']);
});

test('element segments: every form', () => {
  const m = parseModule(`
    (table $t 10 funcref) (table $u 10 funcref)
    (func $f) (func $g)
    (elem (i32.const 0) $f $g)
    (elem (i32.const 1) func $f)
    (elem (table $u) (offset (i32.const 2)) func $g)
    (elem $p func $f $g)
    (elem funcref (ref.func $f) (item ref.null func))
    (elem declare func $f)
    (elem (table $t) (i32.const 0) (ref null func) (ref.null func))
    (elem $e (ref func))
    (func (elem.drop $e) (table.init $u $p (i32.const 0) (i32.const 0) (i32.const 0)) (table.init $p (i32.const 0) (i32.const 0) (i32.const 0)))`);
  const kinds = m.elems.map((e) => e.mode.kind);
  assert.deepEqual(kinds, ['active', 'active', 'active', 'passive', 'passive', 'declarative', 'active', 'passive']);
  assert.deepEqual(m.elems[0]!.init, { kind: 'funcs', indices: [0, 1] });
  assert.deepEqual(m.elems[0]!.type, refType(false, 'func'));
  assert.equal(m.elems[2]!.mode.kind === 'active' && m.elems[2]!.mode.table, 1);
  assert.equal(m.elems[4]!.init.kind === 'exprs' && m.elems[4]!.init.exprs.map(render).join(' | '), 'ref.func 0 | ref.null func');
  assert.deepEqual(m.elems[7]!.init, { kind: 'exprs', exprs: [] });
  assert.equal(
    body(m, 2),
    'elem.drop 7; i32.const 0; i32.const 0; i32.const 0; table.init {elem:3,table:1}; i32.const 0; i32.const 0; i32.const 0; table.init {elem:3,table:0}',
  );
  assert.deepEqual(m.names?.elems, new Map([[3, 'p'], [7, 'e']]));
});

test('globals: mutable, imported, init expressions with forward references', () => {
  const m = parseModule('(global $a (mut i64) (i64.const -1)) (global $b i32 (global.get $c)) (global $c i32 (i32.const 2))');
  assert.equal(render(m.globals[0]!.init), 'i64.const -1n');
  assert.deepEqual(m.globals[0]!.type, { type: 'i64', mutable: true });
  assert.equal(render(m.globals[1]!.init), 'global.get 2');
  const n = parseModule('(global $c (import "m" "c") i32) (global $b i32 (global.get $c)) (global f64 (f64.const 1.5))');
  assert.equal(render(n.globals[0]!.init), 'global.get 0');
  assert.deepEqual(n.globals[0]!.type, { type: 'i32', mutable: false });
  assert.equal(render(n.globals[1]!.init), 'f64.const 4609434218613702656n');
});

test('tags: typeuse, inline params, imports and exports', () => {
  const m = parseModule(`
    (type $t (func (param i32)))
    (tag $a (type $t))
    (tag $b (param i32))
    (tag $c (param f32 f64))
    (func (throw $c (f32.const 0) (f64.const 0)))`);
  assert.deepEqual(
    m.tags.map((t) => t.type),
    [0, 0, 1],
  );
  assert.deepEqual(m.names?.tags, new Map([[0, 'a'], [1, 'b'], [2, 'c']]));
  assert.equal(body(m), 'f32.const 0; f64.const 0n; throw 2');
});

test('start, and forward references to functions', () => {
  const m = parseModule('(start $main) (func $other) (func $main (call $other) (call $main))');
  assert.equal(m.start, 1);
  assert.equal(body(m, 1), 'call 0; call 1');
});

test('parameters and locals: names, runs of one type, indices after params', () => {
  const m = parseModule(`
    (type $t (func (param i32 i64)))
    (func $f (param $a i32) (param f32 f32) (param $b i64) (local $x i32) (local i32 i32) (local $y f64)
      (local.get $a) (local.get $b) (local.get $x) (local.get $y) drop drop drop drop)
    (func (type $t) (local $z i32) (local.get $z) drop)`);
  assert.deepEqual(m.funcs[0]!.locals, [
    { count: 3, type: 'i32' },
    { count: 1, type: 'f64' },
  ]);
  assert.equal(body(m), 'local.get 0; local.get 3; local.get 4; local.get 7; drop; drop; drop; drop');
  assert.equal(body(m, 1), 'local.get 2; drop');
  assert.deepEqual(m.names?.locals.get(0), new Map([[0, 'a'], [3, 'b'], [4, 'x'], [7, 'y']]));
  assert.deepEqual(m.names?.locals.get(1), new Map([[2, 'z']]));
});

test('identifiers in every space, including $"…" forms', () => {
  const m = parseModule(`
    (type $"t y" (func))
    (func $"f" (type $t\u0020y))`.replace('$t\u0020y', '$"t y"'));
  assert.equal(m.funcs[0]!.type, 0);
  assert.equal(m.names?.types.get(0), 't y');
  const n = parseModule('(func $"a") (func (call $a))');
  assert.equal(body(n, 1), 'call 0');
});

test('annotations: @name for the module, functions and tags; other annotations are skipped', () => {
  const m = parseModule(`(module $m (@name "Modül")
    (@other (nested (stuff "x") ;; comment
    ) 1 2)
    (type $t (func))
    (func (@name "λ") (type $t))
    (func $lambda (@name "ƛ") (type $t))
    (tag (@name "θ") (type $t)))`);
  assert.equal(m.names?.module, 'Modül');
  assert.deepEqual(m.names?.funcs, new Map([[0, 'λ'], [1, 'ƛ']]));
  assert.deepEqual(m.names?.tags, new Map([[0, 'θ']]));
});

test('annotations: @custom sections with placement, content and order', () => {
  const m = parseModule(`(module
    (@custom "a" "x" "yz")
    (@custom "b" (before global) "1")
    (@custom "c" (after func) "")
    (@custom "d" (before first))
    (@custom "e" (after last) "e")
    (func)
    (@custom "f" (after datacount) "\\00\\ff"))`);
  assert.deepEqual(
    m.customs.map((c) => [c.name, c.placement, Array.from(c.bytes)]),
    [
      ['a', { kind: 'last' }, [120, 121, 122]],
      ['b', { kind: 'before', section: 'global' }, [49]],
      ['c', { kind: 'after', section: 'function' }, []],
      ['d', { kind: 'first' }, []],
      ['e', { kind: 'last' }, [101]],
      ['f', { kind: 'after', section: 'dataCount' }, [0, 255]],
    ],
  );
  assert.equal(parseModule('(@custom "top") (func)').customs.length, 1);
});

test('comments: line, nested block, and between any tokens', () => {
  const m = parseModule(`(module ;; line
    (; block (; nested ;) still ;)(func(;x;)$f(;y;)(param(;z;)i32);;
    (;a;)nop(;b;)))`);
  assert.equal(body(m), 'nop');
  assert.equal(m.names?.funcs.get(0), 'f');
});

test('tokens separated by parentheses only', () => {
  assert.equal(render(parseModule('(func(nop)nop(nop))').funcs[0]!.body), 'nop; nop; nop');
  assert.equal(parseModule('(memory 1)(data(i32.const 0)"a")').datas.length, 1);
});

test('strings with escapes become bytes', () => {
  const m = parseModule('(memory 1) (data (i32.const 0) "\\t\\n\\r\\"\\\'\\\\\\00\\ff\\u{41}\\u{10FFFF}é")');
  assert.deepEqual(Array.from(m.datas[0]!.bytes), [9, 10, 13, 34, 39, 92, 0, 255, 65, 0xf4, 0x8f, 0xbf, 0xbf, 0xc3, 0xa9]);
});

test('names are null without identifiers; every space contributes names', () => {
  assert.equal(parseModule('(func) (memory 1) (global i32 (i32.const 0))').names, null);
  const m = parseModule('(table $t 1 funcref) (memory $m 1) (global $g i32 (i32.const 0)) (elem $e func) (data $d "")');
  assert.deepEqual(
    [m.names?.tables.get(0), m.names?.memories.get(0), m.names?.globals.get(0), m.names?.elems.get(0), m.names?.datas.get(0)],
    ['t', 'm', 'g', 'e', 'd'],
  );
});
