// Validating code straight from the binary (spec §3.4 "Instructions" over §5.4, their
// binary format): the fused decode-and-validate loop behind `validate()`.
//
// The loop reads an opcode byte and dispatches once: local.get and i32.const (half of all
// instructions) are tested first, every other instruction goes by the class in its info
// word (a switch whose cases are numeric literals, which V8 compiles to a jump table).
// A case reads the immediate inline from the bytes and applies the instruction's type
// effect to the typed-array stacks of ./stack.ts directly: no call, no immediate object.
//
// These inline paths take only the common, plainly valid case — one- or two-byte
// indices, memory 0 with a short offset, operands of exactly the expected types, blocks
// without params. Everything else (every other instruction, operands that need
// subtyping, an error of any kind) takes the general route: the decoder's
// `CodeReader.readInstr()` reads the instruction into the model's shape and
// ./instructions.ts `validateOp` checks it — the same code that validates a module
// model. So each instruction's rule is written once, in validateOp; the inline paths are
// shortcuts for cases where its outcome is evident, and the tests check on every module
// of the spec suite (under WebAssembly 3.0 and 2.0) that both routes give the same
// verdict and message. In the benchmark's real-world modules at most a few instructions
// in a thousand take the general route.
//
// The per-opcode data (classes, signatures, natural alignments, lane counts) comes from
// the instruction table through ./optable.ts. The shape of the loop was chosen by
// measurement (tests before the switch, one switch rather than two levels, every typed
// array touched before the loop, `| 0` on index arithmetic): see the benchmark in
// bench/validate.ts.

import type { CodeReader } from '../binary/decode-instr.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import { ADDR, BOT, F32, F64, H_FUNC, I32, I64, KIND_FUNC, refCode, V128 } from './codes.ts';
import { validateOp } from './instructions.ts';
import {
  CLS, K_BLOCK, K_BR, K_BR_IF, K_BR_TABLE, K_CALL, K_CALL_INDIRECT, K_DROP, K_ELSE, K_END,
  K_GENERIC, K_GLOBAL_GET, K_GLOBAL_SET, K_IF, K_LOAD, K_LOCAL_SET, K_LOCAL_TEE,
  K_LANE, K_LOOP, K_MEMORY_COPY, K_RETURN, K_SHUFFLE, K_STORE, K_UNREACHABLE, LANES, MEM_TYPE,
  NATURAL, SIG, SIG_NP, SIG_NR, SIG_OFF,
} from './optable.ts';
import {
  type CodeValidator, F_BLOCK, F_ELSE, F_IF, F_LOOP, FR_END_LEN, FR_END_OFF, FR_HEIGHT, FR_INIT,
  FR_KIND, FR_START_LEN, FR_START_OFF, FR_UNREACH, FRAME,
} from './stack.ts';

// ---------------------------------------------------------------------------------------
// Classes of the fused loop (the `B_*` labels of its switch)

const B_GENERAL = 0;
const B_LOCAL_SET = 2;
const B_LOCAL_TEE = 3;
const B_GLOBAL_GET = 4;
const B_GLOBAL_SET = 5;
const B_I64_CONST = 7;
const B_F32_CONST = 8;
const B_F64_CONST = 9;
const B_V128_CONST = 10;
const B_UNOP = 11; // a fixed signature t -> u
const B_BINOP = 12; // t1 t2 -> u
const B_TERNOP = 13; // t1 t2 t3 -> u
const B_LOAD = 14;
const B_STORE = 15;
const B_CALL = 16;
const B_BR = 17;
const B_BR_IF = 18;
const B_BLOCK = 19;
const B_LOOP = 20;
const B_IF = 21;
const B_END = 22;
const B_DROP = 23;
const B_SELECT = 24; // untyped select (0x1B)
const B_PREFIX = 25; // 0xFC, 0xFD: read the sub-opcode, then the row's class
const B_CALL_INDIRECT = 26;
const B_RETURN = 27;
const B_ELSE = 28;
const B_BR_TABLE = 29;
const B_UNREACHABLE = 30;
const B_MEMORY_COPY = 31; // memory 0 to memory 0
const B_MEMORY_FILL = 32; // memory 0
const B_LANE = 33; // extract_lane / replace_lane
const B_SHUFFLE = 34;

