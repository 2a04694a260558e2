// Instruction validation (spec §3.4 "Instructions", appendix "Validation Algorithm"): a
// switch on the instruction's class from ./optable.ts. Instructions with a fixed `sig` in
// the instruction table are checked generically from its precomputed codes (`addr`
// becomes the address type of the memory the instruction names); the others have a case
// each — the commonest in `validateOp`, the rest in `validateOther`, GC in ./gc.ts. Block
// structure lives on the control stack (./stack.ts), so nesting costs no recursion.
//
// The cases are numeric literals (each labelled with its K_* name, checked by a test):
// V8 compiles a switch to a jump table only when its cases are literals.

import { ValidationError } from '../model/errors.ts';
import type {
  BrTable, CallIndirect, IndexPair, MemArg, MemArgLane, MemoryInit, TableInit, TryTable,
  Immediate,
} from '../model/instruction.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import type { BlockType, Expr, HeapType, ValType } from '../model/types.ts';
import { ADDR, BOT, H_EXN, H_FUNC, I32, I64, refCode, V128 } from './codes.ts';
import { fail, unknown } from './fail.ts';
import { validateGc } from './gc.ts';
import { data, elem, lastLabelType, nonNull, popPushLabelPrefix } from './operands.ts';
import {
  CLS, K_CALL_INDIRECT, K_CALL_REF, K_LOOP, LANES, MEM_TYPE, NATURAL, SIG, SIG_NP, SIG_NR,
  SIG_OFF,
} from './optable.ts';
import {
  CodeValidator, F_CATCH, F_CATCH_ALL, F_ELSE, F_IF, F_LOOP, F_BLOCK, F_TRY, F_TRY_TABLE,
} from './stack.ts';

const FUNCREF = refCode(H_FUNC, true);
const EXNREF = refCode(H_EXN, true);
const EXN_NONNULL = refCode(H_EXN, false);
const MAX_OFFSET32 = 0xffffffffn;

// Block type of the last `blockType` call (module state instead of an allocated tuple).
let bsOff = 0;
let bsLen = 0;
let beOff = 0;
let beLen = 0;

function blockType(v: CodeValidator, bt: BlockType): void {
  if (bt === null) {
    bsOff = bsLen = beOff = beLen = 0;
  } else if (typeof bt === 'number') {
    const types = v.types;
    const x = types.funcType(bt);
    if (!v.ctx.features['multi-value']) fail('a block type index requires the multi-value feature');
    bsOff = types.off[x]!;
    bsLen = types.n1[x]!;
    beOff = bsOff + bsLen;
    beLen = types.n2[x]!;
  } else {
    bsOff = bsLen = 0;
    beOff = v.types.single(v.types.code(bt));
    beLen = 1;
  }
}

function memarg(v: CodeValidator, m: MemArg, natural: number, atomic: boolean): number {
  const ctx = v.ctx;
  const x = m.memory;
  if (!(x >>> 0 === x && x < ctx.nmems)) unknown('memory', x);
  if (atomic) {
    if (m.align !== natural) fail('alignment must be equal to natural for atomic instructions');
  } else if (m.align > natural) {
    fail('alignment must not be larger than natural');
  }
  const addr = ctx.memAddr[x]!;
  if (addr === I32 && m.offset > MAX_OFFSET32) fail('offset out of range');
  return addr;
}

function memory(v: CodeValidator, x: number): number {
  if (!(x >>> 0 === x && x < v.ctx.nmems)) unknown('memory', x);
  return v.ctx.memAddr[x]!;
}

function table(v: CodeValidator, x: number): number {
  if (!(x >>> 0 === x && x < v.ctx.ntables)) unknown('table', x);
  return x;
}

/** Pops the params of a fixed signature, `addr` being the given address type. */
function popSig(v: CodeValidator, op: number, addr: number): void {
  const off = SIG_OFF[op]!;
  for (let i = SIG_NP[op]! - 1; i >= 0; i--) {
    const t = SIG[off + i]!;
    v.popExpect(t === ADDR ? addr : t);
  }
}

