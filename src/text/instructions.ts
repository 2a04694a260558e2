// Instructions in the text format (spec §6.5): plain and folded instructions, block
// structure with labels, and every immediate kind of the instruction table.
//
// Nesting is handled with an explicit frame stack (never recursion), so arbitrarily deep
// folded expressions and blocks cost heap, not call stack. Output is the flat binary-order
// instruction list: a folded `(op a b)` becomes `a b op`, `(if c (then t) (else e))`
// becomes `c if t else e end`.

import type {
  BrOnCast,
  Catch,
  CatchKind,
  ImmKind,
  Instruction,
  MemArg,
} from '../model/instruction.ts';
import { INSTRUCTIONS, opByName } from '../model/opcodes.ts';
import type { BlockType, ValType } from '../model/types.ts';
import { Space, idSymbol, lookupId, objectArray, type ModuleContext } from './context.ts';
import { IdMap } from './idtable.ts';
import { KW, KW_ALIGN_EQ, KW_BASE, KW_OFFSET_EQ } from './keywords.ts';
import { Tok, type Lexer } from './lexer.ts';
import {
  atNumber,
  readF32,
  readF64,
  readI16,
  readI32,
  readI64,
  readI8,
  readLaneIndex,
  readShuffleLane,
  readU32,
  bigOf,
  smallDecimalAt,
} from './literals.ts';
import { classifyNumber, parseU64 } from './numbers.ts';
import { close, openKeyword, parseHeapType, parseRefType, parseSignature, parseValType, type Signature } from './types.ts';

// Immediate kinds as small integers, per instruction row.
const IMM_KINDS: readonly ImmKind[] = [
  'none', 'block', 'try_table', 'label', 'br_table', 'br_on_cast', 'func', 'call_indirect',
  'type', 'local', 'global', 'table', 'memory', 'tag', 'elem', 'data', 'table_init',
  'table_copy', 'memory_init', 'memory_copy', 'memarg', 'memarg_lane', 'lane', 'shuffle',
  'i32', 'i64', 'f32', 'f64', 'v128', 'select', 'heap_type', 'ref_type', 'struct_field',
  'array_fixed', 'array_data', 'array_elem', 'array_copy', 'atomic_fence',
];
const I = Object.fromEntries(IMM_KINDS.map((k, i) => [k, i])) as Record<ImmKind, number>;
const IMM = new Uint8Array(INSTRUCTIONS.length);
const NATURAL = new Int8Array(INSTRUCTIONS.length);
for (let op = 0; op < INSTRUCTIONS.length; op++) {
  IMM[op] = I[INSTRUCTIONS[op]!.imm];
  NATURAL[op] = INSTRUCTIONS[op]!.natural;
}

const opOr = (name: string): number => opByName(name) ?? -100;
const OP_IF = opOr('if');
const OP_ELSE = opOr('else');
const OP_END = opOr('end');
const OP_TRY = opOr('try');
const OP_CATCH = opOr('catch');
const OP_CATCH_ALL = opOr('catch_all');
const OP_DELEGATE = opOr('delegate');
const OP_MEMORY_INIT = opOr('memory.init');
const OP_DATA_DROP = opOr('data.drop');

// Instruction objects are made by a constructor function whose instances have the same
// prototype as object literals (Object.prototype): to every observer they are plain
// `{ op, imm }` data, like literals. But unlike a literal, a constructor call has no
// allocation site whose pretenuring decision V8 revises at garbage collections — each
// revision deoptimized every parsing function that allocates instructions, so that the
// parser kept recompiling during its first few runs.
interface InstrCtor {
  new (op: number, imm: unknown): Instruction;
}
const Instr = function (this: { op: number; imm: unknown }, op: number, imm: unknown): void {
  this.op = op;
  this.imm = imm;
} as unknown as InstrCtor;
(Instr as unknown as { prototype: object }).prototype = Object.prototype;

/** A new instruction `{ op, imm }` (see `Instr`). */
export function mk(op: number, imm: unknown): Instruction {
  return new Instr(op, imm);
}

/** Memory arguments `{ align, offset, memory }`, made like instructions (see `Instr`). */
interface MemArgCtor {
  new (align: number, offset: bigint, memory: number): MemArg;
}
const MemArgObj = function (
  this: { align: number; offset: bigint; memory: number },
  align: number,
  offset: bigint,
  memory: number,
): void {
  this.align = align;
  this.offset = offset;
  this.memory = memory;
} as unknown as MemArgCtor;
(MemArgObj as unknown as { prototype: object }).prototype = Object.prototype;

// Shared instruction objects for small immediates. Instructions are immutable values, so
// `local.get 0` or `i32.load offset=8` can be one object wherever it occurs (as
// `none()` does for instructions without immediates): a large module then allocates a
// fraction of the objects, which matters for garbage-collection time.
const SHARED_LIMIT = 1024;
const I32_BIAS = 128;
const sharedRows: (Instruction | undefined)[][] = [];

