// The fast path `validate(bytes)` (decoding and validating code in one loop) against the
// reference route `decodeModule` + `validateModule` on every module of the spec suite:
// binary modules as they are, text and quoted modules encoded by our encoder. Both must
// give the same verdict and the same message: the same DecodeError (message and offset),
// or ValidationErrors with the same reason (the fast path adds the failing instruction's
// offset).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule, encodeModule, ModuleReader } from '../../src/binary/index.ts';
import { DecodeError, ValidationError } from '../../src/model/errors.ts';
import { WASM2_FEATURES, type FeatureSet } from '../../src/model/features.ts';
import { parseModule } from '../../src/text/index.ts';
import { ModuleValidator, validate, validateModule } from '../../src/validate/index.ts';
import type { ScriptModule } from '../../src/wast/commands.ts';
import { collectWastFiles } from '../../src/wast/files.ts';
import { parseScript } from '../../src/wast/parse.ts';

const SUITE = fileURLToPath(new URL('../../../shared/spec-testsuite', import.meta.url));
const utf8 = new TextDecoder('utf-8');

/** What a route says about a module. */
function outcome(f: () => void): string {
  try {
    f();
    return 'valid';
  } catch (e) {
    if (e instanceof DecodeError) return `DecodeError: ${e.message}`;
    if (e instanceof ValidationError) return `ValidationError: ${e.reason}`;
    return `other error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

function reference(bytes: Uint8Array, features?: FeatureSet): string {
  return outcome(() => validateModule(decodeModule(bytes, { features }), { features }));
}

function fast(bytes: Uint8Array, features?: FeatureSet): string {
  return outcome(() => validate(bytes, { features }));
}

/** The module's bytes: a binary module's own, a text or quoted module encoded; null if none. */
function bytesOf(m: ScriptModule): Uint8Array | null {
  try {
    if (m.kind === 'binary') return m.bytes;
    if (m.kind === 'text') return encodeModule(m.module);
    return encodeModule(parseModule(utf8.decode(m.bytes)));
  } catch {
    return null;
  }
}

function* suiteModules(): Generator<{ where: string; kind: string; bytes: Uint8Array }> {
  for (const file of collectWastFiles([SUITE])) {
    const name = file.slice(SUITE.length + 1);
    const script = parseScript(readFileSync(file, 'utf8'), name);
    for (const c of script.commands) {
      if (!('module' in c) || typeof c.module !== 'object' || c.module === null || !('kind' in c.module)) continue;
      const bytes = bytesOf(c.module as ScriptModule);
      if (bytes !== null) yield { where: `${name}:${c.line}`, kind: c.kind, bytes };
    }
  }
}

test('spec suite: validate(bytes) agrees with decodeModule + validateModule on every module', { skip: !existsSync(SUITE) }, (t) => {
  const counts = new Map<string, number>();
  const problems: string[] = [];
  for (const { where, kind, bytes } of suiteModules()) {
    const want = reference(bytes);
    const got = fast(bytes);
    const verdict = want.split(':')[0]!;
    counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    if (got !== want) problems.push(`${where} (${kind}): reference says ${want}\n    fast path says ${got}`);
    // Under WebAssembly 2.0 too: disabled features take the general route.
    const want2 = reference(bytes, WASM2_FEATURES);
    const got2 = fast(bytes, WASM2_FEATURES);
    if (got2 !== want2) problems.push(`${where} (${kind}, wasm2): reference says ${want2}\n    fast path says ${got2}`);
  }
  t.diagnostic([...counts].map(([k, n]) => `${k}: ${n}`).join(', '));
  assert.deepEqual(problems.slice(0, 20), []);
  assert.ok((counts.get('valid') ?? 0) > 2000 && (counts.get('ValidationError') ?? 0) > 2500, JSON.stringify([...counts]));
});

test('a ValidationError from the fast path carries the failing instruction\'s offset', () => {
  const m = parseModule('(module (func (result i32) i32.const 1 i64.const 2 i32.add))');
  const bytes = encodeModule(m);
  const add = bytes.findIndex((_, i) => [0x41, 0x01, 0x42, 0x02, 0x6a].every((b, k) => bytes[i + k] === b)) + 4;
  assert.throws(() => validate(bytes), (e: unknown) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.offset, add);
    assert.match(e.reason, /^type mismatch: .* \(in function 0, instruction 2\)$/);
    return true;
  });
  assert.throws(() => validateModule(m), /type mismatch: .* \(in function 0, instruction 2\)$/);
});

test('a decoding error after an invalid function wins, as when decoding first', () => {
  // Function 0 is invalid (i64 result where i32 is declared), function 1 has an illegal opcode.
  const bytes = encodeModule(parseModule('(module (func (result i32) i64.const 0) (func nop))'));
  const nop = bytes.lastIndexOf(0x01);
  bytes[nop] = 0xff;
  assert.throws(() => validate(bytes), (e: unknown) => e instanceof DecodeError && /illegal opcode ff/.test(e.message));
});

test('ModuleValidator validates bodies from the bytes one at a time, in any order', () => {
  const bytes = encodeModule(parseModule(`(module (memory 1)
    (func (param i32) (result i32) (i32.load offset=300 (local.get 0)))
    (func (result i64) (block (result i64) (i64.const 1) (br 0))))`));
  const reader = new ModuleReader(bytes);
  const mv = new ModuleValidator(reader.header());
  const bodies = reader.functionBodies();
  mv.validateFunctionBody(bodies[1]!, bytes);
  mv.validateFunctionBody(bodies[0]!, bytes);
});

test('the fused loop\'s cases: opcode bytes name their instruction, class keys their B_* value', async () => {
  const { FUSED_CLASSES, PREFIXED } = await import('../../src/validate/code.ts');
  const { INSTRUCTIONS } = await import('../../src/model/opcodes.ts');
  const source = readFileSync(new URL('../../src/validate/code.ts', import.meta.url), 'utf8');
  // Class keys: `case 0xc6: // B_UNOP` (PREFIXED + the class), and the tests of the
  // numeric class `cls === 2) { // B_BINOP`.
  const keys = [...source.matchAll(/case 0x([0-9a-f]{2}):(?: \{)? \/\/ (B_\w+)/g)];
  for (const [, hex, name] of keys) assert.equal(parseInt(hex!, 16), PREFIXED + FUSED_CLASSES[name!]!, `case 0x${hex} is labelled ${name}`);
  const tests = [...source.matchAll(/cls === (\d+)\) \{ \/\/ (B_\w+)/g)];
  for (const [, n, name] of tests) assert.equal(Number(n), FUSED_CLASSES[name!], `cls === ${n} is labelled ${name}`);
  const labelled = new Set([...keys, ...tests].map(([, , name]) => name));
  for (const name of Object.keys(FUSED_CLASSES)) {
    if (name !== 'B_GENERAL') assert.ok(labelled.has(name), `no case for ${name}`);
  }
  // Opcode cases: `case 0x20: { // local.get`.
  const bytes = [...source.matchAll(/case 0x([0-9a-f]{2}):(?: \{)? \/\/ ([a-z][a-z0-9_.]*)/g)];
  assert.ok(bytes.length >= 40);
  for (const [, hex, name] of bytes) {
    const row = INSTRUCTIONS.find((i) => i.prefix === 0 && i.code === parseInt(hex!, 16));
    assert.equal(row?.name, name, `case 0x${hex} is labelled ${name}`);
  }
  // Every case of the switch is labelled one way or the other.
  const cases = [...source.matchAll(/^ *case (0x[0-9a-f]+|\d+):/gm)];
  assert.equal(cases.length, keys.length + bytes.length);
});

test('a last body that claims a byte more than the file holds gives the decoder\'s error', () => {
  // Found by the fuzzer: the code section's and the body's sizes each run one byte past
  // the end (a size is bounded by the bytes left from its own first byte); the fast
  // path read past the input and a plain Error escaped.
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7c, 0x03,
    0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x44, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xc6,
  ]);
  assert.throws(() => decodeModule(bytes), (e: unknown) => e instanceof DecodeError && e.reason === 'unexpected end of section or function' && e.offset === bytes.length);
  assert.throws(() => validate(bytes), (e: unknown) => e instanceof DecodeError && e.reason === 'unexpected end of section or function' && e.offset === bytes.length);
  assert.throws(() => new ModuleReader(bytes).bodyOffsets(), (e: unknown) => e instanceof DecodeError);
});

