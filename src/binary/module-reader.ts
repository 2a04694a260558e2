// Lazy decoding (the shape of wasmparser's section readers): `ModuleReader` walks the
// section headers once, then decodes a section only when asked. Listing the imports
// and exports of a large module reads only those sections; function bodies are located
// by their sizes and decoded one at a time, either into the model (`readFunctionBody`)
// or instruction by instruction (`bodyReader`, for a validator).
//
// The constructor checks the module's outer structure: header, section ids, sizes and
// order, and that the function and code sections (and the data count and data
// sections) agree in length. Errors inside a section are raised when it is decoded.

import type {
  CustomSection,
  Data,
  Elem,
  Export,
  Func,
  Global,
  Import,
  LocalRun,
  MemoryType,
  Module,
  Names,
  RecGroup,
  SectionName,
  Table,
  TagType,
} from '../model/types.ts';
import { CodeReader } from './decode-instr.ts';
import { decodeNames } from './decode-names.ts';
import {
  readDataCountSection,
  readDataSection,
  readElementSection,
  readExportSection,
  readFunctionSection,
  readGlobalSection,
  readImportSection,
  readLocals,
  readMemorySection,
  readStartSection,
  readTableSection,
  readTagSection,
  readTypeSection,
  sectionEntryOffsets,
  type SectionContext,
} from './decode-sections.ts';
import {
  checkSectionEnd,
  createReader,
  CustomPlacer,
  customBytes,
  decodeModule,
  type DecodeOptions,
} from './decode.ts';
import { UNEXPECTED_END } from './reader.ts';
import { SectionIterator, type SectionInfo } from './sections.ts';

const NONE: readonly never[] = Object.freeze([]);

/**
 * In `header()`, functions of one type share an object when the type index is below this
 * and below the number of functions (bounding the table that finds them).
 */
const MAX_SHARED = 1 << 12;

/**
 * The defined functions as `header()` gives them, from their type indices: each has its
 * type, no locals and an empty body. Functions of one type share one (readonly) object:
 * a module has far fewer types than functions.
 */
function headerFuncs(types: readonly number[]): Func[] {
  const n = types.length;
  const funcs: Func[] = new Array(n);
  const byType: (Func | undefined)[] = new Array(Math.min(n, MAX_SHARED));
  for (let i = 0; i < n; i++) {
    const type = types[i]!;
    let f = byType[type];
    if (f === undefined) {
      f = { type, locals: NONE, body: NONE };
      if (type < byType.length) byType[type] = f;
    }
    funcs[i] = f;
  }
  return funcs;
}

/**
 * Reads the code entries' sizes into `out` (see ModuleReader.bodyOffsets). A function of
 * its own: V8 optimizes a long loop while it runs (on-stack replacement), and code
 * after the loop in the same function would then deoptimize on every call.
 */
function readBodyOffsets(r: CodeReader, out: Int32Array): void {
  const base = r.base;
  const length = r.buf.length;
  for (let i = 0; i < out.length; i += 3) {
    const offset = r.pos;
    const size = r.count();
    const start = r.pos;
    // count() bounds a size by the bytes left from the size's own first byte (ample for
    // a vector's allocation); a body must fit in the bytes after it.
    if (start + size > length) r.fail(UNEXPECTED_END, length);
    r.pos = start + size;
    out[i] = base + offset;
    out[i + 1] = base + start;
    out[i + 2] = base + start + size;
  }
}

/** Where one function body is. Offsets are in the whole file. */
export interface FunctionBody {
  /** The function's index (imported functions come first). */
  readonly index: number;
  /** Its index among the defined functions (the code entry's index). */
  readonly defined: number;
  /** Its type index, from the function section. */
  readonly type: number;
  /** Offset of the entry's size. */
  readonly offset: number;
  /** Offset of the local declarations (the body proper starts here). */
  readonly start: number;
  /** Offset just after the body. */
  readonly end: number;
}

/** A body positioned for reading instruction by instruction. */
export interface BodyCursor {
  readonly locals: LocalRun[];
  /**
   * A reader at the first instruction, with `beginExpr()` done: call `next()` until its
   * `depth` is 0, then `finish()`.
   */
  readonly reader: CodeReader;
  /** Checks that the body ended exactly at its size ("section size mismatch"). */
  finish(): void;
}

/** Reads a module's sections on demand. */
export class ModuleReader {
  readonly bytes: Uint8Array;
  /** Every section, custom ones included, in file order. */
  readonly sections: readonly SectionInfo[];
  private readonly options: DecodeOptions;
  private readonly r: CodeReader;
  private readonly ctx: SectionContext;
  private readonly known: (SectionInfo | undefined)[] = [];
  private bodies: FunctionBody[] | null = null;
  private offsets: Int32Array | null = null;
  private importedFuncs = -1;
  private funcTypes: number[] | null = null;

