// Modules in the text format (spec §6.6 "Modules"): every module field with its
// abbreviations (inline imports and exports, inline type uses, inline element and data
// segments, offset and item shorthands), identifiers, and the name section.
//
// Parsing runs in passes over the same source:
//  1. a scan of the field level binds every identifier (types, functions, tables,
//     memories, globals, tags, element and data segments) to its index — textual order
//     is index order, because imports must precede definitions — and skips field bodies
//     character by character;
//  2. the type definitions are parsed (so that type uses can be checked and matched);
//  3. the other fields are parsed in order; inline function types that match no
//     existing type are appended to the type list (spec §6.6.2).

import { concatBytes } from '../binary/writer.ts';
import type { Instruction } from '../model/instruction.ts';
import { opByName } from '../model/opcodes.ts';
import type {
  CustomSection,
  Data,
  Elem,
  ElemInit,
  Export,
  ExternKind,
  Func,
  Global,
  Import,
  LocalRun,
  MemoryType,
  Module,
  Names,
  RefType,
  SubType,
  Table,
  TagType,
  ValType,
} from '../model/types.ts';
import { refType, valTypeEquals } from '../model/types.ts';
import { parseCustomAnnotation, parseDataCountAnnotation, parseLocalRunsAnnotation, parseNameAnnotation } from './annotations.ts';
import { ModuleContext, Space, idSymbol, objectArray, type SpaceId } from './context.ts';
import { IdMap } from './idtable.ts';
import { InstrParser, checkTypeUse, mk } from './instructions.ts';
import { KW } from './keywords.ts';
import { Lexer, Tok, firstAnnotationFrom, type AnnotationRecord } from './lexer.ts';
import { readBytes, readName } from './literals.ts';
import {
  atKeyword,
  close,
  openKeyword,
  parseAddressType,
  parseGlobalType,
  parseLimits,
  parseRefType,
  parseSignature,
  parseTableType,
  parseTypeDefBody,
  parseValType,
  tryRefType,
  type Signature,
} from './types.ts';

export interface ParseModuleFieldsOptions {
  /** The module's `$id` (without `$`), or null. */
  readonly name: string | null;
  /**
   * Offset of the module's `(` in the source, if any: `@name`/`@custom` annotations
   * recorded before it are ignored. Defaults to keeping every pending annotation.
   */
  readonly start?: number;
}

interface FieldRecord {
  /** Token number (lexer mark) of the field's `(`. */
  readonly tok: number;
  /** Offset of the field's `(`. */
  readonly start: number;
  /** Offset just after the field's `)`. */
  end: number;
  readonly kind: number;
}

const OP_I32_CONST = opByName('i32.const')!;
const OP_I64_CONST = opByName('i64.const')!;

const KIND_NAMES: Record<number, string> = {
  [KW.func]: 'function',
  [KW.table]: 'table',
  [KW.memory]: 'memory',
  [KW.global]: 'global',
  [KW.tag]: 'tag',
};

const SPACE_OF_KW: Record<number, SpaceId> = {
  [KW.func]: Space.func,
  [KW.table]: Space.table,
  [KW.memory]: Space.memory,
  [KW.global]: Space.global,
  [KW.tag]: Space.tag,
  [KW.elem]: Space.elem,
  [KW.data]: Space.data,
};

const FUNC_REF: RefType = refType(false, 'func');

/**
 * Parses module fields starting at the current token, up to (not consuming) the `)`
 * that closes the module — or the end of input for a module written without
 * `(module …)`. See ./lexer.ts for the calling convention.
 */
export function parseModuleFields(lx: Lexer, options: ParseModuleFieldsOptions): Module {
  return new ModuleParser(lx, options).parse();
}

class ModuleParser {
  readonly lx: Lexer;
  readonly ctx: ModuleContext;
  readonly ip: InstrParser;
  readonly moduleName: string | null;
  readonly moduleStart: number;
  readonly fields: FieldRecord[] = objectArray();

