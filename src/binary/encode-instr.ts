// Encoding instructions (spec §5.4 "Instructions"): opcode bytes from the instruction
// table, then the immediates its row's kind names. The kind and the opcode bytes of every
// row are precomputed into typed arrays; the common kinds are written straight into the
// buffer; nothing is allocated per instruction.

import { EncodeError } from '../model/errors.ts';
import type {
  ArrayData,
  ArrayElem,
  ArrayFixed,
  BrOnCast,
  BrTable,
  CallIndirect,
  IndexPair,
  Instruction,
  MemArg,
  MemArgLane,
  MemoryInit,
  StructField,
  TableInit,
  TryTable,
} from '../model/instruction.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import type { BlockType, Expr, HeapType, RefType, ValType } from '../model/types.ts';
import { writeS32, writeU32 } from './leb128.ts';
import { encodeBlockType, encodeHeapType, encodeValTypes } from './encode-types.ts';
import { IMM_KIND } from './imm-kinds.ts';
import { ByteWriter } from './writer.ts';

const IMM_KINDS = IMM_KIND;

/** Marks a table row the encoder cannot use (unknown kind or an impossible opcode). */
const BAD_ROW = 255;

/** Bytes that any instruction with fixed-size immediates can need (memarg_lane: 23). */
const FIXED_MAX = 32;

const OP_COUNT = INSTRUCTIONS.length;
/** Immediate kind of each row (an IMM_KINDS value, or BAD_ROW). */
const OP_IMM = new Uint8Array(OP_COUNT);
const OP_PREFIX = new Uint8Array(OP_COUNT);
const OP_CODE = new Uint32Array(OP_COUNT);
/** The opcode's bytes (prefix, then the sub-opcode's LEB128) packed little-endian… */
const OP_BYTES = new Uint32Array(OP_COUNT);
/** …and how many there are (1–4). */
const OP_LEN = new Uint8Array(OP_COUNT);
for (let op = 0; op < OP_COUNT; op++) {
  const info = INSTRUCTIONS[op]!;
  const kind = (IMM_KINDS as Record<string, number>)[info.imm];
  const { prefix, code } = info;
  let ok = kind !== undefined && Number.isInteger(code) && code >= 0;
  if (prefix === 0) {
    ok &&= code <= 0xff;
    OP_BYTES[op] = code;
    OP_LEN[op] = 1;
  } else {
    // Sub-opcodes below 2^21 take at most three LEB128 bytes; no larger ones exist.
    ok &&= prefix >= 0xfb && prefix <= 0xfe && code < 0x200000;
    let bytes = prefix;
    let len = 1;
    let v = code;
    while (v >= 0x80) {
      bytes |= ((v & 0x7f) | 0x80) << (8 * len++);
      v >>>= 7;
    }
    bytes |= v << (8 * len++);
    OP_BYTES[op] = bytes >>> 0;
    OP_LEN[op] = len;
  }
  OP_IMM[op] = ok ? kind! : BAD_ROW;
  OP_PREFIX[op] = prefix;
  OP_CODE[op] = ok ? code : 0;
}

/** Writes the opcode of row `op` at `pos` (room is ensured); returns the position after. */
function putOpcode(buf: Uint8Array, pos: number, op: number): number {
  const bytes = OP_BYTES[op]!;
  const len = OP_LEN[op]!;
  buf[pos] = bytes;
  if (len === 1) return pos + 1;
  buf[pos + 1] = bytes >>> 8;
  if (len === 2) return pos + 2;
  buf[pos + 2] = bytes >>> 16;
  if (len === 3) return pos + 3;
  buf[pos + 3] = bytes >>> 24;
  return pos + 4;
}

function encodeMemArg(w: ByteWriter, m: MemArg): void {
  const align = m.align;
  const memory = m.memory;
  if (align >>> 0 !== align || align >= 64) throw new EncodeError(`invalid alignment exponent ${align}`);
  if (memory === 0) w.u8(align);
  else {
    w.u8(align | 0x40);
    w.u32(memory);
  }
  w.u64(m.offset);
}

function encodeLaneIndex(w: ByteWriter, lane: number): void {
  if (lane >>> 0 !== lane || lane > 0xff) throw new EncodeError(`invalid lane index ${lane}`);
  w.u8(lane);
}

function encode16Bytes(w: ByteWriter, bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
    throw new EncodeError(`${what} immediate must be 16 bytes`);
  }
  w.bytes(bytes);
}

function catchCode(kind: string): number {
  switch (kind) {
    case 'catch': return 0;
    case 'catch_ref': return 1;
    case 'catch_all': return 2;
    case 'catch_all_ref': return 3;
    default: throw new EncodeError(`invalid catch kind ${kind}`);
  }
}

function badRow(op: number): EncodeError {
  if (op >>> 0 !== op || op >= OP_COUNT) return new EncodeError(`unknown instruction (op ${op})`);
  const info = INSTRUCTIONS[op]!;
  return new EncodeError(
    `instruction ${info.name} cannot be encoded (bad table row: ` +
      `prefix ${info.prefix}, code ${info.code}, imm ${info.imm})`,
  );
}

