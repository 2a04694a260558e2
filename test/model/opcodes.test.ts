// Tests for the instruction table (src/model/opcodes.ts) against the spec's opcode
// space (§5.4) and the names the spec test suite uses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import {
  INSTRUCTIONS,
  Prefix,
  opByCode,
  opByName,
  opByPrefixedCode,
  parseSig,
  parseSigType,
  sigOf,
} from '../../src/model/opcodes.ts';
import { FEATURES } from '../../src/model/features.ts';
import type { Feature } from '../../src/model/features.ts';
import type { ImmKind } from '../../src/model/instruction.ts';

// Every ImmKind; `satisfies` makes tsc reject a missing or unknown kind.
const IMM_KINDS = {
  none: 1, block: 1, try_table: 1, label: 1, br_table: 1, br_on_cast: 1, func: 1,
  call_indirect: 1, type: 1, local: 1, global: 1, table: 1, memory: 1, tag: 1, elem: 1,
  data: 1, table_init: 1, table_copy: 1, memory_init: 1, memory_copy: 1, memarg: 1,
  memarg_lane: 1, lane: 1, shuffle: 1, i32: 1, i64: 1, f32: 1, f64: 1, v128: 1, select: 1,
  heap_type: 1, ref_type: 1, struct_field: 1, array_fixed: 1, array_data: 1, array_elem: 1,
  array_copy: 1, atomic_fence: 1,
} as const satisfies Record<ImmKind, 1>;

const key = (prefix: number, code: number): string => `${prefix}:${code}`;

function rowsOf(feature: Feature) {
  return INSTRUCTIONS.filter((i) => i.feature === feature);
}

test('names are unique and found by opByName', () => {
  const seen = new Set<string>();
  for (let op = 0; op < INSTRUCTIONS.length; op++) {
    const { name } = INSTRUCTIONS[op]!;
    assert.ok(!seen.has(name), `duplicate name ${name}`);
    seen.add(name);
    assert.equal(opByName(name), op);
  }
});

test('(prefix, code) pairs are unique and decode back to their row', () => {
  const seen = new Map<string, string>();
  for (let op = 0; op < INSTRUCTIONS.length; op++) {
    const { name, prefix, code } = INSTRUCTIONS[op]!;
    const k = key(prefix, code);
    assert.ok(!seen.has(k), `${name} reuses the opcode of ${seen.get(k)}`);
    seen.set(k, name);
    assert.ok(Number.isInteger(code) && code >= 0, name);
    if (prefix === Prefix.none) {
      assert.ok(code < 256, name);
      assert.ok(!([0xfb, 0xfc, 0xfd, 0xfe] as number[]).includes(code), `${name} uses a prefix byte`);
      assert.equal(opByCode(code), op);
    } else {
      assert.ok(([0xfb, 0xfc, 0xfd, 0xfe] as number[]).includes(prefix), `${name}: prefix`);
      assert.equal(opByPrefixedCode(prefix, code), op);
    }
  }
});

test('shared rows: typed select and the nullable ref.test / ref.cast', () => {
  assert.equal(opByCode(0x1c), opByName('select'));
  assert.equal(opByPrefixedCode(Prefix.gc, 21), opByName('ref.test'));
  assert.equal(opByPrefixedCode(Prefix.gc, 23), opByName('ref.cast'));
  assert.equal(INSTRUCTIONS[opByName('ref.test')!]!.code, 20);
  assert.equal(INSTRUCTIONS[opByName('ref.cast')!]!.code, 22);
});

test('unassigned opcodes decode to -1', () => {
  for (const code of [0x16, 0x17, 0x1d, 0x1e, 0x27, 0xc5, 0xcf, 0xd7, 0xff]) {
    assert.equal(opByCode(code), -1, `0x${code.toString(16)}`);
  }
  assert.equal(opByPrefixedCode(Prefix.simd, 154), -1);
  assert.equal(opByPrefixedCode(Prefix.simd, 0x114), -1);
  assert.equal(opByPrefixedCode(Prefix.misc, 18), -1);
  assert.equal(opByPrefixedCode(Prefix.gc, 31), -1);
  assert.equal(opByPrefixedCode(Prefix.atomic, 0x04), -1);
  assert.equal(opByPrefixedCode(Prefix.atomic, 0x4f), -1);
  assert.equal(opByPrefixedCode(Prefix.simd, 2 ** 32), -1);
});

