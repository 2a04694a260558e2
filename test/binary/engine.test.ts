// Encoded modules that V8 accepts and runs: GC, exceptions, SIMD, memory64, multi-memory,
// threads, tail calls, tables and constants. Running them checks more than validation:
// the immediates must mean what the model says.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { encodeModule } from '../../src/binary/encode.ts';
import type { Instruction } from '../../src/model/instruction.ts';
import {
  funcref,
  refType,
  type CompositeType,
  type Func,
  type Limits,
  type LocalRun,
  type Module,
  type RecGroup,
  type ValType,
} from '../../src/model/types.ts';
import { I, WA, hex, mod } from './helpers.ts';

type Exports = Record<string, (...args: unknown[]) => unknown>;

interface Instantiable {
  Instance: new (module: object, imports?: object) => { exports: Exports };
}

function run(m: Module): Exports {
  const bytes = encodeModule(m);
  const module = new WA.Module(bytes);
  const api = (globalThis as unknown as { WebAssembly: Instantiable }).WebAssembly;
  return new api.Instance(module, {}).exports;
}

const t = (composite: CompositeType): RecGroup => ({
  explicit: false,
  types: [{ final: true, supertypes: [], composite }],
});
const sig = (params: ValType[], results: ValType[]): RecGroup =>
  t({ kind: 'func', params, results });
const fn = (type: number, body: Instruction[], locals: LocalRun[] = []): Func => ({ type, locals, body });
const lim = (min: bigint, max: bigint | null = null, address: 'i32' | 'i64' = 'i32', shared = false): Limits => ({
  address,
  min,
  max,
  shared,
});
const exportsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `f${i}`, kind: 'func' as const, index: i }));
const memarg = (align: number, offset: bigint, memory = 0) => ({ align, offset, memory });
const seq16 = () => Uint8Array.from({ length: 16 }, (_, i) => i);

test('GC: rec groups, sub types, structs, arrays, casts', () => {
  const m = mod({
    types: [
      {
        explicit: true,
        types: [
          { final: false, supertypes: [], composite: { kind: 'struct', fields: [{ storage: 'i32', mutable: true }] } },
          {
            final: true,
            supertypes: [0],
            composite: {
              kind: 'struct',
              fields: [
                { storage: 'i32', mutable: true },
                { storage: refType(true, 1), mutable: false },
              ],
            },
          },
        ],
      },
      t({ kind: 'array', element: { storage: 'i8', mutable: true } }), // 2
      sig([], ['i32']), // 3
      sig([refType(true, 'any')], ['i32']), // 4
      t({ kind: 'array', element: { storage: 'i16', mutable: false } }), // 5
    ],
    funcs: [
      fn(3, [I('i32.const', 7), I('struct.new', 0), I('struct.get', { type: 0, field: 0 })]),
      fn(3, [
        I('i32.const', 1),
        I('i32.const', 2),
        I('i32.const', 3),
        I('array.new_fixed', { type: 2, length: 3 }),
        I('array.len'),
      ]),
      fn(4, [
        I('block', refType(false, 0)),
        I('local.get', 0),
        I('br_on_cast', { label: 0, from: refType(true, 'any'), to: refType(false, 0) }),
        I('drop'),
        I('i32.const', -1),
        I('return'),
        I('end'),
        I('struct.get', { type: 0, field: 0 }),
      ]),
      fn(3, [
        I('i32.const', 5),
        I('ref.i31'),
        I('ref.test', refType(false, 'i31')),
        I('ref.null', 'none'),
        I('ref.test', refType(true, 1)),
        I('i32.add'),
        I('ref.null', 'any'),
        I('ref.cast', refType(true, 0)),
        I('ref.is_null'),
        I('i32.add'),
      ]),
      fn(3, [
        I('block', refType(true, 'struct')),
        I('struct.new_default', 1),
        I('br_on_cast_fail', { label: 0, from: refType(true, 'struct'), to: refType(false, 1) }),
        I('struct.get', { type: 1, field: 0 }),
        I('return'),
        I('end'),
        I('drop'),
        I('i32.const', -1),
      ]),
      fn(3, [
        I('i32.const', 0),
        I('i32.const', 2),
        I('array.new_data', { type: 5, data: 0 }),
        I('i32.const', 1),
        I('array.get_u', 5),
      ]),
    ],
    datas: [{ mode: { kind: 'passive' }, bytes: hex('0100 3412') }],
    dataCount: true,
    exports: exportsOf(6),
  });
  const e = run(m);
  assert.equal(e.f0!(), 7);
  assert.equal(e.f1!(), 3);
  assert.equal(e.f2!(null), -1);
  assert.equal(e.f3!(), 3);
  assert.equal(e.f4!(), 0); // br_on_cast_fail falls through: struct field 0 of a default struct
  assert.equal(e.f5!(), 0x1234);
});

