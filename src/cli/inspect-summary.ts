// What `nanoprocess inspect` reports about a binary module (spec §5.5 "Modules"), gathered
// with the lazy ModuleReader: sections are decoded one by one, and function bodies are
// only streamed through the CodeReader to count their instructions, never turned into
// the model. Also decodes the tool conventions' `producers` and `target_features`
// custom sections. Everything here is plain JSON-ready data (bigints become numbers, or
// strings beyond 2^53).

import { DecodeError } from '../model/errors.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import type { Expr, ExternKind, FuncType, ImportDesc, Limits, Names, RecGroup, RefType, SubType, ValType } from '../model/types.ts';
import { type CodeReader, ModuleReader, Reader, type SectionInfo } from '../binary/index.ts';

export type Int = number | string;

export interface SectionSummary {
  readonly id: number;
  /** The known section's name, or the custom section's own name. */
  readonly name: string;
  readonly custom: boolean;
  /** Offset of the section id byte. */
  readonly offset: number;
  /** Offset and size of the contents. */
  readonly start: number;
  readonly size: number;
  /** Entries of a vector section (the value of a data count section); null otherwise. */
  readonly count: number | null;
}

export interface ImportSummary {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  /** The index in its kind's index space. */
  readonly index: number;
  /** The type in text-format syntax: `func (param i32) (result i64)`, `memory 1 2`, … */
  readonly type: string;
}

export interface ExportSummary {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  /** The item's name from the name section, if any. */
  readonly internalName: string | null;
}

export interface LimitsSummary {
  readonly address: 'i32' | 'i64';
  readonly min: Int;
  readonly max: Int | null;
  readonly shared: boolean;
}

export interface Summary {
  readonly size: number;
  readonly sections: readonly SectionSummary[];
  readonly types: { readonly count: number; readonly groups: number; readonly func: number; readonly struct: number; readonly array: number };
  readonly imports: readonly ImportSummary[];
  readonly functions: { readonly imported: number; readonly defined: number; readonly instructions: number; readonly codeBytes: number };
  readonly tables: readonly { readonly index: number; readonly element: string; readonly limits: LimitsSummary; readonly init: string | null }[];
  readonly memories: readonly { readonly index: number; readonly limits: LimitsSummary }[];
  readonly globals: readonly { readonly index: number; readonly type: string; readonly mutable: boolean; readonly init: string }[];
  readonly tags: readonly { readonly index: number; readonly type: string }[];
  readonly exports: readonly ExportSummary[];
  readonly start: { readonly index: number; readonly name: string | null } | null;
  readonly elems: readonly { readonly index: number; readonly mode: string; readonly type: string; readonly count: number }[];
  readonly datas: readonly { readonly index: number; readonly mode: string; readonly size: number }[];
  readonly customs: readonly { readonly name: string; readonly offset: number; readonly size: number }[];
  /** The `producers` section: field (language, processed-by, sdk) → tools and versions. */
  readonly producers: Readonly<Record<string, readonly { readonly name: string; readonly version: string }[]>> | null;
  /** The `target_features` section: `+name`, `-name` or `=name` per entry. */
  readonly targetFeatures: readonly string[] | null;
  /** Custom sections that could not be read (engines ignore them; so do we, but say so). */
  readonly warnings: readonly string[];
}