function pushSig(v: CodeValidator, op: number, addr: number): void {
  const off = SIG_OFF[op]! + SIG_NP[op]!;
  for (let i = 0, n = SIG_NR[op]!; i < n; i++) {
    const t = SIG[off + i]!;
    v.pushVal(t === ADDR ? addr : t);
  }
}

/** Callee results must match the caller's results (return_call*). */
function checkTailResults(v: CodeValidator, x: number): void {
  const types = v.types;
  const nr = types.n2[x]!;
  const off = types.off[x]! + types.n1[x]!;
  let ok = nr === v.resultsLen;
  for (let i = 0; ok && i < nr; i++) ok = v.reg.valSub(types.vpool[off + i]!, types.vpool[v.resultsOff + i]!);
  if (!ok) fail('type mismatch: current function requires result type different from callee results');
}

function call(v: CodeValidator, x: number): void {
  const types = v.types;
  const np = types.n1[x]!;
  const off = types.off[x]!;
  if (np > 0) v.popVals(types.vpool, off, np);
  const nr = types.n2[x]!;
  if (nr > 0) v.pushVals(types.vpool, off + np, nr);
}

function popArgs(v: CodeValidator, x: number): void {
  const np = v.types.n1[x]!;
  if (np > 0) v.popVals(v.types.vpool, v.types.off[x]!, np);
}

function catchClauses(v: CodeValidator, tt: TryTable): void {
  const types = v.types;
  const reg = v.reg;
  for (const c of tt.catches) {
    const f = v.label(c.label);
    const off = v.labelOff(f);
    const len = v.labelLen(f);
    const vpool = types.vpool;
    let ok = true;
    let n = 0;
    if (c.kind === 'catch' || c.kind === 'catch_ref') {
      const tag = c.tag ?? -1;
      if (!(tag >>> 0 === tag && tag < v.ctx.ntags)) unknown('tag', tag);
      const t = v.ctx.tagType[tag]!;
      n = types.n1[t]!;
      const toff = types.off[t]!;
      const want = c.kind === 'catch' ? n : n + 1;
      ok = len === want;
      for (let i = 0; ok && i < n; i++) ok = reg.valSub(vpool[toff + i]!, vpool[off + i]!);
    } else {
      ok = len === (c.kind === 'catch_all' ? 0 : 1);
    }
    if (ok && (c.kind === 'catch_ref' || c.kind === 'catch_all_ref')) ok = reg.valSub(EXN_NONNULL, vpool[off + n]!);
    if (!ok) fail(`type mismatch: catch handler types do not match label ${c.label}`);
  }
}

function featureOff(op: number): never {
  const info = INSTRUCTIONS[op]!;
  throw new ValidationError(`unknown operator ${info.name}: the ${info.feature} feature is disabled`);
}

/**
 * Validates `instrs` against the stacks of `v`, whose outermost frame the caller pushed
 * (and pops). On an error, `v.failedAt` is the failing instruction's index.
 */
export function validateInstructions(v: CodeValidator, instrs: Expr): void {
  const n = instrs.length;
  let pc = 0;
  try {
    for (; pc < n; pc++) {
      const ins = instrs[pc]!;
      validateOpFast(v, ins.op, ins.imm);
    }
  } catch (e) {
    v.failedAt = pc;
    throw e;
  }
}

const CLS_ = CLS;
const SIG_ = SIG;
const SIG_OFF_ = SIG_OFF;
const SIG_NP_ = SIG_NP;
const SIG_NR_ = SIG_NR;
const NATURAL_ = NATURAL;
const MEM_TYPE_ = MEM_TYPE;

/**
 * `validateOp` with the two commonest cases first — local.get and exactly-typed
 * instructions of a fixed signature (about half of all code) — in a function small
 * enough for V8 to inline into the caller's loop.
 */
