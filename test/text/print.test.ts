// The printer: exact output for small modules, float literals, identifiers from the name
// section, every instruction of the table, segment modes, custom sections, and bounded
// output on hostile nesting.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { encodeModule } from '../../src/binary/encode.ts';
import type { Instruction } from '../../src/model/instruction.ts';
import { INSTRUCTIONS, op, simple } from '../../src/model/opcodes.ts';
import type { ImmKind, ImmediateOf } from '../../src/model/instruction.ts';
import { emptyNames, refType, type Module, type Names } from '../../src/model/types.ts';
import { f32Bits, f64Bits, parseF32, parseF64 } from '../../src/text/numbers.ts';
import { parseModule, printModule } from '../../src/text/index.ts';
import { formatF32, formatF64, formatV128 } from '../../src/text/print-numbers.ts';
import { roundTrip } from './print-roundtrip.ts';

const WAT = `(module $m
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func $imp (type $t)))
  (memory $mem 1 2)
  (global $g (mut i32) (i32.const 42))
  (func $add (param $a i32) (param $b i32) (result i32) (local $x i64) (local f32 f32)
    (block $out (result i32)
      (br_if $out (i32.const 1) (local.get $a))
      (i32.add (local.get $a) (local.get $b)))
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
    drop
    i32.load offset=4 align=1)
  (export "add" (func $add))
  (data (i32.const 8) "hi\\00"))`;

test('flat layout', () => {
  assert.equal(
    printModule(parseModule(WAT)),
    `(module $m
  (type $t (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32) (result i32)))
  (import "env" "f" (func $imp (type $t) (param i32) (result i32)))
  (func $add (type 1) (param $a i32) (param $b i32) (result i32)
    (local $x i64) (local f32 f32)
    block $out (result i32)
      i32.const 1
      local.get $a
      br_if $out
      local.get $a
      local.get $b
      i32.add
    end
    local.get $a
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end
    drop
    i32.load offset=4 align=1)
  (memory $mem 1 2)
  (global $g (mut i32) i32.const 42)
  (export "add" (func $add))
  (data (;0;) (i32.const 8) "hi\\00"))
`,
  );
});

test('folded layout', () => {
  assert.equal(
    printModule(parseModule(WAT), { folded: true, indent: '\t' }),
    `(module $m
\t(type $t (func (param i32) (result i32)))
\t(type (;1;) (func (param i32 i32) (result i32)))
\t(import "env" "f" (func $imp (type $t) (param i32) (result i32)))
\t(func $add (type 1) (param $a i32) (param $b i32) (result i32)
\t\t(local $x i64) (local f32 f32)
\t\t(block $out (result i32)
\t\t\t(br_if $out (i32.const 1) (local.get $a))
\t\t\t(i32.add (local.get $a) (local.get $b)))
\t\t(drop
\t\t\t(if (result i32)
\t\t\t\t(local.get $a)
\t\t\t\t(then
\t\t\t\t\t(i32.const 1))
\t\t\t\t(else
\t\t\t\t\t(i32.const 2))))
\t\t(i32.load offset=4 align=1))
\t(memory $mem 1 2)
\t(global $g (mut i32) (i32.const 42))
\t(export "add" (func $add))
\t(data (;0;) (i32.const 8) "hi\\00"))
`,
  );
});

test('empty module and names: false', () => {
  assert.equal(printModule(parseModule('(module)')), '(module)\n');
  const m = parseModule('(module $m (func $f (param $p i32) (local $l i32)))');
  assert.equal(printModule(m, { names: false }), '(module\n  (type (;0;) (func (param i32)))\n  (func (;0;) (type 0) (param i32)\n    (local i32)))\n');
});

// ── numbers ──────────────────────────────────────────────────────────────────────────

