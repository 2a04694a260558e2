// The module generator: random, mostly valid modules of all of WebAssembly 3.0, built
// as a model (src/model/) and typed by the instruction table's `sig` column.
//
// Types come in rec groups (functions, structs with packed fields, arrays, declared
// subtypes); imports, functions, tables (table64 too), memories (memory64, shared),
// globals, tags, element and data segments, exports, a start function and custom
// sections follow. Function bodies are grown top down: a statement leaves the stack as
// it found it, an expression pushes one value of a wanted type, chosen among the
// instructions that can produce it (any fixed-`sig` row whose result fits, plus the
// hand-typed polymorphic ones: locals, globals, calls, blocks, casts, GC allocation…).
// A small share of functions gets an instruction with random immediates at a random
// place, so that the generator also feeds the validator's rejection paths. The
// generator keeps its own simple notion of subtyping (declared supertypes only), which
// is conservative: it never makes a module invalid, it only leaves some valid ones out.

import { INSTRUCTIONS, op, sigOf, type InstrInfo, type SigType } from '../src/model/opcodes.ts';
import type { Catch, Immediate, ImmKind, Instruction, MemArg } from '../src/model/instruction.ts';
import type {
  AbsHeapType,
  CompositeType,
  CustomSection,
  Data,
  Elem,
  Export,
  Expr,
  FieldType,
  Func,
  Global,
  GlobalType,
  HeapType,
  Import,
  Limits,
  LocalRun,
  MemoryType,
  Module,
  Names,
  RecGroup,
  RefType,
  StorageType,
  SubType,
  Table,
  TableType,
  ValType,
} from '../src/model/types.ts';
import { emptyNames } from '../src/model/types.ts';
import { Rng } from './rng.ts';

// ---------------------------------------------------------------------------------------
// The instruction table, indexed for generation.

const I = (name: string, imm: Immediate = null): Instruction => ({ op: op(name), imm });

interface SigRow {
  readonly op: number;
  readonly info: InstrInfo;
  readonly params: readonly SigType[];
  readonly results: readonly SigType[];
}

/** Fixed-signature rows by what they produce: 'i32' … 'v128', 'addr', or 'void'. */
const PRODUCERS = new Map<string, SigRow[]>();
for (let o = 0; o < INSTRUCTIONS.length; o++) {
  const sig = sigOf(o);
  if (sig === null || sig.results.length > 1) continue;
  const info = INSTRUCTIONS[o]!;
  const r = sig.results[0];
  const k = r === undefined ? 'void' : typeof r === 'string' ? r : 'ref';
  if (k === 'ref') continue;
  let list = PRODUCERS.get(k);
  if (list === undefined) PRODUCERS.set(k, (list = []));
  list.push({ op: o, info, params: sig.params, results: sig.results });
}

const ABS_HEAPS: readonly AbsHeapType[] = [
  'func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn',
];

/** Lanes of an instruction's shape, from its name (`i16x8.…` → 8); 16 by default. */
function laneCount(info: InstrInfo): number {
  const m = /^(?:i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)/.exec(info.name);
  if (m !== null) return Number(m[0].slice(m[0].indexOf('x') + 1));
  const lane = /load(\d+)_lane|store(\d+)_lane/.exec(info.name);
  if (lane !== null) return 128 / Number(lane[1] ?? lane[2]);
  return 16;
}

// ---------------------------------------------------------------------------------------
// Types and subtyping as the generator knows them.

type Hier = 'any' | 'func' | 'extern' | 'exn';

const ref = (nullable: boolean, heap: HeapType): RefType => ({ kind: 'ref', nullable, heap });

function isDefaultable(t: ValType): boolean {
  return typeof t === 'string' || t.nullable;
}

function unpacked(s: StorageType): ValType {
  return s === 'i8' || s === 'i16' ? 'i32' : s;
}

interface Label {
  /** What a branch to the label carries. */
  readonly types: readonly ValType[];
}

interface LocalInfo {
  readonly type: ValType;
}

interface FuncCtx {
  readonly locals: LocalInfo[];
  readonly results: readonly ValType[];
  readonly labels: Label[];
  out: Instruction[];
  budget: number;
}

/** Builds one module; see the file comment. */
class Generator {
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

  // --- code ----------------------------------------------------------------------------

  /** Appends an expression pushing one value of type `t`. */
  expr(f: FuncCtx, t: ValType, depth: number): void {
    const r = this.rng;
    f.budget--;
    const deep = depth > 6 || f.budget <= 0;
    if (typeof t === 'string') {
      if (deep || r.chance(0.25)) {
        const locals = this.localsOf(f, t);
        if (locals.length > 0 && r.chance(0.5)) f.out.push(I('local.get', r.pick(locals)));
        else f.out.push(this.constOf(t));
        return;
      }
      switch (r.weighted([10, 2, 1, 1, 1, 1, 1, 1, 1, t === 'i32' ? 2 : 0])) {
        case 0: return this.sigExpr(f, t, depth);
        case 1: {
          const locals = this.localsOf(f, t);
          if (locals.length > 0) {
            const x = r.pick(locals);
            if (r.chance(0.3)) {
              this.expr(f, t, depth + 1);
              f.out.push(I('local.tee', x));
            } else f.out.push(I('local.get', x));
            return;
          }
          break;
        }
        case 2: {
          const gs: number[] = [];
          for (let g = 0; g < this.globals.length; g++) if (this.subVal(this.globals[g]!.type, t)) gs.push(g);
          if (gs.length > 0) {
            f.out.push(I('global.get', r.pick(gs)));
            return;
          }
          break;
        }
        case 3: return this.blockExpr(f, t, depth);
        case 4: return this.ifExpr(f, t, depth);
        case 5: {
          this.expr(f, t, depth + 1);
          this.expr(f, t, depth + 1);
          this.expr(f, 'i32', depth + 1);
          f.out.push(I('select', r.chance(0.3) ? [t] : null));
          return;
        }
        case 6: if (this.callExpr(f, t, depth)) return; break;
        case 7: if (this.getExpr(f, t, depth)) return; break;
        case 8: if (this.tableSizeExpr(f, t, depth)) return; break;
        case 9: if (this.refTestExpr(f, depth)) return; break;
      }
      f.out.push(this.constOf(t));
      return;
    }
    this.refExpr(f, t, depth, deep);
  }