export function validateOpFast(v: CodeValidator, op: number, immediate: Immediate): void {
  const cls = CLS_[op]!;
  if (cls === 40 && !v.checkFeatures) { // K_LOCAL_GET
    const x = immediate as number;
    const sp = v.sp;
    if (x < v.nlocals && v.localReady[x] !== 0 && sp < v.vals.length) {
      v.vals[sp] = v.localReady[x]!;
      v.sp = sp + 1;
      return;
    }
  } else if (cls === 1 && !v.checkFeatures) { // K_GENERIC
    const np = SIG_NP_[op]!;
    const off = SIG_OFF_[op]!;
    const vals = v.vals;
    const sp = v.sp - np;
    if (sp >= v.height && sp < vals.length && (np < 1 || vals[sp] === SIG_[off]) && (np < 2 || vals[sp + 1] === SIG_[off + 1]) && np < 3) {
      if (SIG_NR_[op] !== 0) {
        vals[sp] = SIG_[off + np]!;
        v.sp = sp + 1;
      } else {
        v.sp = sp;
      }
      return;
    }
  }
  validateOp(v, op, immediate);
}

/**
 * Validates one instruction (instruction table row `op` with immediate `imm` in the
 * model's shape) against the stacks of `v`. The final `end` of a body is not passed:
 * the caller closes the outermost frame.
 */
export function validateOp(v: CodeValidator, op: number, immediate: Immediate): void {
  if (v.checkFeatures && v.enabled[op] === 0) featureOff(op);
  switch (CLS_[op]) {
    case 1: { // K_GENERIC
      const off = SIG_OFF_[op]!;
      const np = SIG_NP_[op]!;
      if (np > 0) {
        // Fast path: the operands are exactly the expected types.
        const vals = v.vals;
        const h = v.height;
        let sp = v.sp;
        let i = np - 1;
        for (; i >= 0; i--) {
          if (sp > h && vals[sp - 1] === SIG_[off + i]) sp--;
          else break;
        }
        if (i < 0) v.sp = sp;
        else v.popVals(SIG_, off, np);
      }
      if (SIG_NR_[op] !== 0) v.pushVal(SIG_[off + np]!);
      break;
    }
    case 80: { // K_LOAD
      const m = immediate as MemArg;
      const ctx = v.ctx;
      const x = m.memory;
      if (!(x >>> 0 === x && x < ctx.nmems) || m.align > NATURAL_[op]!) memarg(v, m, NATURAL_[op]!, false);
      const addr = ctx.memAddr[x]!;
      if (addr === I32 && m.offset > MAX_OFFSET32) fail('offset out of range');
      if (v.sp > v.height && v.vals[v.sp - 1] === addr) v.sp--;
      else v.popExpect(addr);
      v.pushVal(MEM_TYPE_[op]!);
      break;
    }
    case 81: { // K_STORE
      const m = immediate as MemArg;
      const ctx = v.ctx;
      const x = m.memory;
      if (!(x >>> 0 === x && x < ctx.nmems) || m.align > NATURAL_[op]!) memarg(v, m, NATURAL_[op]!, false);
      const addr = ctx.memAddr[x]!;
      if (addr === I32 && m.offset > MAX_OFFSET32) fail('offset out of range');
      const sp = v.sp;
      if (sp - 2 >= v.height && v.vals[sp - 1] === MEM_TYPE_[op] && v.vals[sp - 2] === addr) {
        v.sp = sp - 2;
      } else {
        v.popExpect(MEM_TYPE_[op]!);
        v.popExpect(addr);
      }
      break;
    }
    case 16: { // K_END
      if (v.csp <= 1) fail('unexpected end: instructions after the end of the body');
      const f = v.popCtrl();
      const eOff = v.endOff(f);
      const eLen = v.endLen(f);
      if (v.kind(f) === F_IF) checkEmptyElse(v, f);
      if (eLen > 0) v.pushVals(v.types.vpool, eOff, eLen);
      break;
    }
    case 17: { // K_BR
      const f = v.label(immediate as number);
      const len = v.labelLen(f);
      if (len > 0) v.popVals(v.types.vpool, v.labelOff(f), len);
      v.unreachable();
      break;
    }
    case 18: { // K_BR_IF
      const f = v.label(immediate as number);
      v.popExpect(I32);
      const len = v.labelLen(f);
      if (len > 0) {
        const off = v.labelOff(f);
        v.popVals(v.types.vpool, off, len);
        v.pushVals(v.types.vpool, off, len);
      }
      break;
    }
    case 21: { // K_CALL
      const x = immediate as number;
      if (!(x >>> 0 === x && x < v.ctx.nfuncs)) unknown('function', x);
      call(v, v.ctx.funcType[x]!);
      break;
    }
    case 38: // K_DROP
      v.popVal();
      break;
    case 40: { // K_LOCAL_GET
      const x = immediate as number;
      if (!(x >>> 0 === x && x < v.nlocals)) unknown('local', x);
      if (v.localReady[x] === 0) fail(`uninitialized local ${x}`);
      v.pushVal(v.localTypes[x]!);
      break;
    }
    case 41: { // K_LOCAL_SET
      const x = immediate as number;
      if (!(x >>> 0 === x && x < v.nlocals)) unknown('local', x);
      v.popExpect(v.localTypes[x]!);
      if (v.localReady[x] === 0) v.initLocal(x);
      break;
    }
    case 42: { // K_LOCAL_TEE
      const x = immediate as number;
      if (!(x >>> 0 === x && x < v.nlocals)) unknown('local', x);
      const t = v.localTypes[x]!;
      v.popExpect(t);
      if (v.localReady[x] === 0) v.initLocal(x);
      v.pushVal(t);
      break;
    }
    case 43: { // K_GLOBAL_GET
      const x = immediate as number;
      if (!(x >>> 0 === x && x < v.ctx.nglobals)) unknown('global', x);
      v.pushVal(v.ctx.globalType[x]!);
      break;
    }
    default:
      validateOther(v, op, immediate);
  }
}

