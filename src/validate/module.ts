// Module validation (spec §3.5 "Modules"): imports, functions, tables, memories, globals,
// tags, element and data segments, start function and exports, in the order of the
// spec's module rule, with the index spaces of ./context.ts and the code checks of
// ./function.ts and ./const-expr.ts.

import { CodeReader, disabledOps } from '../binary/decode-instr.ts';
import { readLocals } from '../binary/decode-sections.ts';
import type { FunctionBody } from '../binary/module-reader.ts';
import { ValidationError } from '../model/errors.ts';
import { ALL_FEATURES } from '../model/features.ts';
import type { FeatureSet } from '../model/features.ts';
import { op } from '../model/opcodes.ts';
import type { Immediate } from '../model/instruction.ts';
import type { Export, Expr, Func, Limits, LocalRun, Module, TableType } from '../model/types.ts';
import { validateConstExpr } from './const-expr.ts';
import { I32, I64, KIND_FUNC } from './codes.ts';
import { ModuleContext } from './context.ts';
import { fail, noteSite, requireFeature, unknown } from './fail.ts';
import { currentBody, followBodies, instructionIndex } from './code.ts';
import { beginFunction, endFunction, validateFunction, validateFunctionBytes } from './function.ts';
import { validateOpFast } from './instructions.ts';
import type { TypeRegistry } from './registry.ts';
import { CodeValidator } from './stack.ts';
import { ModuleTypes } from './types.ts';

export interface ValidateOptions {
  /** Proposals to accept; default ALL_FEATURES (WebAssembly 3.0 plus threads). */
  readonly features?: FeatureSet;
  /**
   * Registry in which the module's recursion groups are canonicalized; share one between
   * modules to compare their types (canonical ids are then equal across modules).
   */
  readonly types?: TypeRegistry;
}

const REF_FUNC = op('ref.func');
const I32_CONST = op('i32.const');
const I64_CONST = op('i64.const');
const MAX_PAGES32 = 0x10000n;
const MAX_PAGES64 = 0x1_0000_0000_0000n;
const MAX_TABLE32 = 0xffff_ffffn;
const MAX_TABLE64 = 0xffff_ffff_ffff_ffffn;

function checkLimits(l: Limits, max: bigint, message: string): void {
  if (l.min > max) fail(message);
  if (l.max !== null) {
    if (l.max > max) fail(message);
    if (l.min > l.max) fail('size minimum must not be greater than maximum');
  }
}

function checkAddress(ctx: ModuleContext, l: Limits, what: string): void {
  if (l.address === 'i64' && !ctx.features.memory64) requireFeature(ctx.features, 'memory64', `a 64-bit ${what}`);
}

function checkMemoryType(ctx: ModuleContext, l: Limits): void {
  checkAddress(ctx, l, 'memory');
  if (l.address === 'i64') checkLimits(l, MAX_PAGES64, 'memory size must be at most 2^48 pages');
  else checkLimits(l, MAX_PAGES32, 'memory size must be at most 65536 pages (4GiB)');
  if (l.shared) {
    requireFeature(ctx.features, 'threads', 'a shared memory');
    if (l.max === null) fail('shared memory must have maximum');
  }
}

function checkTableType(ctx: ModuleContext, t: TableType): void {
  checkAddress(ctx, t.limits, 'table');
  if (t.limits.address === 'i64') checkLimits(t.limits, MAX_TABLE64, 'table size must be at most 2^64-1');
  else checkLimits(t.limits, MAX_TABLE32, 'table size must be at most 2^32-1');
  if (t.limits.shared) fail('tables cannot be shared');
  ctx.types.code(t.element);
}

function checkTag(ctx: ModuleContext, typeIndex: number): number {
  requireFeature(ctx.features, 'exceptions', 'a tag');
  const x = ctx.types.funcType(typeIndex);
  if (ctx.types.n2[x] !== 0) fail('non-empty tag result type');
  return x;
}

/** Validates a module; throws a ValidationError whose message begins with the spec's wording. */
export function validateModule(module: Module, options?: ValidateOptions): void {
  const mv = new ModuleValidator(module, options);
  for (let i = 0; i < module.funcs.length; i++) mv.validateFunction(i);
}