  localsOf(f: FuncCtx, t: ValType): number[] {
    const out: number[] = [];
    for (let i = 0; i < f.locals.length; i++) if (this.subVal(f.locals[i]!.type, t)) out.push(i);
    return out;
  }

  /** An instruction with a fixed signature producing `t`, its operands first. */
  sigExpr(f: FuncCtx, t: 'i32' | 'i64' | 'f32' | 'f64' | 'v128', depth: number): void {
    const r = this.rng;
    const direct = PRODUCERS.get(t)!;
    const addr = this.memories.some((m) => m.address === t) ? PRODUCERS.get('addr')! : [];
    const row = addr.length > 0 && r.chance(0.05) ? r.pick(addr) : r.pick(direct);
    this.sigRow(f, row, depth, t);
  }

  /** Emits operands then the instruction of `row`; falls back to a constant of `want`. */
  sigRow(f: FuncCtx, row: SigRow, depth: number, want: ValType | null): void {
    const r = this.rng;
    const { params, info } = row;
    let memory = -1;
    const usesAddr = params.includes('addr') || row.results.includes('addr');
    if (usesAddr || info.imm === 'memarg' || info.imm === 'memarg_lane' || info.imm === 'memory' || info.imm === 'memory_init') {
      const candidates: number[] = [];
      for (let i = 0; i < this.memories.length; i++) {
        if (want === null || !row.results.includes('addr') || this.memories[i]!.address === want) candidates.push(i);
      }
      if (candidates.length === 0) return this.fallback(f, want);
      memory = r.pick(candidates);
    }
    if ((info.imm === 'memory_init' || info.imm === 'data') && this.nDatas === 0) return this.fallback(f, want);
    if (info.imm === 'elem' && this.nElems === 0) return this.fallback(f, want);
    const address = memory >= 0 ? this.memories[memory]!.address : 'i32';
    for (const p of params) this.expr(f, p === 'addr' ? address : p, depth + 1);
    f.out.push({ op: row.op, imm: this.sigImm(info, memory) });
  }

  fallback(f: FuncCtx, want: ValType | null): void {
    if (want === null) f.out.push(I('nop'));
    else if (typeof want === 'string') f.out.push(this.constOf(want));
    else f.out.push(I('ref.null', want.heap));
  }

  memarg(info: InstrInfo, memory: number): MemArg {
    const r = this.rng;
    const atomic = info.prefix === 0xfe;
    const align = atomic || r.chance(0.6) ? info.natural : r.int(info.natural + 1);
    const big = this.memories[memory]!.address === 'i64';
    const offset = r.chance(0.7) ? BigInt(r.small(64)) : big ? BigInt.asUintN(64, r.i64()) : BigInt(r.u32());
    return { align, offset, memory };
  }

  sigImm(info: InstrInfo, memory: number): Immediate {
    const r = this.rng;
    switch (info.imm) {
      case 'none': case 'atomic_fence': return null;
      case 'memarg': return this.memarg(info, memory);
      case 'memarg_lane': return { memarg: this.memarg(info, memory), lane: r.int(laneCount(info)) };
      case 'lane': return r.int(laneCount(info));
      case 'shuffle': {
        const s = new Uint8Array(16);
        for (let i = 0; i < 16; i++) s[i] = r.int(32);
        return s;
      }
      case 'memory': return memory;
      case 'memory_init': return { data: r.int(this.nDatas), memory };
      case 'data': return r.int(this.nDatas);
      case 'elem': return r.int(this.nElems);
      case 'i32': case 'i64': case 'f32': case 'f64': case 'v128':
        return this.constOf(info.imm).imm;
      default:
        throw new Error(`generator: no immediate for ${info.name} (${info.imm})`);
    }
  }

  blockExpr(f: FuncCtx, t: ValType, depth: number): void {
    f.out.push(I('block', t));
    f.labels.push({ types: [t] });
    this.stmts(f, depth + 1, 2);
    if (this.rng.chance(0.2) && f.budget > 0) {
      this.expr(f, t, depth + 1);
      this.expr(f, 'i32', depth + 1);
      f.out.push(I('br_if', 0));
      f.out.push(I('drop'));
    }
    this.expr(f, t, depth + 1);
    f.labels.pop();
    f.out.push(I('end'));
  }

