import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModule } from '../../src/binary/index.ts';
import { parseModule } from '../../src/text/index.ts';
import { runWast } from '../../src/wast/index.ts';
import type { ScriptResult } from '../../src/wast/index.ts';
import { trapMatches } from '../../src/wast/traps.ts';

function statuses(r: ScriptResult): string[] {
  return r.results.map((x) => `${x.line}:${x.kind}:${x.status}`);
}

function allPass(source: string): void {
  const r = runWast(source, 't.wast');
  const bad = r.results.filter((x) => x.status !== 'passed');
  assert.deepEqual(bad, [], 'every command passes');
}

test('numbers, NaNs and exact float bits', () => {
  allPass(`
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "two") (result i32 f64) (i32.const 7) (f64.const -0))
  (global (export "g") f32 (f32.const nan:0x200000))
)
(assert_return (invoke "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "i64" (i64.const -1)) (i64.const 0xffffffffffffffff))
(assert_return (invoke "f32" (f32.const -0)) (f32.const -0))
(assert_return (invoke "f32" (f32.const nan:0x200001)) (f32.const nan:0x200001))
(assert_return (invoke "f32" (f32.const -nan)) (f32.const nan:canonical))
(assert_return (invoke "f64" (f64.const nan:0x4000000000001)) (f64.const nan:0x4000000000001))
(assert_return (invoke "f64" (f64.const nan:0x8000000000001)) (f64.const nan:arithmetic))
(assert_return (invoke "two") (i32.const 7) (f64.const -0))
(assert_return (get "g") (f32.const nan:0x200000))
`);
});