/** The instructions not handled by validateOp's short switch. */
function validateOther(v: CodeValidator, op: number, immediate: Immediate): void {
  const ctx = v.ctx;
  const types = v.types;
  const reg = v.reg;
  switch (CLS_[op]) {
    case 2: { // K_MEM
      const addr = memarg(v, immediate as MemArg, NATURAL_[op]!, false);
      popSig(v, op, addr);
      pushSig(v, op, addr);
      break;
    }
    case 3: { // K_ATOMIC
      const addr = memarg(v, immediate as MemArg, NATURAL_[op]!, true);
      popSig(v, op, addr);
      pushSig(v, op, addr);
      break;
    }
    case 4: { // K_MEM_LANE
      const imm = immediate as MemArgLane;
      const addr = memarg(v, imm.memarg, NATURAL_[op]!, false);
      if (imm.lane >= LANES[op]! || imm.lane < 0) fail('invalid lane index');
      popSig(v, op, addr);
      pushSig(v, op, addr);
      break;
    }
    case 5: { // K_LANE
      const lane = immediate as number;
      if (lane >= LANES[op]! || lane < 0) fail('invalid lane index');
      popSig(v, op, 0);
      pushSig(v, op, 0);
      break;
    }
    case 6: { // K_SHUFFLE
      const lanes = immediate as Uint8Array;
      for (let i = 0; i < lanes.length; i++) if (lanes[i]! >= 32) fail('invalid lane index');
      popSig(v, op, 0);
      pushSig(v, op, 0);
      break;
    }
    case 7: { // K_MEMIDX
      const addr = memory(v, immediate as number);
      popSig(v, op, addr);
      pushSig(v, op, addr);
      break;
    }
    case 8: { // K_MEMINIT
      const imm = immediate as MemoryInit;
      const addr = memory(v, imm.memory);
      data(v, imm.data);
      popSig(v, op, addr);
      break;
    }
    case 9: // K_DATADROP
      data(v, immediate as number);
      break;
    case 10: // K_ELEMDROP
      elem(v, immediate as number);
      break;

    // --- control ---
    case 11: // K_UNREACHABLE
      v.unreachable();
      break;
    case 12: // K_BLOCK
    case 13: { // K_LOOP
      blockType(v, immediate as BlockType);
      if (bsLen > 0) v.popVals(types.vpool, bsOff, bsLen);
      v.pushCtrl(CLS_[op] === K_LOOP ? F_LOOP : F_BLOCK, bsOff, bsLen, beOff, beLen);
      break;
    }
    case 14: { // K_IF
      blockType(v, immediate as BlockType);
      v.popExpect(I32);
      if (bsLen > 0) v.popVals(types.vpool, bsOff, bsLen);
      v.pushCtrl(F_IF, bsOff, bsLen, beOff, beLen);
      break;
    }
    case 15: { // K_ELSE
      if (v.csp < 1 || v.kind(v.csp - 1) !== F_IF) fail('else without matching if');
      const f = v.popCtrl();
      const sOff = v.startOff(f), sLen = v.startLen(f), eOff = v.endOff(f), eLen = v.endLen(f);
      v.pushCtrl(F_ELSE, sOff, sLen, eOff, eLen);
      break;
    }
    case 19: { // K_BR_TABLE
      const bt = immediate as BrTable;
      v.popExpect(I32);
      const fd = v.label(bt.default);
      const arity = v.labelLen(fd);
      const targets = bt.targets;
      const sp = v.sp;
      let last = -1;
      for (let i = 0; i < targets.length; i++) {
        const f = v.label(targets[i]!);
        if (f === last) continue;
        last = f;
        if (v.labelLen(f) !== arity) fail('type mismatch: br_table targets have different arities');
        if (arity > 0) {
          v.popVals(types.vpool, v.labelOff(f), arity);
          v.sp = sp;
        }
      }
      if (arity > 0) v.popVals(types.vpool, v.labelOff(fd), arity);
      v.unreachable();
      break;
    }
    case 20: // K_RETURN
      if (v.resultsLen > 0) v.popVals(types.vpool, v.resultsOff, v.resultsLen);
      v.unreachable();
      break;
    case 22: // K_CALL_INDIRECT
    case 32: { // K_RETURN_CALL_INDIRECT
      const imm = immediate as CallIndirect;
      const t = table(v, imm.table);
      if (!reg.valSub(ctx.tableElem[t]!, FUNCREF)) {
        fail(`type mismatch: instruction requires table of function type but table has element type ${types.name(ctx.tableElem[t]!)}`);
      }
      const x = types.funcType(imm.type);
      v.popExpect(ctx.tableAddr[t]!);
      if (CLS_[op] === K_CALL_INDIRECT) {
        call(v, x);
      } else {
        checkTailResults(v, x);
        popArgs(v, x);
        v.unreachable();
      }
      break;
    }
    case 31: { // K_RETURN_CALL
      const x = immediate as number;
      if (!(x >>> 0 === x && x < ctx.nfuncs)) unknown('function', x);
      const t = ctx.funcType[x]!;
      checkTailResults(v, t);
      popArgs(v, t);
      v.unreachable();
      break;
    }
    case 34: // K_CALL_REF
    case 33: { // K_RETURN_CALL_REF
      const x = types.funcType(immediate as number);
      v.popExpect(types.defRef(x, true));
      if (CLS_[op] === K_CALL_REF) {
        call(v, x);
      } else {
        checkTailResults(v, x);
        popArgs(v, x);
        v.unreachable();
      }
      break;
    }

    // --- exceptions ---
    case 23: { // K_THROW
      const x = immediate as number;
      if (!(x >>> 0 === x && x < ctx.ntags)) unknown('tag', x);
      popArgs(v, ctx.tagType[x]!);
      v.unreachable();
      break;
    }
    case 24: // K_THROW_REF
      v.popExpect(EXNREF);
      v.unreachable();
      break;
    case 25: { // K_TRY_TABLE
      const tt = immediate as TryTable;
      blockType(v, tt.type);
      const sOff = bsOff, sLen = bsLen, eOff = beOff, eLen = beLen;
      catchClauses(v, tt);
      if (sLen > 0) v.popVals(types.vpool, sOff, sLen);
      v.pushCtrl(F_TRY_TABLE, sOff, sLen, eOff, eLen);
      break;
    }
    case 26: { // K_TRY
      blockType(v, immediate as BlockType);
      if (bsLen > 0) v.popVals(types.vpool, bsOff, bsLen);
      v.pushCtrl(F_TRY, bsOff, bsLen, beOff, beLen);
      break;
    }
    case 27: { // K_CATCH
      const k = v.csp > 0 ? v.kind(v.csp - 1) : -1;
      if (k !== F_TRY && k !== F_CATCH) fail('catch without matching try');
      const x = immediate as number;
      if (!(x >>> 0 === x && x < ctx.ntags)) unknown('tag', x);
      const t = ctx.tagType[x]!;
      const f = v.popCtrl();
      const eOff = v.endOff(f), eLen = v.endLen(f);
      v.pushCtrl(F_CATCH, types.off[t]!, types.n1[t]!, eOff, eLen);
      break;
    }
    case 30: { // K_CATCH_ALL
      const k = v.csp > 0 ? v.kind(v.csp - 1) : -1;
      if (k !== F_TRY && k !== F_CATCH) fail('catch_all without matching try');
      const f = v.popCtrl();
      const eOff = v.endOff(f), eLen = v.endLen(f);
      v.pushCtrl(F_CATCH_ALL, 0, 0, eOff, eLen);
      break;
    }
    case 29: { // K_DELEGATE
      if (v.csp < 1 || v.kind(v.csp - 1) !== F_TRY) fail('delegate without matching try');
      const f = v.popCtrl();
      const eOff = v.endOff(f), eLen = v.endLen(f);
      v.label(immediate as number);
      if (eLen > 0) v.pushVals(types.vpool, eOff, eLen);
      break;
    }
    case 28: { // K_RETHROW
      const f = v.label(immediate as number);
      const k = v.kind(f);
      if (k !== F_CATCH && k !== F_CATCH_ALL) fail('invalid rethrow label');
      v.unreachable();
      break;
    }

    // --- references ---
    case 35: // K_REF_AS_NON_NULL
      v.pushVal(nonNull(v.popRef()));
      break;
    case 36: { // K_BR_ON_NULL
      const rt = v.popRef();
      const f = v.label(immediate as number);
      const len = v.labelLen(f);
      if (len > 0) {
        const off = v.labelOff(f);
        v.popVals(types.vpool, off, len);
        v.pushVals(types.vpool, off, len);
      }
      v.pushVal(nonNull(rt));
      break;
    }
    case 37: { // K_BR_ON_NON_NULL
      const rt = v.popRef();
      const f = v.label(immediate as number);
      const last = lastLabelType(v, f, 'br_on_non_null');
      if (!reg.valSub(nonNull(rt), last)) {
        fail(`type mismatch: instruction requires type ${types.name(nonNull(rt))} but label has ${types.name(last)}`);
      }
      popPushLabelPrefix(v, f);
      break;
    }
    case 48: // K_REF_NULL
      v.pushVal(refCode(types.heap(immediate as HeapType), true));
      break;
    case 49: // K_REF_IS_NULL
      v.popRef();
      v.pushVal(I32);
      break;
    case 50: { // K_REF_FUNC
      const x = immediate as number;
      if (!(x >>> 0 === x && x < ctx.nfuncs)) unknown('function', x);
      if (!v.constant && ctx.declared[x] === 0) fail(`undeclared function reference ${x}`);
      v.pushVal(types.defRef(ctx.funcType[x]!, false));
      break;
    }

    // --- parametric and variables ---
    case 39: { // K_SELECT
      const sel = immediate as readonly ValType[] | null;
      if (sel === null) {
        v.popExpect(I32);
        const t1 = v.popVal();
        const t2 = v.popVal();
        if (t1 > V128 || t2 > V128) {
          fail(`type mismatch: select requires numeric or vector operands but stack has [${types.name(t2)} ${types.name(t1)}]`);
        }
        if (t1 !== t2 && t1 !== BOT && t2 !== BOT) {
          fail(`type mismatch: select operands differ: [${types.name(t2)} ${types.name(t1)}]`);
        }
        v.pushVal(t1 === BOT ? t2 : t1);
      } else {
        if (sel.length !== 1) fail('invalid result arity');
        const t = types.code(sel[0]!);
        v.popExpect(I32);
        v.popExpect(t);
        v.popExpect(t);
        v.pushVal(t);
      }
      break;
    }
    case 44: { // K_GLOBAL_SET
      const x = immediate as number;
      if (!(x >>> 0 === x && x < ctx.nglobals)) unknown('global', x);
      if (ctx.globalMut[x] === 0) fail(`immutable global ${x}`);
      v.popExpect(ctx.globalType[x]!);
      break;
    }

    // --- tables and bulk memory ---
    case 45: { // K_MEMORY_COPY
      const imm = immediate as IndexPair;
      const ad = memory(v, imm.dst);
      const as = memory(v, imm.src);
      v.popExpect(ad === I64 && as === I64 ? I64 : I32);
      v.popExpect(as);
      v.popExpect(ad);
      break;
    }
    case 46: { // K_TABLE_INIT
      const imm = immediate as TableInit;
      const t = table(v, imm.table);
      const et = elem(v, imm.elem);
      if (!reg.valSub(et, ctx.tableElem[t]!)) {
        fail(`type mismatch: element segment's type ${types.name(et)} does not match table's element type ${types.name(ctx.tableElem[t]!)}`);
      }
      v.popExpect(I32);
      v.popExpect(I32);
      v.popExpect(ctx.tableAddr[t]!);
      break;
    }
    case 47: { // K_TABLE_COPY
      const imm = immediate as IndexPair;
      const td = table(v, imm.dst);
      const ts = table(v, imm.src);
      if (!reg.valSub(ctx.tableElem[ts]!, ctx.tableElem[td]!)) {
        fail(`type mismatch: source element type ${types.name(ctx.tableElem[ts]!)} does not match destination element type ${types.name(ctx.tableElem[td]!)}`);
      }
      const ad = ctx.tableAddr[td]!;
      const as = ctx.tableAddr[ts]!;
      v.popExpect(ad === I64 && as === I64 ? I64 : I32);
      v.popExpect(as);
      v.popExpect(ad);
      break;
    }
    case 51: { // K_TABLE_GET
      const t = table(v, immediate as number);
      v.popExpect(ctx.tableAddr[t]!);
      v.pushVal(ctx.tableElem[t]!);
      break;
    }
    case 52: { // K_TABLE_SET
      const t = table(v, immediate as number);
      v.popExpect(ctx.tableElem[t]!);
      v.popExpect(ctx.tableAddr[t]!);
      break;
    }
    case 53: { // K_TABLE_GROW
      const t = table(v, immediate as number);
      v.popExpect(ctx.tableAddr[t]!);
      v.popExpect(ctx.tableElem[t]!);
      v.pushVal(ctx.tableAddr[t]!);
      break;
    }
    case 54: { // K_TABLE_SIZE
      const t = table(v, immediate as number);
      v.pushVal(ctx.tableAddr[t]!);
      break;
    }
    case 55: { // K_TABLE_FILL
      const t = table(v, immediate as number);
      v.popExpect(ctx.tableAddr[t]!);
      v.popExpect(ctx.tableElem[t]!);
      v.popExpect(ctx.tableAddr[t]!);
      break;
    }

    default:
      validateGc(v, op, immediate);
  }
}

/** An if without else has an empty else branch: its params must give its results. */
function checkEmptyElse(v: CodeValidator, f: number): void {
  const vpool = v.types.vpool;
  const sOff = v.startOff(f);
  const sLen = v.startLen(f);
  const eOff = v.endOff(f);
  const eLen = v.endLen(f);
  let ok = sLen === eLen;
  for (let i = 0; ok && i < sLen; i++) ok = v.reg.valSub(vpool[sOff + i]!, vpool[eOff + i]!);
  if (!ok) {
    fail(`type mismatch: instruction requires ${typeListOf(v, eOff, eLen)} but stack has ${typeListOf(v, sOff, sLen)}`);
  }
}

function typeListOf(v: CodeValidator, off: number, len: number): string {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(v.types.name(v.types.vpool[off + i]!));
  return `[${parts.join(' ')}]`;
}