function sharedInstr(op: number, slot: number, imm: number | MemArg | BlockType): Instruction {
  let row = sharedRows[op];
  if (row === undefined) row = sharedRows[op] = new Array<Instruction | undefined>(SHARED_LIMIT).fill(undefined);
  let instr = row[slot];
  if (instr === undefined) row[slot] = instr = mk(op, imm);
  return instr;
}

/**
 * Shared instructions without immediates, one per row (like `simple()` of the model, but
 * made by `mk`, so that every instruction the parser makes has the same shape).
 */
const NONE: readonly Instruction[] = INSTRUCTIONS.map((_, op) => mk(op, null));

function none(op: number): Instruction {
  return NONE[op]!;
}

/** `{ op, imm }` for an index-like immediate, shared when small. */
function indexInstr(op: number, imm: number): Instruction {
  return imm < SHARED_LIMIT ? sharedInstr(op, imm, imm) : mk(op, imm);
}

/** Slots for shared block instructions: the empty block type and the plain value types. */
const BLOCK_SLOTS: Record<string, number> = { i32: 1, i64: 2, f32: 3, f64: 4, v128: 5 };

/** `{ op, imm: bt }` for block, loop, if, try: shared for the common block types. */
function blockInstr(op: number, bt: BlockType): Instruction {
  const slot = bt === null ? 0 : typeof bt === 'string' ? BLOCK_SLOTS[bt] : undefined;
  return slot === undefined ? mk(op, bt) : sharedInstr(op, slot, bt);
}

// Frame states.
const F_FOLD_PLAIN = 1; //         `(op imm* expr*)`: pending instruction emitted at `)`
const F_FOLD_BLOCK = 2; //         `(block …)`, `(loop …)`, `(try_table …)`: `end` at `)`
const F_FOLD_IF_COND = 3; //       `(if bt expr*` before `(then`
const F_FOLD_THEN = 4; //          inside `(then …)`
const F_FOLD_IF_AFTER_THEN = 5; // after `(then …)`: `(else …)` or `)`
const F_FOLD_ELSE = 6; //          inside `(else …)`
const F_FOLD_IF_DONE = 7; //       after `(else …)`: `)`
const F_FOLD_TRY_START = 8; //     `(try bt` before `(do`
const F_FOLD_DO = 9; //            inside `(do …)`
const F_FOLD_TRY_HANDLERS = 10; // after `(do …)` or a `(catch …)`
const F_FOLD_CATCH = 11; //        inside `(catch x …)`
const F_FOLD_CATCH_ALL = 12; //    inside `(catch_all …)`
const F_FOLD_TRY_DONE = 13; //     after `(catch_all …)`: `)`
const F_FOLD_TRY_DELEGATED = 14; // after `(delegate l)`: `)`, no `end`
const F_FOLD_TRY_CATCHES = 15; //  after a `(catch …)`: more catches, `(catch_all …)` or `)`
const F_PLAIN_BLOCK = 20; //       `block`/`loop`/`try_table` … `end`
const F_PLAIN_IF = 21; //          `if` … (`else` …)? `end`
const F_PLAIN_ELSE = 22;
const F_PLAIN_TRY = 23; //         `try` … (`catch` x …)* (`catch_all` …)? `end` | `delegate` l
const F_PLAIN_TRY_CATCH_ALL = 24;
const F_PLAIN_TRY_CATCHES = 25; // after a plain `catch`

/** Frame states in which instructions (plain or folded) may appear. */
function isBody(state: number): boolean {
  return (
    state === F_FOLD_BLOCK ||
    state === F_FOLD_THEN ||
    state === F_FOLD_ELSE ||
    state === F_FOLD_DO ||
    state === F_FOLD_CATCH ||
    state === F_FOLD_CATCH_ALL ||
    state >= F_PLAIN_BLOCK
  );
}

const STRUCTURAL = new Set(['param', 'result', 'local', 'type', 'then', 'else', 'do', 'catch', 'catch_all', 'catch_ref', 'catch_all_ref', 'delegate', 'item', 'offset', 'export', 'import', 'func', 'table', 'memory', 'global', 'elem', 'data', 'start', 'tag', 'rec', 'module']);

/** Parses instruction sequences; one instance per module, reused for every body. */
export class InstrParser {
  readonly ctx: ModuleContext;
  readonly lx: Lexer;
  /** Local identifiers of the function being parsed (null when it has none). */
  localIds: IdMap | null = null;
  /** Whether a data index occurred in code (memory.init, data.drop). */
  usesDataIndex = false;
  /**
   * Label names of the latest expression, by label index (the order of its block
   * instructions, as in the name section's label map); null when none is named.
   */
  labelNames: Map<number, string> | null = null;
  /** Block instructions of the current expression so far. */
  private blockCount = 0;

