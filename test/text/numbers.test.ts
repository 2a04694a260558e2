import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

import {
  classifyNumber,
  f32Bits,
  f32ToNumber,
  f64Bits,
  f64ToNumber,
  parseF32,
  parseF64,
  parseI16,
  parseI32,
  parseI64,
  parseI8,
  parseU32,
  parseU64,
} from '../../src/text/numbers.ts';

const SPEC = new URL('../../../shared/spec-testsuite/', import.meta.url);

// Malformed spellings that every integer parser rejects.
const MALFORMED_INTEGERS = [
  '', '+', '-', '_', '_1', '1_', '1__0', '+_1', '-_1', '0x', '0x_1', '0x1_', '0xff__ff', '_0x1', '0_x1',
  '0X1', '1x', '0xg', 'x1', '1.0', '1.', '1e3', '0x1p3', ' 1', '1 ', '--1', '+-1', '-+1', '0b1', 'inf', 'nan',
  '１',
];

test('parseU32: values, boundaries, underscores', () => {
  const ok: [string, number][] = [
    ['0', 0], ['1', 1], ['010', 10], ['4294967295', 4294967295], ['0xffffffff', 0xffffffff], ['0xFFFF_ffff', 0xffffffff],
    ['1_000', 1000], ['1_0_0_0', 1000], ['0x1_a_A_0_f', 0x1aa0f], ['0x0', 0], ['0000000000000000000000000001', 1],
    ['0x000000000000000000000000000000ff', 255], ['0_123_456_789', 123456789],
  ];
  for (const [t, v] of ok) assert.equal(parseU32(t), v, t);
  for (const t of [...MALFORMED_INTEGERS, '4294967296', '0x100000000', '99999999999999999999', '+1', '-1', '-0', '+0']) {
    assert.equal(parseU32(t), undefined, t);
  }
});

test('parseU64: values, boundaries', () => {
  const ok: [string, bigint][] = [
    ['0', 0n], ['18446744073709551615', 2n ** 64n - 1n], ['0xffff_ffff_ffff_ffff', 2n ** 64n - 1n],
    ['9007199254740993', 9007199254740993n], ['281474976710655', 2n ** 48n - 1n], ['281474976710656', 2n ** 48n],
    ['0x1_0000_0000_0001', 0x1000000000001n], ['00000000000000000000000000000000042', 42n],
  ];
  for (const [t, v] of ok) assert.equal(parseU64(t), v, t);
  for (const t of [...MALFORMED_INTEGERS, '18446744073709551616', '0x1_0000_0000_0000_0000', '+1', '-1', '1'.repeat(100)]) {
    assert.equal(parseU64(t), undefined, t);
  }
  for (let k = 0; k < 2000; k++) {
    const v = randomBig(1 + Math.floor(Math.random() * 64));
    assert.equal(parseU64(v.toString()), v);
    assert.equal(parseU64('0x' + v.toString(16)), v);
  }
});

test('parseI32: signed and unsigned ranges', () => {
  const ok: [string, number][] = [
    ['0', 0], ['-0', 0], ['+0', 0], ['-0x0', 0], ['+42', 42], ['010', 10], ['2147483647', 2147483647],
    ['2147483648', -2147483648], ['4294967295', -1], ['0xffffffff', -1], ['-2147483648', -2147483648],
    ['-0x80000000', -2147483648], ['-0x7fffffff', -2147483647], ['0x80000000', -2147483648], ['0x0bAdD00D', 195940365],
    ['-1', -1], ['+4294967295', -1], ['1_000_000', 1000000], ['0xa_0f_00_99', 0xa0f0099], ['0x0_9acf_fBDF', 0x9acffbdf | 0],
  ];
  for (const [t, v] of ok) assert.equal(parseI32(t), v, t);
  assert.ok(Object.is(parseI32('-0'), 0));
  for (const t of [...MALFORMED_INTEGERS, '4294967296', '0x100000000', '-2147483649', '-0x80000001', '-4294967295', '+4294967296']) {
    assert.equal(parseI32(t), undefined, t);
  }
});