  ifExpr(f: FuncCtx, t: ValType, depth: number): void {
    this.expr(f, 'i32', depth + 1);
    f.out.push(I('if', t));
    f.labels.push({ types: [t] });
    this.expr(f, t, depth + 1);
    f.out.push(I('else'));
    this.expr(f, t, depth + 1);
    f.labels.pop();
    f.out.push(I('end'));
  }

  callExpr(f: FuncCtx, t: ValType, depth: number): boolean {
    const r = this.rng;
    const fs: number[] = [];
    for (let i = 0; i < this.funcTypes.length; i++) {
      const c = this.types[this.funcTypes[i]!]!.composite;
      if (c.kind === 'func' && c.results.length === 1 && this.subVal(c.results[0]!, t)) fs.push(i);
    }
    if (fs.length === 0) return false;
    const callee = r.pick(fs);
    const type = this.funcTypes[callee]!;
    const c = this.types[type]!.composite;
    if (c.kind !== 'func') return false;
    for (const p of c.params) this.expr(f, p, depth + 1);
    const tables = this.tables.map((tt, i) => (this.subVal(tt.element, ref(true, 'func')) ? i : -1)).filter((i) => i >= 0);
    switch (r.int(3)) {
      case 1:
        if (tables.length > 0) {
          const table = r.pick(tables);
          this.expr(f, this.tables[table]!.limits.address, depth + 1);
          f.out.push(I('call_indirect', { type, table }));
          return true;
        }
        break;
      case 2:
        this.referenced.add(callee);
        f.out.push(I('ref.func', callee));
        f.out.push(I('call_ref', type));
        return true;
    }
    f.out.push(I('call', callee));
    return true;
  }

  /** struct.get / array.get producing `t`. */
  getExpr(f: FuncCtx, t: ValType, depth: number): boolean {
    const r = this.rng;
    const options: (() => void)[] = [];
    for (let s = 0; s < this.types.length; s++) {
      const c = this.types[s]!.composite;
      if (c.kind === 'struct') {
        c.fields.forEach((fld, i) => {
          if (!this.subVal(unpacked(fld.storage), t)) return;
          const packed = fld.storage === 'i8' || fld.storage === 'i16';
          options.push(() => {
            this.expr(f, ref(r.chance(0.5), s), depth + 1);
            f.out.push(I(packed ? r.pick(['struct.get_s', 'struct.get_u']) : 'struct.get', { type: s, field: i }));
          });
        });
      } else if (c.kind === 'array' && this.subVal(unpacked(c.element.storage), t)) {
        const packed = c.element.storage === 'i8' || c.element.storage === 'i16';
        options.push(() => {
          this.expr(f, ref(r.chance(0.5), s), depth + 1);
          this.expr(f, 'i32', depth + 1);
          f.out.push(I(packed ? r.pick(['array.get_s', 'array.get_u']) : 'array.get', s));
        });
      }
    }
    if (t === 'i32') {
      options.push(() => {
        const arrays: HeapType[] = this.kindIndices('array');
        this.expr(f, ref(true, r.chance(0.5) || arrays.length === 0 ? 'array' : r.pick(arrays)), depth + 1);
        f.out.push(I('array.len'));
      });
    }
    if (options.length === 0) return false;
    r.pick(options)();
    return true;
  }

  tableSizeExpr(f: FuncCtx, t: ValType, depth: number): boolean {
    const r = this.rng;
    const ts: number[] = [];
    for (let i = 0; i < this.tables.length; i++) if (this.tables[i]!.limits.address === t) ts.push(i);
    if (ts.length === 0) return false;
    const x = r.pick(ts);
    if (r.chance(0.5)) f.out.push(I('table.size', x));
    else {
      const el = this.tables[x]!.element;
      this.expr(f, el, depth + 1);
      this.expr(f, t, depth + 1);
      f.out.push(I('table.grow', x));
    }
    return true;
  }

  /** ref.test, ref.is_null or ref.eq: an i32 from references. */
  refTestExpr(f: FuncCtx, depth: number): boolean {
    const r = this.rng;
    switch (r.int(3)) {
      case 0: {
        const h = this.heapType();
        this.expr(f, ref(true, this.topOf(h)), depth + 1);
        f.out.push(I('ref.test', ref(r.chance(0.5), h)));
        return true;
      }
      case 1:
        this.expr(f, this.refType(), depth + 1);
        f.out.push(I('ref.is_null'));
        return true;
      default:
        this.expr(f, ref(true, 'eq'), depth + 1);
        this.expr(f, ref(true, 'eq'), depth + 1);
        f.out.push(I('ref.eq'));
        return true;
    }
  }

