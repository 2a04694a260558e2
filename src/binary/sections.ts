// The module's outer structure (spec §5.5.2 "Sections", §5.5.16 "Modules"): the magic
// number and version, then sections, each an id byte and a u32 size. Known sections
// come at most once and in order (type, import, function, table, memory, tag, global,
// export, start, element, data count, code, data); custom sections (id 0) may come
// anywhere.
//
// `SectionIterator` walks the sections without looking inside them; it checks the
// header, ids, sizes and order. Messages as in the reference interpreter: "magic header
// not detected", "unknown binary version", "malformed section id", "length out of
// bounds" (a size past the end of the input), and "unexpected content after last
// section" for a known section that is repeated or out of order.

import type { FeatureSet } from '../model/features.ts';
import type { SectionName } from '../model/types.ts';
import { Reader, UNEXPECTED_END } from './reader.ts';

/** Section names by id (0: custom). */
export const SECTION_NAMES: readonly (SectionName | 'custom')[] = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'dataCount', 'tag',
];

/** Position of each known section id in the required order (custom: 0). */
const ORDER: readonly number[] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

/** One section: where it is and what it is. Offsets are in the whole file. */
export interface SectionInfo {
  /** The section id (0 for custom sections). */
  readonly id: number;
  readonly name: SectionName | 'custom';
  /** Offset of the id byte. */
  readonly offset: number;
  /** Offset of the contents (after the size). */
  readonly start: number;
  /** Offset just after the contents. */
  readonly end: number;
  /** Custom sections: the section's name; null for known sections. */
  readonly customName: string | null;
  /** Custom sections: offset of the data after the name; otherwise `start`. */
  readonly dataStart: number;
}

/** Reads the 8-byte header: "\0asm" and version 1. */
export function readHeader(r: Reader): void {
  const buf = r.buf;
  const pos = r.pos;
  if (r.end - pos < 4) r.fail('unexpected end', r.end);
  if (buf[pos] !== 0x00 || buf[pos + 1] !== 0x61 || buf[pos + 2] !== 0x73 || buf[pos + 3] !== 0x6d) {
    r.fail('magic header not detected', pos);
  }
  if (r.end - pos < 8) r.fail('unexpected end', r.end);
  if (buf[pos + 4] !== 0x01 || buf[pos + 5] !== 0x00 || buf[pos + 6] !== 0x00 || buf[pos + 7] !== 0x00) {
    r.fail('unknown binary version', pos + 4);
  }
  r.pos = pos + 8;
}

/**
 * Walks the sections of a module. `next()` returns the next section (leaving the reader
 * at its contents; a custom section's name has been read), or null at the end of the
 * input. Whatever the caller reads, the next call continues after the section.
 */
export class SectionIterator {
  readonly r: Reader;
  private nextPos: number;
  private lastOrder = 0;
  private readonly tags: boolean;
  /** The last known (non-custom) section seen, or null. */
  lastKnown: SectionName | null = null;

  /** Checks the header; `r` must be at the start of the module. */
  constructor(r: Reader, features: FeatureSet | null = null) {
    this.r = r;
    readHeader(r);
    this.nextPos = r.pos;
    this.tags = features === null || features.exceptions || features['legacy-exceptions'];
  }

  next(): SectionInfo | null {
    const r = this.r;
    const offset = this.nextPos;
    if (offset >= r.end) return null;
    r.pos = offset;
    const id = r.buf[offset]!;
    if (id > 13 || (id === 13 && !this.tags)) r.fail('malformed section id', offset);
    r.pos = offset + 1;
    if (r.pos >= r.end) r.fail('unexpected end', r.pos);
    const size = r.count();
    const start = r.pos;
    const end = start + size;
    this.nextPos = end;
    const name = SECTION_NAMES[id]!;
    if (id === 0) {
      const customName = r.name(true);
      // The name is part of the contents: it may not reach past them.
      if (r.pos > end) r.fail('unexpected end', r.pos);
      // Nor may the contents reach past the input (`count` allows a size up to the
      // bytes left from the size's own first byte, so up to 4 bytes too many).
      if (end > r.end) r.fail(UNEXPECTED_END, r.end);
      return { id, name, offset: r.offsetOf(offset), start: r.offsetOf(start), end: r.offsetOf(end), customName, dataStart: r.offsetOf(r.pos) };
    }
    const order = ORDER[id]!;
    if (order <= this.lastOrder) {
      const what = order === this.lastOrder ? `duplicate ${name} section` : `${name} section out of order`;
      r.fail(`unexpected content after last section (${what})`, offset);
    }
    this.lastOrder = order;
    this.lastKnown = name as SectionName;
    return { id, name, offset: r.offsetOf(offset), start: r.offsetOf(start), end: r.offsetOf(end), customName: null, dataStart: r.offsetOf(start) };
  }
}

/** The sections of a module, in order (checking the header, ids, sizes and order). */
export function* readSections(bytes: Uint8Array, features: FeatureSet | null = null): Generator<SectionInfo> {
  const it = new SectionIterator(new Reader(bytes), features);
  for (let s = it.next(); s !== null; s = it.next()) yield s;
}
