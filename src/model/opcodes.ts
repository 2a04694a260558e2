// The instruction table (spec §5.4 binary opcodes, §6.5 text names): the single source of
// truth for every instruction's name, opcode, immediates, type and feature. The decoder,
// encoder, parser, printer and validator all read it; adding an instruction is one row.

import type { Feature } from './features.ts';
import type { ImmKind, Instruction } from './instruction.ts';

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
   * `"i32 i32 -> i32"`; null where the validator must compute it (polymorphic or
   * index-dependent instructions).
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
  // --- numeric examples (the rest of the table follows the same pattern) ---
  ['i32.const', P0, 0x41, 'i32', ' -> i32', 'mvp'],
  ['i64.const', P0, 0x42, 'i64', ' -> i64', 'mvp'],
  ['f32.const', P0, 0x43, 'f32', ' -> f32', 'mvp'],
  ['f64.const', P0, 0x44, 'f64', ' -> f64', 'mvp'],
  ['i32.load', P0, 0x28, 'memarg', null, 'mvp', 2],
  ['i32.add', P0, 0x6a, 'none', 'i32 i32 -> i32', 'mvp'],
  ['memory.copy', MISC, 10, 'memory_copy', null, 'bulk-memory'],
  ['ref.null', P0, 0xd0, 'heap_type', null, 'reference-types'],
  ['struct.get', GC, 2, 'struct_field', null, 'gc'],
  ['v128.const', SIMD, 12, 'v128', ' -> v128', 'simd'],
  ['memory.atomic.notify', ATOM, 0x00, 'memarg', null, 'threads', 2],
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
