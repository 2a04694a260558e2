// Decoding the `name` custom section (spec appendix "Name Section", with the extended
// name section's subsections 3-11 as wasm-tools writes them: labels, types, tables,
// memories, globals, elems, datas, fields, tags).
//
// Engines ignore a name section they cannot read, so a malformed one is not an error:
// `decodeNames` returns null and the decoder keeps the section as an ordinary custom
// section. So does a section that holds no names at all (the encoder would drop it).
// Malformed means: a subsection out of order, repeated or unknown, a subsection or map
// that does not fill its size exactly, a repeated index in a map, or bad UTF-8.

import { DecodeError } from '../model/errors.ts';
import type { IndirectNameMap, NameMap, Names } from '../model/types.ts';
import { Reader } from './reader.ts';

function readNameMap(r: Reader): Map<number, string> {
  const n = r.count();
  const map = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    const name = r.name();
    if (map.has(index)) r.fail('duplicate index in name map');
    map.set(index, name);
  }
  return map;
}

function readIndirectNameMap(r: Reader): Map<number, NameMap> {
  const n = r.count();
  const map = new Map<number, NameMap>();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    const inner = readNameMap(r);
    if (map.has(index)) r.fail('duplicate index in name map');
    if (inner.size > 0) map.set(index, inner); // the encoder leaves empty inner maps out
  }
  return map;
}

/**
 * Decodes the contents of a `name` section, `buf[start..end)` (after the section's
 * name); `base` is the offset of `buf[0]` in the file. Null when it is malformed or
 * holds no names.
 */
export function decodeNames(buf: Uint8Array, start: number, end: number, base = 0): Names | null {
  const r = new Reader(buf, start, end, base);
  let module: string | null = null;
  const maps: Map<number, string>[] = [];
  const indirect: Map<number, NameMap>[] = [];
  let last = -1;
  try {
    while (r.pos < end) {
      const id = r.u8();
      const size = r.count();
      const subEnd = r.pos + size;
      if (id <= last || id > 11) return null;
      last = id;
      r.end = subEnd;
      switch (id) {
        case 0:
          module = r.name();
          break;
        case 2:
        case 3:
        case 10:
          indirect[id] = readIndirectNameMap(r);
          break;
        default:
          maps[id] = readNameMap(r);
      }
      if (r.pos !== subEnd) return null;
      r.end = end;
    }
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
  const names: Names = {
    module,
    funcs: maps[1] ?? new Map(),
    locals: indirect[2] ?? new Map(),
    labels: indirect[3] ?? new Map(),
    types: maps[4] ?? new Map(),
    tables: maps[5] ?? new Map(),
    memories: maps[6] ?? new Map(),
    globals: maps[7] ?? new Map(),
    elems: maps[8] ?? new Map(),
    datas: maps[9] ?? new Map(),
    fields: indirect[10] ?? new Map(),
    tags: maps[11] ?? new Map(),
  };
  return hasNames(names) ? names : null;
}

function hasNames(n: Names): boolean {
  if (n.module !== null) return true;
  const maps: (NameMap | IndirectNameMap)[] = [
    n.funcs, n.locals, n.labels, n.types, n.tables, n.memories, n.globals, n.elems, n.datas,
    n.fields, n.tags,
  ];
  for (const m of maps) if (m.size > 0) return true;
  return false;
}
