// Operand and control stacks of the validation algorithm (spec appendix "Validation
// Algorithm"), named as there: pushVal/popVal/popVals, pushCtrl/popCtrl, labelTypes,
// unreachable; plus the local initialization stack of non-defaultable locals.
//
// Everything is a typed array of type codes (./codes.ts); a control frame is FRAME words
// of one array. Nothing is allocated per instruction; the arrays double when full.

import { ValidationError } from '../model/errors.ts';
import { BOT, H_BOT, REF, refCode } from './codes.ts';
import type { ModuleContext } from './context.ts';
import { typeList } from './fail.ts';
import type { TypeRegistry } from './registry.ts';
import type { ModuleTypes } from './types.ts';

/** Control frame kinds (the `opcode` of a frame in the appendix). */
export const F_FUNC = 0;
export const F_BLOCK = 1;
export const F_LOOP = 2;
export const F_IF = 3;
export const F_ELSE = 4;
export const F_TRY_TABLE = 5;
export const F_TRY = 6;
export const F_CATCH = 7;
export const F_CATCH_ALL = 8;
/** The frame of a constant expression. */
export const F_CONST = 9;

/**
 * The words of a control frame in `CodeValidator.frames` (frame f starts at f * FRAME):
 * its kind, the operand stack height at its start, whether the rest of it is
 * unreachable, its start and end types (offset and length in types.vpool), and the
 * height of the local initialization stack at its start.
 */
export const FRAME = 8;
// (Each _LEN word follows its _OFF word: ./code.ts reads a label's types as a pair.)
export const FR_KIND = 0;
export const FR_HEIGHT = 1;
export const FR_UNREACH = 2;
export const FR_START_OFF = 3;
export const FR_START_LEN = 4;
export const FR_END_OFF = 5;
export const FR_END_LEN = 6;
export const FR_INIT = 7;

export class CodeValidator {
  readonly ctx: ModuleContext;
  readonly types: ModuleTypes;
  readonly reg: TypeRegistry;

  // Operand stack. Every array here starts at 16 entries (64 bytes at most), small
  // enough for V8 to keep on its heap: a larger typed array costs an off-heap allocation
  // (about 1 µs each), which dominated validating a small module. They double when full.
  vals = new Int32Array(16);
  sp = 0;

  // Control stack (frames of FRAME words); `height`/`unreach` cache the top frame's.
  frames = new Int32Array(2 * FRAME);
  csp = 0;
  height = 0;
  unreach = 0;

  // Locals: their types; per local, its type once it is initialized and 0 before (a
  // non-defaultable local is set before use: spec §3.4.x "Variable Instructions"); and
  // the stack of locals set in open frames.
  localTypes = new Int32Array(16);
  nlocals = 0;
  localReady = new Int32Array(16);
  inits = new Int32Array(16);
  initSp = 0;

  /** The current function's results (for return and tail calls) in types.vpool. */
  resultsOff = 0;
  resultsLen = 0;

  /** Whether the code is a constant expression (where ref.func needs no declaration). */
  constant = false;

  /** Index of the instruction that failed validation, or -1. */
  failedAt = -1;

  /**
   * Code read from the binary (./code.ts): position in the reader's buffer of the
   * instruction being validated, or -1.
   */
  at = -1;

  /** Per instruction row: 1 when enabled; checked only when some feature is off. */
  readonly enabled: Uint8Array;
  readonly checkFeatures: boolean;

  constructor(ctx: ModuleContext) {
    this.ctx = ctx;
    this.enabled = ctx.enabled;
    this.checkFeatures = !ctx.allFeatures;
    this.types = ctx.types;
    this.reg = ctx.types.reg;
  }

  // -------------------------------------------------------------------------------------
  // Operands

  pushVal(t: number): void {
    if (this.sp === this.vals.length) this.growVals();
    this.vals[this.sp++] = t;
  }

  /** Pushes `n` codes of `pool` from `off`. */
  pushVals(pool: Int32Array, off: number, n: number): void {
    while (this.sp + n > this.vals.length) this.growVals();
    const vals = this.vals;
    let sp = this.sp;
    for (let i = 0; i < n; i++) vals[sp++] = pool[off + i]!;
    this.sp = sp;
  }

  private growVals(): void {
    const grown = new Int32Array(this.vals.length * 2);
    grown.set(this.vals);
    this.vals = grown;
  }

  /** Pops any operand (BOT when the frame is unreachable and empty). */
  popVal(): number {
    if (this.sp === this.height) {
      if (this.unreach) return BOT;
      throw this.mismatchOne(-1);
    }
    return this.vals[--this.sp]!;
  }

  /** Pops an operand that must match `expect`; returns the actual type. */
  popExpect(expect: number): number {
    if (this.sp > this.height) {
      const actual = this.vals[--this.sp]!;
      if (actual === expect || this.reg.valSub(actual, expect)) return actual;
      this.sp++;
      throw this.mismatchOne(expect);
    }
    if (this.unreach) return BOT;
    throw this.mismatchOne(expect);
  }

  /** Pops `n` operands matching `pool[off..off+n)` (the last one first). */
  popVals(pool: Int32Array, off: number, n: number): void {
    const entry = this.sp;
    const vals = this.vals;
    const reg = this.reg;
    for (let i = n - 1; i >= 0; i--) {
      const expect = pool[off + i]!;
      if (this.sp > this.height) {
        const actual = vals[this.sp - 1]!;
        if (actual !== expect && !reg.valSub(actual, expect)) throw this.mismatchSeq(pool, off, n, entry);
        this.sp--;
      } else if (!this.unreach) {
        throw this.mismatchSeq(pool, off, n, entry);
      }
    }
  }

