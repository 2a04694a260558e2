// Decoding instructions (spec §5.4 "Instructions"): the opcode (one byte, or a prefix
// byte 0xFB/0xFC/0xFD/0xFE and a u32 sub-opcode), then the immediates its instruction
// table row names.
//
// `CodeReader.next()` reads one instruction without recursion: block structure is kept
// on a byte stack of frame kinds, so deeply nested code costs one byte per level. The
// opcode → (row, immediate kind, control effect) maps are typed arrays built once from
// the instruction table. Immediates have the model's shapes (see ImmediateOf); the
// common ones allocate nothing (indices are numbers, small memargs and bigints are
// shared), so a validator can consume `next()` directly, and `readExpr()` builds the
// model's instruction list (instructions without immediates are the shared `simple(op)`
// objects).

import type { FeatureSet } from '../model/features.ts';
import type {
  BrOnCast,
  Catch,
  CatchKind,
  Immediate,
  ImmKind,
  Instruction,
  MemArg,
} from '../model/instruction.ts';
import { INSTRUCTIONS, op as opNamed, simple } from '../model/opcodes.ts';
import type { RefType } from '../model/types.ts';
import { readBlockType, readHeapType, readValTypes } from './decode-types.ts';
import { IMM_KIND } from './imm-kinds.ts';
import { Reader, UNEXPECTED_END, smallBigInt } from './reader.ts';

// ---------------------------------------------------------------------------------------
// Tables

/**
 * Immediate kinds as small integers: the table's (./imm-kinds.ts; select is 0x1B,
 * untyped, without an immediate; ref_type is ref.test / ref.cast (ref ht)), plus typed
 * select, nullable casts, prefixes and illegal bytes. The switches below use the numbers
 * as literals, which V8 compiles to jump tables.
 */
const K = {
  ...IMM_KIND,
  // Not table kinds:
  select_typed: 38, // 0x1C
  ref_type_null: 39, // 0xFB 21 / 23: (ref null ht)
  prefix: 40, // 0xFB 0xFC 0xFD 0xFE
  illegal: 41,
} as const satisfies Record<ImmKind, number> & Record<string, number>;

/** Effect of an instruction on the block structure. */
const C = { none: 0, block: 1, if: 2, else: 3, end: 4, try: 5, catch: 6, delegate: 7 } as const;

/** Frame kinds on the control stack. */
const F = { block: 0, if: 1, else: 2, try: 3, catch: 4 } as const;

const OP_COUNT = INSTRUCTIONS.length;

/** Per row: immediate kind. */
const OP_KIND = new Uint8Array(OP_COUNT);
/** Per row: control effect. */
const OP_CTRL = new Uint8Array(OP_COUNT);
/** Per row: 1 when the instruction names a data segment (needs the data count section). */
const OP_USES_DATA = new Uint8Array(OP_COUNT);

/** One-byte opcodes: row and kind (kind `prefix` for prefix bytes, `illegal` for none). */
const BYTE_OP = new Int16Array(256).fill(-1);
const BYTE_KIND = new Uint8Array(256).fill(K.illegal);

/** One-byte opcodes: `row | kind << 16` (row 0xFFFF: none), for the fast path. */
const BYTE_INFO = new Int32Array(256);

/** Prefixed opcodes, per prefix (index `prefix - 0xFB`): row and kind by sub-opcode. */
const SUB_OP: Int16Array[] = [];
const SUB_KIND: Uint8Array[] = [];

/** Shared instruction objects for rows without immediates. */
const SIMPLE: Instruction[] = [];