  /**
   * The instructions parsed so far: `code[0, n)`. The array is reused for every
   * expression (and copied out at its end), so that it keeps its capacity and one
   * elements kind; entries beyond `n` are left over from earlier expressions.
   */
  private readonly code: Instruction[] = objectArray();
  private n = 0;
  /** Label symbol → level of the innermost open block so labelled, or -1. */
  private readonly labelIds = new IdMap();
  /** Number of open blocks (label levels). */
  private depth = 0;
  /** Per level: the symbol of the block's label, or -1 when unlabelled. */
  private labelSym: number[] = [];
  /** Per labelled level: the level its symbol had before (restored when the block ends). */
  private labelPrev: number[] = [];
  private fState: number[] = [];
  private fInstr: (Instruction | null)[] = objectArray();
  /** Per frame: the symbol of the block's label, or -1. */
  private fLabel: number[] = [];
  private sp = 0;
  private readonly sig: Signature = { params: objectArray(), results: objectArray() };

  constructor(ctx: ModuleContext) {
    this.ctx = ctx;
    this.lx = ctx.lx;
  }

  /** Parses instructions up to (not consuming) the `)` that closes the enclosing form. */
  parseSeq(): Instruction[] {
    this.reset();
    this.run(false);
    return this.code.slice(0, this.n);
  }

  /** Parses exactly one folded instruction `( … )` (offset / item abbreviations). */
  parseFolded(): Instruction[] {
    this.reset();
    if (this.lx.kind !== Tok.lparen) throw this.lx.unexpected();
    this.run(true);
    return this.code.slice(0, this.n);
  }

  private reset(): void {
    while (this.depth > 0) this.popLabel();
    this.sp = 0;
    this.n = 0;
    this.blockCount = 0;
    this.labelNames = null;
  }

  /** Appends an instruction to the expression. */
  private emit(instr: Instruction): void {
    this.code[this.n++] = instr;
  }

  private pushLabel(sym: number): void {
    const level = this.depth++;
    const index = this.blockCount++;
    this.labelSym[level] = sym;
    if (sym >= 0) {
      (this.labelNames ??= new Map()).set(index, this.lx.symbolName(sym));
      const ids = this.labelIds;
      this.labelPrev[level] = ids.get(sym);
      ids.set(sym, level);
    } else {
      this.labelPrev[level] = -1; // (no holes in the array)
    }
  }

  private popLabel(): void {
    const level = --this.depth;
    const sym = this.labelSym[level]!;
    if (sym >= 0) this.labelIds.set(sym, this.labelPrev[level]!);
  }

  private push(state: number, instr: Instruction | null, label: number): void {
    const sp = this.sp++;
    this.fState[sp] = state;
    this.fInstr[sp] = instr;
    this.fLabel[sp] = label;
  }

  private run(single: boolean): void {
    const lx = this.lx;
    for (;;) {
      const kind = lx.kind;
      const state = this.sp > 0 ? this.fState[this.sp - 1]! : 0;
      if (kind === Tok.lparen) {
        const parenStart = lx.start;
        lx.next();
        if (lx.kind !== Tok.keyword) throw lx.unexpected();
        const code = lx.code;
        const op = code < KW_BASE ? code : -1;
        if (state !== 0 && state !== F_FOLD_PLAIN && !isBody(state)) {
          if (this.structuralOpen(state, op)) continue;
        }
        if (op < 0) throw this.unknownKeyword();
        if (state === F_FOLD_PLAIN || state === F_FOLD_IF_COND || state === 0 || isBody(state)) {
          if (this.foldedOpen(op, parenStart) && single && this.sp === 0) return;
          continue;
        }
        throw lx.error(`unexpected token ${lx.text()}`);
      }
      if (kind === Tok.rparen) {
        if (this.sp === 0) return;
        this.foldedClose(state);
        lx.next();
        if (single && this.sp === 0) return;
        continue;
      }
      if (kind === Tok.keyword) {
        if (single && this.sp === 0) throw lx.unexpected();
        if (state !== 0 && !isBody(state)) throw lx.error(`unexpected token ${lx.text()}`);
        const op = lx.code;
        if (op < 0 || op >= KW_BASE) throw this.unknownKeyword();
        this.plain(op, state);
        continue;
      }
      if (kind === Tok.eof) throw lx.error('unexpected end of input');
      throw kind === Tok.reserved ? lx.error(`unknown operator ${lx.text()}`) : lx.error(`unexpected token ${lx.text()}`);
    }
  }

  private unknownKeyword(): Error {
    const lx = this.lx;
    const text = lx.text();
    if (STRUCTURAL.has(text)) return lx.error(`unexpected token ${text}`);
    return lx.error(`unknown operator ${text}`);
  }