test('a wrong result fails with both values', () => {
  const r = runWast(`
(module (func (export "f") (result f32) (f32.const 1)))
(assert_return (invoke "f") (f32.const 2))
(assert_return (invoke "f") (f32.const nan:canonical))
`, 't.wast');
  assert.deepEqual(statuses(r), ['2:module:passed', '3:assert_return:failed', '4:assert_return:failed']);
  assert.match(r.results[1]!.reason!, /expected \(f32\.const 0x40000000\), got \(f32\.const 1 /);
  assert.equal(r.results[1]!.id, 't.wast:3:assert_return');
});

test('v128 through a wrapper module', () => {
  allPass(`
(module
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "nan") (result v128) (v128.const f32x4 nan -nan 1 nan:0x400001))
)
(assert_return (invoke "id" (v128.const i16x8 1 2 3 4 5 6 7 -1)) (v128.const i16x8 1 2 3 4 5 6 7 0xffff))
(assert_return (invoke "add" (v128.const i32x4 1 2 3 4) (v128.const i32x4 1 1 1 -1)) (v128.const i32x4 2 3 4 3))
(assert_return (invoke "nan") (v128.const f32x4 nan:canonical nan:canonical 1 nan:arithmetic))
(assert_return (invoke "nan") (either (v128.const i32x4 0 0 0 0) (v128.const f32x4 nan:canonical nan:canonical 1 nan:arithmetic)))
`);
});

test('v128 and NaN from a binary module: the wrapper type comes from the decoded model', () => {
  allPass(`
(module binary
  "\\00asm" "\\01\\00\\00\\00"
  "\\01\\05\\01\\60\\00\\01\\7b"
  "\\03\\02\\01\\00"
  "\\07\\05\\01\\01\\66\\00\\00"
  "\\0a\\16\\01\\14\\00\\fd\\0c"
  "\\00\\00\\00\\00\\80\\80\\80\\80\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff"
  "\\0b")
(assert_return (invoke "f") (v128.const i8x16 0 0 0 0 -128 -128 -128 -128 -1 -1 -1 -1 255 255 255 255))
(module binary ${wastBytes(encodeModule(parseModule(`(module
  (func (export "id") (param f32 v128) (result v128 f32) (local.get 1) (local.get 0))
  (global (export "g") f64 (f64.const nan:0x1234)))`)))})
(assert_return (invoke "id" (f32.const nan:0x200001) (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4) (f32.const nan:0x200001))
(assert_return (get "g") (f64.const nan:0x1234))
`);
});

test('references', () => {
  allPass(`
(module
  (type $s (struct))
  (func $f)
  (elem declare func $f)
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "int") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "fn") (result funcref) (ref.func $f))
  (func (export "s") (result anyref) (struct.new $s))
  (func (export "i") (result anyref) (ref.i31 (i32.const 5)))
)
(assert_return (invoke "ext" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "int" (ref.extern 2)) (ref.host 2))
(assert_return (invoke "fn") (ref.func))
(assert_return (invoke "s") (ref.struct))
(assert_return (invoke "s") (ref.eq))
(assert_return (invoke "i") (ref.i31))
(module
  (tag $t)
  (func (export "null") (result exnref) (ref.null exn))
  (func (export "caught") (result exnref)
    (block $h (result exnref) (try_table (catch_all_ref $h) (throw $t)) (unreachable)))
  (func (export "id") (param exnref) (result exnref) (local.get 0)))
(assert_return (invoke "null") (ref.null exn))
(assert_return (invoke "caught") (ref.exn))
(assert_return (invoke "id" (ref.null exn)) (ref.null))
`);
  const r = runWast(`
(module (func (export "ext") (param externref) (result externref) (local.get 0)))
(assert_return (invoke "ext" (ref.extern 1)) (ref.extern 2))
`);
  assert.equal(r.failed, 1);
});

test('traps, exhaustion, exceptions', () => {
  allPass(`
(module
  (tag $e)
  (memory 1)
  (func (export "unreachable") (unreachable))
  (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "load") (result i32) (i32.load (i32.const 65536)))
  (func $r (export "runaway") (call $r))
  (func (export "throw") (throw $e))
  (func (export "v") (param v128) (unreachable))
)
(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "load") "out of bounds memory access")
(assert_trap (invoke "v" (v128.const i64x2 0 0)) "unreachable")
(assert_exhaustion (invoke "runaway") "call stack exhausted")
(assert_exception (invoke "throw"))
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
`);
  const r = runWast(`
(module (func (export "f") (result i32) (i32.const 0)))
(assert_trap (invoke "f") "unreachable")
(module (func (export "g") (unreachable)))
(assert_trap (invoke "g") "integer overflow")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'failed', 'passed', 'failed']);
  assert.match(r.results[3]!.reason!, /wrong trap/);
});

test('linking: register, named modules, definitions and instances', () => {
  allPass(`
(module $A (global (export "g") (mut i32) (i32.const 1)) (func (export "f") (result i32) (i32.const 42)))
(register "a" $A)
(module $B
  (import "a" "f" (func $f (result i32)))
  (import "a" "g" (global $g (mut i32)))
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "memory" (memory 1 2))
  (func (export "call") (result i32) (global.set $g (i32.const 5)) (call $f)))
(assert_return (invoke "call") (i32.const 42))
(assert_return (get $A "g") (i32.const 5))
(module definition $D (global (export "n") (mut i32) (i32.const 3)))
(module instance $I1 $D)
(module instance $I2 $D)
(assert_return (get $I1 "n") (i32.const 3))
(assert_unlinkable (module (import "a" "f" (func (result i64)))) "incompatible import type")
(assert_unlinkable (module (import "a" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected end")
`.replace('(assert_invalid (module (func (result i32))) "type mismatch")', ''));
  const wrong = runWast(`
(module $A (func (export "f")))
(register "a" $A)
(assert_unlinkable (module (import "a" "nope" (func))) "incompatible import type")
(assert_unlinkable (module (import "a" "f" (func (param i32)))) "unknown import")
`);
  assert.deepEqual(wrong.results.map((x) => x.status), ['passed', 'passed', 'failed', 'failed']);
  assert.match(wrong.results[2]!.reason!, /wrong link error/);
  const r = runWast(`
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module binary "") "unexpected end")
(assert_malformed (module quote "(module)") "nothing wrong")
(assert_malformed (module quote "(func") "unknown operator")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'passed', 'failed', 'failed']);
  assert.match(r.results[3]!.reason!, /wrong error: expected "unknown operator", got "unexpected end/);
});

/** A byte string as the strings of `(module binary …)`. */
function wastBytes(bytes: Uint8Array): string {
  return `"${Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}"`;
}

const INVALID = '(module (func (result i32)))';
const INVALID_BINARY = wastBytes(encodeModule(parseModule(INVALID)));

test('assert_invalid: our parser or decoder accepts, our validator rejects with the message', () => {
  const r = runWast(`
(assert_invalid ${INVALID} "type mismatch")
(assert_invalid (module quote "(func (result i32))") "type mismatch")
(assert_invalid (module binary ${INVALID_BINARY}) "type mismatch")
(assert_invalid ${INVALID} "unknown type")
(assert_invalid (module (func)) "type mismatch")
(assert_invalid (module quote "(func") "unexpected end")
(assert_invalid (module binary "\\00asm\\01\\00\\00\\00\\ff") "malformed section id")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'passed', 'passed', 'failed', 'failed', 'failed', 'failed']);
  assert.match(r.results[3]!.reason!, /wrong error: expected "unknown type", got "type mismatch/);
  assert.match(r.results[4]!.reason!, /our validator accepted it/);
  assert.match(r.results[5]!.reason!, /malformed, not invalid: our parser rejected it: ParseError/);
  assert.match(r.results[6]!.reason!, /malformed, not invalid: our decoder rejected it: DecodeError: malformed section id/);
});

test('assert_malformed on binary modules: our decoder must reject with the message', () => {
  const r = runWast(`
(assert_malformed (module binary "\\00asm\\01\\00\\00\\00\\ff") "malformed section id")
(assert_malformed (module binary "\\00asm\\01\\00\\00\\00\\ff") "unexpected end")
(assert_malformed (module binary ${INVALID_BINARY}) "type mismatch")
(assert_malformed (module binary "\\00asm\\01\\00\\00\\00") "unexpected end")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'failed', 'failed', 'failed']);
  assert.match(r.results[1]!.reason!, /wrong error: expected "unexpected end", got "malformed section id"/);
  // Invalid is not malformed: decoding succeeds, the validator is not asked.
  assert.match(r.results[2]!.reason!, /our decoder accepted it/);
  assert.match(r.results[3]!.reason!, /our decoder accepted it/);
});

