// The generator's statements and function bodies (see ./generate.ts): code that leaves
// the stack as it found it — drops, local and global sets, stores and other `-> ` rows of
// the instruction table, blocks, loops and ifs with branches to them, branches out,
// returns and throws, try_table and the legacy try, table and GC writes — and, in a small
// share of functions, one instruction with random immediates at a random place.

import { INSTRUCTIONS, type InstrInfo } from '../src/model/opcodes.ts';
import type { Catch, Immediate, ImmKind, Instruction } from '../src/model/instruction.ts';
import type { Expr, LocalRun, RefType } from '../src/model/types.ts';
import { ExprGenerator, PRODUCERS, type FuncCtx, type LocalInfo } from './gen-code.ts';
import { I, isDefaultable, ref, unpacked } from './gen-types.ts';

export class CodeGenerator extends ExprGenerator {
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

}
