// The generator's module-level half (see ./generate.ts): value, heap and composite types
// in rec groups with declared supertypes, the generator's own conservative subtyping,
// limits, tables, memories, tags, and constant expressions.

import { op } from '../src/model/opcodes.ts';
import type { Immediate, Instruction } from '../src/model/instruction.ts';
import type {
  AbsHeapType,
  CompositeType,
  FieldType,
  GlobalType,
  HeapType,
  Import,
  Limits,
  RecGroup,
  RefType,
  StorageType,
  SubType,
  TableType,
  ValType,
} from '../src/model/types.ts';
import type { Rng } from './rng.ts';

export const I = (name: string, imm: Immediate = null): Instruction => ({ op: op(name), imm });

export const ABS_HEAPS: readonly AbsHeapType[] = [
  'func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn',
];

/** The four type hierarchies, by their top types. */
export type Hier = 'any' | 'func' | 'extern' | 'exn';

export const ref = (nullable: boolean, heap: HeapType): RefType => ({ kind: 'ref', nullable, heap });

export function isDefaultable(t: ValType): boolean {
  return typeof t === 'string' || t.nullable;
}

export function unpacked(s: StorageType): ValType {
  return s === 'i8' || s === 'i16' ? 'i32' : s;
}

/** The module being generated, and everything about it but code. */
export class TypeGenerator {
  readonly rng: Rng;
  readonly types: SubType[] = [];
  readonly groups: RecGroup[] = [];
  readonly imports: Import[] = [];
  /** Type index of every function (imports first). */
  readonly funcTypes: number[] = [];
  readonly tables: TableType[] = [];
  readonly memories: Limits[] = [];
  readonly globals: GlobalType[] = [];
  nImportedGlobals = 0;
  readonly tagTypes: number[] = [];
  nElems = 0;
  nDatas = 0;
  readonly elemTypes: RefType[] = [];
  /** Functions named by ref.func in code, to declare. */
  readonly referenced = new Set<number>();
  /** Functions already declared outside code (exports, segments, global initializers). */
  readonly declared = new Set<number>();
  /** Whether the module may use a type index below this bound (the rec group's end). */
  typeLimit = 0;

  constructor(rng: Rng) {
    this.rng = rng;
  }

  // --- value types -------------------------------------------------------------------

  heapType(): HeapType {
    const r = this.rng;
    if (this.typeLimit > 0 && r.chance(0.4)) return r.int(this.typeLimit);
    return r.pick(ABS_HEAPS);
  }

  refType(): RefType {
    return ref(this.rng.chance(0.7), this.heapType());
  }

  valType(): ValType {
    switch (this.rng.weighted([5, 3, 2, 2, 1, 3])) {
      case 0: return 'i32';
      case 1: return 'i64';
      case 2: return 'f32';
      case 3: return 'f64';
      case 4: return 'v128';
      default: return this.refType();
    }
  }

  storageType(): StorageType {
    const r = this.rng;
    return r.chance(0.2) ? r.pick(['i8', 'i16'] as const) : this.valType();
  }

  fieldType(): FieldType {
    return { storage: this.storageType(), mutable: this.rng.chance(0.5) };
  }

  hierOf(h: HeapType): Hier {
    if (typeof h === 'number') return this.types[h]?.composite.kind === 'func' ? 'func' : 'any';
    switch (h) {
      case 'func': case 'nofunc': return 'func';
      case 'extern': case 'noextern': return 'extern';
      case 'exn': case 'noexn': return 'exn';
      default: return 'any';
    }
  }

  subHeap(a: HeapType, b: HeapType): boolean {
    if (a === b) return true;
    if (typeof a === 'number') {
      const t = this.types[a];
      if (t === undefined) return false;
      if (typeof b === 'number') {
        for (const s of t.supertypes) if (this.subHeap(s, b)) return true;
        return false;
      }
      switch (t.composite.kind) {
        case 'func': return b === 'func';
        case 'struct': return b === 'struct' || b === 'eq' || b === 'any';
        case 'array': return b === 'array' || b === 'eq' || b === 'any';
      }
    }
    switch (a) {
      case 'none': return this.hierOf(b) === 'any';
      case 'nofunc': return this.hierOf(b) === 'func';
      case 'noextern': return b === 'extern';
      case 'noexn': return b === 'exn';
      case 'eq': return b === 'any';
      case 'i31': case 'struct': case 'array': return b === 'eq' || b === 'any';
      default: return false;
    }
  }