test('every module goes through our validator first; its error is the reason', () => {
  const r = runWast(`
(module (func (export "f") (result i32)))
(assert_return (invoke "f") (i32.const 0))
(module binary ${INVALID_BINARY})
(assert_unlinkable ${INVALID} "unknown import")
(assert_trap (module quote "(func (result i32))") "unreachable")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['failed', 'failed', 'failed', 'failed', 'failed']);
  assert.match(r.results[0]!.reason!, /^ValidationError: type mismatch/);
  assert.match(r.results[1]!.reason!, /unavailable: ValidationError: type mismatch/);
  assert.match(r.results[2]!.reason!, /^ValidationError: type mismatch/);
  assert.match(r.results[3]!.reason!, /^ValidationError: type mismatch/);
  assert.match(r.results[4]!.reason!, /^ValidationError: type mismatch/);
});

test('a definition is only validated; V8 compiles it when it is instantiated', () => {
  const r = runWast(`
(module definition (memory i64 0x1_0000_0000_0000))
(module definition (table 0xffff_ffff funcref))
(module definition $D (memory i64 0x1_0000_0000_0000))
(module instance $I $D)
(module definition (func (result i32)))
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'passed', 'passed', 'failed', 'failed']);
  assert.match(r.results[3]!.reason!, /CompileError/);
  assert.match(r.results[4]!.reason!, /^ValidationError: type mismatch/);
});

test("a private memory64 maximum above V8's limit is lowered for V8 only, and said so", () => {
  const r = runWast(`
(module (memory i64 0 0x1_0000_0000_0000) (func (export "grow") (result i64) (memory.grow (i64.const 1))))
(assert_return (invoke "grow") (i64.const 0))
(module (memory (export "m") i64 0 0x1_0000_0000_0000))
(module (memory (import "spectest" "memory") i64 0 0x1_0000_0000_0000))
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'passed', 'failed', 'failed']);
  assert.match(r.results[0]!.note!, /maximum lowered to V8's implementation limit/);
  assert.equal(r.results[1]!.note, undefined);
  // Visible to other modules: the maximum is part of its type, so it is not changed.
  assert.match(r.results[2]!.reason!, /CompileError: .*implementation limit/);
  assert.match(r.results[3]!.reason!, /CompileError: .*implementation limit/);
});

test('branch hints: only on if and br_if (assert_invalid_custom)', () => {
  const hinted = (target: string) => `(module (func (param i32)
    (block (local.get 0) (@metadata.code.branch_hint "\\01") ${target}))
    (func (param i32) (@metadata.code.branch_hint "\\00") (if (local.get 0) (then))))`;
  const r = runWast(`
${hinted('br_if 0')}
(assert_invalid_custom ${hinted('drop')} "@metadata.code.branch_hint annotation: invalid target")
(assert_invalid_custom ${hinted('br_if 0')} "@metadata.code.branch_hint annotation: invalid target")
(assert_invalid_custom (module quote "(func (i32.const 0) (@metadata.code.branch_hint \\"\\\\01\\") (drop))")
  "@metadata.code.branch_hint annotation: invalid target")
(assert_invalid_custom ${INVALID} "type mismatch")
(assert_invalid ${hinted('drop')} "@metadata.code.branch_hint annotation: invalid target")
`);
  assert.deepEqual(r.results.map((x) => x.status), ['passed', 'passed', 'failed', 'passed', 'failed', 'failed']);
  assert.match(r.results[2]!.reason!, /our validator accepted it/);
  assert.match(r.results[4]!.reason!, /the module itself is invalid: ValidationError: type mismatch/);
  assert.match(r.results[5]!.reason!, /only a custom annotation is invalid/);
});

test('a module that fails fails the commands that need it, not the script', () => {
  const r = runWast(`
(module binary "\\00asm\\01\\00\\00\\00\\ff")
(assert_return (invoke "f") (i32.const 1))
(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
`);
  assert.deepEqual(r.results.map((x) => x.status), ['failed', 'failed', 'passed', 'passed']);
  assert.match(r.results[1]!.reason!, /unavailable/);
});

test('a script that does not parse is one failure with its position', () => {
  const r = runWast('(module)\n(module (func (i32.bogus)))', 'bad.wast');
  assert.equal(r.results.length, 1);
  assert.equal(r.results[0]!.kind, 'script');
  assert.equal(r.results[0]!.line, 2);
  assert.equal(r.failed, 1);
});

test('trap table', () => {
  assert.ok(trapMatches('integer divide by zero', 'divide by zero'));
  assert.ok(trapMatches('undefined element', 'table index is out of bounds'));
  assert.ok(!trapMatches('unreachable', 'divide by zero'));
});
