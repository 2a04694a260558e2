// Immediate kinds of the instruction table (src/model/opcodes.ts, `imm` of each row) as
// small integers, shared by the decoder (./decode-instr.ts) and the encoder
// (./encode-instr.ts): their switches over a row's kind use these numbers as literals
// (which V8 compiles to jump tables), so both must read the one table. A test checks
// each literal case against its comment.

import type { ImmKind } from '../model/instruction.ts';

export const IMM_KIND = {
  none: 0,
  block: 1,
  try_table: 2,
  label: 3,
  br_table: 4,
  br_on_cast: 5,
  func: 6,
  call_indirect: 7,
  type: 8,
  local: 9,
  global: 10,
  table: 11,
  memory: 12,
  tag: 13,
  elem: 14,
  data: 15,
  table_init: 16,
  table_copy: 17,
  memory_init: 18,
  memory_copy: 19,
  memarg: 20,
  memarg_lane: 21,
  lane: 22,
  shuffle: 23,
  i32: 24,
  i64: 25,
  f32: 26,
  f64: 27,
  v128: 28,
  select: 29,
  heap_type: 30,
  ref_type: 31,
  struct_field: 32,
  array_fixed: 33,
  array_data: 34,
  array_elem: 35,
  array_copy: 36,
  atomic_fence: 37,
} as const satisfies Record<ImmKind, number>;