  refExpr(f: FuncCtx, t: RefType, depth: number, deep: boolean): void {
    const r = this.rng;
    const h = t.heap;
    const options: (() => void)[] = [];
    const push = (w: number, fn: () => void) => {
      for (let i = 0; i < w; i++) options.push(fn);
    };
    if (t.nullable) push(3, () => f.out.push(I('ref.null', r.chance(0.6) ? h : this.bottomOf(h))));
    const locals = this.localsOf(f, t);
    if (locals.length > 0) push(3, () => f.out.push(I('local.get', r.pick(locals))));
    const gs: number[] = [];
    for (let g = 0; g < this.globals.length; g++) if (this.subVal(this.globals[g]!.type, t)) gs.push(g);
    if (gs.length > 0) push(1, () => f.out.push(I('global.get', r.pick(gs))));
    const funcs = this.funcsOfType(h);
    if (funcs.length > 0) {
      push(2, () => {
        const fn = r.pick(funcs);
        this.referenced.add(fn);
        f.out.push(I('ref.func', fn));
      });
    }
    if (this.subHeap('i31', h)) {
      push(2, () => {
        this.expr(f, 'i32', depth + 1);
        f.out.push(I('ref.i31'));
      });
    }
    if (!deep) {
      for (const s of this.kindIndices('struct')) {
        if (!this.subHeap(s, h)) continue;
        const c = this.types[s]!.composite;
        if (c.kind !== 'struct') continue;
        push(1, () => {
          if (c.fields.every((fl) => isDefaultable(unpacked(fl.storage))) && r.chance(0.4)) {
            f.out.push(I('struct.new_default', s));
            return;
          }
          for (const fl of c.fields) this.expr(f, unpacked(fl.storage), depth + 1);
          f.out.push(I('struct.new', s));
        });
      }
      for (const a of this.kindIndices('array')) {
        if (!this.subHeap(a, h)) continue;
        const c = this.types[a]!.composite;
        if (c.kind !== 'array') continue;
        const el = unpacked(c.element.storage);
        push(1, () => {
          const how = r.int(3);
          if (how === 0 && isDefaultable(el)) {
            this.expr(f, 'i32', depth + 1);
            f.out.push(I('array.new_default', a));
          } else if (how <= 1) {
            const n = r.small(4);
            for (let i = 0; i < n; i++) this.expr(f, el, depth + 1);
            f.out.push(I('array.new_fixed', { type: a, length: n }));
          } else {
            this.expr(f, el, depth + 1);
            this.expr(f, 'i32', depth + 1);
            f.out.push(I('array.new', a));
          }
        });
      }
      if (!t.nullable) {
        push(1, () => {
          this.expr(f, ref(true, h), depth + 1);
          f.out.push(I('ref.as_non_null'));
        });
      }
      const hier = this.hierOf(h);
      if (hier === 'any' || hier === 'func' || hier === 'extern') {
        // ref.cast from the top of the hierarchy down to `t`.
        push(1, () => {
          this.expr(f, ref(true, hier), depth + 1);
          f.out.push(I('ref.cast', t));
        });
        push(1, () => this.brOnCastExpr(f, t, depth));
      }
      if ((h === 'any' || h === 'extern')) {
        push(1, () => {
          this.expr(f, ref(t.nullable, h === 'any' ? 'extern' : 'any'), depth + 1);
          f.out.push(I(h === 'any' ? 'any.convert_extern' : 'extern.convert_any'));
        });
      }
      push(1, () => this.blockExpr(f, t, depth));
      push(1, () => this.ifExpr(f, t, depth));
      push(1, () => {
        if (!this.callExpr(f, t, depth)) this.refExpr(f, t, depth + 1, true);
      });
      const tables: number[] = [];
      for (let i = 0; i < this.tables.length; i++) if (this.subVal(this.tables[i]!.element, t)) tables.push(i);
      if (tables.length > 0) {
        push(1, () => {
          const x = r.pick(tables);
          this.expr(f, this.tables[x]!.limits.address, depth + 1);
          f.out.push(I('table.get', x));
        });
      }
      push(1, () => {
        if (!this.getExpr(f, t, depth)) this.refExpr(f, t, depth + 1, true);
      });
    }
    if (options.length === 0) {
      // Nothing can make this type here: code after `unreachable` is polymorphic.
      f.out.push(I('unreachable'));
      return;
    }
    r.pick(options)();
  }

  /** `block (result t) (top) br_on_cast 0 top t; drop; t end`, or the _fail form. */
  brOnCastExpr(f: FuncCtx, t: RefType, depth: number): void {
    const top = ref(true, this.topOf(t.heap));
    if (this.rng.chance(0.5)) {
      f.out.push(I('block', t));
      f.labels.push({ types: [t] });
      this.expr(f, top, depth + 1);
      f.out.push(I('br_on_cast', { label: 0, from: top, to: t }));
      f.out.push(I('drop'));
      this.expr(f, t, depth + 1);
    } else {
      f.out.push(I('block', top));
      f.labels.push({ types: [top] });
      this.expr(f, top, depth + 1);
      f.out.push(I('br_on_cast_fail', { label: 0, from: top, to: t }));
      f.out.push(I('drop'));
      this.expr(f, top, depth + 1);
      f.labels.pop();
      f.out.push(I('end'));
      f.out.push(I('ref.cast', t));
      return;
    }
    f.labels.pop();
    f.out.push(I('end'));
  }

  /** Statements leaving the stack as they found it. */
  stmts(f: FuncCtx, depth: number, max: number): void {
    const n = this.rng.small(max + 1);
    for (let i = 0; i < n && f.budget > 0; i++) this.stmt(f, depth);
  }

  /** Labels (as branch depths) whose branches carry nothing. */
  voidLabels(f: FuncCtx): number[] {
    const out: number[] = [];
    for (let d = 0; d < f.labels.length; d++) if (f.labels[f.labels.length - 1 - d]!.types.length === 0) out.push(d);
    return out;
  }