/** Where a function body is: a FunctionBody of ModuleReader, or just these fields. */
export type BodyRange = Pick<FunctionBody, 'defined' | 'start' | 'end'>;

/**
 * A module being validated: the constructor checks everything but the function bodies
 * (types, imports, index spaces, globals, tables, segments, start, exports); bodies are
 * then checked one by one — in any order — from the model (`validateFunction`), straight
 * from the binary (`validateFunctionBody`, the fast path), or streamed from another
 * decoder (`beginFunction`, `op` per instruction, `endFunction`).
 */
export class ModuleValidator {
  readonly module: Module;
  readonly ctx: ModuleContext;
  private readonly v: CodeValidator;
  private reader: CodeReader | null = null;

  constructor(module: Module, options?: ValidateOptions) {
    this.module = module;
    const features = options?.features ?? ALL_FEATURES;
    const ctx = new ModuleContext(module, features, options?.types);
    this.ctx = ctx;
    const v = new CodeValidator(ctx);
    this.v = v;
    checkModule(module, ctx, v);
  }

  /** Validates the body of defined function `defined` (its index among defined functions). */
  validateFunction(defined: number): void {
    const func = this.func(defined);
    try {
      validateFunction(this.v, func);
    } catch (e) {
      throw located(e, `function ${this.ctx.nImportedFuncs + defined}`, this.v.failedAt);
    }
  }

  /**
   * Validates a function body straight from the binary, without building its model:
   * `body` locates it in `bytes` (see ModuleReader.functionBodies; its offsets are
   * positions in `bytes`). Throws a ValidationError whose offset is the failing
   * instruction's, or a DecodeError where the bytes are malformed.
   */
  validateFunctionBody(body: BodyRange, bytes: Uint8Array): void {
    const ctx = this.ctx;
    const x = ctx.nImportedFuncs + body.defined;
    if (!(body.defined >>> 0 === body.defined && x < ctx.nfuncs)) throw new RangeError(`no defined function ${body.defined}`);
    const r = this.codeReader(bytes);
    r.pos = body.start;
    r.end = body.end <= bytes.length ? body.end : bytes.length;
    try {
      validateFunctionBytes(this.v, ctx.funcType[x]!, r);
      if (r.pos !== body.end) r.fail('section size mismatch', body.start);
    } catch (e) {
      throw this.locateBodyError(e, body.defined, body.start, r, bytes);
    }
  }

  /**
   * Validates every body located by `at` (ModuleReader.bodyOffsets: for body i, its
   * start at [3i + 1] and its end at [3i + 2]) in `bytes`, as validateFunctionBody does
   * one by one, with one reader and one handler for them all.
   */
  validateFunctionBodies(at: Int32Array, bytes: Uint8Array): void {
    const ctx = this.ctx;
    const n = at.length / 3;
    if (ctx.nImportedFuncs + n > ctx.nfuncs) throw new RangeError(`no defined function ${ctx.nfuncs - ctx.nImportedFuncs}`);
    const r = this.codeReader(bytes);
    const v = this.v;
    const funcType = ctx.funcType;
    let i = 0;
    try {
      for (; i < n; i++) {
        const start = at[3 * i + 1]!;
        const end = at[3 * i + 2]!;
        r.pos = start;
        // Reads stop at the end of the bytes, should a body claim more (ModuleReader's
        // offsets never do).
        r.end = end <= bytes.length ? end : bytes.length;
        // The fused loop may go on into the next bodies: i is then the last it entered.
        followBodies(at, i, ctx.nImportedFuncs);
        validateFunctionBytes(v, funcType[ctx.nImportedFuncs + i]!, r);
        i = currentBody();
        if (r.pos !== at[3 * i + 2]!) r.fail('section size mismatch', at[3 * i + 1]!);
      }
    } catch (e) {
      i = currentBody();
      throw this.locateBodyError(e, i, at[3 * i + 1]!, r, bytes);
    } finally {
      followBodies(undefined, 0, 0);
    }
  }