/**
 * Writes one instruction: its opcode, then its immediates. The common kinds (no
 * immediate, an index, i32.const, a memarg, a block type) are written straight into the
 * buffer here; the others by `encodeOther`. (Keeping the rare kinds out of this function
 * keeps it small and its type feedback complete early: V8 deoptimizes an optimized
 * function whenever it reaches code it has not run before, such as the first i64.const
 * of a module.)
 */
export function encodeInstruction(w: ByteWriter, instr: Instruction): void {
  const op = instr.op;
  const kind = op >>> 0 === op && op < OP_COUNT ? OP_IMM[op]! : BAD_ROW;
  const imm = instr.imm;
  if (w.pos + FIXED_MAX > w.cap) w.ensure(FIXED_MAX);
  const buf = w.buf;
  let pos = w.pos;
  switch (kind) {
    case 0: // none
      w.pos = putOpcode(buf, pos, op);
      return;
    case 3: // label
    case 6: // func
    case 8: // type
    case 9: // local
    case 10: // global
    case 11: // table
    case 12: // memory
    case 13: // tag
    case 14: // elem
    case 15: { // data
      const v = imm as number;
      if (v >>> 0 !== v) throw new EncodeError(`index out of u32 range: ${String(v)}`);
      pos = putOpcode(buf, pos, op);
      if (v < 0x80) buf[pos++] = v;
      else pos = writeU32(buf, pos, v);
      w.pos = pos;
      return;
    }
    case 24: { // i32
      const v = imm as number;
      if ((v | 0) !== v) throw new EncodeError(`i32 constant out of s32 range: ${String(v)}`);
      pos = putOpcode(buf, pos, op);
      if (v < 0x40 && v >= -0x40) buf[pos++] = v & 0x7f;
      else pos = writeS32(buf, pos, v);
      w.pos = pos;
      return;
    }
    case 20: { // memarg
      const m = imm as MemArg;
      const align = m.align;
      const memory = m.memory;
      const offset = m.offset;
      if (align >>> 0 !== align || align >= 64) throw new EncodeError(`invalid alignment exponent ${align}`);
      pos = putOpcode(buf, pos, op);
      if (memory === 0) buf[pos++] = align;
      else {
        if (memory >>> 0 !== memory) throw new EncodeError(`invalid memory index ${memory}`);
        buf[pos++] = align | 0x40;
        pos = writeU32(buf, pos, memory);
      }
      w.pos = pos;
      w.u64(offset);
      return;
    }
    case 1: { // block
      pos = putOpcode(buf, pos, op);
      if (imm === null) {
        buf[pos] = 0x40;
        w.pos = pos + 1;
      } else {
        w.pos = pos;
        encodeBlockType(w, imm as BlockType);
      }
      return;
    }
    default:
      encodeOther(w, op, kind, imm);
  }
}

