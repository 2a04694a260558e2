// The shortcuts of the module-level decoding (src/binary/reader.ts, module-reader.ts,
// decode-sections.ts): names decoded through one window per section, indices, body sizes
// and data segments read as validation needs them, and header() sharing one function
// object per type. Each must give what the general path gives, errors included.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { ModuleReader } from '../../src/binary/module-reader.ts';
import { DecodeError } from '../../src/model/errors.ts';
import type { Export, Func } from '../../src/model/types.ts';
import { HEADER, I, hex, mod } from './helpers.ts';

const voidType = { explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func' as const, params: [], results: [] } }] };
const i32Type = { explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func' as const, params: ['i32' as const], results: [] } }] };

/** The DecodeError `f` throws, as "message @offset". */
function decodeError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return `${e.message.replace(/ \(at offset .*\)$/, '')} @${e.offset}`;
    throw e;
  }
  assert.fail('no DecodeError');
}

/** A vector section: id, size, then `body` (hex, with its count). */
function section(id: number, body: string): string {
  const bytes = hex(body);
  let size = '';
  let n = bytes.length;
  do {
    const b = n & 0x7f;
    n >>>= 7;
    size += (n > 0 ? b | 0x80 : b).toString(16).padStart(2, '0');
  } while (n > 0);
  return id.toString(16).padStart(2, '0') + size + body;
}

test('names of long import and export sections, ASCII or not', () => {
  const funcs: Func[] = [];
  const exports: Export[] = [];
  for (let i = 0; i < 400; i++) {
    funcs.push({ type: 0, locals: [], body: [] });
    // Indices above 127 put bytes of 0x80 and more between the names.
    const name = i % 50 === 7 ? `naïve_${i}_日本` : i % 50 === 9 ? `x${'y'.repeat(300)}${i}` : `export_name_${i}`;
    exports.push({ name, kind: 'func', index: i });
  }
  const imports = [
    { module: 'env', name: 'a'.repeat(600), desc: { kind: 'func' as const, type: 0 } },
    { module: 'wasi_snapshot_preview1', name: 'fd_write', desc: { kind: 'func' as const, type: 0 } },
  ];
  const m = mod({ types: [voidType], imports, funcs, exports });
  const bytes = encodeModule(m);
  const want = exports.map((e) => e.name);
  assert.deepEqual(decodeModule(bytes).exports.map((e) => e.name), want);
  const reader = new ModuleReader(bytes);
  assert.deepEqual(reader.exports().map((e) => e.name), want);
  assert.deepEqual(reader.imports().map((e) => [e.module, e.name]), imports.map((e) => [e.module, e.name]));
  // Again on a reader that has decoded other sections since.
  reader.types();
  assert.deepEqual(reader.exports().map((e) => e.name), want);
});

test('custom section names', () => {
  const m = mod({
    types: [voidType],
    customs: [
      { name: 'dylink.0', bytes: new Uint8Array([1, 2, 3]), placement: { kind: 'after', section: 'type' } },
      { name: 'é'.repeat(40), bytes: new Uint8Array(600).fill(0x41), placement: { kind: 'after', section: 'type' } },
    ],
  });
  const bytes = encodeModule(m);
  const customs = new ModuleReader(bytes).sections.filter((s) => s.id === 0).map((s) => s.customName);
  assert.deepEqual(customs, ['dylink.0', 'é'.repeat(40)]);
  assert.deepEqual(decodeModule(bytes).customs.map((c) => c.name), ['dylink.0', 'é'.repeat(40)]);
});

test('function type indices of one, two and more bytes, minimal or not', () => {
  const types = new Array(20000).fill(voidType);
  const typeSection = encodeModule(mod({ types })).subarray(8);
  // 0, 127, 128, 16383, 16384, 19999, then 5 written in two and in three bytes.
  const funcSection = section(3, '08 00 7f 8001 ff7f 808001 9f9c01 8500 858000');
  const codeSection = section(10, '08' + '02000b'.repeat(8));
  const bytes = new Uint8Array([...hex(HEADER), ...typeSection, ...hex(funcSection + codeSection)]);
  const want = [0, 127, 128, 16383, 16384, 19999, 5, 5];
  assert.deepEqual(new ModuleReader(bytes).functionTypes(), want);
  assert.deepEqual(decodeModule(bytes).funcs.map((f) => f.type), want);
  // An index running past the section's end is read on (reads stop at the end of the
  // input), then found too long for the section.
  const cut = hex(HEADER + section(3, '02 00 80') + section(10, '02 02000b 02000b'));
  assert.equal(decodeError(() => new ModuleReader(cut).functionTypes()), 'section size mismatch @10');
  assert.equal(decodeError(() => decodeModule(cut)), 'section size mismatch @10');
});