{
  const maxSub = [0, 0, 0, 0];
  for (let op = 0; op < OP_COUNT; op++) {
    const info = INSTRUCTIONS[op]!;
    const kind = (K as Record<string, number>)[info.imm];
    if (kind === undefined) throw new Error(`decoder: unknown immediate kind ${info.imm}`);
    OP_KIND[op] = kind;
    SIMPLE.push(simple(op));
    if (info.prefix !== 0) {
      const p = info.prefix - 0xfb;
      maxSub[p] = Math.max(maxSub[p]!, info.code + 1);
    }
  }
  for (let p = 0; p < 4; p++) {
    const n = maxSub[p]! + 2; // room for the shared nullable ref.test / ref.cast codes
    SUB_OP.push(new Int16Array(n).fill(-1));
    SUB_KIND.push(new Uint8Array(n).fill(K.illegal));
  }
  for (let op = 0; op < OP_COUNT; op++) {
    const info = INSTRUCTIONS[op]!;
    if (info.prefix === 0) {
      BYTE_OP[info.code] = op;
      BYTE_KIND[info.code] = OP_KIND[op]!;
    } else {
      const p = info.prefix - 0xfb;
      SUB_OP[p]![info.code] = op;
      SUB_KIND[p]![info.code] = OP_KIND[op]!;
    }
  }
  for (const prefix of [0xfb, 0xfc, 0xfd, 0xfe]) {
    BYTE_KIND[prefix] = K.prefix;
  }
  // Shared rows: 0x1C is the typed `select`; 0xFB 21 / 23 the nullable ref.test / ref.cast.
  const select = opNamed('select');
  BYTE_OP[0x1b] = select;
  BYTE_KIND[0x1b] = K.none;
  BYTE_OP[0x1c] = select;
  BYTE_KIND[0x1c] = K.select_typed;
  for (const [name, code] of [['ref.test', 21], ['ref.cast', 23]] as const) {
    const row = opNamed(name);
    SUB_OP[0]![code] = row;
    SUB_KIND[0]![code] = K.ref_type_null;
  }
  const ctrl: [string, number][] = [
    ['block', C.block], ['loop', C.block], ['try_table', C.block], ['if', C.if],
    ['else', C.else], ['end', C.end], ['try', C.try], ['catch', C.catch],
    ['catch_all', C.catch], ['delegate', C.delegate],
  ];
  for (const [name, effect] of ctrl) OP_CTRL[opNamed(name)] = effect;
  for (let b = 0; b < 256; b++) {
    // Control instructions (block structure) take the general path as kind 63, except
    // `end`, which next() handles as kind 62.
    const row = BYTE_OP[b]!;
    const ctrl = row >= 0 ? OP_CTRL[row]! : 0;
    const kind = ctrl === C.end ? 62 : ctrl !== 0 ? 63 : BYTE_KIND[b]!;
    BYTE_INFO[b] = (row & 0xffff) | (kind << 16);
  }
  for (const name of ['memory.init', 'data.drop', 'array.new_data', 'array.init_data']) {
    OP_USES_DATA[opNamed(name)] = 1;
  }
}

/** Rows whose instructions the given features leave out (1 = disabled), or null. */
export function disabledOps(features: FeatureSet | null): Uint8Array | null {
  if (features === null) return null;
  let any = false;
  const out = new Uint8Array(OP_COUNT);
  for (let op = 0; op < OP_COUNT; op++) {
    if (!features[INSTRUCTIONS[op]!.feature]) {
      out[op] = 1;
      any = true;
    }
  }
  return any ? out : null;
}

// ---------------------------------------------------------------------------------------
// Shared immediates

/** memargs with memory 0 and a one-byte offset, by `flags * 128 + offset`. */
const MEMARG_CACHE: (MemArg | undefined)[] = new Array(64 * 128).fill(undefined);

function sharedMemArg(align: number, offset: number): MemArg {
  const key = align * 128 + offset;
  let m = MEMARG_CACHE[key];
  if (m === undefined) {
    m = Object.freeze({ align, offset: smallBigInt(offset), memory: 0 });
    MEMARG_CACHE[key] = m;
  }
  return m;
}

/** Rows whose number immediates are values (indices, constants), so may be shared. */
const SHAREABLE = new Uint8Array(OP_COUNT);
for (let op = 0; op < OP_COUNT; op++) {
  switch (OP_KIND[op]) {
    case 3: case 6: case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15: case 24:
      SHAREABLE[op] = 1;
  }
}

const I32_CONST = opNamed('i32.const');

/** Shared instructions with a small number immediate, per row (created on first use). */
const SMALL_INSTRS: (Instruction[] | undefined)[] = new Array(OP_COUNT).fill(undefined);

function sharedInstr(op: number, imm: number): Instruction {
  let row = SMALL_INSTRS[op];
  if (row === undefined) {
    row = [];
    for (let i = 0; i < 128; i++) row.push(Object.freeze({ op, imm: i }));
    SMALL_INSTRS[op] = row;
  }
  return row[imm]!;
}

/** Bit mask of the kinds whose immediate is one LEB128 number (label, func, local, global, table, i32). */
const NUMBER_IMM = (1 << K.label) | (1 << K.func) | (1 << K.local) | (1 << K.global) | (1 << K.table) | (1 << K.i32);

const CATCH_KINDS: readonly CatchKind[] = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------
// The reader

