// Types of a module (spec §3.2 "Types", §3.4.1 "Type definitions", §3.3 "Matching"):
// validates the recursion groups of the type section, canonicalizes them in a
// TypeRegistry (./registry.ts), checks declared supertypes (`final`, structural matching
// of function, struct and array types), and keeps every type's shape as type codes
// (./codes.ts) for the instruction checks.

import type { FeatureSet } from '../model/features.ts';
import type {
  CompositeType, FieldType, HeapType, RecGroup, StorageType, SubType, ValType,
} from '../model/types.ts';
import {
  absHeapCode, F32, F64, H_EXN, H_EXTERN, H_FUNC, H_NOEXN, HDEF, I16, I32, I64, I8,
  KIND_ARRAY, KIND_FUNC, KIND_STRUCT, NUM_CODES, REF, refCode, V128,
} from './codes.ts';
import { fail, noteSite, requireFeature, typeName, unknown } from './fail.ts';
import { MAX_SUBTYPE_DEPTH, TypeRegistry } from './registry.ts';

const KIND_OF = { func: KIND_FUNC, struct: KIND_STRUCT, array: KIND_ARRAY } as const;

/** The validated, canonicalized types of one module. */
export class ModuleTypes {
  readonly reg: TypeRegistry;
  readonly features: FeatureSet;
  readonly defs: readonly SubType[];
  readonly count: number;
  /** Type index → canonical id. */
  readonly canon: Int32Array;
  /** Type index → KIND_FUNC / KIND_STRUCT / KIND_ARRAY. */
  readonly kind: Uint8Array;
  /**
   * Type index → offset of its shape: for a function type, params then results in
   * `vpool`; for a struct or array type, its fields in `fpool` (storage code * 2 + mutable).
   */
  readonly off: Int32Array;
  /** Type index → number of params (function) or fields (struct, array). */
  readonly n1: Int32Array;
  /** Type index → number of results (function). */
  readonly n2: Int32Array;
  /** Sequences of value type codes: function params/results and one-type result lists. */
  vpool: Int32Array;
  vlen = 0;
  fpool: Int32Array;
  flen = 0;
  private readonly singles = new Map<number, number>();
  /** Number of types whose canonical id is known (see nameOf). */
  private done = 0;

  constructor(groups: readonly RecGroup[], features: FeatureSet, registry?: TypeRegistry) {
    this.reg = registry ?? new TypeRegistry();
    this.features = features;
    const defs: SubType[] = [];
    // Room for every type's shape: the five one-type lists below, each function type's
    // params and results, a few more one-type lists (`single`), each field.
    let codes = 5 + 8;
    let fields = 1;
    for (const g of groups) {
      for (const t of g.types) {
        defs.push(t);
        const c = t.composite;
        if (c.kind === 'func') codes += c.params.length + c.results.length;
        else fields += c.kind === 'struct' ? c.fields.length : 1;
      }
    }
    this.defs = defs;
    const n = defs.length;
    this.count = n;
    // One buffer for the per-type arrays and the pools (each typed array over 64 bytes
    // otherwise costs an allocation of its own outside the heap); the pools are replaced
    // by arrays of their own should they grow.
    const buf = new ArrayBuffer(16 * n + 4 * (codes + fields) + ((n + 3) & ~3));
    this.canon = new Int32Array(buf, 0, n);
    this.off = new Int32Array(buf, 4 * n, n);
    this.n1 = new Int32Array(buf, 8 * n, n);
    this.n2 = new Int32Array(buf, 12 * n, n);
    this.vpool = new Int32Array(buf, 16 * n, codes);
    this.fpool = new Int32Array(buf, 16 * n + 4 * codes, fields);
    this.kind = new Uint8Array(buf, 16 * n + 4 * (codes + fields), n);
    this.reg.reserve(n);
    // The one-type result lists of the number and vector types sit at offset code - 1.
    for (let c = 1; c <= 5; c++) this.vpool[this.vlen++] = c;
    let start = 0;
    for (const g of groups) {
      try {
        this.addGroup(g, start);
      } catch (e) {
        throw noteSite(e, 1, start);
      }
      start += g.types.length;
      this.done = start;
    }
  }

  // -------------------------------------------------------------------------------------
  // Type codes of value types (after the type section is done)

  /** Code of a value type written in the module; checks type indices and features. */
  code(t: ValType): number {
    if (typeof t === 'string') {
      if (t === 'v128' && !this.features.simd) requireFeature(this.features, 'simd', 'v128');
      return NUM_CODES[t]!;
    }
    return refCode(this.heap(t.heap, t.nullable), t.nullable);
  }

