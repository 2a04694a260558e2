import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../src/model/errors.ts';
import { parseScript } from '../../src/wast/parse.ts';

test('parses every command form', () => {
  const script = parseScript(`
(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(module definition $D (memory 1))
(module instance $I $D)
(module binary "\\00asm" "\\01\\00\\00\\00")
(module $Q quote "(func)" "(memory 1)")
(register "m" $M)
(invoke "f" (i32.const 1))
(assert_return (invoke $M "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (get "g") (f32.const nan:canonical))
(assert_return (invoke "h" (i64.const 5) (f64.const -0x1p-1) (ref.null extern) (ref.extern 3))
  (i64.const -5) (f64.const nan:arithmetic) (ref.null) (ref.extern) (ref.func) (ref.host 1))
(assert_return (invoke "v" (v128.const i32x4 1 2 3 -1))
  (v128.const f32x4 nan:canonical 1.0 -inf nan:0x200000)
  (either (i8x16.const 1) (v128.const i64x2 0 -1)))
(assert_trap (invoke "f" (i32.const 0)) "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "f") "call stack exhausted")
(assert_exception (invoke "f"))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected end")
(assert_malformed (module binary "") "unexpected end")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
`.replace('(i8x16.const 1)', '(v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)'), 'x.wast');
  const kinds = script.commands.map((c) => c.kind);
  assert.deepEqual(kinds, [
    'module', 'module', 'module_instance', 'module', 'module', 'register', 'action', 'assert_return',
    'assert_return', 'assert_return', 'assert_return', 'assert_trap', 'assert_trap_module', 'assert_exhaustion',
    'assert_exception', 'assert_invalid', 'assert_malformed', 'assert_malformed', 'assert_unlinkable',
  ]);
  const [m, def, inst, bin, quote, reg] = script.commands;
  assert.equal(m!.line, 2);
  assert.equal(m!.column, 1);
  assert.ok(m!.kind === 'module' && m!.name === 'M' && m!.module.kind === 'text' && !m!.definition);
  assert.ok(def!.kind === 'module' && def!.definition && def!.name === 'D');
  assert.deepEqual({ ...inst }, { line: 4, column: 1, kind: 'module_instance', instance: 'I', definition: 'D' });
  assert.ok(bin!.kind === 'module' && bin!.module.kind === 'binary');
  assert.deepEqual([...(bin!.module as { bytes: Uint8Array }).bytes], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.ok(quote!.kind === 'module' && quote!.module.kind === 'quote');
  assert.equal(new TextDecoder().decode((quote!.module as { bytes: Uint8Array }).bytes), '(func)(memory 1)');
  assert.deepEqual({ ...reg }, { line: 7, column: 1, kind: 'register', as: 'm', name: 'M' });

  const ret = script.commands[7]!;
  assert.ok(ret.kind === 'assert_return');
  assert.deepEqual(ret.action, { kind: 'invoke', module: 'M', name: 'f', args: [{ type: 'i32', value: -1 }] });
  assert.deepEqual(ret.expected, [{ type: 'i32', value: -1 }]);

  const multi = script.commands[9]!;
  assert.ok(multi.kind === 'assert_return' && multi.action.kind === 'invoke');
  assert.deepEqual(multi.action.args, [
    { type: 'i64', value: 5n },
    { type: 'f64', bits: 0xbfe0000000000000n },
    { type: 'ref.null', heap: 'extern' },
    { type: 'ref.extern', value: 3 },
  ]);
  assert.deepEqual(multi.expected, [
    { type: 'i64', value: -5n },
    { type: 'f64', pattern: { kind: 'nan:arithmetic' } },
    { type: 'ref.null', heap: null },
    { type: 'ref.extern', value: null },
    { type: 'ref.func' },
    { type: 'ref.host', value: 1 },
  ]);

  const simd = script.commands[10]!;
  assert.ok(simd.kind === 'assert_return' && simd.action.kind === 'invoke');
  assert.deepEqual([...(simd.action.args[0] as { bytes: Uint8Array }).bytes], [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 255, 255, 255, 255]);
  assert.deepEqual(simd.expected[0], {
    type: 'v128',
    shape: 'f32x4',
    lanes: [{ kind: 'nan:canonical' }, { kind: 'bits', bits: 0x3f800000 }, { kind: 'bits', bits: 0xff800000 }, { kind: 'bits', bits: 0x7fa00000 }],
  });
  assert.equal(simd.expected[1]!.type, 'either');

  const trap = script.commands[11]!;
  assert.ok(trap.kind === 'assert_trap' && trap.message === 'unreachable');
});

test('a script that is one inline module', () => {
  const script = parseScript('(func) (memory 0) (func (export "f"))');
  assert.equal(script.commands.length, 1);
  assert.ok(script.commands[0]!.kind === 'module' && script.commands[0]!.module.kind === 'text');
});

test('errors carry the position', () => {
  assert.throws(() => parseScript('(module)\n  (assert_bogus)', 'y.wast'), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.line, 2);
    assert.equal(e.column, 4);
    assert.match(e.message, /^y\.wast:2:4: /);
    return true;
  });
  assert.throws(() => parseScript('(module (func (i32.const)))'), ParseError);
  assert.throws(() => parseScript('(assert_return (invoke "f") (i32.const 1)'), ParseError);
});
