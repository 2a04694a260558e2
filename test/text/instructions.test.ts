// Instructions (spec §6.5): plain and folded forms, blocks and labels, every immediate.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseModule } from '../../src/text/index.ts';
import { body, bodyOf } from './helpers.ts';

test('folded instructions unfold operands first, to any depth', () => {
  assert.equal(
    bodyOf('(func (result i32) (i32.add (i32.mul (i32.const 2) (i32.const 3)) (i32.sub (i32.const 4) (i32.const 1))))'),
    'i32.const 2; i32.const 3; i32.mul; i32.const 4; i32.const 1; i32.sub; i32.add',
  );
  assert.equal(bodyOf('(func nop (nop) nop)'), 'nop; nop; nop');
});

test('blocks, loops and if in plain and folded form', () => {
  assert.equal(bodyOf('(func block nop end loop end)'), 'block; nop; end; loop; end');
  assert.equal(bodyOf('(func (block (nop)) (loop (result i32) (i32.const 1)) drop)'), 'block; nop; end; loop i32; i32.const 1; end; drop');
  assert.equal(
    bodyOf('(func (param i32) (if (local.get 0) (then nop) (else unreachable)))'),
    'local.get 0; if; nop; else; unreachable; end',
  );
  assert.equal(bodyOf('(func (if (i32.const 1) (then)))'), 'i32.const 1; if; end');
  assert.equal(bodyOf('(func i32.const 0 if nop else nop end)'), 'i32.const 0; if; nop; else; nop; end');
  assert.equal(
    bodyOf('(func (if (result i32) (i32.const 1) (i32.const 2) (then (i32.const 3)) (else (i32.const 4))) drop)'),
    'i32.const 1; i32.const 2; if i32; i32.const 3; else; i32.const 4; end; drop',
  );
});

test('block types: none, single result, type index, inline multi-value', () => {
  const m = parseModule(`
    (type $t (func (param i32) (result i32 i32)))
    (func (block (result i32 i64) unreachable) unreachable)
    (func (block (type $t) unreachable) (block (param i32) (result i32 i32) unreachable) (block (type $t) (param i32) (result i32 i32) unreachable))`);
  assert.equal(body(m), 'block 2; unreachable; end; unreachable');
  assert.equal(body(m, 1), 'block 0; unreachable; end; block 0; unreachable; end; block 0; unreachable; end');
  assert.deepEqual(m.types[1]!.types[0]!.composite, { kind: 'func', params: [], results: [] });
  assert.deepEqual(m.types[2]!.types[0]!.composite, { kind: 'func', params: [], results: ['i32', 'i64'] });
});

test('labels: symbolic, numeric, shadowing, end/else label checks', () => {
  assert.equal(
    bodyOf('(func (block $a (block $b (br $a) (br $b) (br 0) (br_if $a (i32.const 1)))))'),
    'block; block; br 1; br 0; br 0; i32.const 1; br_if 1; end; end',
  );
  assert.equal(bodyOf('(func (block $l (block $l (br $l))))'), 'block; block; br 0; end; end');
  assert.equal(bodyOf('(func block $x loop $y br $x br $y end $y end $x)'), 'block; loop; br 1; br 0; end; end');
  assert.equal(bodyOf('(func i32.const 0 if $l br $l else $l br $l end $l)'), 'i32.const 0; if; br 0; else; br 0; end');
  assert.equal(
    bodyOf('(func (block $a (block $b (br_table $a $b 0 (i32.const 0)))))'),
    'block; block; i32.const 0; br_table {default:0,targets:[1,0]}; end; end',
  );
  // The `if` label is not in scope in its condition.
  assert.equal(bodyOf('(func (block $l (if $l (br_if $l (i32.const 1) (i32.const 0)) (then (br $l)))))'), 'block; i32.const 1; i32.const 0; br_if 0; if; br 0; end; end');
});