  stmt(f: FuncCtx, depth: number): void {
    const r = this.rng;
    f.budget--;
    if (depth > 6) {
      this.expr(f, this.valType(), depth + 1);
      f.out.push(I('drop'));
      return;
    }
    switch (r.weighted([4, 3, 1, 4, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1])) {
      case 0:
        this.expr(f, this.valType(), depth + 1);
        f.out.push(I('drop'));
        return;
      case 1: {
        if (f.locals.length === 0) break;
        const x = r.int(f.locals.length);
        this.expr(f, f.locals[x]!.type, depth + 1);
        f.out.push(I('local.set', x));
        return;
      }
      case 2: {
        const gs: number[] = [];
        for (let g = 0; g < this.globals.length; g++) if (this.globals[g]!.mutable) gs.push(g);
        if (gs.length === 0) break;
        const g = r.pick(gs);
        this.expr(f, this.globals[g]!.type, depth + 1);
        f.out.push(I('global.set', g));
        return;
      }
      case 3:
        this.sigRow(f, r.pick(PRODUCERS.get('void')!), depth, null);
        return;
      case 4:
      case 5: {
        const loop = r.chance(0.4);
        f.out.push(I(loop ? 'loop' : 'block', null));
        f.labels.push({ types: [] });
        this.stmts(f, depth + 1, 3);
        if (r.chance(0.3)) this.branch(f, depth);
        f.labels.pop();
        f.out.push(I('end'));
        return;
      }
      case 6: {
        this.expr(f, 'i32', depth + 1);
        f.out.push(I('if', null));
        f.labels.push({ types: [] });
        this.stmts(f, depth + 1, 3);
        if (r.chance(0.5)) {
          f.out.push(I('else'));
          this.stmts(f, depth + 1, 3);
        }
        f.labels.pop();
        f.out.push(I('end'));
        return;
      }
      case 7: {
        // br_if to a label that takes nothing.
        const ls = this.voidLabels(f);
        if (ls.length === 0) break;
        this.expr(f, 'i32', depth + 1);
        f.out.push(I('br_if', r.pick(ls)));
        return;
      }
      case 8: {
        const t = this.valType();
        this.expr(f, t, depth + 1);
        f.out.push(I('drop'));
        return;
      }
      case 9: return this.tryStmt(f, depth);
      case 10: return this.tableStmt(f, depth);
      case 11: return this.gcStmt(f, depth);
      case 12: {
        // A block ending in a branch, throw or return: the code after it is unreachable.
        f.out.push(I('block', null));
        f.labels.push({ types: [] });
        this.stmts(f, depth + 1, 2);
        this.branch(f, depth);
        f.labels.pop();
        f.out.push(I('end'));
        return;
      }
      case 13: {
        if (this.memories.length === 0) break;
        const dst = r.int(this.memories.length);
        const src = r.int(this.memories.length);
        const da = this.memories[dst]!.address;
        const sa = this.memories[src]!.address;
        this.expr(f, da, depth + 1);
        this.expr(f, sa, depth + 1);
        this.expr(f, da === 'i64' && sa === 'i64' ? 'i64' : 'i32', depth + 1);
        f.out.push(I('memory.copy', { dst, src }));
        return;
      }
    }
    f.out.push(I('nop'));
  }

  /** A statement that does not fall through: br, br_table, return, throw, unreachable. */
  branch(f: FuncCtx, depth: number): void {
    const r = this.rng;
    const ls = this.voidLabels(f);
    switch (r.int(5)) {
      case 0:
        if (ls.length > 0) {
          f.out.push(I('br', r.pick(ls)));
          return;
        }
        break;
      case 1:
        if (ls.length > 0) {
          this.expr(f, 'i32', depth + 1);
          const n = r.small(5);
          const targets: number[] = [];
          for (let i = 0; i < n; i++) targets.push(r.pick(ls));
          f.out.push(I('br_table', { targets, default: r.pick(ls) }));
          return;
        }
        break;
      case 2:
        for (const t of f.results) this.expr(f, t, depth + 1);
        f.out.push(I('return'));
        return;
      case 3:
        if (this.tagTypes.length > 0) {
          const tag = r.int(this.tagTypes.length);
          const c = this.types[this.tagTypes[tag]!]!.composite;
          if (c.kind === 'func') {
            for (const p of c.params) this.expr(f, p, depth + 1);
            f.out.push(I('throw', tag));
            return;
          }
        }
        break;
    }
    f.out.push(I('unreachable'));
  }

  tryStmt(f: FuncCtx, depth: number): void {
    const r = this.rng;
    if (r.chance(0.5)) {
      // block { try_table (catch_all 0 | catch_all_ref…) stmts end }
      const ref_ = r.chance(0.3);
      const exn = ref(true, 'exn');
      f.out.push(I('block', ref_ ? exn : null));
      f.labels.push({ types: ref_ ? [exn] : [] });
      const catches: Catch[] = [{ kind: ref_ ? 'catch_all_ref' : 'catch_all', tag: null, label: 0 }];
      f.out.push(I('try_table', { type: null, catches }));
      f.labels.push({ types: [] });
      this.stmts(f, depth + 1, 3);
      f.labels.pop();
      f.out.push(I('end'));
      if (ref_) {
        // Falling through needs an exnref too; a null one will do.
        f.out.push(I('ref.null', 'exn'));
      }
      f.labels.pop();
      f.out.push(I('end'));
      if (ref_) {
        if (r.chance(0.3)) f.out.push(I('throw_ref'));
        else f.out.push(I('drop'));
      }
      return;
    }
    // Legacy: try stmts (catch tag drop* | catch_all) stmts end
    f.out.push(I('try', null));
    f.labels.push({ types: [] });
    this.stmts(f, depth + 1, 2);
    if (this.tagTypes.length > 0 && r.chance(0.6)) {
      const tag = r.int(this.tagTypes.length);
      f.out.push(I('catch', tag));
      const c = this.types[this.tagTypes[tag]!]!.composite;
      if (c.kind === 'func') for (let i = 0; i < c.params.length; i++) f.out.push(I('drop'));
    } else f.out.push(I('catch_all'));
    this.stmts(f, depth + 1, 2);
    if (r.chance(0.2)) f.out.push(I('rethrow', 0));
    f.labels.pop();
    f.out.push(I('end'));
  }