  /** Pops a reference operand (appendix pop_ref); BOT gives (ref bot). */
  popRef(): number {
    const t = this.popVal();
    if (t === BOT) return refCode(H_BOT, false);
    if (t < REF) {
      throw new ValidationError(`type mismatch: instruction requires reference type but stack has ${this.types.name(t)}`);
    }
    return t;
  }

  mismatchOne(expect: number): ValidationError {
    const want = expect < 0 ? '[any]' : `[${this.types.name(expect)}]`;
    const have = this.sp > this.height ? `[${this.types.name(this.vals[this.sp - 1]!)}]` : '[]';
    return new ValidationError(`type mismatch: instruction requires ${want} but stack has ${have}`);
  }

  mismatchSeq(pool: Int32Array, off: number, n: number, entry: number): ValidationError {
    const from = Math.max(this.height, entry - n);
    const want = typeList(pool, off, off + n, this.types.nameOf);
    const have = typeList(this.vals, from, entry, this.types.nameOf);
    return new ValidationError(`type mismatch: instruction requires ${want} but stack has ${have}`);
  }

  // -------------------------------------------------------------------------------------
  // Control frames

  /** Pushes a frame whose start and end types are in types.vpool; pushes the start types. */
  pushCtrl(kind: number, sOff: number, sLen: number, eOff: number, eLen: number): void {
    const f = this.csp;
    if ((f + 1) * FRAME > this.frames.length) this.growCtrl();
    const fr = this.frames;
    const at = f * FRAME;
    fr[at + FR_KIND] = kind;
    fr[at + FR_HEIGHT] = this.sp;
    fr[at + FR_UNREACH] = 0;
    fr[at + FR_START_OFF] = sOff;
    fr[at + FR_START_LEN] = sLen;
    fr[at + FR_END_OFF] = eOff;
    fr[at + FR_END_LEN] = eLen;
    fr[at + FR_INIT] = this.initSp;
    this.csp = f + 1;
    this.height = this.sp;
    this.unreach = 0;
    if (sLen > 0) this.pushVals(this.types.vpool, sOff, sLen);
  }

  /**
   * Pops the top frame after checking that the operands left are its end types; returns
   * its index (its fields stay readable until the next pushCtrl).
   */
  popCtrl(): number {
    const f = this.csp - 1;
    const eOff = this.endOff(f);
    const eLen = this.endLen(f);
    const entry = this.sp;
    if (eLen > 0) this.popVals(this.types.vpool, eOff, eLen);
    if (this.sp !== this.height) {
      const want = typeList(this.types.vpool, eOff, eOff + eLen, this.types.nameOf);
      const have = typeList(this.vals, this.height, entry, this.types.nameOf);
      throw new ValidationError(`type mismatch: block requires ${want} but stack has ${have}`);
    }
    // Locals initialized inside the frame are unset again.
    const initHeight = this.frames[f * FRAME + FR_INIT]!;
    while (this.initSp > initHeight) this.localReady[this.inits[--this.initSp]!] = 0;
    this.csp = f;
    if (f > 0) {
      this.height = this.frames[(f - 1) * FRAME + FR_HEIGHT]!;
      this.unreach = this.frames[(f - 1) * FRAME + FR_UNREACH]!;
    }
    return f;
  }

  private growCtrl(): void {
    const g = new Int32Array(this.frames.length * 2);
    g.set(this.frames);
    this.frames = g;
  }

  /** A frame's kind (F_*), start types and end types (offsets and lengths in types.vpool). */
  kind(f: number): number {
    return this.frames[f * FRAME + FR_KIND]!;
  }

  startOff(f: number): number {
    return this.frames[f * FRAME + FR_START_OFF]!;
  }

  startLen(f: number): number {
    return this.frames[f * FRAME + FR_START_LEN]!;
  }

  endOff(f: number): number {
    return this.frames[f * FRAME + FR_END_OFF]!;
  }

  endLen(f: number): number {
    return this.frames[f * FRAME + FR_END_LEN]!;
  }

  /** Frame index of label `l`, or an "unknown label" error. */
  label(l: number): number {
    if (!(l >>> 0 === l && l < this.csp)) throw new ValidationError(`unknown label ${l}`);
    return this.csp - 1 - l;
  }

  /** Offset and length in types.vpool of a frame's label types. */
  labelOff(f: number): number {
    return this.kind(f) === F_LOOP ? this.startOff(f) : this.endOff(f);
  }

  labelLen(f: number): number {
    return this.kind(f) === F_LOOP ? this.startLen(f) : this.endLen(f);
  }

  /** The rest of the frame is unreachable: the stack becomes polymorphic. */
  unreachable(): void {
    this.sp = this.height;
    this.unreach = 1;
    this.frames[(this.csp - 1) * FRAME + FR_UNREACH] = 1;
  }

  // -------------------------------------------------------------------------------------
  // Locals

  /** Marks local x initialized (for non-defaultable locals; undone by popCtrl). */
  initLocal(x: number): void {
    if (this.localReady[x] !== 0) return;
    this.localReady[x] = this.localTypes[x]!;
    if (this.initSp === this.inits.length) {
      const g = new Int32Array(this.inits.length * 2);
      g.set(this.inits);
      this.inits = g;
    }
    this.inits[this.initSp++] = x;
  }

  /** Resets both stacks for a new function or expression. */
  reset(): void {
    this.sp = 0;
    this.csp = 0;
    this.height = 0;
    this.unreach = 0;
    this.initSp = 0;
    this.failedAt = -1;
  }
}
