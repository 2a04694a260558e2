// The lazy layer: the section iterator, ModuleReader (sections on demand, function
// bodies one at a time) and CodeReader.next (instruction by instruction).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { CodeReader } from '../../src/binary/decode-instr.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { ModuleReader } from '../../src/binary/module-reader.ts';
import { Reader, decodeUtf8 } from '../../src/binary/reader.ts';
import { readSections } from '../../src/binary/sections.ts';
import { DecodeError } from '../../src/model/errors.ts';
import { INSTRUCTIONS, op } from '../../src/model/opcodes.ts';
import { emptyNames, type Module } from '../../src/model/types.ts';
import { HEADER, I, hex, mod } from './helpers.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const REAL = new Uint8Array(readFileSync(`${here}../../node_modules/web-tree-sitter/web-tree-sitter.wasm`));

const voidType = { explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func' as const, params: [], results: [] } }] };

function sample(): Module {
  return mod({
    types: [voidType],
    imports: [
      { module: 'env', name: 'a', desc: { kind: 'func', type: 0 } },
      { module: 'env', name: 'mem', desc: { kind: 'memory', type: { limits: { address: 'i32', min: 1n, max: null, shared: false } } } },
    ],
    funcs: [
      { type: 0, locals: [], body: [I('call', 0)] },
      { type: 0, locals: [{ count: 3, type: 'i64' }], body: [I('i32.const', 1), I('if', null), I('nop'), I('else'), I('unreachable'), I('end'), I('i32.const', 0), I('data.drop', 0)] },
    ],
    exports: [{ name: 'run', kind: 'func', index: 2 }],
    start: 1,
    datas: [{ mode: { kind: 'passive' }, bytes: new Uint8Array([1]) }],
    dataCount: true,
    customs: [{ name: 'meta', bytes: new Uint8Array([7, 8]), placement: { kind: 'after', section: 'import' } }],
    names: { ...emptyNames(), funcs: new Map([[2, 'run']]) },
  });
}

test('readSections lists every section with offsets in the file', () => {
  const bytes = encodeModule(sample());
  const list = [...readSections(bytes)];
  assert.deepEqual(
    list.map((s) => s.name === 'custom' ? `custom:${s.customName}` : s.name),
    ['type', 'import', 'custom:meta', 'function', 'export', 'start', 'dataCount', 'code', 'data', 'custom:name'],
  );
  assert.equal(list[0]!.offset, 8);
  for (const s of list) {
    assert.equal(bytes[s.offset], s.id);
    assert.ok(s.start > s.offset && s.end >= s.start && s.dataStart >= s.start);
  }
  assert.equal(list.at(-1)!.end, bytes.length);
  const meta = list[2]!;
  assert.deepEqual([...bytes.subarray(meta.dataStart, meta.end)], [7, 8]);
});

test('ModuleReader decodes sections on demand, like decodeModule', () => {
  const m = sample();
  const bytes = encodeModule(m);
  const r = new ModuleReader(bytes);
  assert.deepStrictEqual(r.types(), m.types);
  assert.deepStrictEqual(r.imports(), m.imports);
  assert.deepStrictEqual(r.exports(), m.exports);
  assert.deepStrictEqual(r.functionTypes(), [0, 0]);
  assert.equal(r.start(), 1);
  assert.equal(r.dataCount(), 1);
  assert.deepStrictEqual(r.datas(), m.datas);
  assert.deepStrictEqual(r.customs(), m.customs);
  assert.deepStrictEqual(r.names(), m.names);
  assert.deepStrictEqual(r.tables(), []);
  assert.deepStrictEqual(r.memories(), []);
  assert.deepStrictEqual(r.globals(), []);
  assert.deepStrictEqual(r.elems(), []);
  assert.deepStrictEqual(r.tags(), []);
  assert.equal(r.importedFunctionCount(), 1);
  assert.deepStrictEqual(r.module(), m);
  assert.equal(r.section('code')!.name, 'code');
  assert.equal(r.section('table'), null);
  const bodies = r.functionBodies();
  assert.deepEqual(bodies.map((b) => [b.index, b.defined, b.type]), [[1, 0, 0], [2, 1, 0]]);
  assert.deepStrictEqual(bodies.map((b) => r.readFunctionBody(b)), m.funcs);
});

test('imports and exports of a module whose bodies are broken', () => {
  const m = sample();
  const bytes = encodeModule(m);
  const r0 = new ModuleReader(bytes);
  const second = r0.functionBodies()[1]!;
  // Break the second body: an illegal opcode where its first instruction is (after one
  // run of locals: 01 03 7e).
  const broken = bytes.slice();
  broken[second.start + 3] = 0xff;
  assert.throws(() => decodeModule(broken), DecodeError);
  const r = new ModuleReader(broken);
  assert.deepStrictEqual(r.imports(), m.imports);
  assert.deepStrictEqual(r.exports(), m.exports);
  assert.deepStrictEqual(r.readFunctionBody(r.functionBodies()[0]!), m.funcs[0]);
  assert.throws(() => r.readFunctionBody(r.functionBodies()[1]!), (e: unknown) => e instanceof DecodeError && e.offset === second.start + 3 && e.reason === 'illegal opcode ff');
});

test('the constructor checks the outer structure only', () => {
  assert.throws(() => new ModuleReader(hex(HEADER + '01 01 00 01 01 00')), /unexpected content after last section/);
  assert.throws(() => new ModuleReader(hex(HEADER + '03 02 01 00')), /function and code section have inconsistent lengths/);
  assert.throws(() => new ModuleReader(hex(HEADER + '0c 01 02')), /data count and data section have inconsistent lengths/);
  // A broken type section is found when it is read.
  const r = new ModuleReader(hex(HEADER + '01 02 01 61'));
  assert.throws(() => r.types(), /malformed definition type/);
});

test('bodyReader: instruction by instruction, with offsets', () => {
  const m = sample();
  const bytes = encodeModule(m);
  const r = new ModuleReader(bytes);
  const body = r.functionBodies()[1]!;
  const cursor = r.bodyReader(body);
  assert.deepStrictEqual(cursor.locals, [{ count: 3, type: 'i64' }]);
  const reader = cursor.reader;
  const names: string[] = [];
  const offsets: number[] = [];
  while (reader.depth !== 0) {
    const row = reader.next();
    names.push(INSTRUCTIONS[row]!.name);
    offsets.push(reader.instrStart);
  }
  cursor.finish();
  assert.deepEqual(names, ['i32.const', 'if', 'nop', 'else', 'unreachable', 'end', 'i32.const', 'data.drop', 'end']);
  assert.equal(offsets[0], body.start + 3);
  assert.equal(offsets.at(-1), body.end - 1);
  // readFunctionBody can record the same offsets.
  const recorded: number[] = [];
  r.readFunctionBody(body, recorded);
  assert.deepEqual(recorded, offsets);
});

test('the data count rule applies to bodies read one at a time', () => {
  const m = { ...sample(), dataCount: false };
  const bytes = encodeModule(m);
  const r = new ModuleReader(bytes);
  const body = r.functionBodies()[1]!;
  assert.throws(() => r.readFunctionBody(body), /data count section required/);
  assert.doesNotThrow(() => r.readFunctionBody(r.functionBodies()[0]!));
});

test('a real module: lazy reading agrees with decodeModule', () => {
  const full = decodeModule(REAL);
  const r = new ModuleReader(REAL);
  assert.deepStrictEqual(r.imports(), full.imports);
  assert.deepStrictEqual(r.exports(), full.exports);
  const bodies = r.functionBodies();
  assert.equal(bodies.length, full.funcs.length);
  for (let i = 0; i < bodies.length; i += 7) assert.deepStrictEqual(r.readFunctionBody(bodies[i]!), full.funcs[i]);
  // Streaming every body gives the same instruction count.
  let count = 0;
  let modelCount = 0;
  let reuse: CodeReader | undefined;
  for (const b of bodies) {
    const c = r.bodyReader(b, reuse);
    reuse = c.reader;
    while (c.reader.depth !== 0) {
      c.reader.next();
      count++;
    }
    c.finish();
  }
  for (const f of full.funcs) modelCount += f.body.length + 1;
  assert.equal(count, modelCount);
});

test('Reader: LEB128 limits, as the reference interpreter reads them', () => {
  const read = (h: string, f: (r: Reader) => unknown): unknown => f(new Reader(hex(h)));
  assert.equal(read('ff ff ff ff 0f', (r) => r.u32()), 0xffff_ffff);
  assert.equal(read('80 80 80 80 00', (r) => r.u32()), 0);
  assert.equal(read('ff ff ff ff 07', (r) => r.s32()), 0x7fff_ffff);
  assert.equal(read('80 80 80 80 78', (r) => r.s32()), -0x8000_0000);
  assert.equal(read('ff ff ff ff 0f', (r) => r.s33()), 0xffff_ffff);
  assert.equal(read('80 80 80 80 70', (r) => r.s33()), -0x1_0000_0000);
  assert.equal(read('ff ff ff ff ff ff ff ff ff 01', (r) => r.u64()), 0xffff_ffff_ffff_ffffn);
  assert.equal(read('80 80 80 80 80 80 80 80 40', (r) => r.s64()), -(1n << 62n));
  assert.equal(read('ff ff ff ff ff ff ff ff ff 00', (r) => r.s64()), 0x7fff_ffff_ffff_ffffn);
  assert.equal(read('c0 bb 78', (r) => r.s64()), -123456n);
  const fail = (h: string, f: (r: Reader) => unknown, msg: string, at: number) =>
    assert.throws(() => read(h, f), (e: unknown) => e instanceof DecodeError && e.reason === msg && e.offset === at);
  fail('ff ff ff ff 1f', (r) => r.u32(), 'integer too large', 4);
  fail('ff ff ff ff 8f 00', (r) => r.u32(), 'integer representation too long', 5);
  fail('ff ff ff ff 90 00', (r) => r.u32(), 'integer too large', 4);
  fail('80 80 80 80 08', (r) => r.s32(), 'integer too large', 4);
  fail('ff ff ff ff 77', (r) => r.s32(), 'integer too large', 4);
  fail('80 80 80 80 10', (r) => r.s33(), 'integer too large', 4);
  fail('80 80 80 80 80 80 80 80 80 02', (r) => r.u64(), 'integer too large', 9);
  fail('80 80 80 80 80 80 80 80 80 41', (r) => r.s64(), 'integer too large', 9);
  fail('80 80', (r) => r.u32(), 'unexpected end of section or function', 2);
  fail('05 00 00', (r) => r.count(), 'length out of bounds', 0);
  // Base offsets: errors point into the whole file.
  assert.throws(() => new Reader(hex('80'), 0, 1, 1000).u32(), (e: unknown) => e instanceof DecodeError && e.offset === 1001);
});

test('UTF-8 names', () => {
  const enc = new TextEncoder();
  for (const s of ['', 'abc', 'é', '€', '😀', 'a'.repeat(10000) + '✓', '\u{10ffff}\u{fffd}\u0000']) {
    const b = enc.encode(s);
    assert.equal(decodeUtf8(b, 0, b.length), s);
  }
  for (const h of ['80', 'c0 80', 'c2', 'e0 9f bf', 'ed bf bf', 'f0 8f bf bf', 'f4 90 80 80', 'f5 80 80 80', 'ff', 'fe', 'c3 28']) {
    const b = hex(h);
    assert.equal(decodeUtf8(b, 0, b.length), null, h);
  }
});

test('CodeReader works on a slice with a base offset', () => {
  // `i32.const 1; drop; end` at file offset 500.
  const r = new CodeReader(hex('41 01 1a 0b'), 0, 4, 500);
  const body = r.readExpr();
  assert.deepStrictEqual(body, [I('i32.const', 1), I('drop')]);
  const bad = new CodeReader(hex('41 01 ff 0b'), 0, 4, 500);
  assert.throws(() => bad.readExpr(), (e: unknown) => e instanceof DecodeError && e.offset === 502);
  assert.equal(op('drop'), body[1]!.op);
});
