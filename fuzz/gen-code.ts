// The generator's expressions (see ./generate.ts): code that pushes one value of a wanted
// type, chosen among the instructions that can produce it: any fixed-`sig` row of the
// instruction table whose result fits (operands generated first, `addr` resolved to the
// chosen memory's address type), and the hand-typed polymorphic ones: locals, globals,
// calls (direct, indirect, by reference), blocks and ifs, select, GC allocation and
// access, casts and br_on_cast, conversions, tables.

import { INSTRUCTIONS, sigOf, type InstrInfo, type SigType } from '../src/model/opcodes.ts';
import type { Immediate, Instruction, MemArg } from '../src/model/instruction.ts';
import type { HeapType, RefType, ValType } from '../src/model/types.ts';
import { I, isDefaultable, ref, TypeGenerator, unpacked } from './gen-types.ts';

export interface SigRow {
  readonly op: number;
  readonly info: InstrInfo;
  readonly params: readonly SigType[];
  readonly results: readonly SigType[];
}

/** Fixed-signature rows by what they produce: 'i32' … 'v128', 'addr', or 'void'. */
export const PRODUCERS = new Map<string, SigRow[]>();
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

/** Lanes of an instruction's shape, from its name (`i16x8.…` → 8); 16 by default. */
function laneCount(info: InstrInfo): number {
  const m = /^(?:i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)/.exec(info.name);
  if (m !== null) return Number(m[0].slice(m[0].indexOf('x') + 1));
  const lane = /load(\d+)_lane|store(\d+)_lane/.exec(info.name);
  if (lane !== null) return 128 / Number(lane[1] ?? lane[2]);
  return 16;
}

export interface Label {
  /** What a branch to the label carries. */
  readonly types: readonly ValType[];
}

export interface LocalInfo {
  readonly type: ValType;
}

/** The function being generated. */
export interface FuncCtx {
  readonly locals: LocalInfo[];
  readonly results: readonly ValType[];
  readonly labels: Label[];
  out: Instruction[];
  budget: number;
}

export abstract class ExprGenerator extends TypeGenerator {
  /** Statements leaving the stack as they found it (./gen-stmt.ts). */
  abstract stmts(f: FuncCtx, depth: number, max: number): void;

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
}
