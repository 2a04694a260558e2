// The encoder (spec §5 "Binary Format"): module model → bytes.
//
// Sections (§5.5) in the order the format requires, custom sections where their
// placement puts them, and the name section after the data section. Types, instructions
// and names are encoded by ./encode-types.ts, ./encode-instr.ts and ./encode-names.ts,
// whose entry points are re-exported here.

import { EncodeError, WasmError } from '../model/errors.ts';
import type {
  CustomSection,
  Data,
  Elem,
  Func,
  Global,
  Import,
  Module,
  RefType,
  SectionName,
  Table,
} from '../model/types.ts';
import { SectionId } from '../model/types.ts';
import {
  encodeGlobalType,
  encodeLimits,
  encodeRecGroup,
  encodeRefType,
  encodeTableType,
  encodeValType,
} from './encode-types.ts';
import { encodeExpr, messageOf } from './encode-instr.ts';
import { encodeNameSection } from './encode-names.ts';
import { ByteWriter } from './writer.ts';

export {
  encodeBlockType,
  encodeGlobalType,
  encodeHeapType,
  encodeLimits,
  encodeRecGroup,
  encodeRefType,
  encodeSubType,
  encodeTableType,
  encodeValType,
} from './encode-types.ts';
export { encodeExpr, encodeInstruction } from './encode-instr.ts';
export { encodeNameSection } from './encode-names.ts';

// ---------------------------------------------------------------------------------------
// Sections (spec §5.5)

const EXTERN_KIND: Readonly<Record<string, number>> = {
  func: 0x00,
  table: 0x01,
  memory: 0x02,
  global: 0x03,
  tag: 0x04,
};

function encodeImport(w: ByteWriter, imp: Import): void {
  w.name(imp.module);
  w.name(imp.name);
  const d = imp.desc;
  switch (d.kind) {
    case 'func':
      w.u8(0x00);
      w.u32(d.type);
      return;
    case 'table':
      w.u8(0x01);
      encodeTableType(w, d.type);
      return;
    case 'memory':
      w.u8(0x02);
      encodeLimits(w, d.type.limits);
      return;
    case 'global':
      w.u8(0x03);
      encodeGlobalType(w, d.type);
      return;
    case 'tag':
      w.u8(0x04);
      w.u8(0x00);
      w.u32(d.type.type);
      return;
    default:
      throw new EncodeError(`invalid import kind ${String((d as { kind: unknown }).kind)}`);
  }
}

function encodeTable(w: ByteWriter, t: Table): void {
  if (t.init !== null) {
    w.u8x2(0x40, 0x00);
    encodeTableType(w, t.type);
    encodeExpr(w, t.init);
  } else {
    encodeTableType(w, t.type);
  }
}

function encodeGlobal(w: ByteWriter, g: Global): void {
  encodeGlobalType(w, g.type);
  encodeExpr(w, g.init);
}

function isRefFunc(t: RefType, nullable: boolean): boolean {
  return t.heap === 'func' && t.nullable === nullable;
}

/**
 * Writes an element segment with the flags 0–7 that express it exactly:
 * bit 0 passive/declarative, bit 1 explicit table index (active) or declarative,
 * bit 2 expressions rather than function indices. The function-index forms
 * (flags 0–3, element kind 0x00) mean type (ref func); the expression form 4 means
 * (ref null func); every other type needs an explicit reference type (flags 5–7).
 */
function encodeElem(w: ByteWriter, e: Elem): void {
  const mode = e.mode;
  const init = e.init;
  const type = e.type;
  const asFuncs = init.kind === 'funcs' && isRefFunc(type, false);
  let flags: number;
  switch (mode.kind) {
    case 'active':
      if (asFuncs) flags = mode.table === 0 ? 0 : 2;
      else flags = mode.table === 0 && isRefFunc(type, true) ? 4 : 6;
      break;
    case 'passive':
      flags = asFuncs ? 1 : 5;
      break;
    case 'declarative':
      flags = asFuncs ? 3 : 7;
      break;
    default:
      throw new EncodeError(`invalid element mode ${String((mode as { kind: unknown }).kind)}`);
  }
  w.u8(flags);
  if (mode.kind === 'active') {
    if (flags & 2) w.u32(mode.table);
    encodeExpr(w, mode.offset);
  }
  if (asFuncs) {
    if (flags & 3) w.u8(0x00); // element kind: (ref func)
    w.u32Vec((init as { indices: readonly number[] }).indices);
    return;
  }
  if (flags & 3) encodeRefType(w, type);
  if (init.kind === 'funcs') {
    // Function indices with a type other than (ref func): (ref.func x) expressions.
    const indices = init.indices;
    w.u32(indices.length);
    for (let i = 0; i < indices.length; i++) {
      w.u8(0xd2);
      w.u32(indices[i]!);
      w.u8(0x0b);
    }
  } else if (init.kind === 'exprs') {
    const exprs = init.exprs;
    w.u32(exprs.length);
    for (let i = 0; i < exprs.length; i++) encodeExpr(w, exprs[i]!);
  } else {
    throw new EncodeError(`invalid element init ${String((init as { kind: unknown }).kind)}`);
  }
}