  /** The error `e` of the body of defined function `defined`, located as the model path locates it. */
  private locateBodyError(e: unknown, defined: number, start: number, r: CodeReader, bytes: Uint8Array): unknown {
    if (!(e instanceof ValidationError)) return e;
    const where = `function ${this.ctx.nImportedFuncs + defined}`;
    const at = this.v.at;
    if (at < 0) return located(e, where, -1, start);
    // The instruction's index, as the model path gives it.
    r.pos = start;
    r.end = bytes.length;
    readLocals(r);
    return located(e, where, instructionIndex(r, r.pos, at), at);
  }

  private codeReader(bytes: Uint8Array): CodeReader {
    let r = this.reader;
    if (r === null || r.buf !== bytes) {
      r = new CodeReader(bytes);
      const features = this.ctx.features;
      r.disabled = this.ctx.allFeatures ? null : disabledOps(features);
      r.multiMemory = features['multi-memory'];
      this.reader = r;
    }
    return r;
  }

  /** Starts streaming the body of defined function `defined`, whose locals are given. */
  beginFunction(defined: number, locals: readonly LocalRun[]): void {
    beginFunction(this.v, this.func(defined).type, locals);
  }

  /** Validates the next instruction of the streamed body (not its final `end`). */
  op(op: number, imm: Immediate): void {
    validateOpFast(this.v, op, imm);
  }

  /** Ends the streamed body (its final `end`). */
  endFunction(): void {
    endFunction(this.v);
  }

  private func(defined: number): Func {
    const func = this.module.funcs[defined];
    if (func === undefined) throw new RangeError(`no defined function ${defined}`);
    return func;
  }
}

/**
 * Checks everything but the function bodies. An error escaping it is noted with the
 * section and entry it was checking (see noteSite), for a caller that has the bytes.
 */
function checkModule(module: Module, ctx: ModuleContext, v: CodeValidator): void {
  const site = { section: 0, index: -1 };
  try {
    checkEntries(module, ctx, v, site);
  } catch (e) {
    throw noteSite(e, site.section, site.index);
  }
}

/** Where checkModule is: the section (id) and the entry being checked. */
interface Site {
  section: number;
  index: number;
}

/**
 * checkModule's work, in the order of the spec's module rule; `site` follows the section
 * and entry being checked. One small function per part, so that V8 optimizes (and
 * inlines into) each loop on its own.
 */
function checkEntries(module: Module, ctx: ModuleContext, v: CodeValidator, site: Site): void {
  checkImports(module, ctx, site);
  checkDefinitions(module, ctx, site);
  declareReferences(module, ctx);
  checkGlobals(module, ctx, v, site);
  checkTableInits(module, ctx, v, site);
  checkElems(module, ctx, v, site);
  checkDatas(module, ctx, v, site);
  checkStart(module, ctx, site);
  checkExports(module, ctx, site);
}

function checkImports(module: Module, ctx: ModuleContext, site: Site): void {
  const features = ctx.features;
  const types = ctx.types;
  let nf = 0;
  let nt = 0;
  let nm = 0;
  let ng = 0;
  let ntag = 0;
  site.section = 2;
  for (const im of module.imports) {
    site.index++;
    const d = im.desc;
    switch (d.kind) {
      case 'func':
        ctx.setFunc(nf++, types.funcType(d.type));
        break;
      case 'table':
        checkTableType(ctx, d.type);
        ctx.setTable(nt++, d.type);
        break;
      case 'memory':
        checkMemoryType(ctx, d.type.limits);
        ctx.setMemory(nm++, d.type.limits.address);
        break;
      case 'global':
        if (d.type.mutable) requireFeature(features, 'mutable-globals', 'a mutable global import');
        ctx.setGlobal(ng++, types.code(d.type.type), d.type.mutable);
        break;
      case 'tag':
        ctx.setTag(ntag++, checkTag(ctx, d.type.type));
        break;
    }
  }
}