test('parseI64: signed and unsigned ranges', () => {
  const ok: [string, bigint][] = [
    ['0', 0n], ['-0', 0n], ['+42', 42n], ['010', 10n], ['9223372036854775807', 2n ** 63n - 1n],
    ['9223372036854775808', -(2n ** 63n)], ['18446744073709551615', -1n], ['0xffffffffffffffff', -1n],
    ['-9223372036854775808', -(2n ** 63n)], ['-0x8000000000000000', -(2n ** 63n)], ['0x8000000000000000', -(2n ** 63n)],
    ['-0x7fffffffffffffff', -(2n ** 63n) + 1n], ['0x0CABBA6E0ba66a6e', 913028331277281902n], ['-1', -1n],
    ['0xa_f00f_0000_9999', 0xaf00f00009999n], ['-9007199254740993', -9007199254740993n], ['+18446744073709551615', -1n],
  ];
  for (const [t, v] of ok) assert.equal(parseI64(t), v, t);
  for (const t of [...MALFORMED_INTEGERS, '18446744073709551616', '0x10000000000000000', '-9223372036854775809', '-0x8000000000000001']) {
    assert.equal(parseI64(t), undefined, t);
  }
  for (let k = 0; k < 2000; k++) {
    const v = randomBig(1 + Math.floor(Math.random() * 63));
    assert.equal(parseI64('-' + v.toString()), -v);
    assert.equal(parseI64('-0x' + v.toString(16)), -v);
    assert.equal(parseI64(v.toString()), v);
  }
});

test('parseI8 and parseI16: lane ranges, unsigned results', () => {
  const i8: [string, number][] = [['0', 0], ['127', 127], ['128', 128], ['255', 255], ['-1', 255], ['-128', 128], ['0xff', 255], ['-0x80', 128], ['+127', 127]];
  for (const [t, v] of i8) assert.equal(parseI8(t), v, t);
  for (const t of [...MALFORMED_INTEGERS, '256', '-129', '0x100', '-0x81']) assert.equal(parseI8(t), undefined, t);
  const i16: [string, number][] = [['0', 0], ['32767', 32767], ['65535', 65535], ['-1', 65535], ['-32768', 32768], ['0xffff', 65535], ['-0', 0]];
  for (const [t, v] of i16) assert.equal(parseI16(t), v, t);
  for (const t of [...MALFORMED_INTEGERS, '65536', '-32769', '0x10000']) assert.equal(parseI16(t), undefined, t);
});

test('classifyNumber', () => {
  const cases: [string, string | undefined][] = [
    ['0', 'nat'], ['0x1F', 'nat'], ['+1', 'int'], ['-0x1', 'int'], ['99999999999999999999999', 'nat'], ['1.', 'float'],
    ['1e5', 'float'], ['0x1p5', 'float'], ['0x1e5', 'nat'], ['inf', 'float'], ['-nan', 'float'], ['nan:0x1', 'float'],
    ['nan:0x0', 'float'], ['nan:0x1_0000_0000_0000_0000', 'float'], ['1e99999999999999999999', 'float'],
    ['nan:1', undefined], ['nan:0x', undefined], ['Inf', undefined], ['infinity', undefined], ['NaN', undefined],
    ['.5', undefined], ['1._0', undefined], ['1_.0', undefined], ['1.0_', undefined], ['1e', undefined],
    ['1e+', undefined], ['1e_1', undefined], ['1e1_', undefined], ['1_e1', undefined], ['0x.', undefined],
    ['0x.1', undefined], ['0x1p', undefined], ['0x0pA', undefined], ['1.0e+_1', undefined], ['1.0e_+1', undefined],
    ['$x', undefined], ['', undefined], ['-', undefined], ['nan:0x1_', undefined], ['0x1.p', undefined],
  ];
  for (const [t, k] of cases) assert.equal(classifyNumber(t), k, t);
});