test('calls: call, call_indirect with table and type uses, return_call*, call_ref', () => {
  const m = parseModule(`
    (type $t (func (param i32) (result i32)))
    (table $tab 1 funcref) (table $u 1 funcref)
    (func $f (param i32) (result i32)
      (call $f (local.get 0))
      (call_indirect (type $t) (i32.const 0))
      (call_indirect $u (type $t) (param i32) (result i32) (i32.const 0))
      (call_indirect (param i32) (result i32) (i32.const 0))
      call_indirect 1 (param i64)
      (return_call_indirect (type $t) (i32.const 0)))
    (func (param (ref $t)) (call_ref $t (i32.const 0) (local.get 0)) drop (return_call $f (i32.const 1)))`);
  assert.equal(
    body(m),
    'local.get 0; call 0; i32.const 0; call_indirect {table:0,type:0}; i32.const 0; call_indirect {table:1,type:0}; ' +
      'i32.const 0; call_indirect {table:0,type:0}; call_indirect {table:1,type:1}; i32.const 0; return_call_indirect {table:0,type:0}',
  );
  assert.equal(body(m, 1), 'i32.const 0; local.get 0; call_ref 0; drop; i32.const 1; return_call 0');
});

test('select: untyped and typed', () => {
  assert.equal(bodyOf('(func (select (i32.const 1) (i32.const 2) (i32.const 0)) drop)'), 'i32.const 1; i32.const 2; i32.const 0; select; drop');
  assert.equal(
    bodyOf('(func (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop i32.const 0 i32.const 0 i32.const 0 select (result f32) (result) drop)'),
    'i32.const 1; i32.const 2; i32.const 0; select [i32]; drop; i32.const 0; i32.const 0; i32.const 0; select [f32]; drop',
  );
});

test('numeric constants: every literal form', () => {
  assert.equal(
    bodyOf('(func (i32.const 0xffff_ffff) (i32.const -0x8000_0000) (i32.const +1_000) (i64.const -1) (i64.const 0xFFFFFFFFFFFFFFFF) drop drop drop drop drop)'),
    'i32.const -1; i32.const -2147483648; i32.const 1000; i64.const -1n; i64.const -1n; drop; drop; drop; drop; drop',
  );
  assert.equal(
    bodyOf('(func (f32.const 1.5) (f32.const -0x1p-1) (f32.const inf) (f32.const -nan) (f32.const nan:0x200000) (f64.const 0x1.8p1) drop drop drop drop drop drop)').split('; drop')[0],
    'f32.const 1069547520; f32.const 3204448256; f32.const 2139095040; f32.const 4290772992; f32.const 2141192192; f64.const 4613937818241073152n',
  );
});

test('memory instructions: memargs, alignment, offsets, memory indices', () => {
  const m = parseModule(`
    (memory $a 1) (memory $b i64 1)
    (func
      (drop (i32.load (i32.const 0)))
      (drop (i64.load8_u offset=7 align=1 (i32.const 0)))
      (drop (i32.load $b offset=0x10 (i64.const 0)))
      (drop (f64.load 1 align=8 (i64.const 0)))
      (i32.store16 $a offset=18446744073709551615 (i32.const 0) (i32.const 0))
      (memory.size $b) (memory.grow $b) (memory.size) drop drop drop
      (memory.copy $a $b (i32.const 0) (i64.const 0) (i32.const 0))
      (memory.fill $b (i64.const 0) (i32.const 0) (i64.const 0)))`);
  assert.equal(
    body(m),
    'i32.const 0; i32.load {align:2,memory:0,offset:0n}; drop; ' +
      'i32.const 0; i64.load8_u {align:0,memory:0,offset:7n}; drop; ' +
      'i64.const 0n; i32.load {align:2,memory:1,offset:16n}; drop; ' +
      'i64.const 0n; f64.load {align:3,memory:1,offset:0n}; drop; ' +
      'i32.const 0; i32.const 0; i32.store16 {align:1,memory:0,offset:18446744073709551615n}; ' +
      'memory.size 1; memory.grow 1; memory.size 0; drop; drop; drop; ' +
      'i32.const 0; i64.const 0n; i32.const 0; memory.copy {dst:0,src:1}; ' +
      'i64.const 0n; i32.const 0; i64.const 0n; memory.fill 1',
  );
});