  /**
   * Handles `(then`, `(else`, `(do`, `(catch`, `(catch_all`, `(delegate` in the non-body
   * states of folded `if` and `try`. Returns false when the keyword is an instruction
   * that the state allows as a folded operand (`if` conditions).
   */
  private structuralOpen(state: number, op: number): boolean {
    const lx = this.lx;
    const top = this.sp - 1;
    if (state === F_FOLD_IF_COND) {
      if (lx.code !== KW.then) return false;
      lx.next();
      this.emit(this.fInstr[top]!);
      this.pushLabel(this.fLabel[top]!);
      this.fState[top] = F_FOLD_IF_AFTER_THEN;
      this.push(F_FOLD_THEN, null, -1);
      return true;
    }
    if (state === F_FOLD_IF_AFTER_THEN && op === OP_ELSE) {
      lx.next();
      this.emit(none(OP_ELSE));
      this.fState[top] = F_FOLD_IF_DONE;
      this.push(F_FOLD_ELSE, null, -1);
      return true;
    }
    if (state === F_FOLD_TRY_START && lx.code === KW.do) {
      lx.next();
      this.fState[top] = F_FOLD_TRY_HANDLERS;
      this.push(F_FOLD_DO, null, -1);
      return true;
    }
    if (state === F_FOLD_TRY_HANDLERS || state === F_FOLD_TRY_CATCHES) {
      if (op === OP_CATCH) {
        lx.next();
        const tag = this.ctx.index(Space.tag);
        this.emit(mk(OP_CATCH, tag));
        this.fState[top] = F_FOLD_TRY_CATCHES;
        this.push(F_FOLD_CATCH, null, -1);
        return true;
      }
      if (op === OP_CATCH_ALL) {
        lx.next();
        this.emit(none(OP_CATCH_ALL));
        this.fState[top] = F_FOLD_TRY_DONE;
        this.push(F_FOLD_CATCH_ALL, null, -1);
        return true;
      }
      if (op === OP_DELEGATE && state === F_FOLD_TRY_HANDLERS) {
        lx.next();
        this.popLabel();
        const label = this.label();
        this.emit(mk(OP_DELEGATE, label));
        close(lx);
        this.fState[top] = F_FOLD_TRY_DELEGATED;
        return true;
      }
    }
    throw lx.error(`unexpected token ${lx.text()}`);
  }

  /** After `(` and a known op keyword (current token). Returns true if an instruction was completed. */
  private foldedOpen(op: number, parenStart: number): boolean {
    const lx = this.lx;
    const imm = IMM[op]!;
    if (imm === I.block || imm === I.try_table) {
      lx.next();
      const label = this.blockLabel();
      const bt = this.blockType();
      if (op === OP_IF) {
        this.push(F_FOLD_IF_COND, mk(op, bt), label);
        return false;
      }
      if (op === OP_TRY) {
        this.emit(blockInstr(op, bt));
        this.pushLabel(label);
        this.push(F_FOLD_TRY_START, null, label);
        return false;
      }
      if (imm === I.try_table) {
        const catches = this.catchClauses();
        this.emit(mk(op, { type: bt, catches }));
      } else {
        this.emit(blockInstr(op, bt));
      }
      this.pushLabel(label);
      this.push(F_FOLD_BLOCK, null, label);
      return false;
    }
    if (op === OP_ELSE || op === OP_END || op === OP_CATCH || op === OP_CATCH_ALL || op === OP_DELEGATE) {
      throw lx.error(`unexpected token ${lx.text()}`, parenStart + 1);
    }
    const instr = this.instr(op);
    if (lx.kind === Tok.rparen) {
      // Leaf: no operands.
      lx.next();
      this.emit(instr);
      return true;
    }
    this.push(F_FOLD_PLAIN, instr, -1);
    return false;
  }

  private foldedClose(state: number): void {
    const top = this.sp - 1;
    switch (state) {
      case F_FOLD_PLAIN:
        this.emit(this.fInstr[top]!);
        break;
      case F_FOLD_BLOCK:
      case F_FOLD_IF_AFTER_THEN:
      case F_FOLD_IF_DONE:
      case F_FOLD_TRY_HANDLERS:
      case F_FOLD_TRY_CATCHES:
      case F_FOLD_TRY_DONE:
        this.emit(none(OP_END));
        this.popLabel();
        break;
      case F_FOLD_TRY_DELEGATED:
        break;
      case F_FOLD_THEN:
      case F_FOLD_ELSE:
      case F_FOLD_DO:
      case F_FOLD_CATCH:
      case F_FOLD_CATCH_ALL:
        break; // the parent frame's state was advanced when this one was opened
      case F_FOLD_IF_COND:
      case F_FOLD_TRY_START:
        throw this.lx.error('unexpected token )');
      default:
        // A plain block still open.
        throw this.lx.error('unexpected token ), expected end');
    }
    this.sp--;
  }