  subVal(a: ValType, b: ValType): boolean {
    if (typeof a === 'string' || typeof b === 'string') return a === b;
    return (!a.nullable || b.nullable) && this.subHeap(a.heap, b.heap);
  }

  funcTypeIndices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.types.length; i++) if (this.types[i]!.composite.kind === 'func') out.push(i);
    return out;
  }

  kindIndices(kind: CompositeType['kind']): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.types.length; i++) if (this.types[i]!.composite.kind === kind) out.push(i);
    return out;
  }

  // --- the type section ----------------------------------------------------------------

  genTypes(): void {
    const r = this.rng;
    const nGroups = r.range(1, 6);
    for (let g = 0; g < nGroups; g++) {
      const explicit = r.chance(0.3);
      const n = explicit ? r.range(1, 3) : 1;
      const start = this.types.length;
      this.typeLimit = start + n;
      const group: SubType[] = [];
      for (let i = 0; i < n; i++) {
        const t = this.subType(start + i);
        group.push(t);
        this.types.push(t);
      }
      this.groups.push({ types: group, explicit });
    }
    // Every module can use a [] -> [] type (start function, tags, blocks).
    this.types.push({ final: true, supertypes: [], composite: { kind: 'func', params: [], results: [] } });
    this.groups.push({ types: [this.types[this.types.length - 1]!], explicit: false });
    this.typeLimit = this.types.length;
  }

  voidType(): number {
    return this.types.length - 1;
  }

  subType(index: number): SubType {
    const r = this.rng;
    const final = r.chance(0.4);
    const candidates: number[] = [];
    for (let i = 0; i < index; i++) if (!this.types[i]!.final) candidates.push(i);
    if (candidates.length > 0 && r.chance(0.4)) {
      const sup = r.pick(candidates);
      const c = this.types[sup]!.composite;
      let composite: CompositeType = c;
      if (c.kind === 'struct') {
        const extra = r.small(3);
        const fields = c.fields.slice();
        for (let i = 0; i < extra; i++) fields.push(this.fieldType());
        composite = { kind: 'struct', fields };
      }
      return { final, supertypes: [sup], composite };
    }
    let composite: CompositeType;
    switch (r.weighted([5, 3, 2])) {
      case 0: {
        const params: ValType[] = [];
        const results: ValType[] = [];
        for (let i = r.small(5); i > 0; i--) params.push(this.valType());
        for (let i = r.small(3); i > 0; i--) results.push(this.valType());
        composite = { kind: 'func', params, results };
        break;
      }
      case 1: {
        const fields: FieldType[] = [];
        for (let i = r.small(5); i > 0; i--) fields.push(this.fieldType());
        composite = { kind: 'struct', fields };
        break;
      }
      default:
        composite = { kind: 'array', element: this.fieldType() };
    }
    return { final: final || r.chance(0.3), supertypes: [], composite };
  }

  // --- limits and other module-level types ---------------------------------------------

  limits(address: 'i32' | 'i64', cap: bigint, shared: boolean): Limits {
    const r = this.rng;
    const min = BigInt(r.small(4));
    const hasMax = shared || r.chance(0.5);
    const max = hasMax ? min + BigInt(r.small(8)) : null;
    return { address, min: min > cap ? cap : min, max, shared };
  }

  tableType(): TableType {
    const r = this.rng;
    const address = r.chance(0.2) ? 'i64' : 'i32';
    let element: RefType;
    switch (r.int(4)) {
      case 0: case 1: element = ref(true, 'func'); break;
      case 2: element = ref(true, 'extern'); break;
      default: element = this.refType();
    }
    return { element, limits: this.limits(address, 100n, false) };
  }

  memoryLimits(): Limits {
    const r = this.rng;
    const address = r.chance(0.25) ? 'i64' : 'i32';
    return this.limits(address, 16n, r.chance(0.2));
  }

  tagType(): number {
    const r = this.rng;
    const ok = this.funcTypeIndices().filter((i) => {
      const c = this.types[i]!.composite;
      return c.kind === 'func' && c.results.length === 0;
    });
    return ok.length > 0 && r.chance(0.8) ? r.pick(ok) : this.voidType();
  }

  // --- constant expressions ------------------------------------------------------------

  /** A constant expression of type `t` seeing globals below `globals`; null if none. */
  constExpr(t: ValType, globals: number): Instruction[] | null {
    const r = this.rng;
    const gets: number[] = [];
    for (let g = 0; g < globals; g++) {
      const gt = this.globals[g]!;
      if (!gt.mutable && this.subVal(gt.type, t)) gets.push(g);
    }
    if (gets.length > 0 && r.chance(0.25)) return [I('global.get', r.pick(gets))];
    if (typeof t === 'string') {
      const c = this.constOf(t);
      if ((t === 'i32' || t === 'i64') && r.chance(0.2)) {
        return [c, this.constOf(t), I(`${t}.${r.pick(['add', 'sub', 'mul'])}`)];
      }
      return [c];
    }
    const h = t.heap;
    const options: (() => Instruction[] | null)[] = [];
    if (t.nullable) options.push(() => [I('ref.null', r.chance(0.7) ? h : this.bottomOf(h))]);
    const funcs = this.funcsOfType(h);
    if (funcs.length > 0) {
      options.push(() => {
        const f = r.pick(funcs);
        this.declared.add(f);
        return [I('ref.func', f)];
      });
    }
    if (this.subHeap('i31', h)) options.push(() => [this.constOf('i32'), I('ref.i31')]);
    for (const s of this.kindIndices('struct')) {
      if (!this.subHeap(s, h)) continue;
      const c = this.types[s]!.composite;
      if (c.kind !== 'struct') continue;
      if (c.fields.every((f) => isDefaultable(unpacked(f.storage)))) options.push(() => [I('struct.new_default', s)]);
    }
    for (const a of this.kindIndices('array')) {
      if (!this.subHeap(a, h)) continue;
      const c = this.types[a]!.composite;
      if (c.kind !== 'array') continue;
      const el = unpacked(c.element.storage);
      if (typeof el === 'string') {
        options.push(() => {
          const n = r.small(4);
          const out: Instruction[] = [];
          for (let i = 0; i < n; i++) out.push(this.constOf(el));
          out.push(I('array.new_fixed', { type: a, length: n }));
          return out;
        });
      }
    }
    if (h === 'any' || h === 'extern') {
      const other = ref(t.nullable, h === 'any' ? 'extern' : 'any');
      const conv = h === 'any' ? 'any.convert_extern' : 'extern.convert_any';
      options.push(() => {
        const inner = t.nullable ? [I('ref.null', other.heap)] : this.constExpr(other, globals);
        return inner === null ? null : [...inner, I(conv)];
      });
    }
    if (gets.length > 0) options.push(() => [I('global.get', r.pick(gets))]);
    if (options.length === 0) return null;
    return r.pick(options)();
  }

  constOf(t: 'i32' | 'i64' | 'f32' | 'f64' | 'v128'): Instruction {
    const r = this.rng;
    switch (t) {
      case 'i32': return I('i32.const', r.chance(0.7) ? r.small(64) : r.u32() | 0);
      case 'i64': return I('i64.const', r.chance(0.7) ? BigInt(r.small(64)) : r.i64());
      case 'f32': return I('f32.const', r.u32());
      case 'f64': return I('f64.const', BigInt.asUintN(64, r.i64()));
      case 'v128': return I('v128.const', r.bytes(16));
    }
  }

  bottomOf(h: HeapType): AbsHeapType {
    switch (this.hierOf(h)) {
      case 'func': return 'nofunc';
      case 'extern': return 'noextern';
      case 'exn': return 'noexn';
      default: return 'none';
    }
  }

  topOf(h: HeapType): AbsHeapType {
    return this.hierOf(h);
  }

  funcsOfType(h: HeapType): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.funcTypes.length; f++) if (this.subHeap(this.funcTypes[f]!, h)) out.push(f);
    return out;
  }

  /** `t`, made nullable when no constant expression can produce it. */
  constable(t: ValType, globals: number): ValType {
    if (typeof t === 'string' || t.nullable) return t;
    const h = t.heap;
    const ok =
      this.funcsOfType(h).length > 0 ||
      this.subHeap('i31', h) ||
      this.kindIndices('struct').some((s) => this.subHeap(s, h)) ||
      this.kindIndices('array').some((a) => this.subHeap(a, h)) ||
      this.globals.slice(0, globals).some((g) => !g.mutable && this.subVal(g.type, t));
    return ok ? t : ref(true, h);
  }

}
