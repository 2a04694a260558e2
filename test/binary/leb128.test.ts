import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  encodeS32,
  encodeS33,
  encodeS64,
  encodeU32,
  encodeU64,
  readS32,
  readS33,
  readS64,
  readU32,
  readU64,
  sizeU32,
} from '../../src/binary/leb128.ts';
import { DecodeError } from '../../src/model/errors.ts';
import { hex, toHex } from './helpers.ts';

const U32: [number, string][] = [
  [0, '00'],
  [1, '01'],
  [127, '7f'],
  [128, '8001'],
  [255, 'ff01'],
  [16383, 'ff7f'],
  [16384, '808001'],
  [0x7fffffff, 'ffffffff07'],
  [0x80000000, '8080808008'],
  [0xffffffff, 'ffffffff0f'],
];

const S32: [number, string][] = [
  [0, '00'],
  [1, '01'],
  [63, '3f'],
  [64, 'c000'],
  [127, 'ff00'],
  [128, '8001'],
  [-1, '7f'],
  [-64, '40'],
  [-65, 'bf7f'],
  [-128, '807f'],
  [0x7fffffff, 'ffffffff07'],
  [-0x80000000, '8080808078'],
];

const S33: [number, string][] = [
  [0, '00'],
  [-16, '70'], // the byte of funcref
  [63, '3f'],
  [64, 'c000'],
  [0x7fffffff, 'ffffffff07'],
  [0x80000000, '8080808008'],
  [0xffffffff, 'ffffffff0f'],
  [-0x100000000, '8080808070'],
];

const U64: [bigint, string][] = [
  [0n, '00'],
  [127n, '7f'],
  [128n, '8001'],
  [0xffffffffn, 'ffffffff0f'],
  [0x100000000n, '8080808010'],
  [0x7ffffffffn, 'ffffffff7f'],
  [0x800000000n, '808080808001'],
  [(1n << 63n) - 1n, 'ffffffffffffffff7f'],
  [1n << 63n, '80808080808080808001'],
  [(1n << 64n) - 1n, 'ffffffffffffffffff01'],
];

const S64: bigint[] = [
  0n, 127n, 128n, -1n, -64n, -65n, 0x7fffffffn, -0x80000000n, 0x80000000n, -0x80000001n,
  0xffffffffn, (1n << 34n) - 1n, -(1n << 34n), (1n << 63n) - 1n, -(1n << 63n),
];

test('sizeU32 matches the encoded length', () => {
  for (const [v, h] of U32) assert.equal(sizeU32(v), h.length / 2, `size of ${v}`);
});

test('u32 encodings are minimal and read back', () => {
  for (const [v, h] of U32) {
    assert.equal(toHex(encodeU32(v)), toHex(hex(h)), `u32 ${v}`);
    const cur = { pos: 0 };
    assert.equal(readU32(hex(h), cur), v);
    assert.equal(cur.pos, h.length / 2);
  }
});

test('s32 encodings are minimal and read back', () => {
  for (const [v, h] of S32) {
    assert.equal(toHex(encodeS32(v)), toHex(hex(h)), `s32 ${v}`);
    const cur = { pos: 0 };
    assert.equal(readS32(hex(h), cur), v);
    assert.equal(cur.pos, h.length / 2);
  }
});

test('s33 encodings cover type indices and negative codes', () => {
  for (const [v, h] of S33) {
    assert.equal(toHex(encodeS33(v)), toHex(hex(h)), `s33 ${v}`);
    const cur = { pos: 0 };
    assert.equal(readS33(hex(h), cur), v);
    assert.equal(cur.pos, h.length / 2);
  }
});

test('u64 encodings are minimal and read back', () => {
  for (const [v, h] of U64) {
    assert.equal(toHex(encodeU64(v)), toHex(hex(h)), `u64 ${v}`);
    const cur = { pos: 0 };
    assert.equal(readU64(hex(h), cur), v);
    assert.equal(cur.pos, h.length / 2);
  }
});