test('body sizes of one, two and three bytes', () => {
  const body = (n: number) => Array.from({ length: n }, () => I('nop'));
  const m = mod({
    types: [voidType],
    funcs: [
      { type: 0, locals: [], body: [] },
      { type: 0, locals: [], body: body(300) },
      { type: 0, locals: [], body: body(20000) },
      { type: 0, locals: [], body: body(1) },
    ],
  });
  const bytes = encodeModule(m);
  const reader = new ModuleReader(bytes);
  const at = reader.bodyOffsets();
  const sizes = [];
  for (let i = 0; i < at.length; i += 3) sizes.push(at[i + 2]! - at[i + 1]!);
  assert.deepEqual(sizes, [2, 302, 20002, 3]); // a locals count, the body, its end
  assert.deepEqual(reader.functionBodies().map((b) => [b.offset, b.start, b.end]), [0, 1, 2, 3].map((i) => [at[3 * i], at[3 * i + 1], at[3 * i + 2]]));
  assert.equal(decodeModule(bytes).funcs[2]!.body.length, 20000);
});

test('body sizes past the end of the input', () => {
  // Type section, one function, then a code section whose only entry claims more bytes.
  const prefix = HEADER + section(1, '01 60 00 00') + section(3, '01 00');
  const codeAt = hex(prefix).length;
  const withEntry = (entry: string): Uint8Array => hex(prefix + section(10, '01' + entry));
  // The size's offset: the section id, its size (one byte), the count.
  const sizeAt = codeAt + 3;
  // More than the bytes left from the size's first byte: as count() says it.
  assert.equal(decodeError(() => new ModuleReader(withEntry('ff01 000b')).bodyOffsets()), `length out of bounds @${sizeAt}`);
  assert.equal(decodeError(() => new ModuleReader(withEntry('09 000b')).bodyOffsets()), `length out of bounds @${sizeAt}`);
  // Within that bound, but past the end once the size's own bytes are counted.
  const twoByteSize = withEntry('8401 ' + '00'.repeat(130));
  assert.equal(decodeError(() => new ModuleReader(twoByteSize).bodyOffsets()), `unexpected end of section or function @${twoByteSize.length}`);
  const oneByte = withEntry('03 000b');
  assert.equal(decodeError(() => new ModuleReader(oneByte).bodyOffsets()), `unexpected end of section or function @${oneByte.length}`);
  // A size cut short by the end of the input.
  const cut = withEntry('80');
  assert.equal(decodeError(() => new ModuleReader(cut).bodyOffsets()), `unexpected end of section or function @${cut.length}`);
});

test('data segments at an i32.const offset, however their numbers are written', () => {
  const segs = [
    '00 41 00 0b 01 aa', // offset 0, one byte
    '00 41 ff 00 0b 02 aaaa', // offset 127 in two bytes
    '00 41 80 80 80 00 0b 00', // offset 0 in four bytes
    '00 41 80 80 80 80 00 0b 00', // offset 0 in five bytes
    '00 41 ff ff ff ff 07 0b 00', // 2^31 - 1
    '00 41 00 0b 8001 ' + 'bb'.repeat(128), // 128 bytes, a count in two bytes
    '00 41 00 0b 808001 ' + 'cc'.repeat(16384), // a count in three bytes
    '01 03 010203', // passive
    '00 41 00 0b 00', // the last one, fewer than eight bytes before the end
  ];
  const bytes = hex(HEADER + section(5, '01 00 01') + section(11, segs.length.toString(16).padStart(2, '0') + segs.join('')));
  const header = new ModuleReader(bytes).header();
  const full = decodeModule(bytes);
  assert.equal(header.datas.length, segs.length);
  assert.deepEqual(header.datas.map((d) => d.mode.kind), full.datas.map((d) => d.mode.kind));
  for (const d of header.datas) {
    assert.equal(d.bytes.length, 0);
    if (d.mode.kind === 'active') assert.deepEqual(d.mode.offset.map((i) => i.op), [I('i32.const').op]);
  }
  assert.deepEqual(full.datas.map((d) => d.bytes.length), [1, 2, 0, 0, 0, 128, 16384, 3, 0]);
  // Malformed ones fail as in the general path.
  const bad = (seg: string) => hex(HEADER + section(5, '01 00 01') + section(11, '01' + seg));
  for (const seg of ['00 41 80 80 80 80 70 0b 00', '00 41 80 80 80 80 80 00 0b 00', '00 41 00 0b 05 aa', '00 41 00 0b 8001 aa', '00 41 00 00 00']) {
    assert.equal(decodeError(() => new ModuleReader(bad(seg)).header()), decodeError(() => decodeModule(bad(seg))), seg);
  }
});

test('header(): functions of one type share one object', () => {
  const m = mod({
    types: [voidType, i32Type],
    funcs: [0, 1, 0, 1, 1].map((type) => ({ type, locals: [], body: [I('nop')] })),
  });
  const header = new ModuleReader(encodeModule(m)).header();
  assert.deepEqual(header.funcs.map((f) => f.type), [0, 1, 0, 1, 1]);
  assert.equal(header.funcs[0], header.funcs[2]);
  assert.equal(header.funcs[1], header.funcs[4]);
  assert.deepEqual(header.funcs[1], { type: 1, locals: [], body: [] });
  // An index past the types is kept as it is (validation reports it).
  const bytes = hex(HEADER + section(1, '01 60 00 00') + section(3, '02 07 07') + section(10, '02 02000b 02000b'));
  assert.deepEqual(new ModuleReader(bytes).header().funcs.map((f) => f.type), [7, 7]);
});
