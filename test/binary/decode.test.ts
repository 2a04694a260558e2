// The decoder: every section and every immediate kind, checked by decoding hand-written
// bytes and by round trips through the encoder (model → bytes → model).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import type { Immediate, ImmKind, Instruction } from '../../src/model/instruction.ts';
import { INSTRUCTIONS, op, simple } from '../../src/model/opcodes.ts';
import {
  emptyNames,
  externref,
  funcref,
  refType,
  type Expr,
  type Func,
  type Limits,
  type Module,
  type Names,
  type RecGroup,
} from '../../src/model/types.ts';
import { HEADER, I, WA, hex, mod, toHex } from './helpers.ts';

/** Decodes `HEADER + sections` (hex). */
function dec(sectionsHex: string): Module {
  return decodeModule(hex(HEADER + sectionsHex));
}

/** Encodes `m`, decodes it, and checks that the model comes back unchanged. */
function roundTrip(m: Module): Module {
  const bytes = encodeModule(m);
  const back = decodeModule(bytes);
  assert.deepStrictEqual(back, m);
  assert.equal(toHex(encodeModule(back)), toHex(bytes));
  return back;
}

const limits = (address: 'i32' | 'i64', min: bigint, max: bigint | null, shared = false): Limits => ({
  address,
  min,
  max,
  shared,
});
const i32c = (v: number): Instruction => I('i32.const', v);
const voidType: RecGroup = { explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func', params: [], results: [] } }] };
const func = (body: Expr, type = 0): Func => ({ type, locals: [], body });

test('the empty module', () => {
  assert.deepStrictEqual(dec(''), mod({}));
});

test('type section: functions, structs, arrays, rec groups, sub and final types', () => {
  const types: RecGroup[] = [
    voidType,
    {
      explicit: false,
      types: [{ final: true, supertypes: [], composite: { kind: 'func', params: ['i32', 'i64', 'f32', 'f64', 'v128'], results: [funcref, externref] } }],
    },
    {
      explicit: true,
      types: [
        { final: false, supertypes: [], composite: { kind: 'struct', fields: [{ storage: 'i8', mutable: true }, { storage: 'i16', mutable: false }, { storage: refType(false, 3), mutable: true }] } },
        { final: true, supertypes: [2], composite: { kind: 'struct', fields: [{ storage: 'i8', mutable: true }, { storage: 'i16', mutable: false }, { storage: refType(false, 3), mutable: true }, { storage: 'f64', mutable: false }] } },
        { final: false, supertypes: [], composite: { kind: 'array', element: { storage: refType(true, 'eq'), mutable: true } } },
      ],
    },
    { explicit: true, types: [] },
    { explicit: true, types: [{ final: true, supertypes: [], composite: { kind: 'func', params: [], results: [] } }] },
    { explicit: false, types: [{ final: false, supertypes: [], composite: { kind: 'func', params: [refType(true, 'none'), refType(false, 'noexn')], results: [] } }] },
  ];
  roundTrip(mod({ types }));
  // Bytes: 0x4F with no supertypes is a final type written in the long form.
  const m = dec('01 06 01 4f 00 5e 7f 00');
  assert.deepStrictEqual(m.types, [{ explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'array', element: { storage: 'i32', mutable: false } } }] }]);
});

