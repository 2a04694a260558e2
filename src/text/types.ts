// Types in the text format (spec §6.4 "Types"): value, heap and reference types, field
// and composite types, sub types, recursion groups, limits, table/memory/global types,
// and the function-signature parts shared by type uses and block types.

import type {
  AbsHeapType,
  AddressType,
  CompositeType,
  FieldType,
  GlobalType,
  HeapType,
  Limits,
  RefType,
  StorageType,
  SubType,
  TableType,
  ValType,
} from '../model/types.ts';
import { refType } from '../model/types.ts';
import { Space, idSymbol, objectArray, type ModuleContext } from './context.ts';
import { IdMap } from './idtable.ts';
import { KW } from './keywords.ts';
import { Tok, type Lexer } from './lexer.ts';
import { readU64 } from './literals.ts';

function keywordId(lx: Lexer): number {
  return lx.kind === Tok.keyword ? lx.code : -1;
}

/**
 * If the current token is `(` followed by the keyword whose code is `code` (a `KW` value
 * or an instruction row, see ./keywords.ts), consumes both and returns true.
 */
export function openKeyword(lx: Lexer, code: number): boolean {
  if (lx.kind !== Tok.lparen || lx.peekCode() !== code) return false;
  lx.next();
  lx.next();
  return true;
}

/** Whether the current token is `(` followed by the keyword whose code is `code` (consumes nothing). */
export function atKeyword(lx: Lexer, code: number): boolean {
  return lx.kind === Tok.lparen && lx.peekCode() === code;
}

export function close(lx: Lexer): void {
  if (lx.kind !== Tok.rparen) throw lx.unexpected();
  lx.next();
}

const nullable = (heap: HeapType): RefType => refType(true, heap);
const SHORTHANDS: Record<number, RefType> = {
  [KW.funcref]: nullable('func'),
  [KW.externref]: nullable('extern'),
  [KW.anyref]: nullable('any'),
  [KW.eqref]: nullable('eq'),
  [KW.i31ref]: nullable('i31'),
  [KW.structref]: nullable('struct'),
  [KW.arrayref]: nullable('array'),
  [KW.nullref]: nullable('none'),
  [KW.nullfuncref]: nullable('nofunc'),
  [KW.nullexternref]: nullable('noextern'),
  [KW.exnref]: nullable('exn'),
  [KW.nullexnref]: nullable('noexn'),
};

const ABS_HEAP: Record<number, AbsHeapType> = {
  [KW.func]: 'func',
  [KW.extern]: 'extern',
  [KW.any]: 'any',
  [KW.eq]: 'eq',
  [KW.i31]: 'i31',
  [KW.struct]: 'struct',
  [KW.array]: 'array',
  [KW.none]: 'none',
  [KW.nofunc]: 'nofunc',
  [KW.noextern]: 'noextern',
  [KW.exn]: 'exn',
  [KW.noexn]: 'noexn',
};

/** A heap type: an abstract keyword or a type index. */
export function parseHeapType(ctx: ModuleContext): HeapType {
  const lx = ctx.lx;
  if (lx.kind === Tok.keyword) {
    const abs = ABS_HEAP[keywordId(lx)];
    if (abs === undefined) throw lx.error(`unknown operator ${lx.text()}`);
    lx.next();
    return abs;
  }
  if (lx.kind === Tok.id || lx.kind === Tok.number) return ctx.index(Space.type);
  throw lx.unexpected();
}

/** `(ref null? ht)` after the `(` has been consumed and the current token is `ref`. */
function refBody(ctx: ModuleContext): RefType {
  const lx = ctx.lx;
  lx.next(); // ref
  let isNull = false;
  if (lx.is('null')) {
    isNull = true;
    lx.next();
  }
  const heap = parseHeapType(ctx);
  close(lx);
  return refType(isNull, heap);
}

