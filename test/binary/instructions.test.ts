// Byte-exact encodings of instructions, one or more per immediate kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ByteWriter } from '../../src/binary/writer.ts';
import { encodeExpr, encodeInstruction } from '../../src/binary/encode.ts';
import { EncodeError } from '../../src/model/errors.ts';
import type { ImmKind, Instruction } from '../../src/model/instruction.ts';
import { INSTRUCTIONS } from '../../src/model/opcodes.ts';
import { refType } from '../../src/model/types.ts';
import { I, toHex } from './helpers.ts';

function enc(...instrs: Instruction[]): string {
  const w = new ByteWriter(16);
  for (const i of instrs) encodeInstruction(w, i);
  return toHex(w.finish());
}

const memarg = (align: number, offset: bigint, memory = 0) => ({ align, offset, memory });
const seq16 = () => Uint8Array.from({ length: 16 }, (_, i) => i);
const SEQ16 = '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f';

// [immediate kind, instruction, expected bytes]
const CASES: [ImmKind, Instruction, string][] = [
  ['none', I('unreachable'), '00'],
  ['none', I('i32.add'), '6a'],
  ['none', I('ref.as_non_null'), 'd4'],
  ['none', I('i32.trunc_sat_f32_s'), 'fc 00'],
  ['none', I('i8x16.swizzle'), 'fd 0e'],
  ['none', I('i32x4.dot_i16x8_s'), 'fd ba 01'],
  ['none', I('i8x16.relaxed_swizzle'), 'fd 80 02'],
  ['none', I('any.convert_extern'), 'fb 1a'],

  ['block', I('block', null), '02 40'],
  ['block', I('loop', 'i32'), '03 7f'],
  ['block', I('if', 'v128'), '04 7b'],
  ['block', I('block', refType(true, 'func')), '02 70'],
  ['block', I('block', refType(false, 'func')), '02 64 70'],
  ['block', I('block', refType(true, 3)), '02 63 03'],
  ['block', I('block', 5), '02 05'],
  ['block', I('block', 64), '02 c0 00'],
  ['block', I('try', null), '06 40'],

  [
    'try_table',
    I('try_table', {
      type: 1,
      catches: [
        { kind: 'catch', tag: 1, label: 2 },
        { kind: 'catch_ref', tag: 3, label: 4 },
        { kind: 'catch_all', tag: null, label: 5 },
        { kind: 'catch_all_ref', tag: null, label: 6 },
      ],
    }),
    '1f 01 04 00 01 02 01 03 04 02 05 03 06',
  ],
  ['try_table', I('try_table', { type: null, catches: [] }), '1f 40 00'],

  ['label', I('br', 3), '0c 03'],
  ['label', I('br_if', 200), '0d c8 01'],
  ['label', I('br_on_null', 1), 'd5 01'],
  ['label', I('br_on_non_null', 0), 'd6 00'],
  ['label', I('rethrow', 0), '09 00'],
  ['label', I('delegate', 1), '18 01'],

  ['br_table', I('br_table', { targets: [0, 1, 200], default: 2 }), '0e 03 00 01 c8 01 02'],
  ['br_table', I('br_table', { targets: [], default: 0 }), '0e 00 00'],

  [
    'br_on_cast',
    I('br_on_cast', { label: 0, from: refType(true, 'any'), to: refType(false, 2) }),
    'fb 18 01 00 6e 02',
  ],
  [
    'br_on_cast',
    I('br_on_cast_fail', { label: 1, from: refType(false, 'any'), to: refType(true, 'i31') }),
    'fb 19 02 01 6e 6c',
  ],
  [
    'br_on_cast',
    I('br_on_cast', { label: 2, from: refType(true, 'eq'), to: refType(true, 'struct') }),
    'fb 18 03 02 6d 6b',
  ],

  ['func', I('call', 300), '10 ac 02'],
  ['func', I('return_call', 1), '12 01'],
  ['func', I('ref.func', 0), 'd2 00'],

  ['call_indirect', I('call_indirect', { type: 1, table: 2 }), '11 01 02'],
  ['call_indirect', I('return_call_indirect', { type: 1, table: 0 }), '13 01 00'],

  ['type', I('call_ref', 4), '14 04'],
  ['type', I('return_call_ref', 4), '15 04'],
  ['type', I('struct.new', 1), 'fb 00 01'],
  ['type', I('array.get', 1), 'fb 0b 01'],

  ['local', I('local.get', 0), '20 00'],
  ['local', I('local.set', 128), '21 80 01'],
  ['local', I('local.tee', 0xffffffff), '22 ff ff ff ff 0f'],
  ['global', I('global.get', 1), '23 01'],
  ['global', I('global.set', 2), '24 02'],
  ['table', I('table.get', 1), '25 01'],
  ['table', I('table.set', 0), '26 00'],
  ['table', I('table.size', 3), 'fc 10 03'],
  ['memory', I('memory.size', 0), '3f 00'],
  ['memory', I('memory.grow', 1), '40 01'],
  ['memory', I('memory.fill', 2), 'fc 0b 02'],
  ['tag', I('throw', 0), '08 00'],
  ['tag', I('catch', 2), '07 02'],
  ['elem', I('elem.drop', 3), 'fc 0d 03'],
  ['data', I('data.drop', 2), 'fc 09 02'],

  ['table_init', I('table.init', { elem: 1, table: 2 }), 'fc 0c 01 02'],
  ['table_copy', I('table.copy', { dst: 1, src: 2 }), 'fc 0e 01 02'],
  ['memory_init', I('memory.init', { data: 3, memory: 1 }), 'fc 08 03 01'],
  ['memory_copy', I('memory.copy', { dst: 1, src: 0 }), 'fc 0a 01 00'],

  ['memarg', I('i32.load', memarg(2, 0n)), '28 02 00'],
  ['memarg', I('i32.load', memarg(2, 0n, 1)), '28 42 01 00'],
  ['memarg', I('i64.load', memarg(3, 0x100000000n)), '29 03 80 80 80 80 10'],
  ['memarg', I('i32.load8_u', memarg(0, 16n, 2)), '2d 40 02 10'],
  ['memarg', I('i64.store', memarg(3, (1n << 64n) - 1n, 300)),
    '37 43 ac 02 ff ff ff ff ff ff ff ff ff 01'],
  ['memarg', I('v128.load', memarg(4, 128n)), 'fd 00 04 80 01'],
  ['memarg', I('memory.atomic.notify', memarg(2, 0n)), 'fe 00 02 00'],
  ['memarg', I('i64.atomic.rmw.cmpxchg', memarg(3, 8n)), 'fe 49 03 08'],

  [
    'memarg_lane',
    I('v128.load8_lane', { memarg: memarg(0, 0n), lane: 15 }),
    'fd 54 00 00 0f',
  ],
  [
    'memarg_lane',
    I('v128.store64_lane', { memarg: memarg(3, 4n, 1), lane: 1 }),
    'fd 5b 43 01 04 01',
  ],

  ['lane', I('i8x16.extract_lane_s', 3), 'fd 15 03'],
  ['lane', I('f64x2.replace_lane', 1), 'fd 22 01'],
  ['shuffle', I('i8x16.shuffle', seq16()), 'fd 0d ' + SEQ16],
  ['v128', I('v128.const', seq16()), 'fd 0c ' + SEQ16],

  ['i32', I('i32.const', 0), '41 00'],
  ['i32', I('i32.const', -1), '41 7f'],
  ['i32', I('i32.const', 64), '41 c0 00'],
  ['i32', I('i32.const', -0x80000000), '41 80 80 80 80 78'],
  ['i32', I('i32.const', 0x7fffffff), '41 ff ff ff ff 07'],
  ['i64', I('i64.const', 0n), '42 00'],
  ['i64', I('i64.const', -(1n << 63n)), '42 80 80 80 80 80 80 80 80 80 7f'],
  ['i64', I('i64.const', (1n << 63n) - 1n), '42 ff ff ff ff ff ff ff ff ff 00'],
  ['f32', I('f32.const', 0x3f800000), '43 00 00 80 3f'],
  ['f32', I('f32.const', 0xffc00001), '43 01 00 c0 ff'],
  ['f64', I('f64.const', 0x3ff0000000000000n), '44 00 00 00 00 00 00 f0 3f'],
  ['f64', I('f64.const', 0xfff8000000000001n), '44 01 00 00 00 00 00 f8 ff'],

  ['select', I('select', null), '1b'],
  ['select', I('select', ['i32']), '1c 01 7f'],
  ['select', I('select', [refType(true, 2)]), '1c 01 63 02'],

  ['heap_type', I('ref.null', 'func'), 'd0 70'],
  ['heap_type', I('ref.null', 'exn'), 'd0 69'],
  ['heap_type', I('ref.null', 'noexn'), 'd0 74'],
  ['heap_type', I('ref.null', 7), 'd0 07'],
  ['heap_type', I('ref.null', 100), 'd0 e4 00'],

  ['ref_type', I('ref.test', refType(false, 1)), 'fb 14 01'],
  ['ref_type', I('ref.test', refType(true, 1)), 'fb 15 01'],
  ['ref_type', I('ref.cast', refType(false, 'i31')), 'fb 16 6c'],
  ['ref_type', I('ref.cast', refType(true, 'eq')), 'fb 17 6d'],

  ['struct_field', I('struct.get', { type: 1, field: 2 }), 'fb 02 01 02'],
  ['struct_field', I('struct.set', { type: 1, field: 0 }), 'fb 05 01 00'],
  ['array_fixed', I('array.new_fixed', { type: 1, length: 3 }), 'fb 08 01 03'],
  ['array_data', I('array.new_data', { type: 1, data: 2 }), 'fb 09 01 02'],
  ['array_data', I('array.init_data', { type: 1, data: 2 }), 'fb 12 01 02'],
  ['array_elem', I('array.new_elem', { type: 1, elem: 2 }), 'fb 0a 01 02'],
  ['array_elem', I('array.init_elem', { type: 1, elem: 2 }), 'fb 13 01 02'],
  ['array_copy', I('array.copy', { dst: 1, src: 2 }), 'fb 11 01 02'],
  ['atomic_fence', I('atomic.fence'), 'fe 03 00'],
];

