// Encoding the `name` custom section (spec appendix "Name Section", plus the extended
// name section's subsections 3–11: labels, types, tables, memories, globals, elems,
// datas, fields, tags). Subsections are written in id order, each map sorted by index;
// empty subsections are left out, and so is the section when nothing remains.

import type { IndirectNameMap, NameMap, Names } from '../model/types.ts';
import { SectionId } from '../model/types.ts';
import type { ByteWriter } from './writer.ts';

function encodeNameMap(w: ByteWriter, map: NameMap): void {
  w.u32(map.size);
  // Maps are usually in index order already: write them as they come, and start again
  // sorted if they are not.
  const start = w.pos;
  let prev = -1;
  for (const [k, v] of map) {
    if (k <= prev) {
      w.pos = start;
      encodeSorted(w, map);
      return;
    }
    prev = k;
    w.u32(k);
    w.name(v);
  }
}

function encodeSorted(w: ByteWriter, map: NameMap): void {
  const keys = Array.from(map.keys()).sort((a, b) => a - b);
  for (const k of keys) {
    w.u32(k);
    w.name(map.get(k)!);
  }
}

function encodeIndirectNameMap(w: ByteWriter, map: IndirectNameMap): void {
  const keys: number[] = [];
  for (const [k, inner] of map) if (inner.size > 0) keys.push(k);
  keys.sort((a, b) => a - b);
  w.u32(keys.length);
  for (const k of keys) {
    w.u32(k);
    encodeNameMap(w, map.get(k)!);
  }
}

function hasIndirectNames(map: IndirectNameMap): boolean {
  for (const inner of map.values()) if (inner.size > 0) return true;
  return false;
}

function nameSubsection(w: ByteWriter, id: number, map: NameMap): void {
  if (map.size === 0) return;
  w.u8(id);
  const mark = w.beginSized();
  encodeNameMap(w, map);
  w.endSized(mark);
}

function indirectNameSubsection(w: ByteWriter, id: number, map: IndirectNameMap): void {
  if (!hasIndirectNames(map)) return;
  w.u8(id);
  const mark = w.beginSized();
  encodeIndirectNameMap(w, map);
  w.endSized(mark);
}

/** Writes the `name` custom section, or nothing when `names` holds no names. */
export function encodeNameSection(w: ByteWriter, names: Names): void {
  const start = w.pos;
  w.u8(SectionId.custom);
  const mark = w.beginSized();
  w.name('name');
  const contentStart = w.pos;
  if (names.module !== null) {
    w.u8(0);
    const sub = w.beginSized();
    w.name(names.module);
    w.endSized(sub);
  }
  nameSubsection(w, 1, names.funcs);
  indirectNameSubsection(w, 2, names.locals);
  indirectNameSubsection(w, 3, names.labels);
  nameSubsection(w, 4, names.types);
  nameSubsection(w, 5, names.tables);
  nameSubsection(w, 6, names.memories);
  nameSubsection(w, 7, names.globals);
  nameSubsection(w, 8, names.elems);
  nameSubsection(w, 9, names.datas);
  indirectNameSubsection(w, 10, names.fields);
  nameSubsection(w, 11, names.tags);
  if (w.pos === contentStart) {
    w.pos = start; // no names: no section
    return;
  }
  w.endSized(mark);
}