/** A reference type, or null when the current token does not start one. */
export function tryRefType(ctx: ModuleContext): RefType | null {
  const lx = ctx.lx;
  if (lx.kind === Tok.keyword) {
    const t = SHORTHANDS[keywordId(lx)];
    if (t === undefined) return null;
    lx.next();
    return t;
  }
  if (lx.kind === Tok.lparen) {
    const mark = lx.save();
    lx.next();
    if (lx.is('ref')) return refBody(ctx);
    lx.restore(mark);
  }
  return null;
}

export function parseRefType(ctx: ModuleContext): RefType {
  const t = tryRefType(ctx);
  if (t === null) throw unexpectedType(ctx.lx);
  return t;
}

/** A value type, or null when the current token does not start one. */
export function tryValType(ctx: ModuleContext): ValType | null {
  const lx = ctx.lx;
  if (lx.kind === Tok.keyword) {
    const id = keywordId(lx);
    let t: ValType | undefined;
    switch (id) {
      case KW.i32: t = 'i32'; break;
      case KW.i64: t = 'i64'; break;
      case KW.f32: t = 'f32'; break;
      case KW.f64: t = 'f64'; break;
      case KW.v128: t = 'v128'; break;
      default: t = SHORTHANDS[id];
    }
    if (t === undefined) return null;
    lx.next();
    return t;
  }
  return tryRefType(ctx);
}

export function parseValType(ctx: ModuleContext): ValType {
  const t = tryValType(ctx);
  if (t === null) throw unexpectedType(ctx.lx);
  return t;
}

function unexpectedType(lx: Lexer): Error {
  if (lx.kind === Tok.keyword || lx.kind === Tok.reserved) return lx.error(`unknown operator ${lx.text()}`);
  return lx.unexpected();
}

function parseStorageType(ctx: ModuleContext): StorageType {
  const lx = ctx.lx;
  if (lx.is('i8')) {
    lx.next();
    return 'i8';
  }
  if (lx.is('i16')) {
    lx.next();
    return 'i16';
  }
  return parseValType(ctx);
}

function parseFieldType(ctx: ModuleContext): FieldType {
  const lx = ctx.lx;
  if (openKeyword(lx, KW.mut)) {
    const storage = parseStorageType(ctx);
    close(lx);
    return { storage, mutable: true };
  }
  return { storage: parseStorageType(ctx), mutable: false };
}

export function parseGlobalType(ctx: ModuleContext): GlobalType {
  const lx = ctx.lx;
  if (openKeyword(lx, KW.mut)) {
    const type = parseValType(ctx);
    close(lx);
    return { type, mutable: true };
  }
  return { type: parseValType(ctx), mutable: false };
}

/**
 * The signature part `(param …)* (result …)*` of a function type or type use.
 * `paramNames` (when given) receives one entry per parameter: its identifier or null;
 * without it, parameter identifiers are an error (block types, call_indirect).
 */
export interface Signature {
  params: ValType[];
  results: ValType[];
}

export function parseSignature(
  ctx: ModuleContext,
  sig: Signature,
  paramSyms: number[] | null,
  nameOffsets: number[] | null,
): void {
  const lx = ctx.lx;
  while (openKeyword(lx, KW.param)) {
    if (lx.kind === Tok.id) {
      if (paramSyms === null) throw lx.unexpected();
      const sym = idSymbol(lx);
      nameOffsets?.push(lx.start);
      lx.next();
      sig.params.push(parseValType(ctx));
      paramSyms.push(sym);
      close(lx);
      continue;
    }
    while (lx.kind !== Tok.rparen) {
      sig.params.push(parseValType(ctx));
      if (paramSyms !== null) {
        paramSyms.push(-1);
        nameOffsets?.push(-1);
      }
    }
    lx.next();
  }
  while (openKeyword(lx, KW.result)) {
    while (lx.kind !== Tok.rparen) sig.results.push(parseValType(ctx));
    lx.next();
  }
  if (atKeyword(lx, KW.param)) throw lx.error('unexpected token param', lx.start + 1);
}

