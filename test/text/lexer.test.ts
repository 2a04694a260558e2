// The lexer (spec §6.2) and its low-level API, as the WAST script parser uses it.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ParseError } from '../../src/model/errors.ts';
import { Lexer, Tok } from '../../src/text/lexer.ts';
import { parseModuleFields } from '../../src/text/parser.ts';

function tokens(source: string): string[] {
  const lx = new Lexer(source);
  const out: string[] = [];
  const names = ['eof', '(', ')', 'kw', 'id', 'str', 'num', 'res'];
  while (lx.kind !== Tok.eof) {
    out.push(lx.kind === Tok.lparen || lx.kind === Tok.rparen ? names[lx.kind]! : `${names[lx.kind]}:${lx.text()}`);
    lx.next();
  }
  return out;
}

test('token kinds follow the longest-match rule (a number-like run is a number until converted)', () => {
  assert.deepEqual(tokens('(func $f "s" 12 -3 +inf nan:0x1 i32.add)'), [
    '(', 'kw:func', 'id:$f', 'str:"s"', 'num:12', 'num:-3', 'num:+inf', 'kw:nan:0x1', 'kw:i32.add', ')',
  ]);
  assert.deepEqual(tokens('0$x "a""b" $"q" $"a"x , ; [ ] { }'), [
    'num:0$x', 'res:"a""b"', 'id:$"q"', 'res:$"a"x', 'res:,', 'res:;', 'res:[', 'res:]', 'res:{', 'res:}',
  ]);
  assert.deepEqual(tokens('offset=4 align=8 $a$b'), ['kw:offset=4', 'kw:align=8', 'id:$a$b']);
});

test('white space, comments and annotations separate tokens', () => {
  assert.deepEqual(tokens('a;;x\nb(;c(;d;)e;)f\t\rg (@x (y) "z") h'), ['kw:a', 'kw:b', 'kw:f', 'kw:g', 'kw:h']);
});

test('@name and @custom annotations are recorded with their offsets', () => {
  const src = '(@name "n") (@other) (@custom "c" "x") (@"name" "m")';
  const lx = new Lexer(src);
  assert.deepEqual(
    lx.annotations.map((a) => [a.kind, a.start, a.end]),
    [
      ['name', 0, 11],
      ['custom', 21, 38],
      ['name', 39, src.length],
    ],
  );
});

test('positions, text, is, startsWith, peek, save and restore', () => {
  const lx = new Lexer('(module $m (func))');
  assert.equal(lx.kind, Tok.lparen);
  assert.ok(lx.peekIs('module'));
  assert.equal(lx.peekKind(), Tok.keyword);
  const mark = lx.save();
  lx.next();
  assert.ok(lx.is('module'));
  assert.ok(lx.startsWith('mod'));
  assert.equal(lx.start, 1);
  assert.equal(lx.end, 7);
  lx.next();
  assert.equal(lx.text(), '$m');
  lx.restore(mark);
  assert.equal(lx.kind, Tok.lparen);
  assert.equal(lx.start, 0);
});

test('skipToClose and expect', () => {
  const lx = new Lexer('(a (b (c)) d) e');
  lx.next();
  lx.next();
  lx.skipToClose();
  assert.equal(lx.start, 12);
  lx.expect(Tok.rparen);
  lx.expectKeyword('e');
  assert.equal(lx.kind, Tok.eof);
  assert.throws(() => lx.expect(Tok.lparen), ParseError);
});

test('lexical errors are thrown when the parser reaches them, in source order', () => {
  const lx = new Lexer('(a) "unclosed');
  assert.equal(lx.kind, Tok.lparen);
  lx.next();
  lx.next();
  assert.equal(lx.kind, Tok.rparen);
  assert.throws(
    () => lx.next(),
    (e: unknown) => e instanceof ParseError && e.reason === 'unclosed string literal' && e.line === 1 && e.column === 5,
  );
});

test('error() computes line and column; the file name prefixes the message', () => {
  const lx = new Lexer('a\nbb\n  c', { file: 'x.wat' });
  const e = lx.error('boom', 7);
  assert.equal(e.line, 3);
  assert.equal(e.column, 3);
  assert.equal(e.message, 'x.wat:3:3: boom');
});

test('parseModuleFields stops before the closing parenthesis of the module', () => {
  const lx = new Lexer('(module $m (func $f) (export "f" (func $f))) (assert_return (invoke "f"))');
  lx.next();
  lx.next();
  lx.next();
  const m = parseModuleFields(lx, { name: 'm' });
  assert.equal(lx.kind, Tok.rparen);
  assert.equal(m.funcs.length, 1);
  assert.equal(m.names?.module, 'm');
  lx.next();
  assert.ok(lx.peekIs('assert_return'));
});

test('parseModuleFields keeps module-level annotations of its own module only', () => {
  const lx = new Lexer('(module (@custom "a") (func)) (module (@name "B") (@custom "b"))');
  lx.next();
  lx.next();
  const a = parseModuleFields(lx, { name: null });
  lx.next();
  lx.next();
  lx.next();
  const b = parseModuleFields(lx, { name: null });
  assert.deepEqual(a.customs.map((c) => c.name), ['a']);
  assert.deepEqual(b.customs.map((c) => c.name), ['b']);
  assert.equal(b.names?.module, 'B');
});