test('parseF32/parseF64: float_literals.wast vectors', () => {
  const f32: [string, number][] = [
    ['nan', 0x7fc00000], ['+nan', 0x7fc00000], ['-nan', 0xffc00000], ['nan:0x400000', 0x7fc00000],
    ['nan:0x200000', 0x7fa00000], ['-nan:0x7fffff', 0xffffffff], ['nan:0x012345', 0x7f812345],
    ['+nan:0x304050', 0x7fb04050], ['-nan:0x2abcde', 0xffaabcde], ['inf', 0x7f800000], ['+inf', 0x7f800000],
    ['-inf', 0xff800000], ['0x0.0p0', 0], ['+0x0.0p0', 0], ['-0x0.0p0', 0x80000000], ['0x1.921fb6p+2', 0x40c90fdb],
    ['0x1p-149', 1], ['0x1p-126', 0x800000], ['0x1.fffffep+127', 0x7f7fffff], ['0x1.fffffcp-127', 0x7fffff],
    ['0x1.p10', 0x44800000], ['0x12345', 0x4791a280], ['0x1_0000_0000_0000_0000_0000', 0x67800000],
    ['-0x8000_0000', 0xcf000000], ['-0x8000_0000_0000_0000', 0xdf000000], ['0.0e0', 0], ['+0.0e0', 0],
    ['-0.0e0', 0x80000000], ['6.28318548202514648', 0x40c90fdb], ['1.4013e-45', 1], ['1.1754944e-38', 0x800000],
    ['1.1754942e-38', 0x7fffff], ['3.4028234e+38', 0x7f7fffff], ['1.e10', 0x501502f9], ['1.000000119', 0x3f800001],
    ['12345', 0x4640e400], ['100_000_000_000_000_000_000', 0x60ad78ec], ['-2147483648', 0xcf000000],
    ['-9223372036854775808', 0xdf000000], ['1_000_000', f32Bits(1e6)], ['100_3.141_592', f32Bits(1003.141592)],
    ['99e+1_3', f32Bits(99e13)], ['122_000.11_3_54E0_2_3', f32Bits(122000.11354e23)], ['0xa0_ff.f141_a59a', f32Bits(0xa0fff141a59a / 2 ** 32)],
    ['0xf0P+1_3', f32Bits(0xf0 * 2 ** 13)], ['0x2a_f00a.1f_3_eep2_3', f32Bits(0x2af00a1f3ee * 8)],
  ];
  for (const [t, v] of f32) assert.equal(parseF32(t), v, t);
  const f64: [string, bigint][] = [
    ['nan', 0x7ff8000000000000n], ['-nan', 0xfff8000000000000n], ['nan:0x8000000000000', 0x7ff8000000000000n],
    ['nan:0x4000000000000', 0x7ff4000000000000n], ['-nan:0xfffffffffffff', 0xffffffffffffffffn],
    ['nan:0x0123456789abc', 0x7ff0123456789abcn], ['+nan:0x3040506070809', 0x7ff3040506070809n],
    ['-nan:0x2abcdef012345', 0xfff2abcdef012345n], ['inf', 0x7ff0000000000000n], ['-inf', 0xfff0000000000000n],
    ['-0x0.0p0', 0x8000000000000000n], ['0x1.921fb54442d18p+2', 0x401921fb54442d18n],
    ['0x0.0000000000001p-1022', 1n], ['0x1p-1022', 0x10000000000000n], ['0x0.fffffffffffffp-1022', 0xfffffffffffffn],
    ['0x1.fffffffffffffp+1023', 0x7fefffffffffffffn], ['0x1.p100', 0x4630000000000000n], ['0x12345', 0x40f2345000000000n],
    ['0x1_0000_0000_0000_0000_0000', 0x44f0000000000000n], ['-0x8000_0000', 0xc1e0000000000000n],
    ['-0x8000_0000_0000_0000', 0xc3e0000000000000n], ['-0.0e0', 0x8000000000000000n],
    ['6.28318530717958623', 0x401921fb54442d18n], ['4.94066e-324', 1n], ['2.2250738585072012e-308', 0x10000000000000n],
    ['2.2250738585072011e-308', 0xfffffffffffffn], ['1.7976931348623157e+308', 0x7fefffffffffffffn],
    ['1.e100', 0x54b249ad2594c37dn], ['12345', 0x40c81c8000000000n], ['100_000_000_000_000_000_000', 0x4415af1d78b58c40n],
    ['-2147483648', 0xc1e0000000000000n], ['-9223372036854775808', 0xc3e0000000000000n],
    ['1.000000119', 0x3ff000001ff19e24n], ['99e-1_23', f64Bits(99e-123)], ['0xa_f00f_0000_9999', f64Bits(0xaf00f00009999)],
  ];
  for (const [t, v] of f64) assert.equal(parseF64(t), v, t);
});