  // Output.
  readonly imports: Import[] = objectArray();
  readonly funcs: Func[] = objectArray();
  readonly tables: Table[] = objectArray();
  readonly memories: MemoryType[] = objectArray();
  readonly globals: Global[] = objectArray();
  readonly tags: TagType[] = objectArray();
  readonly exports: Export[] = objectArray();
  readonly elems: Elem[] = objectArray();
  readonly datas: Data[] = objectArray();
  start: number | null = null;
  readonly localNames = new Map<number, Map<number, string>>();
  /** Local identifiers of the function being parsed (cleared for each function). */
  readonly localIds = new IdMap();
  /** Parameter symbols of type uses whose names are not kept. */
  private readonly ignoredSyms: number[] = [];
  /** Parameter symbols (-1 when unnamed) and their offsets, of the function being parsed. */
  private readonly paramSyms: number[] = [];
  private readonly nameOffsets: number[] = [];
  /** Types of the locals of the function being parsed. */
  private readonly localTypes: ValType[] = objectArray();
  /** Scratch signature of type uses (`funcTypeIndex` copies what it keeps). */
  private readonly sig: Signature = { params: objectArray(), results: objectArray() };
  /** Annotations consumed by the field they name. */
  readonly usedAnnotations = new Set<number>();
  readonly funcAnnotNames = new Map<number, string>();
  /** Label names by function index (name subsection 3). */
  readonly labelNames = new Map<number, Map<number, string>>();
  readonly tagAnnotNames = new Map<number, string>();

  // Running indices in pass 3 (same order as the bindings of pass 1).
  readonly next = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Kind keyword of the latest definition (not import) seen, for "import after …". */
  lastDefinition = -1;

  constructor(lx: Lexer, options: ParseModuleFieldsOptions) {
    this.lx = lx;
    this.ctx = new ModuleContext(lx);
    this.ip = new InstrParser(this.ctx);
    this.moduleName = options.name;
    this.moduleStart = options.start ?? -1;
  }

  parse(): Module {
    const lx = this.lx;
    const ctx = this.ctx;
    const lower = this.moduleStart >= 0 ? this.moduleStart : lx.previousEnd();
    const firstToken = lx.start;
    this.scanFields();
    const endMark = lx.save();
    const upper = lx.start;

    // Pass 2: type definitions.
    for (const f of this.fields) {
      if (f.kind === KW.type || f.kind === KW.rec) this.typeField(f);
    }
    ctx.indexExplicitTypes();

    // Pass 3: everything else, in order.
    for (const f of this.fields) {
      if (f.kind === KW.type || f.kind === KW.rec) continue;
      lx.restore(f.tok);
      lx.next(); // keyword
      lx.next();
      switch (f.kind) {
        case KW.func: this.funcField(f); break;
        case KW.table: this.tableField(f); break;
        case KW.memory: this.memoryField(f); break;
        case KW.global: this.globalField(f); break;
        case KW.tag: this.tagField(f); break;
        case KW.import: this.importField(); break;
        case KW.export: this.exportField(); break;
        case KW.start: this.startField(); break;
        case KW.elem: this.elemField(); break;
        case KW.data: this.dataField(); break;
      }
      if (lx.kind !== Tok.rparen) throw lx.unexpected();
    }
    lx.restore(endMark);

    const customs: CustomSection[] = [];
    let annotModuleName: string | null = null;
    let forceDataCount = false;
    const firstField = this.fields.length > 0 ? this.fields[0]!.start : firstToken;
    const annots = lx.annotations;
    for (let i = firstAnnotationFrom(annots, lower); i < annots.length; i++) {
      const a = annots[i]!;
      if (a.start >= upper) break;
      if (a.kind === 'custom') {
        if (this.insideField(a)) throw lx.error('misplaced @custom annotation', a.start);
        customs.push(parseCustomAnnotation(lx, a));
      } else if (a.kind === 'branch_hint') {
        // Branch hints are checked for placement only (they are not kept in the model).
        const field = this.fieldAt(a);
        if (field === null || field.kind !== KW.func) {
          throw lx.error('@metadata.code.branch_hint annotation: not in a function', a.start);
        }
        const b = annots[i + 1];
        if (b !== undefined && b.kind === 'branch_hint' && onlySpaceBetween(lx.source, a.end, b.start)) {
          throw lx.error('@metadata.code.branch_hint annotation: duplicate annotation', b.start);
        }
      } else if (a.kind === 'datacount') {
        if (this.insideField(a)) throw lx.error('misplaced @datacount annotation', a.start);
        parseDataCountAnnotation(lx, a);
        forceDataCount = true;
      } else if (a.kind === 'local_runs') {
        // Consumed by its function (funcField); any other place is wrong.
        if (!this.usedAnnotations.has(a.start)) throw lx.error('misplaced @local.runs annotation', a.start);
      } else {
        if (this.usedAnnotations.has(a.start)) continue;
        if (a.start < firstField) {
          const name = parseNameAnnotation(lx, a);
          if (annotModuleName !== null) throw lx.error('@name annotation: multiple module names', a.start);
          annotModuleName = name;
        } else {
          throw lx.error('misplaced @name annotation', a.start);
        }
      }
    }

    return {
      types: ctx.groups,
      imports: this.imports,
      funcs: this.funcs,
      tables: this.tables,
      memories: this.memories,
      globals: this.globals,
      tags: this.tags,
      exports: this.exports,
      start: this.start,
      elems: this.elems,
      datas: this.datas,
      // As the reference encoder: a data count section whenever code names a data
      // segment (even when there are none, so that the validator reports the index), or
      // when `(@datacount)` asks for it.
      dataCount: this.ip.usesDataIndex || forceDataCount,
      customs,
      names: this.names(annotModuleName),
    };
  }