test('every abstract heap type, nullable and not', () => {
  const heaps = ['func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn'] as const;
  const params = heaps.flatMap((h) => [refType(true, h), refType(false, h)]);
  roundTrip(mod({ types: [{ explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func', params, results: [refType(true, 0), refType(false, 0)] } }] }] }));
  // The long nullable form 0x63 of an abstract type decodes to the same type.
  assert.deepStrictEqual(dec('01 06 01 60 01 63 70 00').types[0]!.types[0]!.composite, { kind: 'func', params: [funcref], results: [] });
});

test('import section: every kind of import', () => {
  const m = mod({
    types: [voidType],
    imports: [
      { module: 'm', name: 'f', desc: { kind: 'func', type: 0 } },
      { module: 'm', name: 't', desc: { kind: 'table', type: { element: funcref, limits: limits('i32', 1n, 10n) } } },
      { module: 'm', name: 't64', desc: { kind: 'table', type: { element: refType(false, 'any'), limits: limits('i64', 0n, null) } } },
      { module: 'm', name: 'mem', desc: { kind: 'memory', type: { limits: limits('i32', 1n, 2n, true) } } },
      { module: 'm', name: 'mem64', desc: { kind: 'memory', type: { limits: limits('i64', 0x1_0000_0000n, 0xffff_ffff_ffffn) } } },
      { module: 'm', name: 'g', desc: { kind: 'global', type: { type: 'i32', mutable: true } } },
      { module: '', name: 'ünïcødé ✓ 🎉', desc: { kind: 'global', type: { type: externref, mutable: false } } },
      { module: 'm', name: 'tag', desc: { kind: 'tag', type: { type: 0 } } },
    ],
  });
  roundTrip(m);
});

test('function, table, memory, tag, global, export and start sections', () => {
  const m = mod({
    types: [voidType],
    funcs: [func([]), func([I('nop')])],
    tables: [
      { type: { element: funcref, limits: limits('i32', 0n, null) }, init: null },
      { type: { element: refType(false, 0), limits: limits('i32', 1n, 1n) }, init: [I('ref.func', 0)] },
    ],
    memories: [{ limits: limits('i32', 1n, null) }, { limits: limits('i64', 3n, 7n) }, { limits: limits('i32', 1n, 1n, true) }],
    tags: [{ type: 0 }],
    globals: [
      { type: { type: 'i32', mutable: false }, init: [i32c(-1)] },
      { type: { type: 'i64', mutable: true }, init: [I('i64.const', -0x8000_0000_0000_0000n)] },
      { type: { type: funcref, mutable: false }, init: [I('ref.null', 'func')] },
    ],
    exports: [
      { name: 'f', kind: 'func', index: 1 },
      { name: 't', kind: 'table', index: 1 },
      { name: 'm', kind: 'memory', index: 2 },
      { name: 'g', kind: 'global', index: 0 },
      { name: 'e', kind: 'tag', index: 0 },
    ],
    start: 0,
  });
  roundTrip(m);
  // The table initialiser form 0x40 0x00.
  const t = dec('04 09 01 40 00 70 00 01 d0 70 0b');
  assert.deepStrictEqual(t.tables, [{ type: { element: funcref, limits: limits('i32', 1n, null) }, init: [I('ref.null', 'func')] }]);
});

test('element segments: all eight forms', () => {
  const base = mod({ types: [voidType], funcs: [func([]), func([])], tables: [{ type: { element: funcref, limits: limits('i32', 10n, null) }, init: null }] });
  const off = [i32c(0)];
  const elems: Module['elems'] = [
    { type: refType(false, 'func'), mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'funcs', indices: [0, 1] } }, // 0
    { type: refType(false, 'func'), mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [1] } }, // 1
    { type: refType(false, 'func'), mode: { kind: 'active', table: 1, offset: off }, init: { kind: 'funcs', indices: [] } }, // 2
    { type: refType(false, 'func'), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [0] } }, // 3
    { type: funcref, mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'exprs', exprs: [[I('ref.func', 0)], [I('ref.null', 'func')]] } }, // 4
    { type: externref, mode: { kind: 'passive' }, init: { kind: 'exprs', exprs: [[I('ref.null', 'extern')]] } }, // 5
    { type: refType(false, 'func'), mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'exprs', exprs: [[I('ref.func', 1)]] } }, // 6
    { type: refType(true, 0), mode: { kind: 'declarative' }, init: { kind: 'exprs', exprs: [] } }, // 7
  ];
  roundTrip({ ...base, elems });
  // Flags as bytes: flag 0 means (ref func) function indices; flag 4 (ref null func) exprs.
  const m = dec('09 0c 02 00 41 00 0b 01 00 04 41 00 0b 00');
  assert.deepStrictEqual(m.elems[0]!.type, refType(false, 'func'));
  assert.deepStrictEqual(m.elems[0]!.init, { kind: 'funcs', indices: [0] });
  assert.deepStrictEqual(m.elems[1]!.type, funcref);
  assert.deepStrictEqual(m.elems[1]!.init, { kind: 'exprs', exprs: [] });
  // Flags may be written with a non-minimal LEB128.
  assert.equal(dec('09 09 01 82 00 00 41 00 0b 00 00').elems[0]!.mode.kind, 'active');
});

