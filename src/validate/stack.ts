// Operand and control stacks of the validation algorithm (spec appendix "Validation
// Algorithm"), named as there: pushVal/popVal/popVals, pushCtrl/popCtrl, labelTypes,
// unreachable; plus the local initialization stack of non-defaultable locals.
//
// Everything is a typed array of type codes (./codes.ts); a control frame is one index
// into parallel arrays. Nothing is allocated per instruction; the arrays double when full.

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

export class CodeValidator {
  readonly ctx: ModuleContext;
  readonly types: ModuleTypes;
  readonly reg: TypeRegistry;

  // Operand stack. Every array here starts at 16 entries (64 bytes at most), small
  // enough for V8 to keep on its heap: a larger typed array costs an off-heap allocation
  // (about 1 µs each), which dominated validating a small module. They double when full.
  vals = new Int32Array(16);
  sp = 0;

  // Control stack; `height`/`unreach` cache the top frame's fields.
  kinds = new Uint8Array(16);
  heights = new Int32Array(16);
  unreachables = new Uint8Array(16);
  startOff = new Int32Array(16);
  startLen = new Int32Array(16);
  endOff = new Int32Array(16);
  endLen = new Int32Array(16);
  initHeights = new Int32Array(16);
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
    if (f === this.kinds.length) this.growCtrl();
    this.kinds[f] = kind;
    this.heights[f] = this.sp;
    this.unreachables[f] = 0;
    this.startOff[f] = sOff;
    this.startLen[f] = sLen;
    this.endOff[f] = eOff;
    this.endLen[f] = eLen;
    this.initHeights[f] = this.initSp;
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
    const eLen = this.endLen[f]!;
    const entry = this.sp;
    if (eLen > 0) this.popVals(this.types.vpool, this.endOff[f]!, eLen);
    if (this.sp !== this.height) {
      const want = typeList(this.types.vpool, this.endOff[f]!, this.endOff[f]! + eLen, this.types.nameOf);
      const have = typeList(this.vals, this.height, entry, this.types.nameOf);
      throw new ValidationError(`type mismatch: block requires ${want} but stack has ${have}`);
    }
    // Locals initialized inside the frame are unset again.
    const initHeight = this.initHeights[f]!;
    while (this.initSp > initHeight) this.localReady[this.inits[--this.initSp]!] = 0;
    this.csp = f;
    if (f > 0) {
      this.height = this.heights[f - 1]!;
      this.unreach = this.unreachables[f - 1]!;
    }
    return f;
  }

  private growCtrl(): void {
    const n = this.kinds.length * 2;
    const u8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
      const g = new Uint8Array(n);
      g.set(a);
      return g;
    };
    const i32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const g = new Int32Array(n);
      g.set(a);
      return g;
    };
    this.kinds = u8(this.kinds);
    this.unreachables = u8(this.unreachables);
    this.heights = i32(this.heights);
    this.startOff = i32(this.startOff);
    this.startLen = i32(this.startLen);
    this.endOff = i32(this.endOff);
    this.endLen = i32(this.endLen);
    this.initHeights = i32(this.initHeights);
  }

  /** Frame index of label `l`, or an "unknown label" error. */
  label(l: number): number {
    if (!(l >>> 0 === l && l < this.csp)) throw new ValidationError(`unknown label ${l}`);
    return this.csp - 1 - l;
  }

  /** Offset and length in types.vpool of a frame's label types. */
  labelOff(f: number): number {
    return this.kinds[f] === F_LOOP ? this.startOff[f]! : this.endOff[f]!;
  }

  labelLen(f: number): number {
    return this.kinds[f] === F_LOOP ? this.startLen[f]! : this.endLen[f]!;
  }

  /** The rest of the frame is unreachable: the stack becomes polymorphic. */
  unreachable(): void {
    this.sp = this.height;
    this.unreach = 1;
    this.unreachables[this.csp - 1] = 1;
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