  private insideField(a: AnnotationRecord): boolean {
    return this.fieldAt(a) !== null;
  }

  /** The field whose parentheses enclose annotation `a`, or null. */
  private fieldAt(a: AnnotationRecord): FieldRecord | null {
    // Fields are sorted by offset: binary search for the last field starting before `a`.
    const fields = this.fields;
    let lo = 0;
    let hi = fields.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fields[mid]!.start < a.start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && a.start < fields[found]!.end ? fields[found]! : null;
  }

  private names(annotModuleName: string | null): Names | null {
    const ctx = this.ctx;
    const n = ctx.names;
    const funcs = n[Space.func]!;
    for (const [i, name] of this.funcAnnotNames) funcs.set(i, name);
    const tags = n[Space.tag]!;
    for (const [i, name] of this.tagAnnotNames) tags.set(i, name);
    const moduleName = annotModuleName ?? this.moduleName;
    let any = moduleName !== null || this.localNames.size > 0 || this.labelNames.size > 0 || ctx.fieldNames.size > 0;
    for (const m of n) if (m.size > 0) any = true;
    if (!any) return null;
    return {
      module: moduleName,
      funcs,
      locals: this.localNames,
      labels: this.labelNames,
      types: n[Space.type]!,
      tables: n[Space.table]!,
      memories: n[Space.memory]!,
      globals: n[Space.global]!,
      elems: n[Space.elem]!,
      datas: n[Space.data]!,
      fields: ctx.fieldNames,
      tags,
    };
  }

  // ── pass 1 ────────────────────────────────────────────────────────────────────────────

  private bindHere(space: SpaceId): void {
    this.ctx.bindId(space);
  }