test('tables and references', () => {
  const m = parseModule(`
    (table $t 1 funcref) (table $u 1 externref)
    (func $f
      (drop (table.get $u (i32.const 0)))
      (table.set (i32.const 0) (ref.func $f))
      (drop (table.size $u))
      (drop (table.grow $t (ref.null func) (i32.const 1)))
      (table.fill $u (i32.const 0) (ref.null extern) (i32.const 0))
      (table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 0))
      (table.copy (i32.const 0) (i32.const 0) (i32.const 0))
      (drop (ref.is_null (ref.null func))))`);
  assert.equal(
    body(m),
    'i32.const 0; table.get 1; drop; i32.const 0; ref.func 0; table.set 0; table.size 1; drop; ' +
      'ref.null func; i32.const 1; table.grow 0; drop; i32.const 0; ref.null extern; i32.const 0; table.fill 1; ' +
      'i32.const 0; i32.const 0; i32.const 0; table.copy {dst:0,src:0}; i32.const 0; i32.const 0; i32.const 0; table.copy {dst:0,src:0}; ' +
      'ref.null func; ref.is_null; drop',
  );
});

test('SIMD: v128.const shapes, shuffles, lanes, lane memory accesses', () => {
  const m = parseModule(`
    (memory $m 1) (memory $n 1)
    (func
      (drop (v128.const i32x4 1 2 3 0xffffffff))
      (drop (v128.const i8x16 -1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 255))
      (drop (v128.const i16x8 -1 1 2 3 4 5 6 7))
      (drop (v128.const i64x2 -1 1))
      (drop (v128.const f32x4 1 -0 inf nan))
      (drop (v128.const f64x2 1.5 -nan))
      (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))
      (drop (i8x16.extract_lane_s 15 (v128.const i64x2 0 0)))
      (drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
      (drop (v128.load16_lane $n offset=2 align=1 3 (i32.const 0) (v128.const i64x2 0 0)))
      (drop (v128.load32_lane 1 2 (i32.const 0) (v128.const i64x2 0 0))))`);
  const b = body(m).split('; drop; ');
  assert.equal(b[0], 'v128.const [1,0,0,0,2,0,0,0,3,0,0,0,255,255,255,255]');
  assert.equal(b[1], 'v128.const [255,0,1,2,3,4,5,6,7,8,9,10,11,12,13,255]');
  assert.equal(b[2], 'v128.const [255,255,1,0,2,0,3,0,4,0,5,0,6,0,7,0]');
  assert.equal(b[3], 'v128.const [255,255,255,255,255,255,255,255,1,0,0,0,0,0,0,0]');
  assert.equal(b[4], 'v128.const [0,0,128,63,0,0,0,128,0,0,128,127,0,0,192,127]');
  assert.equal(b[5], 'v128.const [0,0,0,0,0,0,248,63,0,0,0,0,0,0,248,255]');
  assert.match(b[6]!, /i8x16\.shuffle \[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,31\]$/);
  assert.match(b[7]!, /i8x16\.extract_lane_s 15$/);
  assert.match(b[8]!, /v128\.load8_lane \{lane:1,memarg:\{align:0,memory:0,offset:0n\}\}$/);
  assert.match(b[9]!, /v128\.load16_lane \{lane:3,memarg:\{align:0,memory:1,offset:2n\}\}$/);
  assert.match(b[10]!, /v128\.load32_lane \{lane:2,memarg:\{align:2,memory:1,offset:0n\}\}; drop$/);
});

