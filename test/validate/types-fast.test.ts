// The cheaper paths of module-level validation (src/validate/types.ts, registry.ts,
// module.ts): simple function types interned by a numeric key must canonicalize exactly
// as the general path does, and the checks split into small functions must keep their
// order and wording.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ValidationError } from '../../src/model/errors.ts';
import { ALL_FEATURES } from '../../src/model/features.ts';
import { emptyModule } from '../../src/model/types.ts';
import type { Module, RecGroup, ValType } from '../../src/model/types.ts';
import { reason } from './helpers.ts';
import { ModuleValidator, TypeRegistry } from '../../src/validate/index.ts';

/** A group of one function type; `rec` writes it as an explicit recursion group. */
function funcGroup(params: ValType[], results: ValType[], rec = false): RecGroup {
  return { explicit: rec, types: [{ final: true, supertypes: [], composite: { kind: 'func', params, results } }] };
}

/** Canonical ids of a module's types in `registry`. */
function canon(types: RecGroup[], registry: TypeRegistry): number[] {
  const v = new ModuleValidator({ ...emptyModule(), types }, { types: registry });
  return Array.from(v.ctx.types.canon);
}

test('simple function types share canonical ids within and across modules', () => {
  const reg = new TypeRegistry();
  const a = canon([funcGroup(['i32'], ['i64']), funcGroup([], []), funcGroup(['i32'], ['i64'])], reg);
  assert.equal(a[0], a[2], 'equal types in one module');
  assert.notEqual(a[0], a[1]);
  const b = canon([funcGroup([], []), funcGroup(['i32'], ['i64'], true)], reg);
  assert.equal(b[0], a[1], 'across modules');
  assert.equal(b[1], a[0], 'an explicit group of one type is the same type');
  // Params and results are told apart: (i32) -> () is not () -> (i32).
  const c = canon([funcGroup(['i32'], []), funcGroup([], ['i32']), funcGroup(['i32', 'i32'], [])], reg);
  assert.equal(new Set(c).size, 3);
});

test('the numeric key and the general path agree at the size limit', () => {
  const reg = new TypeRegistry();
  const many = (n: number): ValType[] => Array.from({ length: n }, (_, i) => (['i32', 'i64', 'f32', 'f64', 'v128'] as const)[i % 5]!);
  // 15 params and results: a numeric key; 16: the general path. Both must be stable.
  const a = canon([funcGroup(many(10), many(5)), funcGroup(many(10), many(6))], reg);
  const b = canon([funcGroup(many(10), many(6)), funcGroup(many(10), many(5))], reg);
  assert.deepEqual(b, [a[1], a[0]]);
  assert.notEqual(a[0], a[1]);
});

test('many simple function types in one registry keep their ids', () => {
  const reg = new TypeRegistry();
  const codes = ['i32', 'i64', 'f32', 'f64', 'v128'] as const;
  // 5^5 = 3125 distinct types of five params, spread over modules of 100 types.
  const all: RecGroup[] = [];
  for (let i = 0; i < 3125; i++) {
    const params: ValType[] = [];
    for (let k = 0, j = i; k < 5; k++, j = Math.floor(j / 5)) params.push(codes[j % 5]!);
    all.push(funcGroup(params, []));
  }
  const ids: number[] = [];
  for (let i = 0; i < all.length; i += 100) ids.push(...canon(all.slice(i, i + 100), reg));
  assert.equal(new Set(ids).size, all.length);
  assert.equal(reg.count, all.length);
  // Met again, in another order, they are found.
  assert.deepEqual(canon([...all].reverse(), reg), [...ids].reverse());
  assert.equal(reg.count, all.length);
});

test('types that reference a simple function type canonicalize across modules', () => {
  const reg = new TypeRegistry();
  const ref: ValType = { kind: 'ref', nullable: true, heap: 0 };
  const a = canon([funcGroup(['f64'], []), funcGroup([ref], [ref])], reg);
  const b = canon([funcGroup([], []), funcGroup(['f64'], []), funcGroup([{ kind: 'ref', nullable: true, heap: 1 }], [{ kind: 'ref', nullable: true, heap: 1 }])], reg);
  assert.equal(b[1], a[0]);
  assert.equal(b[2], a[1]);
});