/** The classes, by name (for the test that checks the switch's labels). */
export const FUSED_CLASSES: Readonly<Record<string, number>> = {
  B_GENERAL, B_LOCAL_SET, B_LOCAL_TEE, B_GLOBAL_GET, B_GLOBAL_SET,
  B_I64_CONST, B_F32_CONST, B_F64_CONST, B_V128_CONST, B_UNOP, B_BINOP, B_TERNOP, B_LOAD,
  B_STORE, B_CALL, B_BR, B_BR_IF, B_BLOCK, B_LOOP, B_IF, B_END, B_DROP, B_SELECT, B_PREFIX,
  B_CALL_INDIRECT, B_RETURN, B_ELSE, B_BR_TABLE, B_UNREACHABLE, B_MEMORY_COPY, B_MEMORY_FILL,
  B_LANE, B_SHUFFLE,
};

const N = INSTRUCTIONS.length;
const FUNCREF = refCode(H_FUNC, true);

/**
 * What the loop needs to know of an instruction, in one word (one load):
 *   bits 0-7    its class (B_GENERAL: validateOp's route)
 *   bits 8-13   A: B_UNOP/B_BINOP/B_TERNOP/B_LANE/B_SHUFFLE: 1st param code;
 *               B_LOAD/B_STORE: log2 of the natural alignment
 *   bits 14-19  B: B_BINOP/B_TERNOP/B_SHUFFLE: 2nd param code; B_LANE: 2nd param code or
 *               0 (extract_lane); B_LOAD/B_STORE: the value's code
 *   bits 20-25  C: B_UNOP/B_BINOP/B_TERNOP/B_LANE/B_SHUFFLE: the result's code
 *   bits 26-31  D: B_TERNOP: 3rd param code; B_LANE: the number of lanes
 * (Type codes of fixed signatures are below 64: see ./codes.ts.)
 */
const ROW_INFO = new Int32Array(N);

/** One-byte opcode → info word (B_PREFIX for 0xFC and 0xFD). */
const BYTE_INFO = new Int32Array(256);
/** Prefix 0xFB..0xFE → sub-opcode → instruction row (-1: none). */
const PREFIX_ROWS: Int16Array[] = [];

function infoWord(cls: number, a: number, b: number, c: number, d: number): number {
  if (a > 63 || b > 63 || c > 63 || d > 63) throw new Error('fused loop: a code does not fit its field');
  return cls | (a << 8) | (b << 14) | (c << 20) | (d << 26);
}
const BY_K: ReadonlyMap<number, number> = new Map([
  [K_LOCAL_SET, B_LOCAL_SET], [K_LOCAL_TEE, B_LOCAL_TEE],
  [K_GLOBAL_GET, B_GLOBAL_GET], [K_GLOBAL_SET, B_GLOBAL_SET], [K_LOAD, B_LOAD], [K_STORE, B_STORE],
  [K_CALL, B_CALL], [K_BR, B_BR], [K_BR_IF, B_BR_IF], [K_BLOCK, B_BLOCK], [K_LOOP, B_LOOP],
  [K_IF, B_IF], [K_END, B_END], [K_DROP, B_DROP], [K_CALL_INDIRECT, B_CALL_INDIRECT],
  [K_RETURN, B_RETURN], [K_ELSE, B_ELSE], [K_BR_TABLE, B_BR_TABLE], [K_UNREACHABLE, B_UNREACHABLE],
]);

const CONST_BY_IMM: Readonly<Record<string, number>> = {
  i64: B_I64_CONST, f32: B_F32_CONST, f64: B_F64_CONST, v128: B_V128_CONST,
};

