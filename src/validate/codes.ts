// Value types as small integers (spec §3.2 value types, appendix "Validation Algorithm"):
// the operand stack, the label types and every precomputed table hold these codes, so
// validating an instruction compares integers and never allocates.
//
// Layout of a code:
//   0            BOT, the unknown type of the appendix (popped from an unreachable stack)
//   1..5         i32 i64 f32 f64 v128
//   6, 7         i8 i16 (packed storage types; only in field types)
//   8            ADDR: placeholder in instruction signatures for the memory's or table's
//                address type, substituted when the instruction is checked
//   16 + 2h + n  a reference type with heap code h, n = 1 when nullable
//
// Heap codes: 0..12 the abstract heap types (12 is the bottom heap type of the appendix,
// given to a reference popped from an unreachable stack); HDEF + c a defined type whose
// canonical id (iso-recursive equivalence class, see ./types.ts) is c. Two reference
// codes are equal exactly when the types are equivalent.

export const BOT = 0;
export const I32 = 1;
export const I64 = 2;
export const F32 = 3;
export const F64 = 4;
export const V128 = 5;
export const I8 = 6;
export const I16 = 7;
export const ADDR = 8;
export const REF = 16;

export const H_FUNC = 0;
export const H_NOFUNC = 1;
export const H_EXTERN = 2;
export const H_NOEXTERN = 3;
export const H_ANY = 4;
export const H_EQ = 5;
export const H_I31 = 6;
export const H_STRUCT = 7;
export const H_ARRAY = 8;
export const H_NONE = 9;
export const H_EXN = 10;
export const H_NOEXN = 11;
export const H_BOT = 12;
/** Heap code of the defined type with canonical id 0. */
export const HDEF = 16;

/** Abstract heap type names, indexed by heap code. */
export const ABS_HEAP_NAMES = [
  'func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn', 'bot',
] as const;

const ABS_INDEX: Readonly<Record<string, number>> = Object.fromEntries(ABS_HEAP_NAMES.map((n, i) => [n, i]));

/** Heap code of an abstract heap type name, or -1. */
export function absHeapCode(name: string): number {
  return Object.hasOwn(ABS_INDEX, name) ? ABS_INDEX[name]! : -1;
}

export function refCode(heap: number, nullable: boolean): number {
  return REF + heap * 2 + (nullable ? 1 : 0);
}

export function heapOf(code: number): number {
  return (code - REF) >> 1;
}

export function isRef(code: number): boolean {
  return code >= REF;
}

/** Numeric and vector types, and BOT (which stands for any of them). */
export function isNumOrVec(code: number): boolean {
  return code <= V128;
}

/** Composite kinds of a defined type. */
export const KIND_FUNC = 0;
export const KIND_STRUCT = 1;
export const KIND_ARRAY = 2;

/** Type codes of the number/vector types by name. */
export const NUM_CODES: Readonly<Record<string, number>> = { i32: I32, i64: I64, f32: F32, f64: F64, v128: V128 };

/**
 * `ABS_SUB[a * 13 + b]` is 1 when abstract heap type a matches abstract heap type b
 * (spec §3.3.1 "Heap types" matching, abstract part).
 */
export const ABS_SUB: Uint8Array = (() => {
  const t = new Uint8Array(13 * 13);
  const set = (a: number, b: number): void => {
    t[a * 13 + b] = 1;
  };
  for (let h = 0; h < 13; h++) {
    set(h, h);
    set(H_BOT, h);
  }
  for (const h of [H_EQ, H_I31, H_STRUCT, H_ARRAY, H_NONE]) set(h, H_ANY);
  for (const h of [H_I31, H_STRUCT, H_ARRAY, H_NONE]) set(h, H_EQ);
  for (const h of [H_I31, H_STRUCT, H_ARRAY]) set(H_NONE, h);
  set(H_NOFUNC, H_FUNC);
  set(H_NOEXTERN, H_EXTERN);
  set(H_NOEXN, H_EXN);
  return t;
})();