test('feature checks of simple function types keep their wording and order', () => {
  const noSimd = { ...ALL_FEATURES, simd: false };
  const noMulti = { ...ALL_FEATURES, 'multi-value': false };
  const both = { ...ALL_FEATURES, simd: false, 'multi-value': false };
  assert.match(reason({ ...emptyModule(), types: [funcGroup(['v128'], [])] }, noSimd) ?? '', /^v128 requires the simd feature/);
  assert.match(reason({ ...emptyModule(), types: [funcGroup([], ['i32', 'i32'])] }, noMulti) ?? '', /^a function type with several results requires the multi-value feature/);
  // Several results are reported before v128, as the general path does.
  assert.match(reason({ ...emptyModule(), types: [funcGroup(['v128'], ['i32', 'i32'])] }, both) ?? '', /multi-value/);
  assert.match(reason({ ...emptyModule(), types: [funcGroup(['v128'], [])] }, { ...ALL_FEATURES, gc: false }) ?? 'ok', /^ok$/);
  assert.match(reason({ ...emptyModule(), types: [funcGroup([], [], true)] }, { ...ALL_FEATURES, gc: false }) ?? '', /^a recursion group requires the gc feature/);
});

test('messages name types by their first index in the module', () => {
  assert.equal(
    reason('(module (type $a (func)) (type $b (func (param i32))) (type $c (func)) (table 1 (ref null $c)) (func (type $b)) (elem (table 0) (i32.const 0) (ref $b) (ref.func 0)))'),
    "type mismatch: element segment's type (ref 1) does not match table's element type (ref null 0)",
  );
  // A segment of function indices whose type is not (ref null? func) still checks each one.
  const m: Module = {
    ...emptyModule(),
    types: [funcGroup([], []), funcGroup(['i32'], [])],
    funcs: [{ type: 1, locals: [], body: [] }],
    elems: [{ type: { kind: 'ref', nullable: false, heap: 0 }, mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [0] } }],
  };
  assert.equal(reason(m), "type mismatch: function 0 does not match the segment's type (ref 0)");
  const past: Module = { ...m, elems: [{ ...m.elems[0]!, init: { kind: 'funcs', indices: [1] } }] };
  assert.match(reason(past) ?? '', /^unknown function 1/);
});

test('module-level checks keep their order', () => {
  // An unknown function type comes before a duplicate export name, which comes last.
  assert.equal(reason('(module (func) (export "a" (func 0)) (export "a" (func 0)))'), 'duplicate export name');
  assert.match(reason('(module (func) (export "a" (func 0)) (export "a" (func 1)))') ?? '', /^unknown function 1/);
  // ref.func in a body names a function referenced elsewhere: by an export, a global, a
  // segment.
  assert.match(reason('(module (func (drop (ref.func 0))))') ?? '', /^undeclared function reference/);
  assert.equal(reason('(module (func (drop (ref.func 0))) (export "f" (func 0)))'), null);
  assert.equal(reason('(module (func (drop (ref.func 0))) (global funcref (ref.func 0)))'), null);
  assert.equal(reason('(module (func (drop (ref.func 0))) (elem declare func 0))'), null);
  assert.equal(reason('(module (func (drop (ref.func 0))) (table 1 funcref) (elem (i32.const 0) funcref (ref.func 0)))'), null);
});

test('duplicate export names, among names alike in many chars', async () => {
  const { encodeModule } = await import('../../src/binary/encode.ts');
  const { ModuleReader } = await import('../../src/binary/module-reader.ts');
  const { validate } = await import('../../src/validate/validate.ts');
  // Names of one length (16) alike at the chars the table's hash looks at (4, 8, 12, 15):
  // the table must give way to a Set, and still find the first repeat.
  const alike = (i: number): string => {
    const d = String(i).padStart(7, '0');
    return `${d.slice(0, 4)}x${d.slice(4)}yyyxyyyx`;
  };
  for (const [count, dup] of [[3, 2], [200, 150], [20000, 19999], [20000, -1]] as const) {
    const names = Array.from({ length: count }, (_, i) => alike(i));
    if (dup >= 0) names[dup] = names[dup - 1]!;
    const m: Module = {
      ...emptyModule(),
      types: [funcGroup([], [])],
      funcs: [{ type: 0, locals: [], body: [] }],
      exports: names.map((name) => ({ name, kind: 'func' as const, index: 0 })),
    };
    if (dup < 0) {
      assert.equal(reason(m), null);
      continue;
    }
    assert.equal(reason(m), 'duplicate export name');
    const bytes = encodeModule(m);
    const at = new ModuleReader(bytes).entryOffset(7, dup);
    assert.throws(() => validate(bytes), (e: unknown) => e instanceof ValidationError && e.offset === at && e.reason === 'duplicate export name');
  }
});