test('exceptions: tags, throw, try_table with every catch kind, throw_ref, legacy try', () => {
  const base = {
    types: [sig(['i32'], []), sig([], ['i32']), sig([], ['i32', refType(false, 'exn')])],
    tags: [{ type: 0 }],
  };
  const m = mod({
    ...base,
    funcs: [
      fn(1, [
        I('block', 'i32'),
        I('try_table', { type: null, catches: [{ kind: 'catch', tag: 0, label: 0 }] }),
        I('i32.const', 42),
        I('throw', 0),
        I('end'),
        I('i32.const', 0),
        I('end'),
      ]),
      fn(1, [
        I('block', refType(true, 'exn')),
        I('try_table', { type: null, catches: [{ kind: 'catch_all_ref', tag: null, label: 0 }] }),
        I('i32.const', 1),
        I('throw', 0),
        I('end'),
        I('ref.null', 'exn'),
        I('end'),
        I('ref.is_null'),
      ]),
      fn(1, [
        I('block', null),
        I('try_table', { type: null, catches: [{ kind: 'catch_all', tag: null, label: 0 }] }),
        I('i32.const', 1),
        I('throw', 0),
        I('end'),
        I('end'),
        I('i32.const', 3),
      ]),
      // catch_ref delivers the payload and an exnref; throw_ref rethrows it to the outer
      // try_table, whose plain catch delivers the payload (type 2: [] -> [i32 exnref]).
      fn(1, [
        I('block', 'i32'),
        I('try_table', { type: 'i32', catches: [{ kind: 'catch', tag: 0, label: 1 }] }),
        I('block', 2),
        I('try_table', { type: null, catches: [{ kind: 'catch_ref', tag: 0, label: 0 }] }),
        I('i32.const', 77),
        I('throw', 0),
        I('end'),
        I('unreachable'),
        I('end'),
        I('throw_ref'),
        I('end'),
        I('end'),
      ]),
    ],
    exports: exportsOf(4),
  });
  const e = run(m);
  assert.equal(e.f0!(), 42);
  assert.equal(e.f1!(), 0);
  assert.equal(e.f2!(), 3);
  assert.equal(e.f3!(), 77);

  const legacy = mod({
    ...base,
    funcs: [
      fn(1, [
        I('try', 'i32'),
        I('i32.const', 5),
        I('throw', 0),
        I('catch', 0),
        I('catch_all'),
        I('i32.const', 6),
        I('end'),
      ]),
      fn(1, [
        I('try', 'i32'),
        I('try', 'i32'),
        I('i32.const', 8),
        I('throw', 0),
        I('delegate', 0),
        I('catch', 0),
        I('end'),
      ]),
      fn(1, [
        I('try', 'i32'),
        I('try', 'i32'),
        I('i32.const', 9),
        I('throw', 0),
        I('catch_all'),
        I('rethrow', 0),
        I('end'),
        I('catch', 0),
        I('end'),
      ]),
    ],
    exports: exportsOf(3),
  });
  const l = run(legacy);
  assert.equal(l.f0!(), 5);
  assert.equal(l.f1!(), 8);
  assert.equal(l.f2!(), 9);
});

test('SIMD: v128.const, shuffle, lanes, memory lanes, relaxed SIMD', () => {
  const reversed = Uint8Array.from({ length: 16 }, (_, i) => 15 - i);
  const m = mod({
    types: [sig([], ['i32'])],
    memories: [{ limits: lim(1n) }],
    funcs: [
      fn(0, [
        I('v128.const', seq16()),
        I('v128.const', seq16()),
        I('i8x16.shuffle', reversed),
        I('i8x16.extract_lane_u', 0),
      ]),
      fn(0, [
        I('i32.const', 0),
        I('v128.const', seq16()),
        I('v128.store', memarg(4, 16n)),
        I('i32.const', 16),
        I('v128.const', new Uint8Array(16)),
        I('v128.load8_lane', { memarg: memarg(0, 5n), lane: 2 }),
        I('i8x16.extract_lane_u', 2),
      ]),
      fn(0, [
        I('v128.const', seq16()),
        I('v128.const', reversed),
        I('i8x16.relaxed_swizzle'),
        I('i32.const', 100),
        I('i32x4.replace_lane', 1),
        I('i32x4.extract_lane', 0),
      ]),
      fn(0, [
        I('v128.const', seq16()),
        I('v128.const', seq16()),
        I('i32x4.dot_i16x8_s'),
        I('i32x4.extract_lane', 3),
      ]),
    ],
    exports: exportsOf(4),
  });
  const e = run(m);
  assert.equal(e.f0!(), 15);
  assert.equal(e.f1!(), 5);
  assert.equal(e.f2!(), 0x0c0d0e0f);
  // i16 lanes 6 and 7 of 0..15: 0x0d0c and 0x0f0e; squared and summed.
  assert.equal(e.f3!(), 0x0d0c * 0x0d0c + 0x0f0e * 0x0f0e);
});