  /** A plain (unfolded) instruction; the current token is its keyword. */
  private plain(op: number, state: number): void {
    const lx = this.lx;
    const imm = IMM[op]!;
    if (imm === I.block || imm === I.try_table) {
      lx.next();
      const label = this.blockLabel();
      const bt = this.blockType();
      if (imm === I.try_table) {
        const catches = this.catchClauses();
        this.emit(mk(op, { type: bt, catches }));
      } else {
        this.emit(blockInstr(op, bt));
      }
      this.pushLabel(label);
      this.push(op === OP_IF ? F_PLAIN_IF : op === OP_TRY ? F_PLAIN_TRY : F_PLAIN_BLOCK, null, label);
      return;
    }
    if (op === OP_END) {
      if (state < F_PLAIN_BLOCK) throw lx.error('unexpected token end');
      lx.next();
      this.endLabel();
      this.emit(none(OP_END));
      this.popLabel();
      this.sp--;
      return;
    }
    if (op === OP_ELSE) {
      if (state !== F_PLAIN_IF) throw lx.error('unexpected token else');
      lx.next();
      this.endLabel();
      this.emit(none(OP_ELSE));
      this.fState[this.sp - 1] = F_PLAIN_ELSE;
      return;
    }
    if (op === OP_CATCH) {
      if (state !== F_PLAIN_TRY && state !== F_PLAIN_TRY_CATCHES) throw lx.error('unexpected token catch');
      lx.next();
      this.emit(mk(op, this.ctx.index(Space.tag)));
      this.fState[this.sp - 1] = F_PLAIN_TRY_CATCHES;
      return;
    }
    if (op === OP_CATCH_ALL) {
      if (state !== F_PLAIN_TRY && state !== F_PLAIN_TRY_CATCHES) throw lx.error('unexpected token catch_all');
      lx.next();
      this.emit(none(op));
      this.fState[this.sp - 1] = F_PLAIN_TRY_CATCH_ALL;
      return;
    }
    if (op === OP_DELEGATE) {
      if (state !== F_PLAIN_TRY) throw lx.error('unexpected token delegate');
      lx.next();
      this.popLabel();
      this.emit(mk(op, this.label()));
      this.sp--;
      return;
    }
    this.emit(this.instr(op));
  }

  /** Optional `$label` after a block keyword: its symbol, or -1. */
  private blockLabel(): number {
    const lx = this.lx;
    if (lx.kind !== Tok.id) return -1;
    const sym = idSymbol(lx);
    lx.next();
    return sym;
  }

  /** Optional `$label` after `end` / `else`; must match the block's label. */
  private endLabel(): void {
    const lx = this.lx;
    if (lx.kind !== Tok.id) return;
    const sym = this.fLabel[this.sp - 1]!;
    if (sym < 0 || idSymbol(lx) !== sym) throw lx.error('mismatching label');
    lx.next();
  }

  /** A block type: `(type x)? (param t*)* (result t*)*`. */
  private blockType(): BlockType {
    const lx = this.lx;
    if (lx.kind !== Tok.lparen) return null;
    const ctx = this.ctx;
    let typeIndex = -1;
    let typeOffset = 0;
    if (openKeyword(lx, KW.type)) {
      typeOffset = lx.start;
      typeIndex = ctx.index(Space.type);
      close(lx);
    }
    const sig = this.sig;
    sig.params.length = 0;
    sig.results.length = 0;
    parseSignature(ctx, sig, null, null);
    if (typeIndex >= 0) {
      if (sig.params.length !== 0 || sig.results.length !== 0) checkTypeUse(ctx, typeIndex, typeOffset, sig);
      return typeIndex;
    }
    if (sig.params.length === 0) {
      if (sig.results.length === 0) return null;
      if (sig.results.length === 1) return sig.results[0]!;
    }
    return ctx.funcTypeIndex(sig.params, sig.results);
  }

  /** `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)` of try_table. */
  private catchClauses(): Catch[] {
    const lx = this.lx;
    const catches: Catch[] = [];
    while (lx.kind === Tok.lparen) {
      const mark = lx.save();
      lx.next();
      let kind: CatchKind;
      if (lx.is('catch')) kind = 'catch';
      else if (lx.is('catch_ref')) kind = 'catch_ref';
      else if (lx.is('catch_all')) kind = 'catch_all';
      else if (lx.is('catch_all_ref')) kind = 'catch_all_ref';
      else {
        lx.restore(mark);
        break;
      }
      lx.next();
      const tag = kind === 'catch' || kind === 'catch_ref' ? this.ctx.index(Space.tag) : null;
      const label = this.label();
      close(lx);
      catches.push({ kind, tag, label });
    }
    return catches;
  }

