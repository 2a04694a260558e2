// Validating code straight from the binary (spec §3.4 "Instructions" over §5.4, their
// binary format): the fused decode-and-validate loop behind `validate()`.
//
// The loop reads an opcode byte and dispatches once, by a switch on it whose cases are
// numeric literals (V8 compiles it to a jump table): the one-byte instructions by their
// byte, loads, stores and numeric instructions by the class in their info word, and
// those behind a prefix by PREFIXED + their class. A case reads the immediate inline
// from the bytes and applies the instruction's type effect to the typed-array stacks of
// ./stack.ts directly: no call, no immediate object.
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
// The loop's arrays are module constants (CODE, a window of the bytes; VALS, FRAMES and
// READY, the stacks, lent to the validator): V8 then addresses them directly, where an
// array reached through a parameter or a field costs a chain of dependent loads at every
// access; and the values it compares with are literals (see LITERALS), where an imported
// constant is loaded from its module cell at every use. The per-opcode data (classes,
// signatures, natural alignments, lane counts) comes from the instruction table through
// ./optable.ts. The shape of the loop was chosen by measurement (see the benchmark in
// bench/validate.ts); on the development machine a chain of tests in front of the
// switch, for the commonest instructions, measured the same.

import type { CodeReader } from '../binary/decode-instr.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import { ADDR, BOT, F32, F64, H_FUNC, I32, I64, KIND_FUNC, refCode, V128 } from './codes.ts';
import { validateOp } from './instructions.ts';
import {
  CLS, K_GENERIC, K_LANE, K_LOAD, K_MEMORY_COPY, K_SHUFFLE, K_STORE, LANES, MEM_TYPE, NATURAL,
  SIG, SIG_NP, SIG_NR, SIG_OFF,
} from './optable.ts';
import {
  type CodeValidator, F_BLOCK, F_FUNC, F_ELSE, F_IF, F_LOOP, FR_END_LEN, FR_END_OFF, FR_HEIGHT, FR_INIT,
  FR_KIND, FR_START_LEN, FR_START_OFF, FR_UNREACH, FRAME,
} from './stack.ts';

// ---------------------------------------------------------------------------------------
// Classes of the instructions the loop finds through their info word (the `B_*` labels
// of its switch): the numeric ones and everything behind a prefix byte

const B_GENERAL = 0;
const B_UNOP = 1; // a fixed signature t -> u
const B_BINOP = 2; // t1 t2 -> u
const B_TERNOP = 3; // t1 t2 t3 -> u
const B_LOAD = 4;
const B_STORE = 5;
const B_V128_CONST = 6;
const B_MEMORY_COPY = 7; // memory 0 to memory 0
const B_MEMORY_FILL = 8; // memory 0
const B_LANE = 9; // extract_lane / replace_lane
const B_SHUFFLE = 10;

/** The classes, by name (for the test that checks the switch's labels). */
export const FUSED_CLASSES: Readonly<Record<string, number>> = {
  B_GENERAL, B_UNOP, B_BINOP, B_TERNOP, B_LOAD, B_STORE, B_V128_CONST, B_MEMORY_COPY,
  B_MEMORY_FILL, B_LANE, B_SHUFFLE,
};

/**
 * The switch's key for an instruction behind a prefix byte is PREFIXED + its class: keys
 * above every one-byte opcode the switch names (0xC5 and up are rare one-byte opcodes,
 * whose key is 0xFF: the general route).
 */
export const PREFIXED = 0xc5;

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

/**
 * Bytes of code the fused loop reads at a time (see CODE), and the guard after them; the
 * sizes of its operand stack, control frames (1024 frames) and local types (see VALS).
 */
const CODE_SIZE = 1 << 16;
const CODE_GUARD = 64;
const VALS_SIZE = 1 << 12;
const FRAMES_SIZE = 1 << 13;
const READY_SIZE = 1 << 13;

/**
 * The loop's arrays (BYTE_INFO, VALS, FRAMES, READY, CODE) are views of this one buffer:
 * V8 checks that a typed array's buffer is not detached at each access, and one buffer
 * for all lets it check once where a case reads several of them.
 */
const LOOP_BUFFER = new ArrayBuffer(4 * (256 + VALS_SIZE + FRAMES_SIZE + READY_SIZE) + CODE_SIZE + CODE_GUARD);
let loopBytes = 0;
/** The next n words of LOOP_BUFFER (CODE is at its end). */
function loopInt32s(n: number): Int32Array<ArrayBuffer> {
  const a = new Int32Array(LOOP_BUFFER, loopBytes, n);
  loopBytes += 4 * n;
  return a;
}