test('every row has a valid immediate kind and feature', () => {
  const features = new Set<string>(FEATURES);
  for (const { name, imm, feature } of INSTRUCTIONS) {
    assert.ok(Object.hasOwn(IMM_KINDS, imm), `${name}: immediate kind ${imm}`);
    assert.ok(features.has(feature), `${name}: feature ${feature}`);
  }
});

test('memory accesses have a natural alignment, others none', () => {
  for (const { name, imm, natural } of INSTRUCTIONS) {
    if (imm === 'memarg' || imm === 'memarg_lane') {
      assert.ok(Number.isInteger(natural) && natural >= 0 && natural <= 4, `${name}: natural ${natural}`);
      // The width is in the name where the name gives it.
      const width = /(?:load|store|rmw|wait)(8|16|32|64)(?:x\d)?(?:_|\.|$)/.exec(name);
      if (width !== null && !/x\d/.test(name.split('.').pop()!)) {
        assert.equal(2 ** natural * 8, Number(width[1]), name);
      }
    } else {
      assert.equal(natural, -1, `${name} has no memory argument`);
    }
  }
  const expect: Record<string, number> = {
    'i32.load': 2, 'i64.load': 3, 'i64.load8_s': 0, 'f64.store': 3, 'v128.load': 4,
    'v128.store': 4, 'v128.load8x8_s': 3, 'v128.load32_zero': 2, 'v128.load64_splat': 3,
    'v128.load16_lane': 1, 'v128.store64_lane': 3, 'memory.atomic.notify': 2,
    'memory.atomic.wait64': 3, 'i64.atomic.rmw32.cmpxchg_u': 2, 'i64.atomic.load': 3,
  };
  for (const [name, natural] of Object.entries(expect)) {
    assert.equal(INSTRUCTIONS[opByName(name)!]!.natural, natural, name);
  }
});

test('signatures parse into known types', () => {
  for (let op = 0; op < INSTRUCTIONS.length; op++) {
    const { name, sig, imm } = INSTRUCTIONS[op]!;
    if (sig === null) continue;
    assert.match(sig, /^(\S+( \S+)*)? -> (\S+( \S+)*)?$/, `${name}: "${sig}"`);
    for (const token of sig.split(' ').filter((t) => t !== '' && t !== '->')) {
      assert.notEqual(parseSigType(token), null, `${name}: type ${token}`);
    }
    const parsed = sigOf(op)!;
    assert.deepEqual(parsed, parseSig(sig));
    const usesAddr = [...parsed.params, ...parsed.results].includes('addr');
    const memoryInstr = imm === 'memarg' || imm === 'memarg_lane' || imm === 'memory' || imm === 'memory_init';
    assert.equal(usesAddr, memoryInstr && name !== 'atomic.fence', `${name}: addr only for memory instructions`);
  }
  assert.deepEqual(parseSig(' -> '), { params: [], results: [] });
  assert.deepEqual(parseSig('addr v128 -> v128'), { params: ['addr', 'v128'], results: ['v128'] });
  assert.deepEqual(parseSig('eqref eqref -> i32').params[0], { kind: 'ref', nullable: true, heap: 'eq' });
  assert.throws(() => parseSig('i32 -> i33'));
  assert.throws(() => parseSig('i32'));
  assert.equal(parseSigType('toString'), null);
});