  /** Pass 1: records every field and binds identifiers. Leaves the lexer after the fields. */
  private scanFields(): void {
    const lx = this.lx;
    const ctx = this.ctx;
    while (lx.kind === Tok.lparen) {
      const tok = lx.save();
      const start = lx.start;
      lx.next();
      if (lx.kind !== Tok.keyword) throw lx.unexpected();
      const kw = lx.code;
      lx.next();
      switch (kw) {
        case KW.type:
          this.bindHere(Space.type);
          break;
        case KW.rec:
          while (lx.kind === Tok.lparen) {
            const inner = lx.save();
            lx.next();
            if (!lx.is('type')) throw lx.kind === Tok.keyword ? lx.error(`unexpected token ${lx.text()}`) : lx.unexpected();
            lx.next();
            this.bindHere(Space.type);
            lx.restore(inner);
            lx.jumpToMatch();
            lx.next();
          }
          break;
        case KW.func:
        case KW.global:
        case KW.tag:
        case KW.elem:
        case KW.data:
          this.bindHere(SPACE_OF_KW[kw]!);
          break;
        case KW.table:
        case KW.memory: {
          this.bindHere(SPACE_OF_KW[kw]!);
          // An inline `(elem …)` / `(data …)` also defines a segment.
          while (lx.kind !== Tok.rparen && lx.kind !== Tok.eof) {
            if (lx.kind === Tok.lparen) {
              const inner = lx.save();
              lx.next();
              if (kw === KW.table && lx.is('elem')) ctx.bind(Space.elem);
              if (kw === KW.memory && lx.is('data')) ctx.bind(Space.data);
              lx.restore(inner);
              lx.jumpToMatch();
            }
            lx.next();
          }
          break;
        }
        case KW.import: {
          if (lx.kind === Tok.string) lx.next();
          if (lx.kind === Tok.string) lx.next();
          if (lx.kind === Tok.lparen) {
            lx.next();
            const k = lx.kind === Tok.keyword ? lx.code : -1;
            const space = SPACE_OF_KW[k];
            if (space !== undefined && k !== KW.elem && k !== KW.data) {
              lx.next();
              this.bindHere(space);
            }
          }
          break;
        }
        case KW.export:
        case KW.start:
          break;
        default:
          throw lx.kind === Tok.reserved
            ? lx.unexpected()
            : lx.error(`unknown operator ${lx.source.slice(start + 1, lx.start).trim()}`, start + 1);
      }
      lx.restore(tok);
      lx.jumpToMatch();
      const record: FieldRecord = { tok, start, end: lx.end, kind: kw };
      this.fields.push(record);
      if (lx.kind !== Tok.rparen) break; // unclosed: pass 3 reports the error in place
      lx.next();
    }
    if (lx.kind !== Tok.rparen && lx.kind !== Tok.eof) throw lx.unexpected();
  }

  // ── pass 2: types ─────────────────────────────────────────────────────────────────────

  private typeField(f: FieldRecord): void {
    const lx = this.lx;
    const ctx = this.ctx;
    lx.restore(f.tok);
    lx.next();
    if (f.kind === KW.type) {
      lx.next();
      const index = this.next[Space.type]++;
      if (lx.kind === Tok.id) lx.next();
      const t = parseTypeDefBody(ctx, index);
      ctx.addGroup({ types: [t], explicit: false });
      return;
    }
    lx.next(); // rec
    const types: SubType[] = [];
    while (lx.kind === Tok.lparen) {
      lx.next();
      lx.expectKeyword('type');
      const index = this.next[Space.type]++;
      if (lx.kind === Tok.id) lx.next();
      types.push(parseTypeDefBody(ctx, index));
    }
    close(lx);
    ctx.addGroup({ types, explicit: true });
  }

  // ── pass 3: fields ────────────────────────────────────────────────────────────────────

  /** Skips the id (bound in pass 1) and returns the field's index in `space`. */
  private fieldIndex(space: SpaceId): number {
    if (this.lx.kind === Tok.id) this.lx.next();
    return this.next[space]++;
  }

  /** A `(@name "…")` right after the field keyword and id, if any. */
  private nameAnnotation(f: { start: number }): string | null {
    const annots = this.lx.annotations;
    if (annots.length === 0) return null;
    const lx = this.lx;
    for (let i = firstAnnotationFrom(annots, f.start); i < annots.length; i++) {
      const a = annots[i]!;
      if (a.start >= lx.start) break;
      if (a.kind === 'name' && !this.usedAnnotations.has(a.start)) {
        this.usedAnnotations.add(a.start);
        return parseNameAnnotation(lx, a);
      }
    }
    return null;
  }

  /** `(export "name")*` */
  private inlineExports(kind: ExternKind, index: number): void {
    const lx = this.lx;
    while (openKeyword(lx, KW.export)) {
      const name = readName(lx);
      close(lx);
      this.exports.push({ name, kind, index });
    }
  }

  /** `(import "module" "name")?`; returns the names or null. */
  private inlineImport(offset: number): [string, string] | null {
    const lx = this.lx;
    if (!openKeyword(lx, KW.import)) return null;
    const module = readName(lx);
    const name = readName(lx);
    close(lx);
    this.checkImportOrder(offset);
    return [module, name];
  }