test('data segments, data count and code with locals', () => {
  const m = mod({
    types: [voidType],
    funcs: [
      { type: 0, locals: [{ count: 2, type: 'i32' }, { count: 0, type: 'f64' }, { count: 1, type: refType(true, 0) }], body: [I('data.drop', 1), I('memory.init', { data: 0, memory: 1 })] },
    ],
    memories: [{ limits: limits('i32', 1n, null) }, { limits: limits('i32', 1n, null) }],
    datas: [
      { mode: { kind: 'active', memory: 0, offset: [i32c(8)] }, bytes: new Uint8Array([1, 2, 3]) },
      { mode: { kind: 'passive' }, bytes: new Uint8Array([]) },
      { mode: { kind: 'active', memory: 1, offset: [i32c(0)] }, bytes: new Uint8Array(300).fill(7) },
    ],
    dataCount: true,
  });
  const back = roundTrip(m);
  // Byte strings are views into the input unless copyBytes is set.
  const bytes = encodeModule(m);
  assert.equal(back.datas[0]!.bytes.buffer === bytes.buffer, false);
  const view = decodeModule(bytes);
  assert.equal(view.datas[0]!.bytes.buffer, bytes.buffer);
  const copy = decodeModule(bytes, { copyBytes: true });
  assert.notEqual(copy.datas[0]!.bytes.buffer, bytes.buffer);
  assert.deepStrictEqual(copy, view);
});

test('custom sections keep their place', () => {
  const c = (name: string, placement: Module['customs'][number]['placement'], ...bytes: number[]) => ({ name, bytes: new Uint8Array(bytes), placement });
  const m = mod({
    types: [voidType],
    funcs: [func([])],
    datas: [{ mode: { kind: 'passive' }, bytes: new Uint8Array([9]) }],
    customs: [
      c('a', { kind: 'first' }, 1),
      c('b', { kind: 'after', section: 'type' }, 2, 3),
      c('c', { kind: 'after', section: 'function' }),
      c('d', { kind: 'after', section: 'code' }, 4),
      c('e', { kind: 'last' }, 5),
      c('f', { kind: 'last' }),
    ],
  });
  roundTrip(m);
  // Placement counts only known sections the model keeps: after an empty type section
  // a custom section is first; at the end it is last.
  const d = dec('01 01 00 00 02 01 78 03 01 00 00 02 01 79');
  assert.deepStrictEqual(d.customs.map((x) => [x.name, x.placement.kind]), [['x', 'first'], ['y', 'first']]);
  const e = dec('01 04 01 60 00 00 00 02 01 78 02 01 00 00 02 01 79');
  assert.deepStrictEqual(d.types, []);
  assert.deepStrictEqual(e.customs.map((x) => x.placement), [{ kind: 'last' }, { kind: 'last' }]);
});

test('the name section: every subsection', () => {
  const names: Names = {
    ...emptyNames(),
    module: 'mod',
    funcs: new Map([[0, 'f0'], [1, 'f1']]),
    locals: new Map([[0, new Map([[0, 'x'], [2, 'z']])]]),
    labels: new Map([[1, new Map([[0, 'l']])]]),
    types: new Map([[0, 't']]),
    tables: new Map([[0, 'tab']]),
    memories: new Map([[0, 'mem']]),
    globals: new Map([[0, 'g']]),
    elems: new Map([[0, 'e']]),
    datas: new Map([[0, 'd']]),
    fields: new Map([[0, new Map([[0, 'fld'], [1, 'éè']])]]),
    tags: new Map([[0, 'tag']]),
  };
  roundTrip(mod({ types: [voidType], funcs: [func([]), func([])], names }));
  roundTrip(mod({ names: { ...emptyNames(), module: '' } }));
});

