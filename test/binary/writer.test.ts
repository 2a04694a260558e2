import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ByteWriter } from '../../src/binary/writer.ts';
import { EncodeError } from '../../src/model/errors.ts';
import { toHex } from './helpers.ts';

test('grows from a tiny buffer without losing bytes', () => {
  const w = new ByteWriter(1);
  for (let i = 0; i < 1000; i++) w.u8(i & 0xff);
  const out = w.finish();
  assert.equal(out.length, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(out[i], i & 0xff);
  const big = new Uint8Array(100000).fill(7);
  w.bytes(big);
  assert.equal(w.pos, 101000);
  assert.equal(w.view()[100999], 7);
});

test('integers, floats and byte vectors', () => {
  const w = new ByteWriter(4);
  w.u32(624485);
  w.s32(-123456);
  w.s33(0xffffffff);
  w.u64(0n);
  w.u64((1n << 64n) - 1n);
  w.u64(300);
  w.s64(-1n);
  w.s64(-129);
  w.f32(0x7fc00000);
  w.f64(0x7ff8000000000000n);
  w.byteVec(Uint8Array.of(1, 2, 3));
  w.u32Vec([1, 128]);
  w.u8x2(0xfd, 0x0c);
  assert.equal(
    toHex(w.finish()),
    'e5 8e 26 ' +
      'c0 bb 78 ' +
      'ff ff ff ff 0f ' +
      '00 ' +
      'ff ff ff ff ff ff ff ff ff 01 ' +
      'ac 02 ' +
      '7f ' +
      'ff 7e ' +
      '00 00 c0 7f ' +
      '00 00 00 00 00 00 f8 7f ' +
      '03 01 02 03 ' +
      '02 01 80 01 ' +
      'fd 0c',
  );
});

test('64-bit writers accept safe-integer numbers', () => {
  const pairs: [number, bigint][] = [[0, 0n], [2 ** 40, 1n << 40n], [2 ** 53 - 1, (1n << 53n) - 1n], [0xffffffff, 0xffffffffn]];
  for (const [n, b] of pairs) {
    const a = new ByteWriter();
    const c = new ByteWriter();
    a.u64(n);
    c.u64(b);
    assert.equal(toHex(a.finish()), toHex(c.finish()), `u64 ${n}`);
    a.reset();
    c.reset();
    a.s64(-n);
    c.s64(-b);
    assert.equal(toHex(a.finish()), toHex(c.finish()), `s64 ${-n}`);
  }
  const f = new ByteWriter();
  f.f64(2 ** 52);
  assert.equal(toHex(f.finish()), '00 00 00 00 00 00 10 00');
});

test('out-of-range values throw EncodeError', () => {
  const w = new ByteWriter();
  const bad: (() => void)[] = [
    () => w.u32(-1),
    () => w.u32(2 ** 32),
    () => w.u32(0.5),
    () => w.u32(NaN),
    () => w.s32(2 ** 31),
    () => w.s32(-(2 ** 31) - 1),
    () => w.s33(2 ** 32),
    () => w.s33(-(2 ** 32) - 1),
    () => w.u64(-1n),
    () => w.u64((1n << 64n) + (1n << 40n)),
    () => w.u64(-(1n << 40n)),
    () => w.u64(-1),
    () => w.s64(1n << 63n),
    () => w.s64((1n << 64n) + (1n << 40n)),
    () => w.s64(undefined as never),
    () => w.u64(null as never),
    () => w.s64(-(1n << 63n) - 1n),
    () => w.f32(-1),
    () => w.f32(2 ** 32),
    () => w.f64(-1n),
    () => w.f64(1n << 64n),
  ];
  for (const fn of bad) assert.throws(fn, EncodeError, String(fn));
  assert.equal(w.pos, 0);
});

test('names: ASCII, UTF-8 and lone surrogates', () => {
  const w = new ByteWriter(2);
  w.name('');
  w.name('abc');
  w.name('é');
  w.name('a€b');
  w.name('😀');
  assert.equal(toHex(w.finish()), '00 03 61 62 63 02 c3 a9 05 61 e2 82 ac 62 04 f0 9f 98 80');
  assert.throws(() => w.name('x\udc00'), EncodeError);
  assert.throws(() => w.name('\ud83d'), EncodeError);
  const long = 'x'.repeat(200);
  const l = new ByteWriter();
  l.name(long);
  assert.equal(toHex(l.view().subarray(0, 3)), 'c8 01 78');
  assert.equal(l.pos, 202);
  const longUtf8 = 'é'.repeat(100);
  const u = new ByteWriter();
  u.name(longUtf8);
  assert.equal(toHex(u.view().subarray(0, 4)), 'c8 01 c3 a9');
  assert.equal(u.pos, 202);
  // Matches TextEncoder on assorted text.
  const text = 'Ünïcödé ✓ 漢字 𝔘 end';
  const n = new ByteWriter();
  n.name(text);
  const expected = new TextEncoder().encode(text);
  assert.deepEqual(n.view().subarray(1), expected);
  assert.equal(n.view()[0], expected.length);
});

test('sized chunks: minimal size prefixes, nested', () => {
  const w = new ByteWriter(1);
  const outer = w.beginSized();
  w.u8(0xaa);
  const inner = w.beginSized();
  for (let i = 0; i < 200; i++) w.u8(i);
  w.endSized(inner);
  const empty = w.beginSized();
  w.endSized(empty);
  w.endSized(outer);
  const out = w.finish();
  // outer size: 1 + 2 (inner size) + 200 + 1 (empty size) = 204 → cc 01
  assert.equal(toHex(out.subarray(0, 6)), 'cc 01 aa c8 01 00');
  assert.equal(out[out.length - 2], 199);
  assert.equal(out[out.length - 1], 0);
  assert.equal(out.length, 206);
  const big = new ByteWriter();
  const mark = big.beginSized();
  big.bytes(new Uint8Array(1 << 21).fill(1));
  big.endSized(mark);
  assert.equal(toHex(big.view().subarray(0, 5)), '80 80 80 01 01');
  assert.equal(big.pos, 4 + (1 << 21));
});

test('reset keeps the buffer', () => {
  const w = new ByteWriter();
  w.u32(5);
  const buf = w.buf;
  w.reset();
  w.u8(1);
  assert.equal(w.buf, buf);
  assert.equal(toHex(w.finish()), '01');
});

test('take returns exactly the bytes and empties the writer', () => {
  const w = new ByteWriter(64);
  w.u32(300);
  w.u8(7);
  const out = w.take();
  assert.equal(toHex(out), 'ac 02 07');
  assert.equal(out.buffer.byteLength, 3);
  assert.equal(w.pos, 0);
  w.u8(1);
  assert.equal(toHex(w.finish()), '01');
  assert.equal(toHex(out), 'ac 02 07');
});