  constructor(bytes: Uint8Array, options: DecodeOptions = {}) {
    this.bytes = bytes;
    this.options = options;
    const { r, ctx } = createReader(bytes, options);
    this.r = r;
    this.ctx = ctx;
    const it = new SectionIterator(r, ctx.features);
    const sections: SectionInfo[] = [];
    for (let s = it.next(); s !== null; s = it.next()) {
      sections.push(s);
      if (s.id !== 0) this.known[s.id] = s;
    }
    this.sections = sections;
    const end = bytes.length;
    if (this.countOf(3) !== this.countOf(10)) r.fail('function and code section have inconsistent lengths', end);
    const dataCount = this.known[12];
    if (dataCount !== undefined && this.dataCount() !== this.countOf(11)) {
      r.fail('data count and data section have inconsistent lengths', end);
    }
  }

  /** The known section called `name`, or null when the module has none. */
  section(name: SectionName): SectionInfo | null {
    for (const s of this.sections) if (s.name === name) return s;
    return null;
  }

  /** The entry count at the start of a vector section (0 when absent). */
  private countOf(id: number): number {
    const s = this.known[id];
    if (s === undefined) return 0;
    const r = this.r;
    r.pos = s.start - r.base;
    return r.count();
  }

  /** Decodes section `id` with `read`, or gives `absent` when there is none. */
  private decode<T>(id: number, read: (r: CodeReader) => T, absent: T): T {
    const s = this.known[id];
    if (s === undefined) return absent;
    const r = this.r;
    r.pos = s.start - r.base;
    r.end = r.buf.length;
    r.textEnd = s.end - r.base;
    const value = read(r);
    checkSectionEnd(r, s);
    return value;
  }

  /**
   * The offset in the file of entry `index` of section `id` (for the type section: of
   * the recursion group defining type `index`; for the start section: its function
   * index), or of the section when there is no such entry; -1 without the section. For
   * pointing at an entry a validator found invalid.
   */
  entryOffset(id: number, index: number): number {
    const s = this.known[id];
    if (s === undefined) return -1;
    if (id === 8 || index < 0) return s.start;
    try {
      const offsets = this.decode(id, (r) => sectionEntryOffsets(r, id, this.ctx), []);
      const at = offsets[index];
      return at === undefined ? s.start : this.r.base + at;
    } catch {
      return s.start; // a malformed section: the decoder reports that
    }
  }

  types(): RecGroup[] {
    return this.decode(1, readTypeSection, []);
  }

  imports(): Import[] {
    return this.decode(2, (r) => readImportSection(r, this.ctx), []);
  }

  /** The function section: the type index of each defined function. */
  functionTypes(): number[] {
    return (this.funcTypes ??= this.decode(3, readFunctionSection, []));
  }

  tables(): Table[] {
    return this.decode(4, (r) => readTableSection(r, this.ctx), []);
  }

  memories(): MemoryType[] {
    return this.decode(5, (r) => readMemorySection(r, this.ctx), []);
  }

  tags(): TagType[] {
    return this.decode(13, readTagSection, []);
  }

  globals(): Global[] {
    return this.decode(6, readGlobalSection, []);
  }

  exports(): Export[] {
    return this.decode(7, readExportSection, []);
  }

  start(): number | null {
    return this.decode<number | null>(8, readStartSection, null);
  }

  elems(): Elem[] {
    return this.decode(9, readElementSection, []);
  }

  /** The data count section's value, or null when there is none. */
  dataCount(): number | null {
    return this.decode<number | null>(12, readDataCountSection, null);
  }

  datas(): Data[] {
    return this.decode(11, (r) => readDataSection(r, this.ctx), []);
  }

  /** The number of imported functions (the index of the first defined one). */
  importedFunctionCount(): number {
    if (this.importedFuncs < 0) {
      let n = 0;
      for (const imp of this.imports()) if (imp.desc.kind === 'func') n++;
      this.importedFuncs = n;
    }
    return this.importedFuncs;
  }

  /** The custom sections other than a decoded `name` section, placed as decodeModule does. */
  customs(): CustomSection[] {
    const placer = new CustomPlacer();
    const decoded = this.options.names !== false && this.names() !== null;
    let drop = -1;
    for (const s of this.sections) {
      if (s.id !== 0) {
        placer.known(s.name as SectionName, s.id === 8 || s.id === 12 || this.countOf(s.id) > 0);
        continue;
      }
      const at = placer.custom(s.customName!, customBytes(this.r, s, this.ctx.copyBytes));
      if (decoded && s.customName === 'name') drop = at;
    }
    return placer.finish(drop);
  }