test('memory64: 64-bit limits, addresses and offsets', () => {
  const m = mod({
    types: [sig([], ['i64']), sig([], ['i32'])],
    memories: [{ limits: lim(1n, 0x10000n, 'i64') }],
    funcs: [
      fn(0, [
        I('i64.const', 0n),
        I('i64.const', 0x1122334455667788n),
        I('i64.store', memarg(3, 8n)),
        I('i64.const', 8n),
        I('i64.load', memarg(3, 0n)),
      ]),
      fn(1, [I('i64.const', 0n), I('i32.load', memarg(2, 0x100000000n))]),
      fn(0, [I('memory.size', 0)]),
    ],
    exports: exportsOf(3),
  });
  const e = run(m);
  assert.equal(e.f0!(), 0x1122334455667788n);
  assert.throws(() => e.f1!(), /out of bounds/);
  assert.equal(e.f2!(), 1n);
});

test('multi-memory: memory indices in memargs, memory.copy, memory.init, data.drop', () => {
  const m = mod({
    types: [sig([], ['i32'])],
    memories: [{ limits: lim(1n) }, { limits: lim(1n) }, { limits: lim(0n, null, 'i64') }],
    funcs: [
      fn(0, [I('i32.const', 0), I('i32.load8_u', memarg(0, 0n, 1))]),
      fn(0, [
        I('i32.const', 10),
        I('i32.const', 0),
        I('i32.const', 1),
        I('memory.copy', { dst: 0, src: 1 }),
        I('i32.const', 10),
        I('i32.load8_u', memarg(0, 0n, 0)),
      ]),
      fn(0, [
        I('i32.const', 20),
        I('i32.const', 0),
        I('i32.const', 2),
        I('memory.init', { data: 1, memory: 1 }),
        I('data.drop', 1),
        I('i32.const', 20),
        I('i32.load16_u', memarg(1, 0n, 1)),
      ]),
      fn(0, [I('i64.const', 1n), I('memory.grow', 2), I('i32.wrap_i64'), I('memory.size', 1), I('i32.add')]),
      fn(0, [
        I('i32.const', 0),
        I('i32.const', 0xab),
        I('i32.const', 4),
        I('memory.fill', 1),
        I('i32.const', 3),
        I('i32.load8_u', memarg(0, 0n, 1)),
      ]),
    ],
    datas: [
      { mode: { kind: 'active', memory: 1, offset: [I('i32.const', 0)] }, bytes: hex('2a') },
      { mode: { kind: 'passive' }, bytes: hex('0102') },
    ],
    dataCount: true,
    exports: exportsOf(5),
  });
  const e = run(m);
  assert.equal(e.f0!(), 42);
  assert.equal(e.f1!(), 42);
  assert.equal(e.f2!(), 0x0201);
  assert.equal(e.f3!(), 1); // grow from 0 returns 0; memory 1 has 1 page
  assert.equal(e.f4!(), 0xab);
});

test('threads: shared memory, atomics, atomic.fence', () => {
  const m = mod({
    types: [sig([], ['i32'])],
    memories: [{ limits: lim(1n, 1n, 'i32', true) }],
    funcs: [
      fn(0, [
        I('i32.const', 0),
        I('i32.const', 5),
        I('i32.atomic.rmw.add', memarg(2, 4n)),
        I('drop'),
        I('atomic.fence'),
        I('i32.const', 4),
        I('i32.atomic.load', memarg(2, 0n)),
        I('i32.const', 0),
        I('i32.const', 0),
        I('memory.atomic.notify', memarg(2, 0n)),
        I('i32.add'),
      ]),
    ],
    exports: exportsOf(1),
  });
  assert.equal(run(m).f0!(), 5);
});