test('every numeric, vector and fixed memory instruction has a signature', () => {
  for (const { name, sig, imm } of INSTRUCTIONS) {
    if (imm === 'memarg' || imm === 'memarg_lane' || imm === 'lane' || imm === 'shuffle' ||
        /^(i32|i64|f32|f64|v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./.test(name)) {
      assert.notEqual(sig, null, name);
    }
  }
});

test('row counts per feature match the spec', () => {
  const counts: Partial<Record<Feature, number>> = {
    // 0x00-0x05, 0x0B-0x11, 0x1A-0x1B, 0x20-0x24, 0x28-0xBF
    mvp: 6 + 7 + 2 + 5 + (0xbf - 0x28 + 1),
    'sign-extension': 5,
    'saturating-float-to-int': 8,
    'bulk-memory': 7,
    // ref.null/is_null/func, table.get/set/grow/size/fill
    'reference-types': 8,
    // 256 sub-opcodes minus 20 unassigned ones
    simd: 236,
    'relaxed-simd': 20,
    'tail-call': 3,
    'function-references': 4,
    // 0xFB 0-30 minus the two shared nullable forms, plus ref.eq (0xD3)
    gc: 31 - 2 + 1,
    exceptions: 3,
    'legacy-exceptions': 5,
    // wait/notify/fence + 7 loads + 7 stores + 7 rmw ops in 7 widths
    threads: 4 + 7 + 7 + 7 * 7,
  };
  for (const feature of FEATURES) {
    assert.equal(rowsOf(feature).length, counts[feature] ?? 0, feature);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(INSTRUCTIONS.length, total);
});

test('opcode ranges are contiguous where the spec makes them so', () => {
  const codes = (prefix: number, feature: Feature) =>
    rowsOf(feature).filter((i) => i.prefix === prefix).map((i) => i.code).sort((a, b) => a - b);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  assert.deepEqual(codes(Prefix.none, 'mvp').filter((c) => c >= 0x28), range(0x28, 0xbf));
  assert.deepEqual(codes(Prefix.none, 'sign-extension'), range(0xc0, 0xc4));
  assert.deepEqual(codes(Prefix.misc, 'saturating-float-to-int'), range(0, 7));
  assert.deepEqual(codes(Prefix.simd, 'relaxed-simd'), range(0x100, 0x113));
  assert.deepEqual(codes(Prefix.atomic, 'threads'), [...range(0, 3), ...range(0x10, 0x4e)]);
  assert.deepEqual(codes(Prefix.gc, 'gc'), range(0, 30).filter((c) => c !== 21 && c !== 23));
  const gaps = [154, 162, 165, 166, 175, 176, 178, 179, 180, 187, 194, 197, 198, 207, 208, 210, 211, 212, 226, 238];
  assert.deepEqual(codes(Prefix.simd, 'simd'), range(0, 255).filter((c) => !gaps.includes(c)));
});

test('spot checks of names, opcodes and immediates', () => {
  const expect: [string, number, number, ImmKind, string | null][] = [
    ['select', 0, 0x1b, 'select', null],
    ['try_table', 0, 0x1f, 'try_table', null],
    ['try', 0, 0x06, 'block', null],
    ['delegate', 0, 0x18, 'label', null],
    ['catch_all', 0, 0x19, 'none', null],
    ['return_call_ref', 0, 0x15, 'type', null],
    ['br_on_non_null', 0, 0xd6, 'label', null],
    ['memory.fill', 0xfc, 11, 'memory', 'addr i32 addr -> '],
    ['memory.grow', 0, 0x40, 'memory', 'addr -> addr'],
    ['table.fill', 0xfc, 17, 'table', null],
    ['array.copy', 0xfb, 17, 'array_copy', null],
    ['array.new_fixed', 0xfb, 8, 'array_fixed', null],
    ['struct.get_s', 0xfb, 3, 'struct_field', null],
    ['br_on_cast_fail', 0xfb, 25, 'br_on_cast', null],
    ['extern.convert_any', 0xfb, 27, 'none', null],
    ['i31.get_u', 0xfb, 30, 'none', 'i31ref -> i32'],
    ['i8x16.shuffle', 0xfd, 13, 'shuffle', 'v128 v128 -> v128'],
    ['i16x8.extract_lane_u', 0xfd, 25, 'lane', 'v128 -> i32'],
    ['f64x2.replace_lane', 0xfd, 34, 'lane', 'v128 f64 -> v128'],
    ['v128.load8_lane', 0xfd, 84, 'memarg_lane', 'addr v128 -> v128'],
    ['v128.store64_lane', 0xfd, 91, 'memarg_lane', 'addr v128 -> '],
    ['v128.load32_zero', 0xfd, 92, 'memarg', 'addr -> v128'],
    ['f64x2.promote_low_f32x4', 0xfd, 95, 'none', 'v128 -> v128'],
    ['i16x8.extadd_pairwise_i8x16_s', 0xfd, 124, 'none', 'v128 -> v128'],
    ['i16x8.q15mulr_sat_s', 0xfd, 130, 'none', 'v128 v128 -> v128'],
    ['i32x4.dot_i16x8_s', 0xfd, 186, 'none', 'v128 v128 -> v128'],
    ['i64x2.ge_s', 0xfd, 219, 'none', 'v128 v128 -> v128'],
    ['i32x4.trunc_sat_f64x2_s_zero', 0xfd, 252, 'none', 'v128 -> v128'],
    ['f64x2.convert_low_i32x4_u', 0xfd, 255, 'none', 'v128 -> v128'],
    ['i32x4.relaxed_dot_i8x16_i7x16_add_s', 0xfd, 0x113, 'none', 'v128 v128 v128 -> v128'],
    ['memory.atomic.wait32', 0xfe, 0x01, 'memarg', 'addr i32 i64 -> i32'],
    ['atomic.fence', 0xfe, 0x03, 'atomic_fence', ' -> '],
    ['i64.atomic.rmw32.cmpxchg_u', 0xfe, 0x4e, 'memarg', 'addr i64 i64 -> i64'],
    ['i32.atomic.rmw8.xchg_u', 0xfe, 0x43, 'memarg', 'addr i32 -> i32'],
    ['i64.trunc_sat_f64_u', 0xfc, 7, 'none', 'f64 -> i64'],
    ['f64.reinterpret_i64', 0, 0xbf, 'none', 'i64 -> f64'],
  ];
  for (const [name, prefix, code, imm, sig] of expect) {
    const op = opByName(name);
    assert.notEqual(op, undefined, name);
    const row = INSTRUCTIONS[op!]!;
    assert.deepEqual([row.prefix, row.code, row.imm, row.sig], [prefix, code, imm, sig], name);
  }
});

// --- the spec test suite -----------------------------------------------------------

const suite = fileURLToPath(new URL('../../../shared/spec-testsuite', import.meta.url));

/** Script-level forms in .wast files that look like instructions but are not. */
const SCRIPT_ONLY = new Set(['ref.extern', 'ref.host', 'ref.struct', 'ref.array']);

function* wastFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* wastFiles(path);
    else if (entry.name.endsWith('.wast')) yield path;
  }
}