/**
 * Reads instructions. Call `beginExpr()` at the start of an expression (a function
 * body after its locals, or a constant expression), then `next()` until `depth` is 0:
 * each call reads one instruction, returns its row in the instruction table, and leaves
 * its immediate in `imm` and its offset in `instrStart`. The final `end` is returned
 * like any other `end`.
 */
export class CodeReader extends Reader {
  /** Immediate of the last instruction read (null when it has none). */
  imm: Immediate = null;
  /** Position in `buf` of the last instruction's first byte. */
  instrStart = 0;
  /** Open blocks, the expression itself included; 0 once its final `end` is read. */
  depth = 0;
  /**
   * When set, an instruction naming a data segment is malformed (the module has no data
   * count section): it fails at once, or, with `deferDataCount`, only has its offset
   * recorded in `firstDataUse` (decodeModule reports it after the other whole-module
   * checks, as the reference interpreter does).
   */
  requireDataCount = false;
  deferDataCount = false;
  /** Offset in the file of the first instruction that broke the data count rule, or -1. */
  firstDataUse = -1;
  /** Rows that are switched off (see disabledOps), or null when all are on. */
  disabled: Uint8Array | null = null;
  /** Whether memarg flags may name a memory (multi-memory). */
  multiMemory = true;
  private frames = new Uint8Array(64);
  private scratch: Instruction[] = [];

  constructor(buf: Uint8Array, pos = 0, end = buf.length, base = 0) {
    super(buf, pos, end, base);
  }

  /** Starts an expression at the current position. */
  beginExpr(): void {
    this.frames[0] = F.block;
    this.depth = 1;
  }

  /**
   * Reads an expression (through its final `end`) as the model's instruction list.
   * Instructions whose immediate is a small number (index or i32.const below 128) are
   * shared objects, like those without immediates: the model is readonly.
   */
  readExpr(): Instruction[] {
    // The commonest constant expression, `i32.const n end` (a segment's offset), directly.
    const at = this.pos;
    if (this.buf[at] === 0x41 && at < this.end) {
      this.pos = at + 1;
      const n = this.s32();
      if (this.pos < this.end && this.buf[this.pos] === 0x0b) {
        this.instrStart = this.pos;
        this.pos++;
        this.depth = 0;
        this.imm = null;
        return [n >= 0 && n < 128 ? sharedInstr(I32_CONST, n) : { op: I32_CONST, imm: n }];
      }
      this.pos = at;
    }
    this.beginExpr();
    // Instructions go to a reused scratch array, then are copied out at their exact
    // count: cheaper than growing a fresh array for every expression.
    const out = this.scratch;
    let n = 0;
    for (;;) {
      const op = this.next();
      if (this.depth === 0) break;
      const imm = this.imm;
      if (imm === null) out[n++] = SIMPLE[op]!;
      else if (typeof imm === 'number' && imm >= 0 && imm < 128 && SHAREABLE[op] === 1) out[n++] = sharedInstr(op, imm);
      else out[n++] = { op, imm };
    }
    const result = out.slice(0, n);
    if (n > 4096) this.scratch = []; // do not keep a large body alive
    return result;
  }

  /**
   * Like readExpr, also recording each instruction's offset in the whole file (the
   * final `end` included, last) in `offsets`.
   */
  readExprWithOffsets(offsets: number[]): Instruction[] {
    this.beginExpr();
    const out: Instruction[] = [];
    const base = this.base;
    for (;;) {
      const op = this.next();
      offsets.push(base + this.instrStart);
      if (this.depth === 0) return out;
      const imm = this.imm;
      out.push(imm === null ? SIMPLE[op]! : { op, imm });
    }
  }

  /** Reads through the end of an expression without building anything. */
  skipExpr(): void {
    this.beginExpr();
    while (this.depth !== 0) this.next();
  }