/** One-byte opcode → info word (of the rows whose class the loop reads: loads, stores, numeric). */
const BYTE_INFO = loopInt32s(256);
/** Prefix 0xFB..0xFE → sub-opcode → instruction row (-1: none). */
const PREFIX_ROWS: Int16Array[] = [];

function infoWord(cls: number, a: number, b: number, c: number, d: number): number {
  if (a > 63 || b > 63 || c > 63 || d > 63) throw new Error('fused loop: a code does not fit its field');
  return cls | (a << 8) | (b << 14) | (c << 20) | (d << 26);
}

{
  const maxSub = [0, 0, 0, 0];
  for (let row = 0; row < N; row++) {
    const info = INSTRUCTIONS[row]!;
    const k = CLS[row]!;
    const np = SIG_NP[row]!;
    const nr = SIG_NR[row]!;
    const off = SIG_OFF[row]!;
    let plain = nr === 1;
    for (let i = 0; i < np + nr; i++) if (SIG[off + i] === ADDR) plain = false;
    const p = (i: number) => (i < np ? SIG[off + i]! : 0);
    if (k === K_GENERIC && info.imm === 'none' && plain && np >= 1 && np <= 3) {
      ROW_INFO[row] = infoWord(np === 1 ? B_UNOP : np === 2 ? B_BINOP : B_TERNOP, p(0), p(1), SIG[off + np]!, p(2));
    } else if (k === K_GENERIC && info.imm === 'v128' && plain && np === 0) {
      ROW_INFO[row] = B_V128_CONST;
    } else if (k === K_LOAD || k === K_STORE) {
      ROW_INFO[row] = infoWord(k === K_LOAD ? B_LOAD : B_STORE, NATURAL[row]!, MEM_TYPE[row]!, 0, 0);
    } else if (k === K_MEMORY_COPY) {
      ROW_INFO[row] = B_MEMORY_COPY;
    } else if (info.name === 'memory.fill') {
      ROW_INFO[row] = B_MEMORY_FILL;
    } else if (k === K_LANE || k === K_SHUFFLE) {
      ROW_INFO[row] = infoWord(k === K_LANE ? B_LANE : B_SHUFFLE, p(0), np > 1 ? p(1) : 0, SIG[off + np]!, k === K_LANE ? LANES[row]! : 0);
    }
    if (info.prefix === 0) {
      BYTE_INFO[info.code] = ROW_INFO[row]!;
    } else {
      const x = info.prefix - 0xfb;
      maxSub[x] = Math.max(maxSub[x]!, info.code + 1);
    }
  }
  for (let x = 0; x < 4; x++) PREFIX_ROWS.push(new Int16Array(maxSub[x]!).fill(-1));
  for (let row = 0; row < N; row++) {
    const info = INSTRUCTIONS[row]!;
    if (info.prefix !== 0) PREFIX_ROWS[info.prefix - 0xfb]![info.code] = row;
  }
  // The one-byte loads and stores the switch names by byte (it reads their info word).
  for (let b = 0; b < 256; b++) {
    const cls = BYTE_INFO[b]! & 0xff;
    if ((cls === B_LOAD) !== (b >= 0x28 && b <= 0x35) || (cls === B_STORE) !== (b >= 0x36 && b <= 0x3e)) {
      throw new Error(`fused loop: opcode 0x${b.toString(16)} is not where the switch expects a load or store`);
    }
  }
}

/** The literals of runFast, checked against the codes they copy when this module loads. */
const LITERALS: readonly (readonly [number, number])[] = [
  [I32, 1],
  [I64, 2],
  [F32, 3],
  [F64, 4],
  [V128, 5],
  [BOT, 0],
  [FRAME, 8],
  [FR_KIND, 0],
  [FR_HEIGHT, 1],
  [FR_UNREACH, 2],
  [FR_START_OFF, 3],
  [FR_START_LEN, 4],
  [FR_END_OFF, 5],
  [FR_END_LEN, 6],
  [FR_INIT, 7],
  [F_FUNC, 0],
  [F_BLOCK, 1],
  [F_LOOP, 2],
  [F_IF, 3],
  [F_ELSE, 4],
  [KIND_FUNC, 0],
];
if (LITERALS.some(([code, literal]) => code !== literal)) throw new Error('fused loop: a literal differs from its code');
// The frame kind of `block`, `loop` and `if` is its opcode - 1.
if (F_BLOCK !== 0x02 - 1 || F_LOOP !== 0x03 - 1 || F_IF !== 0x04 - 1) throw new Error('fused loop: a frame kind is not its opcode - 1');