function int(v: bigint): Int {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function limits(l: Limits): LimitsSummary {
  return { address: l.address, min: int(l.min), max: l.max === null ? null : int(l.max), shared: l.shared };
}

// ---------------------------------------------------------------------------------------
// Types in text-format syntax (spec §6.4)

function refText(t: RefType): string {
  const h = t.heap;
  if (t.nullable && typeof h === 'string') {
    if (h === 'none') return 'nullref';
    return h.startsWith('no') ? `null${h.slice(2)}ref` : `${h}ref`;
  }
  return `(ref ${t.nullable ? 'null ' : ''}${h})`;
}

export function valText(t: ValType): string {
  return typeof t === 'string' ? t : refText(t);
}

function limitsText(l: Limits): string {
  return `${l.address === 'i64' ? 'i64 ' : ''}${l.min}${l.max === null ? '' : ' ' + l.max}${l.shared ? ' shared' : ''}`;
}

/** ` (param …) (result …)` for function type `index`, or ` (type N)` when it is not one. */
function signature(defs: readonly SubType[], index: number): string {
  const c = defs[index]?.composite;
  if (c?.kind !== 'func') return ` (type ${index})`;
  const f: FuncType = c;
  let s = '';
  if (f.params.length > 0) s += ` (param ${f.params.map(valText).join(' ')})`;
  if (f.results.length > 0) s += ` (result ${f.results.map(valText).join(' ')})`;
  return s;
}

function importText(defs: readonly SubType[], d: ImportDesc): string {
  switch (d.kind) {
    case 'func':
      return 'func' + signature(defs, d.type);
    case 'table':
      return `table ${limitsText(d.type.limits)} ${refText(d.type.element)}`;
    case 'memory':
      return `memory ${limitsText(d.type.limits)}`;
    case 'global':
      return `global ${d.type.mutable ? `(mut ${valText(d.type.type)})` : valText(d.type.type)}`;
    case 'tag':
      return 'tag' + signature(defs, d.type.type);
  }
}

/** A constant expression: `i32.const 1024`, `global.get 0`, or a count for longer ones. */
export function constText(expr: Expr): string {
  if (expr.length !== 1) return `(${expr.length} instructions)`;
  const { op, imm } = expr[0]!;
  const info = INSTRUCTIONS[op]!;
  if (imm === null) return info.name;
  if (info.imm === 'f32') return `f32.const ${new Float32Array(new Uint32Array([imm as number]).buffer)[0]}`;
  if (info.imm === 'f64') return `f64.const ${new Float64Array(new BigUint64Array([imm as bigint]).buffer)[0]}`;
  if (typeof imm === 'number' || typeof imm === 'bigint' || typeof imm === 'string') return `${info.name} ${imm}`;
  return info.name;
}

// ---------------------------------------------------------------------------------------
// Custom sections of the tool conventions

function readProducers(bytes: Uint8Array, s: SectionInfo): Record<string, { name: string; version: string }[]> {
  const r = new Reader(bytes, s.dataStart, s.end);
  const fields: Record<string, { name: string; version: string }[]> = {};
  for (let n = r.count(); n > 0; n--) {
    const field = r.name();
    const tools: { name: string; version: string }[] = [];
    for (let m = r.count(); m > 0; m--) tools.push({ name: r.name(), version: r.name() });
    fields[field] = tools;
  }
  if (!r.atEnd()) r.fail('section size mismatch');
  return fields;
}

function readTargetFeatures(bytes: Uint8Array, s: SectionInfo): string[] {
  const r = new Reader(bytes, s.dataStart, s.end);
  const out: string[] = [];
  for (let n = r.count(); n > 0; n--) {
    const at = r.pos;
    const prefix = String.fromCharCode(r.u8());
    if (prefix !== '+' && prefix !== '-' && prefix !== '=') r.fail('malformed feature prefix', at);
    out.push(prefix + r.name());
  }
  if (!r.atEnd()) r.fail('section size mismatch');
  return out;
}

// ---------------------------------------------------------------------------------------

const VECTOR_SECTIONS = new Set([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13]);

function nameOf(names: Names | null, kind: ExternKind, index: number): string | null {
  if (names === null) return null;
  const map = { func: names.funcs, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[kind];
  return map.get(index) ?? null;
}

/** Counts the instructions of every function body (the final `end` of each not included). */
function countInstructions(reader: ModuleReader): { instructions: number; codeBytes: number } {
  let instructions = 0;
  let codeBytes = 0;
  let r: CodeReader | undefined;
  for (const body of reader.functionBodies()) {
    const cursor = reader.bodyReader(body, r);
    r = cursor.reader;
    for (;;) {
      r.next();
      if (r.depth === 0) break;
      instructions++;
    }
    cursor.finish();
    codeBytes += body.end - body.start;
  }
  return { instructions, codeBytes };
}

/** Summarizes a binary module; throws DecodeError when it is malformed. */
export function summarize(bytes: Uint8Array): Summary {
  const reader = new ModuleReader(bytes);
  const warnings: string[] = [];
  const sections: SectionSummary[] = reader.sections.map((s) => {
    let count: number | null = null;
    if (VECTOR_SECTIONS.has(s.id)) {
      const r = new Reader(bytes, s.start, s.end);
      count = r.u32();
    }
    return { id: s.id, name: s.customName ?? s.name, custom: s.id === 0, offset: s.offset, start: s.start, size: s.end - s.start, count };
  });

  const groups: RecGroup[] = reader.types();
  const defs = groups.flatMap((g) => g.types);
  const types = { count: defs.length, groups: groups.length, func: 0, struct: 0, array: 0 };
  for (const t of defs) types[t.composite.kind]++;

  const names = reader.names();
  const next: Record<ExternKind, number> = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  const imports = reader.imports().map((imp): ImportSummary => ({
    module: imp.module,
    name: imp.name,
    kind: imp.desc.kind,
    index: next[imp.desc.kind]++,
    type: importText(defs, imp.desc),
  }));

  const defined = reader.functionTypes().length;
  const tables = reader.tables().map((t, i) => ({ index: next.table + i, element: refText(t.type.element), limits: limits(t.type.limits), init: t.init === null ? null : constText(t.init) }));
  const memories = reader.memories().map((m, i) => ({ index: next.memory + i, limits: limits(m.limits) }));
  const globals = reader.globals().map((g, i) => ({ index: next.global + i, type: valText(g.type.type), mutable: g.type.mutable, init: constText(g.init) }));
  const tags = reader.tags().map((t, i) => ({ index: next.tag + i, type: 'tag' + signature(defs, t.type) }));
  const exports = reader.exports().map((e) => ({ name: e.name, kind: e.kind, index: e.index, internalName: nameOf(names, e.kind, e.index) }));
  const startIndex = reader.start();
  const start = startIndex === null ? null : { index: startIndex, name: nameOf(names, 'func', startIndex) };
  const elems = reader.elems().map((e, index) => ({
    index,
    mode: e.mode.kind === 'active' ? `active table ${e.mode.table} offset ${constText(e.mode.offset)}` : e.mode.kind,
    type: refText(e.type),
    count: e.init.kind === 'funcs' ? e.init.indices.length : e.init.exprs.length,
  }));
  const datas = reader.datas().map((d, index) => ({
    index,
    mode: d.mode.kind === 'active' ? `active memory ${d.mode.memory} offset ${constText(d.mode.offset)}` : d.mode.kind,
    size: d.bytes.length,
  }));

  const customs: { name: string; offset: number; size: number }[] = [];
  let producers: Summary['producers'] = null;
  let targetFeatures: string[] | null = null;
  for (const s of reader.sections) {
    if (s.id !== 0) continue;
    const name = s.customName!;
    customs.push({ name, offset: s.offset, size: s.end - s.start });
    try {
      if (name === 'producers' && producers === null) producers = readProducers(bytes, s);
      if (name === 'target_features' && targetFeatures === null) targetFeatures = readTargetFeatures(bytes, s);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      warnings.push(`custom section "${name}" is malformed: ${e.message}`);
    }
  }
  if (names === null && customs.some((c) => c.name === 'name')) warnings.push('custom section "name" is malformed or empty (ignored)');

  return {
    size: bytes.length,
    sections,
    types,
    imports,
    functions: { imported: next.func, defined, ...countInstructions(reader) },
    tables,
    memories,
    globals,
    tags,
    exports,
    start,
    elems,
    datas,
    customs,
    producers,
    targetFeatures,
    warnings,
  };
}