  tableStmt(f: FuncCtx, depth: number): void {
    const r = this.rng;
    if (this.tables.length === 0) {
      f.out.push(I('nop'));
      return;
    }
    const x = r.int(this.tables.length);
    const tt = this.tables[x]!;
    const a = tt.limits.address;
    switch (r.int(4)) {
      case 0:
        this.expr(f, a, depth + 1);
        this.expr(f, tt.element, depth + 1);
        f.out.push(I('table.set', x));
        return;
      case 1:
        this.expr(f, a, depth + 1);
        this.expr(f, tt.element, depth + 1);
        this.expr(f, a, depth + 1);
        f.out.push(I('table.fill', x));
        return;
      case 2: {
        const y = r.int(this.tables.length);
        const b = this.tables[y]!.limits.address;
        if (!this.subVal(this.tables[y]!.element, tt.element)) break;
        this.expr(f, a, depth + 1);
        this.expr(f, b, depth + 1);
        this.expr(f, a === 'i64' && b === 'i64' ? 'i64' : 'i32', depth + 1);
        f.out.push(I('table.copy', { dst: x, src: y }));
        return;
      }
      default: {
        const es: number[] = [];
        for (let e = 0; e < this.nElems; e++) if (this.subVal(this.elemTypes[e]!, tt.element)) es.push(e);
        if (es.length === 0) break;
        this.expr(f, a, depth + 1);
        this.expr(f, 'i32', depth + 1);
        this.expr(f, 'i32', depth + 1);
        f.out.push(I('table.init', { elem: r.pick(es), table: x }));
        return;
      }
    }
    f.out.push(I('nop'));
  }

  gcStmt(f: FuncCtx, depth: number): void {
    const r = this.rng;
    const options: (() => void)[] = [];
    for (let s = 0; s < this.types.length; s++) {
      const c = this.types[s]!.composite;
      if (c.kind === 'struct') {
        c.fields.forEach((fl, i) => {
          if (!fl.mutable) return;
          options.push(() => {
            this.expr(f, ref(true, s), depth + 1);
            this.expr(f, unpacked(fl.storage), depth + 1);
            f.out.push(I('struct.set', { type: s, field: i }));
          });
        });
      } else if (c.kind === 'array' && c.element.mutable) {
        const el = unpacked(c.element.storage);
        options.push(() => {
          this.expr(f, ref(true, s), depth + 1);
          this.expr(f, 'i32', depth + 1);
          this.expr(f, el, depth + 1);
          f.out.push(I('array.set', s));
        });
        options.push(() => {
          this.expr(f, ref(true, s), depth + 1);
          this.expr(f, 'i32', depth + 1);
          this.expr(f, el, depth + 1);
          this.expr(f, 'i32', depth + 1);
          f.out.push(I('array.fill', s));
        });
        if (typeof el === 'string' && this.nDatas > 0) {
          options.push(() => {
            this.expr(f, ref(true, s), depth + 1);
            for (let i = 0; i < 3; i++) this.expr(f, 'i32', depth + 1);
            f.out.push(I('array.init_data', { type: s, data: r.int(this.nDatas) }));
          });
        }
      }
    }
    if (options.length === 0) {
      f.out.push(I('nop'));
      return;
    }
    r.pick(options)();
  }

  /** An instruction with random immediates, typed or not: feeds the rejection paths. */
  chaos(): Instruction {
    const r = this.rng;
    for (;;) {
      const o = r.int(INSTRUCTIONS.length);
      const info = INSTRUCTIONS[o]!;
      const imm = this.randomImm(info.imm, info);
      if (imm !== undefined) return { op: o, imm };
    }
  }

  index(n: number): number {
    const r = this.rng;
    return r.chance(0.8) && n > 0 ? r.int(n) : r.small(n + 3);
  }

