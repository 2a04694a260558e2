// `nanoprocess inspect`: sections, index spaces, imports and exports with types and names,
// instruction counts (streamed, checked against the full decoder), segments, custom
// sections with `producers` and `target_features` decoded; --json; errors with offsets.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeModule, encodeModule } from '../../src/binary/index.ts';
import type { Summary } from '../../src/cli/inspect-summary.ts';
import { main } from '../../src/cli/main.ts';
import type { CustomSection } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { memoryIo } from './io.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-inspect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = `(module $m
  (import "env" "f" (func $imported (param i32) (result i64)))
  (import "env" "mem" (memory i64 1 2 shared))
  (import "env" "g" (global (mut f32)))
  (import "env" "t" (table 1 funcref))
  (import "env" "e" (tag (param i32)))
  (memory $m2 1 10)
  (table 2 2 externref)
  (global $counter (mut i32) (i32.const 42))
  (global i64 (i64.const -1))
  (tag (param f64))
  (func $start)
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (export "memory" (memory $m2))
  (export "renamed" (func $start))
  (start $start)
  (elem (i32.const 0) func $add)
  (elem declare func $add)
  (data (memory $m2) (i32.const 8) "abc")
  (data "passive!"))`;

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const str = (s: string) => [utf8(s).length, ...utf8(s)];

/** producers: language Rust 1.80; processed-by rustc 1.80.0 (abc), wasm-bindgen 0.2. */
const PRODUCERS = new Uint8Array([
  2,
  ...str('language'), 1, ...str('Rust'), ...str('1.80'),
  ...str('processed-by'), 2, ...str('rustc'), ...str('1.80.0 (abc)'), ...str('wasm-bindgen'), ...str('0.2'),
]);
const TARGET_FEATURES = new Uint8Array([2, 0x2b, ...str('simd128'), 0x2d, ...str('atomics')]);

function withCustoms(text: string, customs: [string, Uint8Array][]): Uint8Array {
  const module = parseModule(text);
  const extra: CustomSection[] = customs.map(([name, bytes]) => ({ name, bytes, placement: { kind: 'last' } }));
  return encodeModule({ ...module, customs: [...module.customs, ...extra] });
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function inspect(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['inspect', ...argv], io);
  return { code, out: io.outText(), err: io.errText() };
}

async function summary(file: string): Promise<Summary & { file: string }> {
  const r = await inspect('--json', file);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  return JSON.parse(r.out);
}

/** Instructions of every body as the full decoder sees them. */
function instructionCount(bytes: Uint8Array): number {
  return decodeModule(bytes).funcs.reduce((n, f) => n + f.body.length, 0);
}

const BYTES = withCustoms(SOURCE, [['producers', PRODUCERS], ['target_features', TARGET_FEATURES]]);
const FILE = write('m.wasm', BYTES);

describe('nanoprocess inspect', () => {
  it('--json: sections in file order with offsets, sizes and counts', async () => {
    const s = await summary(FILE);
    assert.equal(s.file, FILE);
    assert.equal(s.size, BYTES.length);
    const known = s.sections.filter((x) => !x.custom);
    assert.deepEqual(known.map((x) => x.name), ['type', 'import', 'function', 'table', 'memory', 'tag', 'global', 'export', 'start', 'element', 'code', 'data']);
    assert.deepEqual(known.map((x) => x.count), [5, 5, 2, 1, 1, 1, 2, 3, null, 2, 2, 2]);
    assert.deepEqual(s.sections.filter((x) => x.custom).map((x) => x.name), ['name', 'producers', 'target_features']);
    for (const x of s.sections) {
      assert.equal(BYTES[x.offset], x.id);
      assert.ok(x.start > x.offset && x.start + x.size <= BYTES.length);
    }
    const last = s.sections.at(-1)!;
    assert.equal(last.start + last.size, BYTES.length);
  });

  it('--json: imports with their types in text syntax, index spaces, exports with names', async () => {
    const s = await summary(FILE);
    assert.deepEqual(
      s.imports.map((i) => `${i.kind}[${i.index}] ${i.module}.${i.name}: ${i.type}`),
      [
        'func[0] env.f: func (param i32) (result i64)',
        'memory[0] env.mem: memory i64 1 2 shared',
        'global[0] env.g: global (mut f32)',
        'table[0] env.t: table 1 funcref',
        'tag[0] env.e: tag (param i32)',
      ],
    );
    assert.deepEqual(s.types, { count: 5, groups: 5, func: 5, struct: 0, array: 0 });
    assert.deepEqual(s.functions, { imported: 1, defined: 2, instructions: 3, codeBytes: s.functions.codeBytes });
    assert.equal(s.functions.instructions, instructionCount(BYTES));
    assert.deepEqual(s.memories, [{ index: 1, limits: { address: 'i32', min: 1, max: 10, shared: false } }]);
    assert.deepEqual(s.tables, [{ index: 1, element: 'externref', limits: { address: 'i32', min: 2, max: 2, shared: false }, init: null }]);
    assert.deepEqual(s.globals, [
      { index: 1, type: 'i32', mutable: true, init: 'i32.const 42' },
      { index: 2, type: 'i64', mutable: false, init: 'i64.const -1' },
    ]);
    assert.deepEqual(s.tags, [{ index: 1, type: 'tag (param f64)' }]);
    const funcs = s.exports.filter((e) => e.kind === 'func');
    assert.deepEqual(funcs, [
      { name: 'add', kind: 'func', index: 2, internalName: 'add' },
      { name: 'renamed', kind: 'func', index: 1, internalName: 'start' },
    ]);
    assert.deepEqual(s.start, { index: 1, name: 'start' });
  });

  it('--json: segments, custom sections, producers and target features', async () => {
    const s = await summary(FILE);
    assert.deepEqual(s.elems.map((e) => [e.mode, e.count]), [['active table 0 offset i32.const 0', 1], ['declarative', 1]]);
    assert.deepEqual(s.datas, [
      { index: 0, mode: 'active memory 1 offset i32.const 8', size: 3 },
      { index: 1, mode: 'passive', size: 8 },
    ]);
    assert.deepEqual(s.customs.map((c) => [c.name, c.size > 0]), [['name', true], ['producers', true], ['target_features', true]]);
    assert.deepEqual(s.producers, {
      language: [{ name: 'Rust', version: '1.80' }],
      'processed-by': [{ name: 'rustc', version: '1.80.0 (abc)' }, { name: 'wasm-bindgen', version: '0.2' }],
    });
    assert.deepEqual(s.targetFeatures, ['+simd128', '-atomics']);
    assert.deepEqual(s.warnings, []);
  });

  it('prints the summary as text', async () => {
    const r = await inspect(FILE);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const lines = r.out.split('\n');
    assert.equal(lines[0], `${FILE}: ${BYTES.length} bytes, WebAssembly binary version 1`);
    for (const line of [
      'Sections:',
      'Imports: 5',
      '  func[0] env.f: func (param i32) (result i64)',
      '  memory[0] env.mem: memory i64 1 2 shared',
      'Functions: 1 imported, 2 defined; 3 instructions in ' + (await summary(FILE)).functions.codeBytes + ' bytes of code',
      '  memory[1]: min 1, max 10 pages',
      '  global[1]: (mut i32) = i32.const 42',
      '  tag[1]: tag (param f64)',
      '  func[2] "add" <add>',
      'Start: func[1] <start>',
      'Data: 2 segments, 11 bytes',
      // The size of the section's contents, its name included.
      `  "producers": ${1 + 'producers'.length + PRODUCERS.length} bytes`,
      '  language: Rust 1.80',
      '  processed-by: rustc 1.80.0 (abc), wasm-bindgen 0.2',
      'Target features: +simd128 -atomics',
    ]) {
      assert.ok(lines.includes(line), `missing line ${JSON.stringify(line)} in\n${r.out}`);
    }
    assert.match(r.out, /^ {2}10 {2}code +0x[0-9a-f]{8} +\d+ {2}2$/m);
  });

  it('warns about a malformed producers section instead of failing', async () => {
    const file = write('bad-producers.wasm', withCustoms('(module)', [['producers', PRODUCERS.subarray(0, 12)]]));
    const s = await summary(file);
    assert.equal(s.producers, null);
    assert.match(s.warnings[0]!, /^custom section "producers" is malformed: .*\(at offset 0x[0-9a-f]+\)$/);
    const r = await inspect(file);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Warning: custom section "producers" is malformed/m);
  });

  it('reports a malformed binary with its offset, exit 1, no stack', async () => {
    const file = write('truncated.wasm', BYTES.subarray(0, 40));
    const r = await inspect(file);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^${file}: offset 0x[0-9a-f]+: \\S.*\\n$`));
    assert.doesNotMatch(r.err, /\n\s+at |internal error/);
  });

  it('reports a malformed function body with its offset', async () => {
    // The body of $add is `local.get 0 local.get 1 i32.add end`: break its last opcode.
    const bytes = BYTES.slice();
    const at = bytes.findIndex((_, i) => [0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b].every((b, k) => bytes[i + k] === b)) + 4;
    bytes[at] = 0xff;
    const r = await inspect(write('bad-body.wasm', bytes));
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`: offset 0x${at.toString(16)}: illegal opcode`));
  });

  const onig = fileURLToPath(new URL('../../node_modules/vscode-oniguruma/release/onig.wasm', import.meta.url));
  it('summarizes a real module from npm', { skip: !existsSync(onig) }, async () => {
    const bytes = readFileSync(onig);
    const model = decodeModule(bytes);
    const s = await summary(onig);
    assert.equal(s.imports.length, model.imports.length);
    assert.equal(s.exports.length, model.exports.length);
    assert.equal(s.functions.defined, model.funcs.length);
    assert.equal(s.functions.instructions, instructionCount(bytes));
    assert.equal(s.datas.length, model.datas.length);
    assert.equal(s.datas.reduce((n, d) => n + d.size, 0), model.datas.reduce((n, d) => n + d.bytes.length, 0));
    assert.ok(s.exports.some((e) => e.name === 'malloc' && e.kind === 'func'));
    const r = await inspect(onig);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Functions: 14 imported, 227 defined; \d+ instructions/m);
    assert.match(r.out, /… and \d+ more \(--json lists them all\)/);
  });

  const usage: [string[], RegExp][] = [
    [[], /expected one input file, got 0/],
    [['a.wasm', 'b.wasm'], /expected one input file, got 2/],
    [['--frobnicate', 'a.wasm'], /^nanoprocess inspect: Unknown option '--frobnicate'/],
  ];
  for (const [argv, message] of usage) {
    it(`inspect ${argv.join(' ')} is a usage error (exit 2)`, async () => {
      const r = await inspect(...argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});
