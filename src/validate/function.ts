// Function validation (spec §3.5.x "Functions"): locals (with the initialization state of
// non-defaultable locals), the function's frame, and its body — either from the model
// (`validateFunction`) or streamed one instruction at a time (`beginFunction`, then
// `validateOp` per instruction, then `endFunction`).

import type { Func, LocalRun } from '../model/types.ts';
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
 * Prepares `v` for the body of a function of type `t` (a function type index, already
 * checked) with the given locals: pushes the function's frame.
 */
export function beginFunction(v: CodeValidator, t: number, locals: readonly LocalRun[]): void {
  v.failedAt = -1;
  const types = v.types;
  const np = types.n1[t]!;
  const nr = types.n2[t]!;
  const off = types.off[t]!;
  let total = np;
  for (const run of locals) {
    total += run.count;
    if (total > MAX_LOCALS) fail('too many locals');
  }
  v.reset();
  if (total > v.localTypes.length) {
    let cap = v.localTypes.length;
    while (cap < total) cap *= 2;
    v.localTypes = new Int32Array(cap);
    v.localInit = new Uint8Array(cap);
  }
  const lt = v.localTypes;
  const li = v.localInit;
  const vpool = types.vpool;
  for (let i = 0; i < np; i++) {
    lt[i] = vpool[off + i]!;
    li[i] = 1;
  }
  let x = np;
  for (const run of locals) {
    const code = types.code(run.type);
    const init = ModuleTypes.defaultable(code) ? 1 : 0;
    lt.fill(code, x, x + run.count);
    li.fill(init, x, x + run.count);
    x += run.count;
  }
  v.nlocals = total;
  v.constant = false;
  v.resultsOff = off + np;
  v.resultsLen = nr;
  v.pushCtrl(F_FUNC, 0, 0, off + np, nr);
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
  endFunction(v);
}
