// The printer (spec §6.6 "Modules", in the conventional layout of wasm2wat and
// `wasm-tools print`): module model → text. Fields come in the order types, imports,
// functions, tables, memories, tags, globals, exports, start, elements, data, custom
// sections; every index space uses the names of the name section as identifiers where it
// can (see ./print-names.ts). Reading the output with `parseModule` gives back a module
// that encodes to the same bytes, except for what the text format cannot express (see
// notes/parser-gaps.md).

import type {
  CustomPlacement,
  Data,
  Elem,
  Func,
  Import,
  LocalRun,
  Module,
  Names,
  SubType,
} from '../model/types.ts';
import { opByName } from '../model/opcodes.ts';
import { typeDefs, valTypeEquals } from '../model/types.ts';
import { InstrPrinter, type FuncNames, type ModuleView } from './print-instr.ts';
import { idText, refText, spaceIds, type SpaceIds } from './print-names.ts';
import { TypePrinter, limitsText } from './print-types.ts';
import { encodeNameLiteral, encodeStringLiteral } from './strings.ts';

export interface PrintOptions {
  /** Folded S-expressions instead of one instruction per line (default false). */
  readonly folded?: boolean;
  /** One level of indentation, white space only (default two spaces). */
  readonly indent?: string;
  /**
   * Use the name section's names as identifiers (default true). With false, every
   * reference is a number and the text reads back without a name section.
   */
  readonly names?: boolean;
}

const SECTION_KEYWORDS: Readonly<Record<string, string>> = {
  type: 'type',
  import: 'import',
  function: 'func',
  table: 'table',
  memory: 'memory',
  global: 'global',
  export: 'export',
  start: 'start',
  element: 'elem',
  code: 'code',
  data: 'data',
  dataCount: 'datacount',
  tag: 'tag',
};

/** Prints `module` in the text format. */
export function printModule(module: Module, options?: PrintOptions): string {
  return new ModulePrinter(module, options ?? {}).print();
}

class ModulePrinter {
  readonly m: Module;
  readonly names: Names | null;
  readonly out: string[] = [];
  readonly ip: InstrPrinter;
  readonly view: ModuleView;
  readonly tp: TypePrinter;
  readonly defs: readonly SubType[];
  readonly funcImports: number;

  constructor(m: Module, options: PrintOptions) {
    this.m = m;
    const names = options.names === false ? null : m.names;
    this.names = names;
    const defs = typeDefs(m);
    this.defs = defs;
    const funcTypes: number[] = [];
    const tagTypes: number[] = [];
    let tables = 0;
    let memories = 0;
    let globals = 0;
    for (const imp of m.imports) {
      switch (imp.desc.kind) {
        case 'func': funcTypes.push(imp.desc.type); break;
        case 'tag': tagTypes.push(imp.desc.type.type); break;
        case 'table': tables++; break;
        case 'memory': memories++; break;
        case 'global': globals++; break;
      }
    }
    this.funcImports = funcTypes.length;
    for (const f of m.funcs) funcTypes.push(f.type);
    for (const t of m.tags) tagTypes.push(t.type);
    const fields = new Map<number, SpaceIds>();
    if (names !== null) {
      for (const [type, map] of names.fields) {
        const def = defs[type];
        if (def !== undefined && def.composite.kind === 'struct') {
          fields.set(type, spaceIds(def.composite.fields.length, map));
        }
      }
    }
    const tp = new TypePrinter(spaceIds(defs.length, names?.types), fields);
    this.tp = tp;
    this.view = {
      tp,
      defs,
      funcTypes,
      tagTypes,
      funcs: spaceIds(funcTypes.length, names?.funcs),
      tables: spaceIds(tables + m.tables.length, names?.tables),
      memories: spaceIds(memories + m.memories.length, names?.memories),
      globals: spaceIds(globals + m.globals.length, names?.globals),
      tags: spaceIds(tagTypes.length, names?.tags),
      elems: spaceIds(m.elems.length, names?.elems),
      datas: spaceIds(m.datas.length, names?.datas),
    };
    this.ip = new InstrPrinter(this.view, options.folded === true, options.indent ?? '  ');
  }

  private line(level: number, text: string): void {
    this.out.push(this.ip.indent(level) + text + '\n');
  }

  /** ` $id` or ` (;N;)` after a field keyword. */
  private static label(space: SpaceIds, index: number): string {
    const id = space.ids[index];
    return id == null ? ` (;${index};)` : ' ' + id;
  }

  /** `(@name "…")` for a name that could not become an identifier (funcs and tags). */
  private static nameAnnot(space: SpaceIds, index: number): string {
    const name = space.annot.get(index);
    return name === undefined ? '' : ` (@name ${encodeNameLiteral(name)})`;
  }