  /** A random immediate of `kind` with indices mostly in range; undefined to skip. */
  randomImm(kind: ImmKind, info: InstrInfo): Immediate | undefined {
    const r = this.rng;
    const nt = this.types.length;
    switch (kind) {
      case 'none': case 'atomic_fence': return null;
      case 'block': return r.chance(0.5) ? null : r.chance(0.5) ? this.valType() : this.index(nt);
      case 'try_table': return undefined;
      case 'label': return r.small(4);
      case 'br_table': return { targets: [r.small(3)], default: r.small(3) };
      case 'br_on_cast': return { label: r.small(3), from: this.refType(), to: this.refType() };
      case 'func': return this.index(this.funcTypes.length);
      case 'call_indirect': return { type: this.index(nt), table: this.index(this.tables.length) };
      case 'type': return this.index(nt);
      case 'local': return r.small(6);
      case 'global': return this.index(this.globals.length);
      case 'table': return this.index(this.tables.length);
      case 'memory': return this.index(this.memories.length);
      case 'tag': return this.index(this.tagTypes.length);
      case 'elem': return this.index(this.nElems);
      case 'data': return this.index(this.nDatas);
      case 'table_init': return { elem: this.index(this.nElems), table: this.index(this.tables.length) };
      case 'table_copy': return { dst: this.index(this.tables.length), src: this.index(this.tables.length) };
      case 'memory_init': return { data: this.index(this.nDatas), memory: this.index(this.memories.length) };
      case 'memory_copy': return { dst: this.index(this.memories.length), src: this.index(this.memories.length) };
      case 'memarg': {
        const m = this.index(this.memories.length);
        const natural = Math.max(0, info.natural);
        return { align: r.chance(0.8) ? natural : r.small(natural + 3), offset: BigInt(r.small(70000)), memory: m };
      }
      case 'memarg_lane':
        return { memarg: { align: Math.max(0, info.natural), offset: 0n, memory: this.index(this.memories.length) }, lane: r.small(20) };
      case 'lane': return r.small(20);
      case 'shuffle': return r.bytes(16).map((b) => b & 31);
      case 'i32': case 'i64': case 'f32': case 'f64': case 'v128': return this.constOf(kind).imm;
      case 'select': return r.chance(0.5) ? null : [this.valType()];
      case 'heap_type': return this.heapType();
      case 'ref_type': return this.refType();
      case 'struct_field': return { type: this.index(nt), field: r.small(4) };
      case 'array_fixed': return { type: this.index(nt), length: r.small(3) };
      case 'array_data': return { type: this.index(nt), data: this.index(this.nDatas) };
      case 'array_elem': return { type: this.index(nt), elem: this.index(this.nElems) };
      case 'array_copy': return { dst: this.index(nt), src: this.index(nt) };
    }
  }

  funcBody(type: number): { locals: LocalRun[]; body: Expr } {
    const r = this.rng;
    const c = this.types[type]!.composite;
    if (c.kind !== 'func') throw new Error('generator: not a function type');
    const locals: LocalRun[] = [];
    const infos: LocalInfo[] = c.params.map((p) => ({ type: p }));
    for (let i = r.small(4); i > 0; i--) {
      let t = this.valType();
      if (!isDefaultable(t)) t = ref(true, (t as RefType).heap);
      const count = r.chance(0.9) ? 1 : r.small(4);
      locals.push({ count, type: t });
      for (let k = 0; k < count; k++) infos.push({ type: t });
    }
    const f: FuncCtx = { locals: infos, results: c.results, labels: [{ types: c.results }], out: [], budget: r.range(4, 60) };
    this.stmts(f, 0, 6);
    for (const t of c.results) this.expr(f, t, 0);
    if (r.chance(0.12)) {
      const at = r.int(f.out.length + 1);
      f.out.splice(at, r.chance(0.3) ? 1 : 0, this.chaos());
    }
    return { locals, body: f.out };
  }

  // --- the module ----------------------------------------------------------------------