  private checkImportOrder(offset: number): void {
    if (this.lastDefinition >= 0) {
      throw this.lx.error(`import after ${KIND_NAMES[this.lastDefinition]} definition`, offset);
    }
  }

  /**
   * A type use with optional inline signature (spec §6.6.2). Fills `names` with the
   * parameter identifiers' symbols (-1 for none) when given. Returns the type index.
   */
  private typeUse(names: number[] | null, nameOffsets: number[] | null): { index: number; paramCount: number } {
    const lx = this.lx;
    const ctx = this.ctx;
    let typeIndex = -1;
    let typeOffset = 0;
    if (openKeyword(lx, KW.type)) {
      typeOffset = lx.start;
      typeIndex = ctx.index(Space.type);
      close(lx);
    }
    const sig = this.sig;
    sig.params.length = 0;
    sig.results.length = 0;
    let paramSyms = names;
    if (paramSyms === null) {
      paramSyms = this.ignoredSyms;
      paramSyms.length = 0;
    }
    parseSignature(ctx, sig, paramSyms, nameOffsets);
    if (typeIndex >= 0) {
      if (sig.params.length !== 0 || sig.results.length !== 0) {
        checkTypeUse(ctx, typeIndex, typeOffset, sig);
        return { index: typeIndex, paramCount: sig.params.length };
      }
      const t = ctx.defs[typeIndex];
      const paramCount = t !== undefined && t.composite.kind === 'func' ? t.composite.params.length : -1;
      return { index: typeIndex, paramCount };
    }
    return { index: ctx.funcTypeIndex(sig.params, sig.results), paramCount: sig.params.length };
  }

  private definition(kw: number): void {
    this.lastDefinition = kw;
  }

  private funcField(f: FieldRecord): void {
    const lx = this.lx;
    const fieldStart = f.start;
    const index = this.fieldIndex(Space.func);
    const annotName = this.nameAnnotation(f);
    if (annotName !== null) this.funcAnnotNames.set(index, annotName);
    this.inlineExports('func', index);
    const imp = this.inlineImport(fieldStart);
    if (imp !== null) {
      const { index: type } = this.typeUse(null, null);
      this.imports.push({ module: imp[0], name: imp[1], desc: { kind: 'func', type } });
      return;
    }
    this.definition(KW.func);
    const paramSyms = this.paramSyms;
    const nameOffsets = this.nameOffsets;
    paramSyms.length = 0;
    nameOffsets.length = 0;
    const typeStart = lx.start;
    const { index: type, paramCount } = this.typeUse(paramSyms, nameOffsets);
    const localIds = this.localIds;
    localIds.clear();
    let localNameMap: Map<number, string> | null = null;
    for (let i = 0; i < paramSyms.length; i++) {
      const sym = paramSyms[i]!;
      if (sym < 0) continue;
      localNameMap ??= new Map();
      if (localIds.get(sym) >= 0) throw lx.error(`duplicate local $${lx.symbolName(sym)}`, nameOffsets[i]);
      localIds.set(sym, i);
      localNameMap.set(i, lx.symbolName(sym));
    }
    // Locals.
    const types = this.localTypes;
    types.length = 0;
    while (openKeyword(lx, KW.local)) {
      if (lx.kind === Tok.id) {
        if (paramCount < 0) throw lx.error(`unknown type`, typeStart);
        const localIndex = paramCount + types.length;
        const sym = idSymbol(lx);
        if (localIds.get(sym) >= 0) throw lx.error(`duplicate local $${lx.symbolName(sym)}`);
        localIds.set(sym, localIndex);
        lx.next();
        localNameMap ??= new Map();
        localNameMap.set(localIndex, lx.symbolName(sym));
        types.push(parseValType(this.ctx));
        close(lx);
        continue;
      }
      while (lx.kind !== Tok.rparen) types.push(parseValType(this.ctx));
      lx.next();
    }
    let locals = localRuns(types);
    if (lx.annotations.length > 0) locals = this.localRunsAnnotation(f, types) ?? locals;
    if (localNameMap !== null) this.localNames.set(index, localNameMap);
    this.ip.localIds = localIds.size > 0 ? localIds : null;
    const body = this.ip.parseSeq();
    this.ip.localIds = null;
    if (this.ip.labelNames !== null) this.labelNames.set(index, this.ip.labelNames);
    this.funcs.push({ type, locals, body });
  }