  print(): string {
    const m = this.m;
    const out = this.out;
    let head = '(module';
    const moduleName = this.names?.module ?? null;
    if (moduleName !== null) head += moduleName === '' ? ' (@name "")' : ' ' + idText(moduleName);
    out.push(head + '\n');
    const start = out.length;
    this.types();
    this.imports();
    for (let i = 0; i < m.funcs.length; i++) this.func(m.funcs[i]!, this.funcImports + i);
    this.tables();
    this.memories();
    this.tags();
    this.globals();
    for (const e of m.exports) {
      const space = this.spaceOf(e.kind);
      this.line(1, `(export ${encodeNameLiteral(e.name)} (${e.kind} ${refText(space, e.index)}))`);
    }
    if (m.start !== null) this.line(1, `(start ${refText(this.view.funcs, m.start)})`);
    for (let i = 0; i < m.elems.length; i++) this.elem(m.elems[i]!, i);
    for (let i = 0; i < m.datas.length; i++) this.data(m.datas[i]!, i);
    if (m.dataCount && !usesDataIndex(m)) this.line(1, '(@datacount)');
    for (const c of m.customs) {
      this.line(1, `(@custom ${encodeNameLiteral(c.name)}${placementText(c.placement)} ${encodeStringLiteral(c.bytes)})`);
    }
    if (out.length === start) out[start - 1] = head + ')\n';
    else {
      const last = out.length - 1;
      out[last] = out[last]!.slice(0, -1) + ')\n';
    }
    return out.join('');
  }

  private spaceOf(kind: string): SpaceIds {
    const v = this.view;
    switch (kind) {
      case 'func': return v.funcs;
      case 'table': return v.tables;
      case 'memory': return v.memories;
      case 'global': return v.globals;
      default: return v.tags;
    }
  }

  private types(): void {
    let index = 0;
    const tp = this.tp;
    for (const group of this.m.types) {
      if (!group.explicit && group.types.length === 1) {
        const t = group.types[0]!;
        this.line(1, `(type${ModulePrinter.label(tp.types, index)} ${tp.subType(t, index)})`);
        index++;
        continue;
      }
      if (group.types.length === 0) {
        this.line(1, '(rec)');
        continue;
      }
      this.line(1, '(rec');
      for (const t of group.types) {
        this.line(2, `(type${ModulePrinter.label(tp.types, index)} ${tp.subType(t, index)})`);
        index++;
      }
      this.closeLast();
    }
  }

  private closeLast(): void {
    const out = this.out;
    const last = out.length - 1;
    out[last] = out[last]!.slice(0, -1) + ')\n';
  }

  /** ` (type $t) (param …) (result …)` for a type use. */
  private typeUse(type: number, paramIds?: readonly (string | null)[]): string {
    const t = this.defs[type];
    const sig = t !== undefined && t.composite.kind === 'func' ? this.tp.signature(t.composite.params, t.composite.results, paramIds) : '';
    return ` (type ${this.tp.typeRef(type)})${sig}`;
  }

  private imports(): void {
    const v = this.view;
    const counts = [0, 0, 0, 0, 0];
    for (const imp of this.m.imports) {
      const head = `(import ${encodeNameLiteral(imp.module)} ${encodeNameLiteral(imp.name)}`;
      this.line(1, `${head} (${this.importDesc(imp, counts, v)}))`);
    }
  }

  private importDesc(imp: Import, counts: number[], v: ModuleView): string {
    const d = imp.desc;
    switch (d.kind) {
      case 'func': {
        const i = counts[0]++;
        return `func${ModulePrinter.label(v.funcs, i)}${ModulePrinter.nameAnnot(v.funcs, i)}${this.typeUse(d.type)}`;
      }
      case 'table': {
        const i = counts[1]++;
        return `table${ModulePrinter.label(v.tables, i)} ${limitsText(d.type.limits)} ${this.tp.refType(d.type.element)}`;
      }
      case 'memory': {
        const i = counts[2]++;
        return `memory${ModulePrinter.label(v.memories, i)} ${limitsText(d.type.limits)}`;
      }
      case 'global': {
        const i = counts[3]++;
        return `global${ModulePrinter.label(v.globals, i)} ${this.tp.globalType(d.type)}`;
      }
      case 'tag': {
        const i = counts[4]++;
        return `tag${ModulePrinter.label(v.tags, i)}${ModulePrinter.nameAnnot(v.tags, i)}${this.typeUse(d.type.type)}`;
      }
    }
  }

  private func(f: Func, index: number): void {
    const v = this.view;
    const t = this.defs[f.type];
    const ft = t !== undefined && t.composite.kind === 'func' ? t.composite : null;
    const nparams = ft === null ? 0 : ft.params.length;
    let nlocals = nparams;
    for (const run of f.locals) nlocals += run.count;
    const localMap = this.names?.locals.get(index);
    const locals = localMap === undefined ? null : spaceIds(nlocals, localMap);
    const labels = this.names?.labels.get(index) ?? null;
    let head = `(func${ModulePrinter.label(v.funcs, index)}${ModulePrinter.nameAnnot(v.funcs, index)}`;
    head += this.typeUse(f.type, locals?.ids);
    this.line(1, head);
    const headAt = this.out.length - 1;
    // Locals: named ones alone, unnamed runs of one type together.
    let s = '';
    let run = '';
    let li = nparams;
    const tp = this.tp;
    for (const r of f.locals) {
      const text = tp.valType(r.type);
      for (let k = 0; k < r.count; k++, li++) {
        const id = locals?.ids[li];
        if (id != null) {
          if (run !== '') s += ` (local${run})`;
          run = '';
          s += ` (local ${id} ${text})`;
        } else {
          run += ' ' + text;
        }
      }
    }
    if (run !== '') s += ` (local${run})`;
    if (!canonicalRuns(f.locals)) {
      // Binary layout the declarations above cannot say (see ./annotations.ts).
      let runs = '';
      for (const r of f.locals) runs += r.count === 0 ? ` 0 ${tp.valType(r.type)}` : ` ${r.count}`;
      s += ` (@local.runs${runs})`;
    }
    if (s !== '') this.line(2, s.slice(1));
    const names: FuncNames = { locals, labels };
    this.ip.begin(names, ft === null ? -1 : ft.results.length);
    this.ip.printBody(this.out, f.body, 2);
    if (this.out.length - 1 === headAt) this.out[headAt] = this.ip.indent(1) + head + ')\n';
    else this.closeLast();
  }

