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
//
// This file assembles the module; ./gen-types.ts has the types and constant expressions,
// ./gen-code.ts the expressions, ./gen-stmt.ts the statements and function bodies.

import type {
  CustomSection,
  Data,
  Elem,
  Export,
  Expr,
  Func,
  Global,
  GlobalType,
  Import,
  MemoryType,
  Module,
  Names,
  RefType,
  Table,
  TableType,
} from '../src/model/types.ts';
import { emptyNames } from '../src/model/types.ts';
import { CodeGenerator } from './gen-stmt.ts';
import { I, ref } from './gen-types.ts';
import type { Rng } from './rng.ts';

/** Builds one module; see the file comment. */
class Generator extends CodeGenerator {
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