// ---------------------------------------------------------------------------------------
// The loop

/**
 * Validates code from `r.pos` (the first instruction) through the `end` that closes the
 * outermost control frame, which the caller pushed (a function's frame); reads stop at
 * `r.end`. Leaves `r.pos` after that `end`. On an error, `v.at` is the position of the
 * instruction that failed.
 */
export function validateCode(v: CodeValidator, r: CodeReader): void {
  // With a feature off, every instruction goes to validateOp, which checks it is on.
  const fast = !v.checkFeatures;
  const buf = r.buf;
  let end = r.end;
  let pos = r.pos;
  // Outside a session (see beginCode), CODE's window is cut for this call alone.
  let fresh = buf !== session;
  for (;;) {
    if (fast && pos < end && v.vals === VALS && v.frames === FRAMES && v.localReady === READY) {
      if (fresh || buf !== codeSrc || pos < codeBase || pos - codeBase >= codeLen) {
        fillCode(buf, pos, fresh ? end : buf.length);
        fresh = false;
      }
      const base = codeBase;
      const body = bodyIndex;
      const rel = runFast(v, pos - base);
      if (bodyIndex !== body) {
        // runFast went on into the next bodies (see followBodies): now in bodyIndex's.
        r.end = end = bodyAt![3 * bodyIndex + 2]!;
      }
      if (rel < 0) {
        // runFast read the final `end` (its position: ~rel - 1).
        pos = ~rel + base;
        if (pos > end) {
          v.at = pos - 1;
          r.fail('END opcode expected', pos - 1);
        }
        r.pos = pos;
        return;
      }
      pos = rel + base;
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
 * The window of code being validated (CODE_SIZE bytes at most), then CODE_GUARD bytes of
 * 0xFF. The loop reads its bytes from CODE, a module constant, rather than from the
 * caller's buffer: V8 then addresses it directly, where a parameter's typed array costs
 * a chain of dependent loads (object, base, offset) at every instruction. An instruction the
 * window cuts is never taken by an inline case, since each of them breaks on a 0xFF where
 * it needs a byte of its own (an opcode, a LEB128's last byte, an alignment, a block
 * type, a lane) and merely skips constants: so the loop stops at most a v128.const past
 * the window, and the caller moves the window on.
 */
const CODE = new Uint8Array(LOOP_BUFFER, LOOP_BUFFER.byteLength - CODE_SIZE - CODE_GUARD, CODE_SIZE + CODE_GUARD); // its end

/**
 * The operand stack, control frames and local types of the function being validated by
 * the loop: module constants too, for the same reason as CODE. They are lent to one
 * CodeValidator at a time (lendStacks: its own arrays are put aside), which the general
 * route then uses as its own; when it has to grow one, it replaces it with a larger
 * array of its own, and the inline paths stop until the next function. Outside a
 * session (see beginCode) the validator gives them back after each function
 * (returnStacks); in a session, when the session ends.
 */
const VALS = loopInt32s(VALS_SIZE);
const FRAMES = loopInt32s(FRAMES_SIZE);
const READY = loopInt32s(READY_SIZE);
if (loopBytes !== CODE.byteOffset) throw new Error('fused loop: LOOP_BUFFER is not the size of its arrays');
/** The validator the shared arrays are lent to, and its own arrays, put aside. */
let holder: CodeValidator | undefined;
let ownVals: Int32Array<ArrayBuffer> | undefined;
let ownFrames: Int32Array<ArrayBuffer> | undefined;
let ownReady: Int32Array<ArrayBuffer> | undefined;

/**
 * Lends the shared arrays to `v`, which has no state (reset), for a function of
 * `nlocals` locals (READY is used when they fit); returns whether the caller must give
 * them back with returnStacks after the function.
 */
export function lendStacks(v: CodeValidator, nlocals: number): boolean {
  if (holder !== v) {
    if (holder !== undefined) returnStacks(holder);
    holder = v;
    ownVals = v.vals;
    ownFrames = v.frames;
    ownReady = v.localReady;
  }
  // Arrays the general route grew for the last function become the validator's own.
  if (v.vals !== VALS) ownVals = v.vals;
  if (v.frames !== FRAMES) ownFrames = v.frames;
  if (v.localReady !== READY) ownReady = v.localReady;
  v.vals = VALS;
  v.frames = FRAMES;
  v.localReady = nlocals <= READY_SIZE ? READY : ownReady!;
  return session === undefined;
}

/** Gives `v` (the holder) its own arrays back, with the state it has in the shared ones. */
export function returnStacks(v: CodeValidator): void {
  if (v.vals === VALS) v.vals = copyInto(VALS, ownVals!, v.sp);
  if (v.frames === FRAMES) v.frames = copyInto(FRAMES, ownFrames!, v.csp * FRAME);
  if (v.localReady === READY) v.localReady = copyInto(READY, ownReady!, v.csp > 0 ? v.nlocals : 0);
  holder = ownVals = ownFrames = ownReady = undefined;
}

function copy(from: Int32Array, to: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) to[i] = from[i]!;
}

/** Copies the first n words of `from` into `to`, or into a larger copy of it. */
function copyInto(from: Int32Array, to: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  let out = to;
  if (out.length < n) {
    let cap = out.length;
    while (cap < n) cap *= 2;
    out = new Int32Array(cap);
  }
  copy(from, out, n);
  return out;
}

/** The buffer whose bytes CODE holds: CODE[i] is codeSrc[codeBase + i] for i < codeLen. */
let codeSrc: Uint8Array | undefined;
let codeBase = 0;
let codeLen = 0;
/**
 * The buffer of the module being validated by `validate()`, set by beginCode: CODE may
 * then keep its window from one function to the next, as large as CODE allows. (A
 * window cut per function would cost more in copying calls than the loop saves on
 * small functions.) Outside a session, each call cuts a window of its own function.
 */
let session: Uint8Array | undefined;

/** Starts a session on `buf`, which must not change until endCode. */
export function beginCode(buf: Uint8Array): void {
  session = buf;
  codeSrc = undefined;
  bodyAt = undefined;
}

export function endCode(): void {
  session = undefined;
  codeSrc = undefined;
  bodyAt = undefined;
  if (holder !== undefined) returnStacks(holder);
}

/**
 * The function bodies of the session's module, for the loop to go on from one into the
 * next without returning (validateFunctionBodies calls a few functions per body, which
 * cost as much as validating a small one): ModuleReader.bodyOffsets (body i from
 * [3i + 1] to [3i + 2]), the index of the body being validated and the function index
 * of body 0. The loop goes on into the next body only when its locals are runs of
 * number and vector types and it lies in CODE's window; otherwise it returns at the
 * end of the body, as it does without bodies.
 */
let bodyAt: Int32Array | undefined;
let bodyIndex = 0;
let bodyFunc0 = 0;

/** Lets the loop go on from body `i` of `at` into the next ones (in a session); undefined: not. */
export function followBodies(at: Int32Array | undefined, i: number, func0: number): void {
  bodyAt = session !== undefined ? at : undefined;
  bodyIndex = i;
  bodyFunc0 = func0;
}

/** The body the loop is in (or ended last): the one after followBodies' `i` when it went on. */
export function currentBody(): number {
  return bodyIndex;
}

/** Copies buf[pos, end) into CODE, as much as fits, followed by the guard. */
function fillCode(buf: Uint8Array, pos: number, end: number): void {
  const len = Math.min(end - pos, CODE_SIZE);
  CODE.set(buf.subarray(pos, pos + len));
  CODE.fill(0xff, len, len + CODE_GUARD);
  codeSrc = buf;
  codeBase = pos;
  codeLen = len;
}

/**
 * Runs the inline paths from `start` for as long as they apply; returns the position of
 * the first instruction they leave to the general route, or, when it read the function's
 * final `end`, -1 minus the position after it; the stacks of `v` are up to date. It
 * calls nothing, so that V8 keeps the typed arrays' checks and the loop's state in
 * registers instead of reloading them after every call.
 */
function runFast(v: CodeValidator, start: number): number {
  // The module's arrays (see CODE and VALS): V8 addresses them directly.
  const buf = CODE;
  const vals = VALS;
  const frames = FRAMES;
  const ready = READY;
  const cap = VALS_SIZE;
  // Literal copies of the codes this loop uses (see LITERALS below): V8 folds a literal,
  // but loads an imported binding from its module cell, with a check, at every use.
  const L_I32 = 1;
  const L_I64 = 2;
  const L_F32 = 3;
  const L_F64 = 4;
  const L_V128 = 5;
  const L_BOT = 0;
  const L_FRAME = 8;
  const L_FR_KIND = 0;
  const L_FR_HEIGHT = 1;
  const L_FR_UNREACH = 2;
  const L_FR_START_OFF = 3;
  const L_FR_START_LEN = 4;
  const L_FR_END_OFF = 5;
  const L_FR_END_LEN = 6;
  const L_FR_INIT = 7;
  const L_F_FUNC = 0;
  const L_F_LOOP = 2;
  const L_F_IF = 3;
  const L_F_ELSE = 4;
  const L_KIND_FUNC = 0;
  const funcref = FUNCREF;
  // Small integers from here on (V8 then keeps them untagged in the loop): hence the
  // `| 0` on positions and heights, which also spares V8 its overflow checks.
  let pos = start | 0;
  const ctx = v.ctx;
  const types = v.types;
  let nlocals = v.nlocals | 0;
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
  const infos = BYTE_INFO;
  const rowInfo = ROW_INFO;
  const prefixRows = PREFIX_ROWS;
  let initSp = v.initSp | 0;
  let resultsOff = v.resultsOff | 0;
  let resultsLen = v.resultsLen | 0;
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
  // No test against the end of the body: a valid body stops at its final `end`; an
  // invalid one that runs past its end stops at the first instruction that is not a
  // shortcut (at the latest in CODE's guard) and fails there.
  for (;;) {
    const b = buf[pos]!;
    let at = (pos + 1) | 0; // the immediate
    // The key: the opcode byte, or for an instruction behind a prefix PREFIXED + its class.
    let key = b;
    // The info word of a one-byte opcode (loads, stores, numeric), read here for all.
    let info = infos[b]!;
    if (b >= 0xc5) {
      key = 0xff;
      if (b === 0xfc || b === 0xfd) {
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
        key = (0xc5 + (info & 0xff)) | 0;
      }
    }
    // A case either applies the instruction and continues, or changes nothing and
    // breaks (to the general route). Its cases are numeric literals, so that V8 compiles
    // it to a jump table. A read past the end of the window gives 0xFF (see CODE), and
    // one past the end of the body leaves `pos` past it, which the caller reports.
    switch (key) {
      case 0x20: { // local.get
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
      case 0x41: { // i32.const: signed LEB128 of at most five bytes
        // Its length without a branch per byte (constants of one, two and three bytes
        // mix in code, and such branches are mispredicted often): the continuation bits
        // of the first four bytes, whose trailing ones count the bytes before the last.
        const more = (buf[at]! >> 7) | ((buf[at + 1]! >> 7) << 1) | ((buf[at + 2]! >> 7) << 2) | ((buf[at + 3]! >> 7) << 3);
        const before = (31 - Math.clz32(~more & (more + 1))) | 0;
        if (before === 4) {
          // The fifth byte holds bits 28-31; its bits above them repeat the sign.
          const last = buf[at + 4]!;
          if (!(last < 0x80 && ((last & 0x78) === 0 || (last & 0x78) === 0x78))) break;
        }
        at = (at + before + 1) | 0;
        if (sp < cap) {
          vals[sp] = L_I32;
          sp = (sp + 1) | 0;
          pos = at;
          continue;
        }
        break;
      }
      case 0x21: { // local.set
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
      case 0x22: { // local.tee
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
      case 0x23: { // global.get
        const x = buf[at]!;
        if (x < 0x80 && x < nglobals && sp < cap) {
          vals[sp] = globalType[x]!;
          sp = (sp + 1) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      }
      case 0x24: { // global.set
        const x = buf[at]!;
        if (x < 0x80 && x < nglobals && globalMut[x] === 1 && sp > h && vals[sp - 1] === globalType[x]) {
          sp = (sp - 1) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      }
      case 0x42: { // i64.const: signed LEB128 of at most ten bytes
        let n = 0;
        while (n < 9 && buf[at + n]! >= 0x80) n++;
        // A tenth byte holds bit 63 only: 0x00 or 0x7F.
        if (n === 9 && !(buf[at + 9] === 0 || buf[at + 9] === 0x7f)) break;
        if (sp < cap) {
          vals[sp] = L_I64;
          sp = (sp + 1) | 0;
          pos = (at + n + 1) | 0;
          continue;
        }
        break;
      }
      case 0x43: // f32.const
        if (sp < cap) {
          vals[sp] = L_F32;
          sp = (sp + 1) | 0;
          pos = (at + 4) | 0;
          continue;
        }
        break;
      case 0x44: // f64.const
        if (sp < cap) {
          vals[sp] = L_F64;
          sp = (sp + 1) | 0;
          pos = (at + 8) | 0;
          continue;
        }
        break;
      case 0xcb: // B_V128_CONST
        if (sp < cap) {
          vals[sp] = L_V128;
          sp = (sp + 1) | 0;
          pos = (at + 16) | 0;
          continue;
        }
        break;
      case 0xc6: // B_UNOP
      case 0xc7: // B_BINOP
      case 0xc8: // B_TERNOP
      default: { // the numeric instructions (one-byte ones: by their info word)
        const cls = info & 0xff;
        if (cls === 1) { // B_UNOP
          if (sp > h && vals[sp - 1] === ((info >> 8) & 63)) {
            vals[sp - 1] = (info >> 20) & 63;
            pos = at;
            continue;
          }
        } else if (cls === 2) { // B_BINOP
          if (sp - 2 >= h && vals[sp - 1] === ((info >> 14) & 63) && vals[sp - 2] === ((info >> 8) & 63)) {
            vals[sp - 2] = (info >> 20) & 63;
            sp = (sp - 1) | 0;
            pos = at;
            continue;
          }
        } else if (cls === 3) { // B_TERNOP
          if (sp - 3 >= h && vals[sp - 1] === info >>> 26 && vals[sp - 2] === ((info >> 14) & 63) && vals[sp - 3] === ((info >> 8) & 63)) {
            vals[sp - 3] = (info >> 20) & 63;
            sp = (sp - 2) | 0;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 0x28: // i32.load
      case 0x29: // i64.load
      case 0x2a: // f32.load
      case 0x2b: // f64.load
      case 0x2c: // i32.load8_s
      case 0x2d: // i32.load8_u
      case 0x2e: // i32.load16_s
      case 0x2f: // i32.load16_u
      case 0x30: // i64.load8_s
      case 0x31: // i64.load8_u
      case 0x32: // i64.load16_s
      case 0x33: // i64.load16_u
      case 0x34: // i64.load32_s
      case 0x35: // i64.load32_u
      case 0xc9: { // B_LOAD: flags = alignment (not above natural, so memory 0), offset < 2^28
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
      case 0x36: // i32.store
      case 0x37: // i64.store
      case 0x38: // f32.store
      case 0x39: // f64.store
      case 0x3a: // i32.store8
      case 0x3b: // i32.store16
      case 0x3c: // i64.store8
      case 0x3d: // i64.store16
      case 0x3e: // i64.store32
      case 0xca: { // B_STORE
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
      case 0x10: { // call
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
      case 0x0c: { // br
        let l = buf[at]!;
        if (l >= 0x80) {
          const l2 = buf[at + 1]!;
          if (l2 >= 0x80) break;
          l = (l & 0x7f) | (l2 << 7);
          at = (at + 1) | 0;
        }
        if (l < csp) {
          // The label's types: a loop's start types, another frame's end types.
          const fa = (csp - 1 - l) * L_FRAME;
          const lt = frames[fa + L_FR_KIND] === L_F_LOOP ? fa + L_FR_START_OFF : fa + L_FR_END_OFF;
          const len = frames[lt + 1]!;
          if (len === 0 || (len === 1 && sp > h && vals[sp - 1] === vpool[frames[lt]!])) {
            sp = h;
            unreach = 1;
            frames[(csp - 1) * L_FRAME + L_FR_UNREACH] = 1;
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 0x0d: { // br_if
        let l = buf[at]!;
        if (l >= 0x80) {
          const l2 = buf[at + 1]!;
          if (l2 >= 0x80) break;
          l = (l & 0x7f) | (l2 << 7);
          at = (at + 1) | 0;
        }
        if (l < csp && sp > h && vals[sp - 1] === L_I32) {
          const fa = (csp - 1 - l) * L_FRAME;
          const lt = frames[fa + L_FR_KIND] === L_F_LOOP ? fa + L_FR_START_OFF : fa + L_FR_END_OFF;
          const len = frames[lt + 1]!;
          if (len === 0 || (len === 1 && sp - 2 >= h && vals[sp - 2] === vpool[frames[lt]!])) {
            sp = (sp - 1) | 0;
            pos = (at + 1) | 0;
            continue;
          }
        }
        break;
      }
      case 0x02: // block
      case 0x03: // loop
      case 0x04: { // if
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
        if ((f + 1) * L_FRAME > frames.length) break;
        if (b === 0x04) {
          if (!(sp > h && vals[sp - 1] === L_I32)) break;
          sp = (sp - 1) | 0;
        }
        const fa = f * L_FRAME;
        frames[fa + L_FR_KIND] = b - 1; // F_BLOCK, F_LOOP, F_IF: see LITERALS
        frames[fa + L_FR_HEIGHT] = sp;
        frames[fa + L_FR_UNREACH] = 0;
        frames[fa + L_FR_START_OFF] = 0;
        frames[fa + L_FR_START_LEN] = 0;
        frames[fa + L_FR_END_OFF] = eOff;
        frames[fa + L_FR_END_LEN] = eLen;
        frames[fa + L_FR_INIT] = initSp;
        csp = f + 1;
        unreach = 0;
        h = sp;
        pos = (at + 1) | 0;
        continue;
      }
      case 0x0b: { // end
        const f = csp - 1;
        const fa = f * L_FRAME;
        if (f === 0 && frames[L_FR_INIT] === initSp) {
          // The function's final `end`: its results, exactly. Done: -1 - the position
          // after it.
          const eLen = frames[L_FR_END_LEN]!;
          const eOff = frames[L_FR_END_OFF]!;
          if (sp === h + eLen) {
            let i = 0;
            while (i < eLen && vals[h + i] === vpool[eOff + i]) i++;
            if (i === eLen) {
              csp = 0;
              sp = h;
              pos = ~at;
              // Go on into the next body when it follows this one and is plain (see
              // bodyAt): its locals into READY and localTypes, its frame 0, and on — what
              // validateFunctionBytes and openFrame do for such a body, written out here
              // because runFast calls nothing; anything else is left to them.
              const bodies = bodyAt;
              const j = bodyIndex + 1;
              if (bodies === undefined || j >= bodies.length / 3 || bodies[3 * j - 1]! - codeBase !== at) break;
              const bodyEnd = bodies[3 * j + 2]! - codeBase;
              let p = bodies[3 * j + 1]! - codeBase;
              if (bodyEnd > codeLen || v.vals !== vals || v.frames !== frames || v.localReady !== ready) break;
              const t = funcType[bodyFunc0 + j]!;
              const np = n1[t]!;
              const off = toff[t]!;
              const lt = v.localTypes;
              // The declarations: a count of runs, then per run a count and a type, all
              // of one byte here and inside the body (so inside the window).
              const runs = p < bodyEnd ? buf[p]! : 0x80;
              let total = np;
              let q = (p + 1) | 0;
              for (let k = 0; k < runs; k++) {
                const b1 = q + 1 < bodyEnd ? buf[q + 1]! : 0;
                if (buf[q]! >= 0x80 || b1 < 0x7b || b1 > 0x7f) {
                  total = -1;
                  break;
                }
                total = (total + buf[q]!) | 0;
                q = (q + 2) | 0;
              }
              if (runs >= 0x80 || total < 0 || total > READY_SIZE || total > lt.length || q > bodyEnd) break;
              for (let k = 0; k < np; k++) {
                const code = vpool[off + k]!;
                lt[k] = code;
                ready[k] = code;
              }
              let x = np;
              for (p = (p + 1) | 0; p < q; p = (p + 2) | 0) {
                const code = 0x80 - buf[p + 1]!; // i32 0x7F → 1 … v128 0x7B → 5 (LITERALS)
                for (const to = x + buf[p]!; x < to; x++) {
                  lt[x] = code;
                  ready[x] = code;
                }
              }
              frames[L_FR_KIND] = L_F_FUNC;
              frames[L_FR_HEIGHT] = 0;
              frames[L_FR_UNREACH] = 0;
              frames[L_FR_START_OFF] = 0;
              frames[L_FR_START_LEN] = 0;
              frames[L_FR_END_OFF] = off + np;
              frames[L_FR_END_LEN] = n2[t]!;
              frames[L_FR_INIT] = 0;
              bodyIndex = j;
              nlocals = total;
              resultsOff = off + np;
              resultsLen = n2[t]!;
              initSp = 0;
              csp = 1;
              sp = 0;
              h = 0;
              unreach = 0;
              pos = q;
              continue;
            }
          }
        }
        if (f > 0 && frames[fa + L_FR_INIT] === initSp) {
          const eLen = frames[fa + L_FR_END_LEN]!;
          // An `if` without `else` must give its params back as its results: here both
          // are empty. (The params are tested first: they are empty in all but a few
          // frames, so that test is predictable, where one of the kind, which varies, is not.)
          const ok = eLen === 0
            ? sp === h && (frames[fa + L_FR_START_LEN] === 0 || frames[fa + L_FR_KIND] !== L_F_IF)
            : eLen === 1 && sp === h + 1 && vals[h] === vpool[frames[fa + L_FR_END_OFF]!] && frames[fa + L_FR_KIND] !== L_F_IF;
          if (ok) {
            csp = f;
            h = frames[fa - L_FRAME + L_FR_HEIGHT]!;
            unreach = frames[fa - L_FRAME + L_FR_UNREACH]!;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 0x1a: // drop
        if (sp > h) {
          sp = (sp - 1) | 0;
          pos = at;
          continue;
        }
        break;
      case 0x1b: { // select
        if (sp - 3 >= h && vals[sp - 1] === L_I32) {
          const t = vals[sp - 2]!;
          if (t === vals[sp - 3] && t !== L_BOT && t <= L_V128) {
            sp = (sp - 2) | 0;
            pos = at;
            continue;
          }
        }
        break;
      }
      case 0x11: { // call_indirect: a type index of one or two bytes, a table of funcref
        let x = buf[at]!;
        if (x >= 0x80) {
          const x2 = buf[at + 1]!;
          if (x2 >= 0x80) break;
          x = (x & 0x7f) | (x2 << 7);
          at = (at + 1) | 0;
        }
        const tab = buf[at + 1]!;
        if (!(x < ntypes && typeKind[x] === L_KIND_FUNC && tab < 0x80 && tab < ntables && tableElem[tab] === funcref)) break;
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
      case 0x0f: { // return
        const n = resultsLen;
        const off = resultsOff;
        const base = sp - n;
        if (base < h) break;
        let i = 0;
        while (i < n && vals[base + i] === vpool[off + i]) i++;
        if (i < n) break;
        sp = h;
        unreach = 1;
        frames[(csp - 1) * L_FRAME + L_FR_UNREACH] = 1;
        pos = at;
        continue;
      }
      case 0x05: { // else: the `if` arm ends with its results; the `else` arm starts empty
        const f = csp - 1;
        const fa = f * L_FRAME;
        if (!(f > 0 && frames[fa + L_FR_KIND] === L_F_IF && frames[fa + L_FR_START_LEN] === 0 && frames[fa + L_FR_INIT] === initSp)) break;
        const eLen = frames[fa + L_FR_END_LEN]!;
        if (!(eLen === 0 ? sp === h : eLen === 1 && sp === h + 1 && vals[h] === vpool[frames[fa + L_FR_END_OFF]!])) break;
        frames[fa + L_FR_KIND] = L_F_ELSE;
        frames[fa + L_FR_UNREACH] = 0;
        unreach = 0;
        sp = h;
        pos = at;
        continue;
      }
      case 0x0e: { // br_table: one-byte count and labels, every label without values
        const n = buf[at]!;
        if (!(n < 0x80 && sp > h && vals[sp - 1] === L_I32)) break;
        let i = 0;
        for (; i <= n; i++) {
          const l = buf[at + 1 + i]!;
          if (!(l < 0x80 && l < csp)) break;
          const f = csp - 1 - l;
          const fa = f * L_FRAME;
          if (frames[fa + (frames[fa + L_FR_KIND] === L_F_LOOP ? L_FR_START_LEN : L_FR_END_LEN)] !== 0) break;
        }
        if (i <= n) break;
        sp = h;
        unreach = 1;
        frames[(csp - 1) * L_FRAME + L_FR_UNREACH] = 1;
        pos = at + n + 2;
        continue;
      }
      case 0x00: // unreachable
        sp = h;
        unreach = 1;
        frames[(csp - 1) * L_FRAME + L_FR_UNREACH] = 1;
        pos = at;
        continue;
      case 0xcc: // B_MEMORY_COPY: [addr addr addr] -> [] (both memories 0)
        if (buf[at] === 0 && buf[at + 1] === 0 && mem0 > 0 && sp - 3 >= h && vals[sp - 1] === mem0 && vals[sp - 2] === mem0 && vals[sp - 3] === mem0) {
          sp = (sp - 3) | 0;
          pos = (at + 2) | 0;
          continue;
        }
        break;
      case 0xcd: // B_MEMORY_FILL: [addr i32 addr] -> [] (memory 0)
        if (buf[at] === 0 && mem0 > 0 && sp - 3 >= h && vals[sp - 1] === mem0 && vals[sp - 2] === L_I32 && vals[sp - 3] === mem0) {
          sp = (sp - 3) | 0;
          pos = (at + 1) | 0;
          continue;
        }
        break;
      case 0xce: { // B_LANE: a lane index below the shape's lane count
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
      case 0xcf: { // B_SHUFFLE: sixteen lane indices below 32
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
  v.nlocals = nlocals;
  v.initSp = initSp;
  v.resultsOff = resultsOff;
  v.resultsLen = resultsLen;
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