/** The module's own functions, tables, memories and tags (after the imported ones). */
function checkDefinitions(module: Module, ctx: ModuleContext, site: Site): void {
  const features = ctx.features;
  const types = ctx.types;
  at(site, 3);
  const funcs = module.funcs;
  const funcType = ctx.funcType;
  const first = ctx.nImportedFuncs;
  const kind = types.kind;
  const count = types.count;
  const n = funcs.length;
  for (let i = 0; i < n; i++) {
    const x = funcs[i]!.type;
    if (!(x >>> 0 === x && x < count && kind[x] === KIND_FUNC)) {
      site.index = i;
      types.funcType(x); // throws the error
    }
    funcType[first + i] = x;
  }
  at(site, 4);
  let nt = ctx.ntables - module.tables.length;
  for (const t of module.tables) {
    site.index++;
    checkTableType(ctx, t.type);
    ctx.setTable(nt++, t.type);
  }
  at(site, 5);
  let nm = ctx.nmems - module.memories.length;
  for (const m of module.memories) {
    site.index++;
    checkMemoryType(ctx, m.limits);
    ctx.setMemory(nm++, m.limits.address);
  }
  if (ctx.nmems > 1 && !features['multi-memory']) fail('multiple memories');
  at(site, 4);
  if (ctx.ntables > 1 && !features['reference-types']) fail('multiple tables');
  at(site, 13);
  let ntag = ctx.ntags - module.tags.length;
  for (const t of module.tags) {
    site.index++;
    ctx.setTag(ntag++, checkTag(ctx, t.type));
  }
}

/** Functions referenced outside function bodies may be named by ref.func inside them. */
function declareReferences(module: Module, ctx: ModuleContext): void {
  for (const e of module.exports) if (e.kind === 'func') ctx.declare(e.index);
  for (const g of module.globals) ctx.declareIn(g.init, REF_FUNC);
  for (const t of module.tables) if (t.init) ctx.declareIn(t.init, REF_FUNC);
  for (const seg of module.elems) {
    if (seg.init.kind === 'funcs') {
      const indices = seg.init.indices;
      for (let k = 0; k < indices.length; k++) ctx.declare(indices[k]!);
    } else {
      for (const e of seg.init.exprs) ctx.declareIn(e, REF_FUNC);
    }
    if (seg.mode.kind === 'active') ctx.declareIn(seg.mode.offset, REF_FUNC);
  }
  // Most segments share one offset expression (the decoder's for `i32.const`): a run of
  // segments with the same one looks at it once.
  let last: Expr | null = null;
  for (const d of module.datas) {
    if (d.mode.kind === 'active' && d.mode.offset !== last) {
      last = d.mode.offset;
      ctx.declareIn(last, REF_FUNC);
    }
  }
}

/** Globals: each initializer sees the imported globals and (with GC) the earlier ones. */
function checkGlobals(module: Module, ctx: ModuleContext, v: CodeValidator, site: Site): void {
  const gc = ctx.features.gc;
  let ng = ctx.nImportedGlobals;
  at(site, 6);
  for (let i = 0; i < module.globals.length; i++) {
    site.index = i;
    const g = module.globals[i]!;
    const code = ctx.types.code(g.type.type);
    constExpr(v, g.init, code, gc ? ng : ctx.nImportedGlobals, 'global', ng);
    ctx.setGlobal(ng++, code, g.type.mutable);
  }
}

/** The globals a segment's expressions see. */
function visibleGlobals(ctx: ModuleContext): number {
  return ctx.features.gc ? ctx.nglobals : ctx.nImportedGlobals;
}

/** Table initializers (evaluated before the module's globals: they see imported ones). */
function checkTableInits(module: Module, ctx: ModuleContext, v: CodeValidator, site: Site): void {
  at(site, 4);
  for (let i = 0; i < module.tables.length; i++) {
    site.index = i;
    const t = module.tables[i]!;
    const et = ctx.tableElem[ctx.ntables - module.tables.length + i]!;
    if (t.init !== null) constExpr(v, t.init, et, ctx.nImportedGlobals, 'table', ctx.ntables - module.tables.length + i);
    else if (!ModuleTypes.defaultable(et)) fail('type mismatch: a table of non-nullable references needs an initializer');
  }
}