function encodeData(w: ByteWriter, d: Data): void {
  const mode = d.mode;
  if (mode.kind === 'passive') w.u8(0x01);
  else if (mode.kind === 'active') {
    if (mode.memory === 0) w.u8(0x00);
    else {
      w.u8(0x02);
      w.u32(mode.memory);
    }
    encodeExpr(w, mode.offset);
  } else {
    throw new EncodeError(`invalid data mode ${String((mode as { kind: unknown }).kind)}`);
  }
  w.byteVec(d.bytes);
}

/** Writes one function body (code entry): size, local runs, expression. */
export function encodeFuncBody(w: ByteWriter, f: Func): void {
  const mark = w.beginSized();
  const locals = f.locals;
  w.u32(locals.length);
  for (let i = 0; i < locals.length; i++) {
    const run = locals[i]!;
    w.u32(run.count);
    encodeValType(w, run.type);
  }
  encodeExpr(w, f.body);
  w.endSized(mark);
}

function encodeCustomSection(w: ByteWriter, c: CustomSection): void {
  w.u8(SectionId.custom);
  const mark = w.beginSized();
  w.name(c.name);
  w.bytes(c.bytes);
  w.endSized(mark);
}

// ---------------------------------------------------------------------------------------
// The module (spec §5.5.16)

/** Known sections in the order the binary format requires. */
const SECTION_ORDER: readonly SectionName[] = [
  'type',
  'import',
  'function',
  'table',
  'memory',
  'tag',
  'global',
  'export',
  'start',
  'element',
  'dataCount',
  'code',
  'data',
];

function section(w: ByteWriter, id: number): number {
  w.u8(id);
  return w.beginSized();
}

function encodeKnownSection(w: ByteWriter, m: Module, name: SectionName): void {
  switch (name) {
    case 'type': {
      const groups = m.types;
      if (groups.length === 0) return;
      const mark = section(w, SectionId.type);
      w.u32(groups.length);
      for (let i = 0; i < groups.length; i++) encodeRecGroup(w, groups[i]!);
      w.endSized(mark);
      return;
    }
    case 'import': {
      const imports = m.imports;
      if (imports.length === 0) return;
      const mark = section(w, SectionId.import);
      w.u32(imports.length);
      for (let i = 0; i < imports.length; i++) encodeImport(w, imports[i]!);
      w.endSized(mark);
      return;
    }
    case 'function': {
      const funcs = m.funcs;
      if (funcs.length === 0) return;
      const mark = section(w, SectionId.function);
      w.u32(funcs.length);
      for (let i = 0; i < funcs.length; i++) w.u32(funcs[i]!.type);
      w.endSized(mark);
      return;
    }
    case 'table': {
      const tables = m.tables;
      if (tables.length === 0) return;
      const mark = section(w, SectionId.table);
      w.u32(tables.length);
      for (let i = 0; i < tables.length; i++) encodeTable(w, tables[i]!);
      w.endSized(mark);
      return;
    }
    case 'memory': {
      const mems = m.memories;
      if (mems.length === 0) return;
      const mark = section(w, SectionId.memory);
      w.u32(mems.length);
      for (let i = 0; i < mems.length; i++) encodeLimits(w, mems[i]!.limits);
      w.endSized(mark);
      return;
    }
    case 'tag': {
      const tags = m.tags;
      if (tags.length === 0) return;
      const mark = section(w, SectionId.tag);
      w.u32(tags.length);
      for (let i = 0; i < tags.length; i++) {
        w.u8(0x00); // attribute: exception
        w.u32(tags[i]!.type);
      }
      w.endSized(mark);
      return;
    }
    case 'global': {
      const globals = m.globals;
      if (globals.length === 0) return;
      const mark = section(w, SectionId.global);
      w.u32(globals.length);
      for (let i = 0; i < globals.length; i++) encodeGlobal(w, globals[i]!);
      w.endSized(mark);
      return;
    }
    case 'export': {
      const exports = m.exports;
      if (exports.length === 0) return;
      const mark = section(w, SectionId.export);
      w.u32(exports.length);
      for (let i = 0; i < exports.length; i++) {
        const e = exports[i]!;
        const kind = EXTERN_KIND[e.kind];
        if (kind === undefined) throw new EncodeError(`invalid export kind ${e.kind}`);
        w.name(e.name);
        w.u8(kind);
        w.u32(e.index);
      }
      w.endSized(mark);
      return;
    }
    case 'start': {
      if (m.start === null) return;
      const mark = section(w, SectionId.start);
      w.u32(m.start);
      w.endSized(mark);
      return;
    }
    case 'element': {
      const elems = m.elems;
      if (elems.length === 0) return;
      const mark = section(w, SectionId.element);
      w.u32(elems.length);
      for (let i = 0; i < elems.length; i++) encodeElem(w, elems[i]!);
      w.endSized(mark);
      return;
    }
    case 'dataCount': {
      if (!m.dataCount) return;
      const mark = section(w, SectionId.dataCount);
      w.u32(m.datas.length);
      w.endSized(mark);
      return;
    }
    case 'code': {
      const funcs = m.funcs;
      if (funcs.length === 0) return;
      const mark = section(w, SectionId.code);
      w.u32(funcs.length);
      let i = 0;
      try {
        for (; i < funcs.length; i++) encodeFuncBody(w, funcs[i]!);
      } catch (e) {
        const index = m.imports.filter((imp) => imp.desc.kind === 'func').length + i;
        throw new EncodeError(`${messageOf(e)} in function ${index}`, { cause: e });
      }
      w.endSized(mark);
      return;
    }
    case 'data': {
      const datas = m.datas;
      if (datas.length === 0) return;
      const mark = section(w, SectionId.data);
      w.u32(datas.length);
      for (let i = 0; i < datas.length; i++) encodeData(w, datas[i]!);
      w.endSized(mark);
      return;
    }
  }
}