test('control, tail calls, call_ref, tables, select, br_table', () => {
  const m = mod({
    types: [sig([], ['i32']), sig(['i32'], ['i32'])],
    tables: [
      { type: { element: funcref, limits: lim(4n) }, init: null },
      { type: { element: refType(false, 0), limits: lim(2n) }, init: [I('ref.func', 1)] },
    ],
    funcs: [
      // 0: return_call_indirect through table 1 (initialised with ref.func 1)
      fn(0, [I('i32.const', 0), I('return_call_indirect', { type: 0, table: 1 })]),
      // 1: 11
      fn(0, [I('i32.const', 11)]),
      // 2: br_table on the parameter
      fn(1, [
        I('block', null),
        I('block', null),
        I('block', null),
        I('local.get', 0),
        I('br_table', { targets: [0, 1], default: 2 }),
        I('end'),
        I('i32.const', 100),
        I('return'),
        I('end'),
        I('i32.const', 200),
        I('return'),
        I('end'),
        I('i32.const', 300),
      ]),
      // 3: call_ref and return_call_ref
      fn(0, [I('ref.func', 1), I('call_ref', 0), I('ref.func', 1), I('return_call_ref', 0)]),
      // 4: typed and untyped select
      fn(1, [
        I('i32.const', 1),
        I('i32.const', 2),
        I('local.get', 0),
        I('select', ['i32']),
        I('i32.const', 10),
        I('i32.const', 20),
        I('local.get', 0),
        I('select', null),
        I('i32.add'),
      ]),
      // 5: table.init / elem.drop / table.copy / call_indirect / table.size / table.grow / table.fill
      fn(0, [
        I('i32.const', 0),
        I('i32.const', 0),
        I('i32.const', 1),
        I('table.init', { elem: 0, table: 0 }),
        I('elem.drop', 0),
        I('i32.const', 2),
        I('i32.const', 0),
        I('i32.const', 1),
        I('table.copy', { dst: 0, src: 0 }),
        I('i32.const', 2),
        I('call_indirect', { type: 0, table: 0 }),
        I('ref.null', 'func'),
        I('i32.const', 1),
        I('table.grow', 0),
        I('i32.add'),
        I('table.size', 0),
        I('i32.add'),
        I('i32.const', 3),
        I('ref.func', 1),
        I('i32.const', 1),
        I('table.fill', 0),
        I('i32.const', 3),
        I('table.get', 0),
        I('ref.is_null'),
        I('i32.add'),
      ]),
      // 6: return_call
      fn(0, [I('return_call', 1)]),
    ],
    elems: [
      { type: refType(false, 'func'), mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [1] } },
      { type: refType(false, 'func'), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [1] } },
    ],
    exports: exportsOf(7),
  });
  const e = run(m);
  assert.equal(e.f0!(), 11);
  assert.equal(e.f2!(0), 100);
  assert.equal(e.f2!(1), 200);
  assert.equal(e.f2!(7), 300);
  assert.equal(e.f3!(), 11);
  assert.equal(e.f4!(1), 11);
  assert.equal(e.f4!(0), 22);
  assert.equal(e.f5!(), 11 + 4 + 5);
  assert.equal(e.f6!(), 11);
});

test('constants: i32, i64, f32 and f64 bit patterns, globals and locals', () => {
  const m = mod({
    types: [sig([], ['i32']), sig([], ['i64']), sig([], ['f32']), sig([], ['f64'])],
    globals: [
      { type: { type: 'i64', mutable: true }, init: [I('i64.const', -(1n << 63n))] },
      { type: { type: 'f64', mutable: false }, init: [I('f64.const', 0x400921fb54442d18n)] },
    ],
    funcs: [
      fn(0, [I('i32.const', -0x80000000)]),
      fn(1, [I('global.get', 0)]),
      fn(1, [I('i64.const', 0x7fffffffffffffffn)]),
      fn(2, [I('f32.const', 0x40490fdb)]),
      fn(3, [I('global.get', 1)]),
      fn(3, [I('f64.const', 0x8000000000000000n)]),
      fn(1, [I('i64.const', 5n), I('local.set', 3), I('local.get', 3)], [
        { count: 3, type: 'i32' },
        { count: 1, type: 'i64' },
      ]),
      fn(1, [I('i64.const', -(1n << 40n) - 3n)]),
    ],
    exports: exportsOf(8),
  });
  const e = run(m);
  assert.equal(e.f0!(), -0x80000000);
  assert.equal(e.f1!(), -(1n << 63n));
  assert.equal(e.f2!(), (1n << 63n) - 1n);
  assert.equal(e.f3!(), Math.fround(Math.PI));
  assert.equal(e.f4!(), Math.PI);
  assert.ok(Object.is(e.f5!(), -0));
  assert.equal(e.f6!(), 5n);
  assert.equal(e.f7!(), -(1n << 40n) - 3n);
});
