// The decoder (spec §5 "Binary Format"): bytes → module model.
//
// `decodeModule` walks the sections in one pass and decodes each as it comes, so that
// errors are found in file order, as the reference interpreter finds them. The checks
// that need the whole module (function and code counts, the data count) come last, in
// the reference interpreter's order. For reading only parts of a module (its imports
// and exports, one function body at a time) see ./module-reader.ts.
//
// Byte strings (data segments, custom sections) are views into the input unless
// `copyBytes` is set: the model then keeps the input alive, and changing the input
// changes the model.

import { ALL_FEATURES, type FeatureSet } from '../model/features.ts';
import type {
  CustomPlacement,
  CustomSection,
  Data,
  Elem,
  Export,
  Func,
  Global,
  Import,
  MemoryType,
  Module,
  Names,
  RecGroup,
  SectionName,
  Table,
  TagType,
} from '../model/types.ts';
import { CodeReader, disabledOps } from './decode-instr.ts';
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
  type SectionContext,
} from './decode-sections.ts';
import { SectionIterator, type SectionInfo } from './sections.ts';

export interface DecodeOptions {
  /**
   * The proposals to accept (default: all of WebAssembly 3.0, plus threads). Turning
   * one off makes its instructions, limits flags and sections malformed.
   */
  readonly features?: FeatureSet;
  /** Copy data segments and custom sections out of the input (default: views). */
  readonly copyBytes?: boolean;
  /** Decode the `name` section into `module.names` (default true; else it stays custom). */
  readonly names?: boolean;
}

/** The reader and settings for one module. */
export function createReader(bytes: Uint8Array, options: DecodeOptions = {}): { r: CodeReader; ctx: SectionContext } {
  const features = options.features === undefined || options.features === ALL_FEATURES ? null : options.features;
  const r = new CodeReader(bytes);
  r.disabled = disabledOps(features);
  r.multiMemory = features === null || features['multi-memory'];
  return { r, ctx: { features, copyBytes: options.copyBytes === true } };
}

/** Fails with "section size mismatch" unless the reader is at the section's end. */
export function checkSectionEnd(r: CodeReader, s: SectionInfo): void {
  const end = s.end - r.base;
  if (r.pos !== end) r.fail('section size mismatch', s.start - r.base);
}

/**
 * Reads one code entry (size, locals, body) at the reader's position, for a function of
 * type `type`; the body must fill the size exactly ("section size mismatch").
 */
export function readCodeEntry(r: CodeReader, type: number, requireDataCount: boolean): Func {
  const size = r.count();
  const start = r.pos;
  const locals = readLocals(r);
  r.requireDataCount = requireDataCount;
  const body = r.readExpr();
  r.requireDataCount = false;
  if (r.pos !== start + size) r.fail('section size mismatch', start);
  return { type, locals, body };
}

/** The data of a custom section: a view into the input, or a copy. */
export function customBytes(r: CodeReader, s: SectionInfo, copy: boolean): Uint8Array {
  const start = s.dataStart - r.base;
  const end = s.end - r.base;
  return copy ? r.buf.slice(start, end) : r.buf.subarray(start, end);
}

