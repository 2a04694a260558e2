// Identifier contexts (spec §6.6.1 "Indices" and §6.6.2 "Types" abbreviations): the
// identifier → index map of every module-level index space, the type list with the
// inline-function-type rule (a `(param …) (result …)` type use means the first type
// `(type (func …))` of that shape, or a new one appended at the end of the module), and
// the names that identifiers contribute to the `name` section.

import type { FuncType, RecGroup, SubType, ValType } from '../model/types.ts';
import { IdMap } from './idtable.ts';
import { Lexer, Tok } from './lexer.ts';
import { idName, readU32 } from './literals.ts';

/**
 * The symbol of the current `id` token (see `Lexer.code`). A malformed `$"…"` has none:
 * reports it, in the spec suite's wording.
 */
export function idSymbol(lx: Lexer): number {
  const sym = lx.code;
  if (sym < 0) idName(lx); // throws
  return sym;
}

/** The value of the current `id` token in `map`, or -1. */
export function lookupId(map: IdMap, lx: Lexer): number {
  return map.get(idSymbol(lx));
}

/**
 * A new empty array for objects (or strings, or null): made from a literal that holds an
 * object, so that V8 gives it the general elements kind from the start. An array made by
 * `[]` starts out for small integers and changes kind at its first object; once the
 * literal's allocation site has learnt that, new arrays start in the other kind, and the
 * code optimized for the first kind is deoptimized.
 */
export function objectArray<T>(): T[] {
  const a: unknown[] = [null];
  a.length = 0;
  return a as T[];
}

export const Space = {
  type: 0,
  func: 1,
  table: 2,
  memory: 3,
  global: 4,
  tag: 5,
  elem: 6,
  data: 7,
} as const;
export type SpaceId = (typeof Space)[keyof typeof Space];

/** Spelling of each space in error messages, as in the reference interpreter. */
export const SPACE_NAMES = ['type', 'function', 'table', 'memory', 'global', 'tag', 'elem segment', 'data segment'];

/** Key identifying a value type for signature matching. */
export function valTypeKey(t: ValType): string {
  if (typeof t === 'string') return t;
  return (t.nullable ? 'n' : 'r') + String(t.heap);
}

export function funcTypeKey(params: readonly ValType[], results: readonly ValType[]): string {
  let k = '';
  for (let i = 0; i < params.length; i++) k += valTypeKey(params[i]!) + ',';
  k += '>';
  for (let i = 0; i < results.length; i++) k += valTypeKey(results[i]!) + ',';
  return k;
}

export class ModuleContext {
  readonly lx: Lexer;
  /** Identifier symbol → index, per space. */
  readonly ids: IdMap[] = [];
  /** Number of entries bound so far in each space (pass 1). */
  readonly counts: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Index → name, per space (for the name section). */
  readonly names: Map<number, string>[] = [];

  /** Every type definition, explicit ones first, then inline function types. */
  readonly defs: SubType[] = objectArray();
  readonly groups: RecGroup[] = objectArray();
  /** Field identifiers per type index (struct types only). */
  readonly fieldIds = new Map<number, IdMap>();
  readonly fieldNames = new Map<number, Map<number, string>>();
  /** Signature key → first index of a plain final function type of that shape. */
  private readonly sigIndex = new Map<string, number>();

  constructor(lx: Lexer) {
    this.lx = lx;
    for (let i = 0; i < 8; i++) {
      this.ids.push(new IdMap());
      this.names.push(new Map());
    }
  }

  /** Binds the next index of `space`, without a name. */
  bind(space: SpaceId): number {
    return this.counts[space]!++;
  }

  /**
   * Binds the next index of `space`, named by the current token if it is an `id` (which
   * is then consumed).
   */
  bindId(space: SpaceId): number {
    const lx = this.lx;
    const index = this.counts[space]!++;
    if (lx.kind !== Tok.id) return index;
    const sym = idSymbol(lx);
    const map = this.ids[space]!;
    if (map.get(sym) >= 0) throw lx.error(`duplicate ${SPACE_NAMES[space]} $${lx.symbolName(sym)}`);
    map.set(sym, index);
    this.names[space]!.set(index, lx.symbolName(sym));
    lx.next();
    return index;
  }

  /** Reads an index (number or `$id`) of `space` and advances. */
  index(space: SpaceId): number {
    const lx = this.lx;
    if (lx.kind === Tok.id) {
      const found = lookupId(this.ids[space]!, lx);
      if (found < 0) throw lx.error(`unknown ${SPACE_NAMES[space]} ${lx.text()}`);
      lx.next();
      return found;
    }
    if (lx.kind === Tok.number) return readU32(lx);
    throw lx.unexpected();
  }

  /** Whether the current token can start an index. */
  atIndex(): boolean {
    const k = this.lx.kind;
    return k === Tok.id || k === Tok.number;
  }

  // ── types ────────────────────────────────────────────────────────────────────────────

  /** Records an explicit rec group (all its types already bound). */
  addGroup(group: RecGroup): void {
    this.groups.push(group);
    for (const t of group.types) this.defs.push(t);
  }

  /** Indexes the explicit types for inline-type matching; call once all are defined. */
  indexExplicitTypes(): void {
    let index = 0;
    for (const g of this.groups) {
      if (g.types.length === 1) this.noteSig(g.types[0]!, index);
      index += g.types.length;
    }
  }

  private noteSig(t: SubType, index: number): void {
    if (!t.final || t.supertypes.length !== 0 || t.composite.kind !== 'func') return;
    const key = funcTypeKey(t.composite.params, t.composite.results);
    if (!this.sigIndex.has(key)) this.sigIndex.set(key, index);
  }

  /** The index of the function type `params -> results` (spec §6.6.2), appending it if new. */
  funcTypeIndex(params: readonly ValType[], results: readonly ValType[]): number {
    const key = funcTypeKey(params, results);
    const found = this.sigIndex.get(key);
    if (found !== undefined) return found;
    const index = this.defs.length;
    const sub: SubType = {
      final: true,
      supertypes: [],
      composite: { kind: 'func', params: params.slice(), results: results.slice() },
    };
    this.groups.push({ types: [sub], explicit: false });
    this.defs.push(sub);
    this.counts[Space.type] = this.defs.length;
    this.sigIndex.set(key, index);
    return index;
  }

  /** The function type at `index`, or an error at `offset` when there is none. */
  funcTypeAt(index: number, offset: number): FuncType {
    const t = this.defs[index];
    if (t === undefined) throw this.lx.error(`unknown type ${index}`, offset);
    if (t.composite.kind !== 'func') throw this.lx.error(`non-function type ${index}`, offset);
    return t.composite;
  }
}
