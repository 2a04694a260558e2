// Per-instruction data for the validator, computed once from the instruction table
// (../model/opcodes.ts): how each instruction is checked (its `K_*` class), the codes of
// fixed signatures, lane counts, and which instructions are constant (spec §3.5.x
// "Constant Expressions"). The instruction loop in ./instructions.ts switches on `CLS`.

import type { Feature, FeatureSet } from '../model/features.ts';
import { INSTRUCTIONS, sigOf } from '../model/opcodes.ts';
import type { SigType } from '../model/opcodes.ts';
import { absHeapCode, ADDR, NUM_CODES, refCode } from './codes.ts';

// Generic classes: the type comes from the row's `sig`.
export const K_GENERIC = 1;
export const K_MEM = 2; // loads and stores: memarg, sig with addr
export const K_ATOMIC = 3; // atomic memory accesses: alignment must equal natural
export const K_MEM_LANE = 4;
export const K_LANE = 5;
export const K_SHUFFLE = 6;
export const K_MEMIDX = 7; // memory.size / memory.grow / memory.fill
export const K_MEMINIT = 8;
export const K_DATADROP = 9;
export const K_ELEMDROP = 10;
// Instructions checked one by one.
export const K_UNREACHABLE = 11;
export const K_BLOCK = 12;
export const K_LOOP = 13;
export const K_IF = 14;
export const K_ELSE = 15;
export const K_END = 16;
export const K_BR = 17;
export const K_BR_IF = 18;
export const K_BR_TABLE = 19;
export const K_RETURN = 20;
export const K_CALL = 21;
export const K_CALL_INDIRECT = 22;
export const K_THROW = 23;
export const K_THROW_REF = 24;
export const K_TRY_TABLE = 25;
export const K_TRY = 26;
export const K_CATCH = 27;
export const K_RETHROW = 28;
export const K_DELEGATE = 29;
export const K_CATCH_ALL = 30;
export const K_RETURN_CALL = 31;
export const K_RETURN_CALL_INDIRECT = 32;
export const K_RETURN_CALL_REF = 33;
export const K_CALL_REF = 34;
export const K_REF_AS_NON_NULL = 35;
export const K_BR_ON_NULL = 36;
export const K_BR_ON_NON_NULL = 37;
export const K_DROP = 38;
export const K_SELECT = 39;
export const K_LOCAL_GET = 40;
export const K_LOCAL_SET = 41;
export const K_LOCAL_TEE = 42;
export const K_GLOBAL_GET = 43;
export const K_GLOBAL_SET = 44;
export const K_MEMORY_COPY = 45;
export const K_TABLE_INIT = 46;
export const K_TABLE_COPY = 47;
export const K_REF_NULL = 48;
export const K_REF_IS_NULL = 49;
export const K_REF_FUNC = 50;
export const K_TABLE_GET = 51;
export const K_TABLE_SET = 52;
export const K_TABLE_GROW = 53;
export const K_TABLE_SIZE = 54;
export const K_TABLE_FILL = 55;
export const K_STRUCT_NEW = 56;
export const K_STRUCT_NEW_DEFAULT = 57;
export const K_STRUCT_GET = 58;
export const K_STRUCT_GET_PACKED = 59;
export const K_STRUCT_SET = 60;
export const K_ARRAY_NEW = 61;
export const K_ARRAY_NEW_DEFAULT = 62;
export const K_ARRAY_NEW_FIXED = 63;
export const K_ARRAY_NEW_DATA = 64;
export const K_ARRAY_NEW_ELEM = 65;
export const K_ARRAY_GET = 66;
export const K_ARRAY_GET_PACKED = 67;
export const K_ARRAY_SET = 68;
export const K_ARRAY_FILL = 69;
export const K_ARRAY_COPY = 70;
export const K_ARRAY_INIT_DATA = 71;
export const K_ARRAY_INIT_ELEM = 72;
export const K_REF_TEST = 73;
export const K_REF_CAST = 74;
export const K_BR_ON_CAST = 75;
export const K_BR_ON_CAST_FAIL = 76;
export const K_ANY_CONVERT_EXTERN = 77;
export const K_EXTERN_CONVERT_ANY = 78;
export const K_REF_I31 = 79;
// Plain loads (addr -> t) and stores (addr t -> ), the common memory accesses.
export const K_LOAD = 80;
export const K_STORE = 81;