test('a malformed or empty name section stays a custom section', () => {
  const cases = [
    '00 08 04 6e 61 6d 65 01 01 00', // subsection 1 that is too short... (size 1, empty map)
    '00 0a 04 6e 61 6d 65 01 03 01 00 00 ff'.slice(0, 0) + '00 09 04 6e 61 6d 65 01 02 01 00', // truncated entry
    '00 0b 04 6e 61 6d 65 01 01 00 01 01 00', // subsection 1 twice
    '00 07 04 6e 61 6d 65 0c 00', // unknown subsection 12
    '00 0b 04 6e 61 6d 65 01 04 01 00 01 ff', // bad UTF-8
    '00 05 04 6e 61 6d 65', // no subsections
  ];
  for (const c of cases) {
    const m = dec(c);
    assert.equal(m.names, null, c);
    assert.equal(m.customs.length, 1, c);
    assert.equal(m.customs[0]!.name, 'name');
    // Stable under re-encoding.
    assert.deepStrictEqual(decodeModule(encodeModule(m)), m);
  }
  // With names: false the name section is not decoded.
  const named = encodeModule(mod({ names: { ...emptyNames(), module: 'x' } }));
  assert.equal(decodeModule(named, { names: false }).customs[0]!.name, 'name');
  // With two name sections neither is decoded: both stay custom sections, in place. (The
  // fuzzer found that decoding the first one and keeping the second as a custom section
  // let a round trip swap them: the encoder writes the name section in one fixed place.)
  const twice = dec('00 08 04 6e 61 6d 65 00 01 00 00 08 04 6e 61 6d 65 00 01 00');
  assert.equal(twice.names, null);
  assert.equal(twice.customs.length, 2);
  const placed = dec('01 04 01 60 00 00 00 08 04 6e 61 6d 65 00 01 00 03 02 01 00 0a 04 01 02 00 0b 00 08 04 6e 61 6d 65 00 01 00');
  assert.equal(placed.names, null);
  assert.deepEqual(placed.customs.map((c) => c.placement), [{ kind: 'after', section: 'type' }, { kind: 'last' }]);
  assert.deepStrictEqual(decodeModule(encodeModule(placed)), placed);
});

// ---------------------------------------------------------------------------------------
// Instructions

/** A sample immediate of each kind (for instruction `name`). */
function sample(kind: ImmKind, name: string): Immediate {
  const memarg = { align: name.startsWith('i64') || name.includes('64') ? 3 : 0, offset: 0x1_0000_0000n, memory: 2 };
  switch (kind) {
    case 'none': return null;
    case 'block': return 1;
    case 'try_table': return { type: 'i32', catches: [{ kind: 'catch', tag: 0, label: 0 }, { kind: 'catch_ref', tag: 1, label: 1 }, { kind: 'catch_all', tag: null, label: 0 }, { kind: 'catch_all_ref', tag: null, label: 200 }] };
    case 'label': return 3;
    case 'br_table': return { targets: [0, 1, 300], default: 2 };
    case 'br_on_cast': return { label: 1, from: refType(true, 'any'), to: refType(false, 5) };
    case 'func': case 'type': case 'local': case 'global': case 'table': case 'memory': case 'tag': case 'elem': case 'data': return 130;
    case 'call_indirect': return { type: 7, table: 1 };
    case 'table_init': return { elem: 2, table: 3 };
    case 'table_copy': case 'memory_copy': case 'array_copy': return { dst: 4, src: 5 };
    case 'memory_init': return { data: 6, memory: 1 };
    case 'memarg': return memarg;
    case 'memarg_lane': return { memarg: { align: 0, offset: 5n, memory: 0 }, lane: 3 };
    case 'lane': return 15;
    case 'shuffle': case 'v128': return Uint8Array.from({ length: 16 }, (_, i) => 31 - i);
    case 'i32': return -0x8000_0000;
    case 'i64': return 0x7fff_ffff_ffff_ffffn;
    case 'f32': return 0x7fc0_0001;
    case 'f64': return 0xfff8_0000_0000_0001n;
    case 'select': return ['i32', refType(false, 'struct')];
    case 'heap_type': return 'exn';
    case 'ref_type': return refType(name === 'ref.test', 9);
    case 'struct_field': return { type: 1, field: 2 };
    case 'array_fixed': return { type: 1, length: 1000 };
    case 'array_data': return { type: 1, data: 2 };
    case 'array_elem': return { type: 1, elem: 2 };
    case 'atomic_fence': return null;
  }
}

