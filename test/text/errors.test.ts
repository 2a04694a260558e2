// Malformed text: every error is a ParseError with line:column and the spec suite's
// wording; bad input never crashes, hangs or overflows the stack.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ParseError } from '../../src/model/errors.ts';
import { parseModule } from '../../src/text/index.ts';
import { rejects } from './helpers.ts';

test('errors carry line and column (1-based) and the file name', () => {
  const e = rejects('(module\n  (func\n    (i32.add (i32.const 1) (i32.cnst 2))))', 'unknown operator', { line: 3, column: 29 });
  assert.equal(e.offset, '(module\n  (func\n    (i32.add (i32.const 1) ('.length);
  try {
    parseModule('(func (call $nope))', { file: 'a.wat' });
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.match(err.message, /^a\.wat:1:13: unknown function \$nope/);
  }
});

const CASES: [string, string][] = [
  // lexical
  ['(func (i32.const0))', 'unknown operator'],
  ['(func br 0drop)', 'unknown operator'],
  ['(data"a")', 'unknown operator'],
  ['(memory 1) (data (i32.const 0) "a""b")', 'unknown operator'],
  ['(func $)', 'empty identifier'],
  ['(func $"")', 'empty identifier'],
  ['(@)', 'empty annotation id'],
  ['(@x (y)', 'unclosed annotation'],
  ['(@x "', 'unclosed string'],
  ['(@a \u0001)', 'illegal character'],
  ['(func "a\u0001")', 'illegal control character'],
  ['(func (; unclosed', 'unclosed comment'],
  ['(data "\\q")', 'malformed string'],
  ['(func (export "\\ff"))', 'malformed UTF-8 encoding'],
  ['(func) \ud800', 'malformed UTF-8 encoding'],
  ['(func) ;; \udc00', 'malformed UTF-8 encoding'],
  ['(func) é', 'misplaced unicode character'],
  // identifiers
  ['(func $f) (func $f)', 'duplicate function $f'],
  ['(func (param $x i32) (local $x i32))', 'duplicate local $x'],
  ['(memory $m 1) (memory $m 1)', 'duplicate memory'],
  ['(type $t (struct (field $x i32) (field $x i32)))', 'duplicate field'],
  ['(func (call $g))', 'unknown function $g'],
  ['(func (local.get $x))', 'unknown local $x'],
  ['(func (br $l))', 'unknown label $l'],
  ['(func (global.get $g))', 'unknown global'],
  ['(func (type $t))', 'unknown type $t'],
  ['(func (block $l) (br $l))', 'unknown label'],
  ['(type $s (struct)) (func (struct.get $s $f))', 'unknown field $f'],
  // labels
  ['(func block $a end $b)', 'mismatching label'],
  ['(func block end $a)', 'mismatching label'],
  ['(func i32.const 0 if $a else $b end)', 'mismatching label'],
  // module structure
  ['(func) (import "m" "f" (func))', 'import after function definition'],
  ['(global i32 (i32.const 0)) (func (import "m" "f"))', 'import after global definition'],
  ['(memory 1) (global (import "m" "g") i32)', 'import after memory definition'],
  ['(table 1 funcref) (memory (import "m" "m") 1)', 'import after table definition'],
  ['(func $f) (start $f) (start $f)', 'multiple start sections'],
  ['(func) (module)', 'unknown operator'],
  ['(fnc)', 'unknown operator'],
  // type uses
  ['(type $t (func (param i32))) (func (type $t) (param i64))', 'inline function type'],
  ['(type $t (func (param i32))) (func (type $t) (result i32) (param i32))', 'unexpected token'],
  ['(func (block (param $x i32)))', 'unexpected token'],
  ['(func (call_indirect (param $x i32)))', 'unexpected token'],
  // literals
  ['(func (i32.const 4294967296))', 'constant out of range'],
  ['(func (i64.const 18446744073709551616))', 'constant out of range'],
  ['(func (f32.const 1e1000))', 'constant out of range'],
  ['(func (i32.const nan:arithmetic))', 'unexpected token'],
  ['(func (local.get -1))', 'unexpected token'],
  ['(memory 1) (func (drop (i32.load align=3 (i32.const 0))))', 'alignment'],
  ['(memory 1) (func (drop (i32.load align=0 (i32.const 0))))', 'alignment'],
  ['(func (drop (v128.const i32x4 1 2 3)))', 'wrong number of lane literals'],
  ['(func (drop (i8x16.shuffle 0 1 2 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))', 'invalid lane length'],
  ['(func (drop (i8x16.extract_lane_s 256 (v128.const i64x2 0 0))))', 'i8 constant out of range'],
  ['(func (drop (i8x16.extract_lane_s -1 (v128.const i64x2 0 0))))', 'unexpected token'],
  // structure
  ['(func (nop)', 'unexpected end'],
  ['(func))', 'unexpected token'],
  ['(func (block)', 'unexpected end'],
  ['(func block)', 'unexpected token'],
  ['(func end)', 'unexpected token'],
  ['(func (if (i32.const 0)))', 'unexpected token'],
  ['(func (try (do) (catch_all) (catch_all)))', 'unexpected token'],
  ['(func (i32.add nop))', 'unexpected token'],
  ['(func (param i32) (result i32) (local i32) (param i32))', 'unexpected token'],
  ['(module (@custom "x") (func (@custom "y")))', 'misplaced @custom annotation'],
  ['(module (func) (@name "M"))', 'misplaced @name annotation'],
  ['(module (@name "a") (@name "b"))', '@name annotation: multiple module'],
  ['(@custom 4)', '@custom annotation: missing section name'],
  ['(@custom "x" (after) "")', '@custom annotation: malformed section kind'],
  ['(module (@metadata.code.branch_hint "\\01") (func))', '@metadata.code.branch_hint annotation: not in a function'],
  ['(func i32.const 0 (@metadata.code.branch_hint "\\01") (@metadata.code.branch_hint "\\01") if end)', '@metadata.code.branch_hint annotation: duplicate'],
];

