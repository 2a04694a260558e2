// Encoding types (spec §5.3 "Types"): value, heap and reference types, composite and
// sub types, recursion groups, limits, table, global and block types.

import { EncodeError } from '../model/errors.ts';
import type {
  BlockType,
  CompositeType,
  FieldType,
  GlobalType,
  HeapType,
  Limits,
  RecGroup,
  RefType,
  StorageType,
  SubType,
  TableType,
  ValType,
} from '../model/types.ts';
import type { ByteWriter } from './writer.ts';

/** Writes an abstract or concrete heap type (abstract: one byte; concrete: s33 index). */
export function encodeHeapType(w: ByteWriter, heap: HeapType): void {
  if (typeof heap === 'number') {
    if (heap >>> 0 !== heap) throw new EncodeError(`invalid type index ${heap}`);
    w.s33(heap);
  } else {
    w.u8(absHeapCode(heap));
  }
}

function absHeapCode(heap: string): number {
  switch (heap) {
    case 'func': return 0x70;
    case 'extern': return 0x6f;
    case 'any': return 0x6e;
    case 'eq': return 0x6d;
    case 'i31': return 0x6c;
    case 'struct': return 0x6b;
    case 'array': return 0x6a;
    case 'exn': return 0x69;
    case 'none': return 0x71;
    case 'noextern': return 0x72;
    case 'nofunc': return 0x73;
    case 'noexn': return 0x74;
    default: throw new EncodeError(`unknown heap type ${String(heap)}`);
  }
}

/** Writes a reference type: the one-byte short form for nullable abstract types. */
export function encodeRefType(w: ByteWriter, t: RefType): void {
  const heap = t.heap;
  if (typeof heap === 'string') {
    const code = absHeapCode(heap);
    if (t.nullable) w.u8(code);
    else w.u8x2(0x64, code);
  } else {
    w.u8(t.nullable ? 0x63 : 0x64);
    encodeHeapType(w, heap);
  }
}

/** Writes a value type. */
export function encodeValType(w: ByteWriter, t: ValType): void {
  if (typeof t === 'string') w.u8(numVecCode(t));
  else if (t !== null && typeof t === 'object' && t.kind === 'ref') encodeRefType(w, t);
  else throw new EncodeError(`invalid value type ${String(t)}`);
}

function numVecCode(t: string): number {
  switch (t) {
    case 'i32': return 0x7f;
    case 'i64': return 0x7e;
    case 'f32': return 0x7d;
    case 'f64': return 0x7c;
    case 'v128': return 0x7b;
    default: throw new EncodeError(`invalid value type ${t}`);
  }
}

export function encodeValTypes(w: ByteWriter, types: readonly ValType[]): void {
  const n = types.length;
  w.u32(n);
  for (let i = 0; i < n; i++) encodeValType(w, types[i]!);
}

function encodeStorageType(w: ByteWriter, t: StorageType): void {
  if (t === 'i8') w.u8(0x78);
  else if (t === 'i16') w.u8(0x77);
  else encodeValType(w, t);
}

function encodeFieldType(w: ByteWriter, f: FieldType): void {
  encodeStorageType(w, f.storage);
  w.u8(f.mutable ? 1 : 0);
}

function encodeCompositeType(w: ByteWriter, c: CompositeType): void {
  switch (c.kind) {
    case 'func':
      w.u8(0x60);
      encodeValTypes(w, c.params);
      encodeValTypes(w, c.results);
      return;
    case 'struct': {
      w.u8(0x5f);
      const fields = c.fields;
      w.u32(fields.length);
      for (let i = 0; i < fields.length; i++) encodeFieldType(w, fields[i]!);
      return;
    }
    case 'array':
      w.u8(0x5e);
      encodeFieldType(w, c.element);
      return;
    default:
      throw new EncodeError(`invalid composite type ${String((c as { kind: unknown }).kind)}`);
  }
}

/** Writes a sub type; a final type without supertypes uses the short form. */
export function encodeSubType(w: ByteWriter, t: SubType): void {
  const supers = t.supertypes;
  if (!t.final || supers.length !== 0) {
    w.u8(t.final ? 0x4f : 0x50);
    w.u32Vec(supers);
  }
  encodeCompositeType(w, t.composite);
}

/** Writes a recursion group: 0x4E vec(subtype) unless it is a single implicit type. */
export function encodeRecGroup(w: ByteWriter, g: RecGroup): void {
  const types = g.types;
  if (!g.explicit && types.length === 1) {
    encodeSubType(w, types[0]!);
    return;
  }
  w.u8(0x4e);
  w.u32(types.length);
  for (let i = 0; i < types.length; i++) encodeSubType(w, types[i]!);
}

/** Writes limits: flags (bit 0 max, bit 1 shared, bit 2 64-bit), min, optional max. */
export function encodeLimits(w: ByteWriter, l: Limits): void {
  const is64 = l.address === 'i64';
  if (!is64 && l.address !== 'i32') throw new EncodeError(`invalid address type ${String(l.address)}`);
  const hasMax = l.max !== null;
  w.u8((hasMax ? 1 : 0) | (l.shared ? 2 : 0) | (is64 ? 4 : 0));
  if (!is64) {
    if (l.min > 0xffffffffn || (hasMax && l.max! > 0xffffffffn)) {
      throw new EncodeError('limits of a 32-bit table or memory must fit in 32 bits');
    }
  }
  w.u64(l.min);
  if (hasMax) w.u64(l.max!);
}

export function encodeTableType(w: ByteWriter, t: TableType): void {
  encodeRefType(w, t.element);
  encodeLimits(w, t.limits);
}

export function encodeGlobalType(w: ByteWriter, t: GlobalType): void {
  encodeValType(w, t.type);
  w.u8(t.mutable ? 1 : 0);
}

/** Writes a block type: 0x40 empty, a value type, or a type index as s33. */
export function encodeBlockType(w: ByteWriter, t: BlockType): void {
  if (t === null) w.u8(0x40);
  else if (typeof t === 'number') {
    if (t >>> 0 !== t) throw new EncodeError(`invalid block type index ${t}`);
    w.s33(t);
  } else encodeValType(w, t);
}
