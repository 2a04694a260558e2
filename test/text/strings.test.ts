import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  decodeName,
  decodeString,
  encodeNameLiteral,
  encodeStringLiteral,
  isValidUtf8,
  tryUtf8Decode,
  utf8Decode,
  utf8Encode,
} from '../../src/text/strings.ts';
import { WasmError } from '../../src/model/errors.ts';

const SPEC = new URL('../../../shared/spec-testsuite/', import.meta.url);

function bytes(...b: number[]): Uint8Array {
  return new Uint8Array(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

test('decodeString: plain text and escapes', () => {
  const cases: [string, Uint8Array][] = [
    ['""', bytes()],
    ['"abc"', utf8('abc')],
    ['" ~!#$%&()*+,-./:;<=>?@[]^_`{|}"', utf8(" ~!#$%&()*+,-./:;<=>?@[]^_`{|}")],
    ['"\\t\\n\\r\\"\\\'\\\\"', bytes(9, 10, 13, 34, 39, 92)],
    ['"\\00\\01\\7f\\80\\ff\\FF\\aB"', bytes(0, 1, 0x7f, 0x80, 0xff, 0xff, 0xab)],
    ['"a\\62c"', utf8('abc')],
    ['"\\u{0}\\u{41}\\u{7f}"', bytes(0, 0x41, 0x7f)],
    ['"\\u{80}\\u{7ff}\\u{800}\\u{ffff}"', utf8('\u0080\u07ff\u0800\uffff')],
    ['"\\u{10000}\\u{10ffff}\\u{1_F600}"', utf8('\u{10000}\u{10ffff}\u{1f600}')],
    ['"\\u{000000041}"', utf8('A')],
    ['"\\u{d7ff}\\u{e000}"', utf8('\ud7ff\ue000')],
    ['"é😀中"', utf8('é😀中')],
    ['"\u0080\u00a0\u2028"', utf8('\u0080\u00a0\u2028')],
    ['"x\\ffé\\u{e9}"', bytes(0x78, 0xff, 0xc3, 0xa9, 0xc3, 0xa9)],
  ];
  for (const [text, want] of cases) assert.deepEqual(decodeString(text), want, text);
});

test('decodeString: malformed literals', () => {
  const bad = [
    '', '"', 'abc', '"abc', 'abc"', "'abc'", '"a"b"', '"\\"', '"\\x"', '"\\g0"', '"\\0"', '"\\0g"', '"\\u"', '"\\u41"',
    '"\\u{}"', '"\\u{_1}"', '"\\u{1_}"', '"\\u{1__2}"', '"\\u{41"', '"\\u{g}"', '"\\u{110000}"', '"\\u{d800}"',
    '"\\u{dfff}"', '"\\u{ffffffffffffffffffff}"', '"\\U{41}"', '"\\a"', '"\t"', '"\n"', '"\r"', '"\u0000"', '"\u001f"',
    '"\u007f"', '"\ud800"', '"\udc00"', '"\ud800a"', '"a\udc00\ud800"', '"\\u{41}\\"',
  ];
  for (const text of bad) assert.equal(decodeString(text), undefined, JSON.stringify(text));
});

test('decodeString: long inputs, with growth for non-ASCII', () => {
  const ascii = 'x'.repeat(100000);
  assert.deepEqual(decodeString(`"${ascii}"`), utf8(ascii));
  const mixed = 'a'.repeat(1000) + '€😀'.repeat(5000) + '\\u{10ffff}'.repeat(100) + 'z';
  assert.deepEqual(decodeString(`"${mixed}"`), utf8('a'.repeat(1000) + '€😀'.repeat(5000) + '\u{10ffff}'.repeat(100) + 'z'));
  const data = new Uint8Array(65536).map((_, i) => (i * 7) & 255);
  assert.deepEqual(decodeString(encodeStringLiteral(data)), data);
});

test('decodeString agrees with UTF-8 encoding on random text', () => {
  const pieces = ['a', 'Z', ' ', '~', 'é', 'ß', '中', '€', '😀', '\u{10ffff}', '\ufeff', '\u00a0'];
  for (let n = 0; n < 500; n++) {
    let s = '';
    const len = Math.floor(Math.random() * 40);
    for (let i = 0; i < len; i++) s += pieces[Math.floor(Math.random() * pieces.length)];
    assert.deepEqual(decodeString(`"${s}"`), utf8(s), s);
    assert.equal(decodeName(`"${s}"`), s);
    assert.equal(decodeName(encodeNameLiteral(s)), s);
    assert.equal(decodeName(encodeStringLiteral(utf8(s))), s);
  }
});

test('decodeName: valid names', () => {
  const cases: [string, string][] = [
    ['""', ''],
    ['"main"', 'main'],
    ['"\\41B"', 'AB'],
    ['"\\u{41}\\u{42}"', 'AB'],
    ['"\\t"', '\t'],
    ['"\\ef\\98\\9a\\ef\\92\\a9"', '\uf61a\uf4a9'],
    ['"\\u{f61a}\\u{f4a9}"', '\uf61a\uf4a9'],
    ['"\\f0\\9f\\98\\80"', '😀'],
    ['"😀"', '😀'],
    ['"\\e2\\82\\ac"', '€'],
    ['"\\00"', '\0'],
    ['"\\c2\\80\\df\\bf\\e0\\a0\\80\\ed\\9f\\bf\\ee\\80\\80\\f4\\8f\\bf\\bf"', '\u0080\u07ff\u0800\ud7ff\ue000\u{10ffff}'],
  ];
  for (const [text, want] of cases) assert.equal(decodeName(text), want, text);
});

test('decodeName: malformed UTF-8 and malformed literals', () => {
  const bad = [
    '"\\80"', '"\\bf"', '"\\c0\\80"', '"\\c1\\bf"', '"\\c2"', '"\\c2\\41"', '"\\e0\\80\\80"', '"\\e0\\9f\\bf"',
    '"\\ed\\a0\\80"', '"\\ed\\bf\\bf"', '"\\ef\\bf"', '"\\f0\\80\\80\\80"', '"\\f0\\8f\\bf\\bf"', '"\\f4\\90\\80\\80"',
    '"\\f5\\80\\80\\80"', '"\\ff"', '"\\fe\\ff"', '"a\\e2\\82"', '"\t"', '"\ud800"', 'main', '"\\q"',
  ];
  for (const text of bad) assert.equal(decodeName(text), undefined, text);
});

test('utf8-invalid-encoding.wast: every name is rejected', () => {
  const text = readFileSync(new URL('utf8-invalid-encoding.wast', SPEC), 'utf8');
  let count = 0;
  for (const [, outer] of text.matchAll(/\(module quote ("(?:[^"\\]|\\.)*")\) "malformed UTF-8 encoding"/g)) {
    const source = utf8Decode(decodeString(outer!)!);
    const inner = /"(?:[^"\\]|\\.)*"/.exec(source)![0];
    assert.notEqual(decodeString(inner), undefined, inner);
    assert.equal(decodeName(inner), undefined, inner);
    count++;
  }
  assert.ok(count > 150, `checked ${count}`);
});

test('isValidUtf8 and tryUtf8Decode agree with TextDecoder', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff, 0x90, 0x9f, 0xa0];
  for (let n = 0; n < 30000; n++) {
    const len = Math.floor(Math.random() * 6);
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = Math.random() < 0.7 ? interesting[Math.floor(Math.random() * interesting.length)]! : Math.floor(Math.random() * 256);
    let want: string | undefined;
    try {
      want = decoder.decode(b);
    } catch {
      want = undefined;
    }
    assert.equal(isValidUtf8(b), want !== undefined, `${[...b]}`);
    assert.equal(tryUtf8Decode(b), want, `${[...b]}`);
  }
});