test('every instruction mnemonic in the spec test suite is in the table', { skip: !existsSync(suite) && 'spec test suite not present' }, () => {
  // Dotted lower-case words outside comments and strings, e.g. `i32.add`,
  // `v128.load8_lane`, `memory.atomic.wait32`; `$ids`, `key=value` and numbers excluded.
  const mnemonic = /(?<![\w$.:@=-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?![\w.:=-])/g;
  // Undotted instructions in the positions an instruction can start: after `(` or on
  // its own after whitespace. Checked only for names the table knows; reported if missing.
  const undotted = [
    'unreachable', 'nop', 'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table',
    'return', 'call', 'call_indirect', 'drop', 'select', 'throw', 'throw_ref', 'try_table',
    'try', 'catch', 'catch_all', 'rethrow', 'delegate', 'return_call', 'return_call_indirect',
    'return_call_ref', 'call_ref', 'br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail',
  ];
  const missing = new Map<string, string>();
  let files = 0;
  for (const file of wastFiles(suite)) {
    files++;
    const text = readFileSync(file, 'utf8')
      .replace(/\(;[\s\S]*?;\)/g, ' ')
      .replace(/;;.*$/gm, ' ')
      .replace(/"(?:[^"\\]|\\.)*"/g, ' ');
    for (const [word] of text.matchAll(mnemonic)) {
      if (!SCRIPT_ONLY.has(word) && opByName(word) === undefined && !missing.has(word)) {
        missing.set(word, file);
      }
    }
  }
  for (const name of undotted) assert.notEqual(opByName(name), undefined, name);
  assert.ok(files > 0, 'no .wast files found');
  assert.deepEqual([...missing].map(([word, file]) => `${word} (${file})`), []);
});

test('the suite uses every table instruction except the threads ones', { skip: !existsSync(suite) && 'spec test suite not present' }, () => {
  // A cross-check of the table in the other direction: a misspelt name would show up here.
  const used = new Set<string>();
  for (const file of wastFiles(suite)) {
    const text = readFileSync(file, 'utf8').replace(/\(;[\s\S]*?;\)/g, ' ').replace(/;;.*$/gm, ' ');
    for (const [word] of text.matchAll(/[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*/g)) used.add(word);
  }
  const unused = INSTRUCTIONS.filter((i) => i.feature !== 'threads' && !used.has(i.name)).map((i) => i.name);
  assert.deepEqual(unused, []);
});