{
  const maxSub = [0, 0, 0, 0];
  for (let row = 0; row < N; row++) {
    const info = INSTRUCTIONS[row]!;
    let cls = BY_K.get(CLS[row]!) ?? B_GENERAL;
    if (CLS[row] === K_GENERIC) {
      const np = SIG_NP[row]!;
      const nr = SIG_NR[row]!;
      const off = SIG_OFF[row]!;
      let plain = nr === 1;
      for (let i = 0; i < np + nr; i++) if (SIG[off + i] === ADDR) plain = false;
      if (info.imm === 'none' && plain && np >= 1 && np <= 3) {
        cls = np === 1 ? B_UNOP : np === 2 ? B_BINOP : B_TERNOP;
        const p = (i: number) => (i < np ? SIG[off + i]! : 0);
        ROW_INFO[row] = infoWord(cls, p(0), p(1), SIG[off + np]!, p(2));
      } else if (Object.hasOwn(CONST_BY_IMM, info.imm) && plain && np === 0) {
        cls = CONST_BY_IMM[info.imm]!;
      }
    }
    const k = CLS[row]!;
    if (k === K_MEMORY_COPY) cls = B_MEMORY_COPY;
    else if (info.name === 'memory.fill') cls = B_MEMORY_FILL;
    else if (k === K_LANE || k === K_SHUFFLE) {
      const np = SIG_NP[row]!;
      const off = SIG_OFF[row]!;
      cls = k === K_LANE ? B_LANE : B_SHUFFLE;
      ROW_INFO[row] = infoWord(cls, SIG[off]!, np > 1 ? SIG[off + 1]! : 0, SIG[off + np]!, k === K_LANE ? LANES[row]! : 0);
    }
    if (cls === B_LOAD || cls === B_STORE) ROW_INFO[row] = infoWord(cls, NATURAL[row]!, MEM_TYPE[row]!, 0, 0);
    else if (cls !== B_UNOP && cls !== B_BINOP && cls !== B_TERNOP && cls !== B_LANE && cls !== B_SHUFFLE) ROW_INFO[row] = cls;
    if (info.prefix === 0) {
      BYTE_INFO[info.code] = ROW_INFO[row]!;
    } else {
      const p = info.prefix - 0xfb;
      maxSub[p] = Math.max(maxSub[p]!, info.code + 1);
    }
  }
  for (let p = 0; p < 4; p++) PREFIX_ROWS.push(new Int16Array(maxSub[p]!).fill(-1));
  for (let row = 0; row < N; row++) {
    const info = INSTRUCTIONS[row]!;
    if (info.prefix !== 0) PREFIX_ROWS[info.prefix - 0xfb]![info.code] = row;
  }
  // The select row is shared by 0x1B (untyped) and 0x1C (typed, general route).
  BYTE_INFO[0x1b] = B_SELECT;
  BYTE_INFO[0x1c] = B_GENERAL;
  BYTE_INFO[0xfc] = B_PREFIX;
  BYTE_INFO[0xfd] = B_PREFIX;
}

// ---------------------------------------------------------------------------------------
// The loop

/**
 * Validates code from `r.pos` (the first instruction) through the `end` that closes the
 * outermost control frame, which the caller pushed (a function's frame); reads stop at
 * `r.end`. Leaves `r.pos` after that `end`. On an error, `v.at` is the position of the
 * instruction that failed.
 */
export function validateCode(v: CodeValidator, r: CodeReader): void {
  const buf = r.buf;
  const end = r.end;
  // With a feature off, every instruction goes to validateOp, which checks it is on.
  const fast = !v.checkFeatures;
  let pos = r.pos;
  for (;;) {
    if (fast) {
      pos = runFast(v, buf, pos);
      if (pos < 0) {
        // runFast read the final `end` (its position: ~pos - 1).
        pos = ~pos;
        if (pos > end) {
          v.at = pos - 1;
          r.fail('END opcode expected', pos - 1);
        }
        r.pos = pos;
        return;
      }
    }
    // The general route: one instruction in the model's shape, checked by validateOp.
    v.at = pos;
    if (pos >= end) r.fail('END opcode expected', pos);
    r.pos = pos;
    if (buf[pos] === 0x0b && v.csp === 1) {
      v.popCtrl();
      r.pos = pos + 1;
      return;
    }
    validateOp(v, r.readInstr(), r.imm);
    pos = r.pos;
  }
}

/**
 * Runs the inline paths from `start` for as long as they apply; returns the position of
 * the first instruction they leave to the general route, or, when it read the function's
 * final `end`, -1 minus the position after it; the stacks of `v` are up to date. It
 * calls nothing, so that V8 keeps the typed arrays' checks and the loop's state in
 * registers instead of reloading them after every call.
 */