test('utf8Decode throws a WasmError on invalid input; long strings', () => {
  assert.throws(() => utf8Decode(bytes(0xff)), (e: unknown) => e instanceof WasmError && e.message === 'malformed UTF-8 encoding');
  const long = 'ab€😀'.repeat(20000);
  assert.equal(utf8Decode(utf8(long)), long);
  const ascii = 'q'.repeat(50000);
  assert.equal(utf8Decode(utf8(ascii)), ascii);
  assert.equal(utf8Decode(bytes()), '');
});

test('utf8Encode', () => {
  for (const s of ['', 'abc', 'é', '€', '😀', 'a\u{10ffff}b', 'x'.repeat(1000) + '中']) assert.deepEqual(utf8Encode(s), utf8(s));
  assert.deepEqual(utf8Encode('a\ud800b'), utf8('a\ufffdb'));
  assert.deepEqual(utf8Encode('\udc00'), bytes(0xef, 0xbf, 0xbd));
});

test('encodeStringLiteral is the inverse of decodeString', () => {
  assert.equal(encodeStringLiteral(bytes()), '""');
  assert.equal(encodeStringLiteral(utf8('hello')), '"hello"');
  assert.equal(encodeStringLiteral(bytes(0, 9, 10, 34, 39, 92, 0x7f, 0x80, 0xff)), '"\\00\\09\\0a\\"\'\\\\\\7f\\80\\ff"');
  assert.equal(encodeStringLiteral(utf8('é')), '"\\c3\\a9"');
  const all = new Uint8Array(256).map((_, i) => i);
  assert.deepEqual(decodeString(encodeStringLiteral(all)), all);
  for (let n = 0; n < 200; n++) {
    const b = new Uint8Array(Math.floor(Math.random() * 100)).map(() => Math.floor(Math.random() * 256));
    assert.deepEqual(decodeString(encodeStringLiteral(b)), b);
  }
  const big = new Uint8Array(300000).map((_, i) => i & 255);
  assert.deepEqual(decodeString(encodeStringLiteral(big)), big);
});

test('encodeNameLiteral keeps names readable and round-trips', () => {
  assert.equal(encodeNameLiteral('main'), '"main"');
  assert.equal(encodeNameLiteral('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(encodeNameLiteral('\t\n\0\x7f'), '"\\09\\0a\\00\\7f"');
  assert.equal(encodeNameLiteral('é😀中'), '"é😀中"');
  assert.equal(encodeNameLiteral('\u0085'), '"\\u{85}"');
  assert.equal(encodeNameLiteral('a\ud800'), '"a\\u{fffd}"');
  for (const s of ['', 'x', '\u0000\u001f\u007f\u0080\u009f\u00a0', '"\\\'', 'ünïcödé', '\u{10ffff}']) {
    assert.equal(decodeName(encodeNameLiteral(s)), s, JSON.stringify(s));
  }
});
