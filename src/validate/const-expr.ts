// Constant expressions (spec §3.5.x "Constant Expressions"): only constant instructions —
// number and vector constants, ref.null, ref.func, global.get of an immutable global
// (imported, or defined earlier when the GC proposal is on), the extended-const
// arithmetic, and the GC allocations and conversions — then typed like any other code.

import { op } from '../model/opcodes.ts';
import { fail, unknown } from './fail.ts';
import { validateInstructions } from './instructions.ts';
import { CLS, CONST_OK, K_GENERIC, SIG, SIG_NP, SIG_NR, SIG_OFF } from './optable.ts';
import { CodeValidator, F_CONST } from './stack.ts';
import type { Expr } from '../model/types.ts';

const GLOBAL_GET = op('global.get');
/** Constant only with the extended-const proposal. */
const EXTENDED = new Set(['i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul'].map(op));

/**
 * Validates `expr` as a constant expression of type `expect` (a type code) in which
 * `global.get` may name globals below `globals`.
 */
export function validateConstExpr(v: CodeValidator, expr: Expr, expect: number, globals: number): void {
  const ctx = v.ctx;
  // Shortcut for the commonest expression, one constant of exactly the expected type
  // (a segment's offset, a global's initial value): valid, as the full check would say.
  if (expr.length === 1 && !v.checkFeatures) {
    const op = expr[0]!.op;
    if (CLS[op] === K_GENERIC && CONST_OK[op] === 1 && SIG_NP[op] === 0 && SIG_NR[op] === 1 && SIG[SIG_OFF[op]!] === expect) {
      return;
    }
  }
  for (let i = 0; i < expr.length; i++) {
    const ins = expr[i]!;
    v.failedAt = i;
    if (CONST_OK[ins.op] === 0) fail('constant expression required');
    if (!ctx.features['extended-const'] && EXTENDED.has(ins.op)) fail('constant expression required');
    if (ins.op === GLOBAL_GET) {
      const x = ins.imm as number;
      if (!(x >>> 0 === x && x < globals)) unknown('global', x);
      if (ctx.globalMut[x] === 1) fail('constant expression required');
    }
  }
  v.reset();
  v.nlocals = 0;
  v.resultsLen = 0;
  v.pushCtrl(F_CONST, 0, 0, v.types.single(expect), 1);
  v.constant = true;
  validateInstructions(v, expr);
  v.constant = false;
  v.popCtrl();
}