test('float literals: shortest decimals, specials, NaN payloads', () => {
  const f32 = (x: number) => formatF32(f32Bits(x));
  assert.equal(f32(1.5), '1.5');
  assert.equal(f32(0.1), '0.1');
  assert.equal(f32(100), '100');
  assert.equal(f32(-0), '-0');
  assert.equal(f32(0), '0');
  assert.equal(f32(Infinity), 'inf');
  assert.equal(f32(-Infinity), '-inf');
  assert.equal(f32(3.4028234663852886e38), '3.4028235e+38');
  assert.equal(f32(1.401298464324817e-45), '1e-45');
  assert.equal(formatF32(0x7fc00000), 'nan');
  assert.equal(formatF32(0xffc00000), '-nan');
  assert.equal(formatF32(0x7f800001), 'nan:0x1');
  assert.equal(formatF32(0xff812345), '-nan:0x12345');
  const f64 = (x: number) => formatF64(f64Bits(x));
  assert.equal(f64(0.1), '0.1');
  assert.equal(f64(-0), '-0');
  assert.equal(f64(5e-324), '5e-324');
  assert.equal(f64(1e21), '1e+21');
  assert.equal(f64(-Infinity), '-inf');
  assert.equal(formatF64(0x7ff8000000000000n), 'nan');
  assert.equal(formatF64(0xfff0000000000001n), '-nan:0x1');
  assert.equal(formatF64(0x7fffffffffffffffn), 'nan:0xfffffffffffff');
});

test('float literals read back to the same bits (random patterns)', () => {
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < 20000; i++) {
    const bits = (next() ^ (next() << 16)) >>> 0;
    assert.equal(parseF32(formatF32(bits)), bits, `f32 0x${bits.toString(16)}`);
    const b64 = (BigInt(next() ^ (next() << 16)) << 32n) | BigInt((next() ^ (next() << 16)) >>> 0);
    const u64 = BigInt.asUintN(64, b64);
    assert.equal(parseF64(formatF64(u64)), u64, `f64 0x${u64.toString(16)}`);
  }
  // Boundaries: subnormals, the largest finite values, one ulp around powers of two.
  for (const bits of [1, 0x7fffff, 0x800000, 0x7f7fffff, 0x3f800000, 0x3f7fffff, 0x3f800001, 0x80000001]) {
    assert.equal(parseF32(formatF32(bits)), bits);
  }
  for (const bits of [1n, 0xfffffffffffffn, 0x10000000000000n, 0x7fefffffffffffffn, 0x3ff0000000000000n, 0x3fefffffffffffffn]) {
    assert.equal(parseF64(formatF64(bits)), bits);
  }
});

test('v128 constants as four exact i32 lanes', () => {
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => (i * 17) & 0xff);
  assert.equal(formatV128(bytes), 'i32x4 0x33221100 0x77665544 0xbbaa9988 0xffeeddcc');
});

// ── identifiers ──────────────────────────────────────────────────────────────────────

function withNames(m: Module, names: Partial<Names>): Module {
  return { ...m, names: { ...emptyNames(), ...names } };
}