/** Decodes a binary module. Throws DecodeError (with the offset in `bytes`) when malformed. */
export function decodeModule(bytes: Uint8Array, options: DecodeOptions = {}): Module {
  const { r, ctx } = createReader(bytes, options);
  r.deferDataCount = true;
  const wantNames = options.names !== false;
  const it = new SectionIterator(r, ctx.features);

  let types: RecGroup[] = [];
  let imports: Import[] = [];
  let funcTypes: number[] = [];
  let tables: Table[] = [];
  let memories: MemoryType[] = [];
  let tags: TagType[] = [];
  let globals: Global[] = [];
  let exports: Export[] = [];
  let start: number | null = null;
  let elems: Elem[] = [];
  let dataCount: number | null = null;
  let funcs: Func[] = [];
  let codeCount = 0;
  let datas: Data[] = [];
  const customs = new CustomPlacer();
  let names: Names | null = null;
  // The name section is decoded only when it is the module's one section called "name":
  // with two, the model (whose encoding puts the name section in one fixed place) could
  // not say which one it was, and a round trip would swap them. Then all stay custom.
  let nameSections = 0;
  let namesAt = -1;

  for (let s = it.next(); s !== null; s = it.next()) {
    let kept = true; // start and data count sections always are
    r.textEnd = s.end - r.base;
    switch (s.id) {
      case 0: {
        const at = customs.custom(s.customName!, customBytes(r, s, ctx.copyBytes));
        if (wantNames && s.customName === 'name') {
          nameSections++;
          if (nameSections === 1) {
            names = decodeNames(r.buf, s.dataStart - r.base, s.end - r.base, r.base);
            namesAt = at;
          }
        }
        continue;
      }
      case 1:
        types = readTypeSection(r);
        kept = types.length > 0;
        break;
      case 2:
        imports = readImportSection(r, ctx);
        kept = imports.length > 0;
        break;
      case 3:
        funcTypes = readFunctionSection(r);
        kept = funcTypes.length > 0;
        break;
      case 4:
        tables = readTableSection(r, ctx);
        kept = tables.length > 0;
        break;
      case 5:
        memories = readMemorySection(r, ctx);
        kept = memories.length > 0;
        break;
      case 6:
        globals = readGlobalSection(r);
        kept = globals.length > 0;
        break;
      case 7:
        exports = readExportSection(r);
        kept = exports.length > 0;
        break;
      case 8:
        start = readStartSection(r);
        break;
      case 9:
        elems = readElementSection(r);
        kept = elems.length > 0;
        break;
      case 10: {
        const n = r.count();
        codeCount = n;
        funcs = new Array(n);
        const requireDataCount = dataCount === null;
        for (let i = 0; i < n; i++) funcs[i] = readCodeEntry(r, funcTypes[i] ?? 0, requireDataCount);
        kept = n > 0;
        break;
      }
      case 11:
        datas = readDataSection(r, ctx);
        kept = datas.length > 0;
        break;
      case 12:
        dataCount = readDataCountSection(r);
        break;
      case 13:
        tags = readTagSection(r);
        kept = tags.length > 0;
        break;
    }
    checkSectionEnd(r, s);
    customs.known(s.name as SectionName, kept);
  }
  const end = bytes.length;
  if (funcTypes.length !== codeCount) r.fail('function and code section have inconsistent lengths', end);
  if (dataCount !== null && dataCount !== datas.length) {
    r.fail('data count and data section have inconsistent lengths', end);
  }
  if (r.firstDataUse >= 0) r.fail('data count section required', r.firstDataUse - r.base);
  return {
    types,
    imports,
    funcs,
    tables,
    memories,
    globals,
    tags,
    exports,
    start,
    elems,
    datas,
    dataCount: dataCount !== null,
    customs: customs.finish(names !== null && nameSections === 1 ? namesAt : -1),
    names: nameSections === 1 ? names : null,
  };
}

const FIRST: CustomPlacement = Object.freeze({ kind: 'first' });
const LAST: CustomPlacement = Object.freeze({ kind: 'last' });
const AFTER = new Map<SectionName, CustomPlacement>();

function after(section: SectionName): CustomPlacement {
  let p = AFTER.get(section);
  if (p === undefined) {
    p = Object.freeze({ kind: 'after', section });
    AFTER.set(section, p);
  }
  return p;
}

/**
 * Places custom sections relative to the known sections that the model keeps: those
 * before every such section are 'first', those after the last one 'last', the others
 * 'after' the known section before them. An empty known section (no entries) does not
 * count, since the model cannot tell it from a missing one; so encoding the model gives
 * the custom sections back in the same places.
 */
export class CustomPlacer {
  private last: SectionName | null = null;
  private trailingFrom = 0;
  private readonly out: CustomSection[] = [];

  /** A known section went by; `kept` when it has entries (the encoder writes it). */
  known(section: SectionName, kept: boolean): void {
    if (!kept) return;
    this.last = section;
    this.trailingFrom = this.out.length;
  }

  /** A custom section went by; returns its index in the list. */
  custom(name: string, bytes: Uint8Array): number {
    this.out.push({ name, bytes, placement: this.last === null ? FIRST : after(this.last) });
    return this.out.length - 1;
  }

  /** The custom sections, without the one at index `drop` (the decoded name section). */
  finish(drop = -1): CustomSection[] {
    const out = this.out;
    if (this.last !== null) {
      for (let i = this.trailingFrom; i < out.length; i++) out[i] = { ...out[i]!, placement: LAST };
    }
    if (drop >= 0) out.splice(drop, 1);
    return out;
  }
}
