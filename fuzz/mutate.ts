// Mutators: byte-level (bits, bytes, ranges, LEB128 numbers, section headers and
// counts, sections spliced in from another seed) and structure-level (the model of a
// decoded seed: instructions swapped, deleted, duplicated, replaced or re-aimed, bodies
// nested thousands deep, types, limits, globals and exports changed, parts taken from
// another module), the latter re-encoded with our encoder.

import { encodeModule } from '../src/binary/index.ts';
import { concatBytes } from '../src/binary/writer.ts';
import { WasmError } from '../src/model/errors.ts';
import { INSTRUCTIONS, op } from '../src/model/opcodes.ts';
import type { Immediate, ImmKind, Instruction } from '../src/model/instruction.ts';
import type { Func, Global, Limits, Module, RecGroup, SubType, ValType } from '../src/model/types.ts';
import { Rng } from './rng.ts';

/** Inputs are kept below this size; a mutation that would grow past it is dropped. */
export const MAX_INPUT = 1 << 20;

// ---------------------------------------------------------------------------------------
// LEB128 helpers (encoding only what we write; decoding leniently).

function uleb(value: bigint, pad = 0): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n || pad > 0) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  for (; pad > 0; pad--) out.push(pad === 1 ? 0x00 : 0x80);
  return out;
}

/** An unsigned LEB128 at `pos`: its value and length, or null if it runs off the end. */
function readUleb(bytes: Uint8Array, pos: number): { value: bigint; length: number } | null {
  let value = 0n;
  let shift = 0n;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i]!;
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) return { value, length: i - pos + 1 };
  }
  return null;
}

const INTERESTING_U32: readonly bigint[] = [
  0n, 1n, 2n, 0x3fn, 0x40n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x3fffn, 0x4000n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n,
  0x10001n, 50000n, 50001n, 65520n, 65521n, 100000n, 1000000n, 10000000n, 10000001n, 0x7fffffffn,
  0x80000000n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn,
];

const INTERESTING_BYTES: readonly number[] = [0x00, 0x01, 0x02, 0x0b, 0x40, 0x41, 0x60, 0x6f, 0x70, 0x7f, 0x80, 0xfb, 0xfc, 0xfd, 0xfe, 0xff];

/** Byte strings worth inserting: opcodes, prefixes, bad LEBs, type codes. */
const INTERESTING_RUNS: readonly number[][] = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0x80, 0x80, 0x80, 0x80, 0x10],
  [0x02, 0x40],
  [0x03, 0x40],
  [0x04, 0x40],
  [0x0b],
  [0x05],
  [0x1f, 0x40, 0x00],
  [0x06, 0x40],
  [0xfb, 0x00],
  [0xfc, 0x08, 0x00, 0x00],
  [0xfd, 0x0c],
  [0xfe, 0x03, 0x00],
  [0x4e, 0x01],
  [0x50, 0x00],
  [0x4f, 0x00],
  [0x63, 0x00],
  [0x64, 0x70],
  [0x5e, 0x7f, 0x01],
  [0x5f, 0x00],
  [0x60, 0x00, 0x00],
  [0x41, 0x00],
  [0x1a],
  [0x00],
];

// ---------------------------------------------------------------------------------------
// Sections, read leniently (a mutated file may be anything).

export interface RawSection {
  readonly id: number;
  /** Offset of the id byte. */
  readonly start: number;
  /** Offset of the payload. */
  readonly payload: number;
  /** Offset just after the payload. */
  readonly end: number;
}