test('GC instructions', () => {
  const m = parseModule(`
    (type $s (struct (field $x (mut i32)) (field $y i64)))
    (type $a (array (mut i8)))
    (data $d "abc") (elem $e funcref)
    (func (param $r (ref null $s)) (param $arr (ref $a))
      (struct.set $s $x (local.get $r) (i32.const 1))
      (drop (struct.get_s $s 1 (local.get $r)))
      (drop (struct.new_default $s))
      (drop (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))
      (drop (array.new_data $a $d (i32.const 0) (i32.const 1)))
      (drop (array.new_elem 1 $e (i32.const 0) (i32.const 1)))
      (array.copy $a $a (local.get $arr) (i32.const 0) (local.get $arr) (i32.const 0) (i32.const 0))
      (drop (ref.test (ref null $s) (local.get $r)))
      (drop (ref.cast (ref i31) (local.get $r)))
      (drop (block $l (result anyref) (br_on_cast $l anyref (ref $s) (local.get $r))))
      (drop (ref.i31 (i32.const 5))))`);
  const b = body(m);
  assert.match(b, /struct\.set \{field:0,type:0\}/);
  assert.match(b, /struct\.get_s \{field:1,type:0\}/);
  assert.match(b, /array\.new_fixed \{length:3,type:1\}/);
  assert.match(b, /array\.new_data \{data:0,type:1\}/);
  assert.match(b, /array\.new_elem \{elem:0,type:1\}/);
  assert.match(b, /array\.copy \{dst:1,src:1\}/);
  assert.match(b, /ref\.test \{heap:0,kind:ref,nullable:true\}/);
  assert.match(b, /ref\.cast \{heap:i31,kind:ref,nullable:false\}/);
  assert.match(b, /br_on_cast \{from:\{heap:any,kind:ref,nullable:true\},label:0,to:\{heap:0,kind:ref,nullable:false\}\}/);
  assert.equal(m.dataCount, true);
});

test('exceptions: throw, throw_ref, try_table with every catch clause', () => {
  const m = parseModule(`
    (tag $e (param i32)) (tag $f)
    (func (result exnref)
      (block $h (result exnref)
        (block $t (result i32)
          (try_table $own (result i32) (catch $e $t) (catch_ref $f $h) (catch_all $t) (catch_all_ref $h)
            (throw $e (i32.const 1))))
        drop (ref.null exn))
      (throw_ref (ref.null exn)))`);
  assert.equal(
    body(m),
    'block {heap:exn,kind:ref,nullable:true}; block i32; try_table {catches:[{kind:catch,label:0,tag:0},{kind:catch_ref,label:1,tag:1},{kind:catch_all,label:0,tag:},{kind:catch_all_ref,label:1,tag:}],type:i32}; ' +
      'i32.const 1; throw 0; end; end; drop; ref.null exn; end; ref.null exn; throw_ref',
  );
});

test('legacy exceptions: try/catch/catch_all/delegate/rethrow, plain and folded', () => {
  const m = parseModule(`
    (tag $e)
    (func
      (try $t (do (throw $e)) (catch $e (rethrow $t)) (catch_all nop))
      (try (do nop) (delegate 0))
      try $l nop catch $e catch_all rethrow $l end
      block $out try nop delegate $out end)`);
  assert.equal(
    body(m),
    'try; throw 0; catch 0; rethrow 0; catch_all; nop; end; try; nop; delegate 0; try; nop; catch 0; catch_all; rethrow 0; end; block; try; nop; delegate 0; end',
  );
});

test('bulk memory and data count', () => {
  const m = parseModule('(memory 1) (data $d "x") (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0))');
  assert.equal(body(m), 'i32.const 0; i32.const 0; i32.const 1; memory.init {data:0,memory:0}; data.drop 0');
  assert.equal(m.dataCount, true);
});

test('atomics and fences', () => {
  assert.equal(
    bodyOf('(memory 1 1 shared) (func (drop (i32.atomic.rmw.add offset=4 (i32.const 0) (i32.const 1))) (atomic.fence) (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))'),
    'i32.const 0; i32.const 1; i32.atomic.rmw.add {align:2,memory:0,offset:4n}; drop; atomic.fence; i32.const 0; i32.const 1; memory.atomic.notify {align:2,memory:0,offset:0n}; drop',
  );
});

test('constant expressions use the same instruction parser', () => {
  const m = parseModule('(global $g i32 (i32.add (i32.const 1) (i32.const 2))) (global i64 i64.const 3 i64.const 4 i64.mul)');
  assert.equal(m.globals.length, 2);
});
