// Instructions (spec §2.4): the shape of one instruction and of its immediates.
//
// An instruction is `{ op, imm }`: `op` is the row of the instruction table
// (`INSTRUCTIONS[op]` in ./opcodes.ts) and `imm` holds the immediates in the shape that
// row's `imm` kind names (see `ImmediateOf`). Instructions without immediates have
// `imm === null` and may be shared (see `simple()` in ./opcodes.ts).

import type { BlockType, HeapType, RefType, ValType } from './types.ts';

/**
 * The immediate kinds. Each instruction table row names one; the encoder, decoder,
 * parser and printer switch on it.
 */
export type ImmKind =
  | 'none'
  | 'block'          // block, loop, if, try (legacy): BlockType
  | 'try_table'      // TryTable
  | 'label'          // br, br_if, br_on_null, br_on_non_null, rethrow, delegate: label depth
  | 'br_table'       // BrTable
  | 'br_on_cast'     // br_on_cast, br_on_cast_fail: BrOnCast
  | 'func'           // call, return_call, ref.func: function index
  | 'call_indirect'  // call_indirect, return_call_indirect: CallIndirect
  | 'type'           // call_ref, return_call_ref, struct.new…, array.new…: type index
  | 'local'          // local.get/set/tee: local index
  | 'global'         // global.get/set: global index
  | 'table'          // table.get/set/size/grow/fill: table index
  | 'memory'         // memory.size/grow/fill: memory index
  | 'tag'            // throw, catch (legacy): tag index
  | 'elem'           // elem.drop: element segment index
  | 'data'           // data.drop: data segment index
  | 'table_init'     // table.init: TableInit
  | 'table_copy'     // table.copy: IndexPair (dst, src)
  | 'memory_init'    // memory.init: MemoryInit
  | 'memory_copy'    // memory.copy: IndexPair (dst, src)
  | 'memarg'         // loads, stores, atomics: MemArg
  | 'memarg_lane'    // v128.loadN_lane / storeN_lane: MemArgLane
  | 'lane'           // extract_lane / replace_lane: lane index
  | 'shuffle'        // i8x16.shuffle: Uint8Array of 16 lane indices
  | 'i32'            // i32.const: number (signed 32-bit)
  | 'i64'            // i64.const: bigint (signed 64-bit)
  | 'f32'            // f32.const: number, the IEEE 754 bit pattern as unsigned 32-bit
  | 'f64'            // f64.const: bigint, the IEEE 754 bit pattern as unsigned 64-bit
  | 'v128'           // v128.const: Uint8Array of 16 bytes (little-endian lanes)
  | 'select'         // select: null (untyped, 0x1B) or ValType[] (typed, 0x1C)
  | 'heap_type'      // ref.null: HeapType
  | 'ref_type'       // ref.test, ref.cast: RefType (nullability picks the opcode)
  | 'struct_field'   // struct.get/get_s/get_u/set: StructField
  | 'array_fixed'    // array.new_fixed: ArrayFixed
  | 'array_data'     // array.new_data, array.init_data: ArrayData
  | 'array_elem'     // array.new_elem, array.init_elem: ArrayElem
  | 'array_copy'     // array.copy: IndexPair (dst type, src type)
  | 'atomic_fence';  // atomic.fence: null (binary: one reserved zero byte)

export interface BrTable {
  readonly targets: readonly number[];
  readonly default: number;
}

export interface BrOnCast {
  readonly label: number;
  readonly from: RefType;
  readonly to: RefType;
}

export interface CallIndirect {
  readonly type: number;
  readonly table: number;
}

export interface IndexPair {
  readonly dst: number;
  readonly src: number;
}

export interface TableInit {
  readonly elem: number;
  readonly table: number;
}

export interface MemoryInit {
  readonly data: number;
  readonly memory: number;
}

export interface MemArg {
  /** log2 of the alignment in bytes. */
  readonly align: number;
  readonly offset: bigint;
  readonly memory: number;
}

export interface MemArgLane {
  readonly memarg: MemArg;
  readonly lane: number;
}

export interface StructField {
  readonly type: number;
  readonly field: number;
}

export interface ArrayFixed {
  readonly type: number;
  readonly length: number;
}

export interface ArrayData {
  readonly type: number;
  readonly data: number;
}

export interface ArrayElem {
  readonly type: number;
  readonly elem: number;
}

export type CatchKind = 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';

export interface Catch {
  readonly kind: CatchKind;
  /** Tag index for `catch`/`catch_ref`; null for the `catch_all` forms. */
  readonly tag: number | null;
  readonly label: number;
}

export interface TryTable {
  readonly type: BlockType;
  readonly catches: readonly Catch[];
}

/** Immediate value type for each kind. */
export interface ImmediateOf {
  none: null;
  block: BlockType;
  try_table: TryTable;
  label: number;
  br_table: BrTable;
  br_on_cast: BrOnCast;
  func: number;
  call_indirect: CallIndirect;
  type: number;
  local: number;
  global: number;
  table: number;
  memory: number;
  tag: number;
  elem: number;
  data: number;
  table_init: TableInit;
  table_copy: IndexPair;
  memory_init: MemoryInit;
  memory_copy: IndexPair;
  memarg: MemArg;
  memarg_lane: MemArgLane;
  lane: number;
  shuffle: Uint8Array;
  i32: number;
  i64: bigint;
  f32: number;
  f64: bigint;
  v128: Uint8Array;
  select: readonly ValType[] | null;
  heap_type: HeapType;
  ref_type: RefType;
  struct_field: StructField;
  array_fixed: ArrayFixed;
  array_data: ArrayData;
  array_elem: ArrayElem;
  array_copy: IndexPair;
  atomic_fence: null;
}

export type Immediate = ImmediateOf[ImmKind];

export interface Instruction {
  /** Row in the instruction table. */
  readonly op: number;
  readonly imm: Immediate;
}
