// The instruction table (spec §5.4 binary opcodes, §6.5 text names): the single source of
// truth for every instruction's name, opcode, immediates, type and feature. The decoder,
// encoder, parser, printer and validator all read it; adding an instruction is one row.

import type { Feature } from './features.ts';
import type { ImmKind, Instruction } from './instruction.ts';
import type { AbsHeapType, ValType } from './types.ts';

/** Prefix byte for multi-byte opcodes; 0 means a single-byte opcode. */
export const Prefix = { none: 0, gc: 0xfb, misc: 0xfc, simd: 0xfd, atomic: 0xfe } as const;

export interface InstrInfo {
  /** Text-format mnemonic. */
  readonly name: string;
  /** 0 for one-byte opcodes, else the prefix byte (0xFB, 0xFC, 0xFD, 0xFE). */
  readonly prefix: number;
  /** The opcode byte, or the u32 sub-opcode after a prefix. */
  readonly code: number;
  readonly imm: ImmKind;
  /**
   * The type `params -> results` for instructions whose type is fixed, e.g.
   * `"i32 i32 -> i32"` or `" -> i32"`; null where the validator must compute it
   * (polymorphic or index-dependent instructions). Tokens are the number and vector
   * types, the nullable reference shorthands of the text format (`eqref`, `arrayref`,
   * `i31ref`, …), and `addr`: the address type of the memory the instruction names
   * (i32, or i64 for a 64-bit memory). See `sigOf`.
   */
  readonly sig: string | null;
  readonly feature: Feature;
  /** For memory accesses: log2 of the natural alignment (access width in bytes). */
  readonly natural: number;
}

type Row = readonly [
  name: string,
  prefix: number,
  code: number,
  imm: ImmKind,
  sig: string | null,
  feature: Feature,
  natural?: number,
];

const P0 = 0;
const GC = 0xfb;
const MISC = 0xfc;
const SIMD = 0xfd;
const ATOM = 0xfe;