/** `encodeInstruction` for the less common immediate kinds (room is ensured). */
function encodeOther(w: ByteWriter, op: number, kind: number, imm: unknown): void {
  const buf = w.buf;
  const pos = w.pos;
  switch (kind) {
    case 25: // i64
      w.pos = putOpcode(buf, pos, op);
      w.s64(imm as bigint);
      return;
    case 26: // f32
      w.pos = putOpcode(buf, pos, op);
      w.f32(imm as number);
      return;
    case 27: // f64
      w.pos = putOpcode(buf, pos, op);
      w.f64(imm as bigint);
      return;
    case 4: { // br_table
      w.pos = putOpcode(buf, pos, op);
      const bt = imm as BrTable;
      w.u32Vec(bt.targets);
      w.u32(bt.default);
      return;
    }
    case 7: { // call_indirect
      w.pos = putOpcode(buf, pos, op);
      const ci = imm as CallIndirect;
      w.u32(ci.type);
      w.u32(ci.table);
      return;
    }
    case 29: { // select: 0x1B untyped, 0x1C with a vector of types
      const types = imm as readonly ValType[] | null;
      if (types === null) {
        buf[pos] = 0x1b;
        w.pos = pos + 1;
      } else {
        buf[pos] = 0x1c;
        w.pos = pos + 1;
        encodeValTypes(w, types);
      }
      return;
    }
    case 30: // heap_type
      w.pos = putOpcode(buf, pos, op);
      encodeHeapType(w, imm as HeapType);
      return;
    case 31: { // ref_type: ref.test / ref.cast; the nullable form is the next opcode
      const rt = imm as RefType;
      w.u8(OP_PREFIX[op]!);
      w.u32(OP_CODE[op]! + (rt.nullable ? 1 : 0));
      encodeHeapType(w, rt.heap);
      return;
    }
    case 5: { // br_on_cast: flags (bit 0 source nullable, bit 1 target nullable), label, types
      w.pos = putOpcode(buf, pos, op);
      const bc = imm as BrOnCast;
      w.u8((bc.from.nullable ? 1 : 0) | (bc.to.nullable ? 2 : 0));
      w.u32(bc.label);
      encodeHeapType(w, bc.from.heap);
      encodeHeapType(w, bc.to.heap);
      return;
    }
    case 2: { // try_table
      w.pos = putOpcode(buf, pos, op);
      const tt = imm as TryTable;
      encodeBlockType(w, tt.type);
      const catches = tt.catches;
      w.u32(catches.length);
      for (let i = 0; i < catches.length; i++) {
        const c = catches[i]!;
        const code = catchCode(c.kind);
        w.u8(code);
        if (code < 2) {
          if (c.tag === null) throw new EncodeError(`${c.kind} clause needs a tag`);
          w.u32(c.tag);
        }
        w.u32(c.label);
      }
      return;
    }
    case 16: { // table_init: elem, then table
      w.pos = putOpcode(buf, pos, op);
      const ti = imm as TableInit;
      w.u32(ti.elem);
      w.u32(ti.table);
      return;
    }
    case 18: { // memory_init: data, then memory
      w.pos = putOpcode(buf, pos, op);
      const mi = imm as MemoryInit;
      w.u32(mi.data);
      w.u32(mi.memory);
      return;
    }
    case 17: // table_copy
    case 19: // memory_copy
    case 36: { // array_copy: destination, then source
      w.pos = putOpcode(buf, pos, op);
      const p = imm as IndexPair;
      w.u32(p.dst);
      w.u32(p.src);
      return;
    }
    case 21: { // memarg_lane
      w.pos = putOpcode(buf, pos, op);
      const ml = imm as MemArgLane;
      encodeMemArg(w, ml.memarg);
      encodeLaneIndex(w, ml.lane);
      return;
    }
    case 22: // lane
      w.pos = putOpcode(buf, pos, op);
      encodeLaneIndex(w, imm as number);
      return;
    case 23: // shuffle
      w.pos = putOpcode(buf, pos, op);
      encode16Bytes(w, imm as Uint8Array, 'shuffle');
      return;
    case 28: // v128
      w.pos = putOpcode(buf, pos, op);
      encode16Bytes(w, imm as Uint8Array, 'v128.const');
      return;
    case 32: { // struct_field
      w.pos = putOpcode(buf, pos, op);
      const sf = imm as StructField;
      w.u32(sf.type);
      w.u32(sf.field);
      return;
    }
    case 33: { // array_fixed
      w.pos = putOpcode(buf, pos, op);
      const af = imm as ArrayFixed;
      w.u32(af.type);
      w.u32(af.length);
      return;
    }
    case 34: { // array_data
      w.pos = putOpcode(buf, pos, op);
      const ad = imm as ArrayData;
      w.u32(ad.type);
      w.u32(ad.data);
      return;
    }
    case 35: { // array_elem
      w.pos = putOpcode(buf, pos, op);
      const ae = imm as ArrayElem;
      w.u32(ae.type);
      w.u32(ae.elem);
      return;
    }
    case 37: { // atomic_fence: one reserved zero byte
      const end = putOpcode(buf, pos, op);
      buf[end] = 0x00;
      w.pos = end + 1;
      return;
    }
    default:
      throw badRow(op);
  }
}

/**
 * Writes an expression (constant expression or function body) and its final `end`.
 * A malformed immediate (wrong shape for its kind) becomes an EncodeError naming the
 * instruction.
 */
export function encodeExpr(w: ByteWriter, expr: Expr): void {
  // The loop is a function of its own, without a try/catch: a long body then gets
  // optimized on-stack inside `encodeInstrs`, and the code after the loop here keeps its
  // type feedback (an OSR'd loop followed by unvisited code deoptimized on every call).
  try {
    encodeInstrs(w, expr);
  } catch (e) {
    throw exprError(e, expr);
  }
  w.u8(0x0b);
}

function encodeInstrs(w: ByteWriter, expr: Expr): void {
  const n = expr.length;
  for (let i = 0; i < n; i++) encodeInstruction(w, expr[i]!);
}

/**
 * The error for a failed `encodeExpr`: finds the instruction that fails (encoding each
 * again into a scratch writer) to name it and its index.
 */
function exprError(e: unknown, expr: Expr): EncodeError {
  const scratch = new ByteWriter(64);
  for (let i = 0; i < expr.length; i++) {
    scratch.reset();
    try {
      encodeInstruction(scratch, expr[i]!);
    } catch {
      return instructionError(e, expr[i], i);
    }
  }
  return e instanceof EncodeError ? e : new EncodeError(`malformed expression: ${messageOf(e)}`, { cause: e });
}

function instructionError(e: unknown, instr: Instruction | undefined, index: number): EncodeError {
  const info = instr !== null && typeof instr === 'object' ? INSTRUCTIONS[instr.op] : undefined;
  const where = `${info ? info.name : 'instruction'} at index ${index}`;
  if (e instanceof EncodeError) return new EncodeError(`${e.message} (${where})`, { cause: e });
  return new EncodeError(`malformed immediate for ${where}: ${messageOf(e)}`, { cause: e });
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
