// Decoding types (spec §5.3 "Types"): number, vector, heap, reference and value types,
// storage and field types, composite and sub types, recursion groups, limits, table,
// memory, global and tag types, block types.
//
// Type codes are single bytes (the reference interpreter reads them as s7, so a byte
// with the continuation bit is "integer representation too long"). Reference types with
// an abstract heap type are shared objects: the model is readonly.

import type { FeatureSet } from '../model/features.ts';
import type {
  AbsHeapType,
  BlockType,
  CompositeType,
  FieldType,
  GlobalType,
  HeapType,
  Limits,
  MemoryType,
  RecGroup,
  RefType,
  StorageType,
  SubType,
  TableType,
  TagType,
  ValType,
} from '../model/types.ts';
import type { Reader } from './reader.ts';

/** Abstract heap types by their byte (0x69-0x74), or undefined. */
const ABS_HEAP: readonly (AbsHeapType | undefined)[] = (() => {
  const t: (AbsHeapType | undefined)[] = new Array(128).fill(undefined);
  t[0x69] = 'exn';
  t[0x6a] = 'array';
  t[0x6b] = 'struct';
  t[0x6c] = 'i31';
  t[0x6d] = 'eq';
  t[0x6e] = 'any';
  t[0x6f] = 'extern';
  t[0x70] = 'func';
  t[0x71] = 'none';
  t[0x72] = 'noextern';
  t[0x73] = 'nofunc';
  t[0x74] = 'noexn';
  return t;
})();

/** Shared `(ref null ht)` and `(ref ht)` for each abstract heap type byte. */
const NULLABLE_ABS: (RefType | undefined)[] = new Array(128).fill(undefined);
const NON_NULL_ABS: (RefType | undefined)[] = new Array(128).fill(undefined);
for (let b = 0; b < 128; b++) {
  const heap = ABS_HEAP[b];
  if (heap === undefined) continue;
  NULLABLE_ABS[b] = Object.freeze({ kind: 'ref', nullable: true, heap });
  NON_NULL_ABS[b] = Object.freeze({ kind: 'ref', nullable: false, heap });
}

const NUM_VEC: readonly (ValType | undefined)[] = (() => {
  const t: (ValType | undefined)[] = new Array(128).fill(undefined);
  t[0x7f] = 'i32';
  t[0x7e] = 'i64';
  t[0x7d] = 'f32';
  t[0x7c] = 'f64';
  t[0x7b] = 'v128';
  return t;
})();

/** A shared reference type with an abstract heap type. */
export function absRefType(nullable: boolean, heap: AbsHeapType): RefType {
  for (let b = 0x69; b <= 0x74; b++) {
    if (ABS_HEAP[b] === heap) return (nullable ? NULLABLE_ABS : NON_NULL_ABS)[b]!;
  }
  return { kind: 'ref', nullable, heap };
}

function tooLong(r: Reader, at: number): never {
  r.fail('integer representation too long', at + 1);
}

/**
 * A heap type: a non-negative s33 is a type index; otherwise a one-byte abstract heap
 * type ("malformed heap type").
 */
export function readHeapType(r: Reader): HeapType {
  const start = r.pos;
  const b = r.u8();
  if (b < 0x40) return b; // one-byte type index
  if (b < 0x80) {
    const heap = ABS_HEAP[b];
    if (heap === undefined) r.fail('malformed heap type', start);
    return heap;
  }
  r.pos = start;
  const v = r.s33();
  if (v >= 0) return v;
  tooLong(r, start); // a negative multi-byte value is no abstract heap type
}

/** Reads the rest of a reference type whose first byte `b` has been read. */
function refTypeAfter(r: Reader, b: number, start: number, what: string): RefType {
  const abs = NULLABLE_ABS[b];
  if (abs !== undefined) return abs;
  if (b === 0x63 || b === 0x64) {
    const heap = readHeapType(r);
    if (typeof heap === 'number') return { kind: 'ref', nullable: b === 0x63, heap };
    return (b === 0x63 ? NULLABLE_ABS : NON_NULL_ABS)[heapByte(heap)]!;
  }
  if (b >= 0x80) tooLong(r, start);
  r.fail(what, start);
}

function heapByte(heap: AbsHeapType): number {
  for (let b = 0x69; b <= 0x74; b++) if (ABS_HEAP[b] === heap) return b;
  return 0;
}

/** A reference type ("malformed reference type"). */
export function readRefType(r: Reader): RefType {
  const start = r.pos;
  const b = r.u8();
  return refTypeAfter(r, b, start, 'malformed reference type');
}