test('parseF32/parseF64: range and payload errors', () => {
  for (const t of ['0x1p128', '-0x1p128', '0x1.ffffffp127', '1e39', '-1e39', '340282356779733661637539395458142568448', 'nan:0x0', 'nan:0x80_0000', '1e1000000', '0x1p+100000000']) {
    assert.equal(parseF32(t), undefined, t);
  }
  for (const t of ['0x1p1024', '0x1.fffffffffffff8p1023', '1e309', '-1e309', 'nan:0x0', 'nan:0x10_0000_0000_0000', '1e1000000']) {
    assert.equal(parseF64(t), undefined, t);
  }
  // just below the thresholds
  assert.equal(parseF32('0x1.fffffefffffffffffffp127'), 0x7f7fffff);
  assert.equal(parseF32('340282356779733623858607532500980858880'), 0x7f7fffff);
  assert.equal(parseF64('0x1.fffffffffffff7ffffffp1023'), 0x7fefffffffffffffn);
  assert.equal(parseF32('nan:0x7f_ffff'), 0x7fffffff);
  assert.equal(parseF64('nan:0xf_ffff_ffff_ffff'), 0x7fffffffffffffffn);
  // underflow is not an error: it rounds to (signed) zero
  assert.equal(parseF32('-1e-1000000'), 0x80000000);
  assert.equal(parseF64('1e-400'), 0n);
  assert.equal(parseF32('0x1p-150'), 0); // halfway to the smallest subnormal: ties to even
  assert.equal(parseF32('0x1.000001p-150'), 1);
  assert.equal(parseF64('0x1p-1075'), 0n);
  assert.equal(parseF64('0x1.0000000000001p-1075'), 1n);
  assert.equal(parseF64('0x1.8p-1074'), 2n); // 1.5 ulp: ties to even (2)
  assert.equal(parseF64('0x1.8p-1073'), 3n); // exact
  for (const t of ['.5', '1e', '0x', '1.0e+', '0x1p', '_1', '1__0', '0x_1.0', 'infinity', 'nan:1', '1.0.0', '1e1e1']) {
    assert.equal(parseF32(t), undefined, t);
    assert.equal(parseF64(t), undefined, t);
  }
});

test('f32: decimals whose nearest double is an f32 midpoint are not double-rounded', () => {
  // 1 + 2^-24 = 1.000000059604644775390625 lies halfway between 1 and 1 + 2^-23.
  assert.equal(parseF32('1.000000059604644775390625'), 0x3f800000); // exact midpoint: ties to even
  assert.equal(parseF32('1.0000000596046448'), 0x3f800001); // double rounds down onto the midpoint
  assert.equal(Math.fround(1.0000000596046448), 1); // …which the naive way would round to even
  assert.equal(parseF32('1.0000000596046447'), 0x3f800000);
  assert.equal(parseF32('1.0000000596046447753'), 0x3f800000); // below, double rounds up onto it
  assert.equal(parseF32('1.00000005960464478'), 0x3f800001);
  assert.equal(parseF32('10000000596046448e-16'), 0x3f800001);
  assert.equal(parseF32('1_0000000596046448e-1_6'), 0x3f800001);
});

test('bit-pattern helpers', () => {
  assert.equal(f32ToNumber(0x3fc00000), 1.5);
  assert.equal(f64ToNumber(0x3ff8000000000000n), 1.5);
  assert.ok(Object.is(f64ToNumber(0x8000000000000000n), -0));
  assert.equal(f32Bits(-0), 0x80000000);
  assert.equal(f64Bits(Math.PI), 0x400921fb54442d18n);
});

// ---------------------------------------------------------------------------------------
// An independent reference: the exact value of a literal as a fraction, and the correctly
// rounded bit pattern found by binary search over the ordered bit patterns.

interface RefFormat {
  mantBits: bigint;
  inf: bigint;
  /** exponent of the subnormals' unit */
  minK: bigint;
}
const R32: RefFormat = { mantBits: 23n, inf: 0x7f800000n, minK: -149n };
const R64: RefFormat = { mantBits: 52n, inf: 0x7ff0000000000000n, minK: -1074n };