function runFast(v: CodeValidator, buf: Uint8Array, start: number): number {
  // Small integers from here on (V8 then keeps them untagged in the loop): hence the
  // `| 0` on positions and heights, which also spares V8 its overflow checks.
  let pos = start | 0;
  const ctx = v.ctx;
  const types = v.types;
  const nlocals = v.nlocals;
  const ready = v.localReady;
  const nfuncs = ctx.nfuncs;
  const funcType = ctx.funcType;
  const nglobals = ctx.nglobals;
  const globalType = ctx.globalType;
  const globalMut = ctx.globalMut;
  const mem0 = ctx.nmems > 0 ? ctx.memAddr[0]! : -1;
  const n1 = types.n1;
  const n2 = types.n2;
  const toff = types.off;
  const vpool = types.vpool;
  const ntypes = types.count;
  const typeKind = types.kind;
  const ntables = ctx.ntables;
  const tableElem = ctx.tableElem;
  const tableAddr = ctx.tableAddr;
  const vals = v.vals;
  const cap = vals.length;
  const infos = BYTE_INFO;
  const rowInfo = ROW_INFO;
  const prefixRows = PREFIX_ROWS;
  // The control stack (its arrays change only on the general route, which grows them).
  const frames = v.frames;
  const initSp = v.initSp | 0;
  const resultsOff = v.resultsOff | 0;
  const resultsLen = v.resultsLen | 0;
  let csp = v.csp | 0;
  let sp = v.sp | 0;
  let h = v.height | 0;
  let unreach = v.unreach | 0;
  // Touch every typed array once before the loop: V8 then knows their maps and buffers
  // on entry and drops the checks it would otherwise repeat on every round.
  const primed = buf.length | infos.length | rowInfo.length | ready.length | vals.length |
    funcType.length | globalType.length | globalMut.length | n1.length | n2.length |
    toff.length | vpool.length | typeKind.length | tableElem.length | tableAddr.length |
    frames.length;
  if (primed < 0) return pos; // never: the reads only have to happen
  // No test against the end of the body: a valid body stops at its final `end`, which
  // takes the general route (where the caller checks the end); an invalid one that runs
  // past its end stops at the first instruction that is not a shortcut (past the input:
  // undefined, class 0) and fails there.
  for (;;) {
    const b = buf[pos]!;
    let at = (pos + 1) | 0; // the immediate
    // The two commonest instructions (about half of all) are tested before the info word
    // is read: a measurable gain over dispatching them through the switch.
    if (b === 0x20) { // local.get
      let x = buf[at]!;
      if (x >= 0x80) {
        const x2 = buf[at + 1]!;
        if (x2 >= 0x80) break;
        x = (x & 0x7f) | (x2 << 7);
        at = (at + 1) | 0;
      }
      if (x < nlocals && sp < cap) {
        const t = ready[x]!;
        if (t !== 0) {
          vals[sp] = t;
          sp = (sp + 1) | 0;
          pos = (at + 1) | 0;
          continue;
        }
      }
      break;
    }
    if (b === 0x41) { // i32.const: signed LEB128 of at most five bytes
      if (buf[at]! < 0x80) at = (at + 1) | 0;
      else if (buf[at + 1]! < 0x80) at = (at + 2) | 0;
      else if (buf[at + 2]! < 0x80) at = (at + 3) | 0;
      else if (buf[at + 3]! < 0x80) at = (at + 4) | 0;
      else {
        // The fifth byte holds bits 28-31; its bits above them repeat the sign.
        const last = buf[at + 4]!;
        if (!(last < 0x80 && ((last & 0x78) === 0 || (last & 0x78) === 0x78))) break;
        at = (at + 5) | 0;
      }
      if (sp < cap) {
        vals[sp] = I32;
        sp = (sp + 1) | 0;
        pos = at;
        continue;
      }
      break;
    }
    let info = infos[b]!;
    let cls = info & 0xff;
    if (cls === 25) { // B_PREFIX
      const s1 = buf[at]!;
      let sub = -1;
      if (s1 < 0x80) {
        sub = s1;
        at = (at + 1) | 0;
      } else {
        const s2 = buf[at + 1]!;
        if (s2 < 0x80) {
          sub = (s1 & 0x7f) | (s2 << 7);
          at = (at + 2) | 0;
        }
      }
      const rows = prefixRows[b - 0xfb]!;
      const row = sub >= 0 && sub < rows.length ? rows[sub]! : -1;
      info = row >= 0 ? rowInfo[row]! : B_GENERAL;
      cls = info & 0xff;
    }
    // A case either applies the instruction and continues, or changes nothing and
    // breaks (to the general route). Reading past the buffer gives undefined, for which
    // every `<` and `>=` below is false; a read past `end` leaves `pos` past it, which
    // the caller reports.
    switch (cls) {
      case 2: { // B_LOCAL_SET
        let x = buf[at]!;
        if (x >= 0x80) {
          const x2 = buf[at + 1]!;
          if (x2 >= 0x80) break;
          x = (x & 0x7f) | (x2 << 7);
          at = (at + 1) | 0;
        }
        if (x < nlocals && sp > h) {
          const t = ready[x]!;
          if (t !== 0 && vals[sp - 1] === t) {
            sp = (sp - 1) | 0;
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 3: { // B_LOCAL_TEE
        let x = buf[at]!;
        if (x >= 0x80) {
          const x2 = buf[at + 1]!;
          if (x2 >= 0x80) break;
          x = (x & 0x7f) | (x2 << 7);
          at = (at + 1) | 0;
        }
        if (x < nlocals && sp > h) {
          const t = ready[x]!;
          if (t !== 0 && vals[sp - 1] === t) {
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 4: { // B_GLOBAL_GET
        const x = buf[at]!;
        if (x < 0x80 && x < nglobals && sp < cap) {
          vals[sp] = globalType[x]!;
          sp = (sp + 1) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      }
      case 5: { // B_GLOBAL_SET
        const x = buf[at]!;
        if (x < 0x80 && x < nglobals && globalMut[x] === 1 && sp > h && vals[sp - 1] === globalType[x]) {
          sp = (sp - 1) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      }
      case 7: { // B_I64_CONST: signed LEB128 of at most ten bytes
        let n = 0;
        while (n < 9 && buf[at + n]! >= 0x80) n++;
        // A tenth byte holds bit 63 only: 0x00 or 0x7F.
        if (n === 9 && !(buf[at + 9] === 0 || buf[at + 9] === 0x7f)) break;
        if (sp < cap) {
          vals[sp] = I64;
          sp = (sp + 1) | 0;
          pos = (at + n + 1) | 0;
          continue;
        }
        break;
      }
      case 8: // B_F32_CONST
        if (sp < cap) {
          vals[sp] = F32;
          sp = (sp + 1) | 0;
          pos = (at + 4) | 0;
          continue;
        }
        break;
      case 9: // B_F64_CONST
        if (sp < cap) {
          vals[sp] = F64;
          sp = (sp + 1) | 0;
          pos = (at + 8) | 0;
          continue;
        }
        break;
      case 10: // B_V128_CONST
        if (sp < cap) {
          vals[sp] = V128;
          sp = (sp + 1) | 0;
          pos = (at + 16) | 0;
          continue;
        }
        break;
      case 11: // B_UNOP
        if (sp > h && vals[sp - 1] === ((info >> 8) & 63)) {
          vals[sp - 1] = (info >> 20) & 63;
          pos = at;
          continue;
        }
        break;
      case 12: // B_BINOP
        if (sp - 2 >= h && vals[sp - 1] === ((info >> 14) & 63) && vals[sp - 2] === ((info >> 8) & 63)) {
          vals[sp - 2] = (info >> 20) & 63;
          sp = (sp - 1) | 0;
          pos = at;
          continue;
        }
        break;
      case 13: // B_TERNOP
        if (sp - 3 >= h && vals[sp - 1] === info >>> 26 && vals[sp - 2] === ((info >> 14) & 63) && vals[sp - 3] === ((info >> 8) & 63)) {
          vals[sp - 3] = (info >> 20) & 63;
          sp = (sp - 2) | 0;
          pos = at;
          continue;
        }
        break;
      case 14: { // B_LOAD: flags = alignment (not above natural, so memory 0), offset < 2^28
        if (buf[at]! <= ((info >> 8) & 63) && mem0 > 0) {
          if (buf[at + 1]! < 0x80) at = (at + 2) | 0;
          else if (buf[at + 2]! < 0x80) at = (at + 3) | 0;
          else if (buf[at + 3]! < 0x80) at = (at + 4) | 0;
          else if (buf[at + 4]! < 0x80) at = (at + 5) | 0;
          else break;
          if (sp > h && vals[sp - 1] === mem0) {
            vals[sp - 1] = (info >> 14) & 63;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 15: { // B_STORE
        if (buf[at]! <= ((info >> 8) & 63) && mem0 > 0) {
          if (buf[at + 1]! < 0x80) at = (at + 2) | 0;
          else if (buf[at + 2]! < 0x80) at = (at + 3) | 0;
          else if (buf[at + 3]! < 0x80) at = (at + 4) | 0;
          else if (buf[at + 4]! < 0x80) at = (at + 5) | 0;
          else break;
          if (sp - 2 >= h && vals[sp - 1] === ((info >> 14) & 63) && vals[sp - 2] === mem0) {
            sp = (sp - 2) | 0;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 16: { // B_CALL
        let x = buf[at]!;
        if (x < 0x80) {
          at = (at + 1) | 0;
        } else {
          const x2 = buf[at + 1]!;
          if (x2 < 0x80) {
            x = (x & 0x7f) | (x2 << 7);
            at = (at + 2) | 0;
          } else {
            const x3 = buf[at + 2]!;
            if (x3 >= 0x80) break;
            x = (x & 0x7f) | ((x2 & 0x7f) << 7) | (x3 << 14);
            at = (at + 3) | 0;
          }
        }
        if (!(x < nfuncs)) break;
        const t = funcType[x]!;
        const np = n1[t]!;
        const nr = n2[t]!;
        const off = toff[t]!;
        const base = sp - np;
        if (base < h || base + nr > cap) break;
        let i = 0;
        while (i < np && vals[base + i] === vpool[off + i]) i++;
        if (i < np) break;
        for (let j = 0; j < nr; j++) vals[base + j] = vpool[off + np + j]!;
        sp = base + nr;
        pos = at;
        continue;
      }
      case 17: { // B_BR
        let l = buf[at]!;
        if (l >= 0x80) {
          const l2 = buf[at + 1]!;
          if (l2 >= 0x80) break;
          l = (l & 0x7f) | (l2 << 7);
          at = (at + 1) | 0;
        }
        if (l < csp) {
          // The label's types: a loop's start types, another frame's end types.
          const fa = (csp - 1 - l) * FRAME;
          const lt = frames[fa + FR_KIND] === F_LOOP ? fa + FR_START_OFF : fa + FR_END_OFF;
          const len = frames[lt + 1]!;
          if (len === 0 || (len === 1 && sp > h && vals[sp - 1] === vpool[frames[lt]!])) {
            sp = h;
            unreach = 1;
            frames[(csp - 1) * FRAME + FR_UNREACH] = 1;
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 18: { // B_BR_IF
        let l = buf[at]!;
        if (l >= 0x80) {
          const l2 = buf[at + 1]!;
          if (l2 >= 0x80) break;
          l = (l & 0x7f) | (l2 << 7);
          at = (at + 1) | 0;
        }
        if (l < csp && sp > h && vals[sp - 1] === I32) {
          const fa = (csp - 1 - l) * FRAME;
          const lt = frames[fa + FR_KIND] === F_LOOP ? fa + FR_START_OFF : fa + FR_END_OFF;
          const len = frames[lt + 1]!;
          if (len === 0 || (len === 1 && sp - 2 >= h && vals[sp - 2] === vpool[frames[lt]!])) {
            sp = (sp - 1) | 0;
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 19: // B_BLOCK
      case 20: // B_LOOP
      case 21: { // B_IF
        // Block type: empty (0x40) or one number or vector type, whose one-type list is
        // at offset code - 1 of vpool (see ModuleTypes).
        const bt = buf[at]!;
        let eLen = 0;
        let eOff = 0;
        if (bt !== 0x40) {
          if (!(bt >= 0x7b && bt <= 0x7f)) break;
          eLen = 1;
          eOff = 0x7f - bt;
        }
        // pushCtrl, inline (the general route grows the arrays when they are full).
        const f = csp;
        if ((f + 1) * FRAME > frames.length) break;
        if (cls === 21) {
          if (!(sp > h && vals[sp - 1] === I32)) break;
          sp = (sp - 1) | 0;
        }
        const fa = f * FRAME;
        frames[fa + FR_KIND] = cls === 19 ? F_BLOCK : cls === 20 ? F_LOOP : F_IF;
        frames[fa + FR_HEIGHT] = sp;
        frames[fa + FR_UNREACH] = 0;
        frames[fa + FR_START_OFF] = 0;
        frames[fa + FR_START_LEN] = 0;
        frames[fa + FR_END_OFF] = eOff;
        frames[fa + FR_END_LEN] = eLen;
        frames[fa + FR_INIT] = initSp;
        csp = f + 1;
        unreach = 0;
        h = sp;
        pos = (at + 1) | 0;
        continue;
      }
      case 22: { // B_END
        const f = csp - 1;
        const fa = f * FRAME;
        if (f === 0 && frames[FR_INIT] === initSp) {
          // The function's final `end`: its results, exactly. Done: -1 - the position
          // after it.
          const eLen = frames[FR_END_LEN]!;
          const eOff = frames[FR_END_OFF]!;
          if (sp === h + eLen) {
            let i = 0;
            while (i < eLen && vals[h + i] === vpool[eOff + i]) i++;
            if (i === eLen) {
              csp = 0;
              sp = h;
              pos = ~at;
              break;
            }
          }
        }
        if (f > 0 && frames[fa + FR_INIT] === initSp) {
          const eLen = frames[fa + FR_END_LEN]!;
          // An `if` without `else` must give its params back as its results: here both
          // are empty.
          const ok = eLen === 0
            ? sp === h && (frames[fa + FR_KIND] !== F_IF || frames[fa + FR_START_LEN] === 0)
            : eLen === 1 && sp === h + 1 && vals[h] === vpool[frames[fa + FR_END_OFF]!] && frames[fa + FR_KIND] !== F_IF;
          if (ok) {
            csp = f;
            h = frames[fa - FRAME + FR_HEIGHT]!;
            unreach = frames[fa - FRAME + FR_UNREACH]!;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 23: // B_DROP
        if (sp > h) {
          sp = (sp - 1) | 0;
          pos = at;
          continue;
        }
        break;
      case 24: { // B_SELECT
        if (sp - 3 >= h && vals[sp - 1] === I32) {
          const t = vals[sp - 2]!;
          if (t === vals[sp - 3] && t !== BOT && t <= V128) {
            sp = (sp - 2) | 0;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 26: { // B_CALL_INDIRECT: a type index of one or two bytes, a table of funcref
        let x = buf[at]!;
        if (x >= 0x80) {
          const x2 = buf[at + 1]!;
          if (x2 >= 0x80) break;
          x = (x & 0x7f) | (x2 << 7);
          at = (at + 1) | 0;
        }
        const tab = buf[at + 1]!;
        if (!(x < ntypes && typeKind[x] === KIND_FUNC && tab < 0x80 && tab < ntables && tableElem[tab] === FUNCREF)) break;
        const np = n1[x]!;
        const nr = n2[x]!;
        const off = toff[x]!;
        const base = sp - 1 - np;
        if (base < h || base + nr > cap || vals[sp - 1] !== tableAddr[tab]) break;
        let i = 0;
        while (i < np && vals[base + i] === vpool[off + i]) i++;
        if (i < np) break;
        for (let j = 0; j < nr; j++) vals[base + j] = vpool[off + np + j]!;
        sp = base + nr;
        pos = (at + 2) | 0;
        continue;
      }
      case 27: { // B_RETURN
        const n = resultsLen;
        const off = resultsOff;
        const base = sp - n;
        if (base < h) break;
        let i = 0;
        while (i < n && vals[base + i] === vpool[off + i]) i++;
        if (i < n) break;
        sp = h;
        unreach = 1;
        frames[(csp - 1) * FRAME + FR_UNREACH] = 1;
        pos = at;
        continue;
      }
      case 28: { // B_ELSE: the `if` arm ends with its results; the `else` arm starts empty
        const f = csp - 1;
        const fa = f * FRAME;
        if (!(f > 0 && frames[fa + FR_KIND] === F_IF && frames[fa + FR_START_LEN] === 0 && frames[fa + FR_INIT] === initSp)) break;
        const eLen = frames[fa + FR_END_LEN]!;
        if (!(eLen === 0 ? sp === h : eLen === 1 && sp === h + 1 && vals[h] === vpool[frames[fa + FR_END_OFF]!])) break;
        frames[fa + FR_KIND] = F_ELSE;
        frames[fa + FR_UNREACH] = 0;
        unreach = 0;
        sp = h;
        pos = at;
        continue;
      }
      case 29: { // B_BR_TABLE: one-byte count and labels, every label without values
        const n = buf[at]!;
        if (!(n < 0x80 && sp > h && vals[sp - 1] === I32)) break;
        let i = 0;
        for (; i <= n; i++) {
          const l = buf[at + 1 + i]!;
          if (!(l < 0x80 && l < csp)) break;
          const f = csp - 1 - l;
          const fa = f * FRAME;
          if (frames[fa + (frames[fa + FR_KIND] === F_LOOP ? FR_START_LEN : FR_END_LEN)] !== 0) break;
        }
        if (i <= n) break;
        sp = h;
        unreach = 1;
        frames[(csp - 1) * FRAME + FR_UNREACH] = 1;
        pos = at + n + 2;
        continue;
      }
      case 30: // B_UNREACHABLE
        sp = h;
        unreach = 1;
        frames[(csp - 1) * FRAME + FR_UNREACH] = 1;
        pos = at;
        continue;
      case 31: // B_MEMORY_COPY: [addr addr addr] -> [] (both memories 0)
        if (buf[at] === 0 && buf[at + 1] === 0 && mem0 > 0 && sp - 3 >= h && vals[sp - 1] === mem0 && vals[sp - 2] === mem0 && vals[sp - 3] === mem0) {
          sp = (sp - 3) | 0;
          pos = (at + 2) | 0;
          continue;
        }
        break;
      case 32: // B_MEMORY_FILL: [addr i32 addr] -> [] (memory 0)
        if (buf[at] === 0 && mem0 > 0 && sp - 3 >= h && vals[sp - 1] === mem0 && vals[sp - 2] === I32 && vals[sp - 3] === mem0) {
          sp = (sp - 3) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      case 33: { // B_LANE: a lane index below the shape's lane count
        if (!(buf[at]! < info >>> 26)) break;
        const p1 = (info >> 14) & 63;
        if (p1 === 0) {
          if (!(sp > h && vals[sp - 1] === ((info >> 8) & 63))) break;
          vals[sp - 1] = (info >> 20) & 63;
        } else {
          if (!(sp - 2 >= h && vals[sp - 1] === p1 && vals[sp - 2] === ((info >> 8) & 63))) break;
          vals[sp - 2] = (info >> 20) & 63;
          sp = (sp - 1) | 0;
        }
        pos = (at + 1) | 0;
        continue;
      }
      case 34: { // B_SHUFFLE: sixteen lane indices below 32
        let i = 0;
        while (i < 16 && buf[at + i]! < 32) i++;
        if (i < 16 || !(sp - 2 >= h && vals[sp - 1] === ((info >> 14) & 63) && vals[sp - 2] === ((info >> 8) & 63))) break;
        vals[sp - 2] = (info >> 20) & 63;
        sp = (sp - 1) | 0;
        pos = (at + 16) | 0;
        continue;
      }
    }
    // Not an inline case: the general route.
    break;
  }
  v.sp = sp;
  v.height = h;
  v.csp = csp;
  v.unreach = unreach;
  return pos;
}

/**
 * The index of the instruction at position `at` among the instructions from `start`
 * (for messages), or -1 when `at` is not at an instruction.
 */
export function instructionIndex(r: CodeReader, start: number, at: number): number {
  r.pos = start;
  r.end = r.buf.length;
  let i = 0;
  try {
    while (r.pos < at) {
      r.readInstr();
      i++;
    }
  } catch {
    return -1;
  }
  return r.pos === at ? i : -1;
}