  /** The runs that a `(@local.runs …)` annotation inside function field `f` gives, if any. */
  private localRunsAnnotation(f: FieldRecord, types: readonly ValType[]): LocalRun[] | null {
    const lx = this.lx;
    const annots = lx.annotations;
    let found: AnnotationRecord | null = null;
    for (let i = firstAnnotationFrom(annots, f.start); i < annots.length && annots[i]!.start < f.end; i++) {
      const a = annots[i]!;
      if (a.kind !== 'local_runs') continue;
      if (found !== null) throw lx.error('@local.runs annotation: duplicate annotation', a.start);
      found = a;
    }
    if (found === null) return null;
    this.usedAnnotations.add(found.start);
    return parseLocalRunsAnnotation(this.ctx, found, types);
  }

  private constExpr(): Instruction[] {
    return this.ip.parseSeq();
  }

  private tableField(f: FieldRecord): void {
    const lx = this.lx;
    const ctx = this.ctx;
    const index = this.fieldIndex(Space.table);
    this.inlineExports('table', index);
    const imp = this.inlineImport(f.start);
    if (imp !== null) {
      const type = parseTableType(ctx);
      this.imports.push({ module: imp[0], name: imp[1], desc: { kind: 'table', type } });
      return;
    }
    this.definition(KW.table);
    const address = parseAddressType(lx);
    if (lx.kind === Tok.number) {
      const limits = parseLimits(lx, address, false);
      const element = parseRefType(ctx);
      const init = lx.kind === Tok.rparen ? null : this.constExpr();
      this.tables.push({ type: { element, limits }, init });
      return;
    }
    // `reftype (elem …)`: a table sized to its inline element segment.
    const element = parseRefType(ctx);
    if (!openKeyword(lx, KW.elem)) throw lx.unexpected();
    let init: ElemInit;
    let count: number;
    if (lx.kind === Tok.lparen) {
      const exprs = this.elemExprs();
      init = { kind: 'exprs', exprs };
      count = exprs.length;
    } else {
      const indices: number[] = [];
      while (ctx.atIndex()) indices.push(ctx.index(Space.func));
      init = { kind: 'funcs', indices };
      count = indices.length;
    }
    close(lx);
    const n = BigInt(count);
    this.tables.push({ type: { element, limits: { address, min: n, max: n, shared: false } }, init: null });
    this.next[Space.elem]++;
    this.elems.push({
      type: element,
      mode: { kind: 'active', table: index, offset: [zeroConst(address)] },
      init,
    });
  }

  private memoryField(f: FieldRecord): void {
    const lx = this.lx;
    const index = this.fieldIndex(Space.memory);
    this.inlineExports('memory', index);
    const imp = this.inlineImport(f.start);
    if (imp !== null) {
      const address = parseAddressType(lx);
      const limits = parseLimits(lx, address, true);
      this.imports.push({ module: imp[0], name: imp[1], desc: { kind: 'memory', type: { limits } } });
      return;
    }
    this.definition(KW.memory);
    const address = parseAddressType(lx);
    if (openKeyword(lx, KW.data)) {
      const bytes = this.dataStrings();
      close(lx);
      const pages = BigInt(Math.ceil(bytes.length / 65536));
      this.memories.push({ limits: { address, min: pages, max: pages, shared: false } });
      this.next[Space.data]++;
      this.datas.push({ mode: { kind: 'active', memory: index, offset: [zeroConst(address)] }, bytes });
      return;
    }
    this.memories.push({ limits: parseLimits(lx, address, true) });
  }

  private globalField(f: FieldRecord): void {
    const ctx = this.ctx;
    const index = this.fieldIndex(Space.global);
    this.inlineExports('global', index);
    const imp = this.inlineImport(f.start);
    if (imp !== null) {
      const type = parseGlobalType(ctx);
      this.imports.push({ module: imp[0], name: imp[1], desc: { kind: 'global', type } });
      return;
    }
    this.definition(KW.global);
    const type = parseGlobalType(ctx);
    this.globals.push({ type, init: this.constExpr() });
  }