test('the fused loop going on from body to body: every error is reported in its own function', () => {
  // Plain bodies (locals of number and vector types, counts of one byte), which the loop
  // enters without returning, mixed with bodies it leaves to the caller: a count of two
  // bytes, a reference local, a body that needs the general route.
  const bodies = [
    '(func (param i32) (result i32) (local i64 f32) (local.get 0))',
    '(func (local v128) (drop (local.get 0)))',
    '(func (result i64) (local i32 i32 f64) (i64.const 7))',
    '(func (local externref) (drop (local.get 0)))',
    '(func (param i32 i64) (local $a i32) (local.set $a (local.get 0)))',
    `(func (local ${'i32 '.repeat(200)}) (drop (local.get 199)))`,
    '(func (result i32 i32) (i32.const 1) (i32.const 2))',
    '(func (result f32) (f32.const 1))',
  ];
  const text = (broken: number, bad: string) =>
    `(module ${bodies.map((b, i) => (i === broken ? b.replace(/\)$/, ` ${bad})`) : b)).join(' ')})`;
  assert.equal(fast(encodeModule(parseModule(text(-1, '')))), 'valid');
  for (let k = 0; k < bodies.length; k++) {
    // A type error at the end of body k: named with its function and instruction.
    const bytes = encodeModule(parseModule(text(k, '(drop (i64.add (i32.const 1)))')));
    const want = reference(bytes);
    assert.match(want, new RegExp(`in function ${k}, `));
    assert.equal(fast(bytes), want);
  }
  // Malformed bodies: the byte before the final `end` made an `end` too (where it is an
  // opcode, the function ends a byte early: a size mismatch), and the final `end` made a
  // `nop` (the body runs on into the next one).
  const valid = encodeModule(parseModule(text(-1, '')));
  const offsets = new ModuleReader(valid).bodyOffsets();
  const errorOf = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof DecodeError || e instanceof ValidationError) return `${e.message} @${e.offset}`;
      throw e;
    }
    return 'valid';
  };
  let invalid = 0;
  for (let k = 0; k < bodies.length; k++) {
    const end = offsets[3 * k + 2]!;
    for (const [what, at, byte] of [['early end', end - 2, 0x0b], ['no end', end - 1, 0x01]] as const) {
      const bytes = valid.slice();
      bytes[at] = byte;
      const want = reference(bytes);
      if (want !== 'valid') invalid++;
      assert.equal(fast(bytes), want, `${what} in body ${k}`);
      if (want.startsWith('DecodeError')) {
        assert.equal(errorOf(() => validate(bytes)), errorOf(() => decodeModule(bytes)), `${what} in body ${k}: offset`);
      }
    }
  }
  assert.ok(invalid >= bodies.length + 4, `only ${invalid} of the patched modules are invalid`);
});