test('every immediate kind is covered by the cases', () => {
  const kinds = new Set(INSTRUCTIONS.map((i) => i.imm));
  const covered = new Set(CASES.map(([k]) => k));
  for (const k of kinds) assert.ok(covered.has(k), `no test case for immediate kind ${k}`);
});

for (const [kind, instr, expected] of CASES) {
  const name = INSTRUCTIONS[instr.op]!.name;
  test(`${kind}: ${name} → ${expected}`, () => {
    assert.equal(INSTRUCTIONS[instr.op]!.imm, kind, `${name} has immediate kind ${kind}`);
    assert.equal(enc(instr), expected);
  });
}

test('encodeExpr appends end', () => {
  const w = new ByteWriter();
  encodeExpr(w, [I('i32.const', 1), I('block', null), I('end')]);
  assert.equal(toHex(w.finish()), '41 01 02 40 0b 0b');
  const e = new ByteWriter();
  encodeExpr(e, []);
  assert.equal(toHex(e.finish()), '0b');
});

test('instructions that cannot be encoded throw EncodeError', () => {
  const bad: Instruction[] = [
    { op: -1, imm: null },
    { op: INSTRUCTIONS.length, imm: null },
    I('local.get', -1),
    I('local.get', 1.5),
    I('local.get', 2 ** 32),
    I('i32.const', 0x80000000),
    I('i64.const', 1n << 63n),
    I('f32.const', -1),
    I('f64.const', -1n),
    I('i32.load', memarg(64, 0n)),
    I('i32.load', memarg(2, -1n)),
    I('i8x16.extract_lane_s', 256),
    I('v128.const', new Uint8Array(15)),
    I('block', -1),
    I('ref.null', 'nope' as never),
    I('try_table', { type: null, catches: [{ kind: 'catch', tag: null, label: 0 }] }),
  ];
  for (const instr of bad) {
    assert.throws(() => enc(instr), EncodeError, `op ${instr.op} imm ${String(instr.imm)}`);
    // Inside an expression the error names the instruction.
    assert.throws(
      () => encodeExpr(new ByteWriter(), [I('nop'), instr]),
      (e: unknown) => e instanceof EncodeError && /at index 1/.test(e.message),
    );
  }
});