  private tagField(f: FieldRecord): void {
    const index = this.fieldIndex(Space.tag);
    const annotName = this.nameAnnotation(f);
    if (annotName !== null) this.tagAnnotNames.set(index, annotName);
    this.inlineExports('tag', index);
    const imp = this.inlineImport(f.start);
    const { index: type } = this.typeUse(null, null);
    if (imp !== null) {
      this.imports.push({ module: imp[0], name: imp[1], desc: { kind: 'tag', type: { type } } });
      return;
    }
    this.definition(KW.tag);
    this.tags.push({ type });
  }

  private importField(): void {
    const lx = this.lx;
    const ctx = this.ctx;
    const offset = lx.start;
    const module = readName(lx);
    const name = readName(lx);
    if (lx.kind !== Tok.lparen) throw lx.unexpected();
    lx.next();
    if (lx.kind !== Tok.keyword) throw lx.unexpected();
    const kw = lx.code;
    lx.next();
    this.checkImportOrder(offset);
    switch (kw) {
      case KW.func: {
        const index = this.fieldIndex(Space.func);
        const annot = this.nameAnnotationAt(offset);
        if (annot !== null) this.funcAnnotNames.set(index, annot);
        const { index: type } = this.typeUse(null, null);
        this.imports.push({ module, name, desc: { kind: 'func', type } });
        break;
      }
      case KW.table: {
        this.fieldIndex(Space.table);
        this.imports.push({ module, name, desc: { kind: 'table', type: parseTableType(ctx) } });
        break;
      }
      case KW.memory: {
        this.fieldIndex(Space.memory);
        const address = parseAddressType(lx);
        const limits = parseLimits(lx, address, true);
        this.imports.push({ module, name, desc: { kind: 'memory', type: { limits } } });
        break;
      }
      case KW.global: {
        this.fieldIndex(Space.global);
        this.imports.push({ module, name, desc: { kind: 'global', type: parseGlobalType(ctx) } });
        break;
      }
      case KW.tag: {
        const index = this.fieldIndex(Space.tag);
        const annot = this.nameAnnotationAt(offset);
        if (annot !== null) this.tagAnnotNames.set(index, annot);
        const { index: type } = this.typeUse(null, null);
        this.imports.push({ module, name, desc: { kind: 'tag', type: { type } } });
        break;
      }
      default:
        throw lx.error(`unexpected token ${lx.source.slice(lx.start, lx.end)}`);
    }
    close(lx);
  }

  private nameAnnotationAt(offset: number): string | null {
    return this.nameAnnotation({ start: offset });
  }

  private exportField(): void {
    const lx = this.lx;
    const name = readName(lx);
    if (lx.kind !== Tok.lparen) throw lx.unexpected();
    lx.next();
    if (lx.kind !== Tok.keyword) throw lx.unexpected();
    const kw = lx.code;
    const space = SPACE_OF_KW[kw];
    if (space === undefined || kw === KW.elem || kw === KW.data) throw lx.error(`unexpected token ${lx.text()}`);
    lx.next();
    const index = this.ctx.index(space);
    close(lx);
    const kind = KIND_OF_KW[kw]!;
    this.exports.push({ name, kind, index });
  }

  private startField(): void {
    const lx = this.lx;
    const offset = lx.start;
    const index = this.ctx.index(Space.func);
    if (this.start !== null) throw lx.error('multiple start sections', offset);
    this.start = index;
  }

  /** `(offset instr*)` or a single folded instruction. */
  private offsetExpr(): Instruction[] {
    const lx = this.lx;
    if (openKeyword(lx, KW.offset)) {
      const e = this.constExpr();
      close(lx);
      return e;
    }
    return this.ip.parseFolded();
  }

  /** `elemexpr*`: each `(item instr*)` or a single folded instruction. */
  private elemExprs(): Instruction[][] {
    const lx = this.lx;
    const exprs: Instruction[][] = [];
    while (lx.kind === Tok.lparen) {
      if (openKeyword(lx, KW.item)) {
        exprs.push(this.constExpr());
        close(lx);
      } else {
        exprs.push(this.ip.parseFolded());
      }
    }
    return exprs;
  }