  private tables(): void {
    const v = this.view;
    let index = this.countImports('table');
    for (const t of this.m.tables) {
      let s = `(table${ModulePrinter.label(v.tables, index)} ${limitsText(t.type.limits)} ${this.tp.refType(t.type.element)}`;
      if (t.init !== null) s += ' ' + this.ip.inline(t.init);
      this.line(1, s + ')');
      index++;
    }
  }

  private countImports(kind: string): number {
    let n = 0;
    for (const imp of this.m.imports) if (imp.desc.kind === kind) n++;
    return n;
  }

  private memories(): void {
    const v = this.view;
    let index = this.countImports('memory');
    for (const mem of this.m.memories) {
      this.line(1, `(memory${ModulePrinter.label(v.memories, index)} ${limitsText(mem.limits)})`);
      index++;
    }
  }

  private tags(): void {
    const v = this.view;
    let index = this.countImports('tag');
    for (const tag of this.m.tags) {
      this.line(1, `(tag${ModulePrinter.label(v.tags, index)}${ModulePrinter.nameAnnot(v.tags, index)}${this.typeUse(tag.type)})`);
      index++;
    }
  }

  private globals(): void {
    const v = this.view;
    let index = this.countImports('global');
    for (const g of this.m.globals) {
      const init = this.ip.inline(g.init);
      const s = `(global${ModulePrinter.label(v.globals, index)} ${this.tp.globalType(g.type)}`;
      this.line(1, init === '' ? s + ')' : `${s} ${init})`);
      index++;
    }
  }

  private elem(e: Elem, index: number): void {
    const v = this.view;
    let s = `(elem${ModulePrinter.label(v.elems, index)}`;
    const mode = e.mode;
    if (mode.kind === 'declarative') s += ' declare';
    else if (mode.kind === 'active') {
      if (mode.table !== 0) s += ` (table ${refText(v.tables, mode.table)})`;
      s += ' ' + this.ip.wrapped(mode.offset, 'offset');
    }
    const init = e.init;
    const type = e.type;
    const isRefFunc = type.heap === 'func' && !type.nullable;
    if (init.kind === 'funcs' && isRefFunc) {
      s += ' func';
      for (const f of init.indices) s += ' ' + refText(v.funcs, f);
    } else {
      s += ' ' + this.tp.refType(type);
      if (init.kind === 'funcs') {
        for (const f of init.indices) s += ` (ref.func ${refText(v.funcs, f)})`;
      } else {
        for (const x of init.exprs) s += ' ' + this.ip.wrapped(x, 'item');
      }
    }
    this.line(1, s + ')');
  }

  private data(d: Data, index: number): void {
    const v = this.view;
    let s = `(data${ModulePrinter.label(v.datas, index)}`;
    const mode = d.mode;
    if (mode.kind === 'active') {
      if (mode.memory !== 0) s += ` (memory ${refText(v.memories, mode.memory)})`;
      s += ' ' + this.ip.wrapped(mode.offset, 'offset');
    }
    this.line(1, `${s} ${encodeStringLiteral(d.bytes)})`);
  }
}

function placementText(p: CustomPlacement): string {
  switch (p.kind) {
    case 'first':
      return ' (before first)';
    case 'last':
      return '';
    default:
      return ` (${p.kind} ${SECTION_KEYWORDS[p.section] ?? p.section})`;
  }
}

/** Whether the parser's grouping of these locals would give the same runs. */
function canonicalRuns(runs: readonly LocalRun[]): boolean {
  for (let i = 0; i < runs.length; i++) {
    if (runs[i]!.count === 0) return false;
    if (i > 0 && valTypeEquals(runs[i - 1]!.type, runs[i]!.type)) return false;
  }
  return true;
}

const DATA_INDEX_OPS = new Set(['memory.init', 'data.drop', 'array.new_data', 'array.init_data'].map((n) => opByName(n)!));

/** Whether code names a data segment (then the parser adds the data count section itself). */
function usesDataIndex(m: Module): boolean {
  for (const f of m.funcs) for (const ins of f.body) if (DATA_INDEX_OPS.has(ins.op)) return true;
  return false;
}