test('names: quoted identifiers, repeats and empty names', () => {
  const base = parseModule(`(module
    (type (struct (field i32) (field i64)))
    (import "m" "f" (func (param i32)))
    (func (param i32) (local i32 i64)
      block
        loop
          br 1
        end
      end)
    (func)
    (func)
    (global i32 (i32.const 0))
    (global i32 (i32.const 1))
    (tag)
    (tag))`);
  const m = withNames(base, {
    module: 'my module',
    funcs: new Map([
      [0, 'imp'],
      [1, 'a b'],
      [2, 'a b'],
      [3, ''],
    ]),
    locals: new Map([[1, new Map([[0, 'p'], [1, 'x"y'], [2, 'é']])]]),
    labels: new Map([[1, new Map([[0, 'outer'], [1, 'inner']])]]),
    types: new Map([[0, 'pair']]),
    fields: new Map([[0, new Map([[0, 'first'], [1, 'second']])]]),
    globals: new Map([[0, 'g'], [1, 'g']]),
    tags: new Map([[0, ''], [1, 't']]),
  });
  const text = printModule(m);
  assert.match(text, /^\(module \$"my module"\n/);
  assert.match(text, /\(type \$pair \(struct \(field \$first i32\) \(field \$second i64\)\)\)/);
  assert.match(text, /\(import "m" "f" \(func \$imp \(type 1\) \(param i32\)\)\)/);
  assert.match(text, /\(func \$"a b" \(type 1\) \(param \$p i32\)\n    \(local \$"x\\"y" i32\) \(local \$"é" i64\)\n    block \$outer\n      loop \$inner\n        br \$outer\n/);
  assert.match(text, /\(func \(;2;\) \(@name "a b"\) \(type 2\)\)/);
  assert.match(text, /\(func \(;3;\) \(@name ""\) \(type 2\)\)/);
  assert.match(text, /\(global \$g i32 i32.const 0\)\n {2}\(global \(;1;\) i32 i32.const 1\)/);
  assert.match(text, /\(tag \(;0;\) \(@name ""\) \(type 2\)\)\n {2}\(tag \$t \(type 2\)\)/);
  // Read back: everything but the repeated global name survives.
  const again = parseModule(text);
  assert.deepEqual(again.names!.module, 'my module');
  assert.deepEqual([...again.names!.funcs].sort(), [...m.names!.funcs].sort());
  assert.deepEqual([...again.names!.locals.get(1)!], [...m.names!.locals.get(1)!]);
  assert.deepEqual([...again.names!.fields.get(0)!], [...m.names!.fields.get(0)!]);
  assert.deepEqual([...again.names!.tags].sort(), [...m.names!.tags].sort());
  assert.deepEqual([...again.names!.globals], [[0, 'g']]);
  assert.deepEqual([...again.names!.labels.get(1)!], [...m.names!.labels.get(1)!]);
  const expected = encodeModule({ ...m, names: { ...m.names!, globals: new Map([[0, 'g']]) } });
  assert.deepEqual(encodeModule(again), expected);
});

test('names: an empty module name and a shadowed label', () => {
  const base = parseModule('(module (func block block br 1 end end))');
  const m = withNames(base, { module: '', labels: new Map([[0, new Map([[0, 'l'], [1, 'l']])]]) });
  const text = printModule(m);
  assert.match(text, /^\(module \(@name ""\)\n/);
  // `br 1` targets the outer `$l`, which the inner one shadows: printed as a number.
  assert.match(text, /block \$l\n {6}block \$l\n {8}br 1\n/);
  assert.equal(parseModule(text).names!.module, '');
});

// ── every instruction ───────────────────────────────────────────────────────────────

const BASE = `(module
  (type (func (param i32) (result i32)))
  (type (struct (field i32) (field (mut i64))))
  (type (array (mut i8)))
  (table 1 funcref) (table 1 funcref)
  (memory 1) (memory i64 1)
  (global i32 (i32.const 0)) (global (mut i32) (i32.const 0))
  (tag (param i32))
  (elem func 0) (elem func 0)
  (data "a") (data "b")
  (func (type 0) (local i32) nop)
  (func (type 0) local.get 0))`;

function sampleImmediate(kind: ImmKind, o: number): ImmediateOf[ImmKind] | undefined {
  const natural = INSTRUCTIONS[o]!.natural;
  const memarg = { align: natural, offset: 16n, memory: 1 };
  switch (kind) {
    case 'none':
    case 'atomic_fence':
      return null;
    case 'label': return 1;
    case 'br_table': return { targets: [0, 1, 0], default: 1 };
    case 'br_on_cast': return { label: 0, from: refType(true, 'any'), to: refType(false, 1) };
    case 'func': return 1;
    case 'call_indirect': return { type: 0, table: 1 };
    case 'type': return 1;
    case 'local': return 1;
    case 'global': return 1;
    case 'table': return 1;
    case 'memory': return 1;
    case 'tag': return 0;
    case 'elem': return 1;
    case 'data': return 1;
    case 'table_init': return { elem: 1, table: 1 };
    case 'table_copy': return { dst: 1, src: 0 };
    case 'memory_init': return { data: 1, memory: 1 };
    case 'memory_copy': return { dst: 0, src: 1 };
    case 'memarg': return memarg;
    case 'memarg_lane': return { memarg: { ...memarg, align: Math.max(0, natural - 1), memory: 0 }, lane: 1 };
    case 'lane': return 1;
    case 'shuffle': return Uint8Array.from({ length: 16 }, (_, i) => 31 - i);
    case 'i32': return -0x80000000;
    case 'i64': return -(1n << 63n);
    case 'f32': return 0xffc00001;
    case 'f64': return 0x8000000000000001n;
    case 'v128': return Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    case 'select': return ['i32', refType(true, 2)];
    case 'heap_type': return 1;
    case 'ref_type': return refType(true, 2);
    case 'struct_field': return { type: 1, field: 1 };
    case 'array_fixed': return { type: 2, length: 3 };
    case 'array_data': return { type: 2, data: 1 };
    case 'array_elem': return { type: 2, elem: 1 };
    case 'array_copy': return { dst: 2, src: 2 };
    default:
      return undefined; // block, try_table: structured, tested below
  }
}

const STRUCTURAL = new Set(['else', 'end', 'catch', 'catch_all', 'delegate']);

test('every instruction of the table prints and reads back (flat and folded)', () => {
  const base = parseModule(BASE);
  const body: Instruction[] = [{ op: op('block'), imm: null }, { op: op('block'), imm: null }];
  let count = 0;
  for (let o = 0; o < INSTRUCTIONS.length; o++) {
    const info = INSTRUCTIONS[o]!;
    if (STRUCTURAL.has(info.name)) continue;
    const imm = sampleImmediate(info.imm, o);
    if (imm === undefined) continue;
    body.push(imm === null ? simple(o) : { op: o, imm });
    count++;
  }
  // A few variants: untyped and empty typed select, natural alignment, memory 0.
  body.push(simple(op('select')), { op: op('select'), imm: [] });
  body.push({ op: op('i64.load'), imm: { align: 3, offset: 0n, memory: 0 } });
  body.push({ op: op('ref.null'), imm: 'noexn' }, { op: op('ref.test'), imm: refType(false, 'i31') });
  body.push(simple(op('end')), simple(op('end')));
  const m: Module = { ...base, funcs: [base.funcs[0]!, { ...base.funcs[1]!, body }], dataCount: true };
  assert.ok(count > 500, `${count} instructions`);
  for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' }, folded ? 'folded' : 'flat');
});

test('structured instructions, flat and folded', () => {
  const m = parseModule(`(module
    (type $ii (func (param i32) (result i32)))
    (tag $e (param i32))
    (func (param i32) (result i32)
      (block $a (result i32)
        (loop $l (type $ii) (param i32) (result i32)
          (br_table $a $l $a (local.get 0)))
        (if (type $ii) (param i32) (result i32) (i32.const 1) (i32.const 0) (then) (else (drop) (i32.const 3)))
        (try_table (result i32) (catch $e 0) (catch_ref $e 1) (catch_all 1) (catch_all_ref 1)
          (i32.const 5))
        drop drop)
      try (result i32)
        i32.const 1
      catch $e
      catch_all
        i32.const 2
      end
      drop
      (try (do (try (do nop) (delegate 0))) (catch_all))
      (try (do) (catch $e (drop)) (catch_all (rethrow 0)))
      (throw $e (i32.const 1))))`);
  for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
  const folded = printModule(m, { folded: true });
  assert.match(folded, /\(if \(type \$ii\) \(param i32\) \(result i32\)\n {8}\(i32.const 1\)\n {8}\(i32.const 0\)\n {8}\(then\)\n {8}\(else\n {10}\(drop\)\n/);
  assert.match(folded, /\(try\n {6}\(do\n {8}\(try\n {10}\(do\n {12}\(nop\)\)\n {10}\(delegate 0\)\)\)\n {6}\(catch_all\)\)/);
  assert.match(folded, /\(try_table \(result i32\) \(catch \$e \$a\) \(catch_ref \$e 1\) \(catch_all 1\) \(catch_all_ref 1\)\n/);
  assert.match(folded, /\(throw \$e \(i32.const 1\)\)\)\n/);
});

// ── module fields ───────────────────────────────────────────────────────────────────

test('types, limits, tables with initialisers, imports of every kind', () => {
  const m = parseModule(`(module
    (rec (type $a (sub (struct (field (mut i8)) (field (ref null $b))))) (type $b (sub final $a (struct (field (mut i8)) (field (ref null $b))))))
    (rec)
    (type $arr (array (mut i16)))
    (type $f (sub (func (param (ref $arr)) (result nullfuncref exnref))))
    (import "m" "t" (table $t i64 1 10 (ref null func)))
    (import "m" "mem" (memory i64 2 3 shared))
    (import "m" "g" (global $g (mut (ref null $arr))))
    (import "m" "e" (tag $e (param i32)))
    (table i64 2 funcref (ref.func $h))
    (table 3 (ref $f) (ref.func $h))
    (memory 0)
    (memory 1 65536 shared)
    (func $h (type $f) unreachable)
    (start $h))`);
  const text = printModule(m);
  assert.match(text, /\(rec\n {4}\(type \$a \(sub \(struct \(field \(mut i8\)\) \(field \(ref null \$b\)\)\)\)\)\n {4}\(type \$b \(sub final \$a /);
  assert.match(text, /\(rec\)\n/);
  assert.match(text, /\(import "m" "t" \(table \$t i64 1 10 funcref\)\)/);
  assert.match(text, /\(import "m" "mem" \(memory \(;0;\) i64 2 3 shared\)\)/);
  assert.match(text, /\(table \(;1;\) i64 2 funcref ref.func \$h\)\n {2}\(table \(;2;\) 3 \(ref \$f\) ref.func \$h\)/);
  assert.match(text, /\(start \$h\)/);
  for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
});

test('element segments in every mode', () => {
  const m = parseModule(`(module
    (type $t (func))
    (table $t0 10 funcref) (table $t1 10 funcref)
    (func $f) (func $g)
    (elem (i32.const 0) func $f $g)
    (elem (table $t1) (i32.const 1) func $f)
    (elem (i32.const 2) funcref (ref.func $f) (ref.null func))
    (elem (table $t1) (offset i32.const 1 i32.const 2 i32.add) (ref null $t) (item ref.func $g))
    (elem func $f)
    (elem (ref $t) (ref.func $f))
    (elem declare func $g)
    (elem declare funcref (ref.null func)))`);
  const text = printModule(m);
  assert.match(text, /\(elem \(;0;\) \(i32.const 0\) func \$f \$g\)/);
  assert.match(text, /\(elem \(;1;\) \(table \$t1\) \(i32.const 1\) func \$f\)/);
  assert.match(text, /\(elem \(;3;\) \(table \$t1\) \(offset i32.const 1 i32.const 2 i32.add\) \(ref null \$t\) \(ref.func \$g\)\)/);
  assert.match(text, /\(elem \(;6;\) declare func \$g\)/);
  assert.match(printModule(m, { folded: true }), /\(table \$t1\) \(i32.add \(i32.const 1\) \(i32.const 2\)\) \(ref null \$t\)/);
  for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
  // Function indices with a type other than (ref func) print as ref.func items.
  const odd: Module = { ...m, elems: [{ type: refType(true, 'func'), mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [0, 1] } }] };
  assert.match(printModule(odd), /\(elem \(;0;\) funcref \(ref.func \$f\) \(ref.func \$g\)\)/);
  assert.deepEqual(roundTrip(odd, false), { kind: 'same' });
});

test('data segments and custom sections', () => {
  const m = parseModule(`(module
    (memory 1) (memory $m2 1)
    (data (i32.const 0) "\\00\\01\\ff\\"\\\\ok")
    (data (memory $m2) (i32.const 8) "x")
    (data "passive")
    (@custom "first" (before first) "\\01")
    (@custom "mid" (after data) "")
    (@custom "dc" (before datacount) "a")
    (@custom "end" "z"))`);
  const text = printModule(m);
  assert.match(text, /\(data \(;0;\) \(i32.const 0\) "\\00\\01\\ff\\"\\\\ok"\)/);
  assert.match(text, /\(data \(;1;\) \(memory \$m2\) \(i32.const 8\) "x"\)/);
  assert.match(text, /\(data \(;2;\) "passive"\)/);
  assert.match(text, /\(@custom "first" \(before first\) "\\01"\)\n {2}\(@custom "mid" \(after data\) ""\)\n {2}\(@custom "dc" \(before datacount\) "a"\)\n {2}\(@custom "end" "z"\)\)/);
  for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
});

test('binary layout the text format cannot say: (@datacount) and (@local.runs …)', () => {
  const base = parseModule(`(module (memory 1) (data "x") (func (local i32 i64)))`);
  assert.equal(base.dataCount, false);
  // A data count section with no instruction naming a data segment (as wasm-ld emits).
  const dc: Module = { ...base, dataCount: true };
  assert.match(printModule(dc), /\n {2}\(@datacount\)/);
  assert.doesNotMatch(printModule(base), /@datacount/);
  // Adjacent runs of one type and a run of zero locals, as a binary may hold them.
  const runs: Module = {
    ...base,
    funcs: [{ ...base.funcs[0]!, locals: [{ count: 1, type: 'i32' }, { count: 2, type: 'i32' }, { count: 0, type: 'f64' }, { count: 1, type: 'i64' }] }],
  };
  assert.match(printModule(runs), /\(local i32 i32 i32 i64\) \(@local.runs 1 2 0 f64 1\)/);
  assert.doesNotMatch(printModule(base), /@local.runs/);
  for (const m of [dc, runs]) for (const folded of [false, true]) assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
  assert.equal(parseModule('(module (@datacount) (func (local f32) (@local.runs 0 (ref null func) 1)))').funcs[0]!.locals[0]!.count, 0);
});

test('(@datacount) and (@local.runs …) reject misuse with a position', () => {
  const bad: [string, RegExp][] = [
    ['(module (func (@datacount)))', /misplaced @datacount annotation/],
    ['(module (@datacount 1))', /@datacount annotation: unexpected token/],
    ['(module (@local.runs 1))', /misplaced @local.runs annotation/],
    ['(module (func (local i32) (@local.runs 2)))', /more locals than declared/],
    ['(module (func (local i32 i32) (@local.runs 1)))', /fewer locals than declared/],
    ['(module (func (local i32 i64) (@local.runs 2)))', /a run of locals of different types/],
    ['(module (func (local i32) (@local.runs 1) (@local.runs 1)))', /duplicate annotation/],
    ['(module (func (local i32) (@local.runs x)))', /malformed count/],
    ['(module (func (local i32) (@local.runs 0)))', /./],
    ['(module (import "m" "f" (func (@local.runs))))', /misplaced @local.runs annotation/],
  ];
  for (const [src, message] of bad) assert.throws(() => parseModule(src), (e: Error) => message.test(e.message) && /\d+:\d+/.test(e.message), src);
});

// ── bounded output on hostile input ──────────────────────────────────────────────────

test('deep nesting and long chains print without deep recursion', () => {
  const n = 20000;
  const cases = [
    `(module (func ${'block '.repeat(n)}${'end '.repeat(n)}))`,
    `(module (func (result i32) i32.const 0 ${'i32.const 1 i32.add '.repeat(n)}))`,
    `(module (func (result i32) ${'i32.const 1 '.repeat(n)}${'i32.add '.repeat(n - 1)}))`,
  ];
  for (const src of cases) {
    const m = parseModule(src);
    for (const folded of [false, true]) {
      const text = printModule(m, { folded });
      assert.ok(text.length < 100 * n * 10, `${text.length} characters`);
      assert.deepEqual(roundTrip(m, folded), { kind: 'same' });
    }
  }
});

test('malformed block structure in a model prints flat', () => {
  const base = parseModule('(module (func))');
  const body = [simple(op('end')), simple(op('else')), { op: op('block'), imm: null }];
  const m: Module = { ...base, funcs: [{ ...base.funcs[0]!, body }] };
  const text = printModule(m, { folded: true });
  assert.match(text, /end\n {4}else\n {4}block\)/);
});