  /** An element list: `func idx*`, `reftype elemexpr*`, or (active sugar) `idx*`. */
  private elemList(allowBareIndices: boolean): { type: RefType; init: ElemInit } {
    const lx = this.lx;
    const ctx = this.ctx;
    if (lx.is('func')) {
      lx.next();
      const indices: number[] = [];
      while (ctx.atIndex()) indices.push(ctx.index(Space.func));
      return { type: FUNC_REF, init: { kind: 'funcs', indices } };
    }
    const type = tryRefType(ctx);
    if (type !== null) return { type, init: { kind: 'exprs', exprs: this.elemExprs() } };
    if (!allowBareIndices) throw lx.unexpected();
    const indices: number[] = [];
    while (ctx.atIndex()) indices.push(ctx.index(Space.func));
    return { type: FUNC_REF, init: { kind: 'funcs', indices } };
  }

  private elemField(): void {
    const lx = this.lx;
    const ctx = this.ctx;
    this.fieldIndex(Space.elem);
    if (lx.is('declare')) {
      lx.next();
      const { type, init } = this.elemList(false);
      this.elems.push({ type, mode: { kind: 'declarative' }, init });
      return;
    }
    let table = -1;
    if (openKeyword(lx, KW.table)) {
      table = ctx.index(Space.table);
      close(lx);
    }
    if (table < 0 && (lx.kind !== Tok.lparen || atKeyword(lx, KW.ref))) {
      const { type, init } = this.elemList(false);
      this.elems.push({ type, mode: { kind: 'passive' }, init });
      return;
    }
    const offset = this.offsetExpr();
    const { type, init } = this.elemList(true);
    this.elems.push({ type, mode: { kind: 'active', table: table < 0 ? 0 : table, offset }, init });
  }

  private dataStrings(): Uint8Array {
    const lx = this.lx;
    const parts: Uint8Array[] = [];
    while (lx.kind === Tok.string) parts.push(readBytes(lx));
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }

  private dataField(): void {
    const lx = this.lx;
    const ctx = this.ctx;
    this.fieldIndex(Space.data);
    let memory = -1;
    if (openKeyword(lx, KW.memory)) {
      memory = ctx.index(Space.memory);
      close(lx);
    }
    if (memory < 0 && lx.kind !== Tok.lparen) {
      this.datas.push({ mode: { kind: 'passive' }, bytes: this.dataStrings() });
      return;
    }
    const offset = this.offsetExpr();
    const bytes = this.dataStrings();
    this.datas.push({ mode: { kind: 'active', memory: memory < 0 ? 0 : memory, offset }, bytes });
  }
}

const KIND_OF_KW: Record<number, ExternKind> = {
  [KW.func]: 'func',
  [KW.table]: 'table',
  [KW.memory]: 'memory',
  [KW.global]: 'global',
  [KW.tag]: 'tag',
};

/** Whether `src[from, to)` is only white space (two annotations on one instruction). */
function onlySpaceBetween(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** Local declarations as runs of equal types (the binary format's compressed form). */
function localRuns(types: readonly ValType[]): LocalRun[] {
  const runs: LocalRun[] = [];
  let i = 0;
  while (i < types.length) {
    const type = types[i]!;
    let j = i + 1;
    while (j < types.length && valTypeEquals(types[j]!, type)) j++;
    runs.push({ count: j - i, type });
    i = j;
  }
  return runs;
}

function zeroConst(address: 'i32' | 'i64'): Instruction {
  return address === 'i64' ? mk(OP_I64_CONST, 0n) : mk(OP_I32_CONST, 0);
}

/**
 * Keeps the object shapes of the parser's classes alive between parses (see
 * `LEXER_SHAPE_ANCHOR` in ./lexer.ts): without a live instance, V8 may drop a class's
 * shape at a garbage collection and deoptimize every function that embeds it.
 */
export const PARSER_SHAPE_ANCHOR: unknown = new ModuleParser(new Lexer(''), { name: null });
