// Decoding the contents of sections (spec §5.5.3-§5.5.15): one function per entry
// (import, table, global, export, element segment, data segment, code entry) and one
// per section, shared by `decodeModule` and the lazy `ModuleReader`. Every section
// function reads a vector from the reader's position; the caller checks that it ends
// exactly at the section's end ("section size mismatch").

import type { FeatureSet } from '../model/features.ts';
import { op } from '../model/opcodes.ts';
import type {
  Data,
  Elem,
  ElemInit,
  ElemMode,
  Export,
  Expr,
  ExternKind,
  Global,
  Import,
  ImportDesc,
  LocalRun,
  MemoryType,
  RecGroup,
  RefType,
  Table,
  TagType,
} from '../model/types.ts';
import type { CodeReader } from './decode-instr.ts';
import {
  absRefType,
  readGlobalType,
  readMemoryType,
  readRecGroup,
  readRefType,
  readTableType,
  readTagType,
  readValType,
} from './decode-types.ts';

/** Settings the section decoders share. */
export interface SectionContext {
  readonly features: FeatureSet | null;
  /** Copy byte strings (data segments, custom sections) out of the input. */
  readonly copyBytes: boolean;
  /**
   * Leave the bytes of data segments out (empty), still checking that they are there:
   * for validation, which never looks at them (a view per segment costs more than
   * reading the segment).
   */
  readonly skipDataBytes?: boolean;
}

const NO_BYTES = new Uint8Array(0);

/**
 * For validation (skipDataBytes): every active segment of memory 0 at an `i32.const`
 * offset, whose value validation never looks at either. Modules with thousands of
 * segments (Rust's) then cost no objects per segment.
 */
const ACTIVE_AT_I32: Data = Object.freeze({
  mode: Object.freeze({ kind: 'active', memory: 0, offset: Object.freeze([Object.freeze({ op: op('i32.const'), imm: 0 })]) }),
  bytes: NO_BYTES,
} as const);

const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

const REF_FUNC: RefType = absRefType(false, 'func');
const REF_NULL_FUNC: RefType = absRefType(true, 'func');

export function readTypeSection(r: CodeReader): RecGroup[] {
  const n = r.count();
  const out: RecGroup[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readRecGroup(r);
  return out;
}

function readImportDesc(r: CodeReader, ctx: SectionContext): ImportDesc {
  const at = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0x00:
      return { kind: 'func', type: r.u32() };
    case 0x01:
      return { kind: 'table', type: readTableType(r, ctx.features) };
    case 0x02:
      return { kind: 'memory', type: readMemoryType(r, ctx.features) };
    case 0x03:
      return { kind: 'global', type: readGlobalType(r) };
    case 0x04:
      return { kind: 'tag', type: readTagType(r) };
  }
  r.fail('malformed import kind', at);
}

export function readImportSection(r: CodeReader, ctx: SectionContext): Import[] {
  const n = r.count();
  const out: Import[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    out[i] = { module, name, desc: readImportDesc(r, ctx) };
  }
  return out;
}

/** The function section: the type index of each defined function. */
export function readFunctionSection(r: CodeReader): number[] {
  return readU32s(r, r.count());
}

/** `n` u32s (indices). */
function readU32s(r: CodeReader, n: number): number[] {
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = r.u32();
  return out;
}

function readTable(r: CodeReader, ctx: SectionContext): Table {
  if (r.peek() === 0x40) {
    r.pos++;
    r.zero();
    const type = readTableType(r, ctx.features);
    return { type, init: r.readExpr() };
  }
  return { type: readTableType(r, ctx.features), init: null };
}