const BY_NAME: Readonly<Record<string, number>> = {
  unreachable: K_UNREACHABLE,
  block: K_BLOCK,
  loop: K_LOOP,
  if: K_IF,
  else: K_ELSE,
  end: K_END,
  br: K_BR,
  br_if: K_BR_IF,
  br_table: K_BR_TABLE,
  return: K_RETURN,
  call: K_CALL,
  call_indirect: K_CALL_INDIRECT,
  throw: K_THROW,
  throw_ref: K_THROW_REF,
  try_table: K_TRY_TABLE,
  try: K_TRY,
  catch: K_CATCH,
  rethrow: K_RETHROW,
  delegate: K_DELEGATE,
  catch_all: K_CATCH_ALL,
  return_call: K_RETURN_CALL,
  return_call_indirect: K_RETURN_CALL_INDIRECT,
  return_call_ref: K_RETURN_CALL_REF,
  call_ref: K_CALL_REF,
  'ref.as_non_null': K_REF_AS_NON_NULL,
  br_on_null: K_BR_ON_NULL,
  br_on_non_null: K_BR_ON_NON_NULL,
  drop: K_DROP,
  select: K_SELECT,
  'local.get': K_LOCAL_GET,
  'local.set': K_LOCAL_SET,
  'local.tee': K_LOCAL_TEE,
  'global.get': K_GLOBAL_GET,
  'global.set': K_GLOBAL_SET,
  'memory.size': K_MEMIDX,
  'memory.grow': K_MEMIDX,
  'memory.fill': K_MEMIDX,
  'memory.init': K_MEMINIT,
  'data.drop': K_DATADROP,
  'elem.drop': K_ELEMDROP,
  'memory.copy': K_MEMORY_COPY,
  'table.init': K_TABLE_INIT,
  'table.copy': K_TABLE_COPY,
  'ref.null': K_REF_NULL,
  'ref.is_null': K_REF_IS_NULL,
  'ref.func': K_REF_FUNC,
  'table.get': K_TABLE_GET,
  'table.set': K_TABLE_SET,
  'table.grow': K_TABLE_GROW,
  'table.size': K_TABLE_SIZE,
  'table.fill': K_TABLE_FILL,
  'struct.new': K_STRUCT_NEW,
  'struct.new_default': K_STRUCT_NEW_DEFAULT,
  'struct.get': K_STRUCT_GET,
  'struct.get_s': K_STRUCT_GET_PACKED,
  'struct.get_u': K_STRUCT_GET_PACKED,
  'struct.set': K_STRUCT_SET,
  'array.new': K_ARRAY_NEW,
  'array.new_default': K_ARRAY_NEW_DEFAULT,
  'array.new_fixed': K_ARRAY_NEW_FIXED,
  'array.new_data': K_ARRAY_NEW_DATA,
  'array.new_elem': K_ARRAY_NEW_ELEM,
  'array.get': K_ARRAY_GET,
  'array.get_s': K_ARRAY_GET_PACKED,
  'array.get_u': K_ARRAY_GET_PACKED,
  'array.set': K_ARRAY_SET,
  'array.fill': K_ARRAY_FILL,
  'array.copy': K_ARRAY_COPY,
  'array.init_data': K_ARRAY_INIT_DATA,
  'array.init_elem': K_ARRAY_INIT_ELEM,
  'ref.test': K_REF_TEST,
  'ref.cast': K_REF_CAST,
  br_on_cast: K_BR_ON_CAST,
  br_on_cast_fail: K_BR_ON_CAST_FAIL,
  'any.convert_extern': K_ANY_CONVERT_EXTERN,
  'extern.convert_any': K_EXTERN_CONVERT_ANY,
  'ref.i31': K_REF_I31,
};

