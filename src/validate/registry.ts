// Canonical types (spec §3.1.3 "Type Equivalence", §4.2.8 "Type Closure"): iso-recursive
// equivalence of recursion groups, and the matching relation on value types (§3.3).
//
// A `TypeRegistry` gives every recursion group a structural key in which references into
// the group are relative ("@2") and references out of it are canonical ids ("#17") of
// groups registered before; equal keys mean equivalent groups, so each defined type gets a
// canonical id and type equivalence becomes integer equality — inside a module and, when
// modules share a registry, across modules (what linking needs). The registry also keeps
// each canonical type's kind, declared supertype, finality and depth, which is all the
// matching relation needs: declared subtyping is a walk up a chain of at most
// MAX_SUBTYPE_DEPTH supertypes.
//
// Most groups of most modules are one final function type without supertypes whose
// parameters and results are number or vector types. Such a group has a numeric key
// instead (see ModuleTypes) in a map of its own: every such group is interned by that
// key and never by a string, so the two maps never hold the same group.

import {
  ABS_SUB, BOT, H_ANY, H_ARRAY, H_BOT, H_EQ, H_EXN, H_EXTERN, H_FUNC, H_NOEXN, H_NOEXTERN,
  H_NOFUNC, H_NONE, H_STRUCT, HDEF, KIND_ARRAY, KIND_FUNC, KIND_STRUCT, REF,
} from './codes.ts';

/**
 * Longest chain of declared supertypes, as in V8 and wasmparser (an implementation limit:
 * the specification sets none). It keeps every subtype check bounded.
 */
export const MAX_SUBTYPE_DEPTH = 63;

export class TypeRegistry {
  private readonly groups = new Map<string, number>();
  /** The simple function types (see above), by numeric key: their canonical ids. */
  private readonly funcs = new Map<number, number>();
  /** Number of canonical types. */
  count = 0;
  /** Per canonical id: KIND_FUNC, KIND_STRUCT or KIND_ARRAY. */
  kind = new Uint8Array(16);
  /** Per canonical id: canonical id of the declared supertype, or -1. */
  sup = new Int32Array(16);
  /** Per canonical id: 1 when final. */
  fin = new Uint8Array(16);
  /** Per canonical id: length of its supertype chain. */
  depth = new Uint8Array(16);
  /** Whether the last `intern` added a new group. */
  fresh = false;

  /** Canonical id of the first type of the group with this key, adding it when new. */
  intern(key: string, size: number): number {
    const found = this.groups.get(key);
    if (found !== undefined) {
      this.fresh = false;
      return found;
    }
    const first = this.count;
    this.ensure(first + size);
    this.count = first + size;
    this.groups.set(key, first);
    this.fresh = true;
    return first;
  }

  /**
   * Canonical id of the simple function type with numeric key `key` (one final function
   * type without supertypes, alone in its group), adding it with its data when new.
   */
  internFunc(key: number): number {
    const found = this.funcs.get(key);
    if (found !== undefined) {
      this.fresh = false;
      return found;
    }
    const c = this.count;
    this.ensure(c + 1);
    this.count = c + 1;
    this.funcs.set(key, c);
    this.kind[c] = KIND_FUNC;
    this.fin[c] = 1;
    this.sup[c] = -1;
    this.depth[c] = 0;
    this.fresh = true;
    return c;
  }

  /** Makes room for `n` more canonical types at once (a module about to add its own). */
  reserve(n: number): void {
    this.ensure(this.count + n);
  }

  private ensure(n: number): void {
    if (n <= this.kind.length) return;
    let cap = this.kind.length;
    while (cap < n) cap *= 2;
    // One buffer for the four arrays: each typed array over 64 bytes otherwise costs an
    // allocation of its own outside the heap.
    const buf = new ArrayBuffer(cap * 7);
    const sup = new Int32Array(buf, 0, cap);
    sup.set(this.sup);
    this.sup = sup;
    const kind = new Uint8Array(buf, cap * 4, cap);
    kind.set(this.kind);
    this.kind = kind;
    const fin = new Uint8Array(buf, cap * 5, cap);
    fin.set(this.fin);
    this.fin = fin;
    const depth = new Uint8Array(buf, cap * 6, cap);
    depth.set(this.depth);
    this.depth = depth;
  }

  /** Whether heap code h1 matches heap code h2. */
  heapSub(h1: number, h2: number): boolean {
    if (h1 === h2 || h1 === H_BOT) return true;
    if (h1 < HDEF) {
      if (h2 < HDEF) return ABS_SUB[h1 * 13 + h2] === 1;
      return this.kind[h2 - HDEF] === KIND_FUNC ? h1 === H_NOFUNC : h1 === H_NONE;
    }
    let c = h1 - HDEF;
    if (h2 < HDEF) {
      const k = this.kind[c];
      switch (h2) {
        case H_ANY:
        case H_EQ:
          return k !== KIND_FUNC;
        case H_STRUCT:
          return k === KIND_STRUCT;
        case H_ARRAY:
          return k === KIND_ARRAY;
        case H_FUNC:
          return k === KIND_FUNC;
        default:
          return false;
      }
    }
    const target = h2 - HDEF;
    let d = this.depth[c]! - this.depth[target]!;
    if (d <= 0) return false;
    const sup = this.sup;
    while (d-- > 0) c = sup[c]!;
    return c === target;
  }

  /** Whether value type code a matches value type code b (BOT matches everything). */
  valSub(a: number, b: number): boolean {
    if (a === b || a === BOT) return true;
    if (a < REF || b < REF) return false;
    if ((a & 1) > (b & 1)) return false;
    return this.heapSub((a - REF) >> 1, (b - REF) >> 1);
  }

  /** The top heap type above heap code h. */
  top(h: number): number {
    if (h >= HDEF) return this.kind[h - HDEF] === KIND_FUNC ? H_FUNC : H_ANY;
    switch (h) {
      case H_FUNC: case H_NOFUNC: return H_FUNC;
      case H_EXTERN: case H_NOEXTERN: return H_EXTERN;
      case H_EXN: case H_NOEXN: return H_EXN;
      case H_BOT: return H_BOT;
      default: return H_ANY;
    }
  }
}