  /** Heap code of a heap type written in the module. */
  heap(h: HeapType, nullable = true): number {
    if (typeof h === 'number') {
      if (!(h >>> 0 === h && h < this.count)) unknown('type', h);
      if (!this.features['function-references']) requireFeature(this.features, 'function-references', 'a typed reference');
      return HDEF + this.canon[h]!;
    }
    const c = absHeapCode(h);
    if (c < 0) fail(`unknown heap type ${String(h)}`);
    this.checkHeapFeature(c, nullable);
    return c;
  }

  private checkHeapFeature(c: number, nullable: boolean): void {
    const f = this.features;
    if (c === H_FUNC || c === H_EXTERN) {
      if (!f['reference-types']) requireFeature(f, 'reference-types', 'a reference type');
      if (!nullable && !f['function-references']) requireFeature(f, 'function-references', 'a non-null reference');
    } else if (c === H_EXN || c === H_NOEXN) {
      if (!f.exceptions) requireFeature(f, 'exceptions', 'exnref');
    } else if (!f.gc) {
      requireFeature(f, 'gc', 'a GC heap type');
    }
  }

  /** Offset in `vpool` of the one-element list [code]. */
  single(code: number): number {
    if (code >= 1 && code <= 5) return code - 1;
    let off = this.singles.get(code);
    if (off === undefined) {
      off = this.vlen;
      this.pushV(code);
      this.singles.set(code, off);
    }
    return off;
  }

  pushV(code: number): void {
    if (this.vlen === this.vpool.length) this.growV(1);
    this.vpool[this.vlen++] = code;
  }

  /** Makes room for `n` more codes in `vpool`. */
  private growV(n: number): void {
    let cap = this.vpool.length * 2;
    while (cap < this.vlen + n) cap *= 2;
    const grown = new Int32Array(cap);
    grown.set(this.vpool.subarray(0, this.vlen));
    this.vpool = grown;
  }

  private pushF(code: number): void {
    if (this.flen === this.fpool.length) {
      const grown = new Int32Array(this.fpool.length * 2);
      grown.set(this.fpool);
      this.fpool = grown;
    }
    this.fpool[this.flen++] = code;
  }

  /** A function type index, or a ValidationError. */
  funcType(x: number): number {
    if (!(x >>> 0 === x && x < this.count)) unknown('type', x);
    if (this.kind[x] !== KIND_FUNC) fail(`type mismatch: type ${x} is not a function type`);
    return x;
  }

  structType(x: number): number {
    if (!(x >>> 0 === x && x < this.count)) unknown('type', x);
    if (this.kind[x] !== KIND_STRUCT) fail(`type mismatch: type ${x} is not a struct type`);
    return x;
  }

  arrayType(x: number): number {
    if (!(x >>> 0 === x && x < this.count)) unknown('type', x);
    if (this.kind[x] !== KIND_ARRAY) fail(`type mismatch: type ${x} is not an array type`);
    return x;
  }

  /** Code of the reference (ref null? x) to type index x. */
  defRef(x: number, nullable: boolean): number {
    return refCode(HDEF + this.canon[x]!, nullable);
  }

  /**
   * The first type index of this module with canonical id c, or -1 (for messages: a
   * scan, as it runs only when an error is reported).
   */
  nameOf = (c: number): number => {
    for (let x = 0; x < this.done; x++) if (this.canon[x] === c) return x;
    return -1;
  };

  name(code: number): string {
    return typeName(code, this.nameOf);
  }

  // -------------------------------------------------------------------------------------
  // The type section

