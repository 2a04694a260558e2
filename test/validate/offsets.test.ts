// Byte offsets of module-level validation errors from `validate(bytes)`: an invalid
// import, type, global, element or data segment, start function or export is reported
// at the offset of its entry in the binary (the model path, validateModule, has no bytes
// and reports none).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { encodeModule, ModuleReader } from '../../src/binary/index.ts';
import { ValidationError } from '../../src/model/errors.ts';
import type { SectionName } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { validate, validateModule } from '../../src/validate/index.ts';

/** The error `validate` gives for the module in `wat`. */
function errorOf(wat: string): { error: ValidationError; bytes: Uint8Array } {
  const bytes = encodeModule(parseModule(wat));
  try {
    validate(bytes);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `not a ValidationError: ${String(e)}`);
    return { error: e, bytes };
  }
  assert.fail(`valid: ${wat}`);
}

/** Offset of entry `index` of section `id`, found by walking the binary by hand. */
function entryAt(bytes: Uint8Array, id: number, skipEntries: (r: { pos: number }) => void): number {
  const s = new ModuleReader(bytes).section(SECTION_NAMES[id]!);
  assert.ok(s !== null);
  const r = { pos: s.start + 1 }; // after a one-byte count
  skipEntries(r);
  return r.pos;
}
const SECTION_NAMES: Record<number, SectionName> = {
  1: 'type', 2: 'import', 6: 'global', 7: 'export', 8: 'start', 9: 'element', 11: 'data',
};

const CASES: readonly { what: string; wat: string; reason: RegExp; section: number; skip: (r: { pos: number }) => void }[] = [
  // Exports: "a" (func 0) is 4 bytes (length, "a", kind, index).
  { what: 'a duplicate export', wat: '(module (func) (export "a" (func 0)) (export "a" (func 0)))', reason: /^duplicate export name/, section: 7, skip: (r) => { r.pos += 4; } },
  { what: 'an export of an unknown function', wat: '(module (func) (export "a" (func 5)))', reason: /^unknown function 5/, section: 7, skip: () => {} },
  { what: 'an import of an unknown type', wat: '(module (import "m" "f" (func (type 4))))', reason: /^unknown type 4/, section: 2, skip: () => {} },
  { what: 'a global of the wrong type', wat: '(module (global i32 (i32.const 0)) (global i32 (i64.const 0)))', reason: /^type mismatch/, section: 6, skip: (r) => { r.pos += 5; } },
  { what: 'an element segment naming an unknown function', wat: '(module (table 1 funcref) (elem (i32.const 0) func 3))', reason: /^unknown function 3/, section: 9, skip: () => {} },
  { what: 'a data segment of an unknown memory', wat: '(module (memory 1) (data (i32.const 0) "") (data (memory 1) (i32.const 0) ""))', reason: /^unknown memory 1/, section: 11, skip: (r) => { r.pos += 5; } },
  { what: 'a type naming an unknown type', wat: '(module (type (func)) (type (struct (field (ref 5)))))', reason: /^unknown type 5/, section: 1, skip: (r) => { r.pos += 3; } },
  { what: 'a start function with parameters', wat: '(module (func (param i32)) (start 0))', reason: /^start function must not have parameters or results/, section: 8, skip: (r) => { r.pos -= 1; } },
];

for (const c of CASES) {
  test(`validate(bytes) reports ${c.what} at its entry`, () => {
    const { error, bytes } = errorOf(c.wat);
    assert.match(error.reason, c.reason);
    assert.equal(error.offset, entryAt(bytes, c.section, c.skip), error.message);
    // The model path gives the same reason, without an offset.
    assert.throws(() => validateModule(parseModule(c.wat)), (e: unknown) => e instanceof ValidationError && e.reason === error.reason);
  });
}