// Opcodes: one-byte opcodes in hex; sub-opcodes after 0xFB, 0xFC and 0xFD in decimal, as
// the spec's binary chapter writes them (relaxed SIMD: 256-275 = 0x100-0x113); after
// 0xFE in hex, as the threads proposal writes them.
// prettier-ignore
const ROWS: readonly Row[] = [
  // --- control (MVP) ---
  ['unreachable', P0, 0x00, 'none', null, 'mvp'],
  ['nop', P0, 0x01, 'none', ' -> ', 'mvp'],
  ['block', P0, 0x02, 'block', null, 'mvp'],
  ['loop', P0, 0x03, 'block', null, 'mvp'],
  ['if', P0, 0x04, 'block', null, 'mvp'],
  ['else', P0, 0x05, 'none', null, 'mvp'],
  ['end', P0, 0x0b, 'none', null, 'mvp'],
  ['br', P0, 0x0c, 'label', null, 'mvp'],
  ['br_if', P0, 0x0d, 'label', null, 'mvp'],
  ['br_table', P0, 0x0e, 'br_table', null, 'mvp'],
  ['return', P0, 0x0f, 'none', null, 'mvp'],
  ['call', P0, 0x10, 'func', null, 'mvp'],
  ['call_indirect', P0, 0x11, 'call_indirect', null, 'mvp'],
  // --- exceptions ---
  ['throw', P0, 0x08, 'tag', null, 'exceptions'],
  ['throw_ref', P0, 0x0a, 'none', null, 'exceptions'],
  ['try_table', P0, 0x1f, 'try_table', null, 'exceptions'],
  // --- legacy exceptions ---
  ['try', P0, 0x06, 'block', null, 'legacy-exceptions'],
  ['catch', P0, 0x07, 'tag', null, 'legacy-exceptions'],
  ['rethrow', P0, 0x09, 'label', null, 'legacy-exceptions'],
  ['delegate', P0, 0x18, 'label', null, 'legacy-exceptions'],
  ['catch_all', P0, 0x19, 'none', null, 'legacy-exceptions'],
  // --- tail calls ---
  ['return_call', P0, 0x12, 'func', null, 'tail-call'],
  ['return_call_indirect', P0, 0x13, 'call_indirect', null, 'tail-call'],
  ['return_call_ref', P0, 0x15, 'type', null, 'tail-call'],
  // --- typed function references ---
  ['call_ref', P0, 0x14, 'type', null, 'function-references'],
  ['ref.as_non_null', P0, 0xd4, 'none', null, 'function-references'],
  ['br_on_null', P0, 0xd5, 'label', null, 'function-references'],
  ['br_on_non_null', P0, 0xd6, 'label', null, 'function-references'],
  // --- parametric (MVP); 0x1C, typed select, shares the `select` row ---
  ['drop', P0, 0x1a, 'none', null, 'mvp'],
  ['select', P0, 0x1b, 'select', null, 'mvp'],
  // --- variable (MVP) ---
  ['local.get', P0, 0x20, 'local', null, 'mvp'],
  ['local.set', P0, 0x21, 'local', null, 'mvp'],
  ['local.tee', P0, 0x22, 'local', null, 'mvp'],
  ['global.get', P0, 0x23, 'global', null, 'mvp'],
  ['global.set', P0, 0x24, 'global', null, 'mvp'],
  // --- memory (MVP); `addr` is the accessed memory's address type ---
  ['i32.load', P0, 0x28, 'memarg', 'addr -> i32', 'mvp', 2],
  ['i64.load', P0, 0x29, 'memarg', 'addr -> i64', 'mvp', 3],
  ['f32.load', P0, 0x2a, 'memarg', 'addr -> f32', 'mvp', 2],
  ['f64.load', P0, 0x2b, 'memarg', 'addr -> f64', 'mvp', 3],
  ['i32.load8_s', P0, 0x2c, 'memarg', 'addr -> i32', 'mvp', 0],
  ['i32.load8_u', P0, 0x2d, 'memarg', 'addr -> i32', 'mvp', 0],
  ['i32.load16_s', P0, 0x2e, 'memarg', 'addr -> i32', 'mvp', 1],
  ['i32.load16_u', P0, 0x2f, 'memarg', 'addr -> i32', 'mvp', 1],
  ['i64.load8_s', P0, 0x30, 'memarg', 'addr -> i64', 'mvp', 0],
  ['i64.load8_u', P0, 0x31, 'memarg', 'addr -> i64', 'mvp', 0],
  ['i64.load16_s', P0, 0x32, 'memarg', 'addr -> i64', 'mvp', 1],
  ['i64.load16_u', P0, 0x33, 'memarg', 'addr -> i64', 'mvp', 1],
  ['i64.load32_s', P0, 0x34, 'memarg', 'addr -> i64', 'mvp', 2],
  ['i64.load32_u', P0, 0x35, 'memarg', 'addr -> i64', 'mvp', 2],
  ['i32.store', P0, 0x36, 'memarg', 'addr i32 -> ', 'mvp', 2],
  ['i64.store', P0, 0x37, 'memarg', 'addr i64 -> ', 'mvp', 3],
  ['f32.store', P0, 0x38, 'memarg', 'addr f32 -> ', 'mvp', 2],
  ['f64.store', P0, 0x39, 'memarg', 'addr f64 -> ', 'mvp', 3],
  ['i32.store8', P0, 0x3a, 'memarg', 'addr i32 -> ', 'mvp', 0],
  ['i32.store16', P0, 0x3b, 'memarg', 'addr i32 -> ', 'mvp', 1],
  ['i64.store8', P0, 0x3c, 'memarg', 'addr i64 -> ', 'mvp', 0],
  ['i64.store16', P0, 0x3d, 'memarg', 'addr i64 -> ', 'mvp', 1],
  ['i64.store32', P0, 0x3e, 'memarg', 'addr i64 -> ', 'mvp', 2],
  ['memory.size', P0, 0x3f, 'memory', ' -> addr', 'mvp'],
  ['memory.grow', P0, 0x40, 'memory', 'addr -> addr', 'mvp'],
  // --- numeric (MVP) ---
  ['i32.const', P0, 0x41, 'i32', ' -> i32', 'mvp'],
  ['i64.const', P0, 0x42, 'i64', ' -> i64', 'mvp'],
  ['f32.const', P0, 0x43, 'f32', ' -> f32', 'mvp'],
  ['f64.const', P0, 0x44, 'f64', ' -> f64', 'mvp'],
  ['i32.eqz', P0, 0x45, 'none', 'i32 -> i32', 'mvp'],
  ['i32.eq', P0, 0x46, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.ne', P0, 0x47, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.lt_s', P0, 0x48, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.lt_u', P0, 0x49, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.gt_s', P0, 0x4a, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.gt_u', P0, 0x4b, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.le_s', P0, 0x4c, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.le_u', P0, 0x4d, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.ge_s', P0, 0x4e, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.ge_u', P0, 0x4f, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i64.eqz', P0, 0x50, 'none', 'i64 -> i32', 'mvp'],
  ['i64.eq', P0, 0x51, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.ne', P0, 0x52, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.lt_s', P0, 0x53, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.lt_u', P0, 0x54, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.gt_s', P0, 0x55, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.gt_u', P0, 0x56, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.le_s', P0, 0x57, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.le_u', P0, 0x58, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.ge_s', P0, 0x59, 'none', 'i64 i64 -> i32', 'mvp'],
  ['i64.ge_u', P0, 0x5a, 'none', 'i64 i64 -> i32', 'mvp'],
  ['f32.eq', P0, 0x5b, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f32.ne', P0, 0x5c, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f32.lt', P0, 0x5d, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f32.gt', P0, 0x5e, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f32.le', P0, 0x5f, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f32.ge', P0, 0x60, 'none', 'f32 f32 -> i32', 'mvp'],
  ['f64.eq', P0, 0x61, 'none', 'f64 f64 -> i32', 'mvp'],
  ['f64.ne', P0, 0x62, 'none', 'f64 f64 -> i32', 'mvp'],
  ['f64.lt', P0, 0x63, 'none', 'f64 f64 -> i32', 'mvp'],
  ['f64.gt', P0, 0x64, 'none', 'f64 f64 -> i32', 'mvp'],
  ['f64.le', P0, 0x65, 'none', 'f64 f64 -> i32', 'mvp'],
  ['f64.ge', P0, 0x66, 'none', 'f64 f64 -> i32', 'mvp'],
  ['i32.clz', P0, 0x67, 'none', 'i32 -> i32', 'mvp'],
  ['i32.ctz', P0, 0x68, 'none', 'i32 -> i32', 'mvp'],
  ['i32.popcnt', P0, 0x69, 'none', 'i32 -> i32', 'mvp'],
  ['i32.add', P0, 0x6a, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.sub', P0, 0x6b, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.mul', P0, 0x6c, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.div_s', P0, 0x6d, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.div_u', P0, 0x6e, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.rem_s', P0, 0x6f, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.rem_u', P0, 0x70, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.and', P0, 0x71, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.or', P0, 0x72, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.xor', P0, 0x73, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.shl', P0, 0x74, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.shr_s', P0, 0x75, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.shr_u', P0, 0x76, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.rotl', P0, 0x77, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i32.rotr', P0, 0x78, 'none', 'i32 i32 -> i32', 'mvp'],
  ['i64.clz', P0, 0x79, 'none', 'i64 -> i64', 'mvp'],
  ['i64.ctz', P0, 0x7a, 'none', 'i64 -> i64', 'mvp'],
  ['i64.popcnt', P0, 0x7b, 'none', 'i64 -> i64', 'mvp'],
  ['i64.add', P0, 0x7c, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.sub', P0, 0x7d, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.mul', P0, 0x7e, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.div_s', P0, 0x7f, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.div_u', P0, 0x80, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.rem_s', P0, 0x81, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.rem_u', P0, 0x82, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.and', P0, 0x83, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.or', P0, 0x84, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.xor', P0, 0x85, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.shl', P0, 0x86, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.shr_s', P0, 0x87, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.shr_u', P0, 0x88, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.rotl', P0, 0x89, 'none', 'i64 i64 -> i64', 'mvp'],
  ['i64.rotr', P0, 0x8a, 'none', 'i64 i64 -> i64', 'mvp'],
  ['f32.abs', P0, 0x8b, 'none', 'f32 -> f32', 'mvp'],
  ['f32.neg', P0, 0x8c, 'none', 'f32 -> f32', 'mvp'],
  ['f32.ceil', P0, 0x8d, 'none', 'f32 -> f32', 'mvp'],
  ['f32.floor', P0, 0x8e, 'none', 'f32 -> f32', 'mvp'],
  ['f32.trunc', P0, 0x8f, 'none', 'f32 -> f32', 'mvp'],
  ['f32.nearest', P0, 0x90, 'none', 'f32 -> f32', 'mvp'],
  ['f32.sqrt', P0, 0x91, 'none', 'f32 -> f32', 'mvp'],
  ['f32.add', P0, 0x92, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.sub', P0, 0x93, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.mul', P0, 0x94, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.div', P0, 0x95, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.min', P0, 0x96, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.max', P0, 0x97, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f32.copysign', P0, 0x98, 'none', 'f32 f32 -> f32', 'mvp'],
  ['f64.abs', P0, 0x99, 'none', 'f64 -> f64', 'mvp'],
  ['f64.neg', P0, 0x9a, 'none', 'f64 -> f64', 'mvp'],
  ['f64.ceil', P0, 0x9b, 'none', 'f64 -> f64', 'mvp'],
  ['f64.floor', P0, 0x9c, 'none', 'f64 -> f64', 'mvp'],
  ['f64.trunc', P0, 0x9d, 'none', 'f64 -> f64', 'mvp'],
  ['f64.nearest', P0, 0x9e, 'none', 'f64 -> f64', 'mvp'],
  ['f64.sqrt', P0, 0x9f, 'none', 'f64 -> f64', 'mvp'],
  ['f64.add', P0, 0xa0, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.sub', P0, 0xa1, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.mul', P0, 0xa2, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.div', P0, 0xa3, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.min', P0, 0xa4, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.max', P0, 0xa5, 'none', 'f64 f64 -> f64', 'mvp'],
  ['f64.copysign', P0, 0xa6, 'none', 'f64 f64 -> f64', 'mvp'],
  ['i32.wrap_i64', P0, 0xa7, 'none', 'i64 -> i32', 'mvp'],
  ['i32.trunc_f32_s', P0, 0xa8, 'none', 'f32 -> i32', 'mvp'],
  ['i32.trunc_f32_u', P0, 0xa9, 'none', 'f32 -> i32', 'mvp'],
  ['i32.trunc_f64_s', P0, 0xaa, 'none', 'f64 -> i32', 'mvp'],
  ['i32.trunc_f64_u', P0, 0xab, 'none', 'f64 -> i32', 'mvp'],
  ['i64.extend_i32_s', P0, 0xac, 'none', 'i32 -> i64', 'mvp'],
  ['i64.extend_i32_u', P0, 0xad, 'none', 'i32 -> i64', 'mvp'],
  ['i64.trunc_f32_s', P0, 0xae, 'none', 'f32 -> i64', 'mvp'],
  ['i64.trunc_f32_u', P0, 0xaf, 'none', 'f32 -> i64', 'mvp'],
  ['i64.trunc_f64_s', P0, 0xb0, 'none', 'f64 -> i64', 'mvp'],
  ['i64.trunc_f64_u', P0, 0xb1, 'none', 'f64 -> i64', 'mvp'],
  ['f32.convert_i32_s', P0, 0xb2, 'none', 'i32 -> f32', 'mvp'],
  ['f32.convert_i32_u', P0, 0xb3, 'none', 'i32 -> f32', 'mvp'],
  ['f32.convert_i64_s', P0, 0xb4, 'none', 'i64 -> f32', 'mvp'],
  ['f32.convert_i64_u', P0, 0xb5, 'none', 'i64 -> f32', 'mvp'],
  ['f32.demote_f64', P0, 0xb6, 'none', 'f64 -> f32', 'mvp'],
  ['f64.convert_i32_s', P0, 0xb7, 'none', 'i32 -> f64', 'mvp'],
  ['f64.convert_i32_u', P0, 0xb8, 'none', 'i32 -> f64', 'mvp'],
  ['f64.convert_i64_s', P0, 0xb9, 'none', 'i64 -> f64', 'mvp'],
  ['f64.convert_i64_u', P0, 0xba, 'none', 'i64 -> f64', 'mvp'],
  ['f64.promote_f32', P0, 0xbb, 'none', 'f32 -> f64', 'mvp'],
  ['i32.reinterpret_f32', P0, 0xbc, 'none', 'f32 -> i32', 'mvp'],
  ['i64.reinterpret_f64', P0, 0xbd, 'none', 'f64 -> i64', 'mvp'],
  ['f32.reinterpret_i32', P0, 0xbe, 'none', 'i32 -> f32', 'mvp'],
  ['f64.reinterpret_i64', P0, 0xbf, 'none', 'i64 -> f64', 'mvp'],
  // --- sign extension ---
  ['i32.extend8_s', P0, 0xc0, 'none', 'i32 -> i32', 'sign-extension'],
  ['i32.extend16_s', P0, 0xc1, 'none', 'i32 -> i32', 'sign-extension'],
  ['i64.extend8_s', P0, 0xc2, 'none', 'i64 -> i64', 'sign-extension'],
  ['i64.extend16_s', P0, 0xc3, 'none', 'i64 -> i64', 'sign-extension'],
  ['i64.extend32_s', P0, 0xc4, 'none', 'i64 -> i64', 'sign-extension'],
  // --- saturating float-to-int truncation (0xFC 0-7) ---
  ['i32.trunc_sat_f32_s', MISC, 0, 'none', 'f32 -> i32', 'saturating-float-to-int'],
  ['i32.trunc_sat_f32_u', MISC, 1, 'none', 'f32 -> i32', 'saturating-float-to-int'],
  ['i32.trunc_sat_f64_s', MISC, 2, 'none', 'f64 -> i32', 'saturating-float-to-int'],
  ['i32.trunc_sat_f64_u', MISC, 3, 'none', 'f64 -> i32', 'saturating-float-to-int'],
  ['i64.trunc_sat_f32_s', MISC, 4, 'none', 'f32 -> i64', 'saturating-float-to-int'],
  ['i64.trunc_sat_f32_u', MISC, 5, 'none', 'f32 -> i64', 'saturating-float-to-int'],
  ['i64.trunc_sat_f64_s', MISC, 6, 'none', 'f64 -> i64', 'saturating-float-to-int'],
  ['i64.trunc_sat_f64_u', MISC, 7, 'none', 'f64 -> i64', 'saturating-float-to-int'],
  // --- bulk memory (0xFC 8-14) ---
  ['memory.init', MISC, 8, 'memory_init', 'addr i32 i32 -> ', 'bulk-memory'],
  ['data.drop', MISC, 9, 'data', ' -> ', 'bulk-memory'],
  // memory.copy: each operand takes the address type of its own memory, n the smaller one.
  ['memory.copy', MISC, 10, 'memory_copy', null, 'bulk-memory'],
  ['memory.fill', MISC, 11, 'memory', 'addr i32 addr -> ', 'bulk-memory'],
  ['table.init', MISC, 12, 'table_init', null, 'bulk-memory'],
  ['elem.drop', MISC, 13, 'elem', ' -> ', 'bulk-memory'],
  ['table.copy', MISC, 14, 'table_copy', null, 'bulk-memory'],
  // --- reference types ---
  ['ref.null', P0, 0xd0, 'heap_type', null, 'reference-types'],
  ['ref.is_null', P0, 0xd1, 'none', null, 'reference-types'],
  ['ref.func', P0, 0xd2, 'func', null, 'reference-types'],
  ['table.get', P0, 0x25, 'table', null, 'reference-types'],
  ['table.set', P0, 0x26, 'table', null, 'reference-types'],
  ['table.grow', MISC, 15, 'table', null, 'reference-types'],
  ['table.size', MISC, 16, 'table', null, 'reference-types'],
  ['table.fill', MISC, 17, 'table', null, 'reference-types'],
  // --- GC (0xFB 0-30); 0xFB 21 / 23 (nullable ref.test / ref.cast) share the 20 / 22 rows ---
  ['ref.eq', P0, 0xd3, 'none', 'eqref eqref -> i32', 'gc'],
  ['struct.new', GC, 0, 'type', null, 'gc'],
  ['struct.new_default', GC, 1, 'type', null, 'gc'],
  ['struct.get', GC, 2, 'struct_field', null, 'gc'],
  ['struct.get_s', GC, 3, 'struct_field', null, 'gc'],
  ['struct.get_u', GC, 4, 'struct_field', null, 'gc'],
  ['struct.set', GC, 5, 'struct_field', null, 'gc'],
  ['array.new', GC, 6, 'type', null, 'gc'],
  ['array.new_default', GC, 7, 'type', null, 'gc'],
  ['array.new_fixed', GC, 8, 'array_fixed', null, 'gc'],
  ['array.new_data', GC, 9, 'array_data', null, 'gc'],
  ['array.new_elem', GC, 10, 'array_elem', null, 'gc'],
  ['array.get', GC, 11, 'type', null, 'gc'],
  ['array.get_s', GC, 12, 'type', null, 'gc'],
  ['array.get_u', GC, 13, 'type', null, 'gc'],
  ['array.set', GC, 14, 'type', null, 'gc'],
  ['array.len', GC, 15, 'none', 'arrayref -> i32', 'gc'],
  ['array.fill', GC, 16, 'type', null, 'gc'],
  ['array.copy', GC, 17, 'array_copy', null, 'gc'],
  ['array.init_data', GC, 18, 'array_data', null, 'gc'],
  ['array.init_elem', GC, 19, 'array_elem', null, 'gc'],
  ['ref.test', GC, 20, 'ref_type', null, 'gc'],
  ['ref.cast', GC, 22, 'ref_type', null, 'gc'],
  ['br_on_cast', GC, 24, 'br_on_cast', null, 'gc'],
  ['br_on_cast_fail', GC, 25, 'br_on_cast', null, 'gc'],
  ['any.convert_extern', GC, 26, 'none', null, 'gc'],
  ['extern.convert_any', GC, 27, 'none', null, 'gc'],
  ['ref.i31', GC, 28, 'none', null, 'gc'],
  ['i31.get_s', GC, 29, 'none', 'i31ref -> i32', 'gc'],
  ['i31.get_u', GC, 30, 'none', 'i31ref -> i32', 'gc'],
  // --- SIMD (0xFD 0-255); lane-wise shapes are i8x16 i16x8 i32x4 i64x2 f32x4 f64x2 ---
  ['v128.load', SIMD, 0, 'memarg', 'addr -> v128', 'simd', 4],
  ['v128.load8x8_s', SIMD, 1, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load8x8_u', SIMD, 2, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load16x4_s', SIMD, 3, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load16x4_u', SIMD, 4, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load32x2_s', SIMD, 5, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load32x2_u', SIMD, 6, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.load8_splat', SIMD, 7, 'memarg', 'addr -> v128', 'simd', 0],
  ['v128.load16_splat', SIMD, 8, 'memarg', 'addr -> v128', 'simd', 1],
  ['v128.load32_splat', SIMD, 9, 'memarg', 'addr -> v128', 'simd', 2],
  ['v128.load64_splat', SIMD, 10, 'memarg', 'addr -> v128', 'simd', 3],
  ['v128.store', SIMD, 11, 'memarg', 'addr v128 -> ', 'simd', 4],
  ['v128.const', SIMD, 12, 'v128', ' -> v128', 'simd'],
  ['i8x16.shuffle', SIMD, 13, 'shuffle', 'v128 v128 -> v128', 'simd'],
  ['i8x16.swizzle', SIMD, 14, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.splat', SIMD, 15, 'none', 'i32 -> v128', 'simd'],
  ['i16x8.splat', SIMD, 16, 'none', 'i32 -> v128', 'simd'],
  ['i32x4.splat', SIMD, 17, 'none', 'i32 -> v128', 'simd'],
  ['i64x2.splat', SIMD, 18, 'none', 'i64 -> v128', 'simd'],
  ['f32x4.splat', SIMD, 19, 'none', 'f32 -> v128', 'simd'],
  ['f64x2.splat', SIMD, 20, 'none', 'f64 -> v128', 'simd'],
  ['i8x16.extract_lane_s', SIMD, 21, 'lane', 'v128 -> i32', 'simd'],
  ['i8x16.extract_lane_u', SIMD, 22, 'lane', 'v128 -> i32', 'simd'],
  ['i8x16.replace_lane', SIMD, 23, 'lane', 'v128 i32 -> v128', 'simd'],
  ['i16x8.extract_lane_s', SIMD, 24, 'lane', 'v128 -> i32', 'simd'],
  ['i16x8.extract_lane_u', SIMD, 25, 'lane', 'v128 -> i32', 'simd'],
  ['i16x8.replace_lane', SIMD, 26, 'lane', 'v128 i32 -> v128', 'simd'],
  ['i32x4.extract_lane', SIMD, 27, 'lane', 'v128 -> i32', 'simd'],
  ['i32x4.replace_lane', SIMD, 28, 'lane', 'v128 i32 -> v128', 'simd'],
  ['i64x2.extract_lane', SIMD, 29, 'lane', 'v128 -> i64', 'simd'],
  ['i64x2.replace_lane', SIMD, 30, 'lane', 'v128 i64 -> v128', 'simd'],
  ['f32x4.extract_lane', SIMD, 31, 'lane', 'v128 -> f32', 'simd'],
  ['f32x4.replace_lane', SIMD, 32, 'lane', 'v128 f32 -> v128', 'simd'],
  ['f64x2.extract_lane', SIMD, 33, 'lane', 'v128 -> f64', 'simd'],
  ['f64x2.replace_lane', SIMD, 34, 'lane', 'v128 f64 -> v128', 'simd'],
  ['i8x16.eq', SIMD, 35, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.ne', SIMD, 36, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.lt_s', SIMD, 37, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.lt_u', SIMD, 38, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.gt_s', SIMD, 39, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.gt_u', SIMD, 40, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.le_s', SIMD, 41, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.le_u', SIMD, 42, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.ge_s', SIMD, 43, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.ge_u', SIMD, 44, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.eq', SIMD, 45, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.ne', SIMD, 46, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.lt_s', SIMD, 47, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.lt_u', SIMD, 48, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.gt_s', SIMD, 49, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.gt_u', SIMD, 50, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.le_s', SIMD, 51, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.le_u', SIMD, 52, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.ge_s', SIMD, 53, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.ge_u', SIMD, 54, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.eq', SIMD, 55, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.ne', SIMD, 56, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.lt_s', SIMD, 57, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.lt_u', SIMD, 58, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.gt_s', SIMD, 59, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.gt_u', SIMD, 60, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.le_s', SIMD, 61, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.le_u', SIMD, 62, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.ge_s', SIMD, 63, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.ge_u', SIMD, 64, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.eq', SIMD, 65, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.ne', SIMD, 66, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.lt', SIMD, 67, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.gt', SIMD, 68, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.le', SIMD, 69, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.ge', SIMD, 70, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.eq', SIMD, 71, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.ne', SIMD, 72, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.lt', SIMD, 73, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.gt', SIMD, 74, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.le', SIMD, 75, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.ge', SIMD, 76, 'none', 'v128 v128 -> v128', 'simd'],
  ['v128.not', SIMD, 77, 'none', 'v128 -> v128', 'simd'],
  ['v128.and', SIMD, 78, 'none', 'v128 v128 -> v128', 'simd'],
  ['v128.andnot', SIMD, 79, 'none', 'v128 v128 -> v128', 'simd'],
  ['v128.or', SIMD, 80, 'none', 'v128 v128 -> v128', 'simd'],
  ['v128.xor', SIMD, 81, 'none', 'v128 v128 -> v128', 'simd'],
  ['v128.bitselect', SIMD, 82, 'none', 'v128 v128 v128 -> v128', 'simd'],
  ['v128.any_true', SIMD, 83, 'none', 'v128 -> i32', 'simd'],
  ['v128.load8_lane', SIMD, 84, 'memarg_lane', 'addr v128 -> v128', 'simd', 0],
  ['v128.load16_lane', SIMD, 85, 'memarg_lane', 'addr v128 -> v128', 'simd', 1],
  ['v128.load32_lane', SIMD, 86, 'memarg_lane', 'addr v128 -> v128', 'simd', 2],
  ['v128.load64_lane', SIMD, 87, 'memarg_lane', 'addr v128 -> v128', 'simd', 3],
  ['v128.store8_lane', SIMD, 88, 'memarg_lane', 'addr v128 -> ', 'simd', 0],
  ['v128.store16_lane', SIMD, 89, 'memarg_lane', 'addr v128 -> ', 'simd', 1],
  ['v128.store32_lane', SIMD, 90, 'memarg_lane', 'addr v128 -> ', 'simd', 2],
  ['v128.store64_lane', SIMD, 91, 'memarg_lane', 'addr v128 -> ', 'simd', 3],
  ['v128.load32_zero', SIMD, 92, 'memarg', 'addr -> v128', 'simd', 2],
  ['v128.load64_zero', SIMD, 93, 'memarg', 'addr -> v128', 'simd', 3],
  ['f32x4.demote_f64x2_zero', SIMD, 94, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.promote_low_f32x4', SIMD, 95, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.abs', SIMD, 96, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.neg', SIMD, 97, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.popcnt', SIMD, 98, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.all_true', SIMD, 99, 'none', 'v128 -> i32', 'simd'],
  ['i8x16.bitmask', SIMD, 100, 'none', 'v128 -> i32', 'simd'],
  ['i8x16.narrow_i16x8_s', SIMD, 101, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.narrow_i16x8_u', SIMD, 102, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.ceil', SIMD, 103, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.floor', SIMD, 104, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.trunc', SIMD, 105, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.nearest', SIMD, 106, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.shl', SIMD, 107, 'none', 'v128 i32 -> v128', 'simd'],
  ['i8x16.shr_s', SIMD, 108, 'none', 'v128 i32 -> v128', 'simd'],
  ['i8x16.shr_u', SIMD, 109, 'none', 'v128 i32 -> v128', 'simd'],
  ['i8x16.add', SIMD, 110, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.add_sat_s', SIMD, 111, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.add_sat_u', SIMD, 112, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.sub', SIMD, 113, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.sub_sat_s', SIMD, 114, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.sub_sat_u', SIMD, 115, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.ceil', SIMD, 116, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.floor', SIMD, 117, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.min_s', SIMD, 118, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.min_u', SIMD, 119, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.max_s', SIMD, 120, 'none', 'v128 v128 -> v128', 'simd'],
  ['i8x16.max_u', SIMD, 121, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.trunc', SIMD, 122, 'none', 'v128 -> v128', 'simd'],
  ['i8x16.avgr_u', SIMD, 123, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extadd_pairwise_i8x16_s', SIMD, 124, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.extadd_pairwise_i8x16_u', SIMD, 125, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.extadd_pairwise_i16x8_s', SIMD, 126, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.extadd_pairwise_i16x8_u', SIMD, 127, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.abs', SIMD, 128, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.neg', SIMD, 129, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.q15mulr_sat_s', SIMD, 130, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.all_true', SIMD, 131, 'none', 'v128 -> i32', 'simd'],
  ['i16x8.bitmask', SIMD, 132, 'none', 'v128 -> i32', 'simd'],
  ['i16x8.narrow_i32x4_s', SIMD, 133, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.narrow_i32x4_u', SIMD, 134, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extend_low_i8x16_s', SIMD, 135, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.extend_high_i8x16_s', SIMD, 136, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.extend_low_i8x16_u', SIMD, 137, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.extend_high_i8x16_u', SIMD, 138, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.shl', SIMD, 139, 'none', 'v128 i32 -> v128', 'simd'],
  ['i16x8.shr_s', SIMD, 140, 'none', 'v128 i32 -> v128', 'simd'],
  ['i16x8.shr_u', SIMD, 141, 'none', 'v128 i32 -> v128', 'simd'],
  ['i16x8.add', SIMD, 142, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.add_sat_s', SIMD, 143, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.add_sat_u', SIMD, 144, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.sub', SIMD, 145, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.sub_sat_s', SIMD, 146, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.sub_sat_u', SIMD, 147, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.nearest', SIMD, 148, 'none', 'v128 -> v128', 'simd'],
  ['i16x8.mul', SIMD, 149, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.min_s', SIMD, 150, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.min_u', SIMD, 151, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.max_s', SIMD, 152, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.max_u', SIMD, 153, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.avgr_u', SIMD, 155, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extmul_low_i8x16_s', SIMD, 156, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extmul_high_i8x16_s', SIMD, 157, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extmul_low_i8x16_u', SIMD, 158, 'none', 'v128 v128 -> v128', 'simd'],
  ['i16x8.extmul_high_i8x16_u', SIMD, 159, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.abs', SIMD, 160, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.neg', SIMD, 161, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.all_true', SIMD, 163, 'none', 'v128 -> i32', 'simd'],
  ['i32x4.bitmask', SIMD, 164, 'none', 'v128 -> i32', 'simd'],
  ['i32x4.extend_low_i16x8_s', SIMD, 167, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.extend_high_i16x8_s', SIMD, 168, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.extend_low_i16x8_u', SIMD, 169, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.extend_high_i16x8_u', SIMD, 170, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.shl', SIMD, 171, 'none', 'v128 i32 -> v128', 'simd'],
  ['i32x4.shr_s', SIMD, 172, 'none', 'v128 i32 -> v128', 'simd'],
  ['i32x4.shr_u', SIMD, 173, 'none', 'v128 i32 -> v128', 'simd'],
  ['i32x4.add', SIMD, 174, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.sub', SIMD, 177, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.mul', SIMD, 181, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.min_s', SIMD, 182, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.min_u', SIMD, 183, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.max_s', SIMD, 184, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.max_u', SIMD, 185, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.dot_i16x8_s', SIMD, 186, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.extmul_low_i16x8_s', SIMD, 188, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.extmul_high_i16x8_s', SIMD, 189, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.extmul_low_i16x8_u', SIMD, 190, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.extmul_high_i16x8_u', SIMD, 191, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.abs', SIMD, 192, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.neg', SIMD, 193, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.all_true', SIMD, 195, 'none', 'v128 -> i32', 'simd'],
  ['i64x2.bitmask', SIMD, 196, 'none', 'v128 -> i32', 'simd'],
  ['i64x2.extend_low_i32x4_s', SIMD, 199, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.extend_high_i32x4_s', SIMD, 200, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.extend_low_i32x4_u', SIMD, 201, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.extend_high_i32x4_u', SIMD, 202, 'none', 'v128 -> v128', 'simd'],
  ['i64x2.shl', SIMD, 203, 'none', 'v128 i32 -> v128', 'simd'],
  ['i64x2.shr_s', SIMD, 204, 'none', 'v128 i32 -> v128', 'simd'],
  ['i64x2.shr_u', SIMD, 205, 'none', 'v128 i32 -> v128', 'simd'],
  ['i64x2.add', SIMD, 206, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.sub', SIMD, 209, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.mul', SIMD, 213, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.eq', SIMD, 214, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.ne', SIMD, 215, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.lt_s', SIMD, 216, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.gt_s', SIMD, 217, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.le_s', SIMD, 218, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.ge_s', SIMD, 219, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.extmul_low_i32x4_s', SIMD, 220, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.extmul_high_i32x4_s', SIMD, 221, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.extmul_low_i32x4_u', SIMD, 222, 'none', 'v128 v128 -> v128', 'simd'],
  ['i64x2.extmul_high_i32x4_u', SIMD, 223, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.abs', SIMD, 224, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.neg', SIMD, 225, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.sqrt', SIMD, 227, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.add', SIMD, 228, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.sub', SIMD, 229, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.mul', SIMD, 230, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.div', SIMD, 231, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.min', SIMD, 232, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.max', SIMD, 233, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.pmin', SIMD, 234, 'none', 'v128 v128 -> v128', 'simd'],
  ['f32x4.pmax', SIMD, 235, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.abs', SIMD, 236, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.neg', SIMD, 237, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.sqrt', SIMD, 239, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.add', SIMD, 240, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.sub', SIMD, 241, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.mul', SIMD, 242, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.div', SIMD, 243, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.min', SIMD, 244, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.max', SIMD, 245, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.pmin', SIMD, 246, 'none', 'v128 v128 -> v128', 'simd'],
  ['f64x2.pmax', SIMD, 247, 'none', 'v128 v128 -> v128', 'simd'],
  ['i32x4.trunc_sat_f32x4_s', SIMD, 248, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.trunc_sat_f32x4_u', SIMD, 249, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.convert_i32x4_s', SIMD, 250, 'none', 'v128 -> v128', 'simd'],
  ['f32x4.convert_i32x4_u', SIMD, 251, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.trunc_sat_f64x2_s_zero', SIMD, 252, 'none', 'v128 -> v128', 'simd'],
  ['i32x4.trunc_sat_f64x2_u_zero', SIMD, 253, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.convert_low_i32x4_s', SIMD, 254, 'none', 'v128 -> v128', 'simd'],
  ['f64x2.convert_low_i32x4_u', SIMD, 255, 'none', 'v128 -> v128', 'simd'],
  // --- relaxed SIMD (0xFD 256-275, i.e. 0x100-0x113) ---
  ['i8x16.relaxed_swizzle', SIMD, 256, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_trunc_f32x4_s', SIMD, 257, 'none', 'v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_trunc_f32x4_u', SIMD, 258, 'none', 'v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_trunc_f64x2_s_zero', SIMD, 259, 'none', 'v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_trunc_f64x2_u_zero', SIMD, 260, 'none', 'v128 -> v128', 'relaxed-simd'],
  ['f32x4.relaxed_madd', SIMD, 261, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['f32x4.relaxed_nmadd', SIMD, 262, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['f64x2.relaxed_madd', SIMD, 263, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['f64x2.relaxed_nmadd', SIMD, 264, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['i8x16.relaxed_laneselect', SIMD, 265, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['i16x8.relaxed_laneselect', SIMD, 266, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_laneselect', SIMD, 267, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['i64x2.relaxed_laneselect', SIMD, 268, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  ['f32x4.relaxed_min', SIMD, 269, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['f32x4.relaxed_max', SIMD, 270, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['f64x2.relaxed_min', SIMD, 271, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['f64x2.relaxed_max', SIMD, 272, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['i16x8.relaxed_q15mulr_s', SIMD, 273, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['i16x8.relaxed_dot_i8x16_i7x16_s', SIMD, 274, 'none', 'v128 v128 -> v128', 'relaxed-simd'],
  ['i32x4.relaxed_dot_i8x16_i7x16_add_s', SIMD, 275, 'none', 'v128 v128 v128 -> v128', 'relaxed-simd'],
  // --- threads (0xFE) ---
  ['memory.atomic.notify', ATOM, 0x00, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['memory.atomic.wait32', ATOM, 0x01, 'memarg', 'addr i32 i64 -> i32', 'threads', 2],
  ['memory.atomic.wait64', ATOM, 0x02, 'memarg', 'addr i64 i64 -> i32', 'threads', 3],
  ['atomic.fence', ATOM, 0x03, 'atomic_fence', ' -> ', 'threads'],
  ['i32.atomic.load', ATOM, 0x10, 'memarg', 'addr -> i32', 'threads', 2],
  ['i64.atomic.load', ATOM, 0x11, 'memarg', 'addr -> i64', 'threads', 3],
  ['i32.atomic.load8_u', ATOM, 0x12, 'memarg', 'addr -> i32', 'threads', 0],
  ['i32.atomic.load16_u', ATOM, 0x13, 'memarg', 'addr -> i32', 'threads', 1],
  ['i64.atomic.load8_u', ATOM, 0x14, 'memarg', 'addr -> i64', 'threads', 0],
  ['i64.atomic.load16_u', ATOM, 0x15, 'memarg', 'addr -> i64', 'threads', 1],
  ['i64.atomic.load32_u', ATOM, 0x16, 'memarg', 'addr -> i64', 'threads', 2],
  ['i32.atomic.store', ATOM, 0x17, 'memarg', 'addr i32 -> ', 'threads', 2],
  ['i64.atomic.store', ATOM, 0x18, 'memarg', 'addr i64 -> ', 'threads', 3],
  ['i32.atomic.store8', ATOM, 0x19, 'memarg', 'addr i32 -> ', 'threads', 0],
  ['i32.atomic.store16', ATOM, 0x1a, 'memarg', 'addr i32 -> ', 'threads', 1],
  ['i64.atomic.store8', ATOM, 0x1b, 'memarg', 'addr i64 -> ', 'threads', 0],
  ['i64.atomic.store16', ATOM, 0x1c, 'memarg', 'addr i64 -> ', 'threads', 1],
  ['i64.atomic.store32', ATOM, 0x1d, 'memarg', 'addr i64 -> ', 'threads', 2],
  ['i32.atomic.rmw.add', ATOM, 0x1e, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.add', ATOM, 0x1f, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.add_u', ATOM, 0x20, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.add_u', ATOM, 0x21, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.add_u', ATOM, 0x22, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.add_u', ATOM, 0x23, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.add_u', ATOM, 0x24, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.sub', ATOM, 0x25, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.sub', ATOM, 0x26, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.sub_u', ATOM, 0x27, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.sub_u', ATOM, 0x28, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.sub_u', ATOM, 0x29, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.sub_u', ATOM, 0x2a, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.sub_u', ATOM, 0x2b, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.and', ATOM, 0x2c, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.and', ATOM, 0x2d, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.and_u', ATOM, 0x2e, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.and_u', ATOM, 0x2f, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.and_u', ATOM, 0x30, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.and_u', ATOM, 0x31, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.and_u', ATOM, 0x32, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.or', ATOM, 0x33, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.or', ATOM, 0x34, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.or_u', ATOM, 0x35, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.or_u', ATOM, 0x36, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.or_u', ATOM, 0x37, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.or_u', ATOM, 0x38, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.or_u', ATOM, 0x39, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.xor', ATOM, 0x3a, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.xor', ATOM, 0x3b, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.xor_u', ATOM, 0x3c, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.xor_u', ATOM, 0x3d, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.xor_u', ATOM, 0x3e, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.xor_u', ATOM, 0x3f, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.xor_u', ATOM, 0x40, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.xchg', ATOM, 0x41, 'memarg', 'addr i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.xchg', ATOM, 0x42, 'memarg', 'addr i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.xchg_u', ATOM, 0x43, 'memarg', 'addr i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.xchg_u', ATOM, 0x44, 'memarg', 'addr i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.xchg_u', ATOM, 0x45, 'memarg', 'addr i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.xchg_u', ATOM, 0x46, 'memarg', 'addr i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.xchg_u', ATOM, 0x47, 'memarg', 'addr i64 -> i64', 'threads', 2],
  ['i32.atomic.rmw.cmpxchg', ATOM, 0x48, 'memarg', 'addr i32 i32 -> i32', 'threads', 2],
  ['i64.atomic.rmw.cmpxchg', ATOM, 0x49, 'memarg', 'addr i64 i64 -> i64', 'threads', 3],
  ['i32.atomic.rmw8.cmpxchg_u', ATOM, 0x4a, 'memarg', 'addr i32 i32 -> i32', 'threads', 0],
  ['i32.atomic.rmw16.cmpxchg_u', ATOM, 0x4b, 'memarg', 'addr i32 i32 -> i32', 'threads', 1],
  ['i64.atomic.rmw8.cmpxchg_u', ATOM, 0x4c, 'memarg', 'addr i64 i64 -> i64', 'threads', 0],
  ['i64.atomic.rmw16.cmpxchg_u', ATOM, 0x4d, 'memarg', 'addr i64 i64 -> i64', 'threads', 1],
  ['i64.atomic.rmw32.cmpxchg_u', ATOM, 0x4e, 'memarg', 'addr i64 i64 -> i64', 'threads', 2],
];

/** Every instruction; an instruction's `op` is its index here. */
export const INSTRUCTIONS: readonly InstrInfo[] = ROWS.map(
  ([name, prefix, code, imm, sig, feature, natural]): InstrInfo => ({
    name,
    prefix,
    code,
    imm,
    sig,
    feature,
    natural: natural ?? -1,
  }),
);

const byName = new Map<string, number>();
for (let op = 0; op < INSTRUCTIONS.length; op++) {
  const name = INSTRUCTIONS[op]!.name;
  if (byName.has(name)) throw new Error(`instruction table: duplicate name ${name}`);
  byName.set(name, op);
}

/** The table row for a text mnemonic, or undefined. */
export function opByName(name: string): number | undefined {
  return byName.get(name);
}

/** The table row for a mnemonic that must exist (for use by code, not on input). */
export function op(name: string): number {
  const found = byName.get(name);
  if (found === undefined) throw new Error(`instruction table: no instruction ${name}`);
  return found;
}

/**
 * Opcode → row. One-byte opcodes index `byCode` directly; prefixed ones are keyed by
 * `prefix << 24 | code` (sub-opcodes are below 2^24).
 * Two binary opcodes share a row with another code: 0x1C (typed select) → `select`,
 * and 0xFB 0x15 / 0xFB 0x17 (nullable ref.test / ref.cast) → `ref.test` / `ref.cast`.
 */
const oneByte = new Int32Array(256).fill(-1);
const prefixed = new Map<number, number>();
for (let op = 0; op < INSTRUCTIONS.length; op++) {
  const { prefix, code } = INSTRUCTIONS[op]!;
  if (prefix === 0) oneByte[code] = op;
  else prefixed.set(prefix * 0x1000000 + code, op);
}
{
  const select = byName.get('select');
  if (select !== undefined) oneByte[0x1c] = select;
  const test = byName.get('ref.test');
  if (test !== undefined) prefixed.set(GC * 0x1000000 + 0x15, test);
  const cast = byName.get('ref.cast');
  if (cast !== undefined) prefixed.set(GC * 0x1000000 + 0x17, cast);
}

/** Row for a one-byte opcode, or -1. */
export function opByCode(code: number): number {
  return oneByte[code]!;
}

/** Row for a prefixed opcode, or -1. */
export function opByPrefixedCode(prefix: number, code: number): number {
  if (code >= 0x1000000) return -1;
  return prefixed.get(prefix * 0x1000000 + code) ?? -1;
}

const shared: Instruction[] = INSTRUCTIONS.map((info, op) =>
  Object.freeze({ op, imm: null }),
);

/** A shared instruction object for an instruction without immediates. */
export function simple(op: number): Instruction {
  return shared[op]!;
}

/** A type in a row's `sig`: a value type, or `addr` for the memory's address type. */
export type SigType = ValType | 'addr';

export interface Sig {
  readonly params: readonly SigType[];
  readonly results: readonly SigType[];
}

/** Nullable reference shorthands of the text format (spec §6.4.2). */
const REF_SHORTHANDS: Readonly<Record<string, AbsHeapType>> = {
  funcref: 'func', nullfuncref: 'nofunc',
  externref: 'extern', nullexternref: 'noextern',
  anyref: 'any', eqref: 'eq', i31ref: 'i31', structref: 'struct', arrayref: 'array',
  nullref: 'none', exnref: 'exn', nullexnref: 'noexn',
};

/** A `sig` token as a type, or null if it is not one. */
export function parseSigType(token: string): SigType | null {
  switch (token) {
    case 'i32': case 'i64': case 'f32': case 'f64': case 'v128': case 'addr':
      return token;
  }
  const heap = Object.hasOwn(REF_SHORTHANDS, token) ? REF_SHORTHANDS[token] : undefined;
  return heap === undefined ? null : { kind: 'ref', nullable: true, heap };
}

/** Parses a `sig` string; throws on a malformed one (a bug in the table). */
export function parseSig(sig: string): Sig {
  const parts = sig.split(' -> ');
  if (parts.length !== 2) throw new Error(`instruction table: bad signature "${sig}"`);
  const side = (text: string): SigType[] =>
    text === ''
      ? []
      : text.split(' ').map((token) => {
          const type = parseSigType(token);
          if (type === null) throw new Error(`instruction table: bad type "${token}" in "${sig}"`);
          return type;
        });
  return { params: side(parts[0]!), results: side(parts[1]!) };
}

const sigs: (Sig | null | undefined)[] = new Array(INSTRUCTIONS.length);

/** The parsed fixed type of an instruction, or null where the validator computes it. */
export function sigOf(op: number): Sig | null {
  let found = sigs[op];
  if (found === undefined) {
    const sig = INSTRUCTIONS[op]!.sig;
    found = sigs[op] = sig === null ? null : parseSig(sig);
  }
  return found;
}