function checkElems(module: Module, ctx: ModuleContext, v: CodeValidator, site: Site): void {
  const features = ctx.features;
  const types = ctx.types;
  const visible = visibleGlobals(ctx);
  at(site, 9);
  for (let i = 0; i < module.elems.length; i++) {
    site.index = i;
    const seg = module.elems[i]!;
    if (seg.mode.kind !== 'active') requireFeature(features, 'bulk-memory', `a ${seg.mode.kind} element segment`);
    const et = types.code(seg.type);
    ctx.setElem(i, et);
    if (seg.init.kind === 'funcs') checkElemFuncs(ctx, seg.init.indices, et);
    else for (const e of seg.init.exprs) constExpr(v, e, et, visible, 'elem segment', i);
    if (seg.mode.kind === 'active') {
      const x = seg.mode.table;
      if (!(x >>> 0 === x && x < ctx.ntables)) unknown('table', x);
      const tt = ctx.tableElem[x]!;
      if (!ctx.reg.valSub(et, tt)) {
        fail(`type mismatch: element segment's type ${types.name(et)} does not match table's element type ${types.name(tt)}`);
      }
      constExpr(v, seg.mode.offset, ctx.tableAddr[x]!, visible, 'elem segment', i);
    }
  }
}

/** The functions of a segment of type `et` (a reference type code). */
function checkElemFuncs(ctx: ModuleContext, indices: readonly number[], et: number): void {
  const types = ctx.types;
  const nfuncs = ctx.nfuncs;
  // (ref null? func) holds every function: only other types need the subtype check.
  const check = !ModuleTypes.anyFunc(et);
  for (let k = 0; k < indices.length; k++) {
    const x = indices[k]!;
    if (!(x >>> 0 === x && x < nfuncs)) unknown('function', x);
    if (check && !ctx.reg.valSub(types.defRef(ctx.funcType[x]!, false), et)) {
      fail(`type mismatch: function ${x} does not match the segment's type ${types.name(et)}`);
    }
  }
}

function checkDatas(module: Module, ctx: ModuleContext, v: CodeValidator, site: Site): void {
  const features = ctx.features;
  const visible = visibleGlobals(ctx);
  at(site, 11);
  for (let i = 0; i < module.datas.length; i++) {
    site.index = i;
    const d = module.datas[i]!;
    if (d.mode.kind === 'passive') requireFeature(features, 'bulk-memory', 'a passive data segment');
    if (d.mode.kind === 'active') {
      const x = d.mode.memory;
      if (!(x >>> 0 === x && x < ctx.nmems)) unknown('memory', x);
      const expect = ctx.memAddr[x]!;
      if (!isAddrConst(d.mode.offset, expect)) constExpr(v, d.mode.offset, expect, visible, 'data segment', i);
    }
  }
}

function checkStart(module: Module, ctx: ModuleContext, site: Site): void {
  at(site, 8);
  if (module.start !== null) {
    const x = module.start;
    if (!(x >>> 0 === x && x < ctx.nfuncs)) unknown('function', x);
    const t = ctx.funcType[x]!;
    if (ctx.types.n1[t] !== 0 || ctx.types.n2[t] !== 0) fail('start function must not have parameters or results');
  }
}

function checkExports(module: Module, ctx: ModuleContext, site: Site): void {
  const features = ctx.features;
  const exports = module.exports;
  const names = new NameTable(exports.length);
  at(site, 7);
  for (let i = 0; i < exports.length; i++) {
    site.index = i;
    const e = exports[i]!;
    switch (e.kind) {
      case 'func':
        if (!(e.index >>> 0 === e.index && e.index < ctx.nfuncs)) unknown('function', e.index);
        break;
      case 'table':
        if (!(e.index >>> 0 === e.index && e.index < ctx.ntables)) unknown('table', e.index);
        break;
      case 'memory':
        if (!(e.index >>> 0 === e.index && e.index < ctx.nmems)) unknown('memory', e.index);
        break;
      case 'global':
        if (!(e.index >>> 0 === e.index && e.index < ctx.nglobals)) unknown('global', e.index);
        if (ctx.globalMut[e.index] && !features['mutable-globals']) {
          requireFeature(features, 'mutable-globals', 'a mutable global export');
        }
        break;
      case 'tag':
        if (!(e.index >>> 0 === e.index && e.index < ctx.ntags)) unknown('tag', e.index);
        break;
    }
    if (!names.add(exports, i)) fail('duplicate export name');
  }
}