  /** A label index: a number, or an identifier resolved against the enclosing blocks. */
  private label(): number {
    const lx = this.lx;
    if (lx.kind === Tok.id) {
      const level = lookupId(this.labelIds, lx);
      if (level < 0) throw lx.error(`unknown label ${lx.text()}`);
      lx.next();
      return this.depth - 1 - level;
    }
    if (lx.kind === Tok.number) return readU32(lx);
    throw lx.unexpected();
  }

  private local(): number {
    const lx = this.lx;
    if (lx.kind === Tok.id) {
      const found = this.localIds === null ? -1 : lookupId(this.localIds, lx);
      if (found < 0) throw lx.error(`unknown local ${lx.text()}`);
      lx.next();
      return found;
    }
    if (lx.kind === Tok.number) return readU32(lx);
    throw lx.unexpected();
  }

  /** Parses the immediates of a non-block instruction (current token: its keyword). */
  private instr(op: number): Instruction {
    // The common immediate kinds stay in this small function (quick to optimize); the
    // rest are in `rareInstr`.
    const lx = this.lx;
    lx.next();
    const kind = IMM[op];
    if (kind === I.none) return none(op);
    if (kind === I.local) return indexInstr(op, this.local());
    if (kind === I.i32) {
      const v = readI32(lx);
      const slot = v + I32_BIAS;
      return slot >= 0 && slot < SHARED_LIMIT ? sharedInstr(op, slot, v) : mk(op, v);
    }
    if (kind === I.memarg) return this.memargInstr(op);
    if (kind === I.label) return indexInstr(op, this.label());
    if (kind === I.global) return indexInstr(op, this.ctx.index(Space.global));
    if (kind === I.func) return indexInstr(op, this.ctx.index(Space.func));
    return this.rareInstr(op, kind!);
  }

  private memargInstr(op: number): Instruction {
    const lx = this.lx;
    const memory = lx.kind === Tok.id || lx.kind === Tok.number ? this.ctx.index(Space.memory) : 0;
    this.memargFields(op);
    const offset = this.mOffset;
    // Shared when the alignment is natural, the memory is 0 and the offset small.
    if (memory === 0 && this.mAlign === NATURAL[op] && this.mSmall >= 0 && this.mSmall < SHARED_LIMIT) {
      const row = sharedRows[op];
      const found = row === undefined ? undefined : row[this.mSmall];
      if (found !== undefined) return found;
      return sharedInstr(op, this.mSmall, new MemArgObj(this.mAlign, offset, memory));
    }
    return mk(op, new MemArgObj(this.mAlign, offset, memory));
  }