  private addGroup(g: RecGroup, start: number): void {
    const size = g.types.length;
    if (size === 0) return;
    const f = this.features;
    if ((g.explicit || size > 1) && !f.gc) requireFeature(f, 'gc', 'a recursion group');
    if (size === 1 && this.addSimpleFunc(g.types[0]!, start)) return;
    const end = start + size;
    // Indices: every reference must name a type of an earlier group or of this one.
    for (let j = 0; j < size; j++) {
      const st = g.types[j]!;
      const x = start + j;
      if (st.supertypes.length > 0 || !st.final) {
        if (!f.gc) requireFeature(f, 'gc', 'a sub type');
      }
      if (st.supertypes.length > 1) fail(`sub type ${x} has more than one supertype`);
      for (const y of st.supertypes) {
        if (!(y >>> 0 === y && y < end)) unknown('type', y);
        if (y >= x) fail(`unknown type ${y}: forward use of type in sub type definition`);
      }
      checkComposite(st.composite, end, f);
    }
    // Canonical ids.
    const reg = this.reg;
    const first = reg.intern(this.groupKey(g, start), size);
    for (let j = 0; j < size; j++) this.canon[start + j] = first + j;
    // Shapes as codes.
    for (let j = 0; j < size; j++) this.addShape(start + j, g.types[j]!.composite);
    // Registry data and declared supertypes.
    for (let j = 0; j < size; j++) {
      const x = start + j;
      const st = g.types[j]!;
      const c = first + j;
      const y = st.supertypes.length > 0 ? st.supertypes[0]! : -1;
      if (reg.fresh) {
        reg.kind[c] = this.kind[x]!;
        reg.fin[c] = st.final ? 1 : 0;
        const s = y >= 0 ? this.canon[y]! : -1;
        reg.sup[c] = s;
        const depth = s >= 0 ? reg.depth[s]! + 1 : 0;
        reg.depth[c] = Math.min(depth, 255);
      }
    }
    for (let j = 0; j < size; j++) {
      const x = start + j;
      const st = g.types[j]!;
      const y = st.supertypes.length > 0 ? st.supertypes[0]! : -1;
      if (y >= 0) {
        if (reg.depth[first + j]! > MAX_SUBTYPE_DEPTH) {
          fail(`sub type ${x} is nested too deeply (more than ${MAX_SUBTYPE_DEPTH} supertypes)`);
        }
        this.checkSupertype(x, y);
      }
    }
  }

  /**
   * Adds type `x` when it is alone in its group, final, without supertypes, and a
   * function type whose params and results are number or vector types, at most
   * MAX_SIMPLE of them (most types of most modules); false for any other type, which is
   * then left to the general path. Such a type is interned by a numeric key (see
   * TypeRegistry): the octal digits 1, the param codes (1-5), 0, the result codes. The
   * checks and their order are the general path's.
   */
  private addSimpleFunc(st: SubType, x: number): boolean {
    if (!st.final || st.supertypes.length !== 0) return false;
    const c = st.composite;
    if (c.kind !== 'func') return false;
    const params = c.params;
    const results = c.results;
    const np = params.length;
    const nr = results.length;
    if (np + nr > MAX_SIMPLE) return false;
    // The codes go into vpool as the key is made; vlen moves past them only at the end.
    if (this.vlen + np + nr > this.vpool.length) this.growV(np + nr);
    const v = this.vpool;
    let at = this.vlen;
    let key = 1;
    let v128 = false;
    for (let i = 0; i < np + nr; i++) {
      if (i === np) key *= 8; // the 0 between params and results
      const code = numCode(i < np ? params[i]! : results[i - np]!);
      if (code === 0) return false;
      if (code === V128) v128 = true;
      key = key * 8 + code;
      v[at++] = code;
    }
    if (nr === 0) key *= 8;
    const f = this.features;
    if (nr > 1 && !f['multi-value']) requireFeature(f, 'multi-value', 'a function type with several results');
    if (v128 && !f.simd) requireFeature(f, 'simd', 'v128');
    this.canon[x] = this.reg.internFunc(key);
    this.kind[x] = KIND_FUNC;
    this.off[x] = this.vlen;
    this.n1[x] = np;
    this.n2[x] = nr;
    this.vlen = at;
    return true;
  }

  /**
   * The group's structural key: references into the group are relative ("@2"), others
   * canonical ids ("#17"). Built by plain concatenation (it runs once per type).
   */
  private groupKey(g: RecGroup, start: number): string {
    let key = '';
    for (let j = 0; j < g.types.length; j++) {
      const st = g.types[j]!;
      if (j > 0) key += '|';
      key += st.final ? 'F' : 'O';
      for (const y of st.supertypes) key += this.heapKey(y, start) + ',';
      const c = st.composite;
      if (c.kind === 'func') {
        key += 'f(';
        for (let i = 0; i < c.params.length; i++) key += (i > 0 ? ' ' : '') + this.valKey(c.params[i]!, start);
        key += '>';
        for (let i = 0; i < c.results.length; i++) key += (i > 0 ? ' ' : '') + this.valKey(c.results[i]!, start);
        key += ')';
      } else if (c.kind === 'struct') {
        key += 's(';
        for (let i = 0; i < c.fields.length; i++) key += (i > 0 ? ' ' : '') + this.fieldKey(c.fields[i]!, start);
        key += ')';
      } else {
        key += 'a(' + this.fieldKey(c.element, start) + ')';
      }
    }
    return key;
  }

  private heapKey(h: HeapType, start: number): string {
    if (typeof h !== 'number') return h;
    return h >= start ? '@' + (h - start) : '#' + this.canon[h];
  }

  private valKey(t: StorageType, start: number): string {
    return typeof t === 'string' ? t : (t.nullable ? 'n' : 'r') + this.heapKey(t.heap, start);
  }