  module(): Module {
    const r = this.rng;
    this.genTypes();
    const funcTypes = this.funcTypeIndices();

    // Imports.
    const imports: Import[] = [];
    for (let i = r.small(4); i > 0; i--) {
      const name = `i${imports.length}`;
      switch (r.int(5)) {
        case 0: {
          const type = r.pick(funcTypes);
          imports.push({ module: 'm', name, desc: { kind: 'func', type } });
          this.funcTypes.push(type);
          break;
        }
        case 1: {
          const type = this.tableType();
          imports.push({ module: 'm', name, desc: { kind: 'table', type } });
          this.tables.push(type);
          break;
        }
        case 2: {
          const limits = this.memoryLimits();
          imports.push({ module: 'm', name, desc: { kind: 'memory', type: { limits } } });
          this.memories.push(limits);
          break;
        }
        case 3: {
          const type: GlobalType = { type: this.valType(), mutable: r.chance(0.3) };
          imports.push({ module: 'm', name, desc: { kind: 'global', type } });
          this.globals.push(type);
          this.nImportedGlobals++;
          break;
        }
        default: {
          const type = this.tagType();
          imports.push({ module: 'm', name, desc: { kind: 'tag', type: { type } } });
          this.tagTypes.push(type);
        }
      }
    }
    // Defined functions (bodies come last, when everything they can use is known).
    const nFuncs = r.small(6);
    const definedTypes: number[] = [];
    for (let i = 0; i < nFuncs; i++) {
      const type = r.pick(funcTypes);
      definedTypes.push(type);
      this.funcTypes.push(type);
    }
    // Tables.
    const tables: Table[] = [];
    for (let i = r.small(3); i > 0; i--) {
      const type = this.tableType();
      const t = type.element;
      let init: Expr | null = null;
      let element = t;
      if (!t.nullable || r.chance(0.2)) {
        element = this.constable(t, this.nImportedGlobals) as RefType;
        init = this.constExpr(element, this.nImportedGlobals);
      }
      const tt: TableType = { ...type, element };
      tables.push({ type: tt, init });
      this.tables.push(tt);
    }
    // Memories.
    const memories: MemoryType[] = [];
    for (let i = r.small(3); i > 0; i--) {
      const limits = this.memoryLimits();
      memories.push({ limits });
      this.memories.push(limits);
    }
    // Tags.
    const tags: number[] = [];
    for (let i = r.small(3); i > 0; i--) {
      const type = this.tagType();
      tags.push(type);
      this.tagTypes.push(type);
    }
    // Globals.
    const globals: Global[] = [];
    for (let i = r.small(4); i > 0; i--) {
      const visible = this.globals.length;
      const t = this.constable(this.valType(), visible);
      const init = this.constExpr(t, visible) ?? [I('ref.null', (t as RefType).heap)];
      const type: GlobalType = { type: t, mutable: r.chance(0.4) };
      globals.push({ type, init });
      this.globals.push(type);
    }
    // Element segments.
    const elems: Elem[] = [];
    for (let i = r.small(3); i > 0; i--) {
      const kind = r.int(3);
      const tableIdx = this.tables.length > 0 ? r.int(this.tables.length) : -1;
      let type: RefType = ref(true, 'func');
      if (kind === 0 && tableIdx >= 0) type = this.tables[tableIdx]!.element;
      else if (r.chance(0.3)) type = this.refType();
      const useIndices = type.heap === 'func' && type.nullable && r.chance(0.5) && this.funcTypes.length > 0;
      let init: Elem['init'];
      if (useIndices) {
        const indices: number[] = [];
        for (let k = r.small(4); k > 0; k--) {
          const fn = r.int(this.funcTypes.length);
          indices.push(fn);
          this.declared.add(fn);
        }
        init = { kind: 'funcs', indices };
      } else {
        const t = this.constable(type, this.globals.length) as RefType;
        type = t;
        const exprs: Expr[] = [];
        for (let k = r.small(4); k > 0; k--) exprs.push(this.constExpr(t, this.globals.length) ?? [I('ref.null', t.heap)]);
        init = { kind: 'exprs', exprs };
      }
      let mode: Elem['mode'];
      if (kind === 0 && tableIdx >= 0) {
        const offType = this.tables[tableIdx]!.limits.address;
        mode = { kind: 'active', table: tableIdx, offset: this.constExpr(offType, this.nImportedGlobals)! };
      } else mode = kind === 1 ? { kind: 'declarative' } : { kind: 'passive' };
      elems.push({ type, mode, init });
      this.elemTypes.push(type);
    }
    this.nElems = elems.length;
    // Data segments.
    const datas: Data[] = [];
    for (let i = r.small(3); i > 0; i--) {
      const bytes = r.bytes(r.small(8));
      if (this.memories.length > 0 && r.chance(0.6)) {
        const memory = r.int(this.memories.length);
        const offset = this.constExpr(this.memories[memory]!.address, this.nImportedGlobals)!;
        datas.push({ mode: { kind: 'active', memory, offset }, bytes });
      } else datas.push({ mode: { kind: 'passive' }, bytes });
    }
    this.nDatas = datas.length;

    // Function bodies.
    const funcs: Func[] = definedTypes.map((type) => ({ type, ...this.funcBody(type) }));
    // Exports.
    const exports: Export[] = [];
    const names = new Set<string>();
    const spaces: [Export['kind'], number][] = [
      ['func', this.funcTypes.length],
      ['table', this.tables.length],
      ['memory', this.memories.length],
      ['global', this.globals.length],
      ['tag', this.tagTypes.length],
    ];
    for (let i = r.small(5); i > 0; i--) {
      const [kind, n] = r.pick(spaces);
      if (n === 0) continue;
      let name = r.chance(0.1) ? '' : `e${r.small(8)}`;
      if (names.has(name) && r.chance(0.95)) name = `x${exports.length}`;
      names.add(name);
      const index = r.int(n);
      exports.push({ name, kind, index });
      if (kind === 'func') this.declared.add(index);
    }
    // Declare what code takes references to.
    const undeclared = [...this.referenced].filter((fn) => !this.declared.has(fn));
    if (undeclared.length > 0 && r.chance(0.97)) {
      elems.push({ type: ref(true, 'func'), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: undeclared } });
    }
    // Start function.
    let start: number | null = null;
    if (r.chance(0.2)) {
      const ok: number[] = [];
      for (let fn = 0; fn < this.funcTypes.length; fn++) {
        const c = this.types[this.funcTypes[fn]!]!.composite;
        if (c.kind === 'func' && c.params.length === 0 && c.results.length === 0) ok.push(fn);
      }
      if (ok.length > 0) start = r.pick(ok);
    }
    // Custom sections and names.
    const customs: CustomSection[] = [];
    if (r.chance(0.1)) {
      customs.push({ name: r.pick(['a', 'producers', 'x.y', '']), bytes: r.bytes(r.small(6)), placement: { kind: r.pick(['first', 'last'] as const) } });
    }
    let moduleNames: Names | null = null;
    if (r.chance(0.1)) {
      const n = emptyNames();
      const fns = new Map<number, string>();
      for (let fn = 0; fn < this.funcTypes.length; fn++) if (r.chance(0.5)) fns.set(fn, `f${fn}`);
      moduleNames = { ...n, module: r.chance(0.5) ? 'gen' : null, funcs: fns };
    }
    return {
      types: this.groups,
      imports,
      funcs,
      tables,
      memories,
      globals,
      tags: tags.map((type) => ({ type })),
      exports,
      start,
      elems,
      datas,
      dataCount: datas.length > 0 && r.chance(0.9),
      customs,
      names: moduleNames,
    };
  }
}

/** A random module, mostly valid (see the file comment). */
export function generateModule(rng: Rng): Module {
  return new Generator(rng).module();
}
