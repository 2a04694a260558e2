// Function validation (spec §3.5.x "Functions"): locals (with the initialization state of
// non-defaultable locals), the function's frame, and its body — either from the model
// (`validateFunction`), streamed one instruction at a time (`beginFunction`, then
// `validateOp` per instruction, then `endFunction`), or straight from the binary
// (`validateFunctionBytes`, the fused loop of ./code.ts).

import type { CodeReader } from '../binary/decode-instr.ts';
import { readValType } from '../binary/decode-types.ts';
import type { Func, LocalRun, ValType } from '../model/types.ts';
import { F32, F64, I32, I64, V128 } from './codes.ts';
import { lendStacks, returnStacks, validateCode } from './code.ts';
import { fail } from './fail.ts';
import { validateInstructions } from './instructions.ts';
import { CodeValidator, F_FUNC } from './stack.ts';
import { ModuleTypes } from './types.ts';

/**
 * Most locals (params included) a function may have: an implementation limit shared
 * with V8 and wasmparser; the specification only bounds the count by 2^32 - 1.
 */
export const MAX_LOCALS = 50000;

/** Adds a run of `count` locals to `total`, checking the limit. */
function countLocals(total: number, count: number): number {
  const n = total + count;
  if (n > MAX_LOCALS) fail('too many locals');
  return n;
}

/** Resets `v` for a function of type `t` with `total` locals; sets the params' types. */
function openLocals(v: CodeValidator, t: number, total: number): void {
  v.reset();
  if (total > v.localTypes.length || total > v.localReady.length) growLocals(v, total);
  const types = v.types;
  const np = types.n1[t]!;
  const off = types.off[t]!;
  const lt = v.localTypes;
  const ready = v.localReady;
  const vpool = types.vpool;
  for (let i = 0; i < np; i++) {
    const code = vpool[off + i]!;
    lt[i] = code;
    ready[i] = code;
  }
}

/** Sets locals [from, from + count) to type `code`; returns from + count. */
function setLocals(v: CodeValidator, from: number, code: number, count: number): number {
  const to = from + count;
  const lt = v.localTypes;
  const ready = v.localReady;
  const init = ModuleTypes.defaultable(code) ? code : 0;
  // A loop: for the few locals of a run, TypedArray#fill costs more than the stores.
  for (let i = from; i < to; i++) {
    lt[i] = code;
    ready[i] = init;
  }
  return to;
}

function growLocals(v: CodeValidator, n: number): void {
  if (v.localTypes.length < n) v.localTypes = grown(v.localTypes, n);
  // localReady may be the fused loop's shared array (./code.ts), longer than localTypes.
  if (v.localReady.length < n) v.localReady = grown(v.localReady, n);
}

/** A copy of `a` at least `n` long (its length doubled until it is). */
function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  let cap = a.length;
  while (cap < n) cap *= 2;
  const g = new Int32Array(cap);
  g.set(a);
  return g;
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
  // The limit is checked before any local's type.
  let total = v.types.n1[t]!;
  for (const run of locals) total = countLocals(total, run.count);
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
  const types = v.types;
  const buf = r.buf;
  const fast = !v.checkFeatures;
  // First every run's count (the limit is checked before any local's type, as on the
  // model path), keeping each run's type: its code when a number or vector type, else
  // the type itself, coded after the count is known.
  const runs = r.count();
  if (runs > runCounts.length) growRuns(runs);
  let total = types.n1[t]!;
  for (let i = 0; i < runs; i++) {
    const count = r.u32();
    total = countLocals(total, count);
    runCounts[i] = count;
    const b = buf[r.pos]!;
    if (b >= 0x7b && b <= 0x7f && fast) {
      runCodes[i] = NUM_BYTE[b - 0x7b]!;
      r.pos++;
    } else {
      runCodes[i] = -1;
      runTypes[i] = readValType(r);
    }
  }
  // The fused loop's shared stacks, lent for this function (empty: nothing to copy).
  v.reset();
  v.nlocals = 0;
  const giveBack = fast && lendStacks(v, total);
  try {
    openLocals(v, t, total);
    let x = types.n1[t]!;
    for (let i = 0; i < runs; i++) {
      const code = runCodes[i]!;
      x = setLocals(v, x, code >= 0 ? code : types.code(runTypes[i]!), runCounts[i]!);
    }
    openFrame(v, t, total);
    const start = r.pos;
    validateCode(v, r);
    return start;
  } finally {
    if (giveBack) returnStacks(v);
  }
}

// Scratch for the local declarations of validateFunctionBytes.
let runCounts = new Int32Array(16);
let runCodes = new Int32Array(16);
const runTypes: ValType[] = [];

function growRuns(n: number): void {
  let cap = runCounts.length;
  while (cap < n) cap *= 2;
  runCounts = new Int32Array(cap);
  runCodes = new Int32Array(cap);
}