  /**
   * Reads one instruction; returns its row in the instruction table. The common cases
   * (no immediate, an index or i32 constant of one or two bytes, a short memarg, `end`)
   * are handled here, in a function small enough for V8 to inline into the caller's
   * loop, tested in order of frequency (an if-chain predicts better than a switch).
   */
  next(): number {
    const buf = this.buf;
    const pos = this.pos;
    if (pos + 2 < this.end && this.disabled === null) {
      const info = BYTE_INFO[buf[pos]!]!;
      const op = info & 0xffff;
      const kind = info >> 16;
      if (kind === 0) {
        this.instrStart = pos;
        this.pos = pos + 1;
        this.imm = null;
        return op;
      }
      if (kind <= 24 && ((1 << kind) & NUMBER_IMM) !== 0) { // 24: i32, the largest of them
        const v = buf[pos + 1]!;
        if (v < 0x80) {
          this.instrStart = pos;
          this.pos = pos + 2;
          this.imm = kind === 24 ? (v << 25) >> 25 : v;
          return op;
        }
        const v2 = buf[pos + 2]!;
        if (v2 < 0x80) {
          const x = (v & 0x7f) | (v2 << 7);
          this.instrStart = pos;
          this.pos = pos + 3;
          this.imm = kind === 24 ? (x << 18) >> 18 : x;
          return op;
        }
      } else if (kind === 20) {
        const flags = buf[pos + 1]!;
        const offset = buf[pos + 2]!;
        if (flags < 0x40 && offset < 0x80) {
          this.instrStart = pos;
          this.pos = pos + 3;
          this.imm = sharedMemArg(flags, offset);
          return op;
        }
      } else if (kind === 62) {
        this.instrStart = pos;
        this.pos = pos + 1;
        this.imm = null;
        this.depth--;
        return op;
      }
    }
    return this.nextSlow();
  }

  /** Reads one instruction: the general case. */
  private nextSlow(): number {
    const op = this.readInstr();
    const ctrl = OP_CTRL[op]!;
    if (ctrl !== C.none) this.control(ctrl);
    else if (OP_USES_DATA[op] === 1 && this.requireDataCount) {
      if (!this.deferDataCount) this.fail('data count section required', this.instrStart);
      if (this.firstDataUse < 0) this.firstDataUse = this.base + this.instrStart;
    }
    return op;
  }