/** A value type ("malformed value type"). */
export function readValType(r: Reader): ValType {
  const start = r.pos;
  const b = r.u8();
  const t = b < 0x80 ? NUM_VEC[b] : undefined;
  if (t !== undefined) return t;
  return refTypeAfter(r, b, start, 'malformed value type');
}

/** A vector of value types (function parameters and results, typed select). */
export function readValTypes(r: Reader): ValType[] {
  const n = r.count();
  const out: ValType[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readValType(r);
  return out;
}

function readStorageType(r: Reader): StorageType {
  const start = r.pos;
  const b = r.u8();
  if (b === 0x78) return 'i8';
  if (b === 0x77) return 'i16';
  const t = b < 0x80 ? NUM_VEC[b] : undefined;
  if (t !== undefined) return t;
  return refTypeAfter(r, b, start, 'malformed storage type');
}

function readMutability(r: Reader): boolean {
  const start = r.pos;
  const b = r.u8();
  if (b === 0) return false;
  if (b === 1) return true;
  r.fail('malformed mutability', start);
}

function readFieldType(r: Reader): FieldType {
  const storage = readStorageType(r);
  return { storage, mutable: readMutability(r) };
}

function readCompositeType(r: Reader): CompositeType {
  const start = r.pos;
  const b = r.u8();
  switch (b) {
    case 0x60: {
      const params = readValTypes(r);
      return { kind: 'func', params, results: readValTypes(r) };
    }
    case 0x5f: {
      const n = r.count();
      const fields: FieldType[] = new Array(n);
      for (let i = 0; i < n; i++) fields[i] = readFieldType(r);
      return { kind: 'struct', fields };
    }
    case 0x5e:
      return { kind: 'array', element: readFieldType(r) };
  }
  if (b >= 0x80) tooLong(r, start);
  r.fail('malformed definition type', start);
}

const NO_SUPERS: readonly number[] = Object.freeze([]);

/** A sub type: 0x50 (open) or 0x4F (final) with supertypes, or a bare composite type. */
export function readSubType(r: Reader): SubType {
  const b = r.peek();
  if (b === 0x50 || b === 0x4f) {
    r.pos++;
    const n = r.count();
    const supertypes: number[] = new Array(n);
    for (let i = 0; i < n; i++) supertypes[i] = r.u32();
    return { final: b === 0x4f, supertypes, composite: readCompositeType(r) };
  }
  return { final: true, supertypes: NO_SUPERS, composite: readCompositeType(r) };
}

/** A recursion group: 0x4E and a vector of sub types, or one sub type. */
export function readRecGroup(r: Reader): RecGroup {
  if (r.peek() === 0x4e) {
    r.pos++;
    const n = r.count();
    const types: SubType[] = new Array(n);
    for (let i = 0; i < n; i++) types[i] = readSubType(r);
    return { types, explicit: true };
  }
  return { types: [readSubType(r)], explicit: false };
}

/**
 * Limits: a flags byte (bit 0: maximum present, bit 1: shared, bit 2: 64-bit
 * addresses; "malformed limits flags" otherwise), then u64 minimum and maximum.
 */
export function readLimits(r: Reader, features: FeatureSet | null): Limits {
  const start = r.pos;
  const flags = r.u8();
  let allowed = 0x07;
  if (features !== null) {
    if (!features.threads) allowed &= ~0x02;
    if (!features.memory64) allowed &= ~0x04;
  }
  if (flags & ~allowed) r.fail('malformed limits flags', start);
  const min = r.u64();
  const max = flags & 1 ? r.u64() : null;
  return { address: flags & 4 ? 'i64' : 'i32', min, max, shared: (flags & 2) !== 0 };
}

export function readTableType(r: Reader, features: FeatureSet | null): TableType {
  const element = readRefType(r);
  return { element, limits: readLimits(r, features) };
}

export function readMemoryType(r: Reader, features: FeatureSet | null): MemoryType {
  return { limits: readLimits(r, features) };
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  return { type, mutable: readMutability(r) };
}

/** A tag type: the attribute byte (zero: exception), then a type index. */
export function readTagType(r: Reader): TagType {
  r.zero();
  return { type: r.u32() };
}

/**
 * A block type: 0x40 (empty), a value type, or a non-negative s33 type index. As in the
 * reference interpreter, a negative s33 that is no value type is reported as a value
 * type error.
 */
export function readBlockType(r: Reader): BlockType {
  const start = r.pos;
  const b = r.u8();
  if (b === 0x40) return null;
  if (b < 0x40) return b; // one-byte type index
  if (b < 0x80) {
    const t = NUM_VEC[b];
    if (t !== undefined) return t;
    return refTypeAfter(r, b, start, 'malformed value type');
  }
  r.pos = start;
  const v = r.s33();
  if (v >= 0) return v;
  tooLong(r, start);
}