function customsAt(
  w: ByteWriter,
  customs: readonly CustomSection[],
  kind: 'first' | 'last' | 'before' | 'after',
  at: SectionName | null,
): void {
  for (let i = 0; i < customs.length; i++) {
    const c = customs[i]!;
    const p = c.placement;
    if (p.kind !== kind) continue;
    if (at !== null && (p as { section: SectionName }).section !== at) continue;
    encodeCustomSection(w, c);
  }
}

/** A rough output size, so that the buffer rarely needs to grow. */
function estimateSize(m: Module): number {
  let n = 64;
  for (const f of m.funcs) n += 4 + f.body.length * 3;
  for (const d of m.datas) n += 8 + d.bytes.length;
  for (const c of m.customs) n += 8 + c.name.length + c.bytes.length;
  if (m.names !== null) n += 16 * (m.names.funcs.size + m.names.locals.size);
  return n;
}

/** Encodes a module as a binary WebAssembly module. */
export function encodeModule(module: Module): Uint8Array {
  const w = new ByteWriter(estimateSize(module));
  encodeModuleInto(w, module);
  return w.take();
}

/**
 * Appends the encoding of `module` to `w`. Throws EncodeError for a model that cannot
 * be encoded (values out of range, unknown kinds, malformed immediates).
 */
export function encodeModuleInto(w: ByteWriter, module: Module): void {
  try {
    encodeSections(w, module);
  } catch (e) {
    if (e instanceof WasmError) throw e;
    throw new EncodeError(`malformed module: ${messageOf(e)}`, { cause: e });
  }
}

function encodeSections(w: ByteWriter, module: Module): void {
  // Magic "\0asm" and version 1.
  w.ensure(8);
  w.u8x2(0x00, 0x61);
  w.u8x2(0x73, 0x6d);
  w.u8x2(0x01, 0x00);
  w.u8x2(0x00, 0x00);
  const customs = module.customs;
  const hasCustoms = customs.length > 0;
  if (hasCustoms) customsAt(w, customs, 'first', null);
  for (let i = 0; i < SECTION_ORDER.length; i++) {
    const name = SECTION_ORDER[i]!;
    if (hasCustoms) customsAt(w, customs, 'before', name);
    encodeKnownSection(w, module, name);
    if (hasCustoms) customsAt(w, customs, 'after', name);
  }
  if (module.names !== null) encodeNameSection(w, module.names);
  if (hasCustoms) customsAt(w, customs, 'last', null);
}