/** A reusable table for NameTable (cleared before each use: one check runs at a time). */
let sharedSlots = new Int32Array(256);

/**
 * The export names seen so far, to find the first that repeats. A Set would hash every
 * name in full (each is a fresh string), which costs more than all the other export
 * checks together; this table of export indices is keyed by a hash of the length and a
 * few chars, and a probe compares names in full. Should probes grow long (many names
 * alike in the chars hashed), it goes on with a Set, so the time stays linear.
 */
class NameTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Probes left before falling back to `set`. */
  private budget: number;
  private set: Set<string> | null = null;

  constructor(n: number) {
    let cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > 1 << 16) this.slots = new Int32Array(cap); // not kept once done
    else {
      if (sharedSlots.length < cap) sharedSlots = new Int32Array(cap);
      this.slots = sharedSlots;
      this.slots.fill(0, 0, cap);
    }
    this.mask = cap - 1;
    this.budget = 4 * n + 16;
  }

  /** Adds the name of exports[i] (those before it added already); false when it repeats. */
  add(exports: readonly Export[], i: number): boolean {
    const name = exports[i]!.name;
    if (this.set === null) {
      const slots = this.slots;
      const mask = this.mask;
      let h = nameHash(name) & mask;
      for (let s = slots[h]!; s !== 0; s = slots[h]!) {
        if (exports[s - 1]!.name === name) return false;
        if (--this.budget < 0) break;
        h = (h + 1) & mask;
      }
      if (this.budget >= 0) {
        slots[h] = i + 1;
        return true;
      }
      const set = new Set<string>();
      for (let j = 0; j < i; j++) set.add(exports[j]!.name);
      this.set = set;
    }
    const size = this.set.size;
    this.set.add(name);
    return this.set.size !== size;
  }
}

/** A hash of a string's length and four of its chars. */
function nameHash(s: string): number {
  if (typeof s !== 'string') return 0; // a model built by hand may hold anything
  const n = s.length;
  if (n === 0) return 0;
  let h = Math.imul(n ^ s.charCodeAt(n - 1), 0x9e3779b1);
  h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x85ebca6b);
  h = Math.imul(h ^ s.charCodeAt((3 * n) >> 2), 0xc2b2ae35);
  h ^= s.charCodeAt(n >> 2);
  return h ^ (h >>> 15);
}

/** Moves `site` to section `id`, before its first entry. */
function at(site: Site, id: number): void {
  site.section = id;
  site.index = -1;
}

/**
 * Whether `expr` is the commonest offset, a single `i32.const` (or for a 64-bit address
 * type `i64.const`): valid wherever an offset of type `addr` is. Modules with thousands
 * of data segments (Rust's) spend less time validating them one by one.
 */
function isAddrConst(expr: Expr, addr: number): boolean {
  if (expr.length !== 1) return false;
  const o = expr[0]!.op;
  return (o === I32_CONST && addr === I32) || (o === I64_CONST && addr === I64);
}

/** Validates a constant expression of item `index` of kind `what` (named on an error). */
function constExpr(v: CodeValidator, expr: Expr, expect: number, globals: number, what: string, index: number): void {
  try {
    validateConstExpr(v, expr, expect, globals);
  } catch (e) {
    throw located(e, `${what} ${index}`, v.failedAt);
  }
}

/**
 * Adds where an error happened to its message (the spec's wording stays in front): the
 * item, the index of the instruction when known, and the byte offset when known.
 */
function located(e: unknown, where: string, instr: number, offset = -1): unknown {
  if (!(e instanceof ValidationError)) return e;
  const at = instr >= 0 ? `${where}, instruction ${instr}` : where;
  return new ValidationError(`${e.reason} (in ${at})`, offset >= 0 ? offset : e.offset);
}
