// Types for the printer (spec §6.4 "Types"): value, heap and reference types with their
// shorthands, field, composite and sub types, limits, table, memory and global types.

import type {
  CompositeType,
  FieldType,
  FuncType,
  GlobalType,
  HeapType,
  Limits,
  RefType,
  StorageType,
  SubType,
  ValType,
} from '../model/types.ts';
import { refText, type SpaceIds } from './print-names.ts';

const SHORTHAND: Readonly<Record<string, string>> = {
  func: 'funcref',
  nofunc: 'nullfuncref',
  extern: 'externref',
  noextern: 'nullexternref',
  any: 'anyref',
  eq: 'eqref',
  i31: 'i31ref',
  struct: 'structref',
  array: 'arrayref',
  none: 'nullref',
  exn: 'exnref',
  noexn: 'nullexnref',
};

/** A value type in text syntax, with type indices as numbers (no identifiers). */
export function valTypeText(t: ValType): string {
  if (typeof t === 'string') return t;
  if (t.nullable && typeof t.heap === 'string') {
    const short = SHORTHAND[t.heap];
    if (short !== undefined) return short;
  }
  return t.nullable ? `(ref null ${t.heap})` : `(ref ${t.heap})`;
}

/** Prints types; `types` names the type index space. */
export class TypePrinter {
  readonly types: SpaceIds;
  /** Field identifiers per struct type index (field index → `$id`). */
  readonly fields: ReadonlyMap<number, SpaceIds>;

  constructor(types: SpaceIds, fields: ReadonlyMap<number, SpaceIds>) {
    this.types = types;
    this.fields = fields;
  }

  typeRef(index: number): string {
    return refText(this.types, index);
  }

  heapType(h: HeapType): string {
    return typeof h === 'number' ? refText(this.types, h) : h;
  }

  refType(t: RefType): string {
    if (t.nullable && typeof t.heap === 'string') {
      const short = SHORTHAND[t.heap];
      if (short !== undefined) return short;
    }
    return t.nullable ? `(ref null ${this.heapType(t.heap)})` : `(ref ${this.heapType(t.heap)})`;
  }

  valType(t: ValType): string {
    return typeof t === 'string' ? t : this.refType(t);
  }

  /** Space-separated value types (no leading space). */
  valTypes(ts: readonly ValType[]): string {
    let s = '';
    for (let i = 0; i < ts.length; i++) s += (i > 0 ? ' ' : '') + this.valType(ts[i]!);
    return s;
  }

  storageType(t: StorageType): string {
    return t === 'i8' || t === 'i16' ? t : this.valType(t);
  }

  fieldType(f: FieldType): string {
    const s = this.storageType(f.storage);
    return f.mutable ? `(mut ${s})` : s;
  }

  globalType(g: GlobalType): string {
    const s = this.valType(g.type);
    return g.mutable ? `(mut ${s})` : s;
  }

  /** ` (param …) (result …)` with a leading space, or '' for `[] -> []`. */
  signature(params: readonly ValType[], results: readonly ValType[], paramIds?: readonly (string | null)[]): string {
    let s = '';
    let run = '';
    for (let i = 0; i < params.length; i++) {
      const id = paramIds?.[i];
      if (id != null) {
        if (run !== '') {
          s += ` (param${run})`;
          run = '';
        }
        s += ` (param ${id} ${this.valType(params[i]!)})`;
      } else {
        run += ' ' + this.valType(params[i]!);
      }
    }
    if (run !== '') s += ` (param${run})`;
    if (results.length > 0) s += ` (result ${this.valTypes(results)})`;
    return s;
  }

  funcType(f: FuncType): string {
    return `(func${this.signature(f.params, f.results)})`;
  }

  /** `index` is the type's own index (for field names). */
  compositeType(c: CompositeType, index: number): string {
    switch (c.kind) {
      case 'func':
        return this.funcType(c);
      case 'struct': {
        const names = this.fields.get(index);
        let s = '(struct';
        for (let i = 0; i < c.fields.length; i++) {
          const id = names?.ids[i];
          s += id == null ? ` (field ${this.fieldType(c.fields[i]!)})` : ` (field ${id} ${this.fieldType(c.fields[i]!)})`;
        }
        return s + ')';
      }
      case 'array':
        return `(array ${this.fieldType(c.element)})`;
    }
  }

  /** A type definition's body: `(sub final? $super* comptype)` or a bare composite type. */
  subType(t: SubType, index: number): string {
    const comp = this.compositeType(t.composite, index);
    if (t.final && t.supertypes.length === 0) return comp;
    let s = t.final ? '(sub final' : '(sub';
    for (const sup of t.supertypes) s += ' ' + this.typeRef(sup);
    return `${s} ${comp})`;
  }
}

/** `i64? min max? shared?` (the address type only when it is i64). */
export function limitsText(l: Limits): string {
  let s = l.address === 'i64' ? `i64 ${l.min}` : String(l.min);
  if (l.max !== null) s += ` ${l.max}`;
  if (l.shared) s += ' shared';
  return s;
}