  private fieldKey(ft: FieldType, start: number): string {
    return (ft.mutable ? 'm' : 'c') + this.valKey(ft.storage, start);
  }

  private storageCode(t: StorageType): number {
    if (t === 'i8') return I8;
    if (t === 'i16') return I16;
    return this.code(t);
  }

  private addShape(x: number, c: CompositeType): void {
    const k = KIND_OF[c.kind];
    this.kind[x] = k;
    if (c.kind === 'func') {
      this.off[x] = this.vlen;
      this.n1[x] = c.params.length;
      this.n2[x] = c.results.length;
      for (const t of c.params) this.pushV(this.code(t));
      for (const t of c.results) this.pushV(this.code(t));
    } else if (c.kind === 'struct') {
      this.off[x] = this.flen;
      this.n1[x] = c.fields.length;
      for (const ft of c.fields) this.pushF(this.storageCode(ft.storage) * 2 + (ft.mutable ? 1 : 0));
    } else {
      this.off[x] = this.flen;
      this.n1[x] = 1;
      this.pushF(this.storageCode(c.element.storage) * 2 + (c.element.mutable ? 1 : 0));
    }
  }

  /** Spec §3.4.1: the supertype must not be final and x's shape must match it. */
  private checkSupertype(x: number, y: number): void {
    const reg = this.reg;
    const bad = (): never => fail(`sub type ${x} does not match super type ${y}`);
    if (this.defs[y]!.final) bad();
    const k = this.kind[x];
    if (k !== this.kind[y]) bad();
    const ox = this.off[x]!;
    const oy = this.off[y]!;
    if (k === KIND_FUNC) {
      const np = this.n1[x]!;
      const nr = this.n2[x]!;
      if (np !== this.n1[y] || nr !== this.n2[y]) bad();
      const v = this.vpool;
      for (let i = 0; i < np; i++) if (!reg.valSub(v[oy + i]!, v[ox + i]!)) bad();
      for (let i = np; i < np + nr; i++) if (!reg.valSub(v[ox + i]!, v[oy + i]!)) bad();
      return;
    }
    const ny = this.n1[y]!;
    if (this.n1[x]! < ny) bad();
    for (let i = 0; i < ny; i++) if (!this.fieldSub(this.fpool[ox + i]!, this.fpool[oy + i]!)) bad();
  }

  /** Field type matching (§3.3.5): mutable fields are invariant, immutable covariant. */
  fieldSub(a: number, b: number): boolean {
    if ((a & 1) !== (b & 1)) return false;
    const sa = a >> 1;
    const sb = b >> 1;
    if (a & 1) return sa === sb;
    if (sa === I8 || sa === I16 || sb === I8 || sb === I16) return sa === sb;
    return this.reg.valSub(sa, sb);
  }

  /** Unpacked value type of a field code (i8/i16 read as i32). */
  static unpacked(field: number): number {
    const s = field >> 1;
    return s === I8 || s === I16 ? 1 : s;
  }

  /**
   * Whether a value type code is (ref null? func), which the reference to every function
   * matches (a function's type is always a function type).
   */
  static anyFunc(code: number): boolean {
    return code >= REF && (code - REF) >> 1 === H_FUNC;
  }

  /** Whether a value type code has a default value (§3.2.x defaultable). */
  static defaultable(code: number): boolean {
    return code < REF || (code & 1) === 1;
  }
}

/** Most params and results of a type that addSimpleFunc takes (its key then fits 2^53). */
const MAX_SIMPLE = 15;

/** Code (1-5) of a number or vector type, or 0 for a reference type. */
function numCode(t: ValType): number {
  if (t === 'i32') return I32;
  if (t === 'i64') return I64;
  if (t === 'f32') return F32;
  if (t === 'f64') return F64;
  if (t === 'v128') return V128;
  return 0;
}

function checkValIndex(t: StorageType, end: number): void {
  if (typeof t !== 'string' && typeof t.heap === 'number' && (t.heap >= end || t.heap < 0)) unknown('type', t.heap);
}

function checkComposite(c: CompositeType, end: number, f: FeatureSet): void {
  if (c.kind === 'func') {
    for (const t of c.params) checkValIndex(t, end);
    for (const t of c.results) checkValIndex(t, end);
    if (c.results.length > 1 && !f['multi-value']) requireFeature(f, 'multi-value', 'a function type with several results');
  } else {
    if (!f.gc) requireFeature(f, 'gc', `a ${c.kind} type`);
    if (c.kind === 'struct') for (const ft of c.fields) checkValIndex(ft.storage, end);
    else checkValIndex(c.element.storage, end);
  }
}