/** Instructions allowed in constant expressions (besides `global.get`, checked apart). */
const CONSTANT = new Set([
  'i32.const', 'i64.const', 'f32.const', 'f64.const', 'v128.const',
  'ref.null', 'ref.func', 'global.get',
  'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul',
  'struct.new', 'struct.new_default', 'array.new', 'array.new_default', 'array.new_fixed',
  'ref.i31', 'any.convert_extern', 'extern.convert_any',
]);

const N = INSTRUCTIONS.length;

/** Instruction row → K_* class. */
export const CLS = new Uint8Array(N);
/** Instruction row → offset of its signature in SIG (params, then results). */
export const SIG_OFF = new Int32Array(N);
export const SIG_NP = new Uint8Array(N);
export const SIG_NR = new Uint8Array(N);
/** Instruction row → number of lanes (lane instructions) or natural alignment (memory). */
export const LANES = new Uint8Array(N);
/** Instruction row → log2 of the natural alignment of a memory access. */
export const NATURAL = new Uint8Array(N);
/** Instruction row → the loaded or stored value type of a K_LOAD / K_STORE. */
export const MEM_TYPE = new Int32Array(N);
/** Instruction row → 1 when allowed in a constant expression. */
export const CONST_OK = new Uint8Array(N);
let sigPool: number[] = [];

function sigCode(t: SigType): number {
  if (t === 'addr') return ADDR;
  if (typeof t === 'string') return NUM_CODES[t]!;
  return refCode(absHeapCode(t.heap as string), t.nullable);
}

function shapeLanes(name: string): number {
  const m = /^[if](8|16|32|64)x(\d+)\./.exec(name);
  return m ? Number(m[2]) : 0;
}

for (let op = 0; op < N; op++) {
  const info = INSTRUCTIONS[op]!;
  const sig = sigOf(op);
  if (sig !== null) {
    SIG_OFF[op] = sigPool.length;
    SIG_NP[op] = sig.params.length;
    SIG_NR[op] = sig.results.length;
    for (const t of sig.params) sigPool.push(sigCode(t));
    for (const t of sig.results) sigPool.push(sigCode(t));
  }
  if (CONSTANT.has(info.name)) CONST_OK[op] = 1;
  if (info.natural >= 0) NATURAL[op] = info.natural;
  const special = Object.hasOwn(BY_NAME, info.name) ? BY_NAME[info.name]! : 0;
  let cls = special;
  if (cls === 0) {
    switch (info.imm) {
      case 'memarg':
        cls = info.feature === 'threads' ? K_ATOMIC : K_MEM;
        if (cls === K_MEM && sig !== null) {
          const [p0, p1] = sig.params;
          if (sig.params.length === 1 && p0 === 'addr' && sig.results.length === 1) {
            cls = K_LOAD;
            MEM_TYPE[op] = sigCode(sig.results[0]!);
          } else if (sig.params.length === 2 && p0 === 'addr' && p1 !== undefined && p1 !== 'addr' && sig.results.length === 0) {
            cls = K_STORE;
            MEM_TYPE[op] = sigCode(p1);
          }
        }
        break;
      case 'memarg_lane':
        cls = K_MEM_LANE;
        LANES[op] = 16 >> info.natural;
        break;
      case 'lane':
        cls = K_LANE;
        LANES[op] = shapeLanes(info.name);
        break;
      case 'shuffle':
        cls = K_SHUFFLE;
        break;
      default:
        cls = K_GENERIC;
    }
    if (sig === null) throw new Error(`validator: no signature for ${info.name}`);
  }
  CLS[op] = cls;
}

/** Every signature's type codes; see SIG_OFF. */
export const SIG = Int32Array.from(sigPool);
sigPool = [];

const enabledByFeatures = new WeakMap<FeatureSet, Uint8Array>();

/** Per instruction row: 1 when its feature is on (one shared, read-only table per feature set). */
export function enabledOps(features: FeatureSet): Uint8Array {
  let on = enabledByFeatures.get(features);
  if (on === undefined) {
    on = new Uint8Array(N);
    for (let op = 0; op < N; op++) on[op] = features[INSTRUCTIONS[op]!.feature as Feature] ? 1 : 0;
    enabledByFeatures.set(features, on);
  }
  return on;
}