test('every instruction of the table round-trips', () => {
  const body: Instruction[] = [];
  const structured = new Set(['block', 'loop', 'if', 'else', 'end', 'try', 'catch', 'catch_all', 'delegate', 'try_table']);
  for (let row = 0; row < INSTRUCTIONS.length; row++) {
    const info = INSTRUCTIONS[row]!;
    if (structured.has(info.name)) continue;
    const imm = sample(info.imm, info.name);
    body.push(imm === null ? simple(row) : { op: row, imm });
  }
  // Untyped select, both ref.test / ref.cast forms, and the structured instructions.
  body.push(I('select'), I('ref.test', refType(false, 'i31')), I('ref.cast', refType(true, 'any')));
  body.push(I('block', null), I('loop', 'i64'), I('if', refType(true, 3)), I('else'), I('end'), I('end'), I('end'));
  body.push(I('try_table', sample('try_table', '')), I('end'));
  body.push(I('try', 0), I('catch', 1), I('catch_all'), I('end'), I('try', null), I('delegate', 2));
  body.push(I('block', 0x7fff_ffff), I('end'), I('block', refType(false, 'noexn')), I('end'));
  const m = mod({ types: [voidType], funcs: [func(body)], dataCount: true });
  roundTrip(m);
  assert.equal(decodeModule(encodeModule(m)).funcs[0]!.body.length, body.length);
});

