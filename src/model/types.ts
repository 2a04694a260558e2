// The module model: WebAssembly 3.0 abstract syntax (spec §2 "Structure") as readonly data.
//
// Conventions:
// - Indices are plain numbers in their own index space (imports first), already resolved.
// - 64-bit quantities that can exceed 2^53 (i64 constants, f64 bit patterns, limits,
//   memory offsets) are bigints so that every module round-trips exactly.
// - Expressions and function bodies are flat instruction lists in binary order, without
//   the final `end`; block structure is given by block/loop/if/else/try…/end instructions.

import type { Instruction } from './instruction.ts';

// ---------------------------------------------------------------------------------------
// Types (spec §2.3)

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type VecType = 'v128';

/** Abstract heap types, named as in the text format. */
export type AbsHeapType =
  | 'func' | 'nofunc'
  | 'extern' | 'noextern'
  | 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'none'
  | 'exn' | 'noexn';

/** A heap type: abstract, or concrete as a type index. */
export type HeapType = AbsHeapType | number;

export interface RefType {
  readonly kind: 'ref';
  readonly nullable: boolean;
  readonly heap: HeapType;
}

export type ValType = NumType | VecType | RefType;
export type PackedType = 'i8' | 'i16';
export type StorageType = ValType | PackedType;

export interface FieldType {
  readonly storage: StorageType;
  readonly mutable: boolean;
}

export interface FuncType {
  readonly kind: 'func';
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly FieldType[];
}

export interface ArrayType {
  readonly kind: 'array';
  readonly element: FieldType;
}

export type CompositeType = FuncType | StructType | ArrayType;

/** A type definition. Plain `(type (func …))` is final with no supertypes. */
export interface SubType {
  readonly final: boolean;
  readonly supertypes: readonly number[];
  readonly composite: CompositeType;
}

/**
 * A recursion group. A group written without `rec` holds one type; `explicit` records
 * whether it was written as `(rec …)` (binary 0x4E) so that encodings round-trip.
 */
export interface RecGroup {
  readonly types: readonly SubType[];
  readonly explicit: boolean;
}

export type AddressType = 'i32' | 'i64';

export interface Limits {
  readonly address: AddressType;
  readonly min: bigint;
  readonly max: bigint | null;
  readonly shared: boolean;
}

export interface TableType {
  readonly element: RefType;
  readonly limits: Limits;
}

export interface MemoryType {
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

/** An exception tag; `type` is the index of a function type with no results. */
export interface TagType {
  readonly type: number;
}

/**
 * Block type: `null` is the empty type, a ValType is a single result,
 * a number is a type index.
 */
export type BlockType = null | ValType | number;

// ---------------------------------------------------------------------------------------
// Expressions

/** A constant expression or function body: instructions without the final `end`. */
export type Expr = readonly Instruction[];

// ---------------------------------------------------------------------------------------
// Module fields (spec §2.5)

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export type ImportDesc =
  | { readonly kind: 'func'; readonly type: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: TagType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

/** A run of `count` locals of one type, as in the binary format. */
export interface LocalRun {
  readonly count: number;
  readonly type: ValType;
}

export interface Func {
  /** Index of the function's type. */
  readonly type: number;
  readonly locals: readonly LocalRun[];
  readonly body: Expr;
}

export interface Table {
  readonly type: TableType;
  /** Initialiser for every element (binary form 0x40 0x00); null means ref.null. */
  readonly init: Expr | null;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: Expr;
}

export type ElemMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | { readonly kind: 'active'; readonly table: number; readonly offset: Expr };

export type ElemInit =
  | { readonly kind: 'funcs'; readonly indices: readonly number[] }
  | { readonly kind: 'exprs'; readonly exprs: readonly Expr[] };

export interface Elem {
  readonly type: RefType;
  readonly mode: ElemMode;
  readonly init: ElemInit;
}

export type DataMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly memory: number; readonly offset: Expr };

export interface Data {
  readonly mode: DataMode;
  readonly bytes: Uint8Array;
}

/** Section ids of the binary format (spec §5.5.2), used to place custom sections. */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;
export type SectionName = Exclude<keyof typeof SectionId, 'custom'>;

/**
 * Where a custom section sits: at the start, at the end, or just before/after a known
 * section (the `(@custom "name" (after code) …)` annotation's placement).
 */
export type CustomPlacement =
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'before' | 'after'; readonly section: SectionName };

export interface CustomSection {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly placement: CustomPlacement;
}

/** Index → name; the `name` custom section and its extended subsections. */
export type NameMap = ReadonlyMap<number, string>;
export type IndirectNameMap = ReadonlyMap<number, NameMap>;

export interface Names {
  readonly module: string | null;
  readonly funcs: NameMap;
  readonly locals: IndirectNameMap;
  readonly labels: IndirectNameMap;
  readonly types: NameMap;
  readonly tables: NameMap;
  readonly memories: NameMap;
  readonly globals: NameMap;
  readonly elems: NameMap;
  readonly datas: NameMap;
  readonly fields: IndirectNameMap;
  readonly tags: NameMap;
}

export interface Module {
  readonly types: readonly RecGroup[];
  readonly imports: readonly Import[];
  /** Defined functions only (imported functions come first in the index space). */
  readonly funcs: readonly Func[];
  readonly tables: readonly Table[];
  readonly memories: readonly MemoryType[];
  readonly globals: readonly Global[];
  readonly tags: readonly TagType[];
  readonly exports: readonly Export[];
  readonly start: number | null;
  readonly elems: readonly Elem[];
  readonly datas: readonly Data[];
  /** Whether the data count section is present (required by memory.init / data.drop). */
  readonly dataCount: boolean;
  /** Custom sections other than `name`. */
  readonly customs: readonly CustomSection[];
  /** Contents of the `name` section, or null when there is none. */
  readonly names: Names | null;
}

// ---------------------------------------------------------------------------------------
// Small constructors and helpers shared by every layer.

export function refType(nullable: boolean, heap: HeapType): RefType {
  return { kind: 'ref', nullable, heap };
}

export const funcref: RefType = refType(true, 'func');
export const externref: RefType = refType(true, 'extern');

export function emptyNames(): Names {
  return {
    module: null,
    funcs: new Map(),
    locals: new Map(),
    labels: new Map(),
    types: new Map(),
    tables: new Map(),
    memories: new Map(),
    globals: new Map(),
    elems: new Map(),
    datas: new Map(),
    fields: new Map(),
    tags: new Map(),
  };
}

export function emptyModule(): Module {
  return {
    types: [],
    imports: [],
    funcs: [],
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    exports: [],
    start: null,
    elems: [],
    datas: [],
    dataCount: false,
    customs: [],
    names: null,
  };
}

/** The flat list of type definitions, in index order. */
export function typeDefs(module: Module): SubType[] {
  const out: SubType[] = [];
  for (const group of module.types) for (const t of group.types) out.push(t);
  return out;
}

export function valTypeEquals(a: ValType, b: ValType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.nullable === b.nullable && a.heap === b.heap;
}