  /** Immediates of the less common kinds (the current token follows the mnemonic). */
  private rareInstr(op: number, kind: number): Instruction {
    const lx = this.lx;
    const ctx = this.ctx;
    switch (kind) {
      case I.atomic_fence:
        return none(op);
      case I.i64:
        return mk(op, readI64(lx));
      case I.f32:
        return mk(op, readF32(lx));
      case I.f64:
        return mk(op, readF64(lx));
      case I.type:
        return mk(op, ctx.index(Space.type));
      case I.tag:
        return mk(op, ctx.index(Space.tag));
      case I.table:
        return mk(op, ctx.atIndex() ? ctx.index(Space.table) : 0);
      case I.memory:
        return mk(op, ctx.atIndex() ? ctx.index(Space.memory) : 0);
      case I.elem:
        return mk(op, ctx.index(Space.elem));
      case I.data:
        if (op === OP_DATA_DROP) this.usesDataIndex = true;
        return mk(op, ctx.index(Space.data));
      case I.br_table: {
        const targets: number[] = [];
        targets.push(this.label());
        while (lx.kind === Tok.id || lx.kind === Tok.number) targets.push(this.label());
        const dflt = targets.pop()!;
        return mk(op, { targets, default: dflt });
      }
      case I.br_on_cast: {
        const label = this.label();
        const from = parseRefType(ctx);
        const to = parseRefType(ctx);
        const imm: BrOnCast = { label, from, to };
        return mk(op, imm);
      }
      case I.call_indirect: {
        const table = ctx.atIndex() ? ctx.index(Space.table) : 0;
        return mk(op, { type: this.typeUseNoNames(), table });
      }
      case I.table_init: {
        // `table.init tableidx? elemidx`: decide by how many indices follow.
        const mark = lx.save();
        skipIndex(lx);
        const two = lx.kind === Tok.id || lx.kind === Tok.number;
        lx.restore(mark);
        if (two) {
          const table = ctx.index(Space.table);
          return mk(op, { table, elem: ctx.index(Space.elem) });
        }
        return mk(op, { table: 0, elem: ctx.index(Space.elem) });
      }
      case I.table_copy: {
        if (!ctx.atIndex()) return mk(op, { dst: 0, src: 0 });
        const dst = ctx.index(Space.table);
        const src = ctx.index(Space.table);
        return mk(op, { dst, src });
      }
      case I.memory_init: {
        if (op === OP_MEMORY_INIT) this.usesDataIndex = true;
        // `memory.init memidx? dataidx`: decide by how many indices follow.
        const mark = lx.save();
        skipIndex(lx);
        const two = lx.kind === Tok.id || lx.kind === Tok.number;
        lx.restore(mark);
        if (two) {
          const memory = ctx.index(Space.memory);
          return mk(op, { memory, data: ctx.index(Space.data) });
        }
        return mk(op, { memory: 0, data: ctx.index(Space.data) });
      }
      case I.memory_copy: {
        if (!ctx.atIndex()) return mk(op, { dst: 0, src: 0 });
        const dst = ctx.index(Space.memory);
        const src = ctx.index(Space.memory);
        return mk(op, { dst, src });
      }
      case I.memarg_lane: {
        let memory = 0;
        if (lx.kind === Tok.id) memory = ctx.index(Space.memory);
        else if (lx.kind === Tok.number) {
          const mark = lx.save();
          lx.next();
          const more = lx.kind === Tok.number || (lx.kind === Tok.keyword && (lx.code === KW_OFFSET_EQ || lx.code === KW_ALIGN_EQ));
          lx.restore(mark);
          if (more) memory = readU32(lx);
        }
        const memarg = this.memargRest(op, memory);
        const lane = readLaneIndex(lx);
        return mk(op, { memarg, lane });
      }
      case I.lane:
        return mk(op, readLaneIndex(lx));
      case I.shuffle:
        return mk(op, this.shuffle());
      case I.v128:
        return mk(op, this.v128());
      case I.select: {
        if (lx.kind !== Tok.lparen) return mk(op, null);
        let types: ValType[] | null = null;
        while (openKeyword(lx, KW.result)) {
          if (types === null) types = [];
          while (lx.kind !== Tok.rparen) types.push(parseValType(ctx));
          lx.next();
        }
        return mk(op, types);
      }
      case I.heap_type:
        return mk(op, parseHeapType(ctx));
      case I.ref_type:
        return mk(op, parseRefType(ctx));
      case I.struct_field: {
        const type = ctx.index(Space.type);
        return mk(op, { type, field: this.field(type) });
      }
      case I.array_fixed: {
        const type = ctx.index(Space.type);
        return mk(op, { type, length: readU32(lx) });
      }
      case I.array_data: {
        this.usesDataIndex = true;
        const type = ctx.index(Space.type);
        return mk(op, { type, data: ctx.index(Space.data) });
      }
      case I.array_elem: {
        const type = ctx.index(Space.type);
        return mk(op, { type, elem: ctx.index(Space.elem) });
      }
      case I.array_copy: {
        const dst = ctx.index(Space.type);
        const src = ctx.index(Space.type);
        return mk(op, { dst, src });
      }
      default:
        throw lx.error(`unexpected token ${INSTRUCTIONS[op]!.name}`);
    }
  }

  private field(type: number): number {
    const lx = this.lx;
    if (lx.kind === Tok.id) {
      const ids = this.ctx.fieldIds.get(type);
      const found = ids === undefined ? -1 : lookupId(ids, lx);
      if (found < 0) throw lx.error(`unknown field ${lx.text()}`);
      lx.next();
      return found;
    }
    return readU32(lx);
  }

  /** `offset=N? align=N?` */
  private memargRest(op: number, memory: number): MemArg {
    this.memargFields(op);
    return new MemArgObj(this.mAlign, this.mOffset, memory);
  }

  // Results of `memargFields` (kept in fields to avoid allocating).
  private mAlign = 0;
  private mOffset = 0n;
  /** The offset as a number when it is a small plain decimal (or absent), else -1. */
  private mSmall = 0;

  /** Reads `offset=N? align=N?` into mAlign / mOffset / mSmall. */
  private memargFields(op: number): void {
    const lx = this.lx;
    this.mOffset = 0n;
    this.mSmall = 0;
    this.mAlign = NATURAL[op]!;
    if (lx.kind === Tok.keyword && lx.code === KW_OFFSET_EQ) {
      const small = smallDecimalAt(lx.source, lx.start + 7, lx.end);
      this.mSmall = small;
      this.mOffset = small >= 0 ? bigOf(small) : this.eqNumber(7);
      lx.next();
    }
    if (lx.kind === Tok.keyword && lx.code === KW_ALIGN_EQ) {
      const small = smallDecimalAt(lx.source, lx.start + 6, lx.end);
      const a = small >= 0 ? small : this.eqNumber(6);
      if (typeof a === 'number') {
        if (a === 0 || (a & (a - 1)) !== 0) throw lx.error('alignment must be a power of two');
        this.mAlign = 31 - Math.clz32(a);
      } else {
        if (a === 0n || (a & (a - 1n)) !== 0n) throw lx.error('alignment must be a power of two');
        this.mAlign = a.toString(2).length - 1;
      }
      lx.next();
    }
  }