/** Scratch signature of function types (never in use twice: types do not nest them). */
const FUNC_SIG: Signature = { params: objectArray(), results: objectArray() };

/** A composite type `(func …)`, `(struct …)` or `(array …)`; `index` is its type index. */
function parseCompositeType(ctx: ModuleContext, index: number): CompositeType {
  const lx = ctx.lx;
  if (lx.kind !== Tok.lparen) throw lx.unexpected();
  lx.next();
  if (lx.is('func')) {
    lx.next();
    const sig = FUNC_SIG;
    sig.params.length = 0;
    sig.results.length = 0;
    parseSignature(ctx, sig, [], null);
    close(lx);
    return { kind: 'func', params: sig.params.slice(), results: sig.results.slice() };
  }
  if (lx.is('struct')) {
    lx.next();
    const fields: FieldType[] = [];
    while (openKeyword(lx, KW.field)) {
      if (lx.kind === Tok.id) {
        const sym = idSymbol(lx);
        let ids = ctx.fieldIds.get(index);
        if (ids === undefined) {
          ids = new IdMap();
          ctx.fieldIds.set(index, ids);
          ctx.fieldNames.set(index, new Map());
        }
        if (ids.get(sym) >= 0) throw lx.error(`duplicate field $${lx.symbolName(sym)}`);
        ids.set(sym, fields.length);
        ctx.fieldNames.get(index)!.set(fields.length, lx.symbolName(sym));
        lx.next();
        fields.push(parseFieldType(ctx));
        close(lx);
        continue;
      }
      while (lx.kind !== Tok.rparen) fields.push(parseFieldType(ctx));
      lx.next();
    }
    close(lx);
    return { kind: 'struct', fields };
  }
  if (lx.is('array')) {
    lx.next();
    const element = parseFieldType(ctx);
    close(lx);
    return { kind: 'array', element };
  }
  throw lx.kind === Tok.keyword ? lx.error(`unknown operator ${lx.text()}`) : lx.unexpected();
}

/** `(sub final? idx* comptype)` or a bare composite type. */
function parseSubType(ctx: ModuleContext, index: number): SubType {
  const lx = ctx.lx;
  if (openKeyword(lx, KW.sub)) {
    let final = false;
    if (lx.is('final')) {
      final = true;
      lx.next();
    }
    const supertypes: number[] = [];
    while (ctx.atIndex()) supertypes.push(ctx.index(Space.type));
    const composite = parseCompositeType(ctx, index);
    close(lx);
    return { final, supertypes, composite };
  }
  return { final: true, supertypes: [], composite: parseCompositeType(ctx, index) };
}

/**
 * A type definition after `(type` and its optional `$id` (already bound at `index`), up to
 * and including its closing `)`.
 */
export function parseTypeDefBody(ctx: ModuleContext, index: number): SubType {
  const t = parseSubType(ctx, index);
  close(ctx.lx);
  return t;
}

/** `addrtype? min max?`; the address type defaults to i32. */
export function parseAddressType(lx: Lexer): AddressType {
  if (lx.is('i64')) {
    lx.next();
    return 'i64';
  }
  if (lx.is('i32')) lx.next();
  return 'i32';
}

export function parseLimits(lx: Lexer, address: AddressType, allowShared: boolean): Limits {
  const min = readU64(lx);
  let max: bigint | null = null;
  if (lx.kind === Tok.number) max = readU64(lx);
  let shared = false;
  if (allowShared) {
    if (lx.is('shared')) {
      shared = true;
      lx.next();
    } else if (lx.is('unshared')) lx.next();
  }
  return { address, min, max, shared };
}

export function parseTableType(ctx: ModuleContext): TableType {
  const address = parseAddressType(ctx.lx);
  const limits = parseLimits(ctx.lx, address, false);
  return { limits, element: parseRefType(ctx) };
}