  /** The `name` section when it is readable and the only one (as decodeModule), or null. */
  names(): Names | null {
    let only: SectionInfo | null = null;
    for (const s of this.sections) {
      if (s.id === 0 && s.customName === 'name') {
        if (only !== null) return null;
        only = s;
      }
    }
    return only === null ? null : this.decodeNames(only);
  }

  private decodeNames(s: SectionInfo): Names | null {
    const base = this.r.base;
    return decodeNames(this.bytes, s.dataStart - base, s.end - base, base);
  }

  /** Locates every function body (reading only their sizes). */
  functionBodies(): readonly FunctionBody[] {
    if (this.bodies !== null) return this.bodies;
    const at = this.bodyOffsets();
    const types = this.functionTypes();
    const first = this.importedFunctionCount();
    const n = at.length / 3;
    const out: FunctionBody[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = { index: first + i, defined: i, type: types[i] ?? 0, offset: at[3 * i]!, start: at[3 * i + 1]!, end: at[3 * i + 2]! };
    }
    this.bodies = out;
    return out;
  }

  /**
   * Where every function body is (reading only their sizes), without an object per
   * function: for body i, `[3i]` is the offset of its entry's size, `[3i + 1]` its start
   * (its local declarations) and `[3i + 2]` its end; offsets in the whole file.
   */
  bodyOffsets(): Int32Array {
    if (this.offsets !== null) return this.offsets;
    const s = this.known[10];
    let out = new Int32Array(0);
    if (s !== undefined) {
      const r = this.r;
      const base = r.base;
      r.pos = s.start - base;
      r.end = r.buf.length;
      out = new Int32Array(3 * r.count());
      readBodyOffsets(r, out);
      checkSectionEnd(r, s);
    }
    this.offsets = out;
    return out;
  }

  /** Decodes one function body into the model (`offsets`: see CodeReader.readExprWithOffsets). */
  readFunctionBody(body: FunctionBody, offsets?: number[]): Func {
    const r = this.r;
    const locals = this.openBody(r, body);
    const code = offsets === undefined ? r.readExpr() : r.readExprWithOffsets(offsets);
    r.requireDataCount = false;
    if (r.pos !== body.end - r.base) r.fail('section size mismatch', body.start - r.base);
    return { type: body.type, locals, body: code };
  }

  /**
   * A reader at the instructions of `body`, for reading them one at a time (see
   * CodeReader.next). Pass the reader of an earlier cursor (of this module) as `reuse`
   * to reposition it instead of allocating a new one.
   */
  bodyReader(body: FunctionBody, reuse?: CodeReader): BodyCursor {
    let r = reuse;
    if (r === undefined || r.buf !== this.bytes) {
      r = new CodeReader(this.bytes);
      r.disabled = this.r.disabled;
      r.multiMemory = this.r.multiMemory;
    }
    const locals = this.openBody(r, body);
    r.beginExpr();
    const end = body.end - r.base;
    const start = body.start - r.base;
    const reader = r;
    return {
      locals,
      reader,
      finish(): void {
        if (reader.depth !== 0) reader.fail('END opcode expected', reader.pos);
        if (reader.pos !== end) reader.fail('section size mismatch', start);
      },
    };
  }

  /** Positions `r` after the locals of `body`; returns them. */
  private openBody(r: CodeReader, body: FunctionBody): LocalRun[] {
    r.pos = body.start - r.base;
    r.end = r.buf.length;
    const locals = readLocals(r);
    r.requireDataCount = this.known[12] === undefined;
    return locals;
  }

  /**
   * The module without its code, for validating it: every section but the code section
   * and the custom sections is decoded; each function has its type, no locals and an
   * empty body, and data segments have their mode but empty bytes (validation never
   * looks at them). A validator checks this, then the bodies one at a time straight
   * from the bytes (see `functionBodies`).
   */
  header(): Module {
    // The function section first, as header() has always read it (which of two malformed
    // sections it reports stays the same).
    const funcs = headerFuncs(this.functionTypes());
    return {
      types: this.types(),
      imports: this.imports(),
      funcs,
      tables: this.tables(),
      memories: this.memories(),
      globals: this.globals(),
      tags: this.tags(),
      exports: this.exports(),
      start: this.start(),
      elems: this.elems(),
      datas: this.decode(11, (r) => readDataSection(r, { ...this.ctx, skipDataBytes: true }), []),
      dataCount: this.dataCount() !== null,
      customs: [],
      names: null,
    };
  }

  /** Decodes the whole module (as decodeModule). */
  module(): Module {
    return decodeModule(this.bytes, this.options);
  }
}