test('malformed modules are rejected with the spec wording', () => {
  for (const [source, reason] of CASES) rejects(source, reason);
});

test('bad input never throws anything but ParseError', () => {
  const inputs = [
    '(',
    ')',
    '(((((',
    '(module',
    '(module (func (block (loop (if',
    '"',
    '(func (i32.const 99999999999999999999999999999999999999999999999999999999999999))',
    '(func (f64.const 0x1p99999999999999999999999))',
    '(memory 99999999999999999999999999)',
    '(func (br 99999999999999999999))',
    '\u0000',
    '(func $\ud83d)',
    '(data "\ud83d")',
    '(@a (@b (@c',
    '(module (type (struct (field (ref null',
    '(func (v128.const i8x16',
    '(func (select (result',
    '(func (call_indirect (type',
    '(table funcref (elem (item',
  ];
  for (const source of inputs) {
    try {
      parseModule(source);
      assert.fail(`accepted ${JSON.stringify(source)}`);
    } catch (e) {
      assert.ok(e instanceof ParseError, `${JSON.stringify(source)} threw ${String(e)}`);
    }
  }
});

test('every truncation of a valid module is rejected cleanly', () => {
  const source = `(module $m
    (type $t (func (param i32) (result i32)))
    (memory 1) (table 1 funcref)
    (func $f (export "f") (type $t) (local $x i64)
      (block $b (result i32) (br_if $b (i32.const 1) (local.get 0)) (i32.load offset=4 (i32.const 0)))
      (if (result i32) (i32.const 1) (then (i32.const 2)) (else (call_indirect (type $t) (i32.const 3) (i32.const 0)))) drop)
    (data (i32.const 0) "abc") (elem (i32.const 0) $f) (global (mut f32) (f32.const 1.5)))`;
  parseModule(source);
  for (let i = 0; i < source.length; i++) {
    try {
      parseModule(source.slice(0, i));
    } catch (e) {
      assert.ok(e instanceof ParseError, `prefix ${i} threw ${String(e)}`);
    }
  }
});

test('100,000 nested folded expressions and blocks: no stack overflow', () => {
  const n = 100_000;
  const folded = '(func (result i32) ' + '(i32.eqz '.repeat(n) + '(i32.const 0)' + ')'.repeat(n) + ')';
  const m = parseModule(folded);
  assert.equal(m.funcs[0]!.body.length, n + 1);
  const blocks = '(func ' + '(block '.repeat(n) + ')'.repeat(n) + ')';
  assert.equal(parseModule(blocks).funcs[0]!.body.length, 2 * n);
  const plain = '(func ' + 'block '.repeat(n) + 'end '.repeat(n) + ')';
  assert.equal(parseModule(plain).funcs[0]!.body.length, 2 * n);
  const labels = '(func ' + 'block $l '.repeat(n) + 'br $l ' + 'end '.repeat(n) + ')';
  assert.equal(parseModule(labels).funcs[0]!.body.length, 2 * n + 1);
  const ifs = '(func ' + '(if (i32.const 1) (then '.repeat(n) + '))'.repeat(n) + ')';
  assert.equal(parseModule(ifs).funcs[0]!.body.length, 3 * n);
  // Unclosed deep nesting is an error, not a crash.
  assert.throws(() => parseModule('(func ' + '(block '.repeat(n)), ParseError);
  assert.throws(() => parseModule('(@a ' + '('.repeat(n)), ParseError);
  assert.throws(() => parseModule('(; '.repeat(n)), ParseError);
});

test('huge literals and long tokens stay bounded', () => {
  const digits = '9'.repeat(200_000);
  assert.throws(() => parseModule(`(func (i64.const ${digits}))`), ParseError);
  assert.throws(() => parseModule(`(func (f64.const ${digits}.5e${digits}))`), ParseError);
  const long = '$' + 'a'.repeat(100_000);
  assert.throws(() => parseModule(`(func (call ${long}))`), ParseError);
  const m = parseModule(`(func ${long}) (func (call ${long}))`);
  assert.equal(m.funcs.length, 2);
});