export function rawSections(bytes: Uint8Array): RawSection[] {
  const out: RawSection[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const size = readUleb(bytes, pos + 1);
    if (size === null) break;
    const payload = pos + 1 + size.length;
    const end = payload + Number(size.value);
    if (end > bytes.length || size.value > BigInt(bytes.length)) break;
    out.push({ id, start: pos, payload, end });
    pos = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Byte-level mutators: each returns the new bytes, or null when it does not apply.

type ByteMutator = (r: Rng, b: Uint8Array, other: () => Uint8Array) => Uint8Array | null;

function interestingValue(r: Rng, old: bigint): bigint {
  switch (r.int(4)) {
    case 0: return r.pick(INTERESTING_U32);
    case 1: return old + 1n;
    case 2: return old > 0n ? old - 1n : 0n;
    default: return BigInt(r.u32());
  }
}

/** Replaces the LEB128 at `pos` (of `length` bytes) by `value`, maybe padded. */
function replaceLeb(r: Rng, b: Uint8Array, pos: number, length: number, value: bigint): Uint8Array {
  const enc = uleb(value, r.chance(0.15) ? r.range(1, 4) : 0);
  return concatBytes([b.subarray(0, pos), enc, b.subarray(pos + length)]);
}

const BYTE_MUTATORS: readonly [string, number, ByteMutator][] = [
  ['flip-bit', 3, (r, b) => {
    if (b.length === 0) return null;
    const c = b.slice();
    c[r.int(c.length)]! ^= 1 << r.int(8);
    return c;
  }],
  ['set-byte', 3, (r, b) => {
    if (b.length === 0) return null;
    const c = b.slice();
    c[r.int(c.length)] = r.chance(0.5) ? r.pick(INTERESTING_BYTES) : r.int(256);
    return c;
  }],
  ['insert-bytes', 2, (r, b) => {
    const at = r.int(b.length + 1);
    const run = r.chance(0.6) ? r.pick(INTERESTING_RUNS) : Array.from(r.bytes(r.range(1, 8)));
    return concatBytes([b.subarray(0, at), run, b.subarray(at)]);
  }],
  ['delete-range', 2, (r, b) => {
    if (b.length < 2) return null;
    const at = r.int(b.length);
    const n = Math.min(b.length - at, r.chance(0.7) ? r.range(1, 4) : r.range(1, 64));
    return concatBytes([b.subarray(0, at), b.subarray(at + n)]);
  }],
  ['duplicate-range', 1, (r, b) => {
    if (b.length < 2) return null;
    const at = r.int(b.length);
    const n = Math.min(b.length - at, r.range(1, 32));
    const to = r.int(b.length + 1);
    const times = r.chance(0.9) ? 1 : r.range(2, 2000);
    const chunk = b.subarray(at, at + n);
    const parts: Uint8Array[] = [b.subarray(0, to)];
    for (let i = 0; i < times; i++) parts.push(chunk);
    parts.push(b.subarray(to));
    return concatBytes(parts);
  }],
  ['truncate', 1, (r, b) => (b.length < 2 ? null : b.slice(0, r.int(b.length)))],
  ['leb', 4, (r, b) => {
    if (b.length <= 8) return null;
    const pos = r.range(8, b.length - 1);
    const leb = readUleb(b, pos);
    if (leb === null) return null;
    return replaceLeb(r, b, pos, leb.length, interestingValue(r, leb.value));
  }],
  ['section-size', 2, (r, b) => {
    const ss = rawSections(b);
    if (ss.length === 0) return null;
    const s = r.pick(ss);
    return replaceLeb(r, b, s.start + 1, s.payload - s.start - 1, interestingValue(r, BigInt(s.end - s.payload)));
  }],
  ['section-count', 4, (r, b) => {
    // The first LEB of a section is its vector's length (or a custom section's name length).
    const ss = rawSections(b).filter((s) => s.end > s.payload);
    if (ss.length === 0) return null;
    const s = r.pick(ss);
    const leb = readUleb(b, s.payload);
    if (leb === null) return null;
    const value = interestingValue(r, leb.value);
    const enc = uleb(value, r.chance(0.15) ? r.range(1, 4) : 0);
    const payload = concatBytes([enc, b.subarray(s.payload + leb.length, s.end)]);
    // Keep the section's size right (mostly), so the count is what gets tested.
    const size = r.chance(0.85) ? payload.length : interestingValue(r, BigInt(payload.length));
    return concatBytes([b.subarray(0, s.start), [s.id], uleb(BigInt(size)), payload, b.subarray(s.end)]);
  }],
  ['section-delete', 1, (r, b) => {
    const ss = rawSections(b);
    if (ss.length === 0) return null;
    const s = r.pick(ss);
    return concatBytes([b.subarray(0, s.start), b.subarray(s.end)]);
  }],
  ['section-duplicate', 1, (r, b) => {
    const ss = rawSections(b);
    if (ss.length === 0) return null;
    const s = r.pick(ss);
    const to = r.pick(ss.map((x) => x.start).concat([b.length]));
    return concatBytes([b.subarray(0, to), b.subarray(s.start, s.end), b.subarray(to)]);
  }],
  ['section-swap', 1, (r, b) => {
    const ss = rawSections(b);
    if (ss.length < 2) return null;
    const i = r.int(ss.length - 1);
    const x = ss[i]!;
    const y = ss[i + 1]!;
    return concatBytes([b.subarray(0, x.start), b.subarray(y.start, y.end), b.subarray(x.start, x.end), b.subarray(y.end)]);
  }],
  ['section-id', 1, (r, b) => {
    const ss = rawSections(b);
    if (ss.length === 0) return null;
    const c = b.slice();
    c[r.pick(ss).start] = r.chance(0.8) ? r.int(14) : r.int(256);
    return c;
  }],
  ['splice-section', 3, (r, b, other) => {
    // A section of another seed, in place of this one's of the same id, or inserted.
    const o = other();
    const os = rawSections(o);
    if (os.length === 0) return null;
    const s = r.pick(os);
    const chunk = o.subarray(s.start, s.end);
    const ss = rawSections(b);
    const same = ss.find((x) => x.id === s.id);
    if (same !== undefined && r.chance(0.7)) return concatBytes([b.subarray(0, same.start), chunk, b.subarray(same.end)]);
    const to = r.pick(ss.map((x) => x.start).concat([b.length]));
    return concatBytes([b.subarray(0, to), chunk, b.subarray(to)]);
  }],
  ['splice-tail', 1, (r, b, other) => {
    const o = other();
    if (o.length <= 8 || b.length <= 8) return null;
    return concatBytes([b.subarray(0, r.range(8, b.length)), o.subarray(r.range(8, o.length))]);
  }],
];

const BYTE_WEIGHTS = BYTE_MUTATORS.map((m) => m[1]);

/** Applies one byte-level mutation (retrying a few that do not apply); names it in `log`. */
export function mutateBytes(r: Rng, bytes: Uint8Array, other: () => Uint8Array, log: string[]): Uint8Array {
  for (let tries = 0; tries < 8; tries++) {
    const [name, , m] = BYTE_MUTATORS[r.weighted(BYTE_WEIGHTS)]!;
    const out = m(r, bytes, other);
    if (out !== null && out.length <= MAX_INPUT) {
      log.push(name);
      return out;
    }
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Structure-level mutators on the model.

/** Rows by immediate kind, to replace an instruction by another of the same shape. */
const BY_IMM = new Map<ImmKind, number[]>();
for (let o = 0; o < INSTRUCTIONS.length; o++) {
  const k = INSTRUCTIONS[o]!.imm;
  let list = BY_IMM.get(k);
  if (list === undefined) BY_IMM.set(k, (list = []));
  list.push(o);
}

const NUMBER_IMMS: ReadonlySet<ImmKind> = new Set([
  'label', 'func', 'type', 'local', 'global', 'table', 'memory', 'tag', 'elem', 'data', 'lane', 'i32',
]);

function mutateIndex(r: Rng, x: number): number {
  switch (r.int(5)) {
    case 0: return x + 1;
    case 1: return Math.max(0, x - 1);
    case 2: return r.small(8);
    case 3: return Number(r.pick(INTERESTING_U32.filter((v) => v <= 0xffffffffn)));
    default: return x + r.range(2, 100);
  }
}

function mutateImm(r: Rng, kind: ImmKind, imm: Immediate): Immediate | null {
  if (NUMBER_IMMS.has(kind)) return kind === 'i32' ? r.u32() | 0 : mutateIndex(r, imm as number);
  switch (kind) {
    case 'memarg': {
      const m = imm as { align: number; offset: bigint; memory: number };
      switch (r.int(3)) {
        case 0: return { ...m, align: mutateIndex(r, m.align) % 70 };
        case 1: return { ...m, offset: r.pick(INTERESTING_U32) };
        default: return { ...m, memory: mutateIndex(r, m.memory) };
      }
    }
    case 'block':
      return r.chance(0.5) ? null : r.pick<ValType | number>(['i32', 'i64', 'f64', 'v128', r.small(6), { kind: 'ref', nullable: r.chance(0.5), heap: r.pick(['any', 'func', 'exn', 'none', r.small(6)]) }]);
    case 'br_table': {
      const t = imm as { targets: readonly number[]; default: number };
      const targets = t.targets.slice();
      if (targets.length > 0 && r.chance(0.5)) targets[r.int(targets.length)] = mutateIndex(r, targets[0]!);
      else targets.push(r.small(4));
      return { targets, default: r.chance(0.3) ? mutateIndex(r, t.default) : t.default };
    }
    case 'struct_field': {
      const s = imm as { type: number; field: number };
      return r.chance(0.5) ? { ...s, field: mutateIndex(r, s.field) } : { ...s, type: mutateIndex(r, s.type) };
    }
    case 'ref_type': case 'heap_type': {
      const heap = r.chance(0.5) ? r.small(8) : r.pick(['any', 'eq', 'func', 'extern', 'exn', 'none', 'nofunc', 'noextern', 'noexn', 'i31', 'struct', 'array'] as const);
      return kind === 'heap_type' ? heap : { kind: 'ref', nullable: r.chance(0.5), heap };
    }
    case 'call_indirect': {
      const c = imm as { type: number; table: number };
      return r.chance(0.5) ? { ...c, type: mutateIndex(r, c.type) } : { ...c, table: mutateIndex(r, c.table) };
    }
    case 'array_fixed': {
      const a = imm as { type: number; length: number };
      return { ...a, length: mutateIndex(r, a.length) };
    }
    case 'select':
      return r.chance(0.5) ? null : [r.pick<ValType>(['i32', 'i64', 'f32', { kind: 'ref', nullable: true, heap: 'any' }])];
    default:
      return null;
  }
}

type Body = Instruction[];

const BLOCK = op('block');
const LOOP = op('loop');
const IF = op('if');
const TRY_TABLE = op('try_table');
const END = op('end');
const I32_CONST = op('i32.const');

/** Mutations of one function body; each returns a new body. */
const BODY_MUTATORS: readonly [string, number, (r: Rng, b: Body) => Body | null][] = [
  ['instr-swap', 3, (r, b) => {
    if (b.length < 2) return null;
    const c = b.slice();
    const i = r.int(c.length);
    const j = r.chance(0.7) ? Math.min(c.length - 1, i + 1) : r.int(c.length);
    [c[i], c[j]] = [c[j]!, c[i]!];
    return c;
  }],
  ['instr-delete', 3, (r, b) => {
    if (b.length === 0) return null;
    const c = b.slice();
    c.splice(r.int(c.length), r.chance(0.8) ? 1 : r.range(2, 5));
    return c;
  }],
  ['instr-duplicate', 2, (r, b) => {
    if (b.length === 0) return null;
    const c = b.slice();
    const i = r.int(c.length);
    const n = r.chance(0.8) ? 1 : r.range(2, 6);
    c.splice(r.int(c.length + 1), 0, ...c.slice(i, i + n));
    return c;
  }],
  ['instr-replace', 4, (r, b) => {
    if (b.length === 0) return null;
    const c = b.slice();
    const i = r.int(c.length);
    const kind = INSTRUCTIONS[c[i]!.op]!.imm;
    c[i] = { op: r.pick(BY_IMM.get(kind)!), imm: c[i]!.imm };
    return c;
  }],
  ['instr-immediate', 4, (r, b) => {
    const at: number[] = [];
    for (let i = 0; i < b.length; i++) if (b[i]!.imm !== null || INSTRUCTIONS[b[i]!.op]!.imm === 'block') at.push(i);
    if (at.length === 0) return null;
    const i = r.pick(at);
    const kind = INSTRUCTIONS[b[i]!.op]!.imm;
    const imm = mutateImm(r, kind, b[i]!.imm);
    if (imm === null && kind !== 'block' && kind !== 'select') return null;
    const c = b.slice();
    c[i] = { op: b[i]!.op, imm };
    return c;
  }],
  ['instr-move', 2, (r, b) => {
    if (b.length < 2) return null;
    const c = b.slice();
    const [x] = c.splice(r.int(c.length), 1);
    c.splice(r.int(c.length + 1), 0, x!);
    return c;
  }],
  ['nest-deep', 1, (r, b) => {
    // Thousands of nested blocks around (part of) the body: no recursion may overflow.
    const n = r.chance(0.9) ? r.range(100, 3000) : r.range(3000, 60000);
    const opener = r.pick([BLOCK, LOOP, IF, TRY_TABLE]);
    const head: Instruction[] = [];
    for (let i = 0; i < n; i++) {
      if (opener === IF) head.push({ op: I32_CONST, imm: 0 });
      head.push(opener === TRY_TABLE ? { op: TRY_TABLE, imm: { type: null, catches: [] } } : { op: opener, imm: null });
    }
    const tail: Instruction[] = new Array(r.chance(0.9) ? n : n - 1).fill({ op: END, imm: null });
    return [...head, ...b, ...tail];
  }],
];
const BODY_WEIGHTS = BODY_MUTATORS.map((m) => m[1]);

function replaceAt<T>(items: readonly T[], i: number, item: T): T[] {
  const c = items.slice();
  c[i] = item;
  return c;
}

function mutateLimits(r: Rng, l: Limits): Limits {
  switch (r.int(5)) {
    case 0: return { ...l, min: r.pick(INTERESTING_U32) };
    case 1: return { ...l, max: r.chance(0.2) ? null : r.pick(INTERESTING_U32) };
    case 2: return { ...l, shared: !l.shared };
    case 3: return { ...l, address: l.address === 'i32' ? 'i64' : 'i32' };
    default: return { ...l, min: l.max ?? l.min + 1n, max: l.min };
  }
}

function mutateSubType(r: Rng, t: SubType, nTypes: number): SubType {
  switch (r.int(4)) {
    case 0: return { ...t, final: !t.final };
    case 1: return { ...t, supertypes: r.chance(0.3) ? [] : [r.int(nTypes + 1)] };
    case 2: {
      const c = t.composite;
      if (c.kind === 'struct' && c.fields.length > 0) {
        const i = r.int(c.fields.length);
        const f = c.fields[i]!;
        return { ...t, composite: { kind: 'struct', fields: replaceAt(c.fields, i, { ...f, mutable: !f.mutable }) } };
      }
      if (c.kind === 'array') return { ...t, composite: { kind: 'array', element: { ...c.element, mutable: !c.element.mutable } } };
      if (c.kind === 'func') return { ...t, composite: { ...c, results: c.params, params: c.results } };
      return t;
    }
    default: {
      const c = t.composite;
      const v: ValType = r.pick<ValType>(['i32', 'i64', 'v128', { kind: 'ref', nullable: r.chance(0.5), heap: r.chance(0.5) ? r.int(nTypes + 1) : 'any' }]);
      if (c.kind === 'func') return { ...t, composite: { ...c, params: [...c.params, v] } };
      if (c.kind === 'struct') return { ...t, composite: { kind: 'struct', fields: [...c.fields, { storage: v, mutable: r.chance(0.5) }] } };
      return { ...t, composite: { kind: 'array', element: { storage: v, mutable: c.element.mutable } } };
    }
  }
}

/** Module-level mutations; each returns a new module, or null when it does not apply. */
const MODULE_MUTATORS: readonly [string, number, (r: Rng, m: Module, other: () => Module | null) => Module | null][] = [
  ['body', 10, (r, m) => {
    if (m.funcs.length === 0) return null;
    const i = r.int(m.funcs.length);
    const f = m.funcs[i]!;
    const body = BODY_MUTATORS[r.weighted(BODY_WEIGHTS)]![2](r, f.body.slice());
    if (body === null) return null;
    return { ...m, funcs: replaceAt<Func>(m.funcs, i, { ...f, body }) };
  }],
  ['locals', 1, (r, m) => {
    if (m.funcs.length === 0) return null;
    const i = r.int(m.funcs.length);
    const f = m.funcs[i]!;
    const count = r.chance(0.5) ? r.small(10) : Number(r.pick(INTERESTING_U32.filter((v) => v < 0x100000000n)));
    const type: ValType = r.pick<ValType>(['i32', 'f64', 'v128', { kind: 'ref', nullable: r.chance(0.5), heap: 'any' }]);
    return { ...m, funcs: replaceAt<Func>(m.funcs, i, { ...f, locals: [...f.locals, { count, type }] }) };
  }],
  ['func-type', 1, (r, m) => {
    if (m.funcs.length === 0) return null;
    const i = r.int(m.funcs.length);
    return { ...m, funcs: replaceAt<Func>(m.funcs, i, { ...m.funcs[i]!, type: mutateIndex(r, m.funcs[i]!.type) }) };
  }],
  ['type', 2, (r, m) => {
    if (m.types.length === 0) return null;
    const g = r.int(m.types.length);
    const group = m.types[g]!;
    if (group.types.length === 0) return null;
    const n = m.types.reduce((s, x) => s + x.types.length, 0);
    const j = r.int(group.types.length);
    const types = replaceAt(group.types, j, mutateSubType(r, group.types[j]!, n));
    return { ...m, types: replaceAt<RecGroup>(m.types, g, { ...group, types }) };
  }],
  ['rec-group', 1, (r, m) => {
    // Merge two neighbouring groups into one rec group, or split a rec group.
    if (m.types.length === 0) return null;
    const g = r.int(m.types.length);
    const group = m.types[g]!;
    if (group.types.length > 1 && r.chance(0.5)) {
      const parts: RecGroup[] = group.types.map((t) => ({ types: [t], explicit: false }));
      return { ...m, types: [...m.types.slice(0, g), ...parts, ...m.types.slice(g + 1)] };
    }
    const next = m.types[g + 1];
    if (next === undefined) return { ...m, types: replaceAt(m.types, g, { ...group, explicit: !group.explicit }) };
    const merged: RecGroup = { types: [...group.types, ...next.types], explicit: true };
    return { ...m, types: [...m.types.slice(0, g), merged, ...m.types.slice(g + 2)] };
  }],
  ['memory-limits', 2, (r, m) => {
    if (m.memories.length === 0) return { ...m, memories: [{ limits: mutateLimits(r, { address: 'i32', min: 0n, max: null, shared: false }) }] };
    const i = r.int(m.memories.length);
    return { ...m, memories: replaceAt(m.memories, i, { limits: mutateLimits(r, m.memories[i]!.limits) }) };
  }],
  ['table-limits', 1, (r, m) => {
    if (m.tables.length === 0) return null;
    const i = r.int(m.tables.length);
    const t = m.tables[i]!;
    return { ...m, tables: replaceAt(m.tables, i, { ...t, type: { ...t.type, limits: mutateLimits(r, t.type.limits) } }) };
  }],
  ['global', 1, (r, m) => {
    if (m.globals.length === 0) return null;
    const i = r.int(m.globals.length);
    const g = m.globals[i]!;
    const changed: Global = r.chance(0.5)
      ? { ...g, type: { ...g.type, mutable: !g.type.mutable } }
      : { ...g, init: r.chance(0.5) ? [] : [...g.init, ...g.init] };
    return { ...m, globals: replaceAt(m.globals, i, changed) };
  }],
  ['export', 1, (r, m) => {
    if (m.exports.length === 0) return null;
    const i = r.int(m.exports.length);
    const e = m.exports[i]!;
    const changed = r.chance(0.5) ? { ...e, index: mutateIndex(r, e.index) } : { ...e, name: m.exports[r.int(m.exports.length)]!.name };
    return { ...m, exports: replaceAt(m.exports, i, changed) };
  }],
  ['start', 1, (r, m) => ({ ...m, start: m.start === null || r.chance(0.5) ? r.small(m.funcs.length + m.imports.length + 2) : null })],
  ['data-count', 1, (_r, m) => ({ ...m, dataCount: !m.dataCount })],
  ['swap-part', 2, (r, m, other) => {
    // A part of another module in place of this one's: types, functions, globals…
    const o = other();
    if (o === null) return null;
    switch (r.int(6)) {
      case 0: return { ...m, types: o.types };
      case 1: return { ...m, funcs: o.funcs };
      case 2: return { ...m, globals: o.globals };
      case 3: return { ...m, imports: o.imports };
      case 4: return { ...m, elems: o.elems };
      default: return { ...m, tables: o.tables, memories: o.memories };
    }
  }],
];
const MODULE_WEIGHTS = MODULE_MUTATORS.map((m) => m[1]);

/**
 * Applies one structure-level mutation to `module` and encodes the result; null when
 * the mutation does not apply or the result cannot be encoded. An entry of `log`
 * starting with "!" reports an encoder crash.
 */
export function mutateModel(r: Rng, module: Module, other: () => Module | null, log: string[]): Uint8Array | null {
  for (let tries = 0; tries < 4; tries++) {
    const [name, , m] = MODULE_MUTATORS[r.weighted(MODULE_WEIGHTS)]!;
    const out = m(r, module, other);
    if (out === null) continue;
    let bytes: Uint8Array;
    try {
      bytes = encodeModule(out);
    } catch (e) {
      // An EncodeError (an index past 2^32 - 1…) means the model cannot be written; any
      // other error is the encoder's bug, reported with the case ("!" marks it).
      if (!(e instanceof WasmError)) log.push(`!encodeModule threw after ${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      continue;
    }
    if (bytes.length > MAX_INPUT) continue;
    log.push(name);
    return bytes;
  }
  return null;
}