/** The exact magnitude of a finite literal: num / den. */
function exactValue(text: string): { neg: boolean; num: bigint; den: bigint } {
  const t = text.replaceAll('_', '');
  const hex = /^([+-]?)0x([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/.exec(t);
  const dec = hex ? null : /^([+-]?)([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(t);
  const m = hex ?? dec;
  assert.ok(m, `not a finite float literal: ${text}`);
  const frac = m[3] ?? '';
  const exp = BigInt(m[4] ?? '0');
  let num = BigInt((hex ? '0x' : '') + m[2] + frac);
  let den = 1n;
  const scale = hex ? exp - 4n * BigInt(frac.length) : exp - BigInt(frac.length);
  const base = hex ? 2n : 10n;
  if (scale >= 0n) num *= base ** scale;
  else den = base ** -scale;
  return { neg: m[1] === '-', num, den };
}

/** The value of magnitude bit pattern b as a · 2^k. */
function patternValue(b: bigint, f: RefFormat): [bigint, bigint] {
  const e = b >> f.mantBits;
  const frac = b & ((1n << f.mantBits) - 1n);
  if (e === 0n) return [frac, f.minK];
  return [frac | (1n << f.mantBits), e - 1n + f.minK];
}

/** Sign of num/den − a·2^k. */
function compare(num: bigint, den: bigint, a: bigint, k: bigint): number {
  let l = num;
  let r = a * den;
  if (k >= 0n) r <<= k;
  else l <<= -k;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The correctly rounded magnitude pattern of num/den, or undefined for overflow. */
function referenceRound(num: bigint, den: bigint, f: RefFormat): bigint | undefined {
  let lo = 0n;
  let hi = f.inf - 1n; // largest b with value(b) ≤ x lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi + 1n) >> 1n;
    const [a, k] = patternValue(mid, f);
    if (compare(num, den, a, k) >= 0) lo = mid;
    else hi = mid - 1n;
  }
  const [a0, k0] = patternValue(lo, f);
  const [a1, k1] = patternValue(lo + 1n, f);
  const kmin = k0 < k1 ? k0 : k1;
  const half = (a0 << (k0 - kmin)) + (a1 << (k1 - kmin));
  const c = compare(num, den, half, kmin - 1n);
  const r = c < 0 ? lo : c > 0 ? lo + 1n : (lo & 1n) === 0n ? lo : lo + 1n;
  return r === f.inf ? undefined : r;
}

function reference32(text: string): number | undefined {
  const { neg, num, den } = exactValue(text);
  const r = referenceRound(num, den, R32);
  return r === undefined ? undefined : Number(r) + (neg ? 0x80000000 : 0);
}

function reference64(text: string): bigint | undefined {
  const { neg, num, den } = exactValue(text);
  const r = referenceRound(num, den, R64);
  return r === undefined ? undefined : r | (neg ? 1n << 63n : 0n);
}

function check32(text: string): void {
  assert.equal(parseF32(text), reference32(text), `f32 ${text}`);
}

function check64(text: string): void {
  const bits = parseF64(text);
  assert.equal(bits, reference64(text), `f64 ${text}`);
  if (!text.includes('0x')) {
    // V8's own string-to-double is exact at any length: a second, unrelated reference.
    const v = Number(text.replaceAll('_', ''));
    assert.equal(bits, Number.isFinite(v) ? f64Bits(v) : undefined, `f64 vs Number ${text}`);
  }
}

test('reference self-check', () => {
  assert.equal(reference32('0x1.fffffep127'), 0x7f7fffff);
  assert.equal(reference32('0x1.ffffffp127'), undefined);
  assert.equal(reference32('0x1p-150'), 0);
  assert.equal(reference32('0x1.8p-149'), 2);
  assert.equal(reference64('1.5'), 0x3ff8000000000000n);
  assert.equal(reference64('0x1p-1074'), 1n);
});

test('const.wast: rounding vectors and range errors', () => {
  const text = readFileSync(new URL('const.wast', SPEC), 'utf8');
  const pairs = /\(module \(func \(export "f"\) \(result (f32|f64)\) \(\1\.const ([^\s()]+)\)\)\)\s*\(assert_return \(invoke "f"\) \(\1\.const ([^\s()]+)\)\)/g;
  let count = 0;
  for (const [, type, input, expected] of text.matchAll(pairs)) {
    count++;
    if (type === 'f32') {
      const want = parseF32(expected!);
      assert.notEqual(want, undefined);
      assert.equal(want, reference32(expected!), expected);
      assert.equal(parseF32(input!), want, input);
      check32(input!);
    } else {
      const want = parseF64(expected!);
      assert.notEqual(want, undefined);
      assert.equal(want, reference64(expected!), expected);
      assert.equal(parseF64(input!), want, input);
      check64(input!);
    }
  }
  assert.ok(count > 250, `found ${count} rounding vectors`);
  checkMalformedAndValid(text);
});

/** `(module (func (T.const X) drop))` must parse; `assert_malformed` ones must fail with the right kind. */
function checkMalformedAndValid(text: string): number {
  let count = 0;
  for (const [, type, lit] of text.matchAll(/^\(module \(func \((i32|i64|f32|f64)\.const ([^\s()]+)\) drop\)\)/gm)) {
    assert.notEqual(parse(type!, lit!), undefined, `${type} ${lit}`);
    count++;
  }
  const malformed = /\(assert_malformed\s+\(module quote "\((?:func|global \w+) \((i32|i64|f32|f64)\.const ([^\s()"]+)\)[^"]*"\)\s+"([^"]+)"/g;
  for (const [, type, lit, message] of text.matchAll(malformed)) {
    assert.equal(parse(type!, lit!), undefined, `${type} ${lit}`);
    if (message === 'unknown operator') assert.equal(classifyNumber(lit!), undefined, lit);
    else if (message === 'constant out of range') assert.notEqual(classifyNumber(lit!), undefined, lit);
    count++;
  }
  return count;
}

function parse(type: string, lit: string): unknown {
  switch (type) {
    case 'i32': return parseI32(lit);
    case 'i64': return parseI64(lit);
    case 'f32': return parseF32(lit);
    default: return parseF64(lit);
  }
}

test('int_literals.wast and float_literals.wast: malformed literals', () => {
  for (const file of ['int_literals.wast', 'float_literals.wast']) {
    const text = readFileSync(new URL(file, SPEC), 'utf8');
    assert.ok(checkMalformedAndValid(text) >= 20, file);
  }
});

test('every float literal in the spec suite agrees with the reference', () => {
  let count = 0;
  const seen = new Set<string>();
  for (const file of readdirSync(SPEC).filter((f) => f.endsWith('.wast'))) {
    const text = readFileSync(new URL(file, SPEC), 'utf8');
    for (const [, type, lit] of text.matchAll(/\((f32|f64)\.const ([^\s()"]+)\)/g)) {
      const key = type! + lit!;
      if (seen.has(key) || /nan|inf/.test(lit!) || classifyNumber(lit!) === undefined) continue;
      seen.add(key);
      if (type === 'f32') check32(lit!);
      else check64(lit!);
      count++;
    }
  }
  assert.ok(count > 1000, `checked ${count} literals`);
});

// ---------------------------------------------------------------------------------------
// Random literals at and around the rounding boundaries.

function randomBig(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(Math.random() * 65536));
  return v & ((1n << BigInt(bits)) - 1n);
}

function randomPattern(f: RefFormat): bigint {
  const r = Math.random();
  const total = f.inf; // patterns 0 … inf-1 are the finite magnitudes
  if (r < 0.15) return randomBig(Number(f.mantBits)); // subnormal
  if (r < 0.25) return total - 1n - randomBig(8); // near the largest finite
  if (r < 0.35) return (f.inf >> 1n) - 128n + randomBig(8); // near 1
  return randomBig(Number(f.mantBits) + 8) % (total - 1n);
}

/** a · 2^k written exactly in decimal, with `extra` digits appended (all zero but the last, `last`). */
function decimalString(a: bigint, k: bigint, extra: number, last: bigint): string {
  // a · 2^k = a · 5^-k / 10^-k for k < 0
  let digits = k >= 0n ? a << k : a * 5n ** -k;
  let exp = k >= 0n ? 0n : k;
  if (extra > 0) {
    digits = digits * 10n ** BigInt(extra) + last;
    exp -= BigInt(extra);
  }
  const s = digits.toString();
  const style = Math.floor(Math.random() * 3);
  if (style === 0 || exp === 0n) return `${s}e${exp}`;
  // move the point into the digits, or write 0.000ddd
  const point = BigInt(s.length) + exp;
  if (style === 1 && point > 0n) return `${s.slice(0, Number(point))}.${s.slice(Number(point))}`;
  if (style === 2 && point <= 0n) return `0.${'0'.repeat(Number(-point))}${s}`;
  return `${s.slice(0, 1)}.${s.slice(1)}e${point - 1n}`;
}

function hexString(a: bigint, k: bigint, extra: number, last: bigint): string {
  let digits = a;
  let exp = k;
  if (extra > 0) {
    digits = (digits << BigInt(4 * extra)) + last;
    exp -= BigInt(4 * extra);
  }
  const s = digits.toString(16);
  if (Math.random() < 0.5) return `0x${s}p${exp}`;
  return `0x${s.slice(0, 1)}.${s.slice(1)}p${exp + BigInt(4 * (s.length - 1))}`;
}

function fuzzBoundaries(f: RefFormat, parse: (t: string) => bigint | undefined, iterations: number): void {
  for (let n = 0; n < iterations; n++) {
    const b = randomPattern(f);
    const [a0, k0] = patternValue(b, f);
    const [a1, k1] = patternValue(b + 1n, f);
    const kmin = k0 < k1 ? k0 : k1;
    // the midpoint between b and b + 1 (b + 1 may be the overflow threshold)
    const a = (a0 << (k0 - kmin)) + (a1 << (k1 - kmin));
    const k = kmin - 1n;
    const even = (b & 1n) === 0n ? b : b + 1n;
    const expect = (r: bigint) => (r === f.inf ? undefined : r);
    const hex = Math.random() < 0.3;
    const write = hex ? hexString : decimalString;
    const extra = 1 + Math.floor(Math.random() * 30);
    const exactText = write(a, k, 0, 0n);
    assert.equal(parse(exactText), expect(even), `midpoint ${exactText}`);
    const above = write(a, k, extra, 1n);
    assert.equal(parse(above), expect(b + 1n), `above ${above}`);
    // just below: a·B^extra − 1, B the base
    const below = hex ? hexString(a - 1n, k, extra, (1n << BigInt(4 * extra)) - 1n) : decimalString(a - 1n, k, extra, 10n ** BigInt(extra) - 1n);
    assert.equal(parse(below), expect(b), `below ${below}`);
    // the representable value itself, and its negation
    const self = write(a0, k0, 0, 0n);
    assert.equal(parse(self), b, `exact ${self}`);
  }
}

test('f32 rounding at random boundaries', () => {
  fuzzBoundaries(R32, (t) => {
    const v = parseF32(t);
    return v === undefined ? undefined : BigInt(v);
  }, 3000);
});

test('f64 rounding at random boundaries', () => {
  fuzzBoundaries(R64, parseF64, 1500);
});

test('f32 midpoints approximated by 9 to 20 digits (the double-rounding trap)', () => {
  for (let n = 0; n < 4000; n++) {
    // a normal f32 with exponent in ±70, and the midpoint above it
    const b = (BigInt(127 - 70 + Math.floor(Math.random() * 140)) << 23n) | randomBig(23);
    const [a0, k0] = patternValue(b, R32);
    const a = (a0 << 1n) + 1n;
    const k = k0 - 1n;
    const exact = k >= 0n ? (a << k).toString() : (a * 5n ** -k).toString();
    const point = k >= 0n ? 0 : Number(k); // decimal exponent of the last digit
    const digits = 9 + Math.floor(Math.random() * 12);
    if (exact.length <= digits) continue;
    const head = BigInt(exact.slice(0, digits));
    const e = point + exact.length - digits;
    for (const m of [head, head + 1n, head - 1n]) {
      const text = Math.random() < 0.5 ? `${m}e${e}` : `${m}e${e}`.replace(/^(\d)(\d*)e(-?\d+)$/, (_, d, rest, x) => `${d}.${rest}e${Number(x) + rest.length}`);
      check32(text);
    }
  }
});

test('random decimal literals against the reference', () => {
  for (let n = 0; n < 4000; n++) {
    const len = 1 + Math.floor(Math.random() * (Math.random() < 0.8 ? 25 : 120));
    let digits = '';
    for (let i = 0; i < len; i++) digits += String(Math.floor(Math.random() * 10));
    const exp = Math.floor(Math.random() * 700) - 350;
    const point = Math.floor(Math.random() * (len + 1));
    let text = Math.random() < 0.5 ? `${digits}e${exp}` : `${digits.slice(0, point) || '0'}.${digits.slice(point)}e${exp}`;
    if (Math.random() < 0.3) text = '-' + text;
    check64(text);
    if (Math.abs(exp) < 60) check32(text);
  }
});

test('short decimal literals (fast paths) against the reference', () => {
  for (let n = 0; n < 20000; n++) {
    const len = 1 + Math.floor(Math.random() * 12);
    let digits = '';
    for (let i = 0; i < len; i++) digits += String(Math.floor(Math.random() * 10));
    const point = Math.floor(Math.random() * (len + 1));
    let text = `${digits.slice(0, point) || '0'}.${digits.slice(point)}`;
    if (Math.random() < 0.5) text += `e${Math.floor(Math.random() * 60) - 30}`;
    check32(text);
    check64(text);
  }
});

test('hex literals with many digits against the reference', () => {
  for (let n = 0; n < 3000; n++) {
    const len = 1 + Math.floor(Math.random() * 40);
    const v = randomBig(4 * len);
    const s = v.toString(16);
    const point = Math.floor(Math.random() * s.length);
    const text = `0x${s.slice(0, point + 1)}.${s.slice(point + 1)}p${Math.floor(Math.random() * 2400) - 1200}`;
    check64(text);
    check32(text);
  }
});

test('underscores do not change values', () => {
  assert.equal(parseF64('1_2_3.4_5_6e1_0'), parseF64('123.456e10'));
  assert.equal(parseF32('+1_000.000_1e+1_0'), parseF32('1000.0001e10'));
  assert.equal(parseF64('0x1_F.Fp1_0'), f64Bits(0x1ff / 16 * 1024));
  assert.equal(parseF64('0xA.Bp0'), f64Bits(0xab / 16));
  const long = '1_' + '2_'.repeat(40) + '3';
  assert.equal(parseF64(long), parseF64(long.replaceAll('_', '')));
  assert.equal(parseF32(long + 'e-60'), parseF32(long.replaceAll('_', '') + 'e-60'));
});

// ---------------------------------------------------------------------------------------
// Pathological inputs finish quickly.

test('huge exponents and long digit strings finish fast', () => {
  const cases: [string, (t: string) => unknown, unknown][] = [
    ['1e1000000', parseF64, undefined],
    ['1e-1000000', parseF64, 0n],
    ['0x1p+100000000', parseF64, undefined],
    ['0x1p-100000000', parseF32, 0],
    ['1e' + '9'.repeat(100000), parseF64, undefined],
    ['1e-' + '9'.repeat(100000), parseF32, 0],
    ['0.' + '0'.repeat(1000000) + '1', parseF64, 0n],
    ['0.' + '0'.repeat(1000000) + '1e1000030', parseF64, f64Bits(1e29)],
    ['1' + '0'.repeat(1000000), parseF64, undefined],
    ['1'.repeat(1000000) + 'e-999990', parseF64, f64Bits(1111111111.1111111)],
    ['1'.repeat(1000000) + 'e-999990', parseF32, f32Bits(1111111111.1111111)],
    ['0x' + 'f'.repeat(1000000), parseF32, undefined],
    ['0x0.' + '0'.repeat(1000000) + '1p+4000004', parseF64, f64Bits(1)],
    ['0x1.' + '0'.repeat(1000000) + '1p0', parseF64, f64Bits(1)],
    ['0x1.' + '0'.repeat(12) + '08' + '0'.repeat(1000000) + '1p0', parseF64, f64Bits(1 + 2 ** -52)],
    ['1' + '0'.repeat(1000000), parseU64, undefined],
    ['0'.repeat(1000000) + '1', parseI32, 1],
    ['nan:0x' + '1'.repeat(100000), parseF64, undefined],
  ];
  for (const [text, fn, expected] of cases) {
    const start = performance.now();
    const result = fn(text);
    const ms = performance.now() - start;
    assert.equal(result, expected, text.slice(0, 40));
    assert.ok(ms < 250, `${text.slice(0, 40)}… took ${ms.toFixed(1)} ms`);
  }
});