test('a malformed immediate shape becomes an EncodeError inside expressions', () => {
  assert.throws(
    () => encodeExpr(new ByteWriter(), [I('i32.load', null)]),
    (e: unknown) => e instanceof EncodeError && /i32\.load at index 0/.test(e.message),
  );
});

test('every table row encodes its own opcode bytes', () => {
  const memarg0 = { align: 0, offset: 0n, memory: 0 };
  const sample: Record<ImmKind, unknown> = {
    none: null, block: null, try_table: { type: null, catches: [] }, label: 0,
    br_table: { targets: [], default: 0 },
    br_on_cast: { label: 0, from: refType(true, 'any'), to: refType(true, 'any') },
    func: 0, call_indirect: { type: 0, table: 0 }, type: 0, local: 0, global: 0, table: 0,
    memory: 0, tag: 0, elem: 0, data: 0, table_init: { elem: 0, table: 0 },
    table_copy: { dst: 0, src: 0 }, memory_init: { data: 0, memory: 0 },
    memory_copy: { dst: 0, src: 0 }, memarg: memarg0, memarg_lane: { memarg: memarg0, lane: 0 },
    lane: 0, shuffle: new Uint8Array(16), i32: 0, i64: 0n, f32: 0, f64: 0n,
    v128: new Uint8Array(16), select: [], heap_type: 'func', ref_type: refType(false, 'any'),
    struct_field: { type: 0, field: 0 }, array_fixed: { type: 0, length: 0 },
    array_data: { type: 0, data: 0 }, array_elem: { type: 0, elem: 0 },
    array_copy: { dst: 0, src: 0 }, atomic_fence: null,
  };
  for (let op = 0; op < INSTRUCTIONS.length; op++) {
    const info = INSTRUCTIONS[op]!;
    const bytes = enc({ op, imm: sample[info.imm] as Instruction['imm'] });
    let expected: string;
    if (info.imm === 'select') expected = '1c';
    else if (info.prefix === 0) expected = toHex(Uint8Array.of(info.code));
    else {
      const w = new ByteWriter();
      w.u8(info.prefix);
      w.u32(info.code);
      expected = toHex(w.finish());
    }
    assert.ok(bytes.startsWith(expected), `${info.name}: ${bytes} should start with ${expected}`);
  }
});