  /**
   * Reads one instruction's opcode and immediate (into `imm`, its offset into
   * `instrStart`) and returns its row, without the bookkeeping of `next()`: no block
   * structure (`depth` is left alone) and no data count rule. For a caller that tracks
   * blocks itself, such as the validator's fused loop.
   */
  readInstr(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) this.fail(UNEXPECTED_END, pos);
    this.instrStart = pos;
    const b = buf[pos++]!;
    let op = BYTE_OP[b]!;
    let kind = BYTE_KIND[b]!;
    if (kind >= K.prefix) {
      if (kind === K.illegal) this.fail(`illegal opcode ${hex2(b)}`, pos - 1);
      this.pos = pos;
      const sub = this.u32();
      const p = b - 0xfb;
      const ops = SUB_OP[p]!;
      if (sub >= ops.length || ops[sub]! < 0) this.fail(`illegal opcode ${hex2(b)} ${hex2(sub)}`, pos - 1);
      op = ops[sub]!;
      kind = SUB_KIND[p]![sub]!;
      pos = this.pos;
    }
    if (this.disabled !== null && this.disabled[op] === 1) {
      this.fail(`illegal opcode ${INSTRUCTIONS[op]!.name} (feature ${INSTRUCTIONS[op]!.feature} is disabled)`, this.instrStart);
    }
    switch (kind) {
      case 0: // none
        this.pos = pos;
        this.imm = null;
        break;
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
        if (pos < this.end && buf[pos]! < 0x80) {
          this.imm = buf[pos]!;
          this.pos = pos + 1;
        } else {
          this.pos = pos;
          this.imm = this.u32();
        }
        break;
      }
      case 24: { // i32
        if (pos < this.end && buf[pos]! < 0x80) {
          this.imm = (buf[pos]! << 25) >> 25;
          this.pos = pos + 1;
        } else {
          this.pos = pos;
          this.imm = this.s32();
        }
        break;
      }
      case 20: // memarg
        this.pos = pos;
        this.imm = this.memarg();
        break;
      case 1: // block
        this.pos = pos;
        this.imm = readBlockType(this);
        break;
      case 25: // i64
        this.pos = pos;
        this.imm = this.s64();
        break;
      case 26: // f32
        this.pos = pos;
        this.imm = this.word32();
        break;
      case 27: // f64
        this.pos = pos;
        this.imm = this.word64();
        break;
      default:
        this.pos = pos;
        this.imm = this.rareImmediate(kind);
    }
    return op;
  }

  /** Tracks block structure for a control instruction. */
  private control(ctrl: number): void {
    const frames = this.frames;
    const top = this.depth - 1;
    switch (ctrl) {
      case 1: // block
      case 2: // if
      case 5: { // try
        if (this.depth === frames.length) {
          const bigger = new Uint8Array(frames.length * 2);
          bigger.set(frames);
          this.frames = bigger;
        }
        this.frames[this.depth++] = ctrl === C.block ? F.block : ctrl === C.if ? F.if : F.try;
        return;
      }
      case 3: // else
        // As in the reference interpreter, an `else` that ends no `if` arm is where an
        // `end` was expected.
        if (top <= 0 || frames[top] !== F.if) this.fail('END opcode expected', this.instrStart);
        frames[top] = F.else;
        return;
      case 4: // end
        this.depth--;
        return;
      case 6: // catch
        if (top <= 0 || (frames[top] !== F.try && frames[top] !== F.catch)) {
          this.fail('END opcode expected', this.instrStart);
        }
        frames[top] = F.catch;
        return;
      case 7: // delegate
        if (top <= 0 || frames[top] !== F.try) this.fail('END opcode expected', this.instrStart);
        this.depth--;
        return;
    }
  }

  /** A memory argument: flags (alignment exponent, bit 6: memory index follows), offset. */
  private memarg(): MemArg {
    const buf = this.buf;
    const pos = this.pos;
    // Fast path: memory 0, one-byte flags and offset.
    if (pos + 1 < this.end) {
      const flags = buf[pos]!;
      const offset = buf[pos + 1]!;
      if (flags < 0x40 && offset < 0x80) {
        this.pos = pos + 2;
        return sharedMemArg(flags, offset);
      }
    }
    const flags = this.u32();
    if (flags >= 0x80 || (flags >= 0x40 && !this.multiMemory)) this.fail('malformed memop flags', pos);
    const memory = flags & 0x40 ? this.u32() : 0;
    const align = flags & 0x3f;
    const offset = this.u64();
    return { align, offset, memory };
  }

  /** The immediates of the less common kinds. */
  private rareImmediate(kind: number): Immediate {
    switch (kind) {
      case 4: { // br_table
        const n = this.count();
        const targets: number[] = new Array(n);
        for (let i = 0; i < n; i++) targets[i] = this.u32();
        return { targets, default: this.u32() };
      }
      case 7: { // call_indirect
        const type = this.u32();
        return { type, table: this.u32() };
      }
      case 2: { // try_table
        const type = readBlockType(this);
        const n = this.count();
        const catches: Catch[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const at = this.pos;
          const code = this.u8();
          if (code > 3) this.fail('malformed catch clause', at);
          const tag = code < 2 ? this.u32() : null;
          catches[i] = { kind: CATCH_KINDS[code]!, tag, label: this.u32() };
        }
        return { type, catches };
      }
      case 5: { // br_on_cast
        const at = this.pos;
        const flags = this.u8();
        if (flags > 3) this.fail('malformed br_on_cast flags', at);
        const label = this.u32();
        const from: RefType = { kind: 'ref', nullable: (flags & 1) !== 0, heap: readHeapType(this) };
        const to: RefType = { kind: 'ref', nullable: (flags & 2) !== 0, heap: readHeapType(this) };
        const imm: BrOnCast = { label, from, to };
        return imm;
      }
      case 16: { // table_init
        const elem = this.u32();
        return { elem, table: this.u32() };
      }
      case 18: { // memory_init
        const data = this.u32();
        return { data, memory: this.u32() };
      }
      case 17: // table_copy
      case 19: // memory_copy
      case 36: { // array_copy
        const dst = this.u32();
        return { dst, src: this.u32() };
      }
      case 21: { // memarg_lane
        const memarg = this.memarg();
        return { memarg, lane: this.u8() };
      }
      case 22: // lane
        return this.u8();
      case 23: // shuffle
      case 28: // v128
        return this.copy(16);
      case 38: // select_typed
        return readValTypes(this);
      case 30: // heap_type
        return readHeapType(this);
      case 31: // ref_type
        return { kind: 'ref', nullable: false, heap: readHeapType(this) };
      case 39: // ref_type_null
        return { kind: 'ref', nullable: true, heap: readHeapType(this) };
      case 32: { // struct_field
        const type = this.u32();
        return { type, field: this.u32() };
      }
      case 33: { // array_fixed
        const type = this.u32();
        return { type, length: this.u32() };
      }
      case 34: { // array_data
        const type = this.u32();
        return { type, data: this.u32() };
      }
      case 35: { // array_elem
        const type = this.u32();
        return { type, elem: this.u32() };
      }
      case 37: // atomic_fence
        this.zero();
        return null;
    }
    throw new Error(`decoder: unhandled immediate kind ${kind}`);
  }
}