  /** The u64 after `offset=` / `align=` (prefix length `skip`); does not advance. */
  private eqNumber(skip: number): bigint {
    const lx = this.lx;
    const text = lx.source.slice(lx.start + skip, lx.end);
    const c = text.charCodeAt(0);
    if (!(c >= 48 && c <= 57) || classifyNumber(text) !== 'nat') throw lx.error(`unknown operator ${lx.text()}`);
    const v = parseU64(text);
    if (v === undefined) throw lx.error('constant out of range');
    return v;
  }

  /** A type use without parameter names (call_indirect): returns the type index. */
  private typeUseNoNames(): number {
    const lx = this.lx;
    const ctx = this.ctx;
    let typeIndex = -1;
    let typeOffset = 0;
    if (openKeyword(lx, KW.type)) {
      typeOffset = lx.start;
      typeIndex = ctx.index(Space.type);
      close(lx);
    }
    const sig = this.sig;
    sig.params.length = 0;
    sig.results.length = 0;
    parseSignature(ctx, sig, null, null);
    if (typeIndex >= 0) {
      if (sig.params.length !== 0 || sig.results.length !== 0) checkTypeUse(ctx, typeIndex, typeOffset, sig);
      return typeIndex;
    }
    return ctx.funcTypeIndex(sig.params, sig.results);
  }

  private shuffle(): Uint8Array {
    const lx = this.lx;
    const lanes = new Uint8Array(16);
    const mark = lx.save();
    const at = lx.start;
    let n = 0;
    while (atNumber(lx)) {
      n++;
      lx.next();
    }
    if (n !== 16) throw lx.error('invalid lane length', at);
    lx.restore(mark);
    for (let i = 0; i < 16; i++) lanes[i] = readShuffleLane(lx);
    return lanes;
  }

  private v128(): Uint8Array {
    const lx = this.lx;
    if (lx.kind !== Tok.keyword) throw lx.unexpected();
    const shape = lx.is('i32x4') ? 0 : lx.is('i8x16') ? 1 : lx.is('i16x8') ? 2 : lx.is('i64x2') ? 3 : lx.is('f32x4') ? 4 : lx.is('f64x2') ? 5 : -1;
    if (shape < 0) throw lx.error(`unexpected token ${lx.text()}`);
    const lanes = V128_LANES[shape]!;
    lx.next();
    const mark = lx.save();
    const at = lx.start;
    let n = 0;
    while (atNumber(lx)) {
      n++;
      lx.next();
    }
    if (lx.kind === Tok.reserved) throw lx.unexpected();
    if (n !== lanes) throw lx.error('wrong number of lane literals', at);
    lx.restore(mark);
    const bytes = new Uint8Array(16);
    switch (shape) {
      case 0:
        for (let i = 0; i < 16; i += 4) putU32(bytes, i, readI32(lx));
        break;
      case 1:
        for (let i = 0; i < 16; i++) bytes[i] = readI8(lx);
        break;
      case 2:
        for (let i = 0; i < 16; i += 2) {
          const v = readI16(lx);
          bytes[i] = v;
          bytes[i + 1] = v >>> 8;
        }
        break;
      case 3: {
        const view = new DataView(bytes.buffer);
        for (let i = 0; i < 16; i += 8) view.setBigInt64(i, readI64(lx), true);
        break;
      }
      case 4:
        for (let i = 0; i < 16; i += 4) putU32(bytes, i, readF32(lx));
        break;
      default: {
        const view = new DataView(bytes.buffer);
        for (let i = 0; i < 16; i += 8) view.setBigUint64(i, readF64(lx), true);
        break;
      }
    }
    return bytes;
  }
}

/** Lanes of the v128.const shapes i32x4, i8x16, i16x8, i64x2, f32x4, f64x2. */
const V128_LANES = [4, 16, 8, 2, 4, 2];

/** Writes the 32-bit value `v` little-endian at `bytes[at]`. */
function putU32(bytes: Uint8Array, at: number, v: number): void {
  bytes[at] = v;
  bytes[at + 1] = v >>> 8;
  bytes[at + 2] = v >>> 16;
  bytes[at + 3] = v >>> 24;
}

function skipIndex(lx: Lexer): void {
  if (lx.kind === Tok.id || lx.kind === Tok.number) lx.next();
}

/** Checks that an inline signature matches the explicit `(type x)` it accompanies. */
export function checkTypeUse(ctx: ModuleContext, index: number, offset: number, sig: Signature): void {
  const ft = ctx.funcTypeAt(index, offset);
  if (!sameTypes(ft.params, sig.params) || !sameTypes(ft.results, sig.results)) {
    throw ctx.lx.error('inline function type does not match explicit type', offset);
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'string' || typeof y === 'string') return false;
    if (x.nullable !== y.nullable || x.heap !== y.heap) return false;
  }
  return true;
}

