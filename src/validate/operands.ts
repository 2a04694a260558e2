// Operand checks shared by the instruction files (./instructions.ts, ./gc.ts): segment
// indices, label type prefixes for the branch-on instructions, field storage types.

import { I16, I8 } from './codes.ts';
import { fail, unknown } from './fail.ts';
import type { RefType } from '../model/types.ts';
import type { CodeValidator } from './stack.ts';

export function data(v: CodeValidator, x: number): void {
  if (!(x >>> 0 === x && x < v.ctx.ndatas)) unknown('data segment', x);
  if (!v.ctx.module.dataCount) fail('data count section required');
}

export function elem(v: CodeValidator, x: number): number {
  if (!(x >>> 0 === x && x < v.ctx.nelems)) unknown('elem segment', x);
  return v.ctx.elemType[x]!;
}

/** Pops `n` operands of type t (bounded by the operand count even when n is huge). */
export function popN(v: CodeValidator, t: number, n: number): void {
  for (let i = 0; i < n; i++) {
    if (v.sp === v.height && v.unreach) return;
    v.popExpect(t);
  }
}

export function nonNull(code: number): number {
  return code - (code & 1);
}

/** Label types of frame f without the last one must be on the stack; they are restored. */
export function popPushLabelPrefix(v: CodeValidator, f: number): void {
  const off = v.labelOff(f);
  const len = v.labelLen(f) - 1;
  if (len > 0) {
    v.popVals(v.types.vpool, off, len);
    v.pushVals(v.types.vpool, off, len);
  }
}

/** The last label type of frame f (label arity must be at least one). */
export function lastLabelType(v: CodeValidator, f: number, what: string): number {
  const len = v.labelLen(f);
  if (len === 0) fail(`type mismatch: ${what} requires a label with a reference type but label has []`);
  return v.types.vpool[v.labelOff(f) + len - 1]!;
}

export function refTypeCode(v: CodeValidator, rt: RefType): number {
  return v.types.code(rt);
}

/** Storage of a field code: the field's value type, i8/i16 kept. */
export function storage(field: number): number {
  return field >> 1;
}

export function isPacked(field: number): boolean {
  const s = field >> 1;
  return s === I8 || s === I16;
}