test('s64 encodings are minimal and read back', () => {
  for (const v of S64) {
    const bytes = encodeS64(v);
    const cur = { pos: 0 };
    assert.equal(readS64(bytes, cur), v, `s64 ${v} via ${toHex(bytes)}`);
    assert.equal(cur.pos, bytes.length);
  }
  // Exact bytes for the edge cases.
  assert.equal(toHex(encodeS64(0n)), '00');
  assert.equal(toHex(encodeS64(-1n)), '7f');
  assert.equal(toHex(encodeS64(-64n)), '40');
  assert.equal(toHex(encodeS64(-65n)), 'bf 7f');
  assert.equal(toHex(encodeS64(0x7fffffffn)), 'ff ff ff ff 07');
  assert.equal(toHex(encodeS64(-0x80000000n)), '80 80 80 80 78');
  assert.equal(toHex(encodeS64(0x80000000n)), '80 80 80 80 08');
  assert.equal(toHex(encodeS64(-0x80000001n)), 'ff ff ff ff 77');
  assert.equal(toHex(encodeS64(0xffffffffn)), 'ff ff ff ff 0f');
  assert.equal(toHex(encodeS64((1n << 34n) - 1n)), 'ff ff ff ff 3f');
  assert.equal(toHex(encodeS64(-(1n << 34n))), '80 80 80 80 40');
  assert.equal(toHex(encodeS64(1n << 34n)), '80 80 80 80 c0 00');
  assert.equal(toHex(encodeS64(-(1n << 34n) - 1n)), 'ff ff ff ff bf 7f');
  assert.equal(toHex(encodeS64((1n << 63n) - 1n)), 'ff ff ff ff ff ff ff ff ff 00');
  assert.equal(toHex(encodeS64(-(1n << 63n))), '80 80 80 80 80 80 80 80 80 7f');
});

test('64-bit round trips over many bit patterns', () => {
  const values: bigint[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const p = 1n << bit;
    values.push(p, p - 1n, p + 1n, -p, -p + 1n, -p - 1n);
  }
  for (const v of values) {
    if (v >= -(1n << 63n) && v < 1n << 63n) {
      const cur = { pos: 0 };
      assert.equal(readS64(encodeS64(v), cur), v, `s64 ${v}`);
    }
    if (v >= 0n && v < 1n << 64n) {
      const cur = { pos: 0 };
      assert.equal(readU64(encodeU64(v), cur), v, `u64 ${v}`);
    }
  }
});

test('non-minimal encodings within the byte limit are accepted', () => {
  assert.equal(readU32(hex('8080808000'), { pos: 0 }), 0);
  assert.equal(readS32(hex('ffffffff7f'), { pos: 0 }), -1);
  assert.equal(readU64(hex('80808080808080808000'), { pos: 0 }), 0n);
  assert.equal(readS64(hex('ffffffffffffffffff7f'), { pos: 0 }), -1n);
});

function decodeError(fn: () => unknown, reason: string, offset: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.equal(e.reason, reason);
    assert.equal(e.offset, offset);
    return true;
  });
}

test('readers reject too many bytes', () => {
  decodeError(() => readU32(hex('8080808080'), { pos: 0 }), 'integer representation too long', 4);
  decodeError(() => readS32(hex('ffffffffff'), { pos: 0 }), 'integer representation too long', 4);
  decodeError(() => readS33(hex('ffffffffff'), { pos: 0 }), 'integer representation too long', 4);
  decodeError(
    () => readU64(hex('80808080808080808080'), { pos: 0 }),
    'integer representation too long',
    9,
  );
  decodeError(
    () => readS64(hex('ffffffffffffffffffff'), { pos: 0 }),
    'integer representation too long',
    9,
  );
});

test('readers reject unused bits that are set', () => {
  decodeError(() => readU32(hex('ffffffff1f'), { pos: 0 }), 'integer too large', 4);
  decodeError(() => readU32(hex('8080808070'), { pos: 0 }), 'integer too large', 4);
  decodeError(() => readS32(hex('ffffffff0f'), { pos: 0 }), 'integer too large', 4); // sign bit set, unused bits clear
  decodeError(() => readS32(hex('8080808070'), { pos: 0 }), 'integer too large', 4);
  decodeError(() => readS33(hex('ffffffff2f'), { pos: 0 }), 'integer too large', 4);
  decodeError(() => readU64(hex('ffffffffffffffffff03'), { pos: 0 }), 'integer too large', 9);
  decodeError(() => readS64(hex('ffffffffffffffffff3f'), { pos: 0 }), 'integer too large', 9);
  decodeError(() => readS64(hex('80808080808080808001'), { pos: 0 }), 'integer too large', 9);
});

test('readers report unexpected end', () => {
  decodeError(() => readU32(hex(''), { pos: 0 }), 'unexpected end', 0);
  decodeError(() => readU32(hex('8080'), { pos: 0 }), 'unexpected end', 2);
  decodeError(() => readS32(hex('ff'), { pos: 0 }), 'unexpected end', 1);
  decodeError(() => readU64(hex('808080808080'), { pos: 0 }), 'unexpected end', 6);
  decodeError(() => readS64(hex('80'), { pos: 0 }), 'unexpected end', 1);
  // `end` bounds the read even when the buffer continues.
  decodeError(() => readU32(hex('808001'), { pos: 0 }, 2), 'unexpected end', 2);
});

test('readers start at the cursor', () => {
  const bytes = hex('ff 8001 7f');
  const cur = { pos: 1 };
  assert.equal(readU32(bytes, cur), 128);
  assert.equal(readS32(bytes, cur), -1);
  assert.equal(cur.pos, 4);
});