test('instruction bytes: prefixes, sub-opcodes and immediates', () => {
  const code = (bodyHex: string): Expr => {
    const bytes = hex(bodyHex + '0b');
    const len = bytes.length + 1;
    const h = `01 04 01 60 00 00 03 02 01 00 0c 01 00 0a ${(len + 2).toString(16).padStart(2, '0')} 01 ${len.toString(16).padStart(2, '0')} 00 ${bodyHex} 0b`;
    return dec(h).funcs[0]!.body;
  };
  const cases: [string, Instruction[]][] = [
    ['1b', [I('select')]],
    ['1c 01 7f', [I('select', ['i32'])]],
    ['fb 14 6c', [I('ref.test', refType(false, 'i31'))]],
    ['fb 15 6c', [I('ref.test', refType(true, 'i31'))]],
    ['fb 16 03', [I('ref.cast', refType(false, 3))]],
    ['fb 17 6e', [I('ref.cast', refType(true, 'any'))]],
    ['fb 18 03 00 6e 6c', [I('br_on_cast', { label: 0, from: refType(true, 'any'), to: refType(true, 'i31') })]],
    ['fb 19 00 01 6e 6c', [I('br_on_cast_fail', { label: 1, from: refType(false, 'any'), to: refType(false, 'i31') })]],
    ['fc 80 00', [I('i32.trunc_sat_f32_s')]], // sub-opcode with a non-minimal LEB128
    ['fd 80 02', [I('i8x16.relaxed_swizzle')]],
    ['fe 03 00', [I('atomic.fence')]],
    ['28 02 10', [I('i32.load', { align: 2, offset: 16n, memory: 0 })]],
    ['28 42 01 ff ff ff ff 0f', [I('i32.load', { align: 2, offset: 0xffff_ffffn, memory: 1 })]],
    ['29 3f 80 80 80 80 80 80 80 80 80 01', [I('i64.load', { align: 63, offset: 1n << 63n, memory: 0 })]],
    ['fd 54 00 00 0f', [I('v128.load8_lane', { memarg: { align: 0, offset: 0n, memory: 0 }, lane: 15 })]],
    ['41 80 80 80 80 78', [I('i32.const', -0x8000_0000)]],
    ['42 ff ff ff ff ff ff ff ff ff 00', [I('i64.const', 0x7fff_ffff_ffff_ffffn)]],
    ['42 80 80 80 80 80 80 80 80 80 7f', [I('i64.const', -(1n << 63n))]],
    ['42 7f', [I('i64.const', -1n)]],
    ['43 01 00 c0 7f', [I('f32.const', 0x7fc0_0001)]],
    ['44 01 00 00 00 00 00 f8 ff', [I('f64.const', 0xfff8_0000_0000_0001n)]],
    ['02 40 0b', [I('block', null), I('end')]],
    ['02 ff ff ff ff 07 0b', [I('block', 0x7fff_ffff), I('end')]],
    ['02 64 6b 0b', [I('block', refType(false, 'struct')), I('end')]],
    ['1f 40 02 02 00 03 01 0b', [I('try_table', { type: null, catches: [{ kind: 'catch_all', tag: null, label: 0 }, { kind: 'catch_all_ref', tag: null, label: 1 }] }), I('end')]],
    ['0e 02 00 01 02', [I('br_table', { targets: [0, 1], default: 2 })]],
    ['11 05 80 00', [I('call_indirect', { type: 5, table: 0 })]],
    ['d0 73', [I('ref.null', 'nofunc')]],
    ['d0 05', [I('ref.null', 5)]],
    ['fc 08 01 00', [I('memory.init', { data: 1, memory: 0 })]],
    ['fc 0c 01 02', [I('table.init', { elem: 1, table: 2 })]],
    ['fc 0e 01 02', [I('table.copy', { dst: 1, src: 2 })]],
    ['fb 08 01 03', [I('array.new_fixed', { type: 1, length: 3 })]],
  ];
  for (const [bytes, want] of cases) assert.deepStrictEqual(code(bytes), want, bytes);
});

test('decoded modules are accepted by V8 when their encodings are', () => {
  const m = mod({ types: [voidType], funcs: [func([i32c(1), I('drop')])], exports: [{ name: 'f', kind: 'func', index: 0 }] });
  const bytes = encodeModule(m);
  assert.ok(WA.validate(bytes));
  assert.ok(WA.validate(encodeModule(decodeModule(bytes))));
});

test('numbers of every size decode exactly (fast and general paths)', () => {
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const body: Instruction[] = [];
  for (let i = 0; i < 2000; i++) {
    const bits = rand() % 33;
    const v32 = (rand() & (2 ** bits - 1)) * (rand() & 1 ? -1 : 1);
    body.push(I('i32.const', v32 | 0));
    const idx = (rand() >>> (rand() % 32)) >>> 0;
    body.push(I('local.get', idx), I('call', idx >>> (rand() % 32)), I('br', idx & 0x3fff));
    const v64 = BigInt.asIntN(64, (BigInt(rand()) << 32n) | BigInt(rand())) >> BigInt(rand() % 64);
    body.push(I('i64.const', v64));
    body.push(I('i32.load', { align: rand() % 4, offset: BigInt(rand() >>> (rand() % 32)), memory: rand() % 3 === 0 ? rand() % 300 : 0 }));
  }
  const back = roundTrip(mod({ types: [voidType], funcs: [func(body)] }));
  assert.equal(back.funcs[0]!.body.length, body.length);
});
