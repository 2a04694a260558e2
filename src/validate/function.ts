// Function validation (spec §3.5.x "Functions"): locals (with the initialization state of
// non-defaultable locals), the function's frame, and its body — either from the model
// (`validateFunction`), streamed one instruction at a time (`beginFunction`, then
// `validateOp` per instruction, then `endFunction`), or straight from the binary
// (`validateFunctionBytes`, the fused loop of ./code.ts).

import type { CodeReader } from '../binary/decode-instr.ts';
import { readValType } from '../binary/decode-types.ts';
import type { Func, LocalRun } from '../model/types.ts';
import { F32, F64, I32, I64, V128 } from './codes.ts';
import { validateCode } from './code.ts';
import { fail } from './fail.ts';
import { validateInstructions } from './instructions.ts';
import { CodeValidator, F_FUNC } from './stack.ts';
import { ModuleTypes } from './types.ts';

/**
 * Most locals (params included) a function may have: an implementation limit shared
 * with V8 and wasmparser; the specification only bounds the count by 2^32 - 1.
 */
export const MAX_LOCALS = 50000;

/**
 * Checks the number of locals: the params of type `t` and then `count(i)` for each of
 * `runs` runs (the limit is checked before any local's type, as a decoder counts them).
 */
function countLocals(v: CodeValidator, t: number, runs: number, count: (i: number) => number): number {
  let total = v.types.n1[t]!;
  for (let i = 0; i < runs; i++) {
    total += count(i);
    if (total > MAX_LOCALS) fail('too many locals');
  }
  return total;
}

/** Resets `v` for a function of type `t` with `total` locals; sets the params' types. */
function openLocals(v: CodeValidator, t: number, total: number): void {
  v.reset();
  if (total > v.localTypes.length) growLocals(v, total);
  const types = v.types;
  const np = types.n1[t]!;
  const off = types.off[t]!;
  const lt = v.localTypes;
  const li = v.localInit;
  const vpool = types.vpool;
  for (let i = 0; i < np; i++) {
    lt[i] = vpool[off + i]!;
    li[i] = 1;
  }
}

/** Sets locals [from, from + count) to type `code`; returns from + count. */
function setLocals(v: CodeValidator, from: number, code: number, count: number): number {
  const to = from + count;
  v.localTypes.fill(code, from, to);
  v.localInit.fill(ModuleTypes.defaultable(code) ? 1 : 0, from, to);
  return to;
}

function growLocals(v: CodeValidator, n: number): void {
  let cap = v.localTypes.length;
  while (cap < n) cap *= 2;
  const lt = new Int32Array(cap);
  lt.set(v.localTypes);
  v.localTypes = lt;
  const li = new Uint8Array(cap);
  li.set(v.localInit);
  v.localInit = li;
}

/** Pushes the frame of a function of type `t` with `total` locals. */
function openFrame(v: CodeValidator, t: number, total: number): void {
  const types = v.types;
  const np = types.n1[t]!;
  const off = types.off[t]!;
  v.nlocals = total;
  v.constant = false;
  v.resultsOff = off + np;
  v.resultsLen = types.n2[t]!;
  v.pushCtrl(F_FUNC, 0, 0, off + np, types.n2[t]!);
}

/**
 * Prepares `v` for the body of a function of type `t` (a function type index, already
 * checked) with the given locals: pushes the function's frame.
 */
export function beginFunction(v: CodeValidator, t: number, locals: readonly LocalRun[]): void {
  const total = countLocals(v, t, locals.length, (i) => locals[i]!.count);
  openLocals(v, t, total);
  let x = v.types.n1[t]!;
  for (const run of locals) x = setLocals(v, x, v.types.code(run.type), run.count);
  openFrame(v, t, total);
}

/** The body's final `end`: the function's frame must be the only one left. */
export function endFunction(v: CodeValidator): void {
  if (v.csp !== 1) fail('unexpected end: a block is not closed at the end of the function');
  v.popCtrl();
}

/** Validates a defined function whose type index was checked to be a function type. */
export function validateFunction(v: CodeValidator, func: Func): void {
  beginFunction(v, func.type, func.locals);
  validateInstructions(v, func.body);
  // The final `end` counts as the instruction after the body's last.
  v.failedAt = func.body.length;
  endFunction(v);
  v.failedAt = -1;
}

/** Value type codes of the one-byte number and vector types, by byte (0x7B-0x7F). */
const NUM_BYTE: readonly number[] = [V128, F64, F32, I64, I32];

/**
 * Validates the code entry of a function of type `t` (checked) straight from the binary:
 * `r` is at its local declarations, and `r.end` is the end of the entry. Leaves `r.pos`
 * where the body's final `end` was read (after it); returns the position of the first
 * instruction. On an error, `v.at` is the position of the instruction that failed (-1
 * when it is in the locals).
 */
export function validateFunctionBytes(v: CodeValidator, t: number, r: CodeReader): number {
  v.at = -1;
  // Two passes over the local declarations: the counts, then the types.
  const runs = r.count();
  const first = r.pos;
  const total = countLocals(v, t, runs, () => {
    const count = r.u32();
    readValType(r);
    return count;
  });
  openLocals(v, t, total);
  r.pos = first;
  const buf = r.buf;
  let x = v.types.n1[t]!;
  for (let i = 0; i < runs; i++) {
    const count = r.u32();
    const b = buf[r.pos]!;
    let code: number;
    if (b >= 0x7b && b <= 0x7f && !v.checkFeatures) {
      code = NUM_BYTE[b - 0x7b]!;
      r.pos++;
    } else {
      code = v.types.code(readValType(r));
    }
    x = setLocals(v, x, code, count);
  }
  openFrame(v, t, total);
  const start = r.pos;
  validateCode(v, r);
  return start;
}