export function readTableSection(r: CodeReader, ctx: SectionContext): Table[] {
  const n = r.count();
  const out: Table[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readTable(r, ctx);
  return out;
}

export function readMemorySection(r: CodeReader, ctx: SectionContext): MemoryType[] {
  const n = r.count();
  const out: MemoryType[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readMemoryType(r, ctx.features);
  return out;
}

export function readTagSection(r: CodeReader): TagType[] {
  const n = r.count();
  const out: TagType[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readTagType(r);
  return out;
}

export function readGlobalSection(r: CodeReader): Global[] {
  const n = r.count();
  const out: Global[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const type = readGlobalType(r);
    out[i] = { type, init: r.readExpr() };
  }
  return out;
}

export function readExportSection(r: CodeReader): Export[] {
  const n = r.count();
  const out: Export[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const name = r.name();
    const at = r.pos;
    const kind = r.u8();
    if (kind > 4) r.fail('malformed export kind', at);
    out[i] = { name, kind: EXTERN_KINDS[kind]!, index: r.u32() };
  }
  return out;
}

/** The start section: a function index. */
export function readStartSection(r: CodeReader): number {
  return r.u32();
}

/** The data count section: the number of data segments. */
export function readDataCountSection(r: CodeReader): number {
  return r.u32();
}

function readFuncIndices(r: CodeReader): number[] {
  return readU32s(r, r.count());
}

function readExprs(r: CodeReader): Expr[] {
  const n = r.count();
  const out: Expr[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = r.readExpr();
  return out;
}

/**
 * An element segment. Flags (a u32): bit 0 passive or declarative, bit 1 an explicit
 * table index (active) or declarative, bit 2 expressions instead of function indices.
 * The index forms (0-3) have type (ref func) (element kind 0x00); form 4 has type
 * (ref null func); forms 5-7 name their reference type.
 */
function readElem(r: CodeReader): Elem {
  const at = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail('malformed elements segment kind', at);
  let mode: ElemMode;
  if (flags & 1) mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
  else {
    const table = flags & 2 ? r.u32() : 0;
    mode = { kind: 'active', table, offset: r.readExpr() };
  }
  let type: RefType;
  let init: ElemInit;
  if ((flags & 4) === 0) {
    if (flags & 3) {
      const kindAt = r.pos;
      if (r.u8() !== 0x00) r.fail('malformed element kind', kindAt);
    }
    type = REF_FUNC;
    init = { kind: 'funcs', indices: readFuncIndices(r) };
  } else {
    type = flags & 3 ? readRefType(r) : REF_NULL_FUNC;
    init = { kind: 'exprs', exprs: readExprs(r) };
  }
  return { type, mode, init };
}

export function readElementSection(r: CodeReader): Elem[] {
  const n = r.count();
  const out: Elem[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readElem(r);
  return out;
}

/** A data segment: flags 0 (active, memory 0), 1 (passive), 2 (active, memory index). */
function readData(r: CodeReader, ctx: SectionContext): Data {
  const at = r.pos;
  const flags = r.u32();
  if (flags === 0 && ctx.skipDataBytes === true && r.buf[r.pos] === 0x41) {
    // `i32.const n end`, read as readExpr reads it (same errors), n dropped.
    const start = r.pos;
    r.pos++;
    r.s32();
    if (r.pos < r.end && r.buf[r.pos] === 0x0b) {
      r.pos++;
      r.skip(r.count());
      return ACTIVE_AT_I32;
    }
    r.pos = start;
  }
  let mode: Data['mode'];
  switch (flags) {
    case 0:
      mode = { kind: 'active', memory: 0, offset: r.readExpr() };
      break;
    case 1:
      mode = { kind: 'passive' };
      break;
    case 2: {
      const memory = r.u32();
      mode = { kind: 'active', memory, offset: r.readExpr() };
      break;
    }
    default:
      r.fail('malformed data segment kind', at);
  }
  const n = r.count();
  if (ctx.skipDataBytes === true) {
    r.skip(n);
    return { mode, bytes: NO_BYTES };
  }
  return { mode, bytes: ctx.copyBytes ? r.copy(n) : r.bytes(n) };
}

export function readDataSection(r: CodeReader, ctx: SectionContext): Data[] {
  const n = r.count();
  const out: Data[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readData(r, ctx);
  return out;
}

/**
 * The offset (in `r`'s buffer) of each entry of the vector section `id` (`r` at its
 * contents), read entry by entry as the section's reader reads them; for the type
 * section, one per type: the offset of the recursion group that defines it. For error
 * messages: a validator that finds entry i invalid points at out[i].
 */
export function sectionEntryOffsets(r: CodeReader, id: number, ctx: SectionContext): number[] {
  const out: number[] = [];
  const n = r.count();
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    switch (id) {
      case 1: {
        const g = readRecGroup(r);
        for (let j = 0; j < g.types.length; j++) out.push(at);
        continue;
      }
      case 2:
        r.name();
        r.name();
        readImportDesc(r, ctx);
        break;
      case 3:
        r.u32();
        break;
      case 4:
        readTable(r, ctx);
        break;
      case 5:
        readMemoryType(r, ctx.features);
        break;
      case 6:
        readGlobalType(r);
        r.readExpr();
        break;
      case 7:
        r.name();
        r.u8();
        r.u32();
        break;
      case 9:
        readElem(r);
        break;
      case 11:
        readData(r, { ...ctx, skipDataBytes: true });
        break;
      case 13:
        readTagType(r);
        break;
      default:
        return out;
    }
    out.push(at);
  }
  return out;
}

/**
 * The local declarations of a function body: runs of (count, type) whose counts add up
 * to less than 2^32 ("too many locals").
 */
export function readLocals(r: CodeReader): LocalRun[] {
  const at = r.pos;
  const n = r.count();
  const out: LocalRun[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const count = r.u32();
    total += count;
    out[i] = { count, type: readValType(r) };
  }
  if (total >= 2 ** 32) r.fail('too many locals', at);
  return out;
}
