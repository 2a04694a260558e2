// Numeric literals of the text format (spec §6.3.1 integers, §6.3.2 floating-point):
// token text → integer values and IEEE-754 bit patterns, rounded exactly.
//
// Every parser takes the token text as written (optional sign, `0x`, `_` between digits)
// and returns `undefined` when the text is malformed or the value out of range; callers
// that must tell the two apart ("unknown operator" vs "constant out of range") ask
// `classifyNumber` first. Hot cases run on plain numbers: 32-bit integers never touch
// BigInt, 64-bit integers only above 2^48, and short floats take exact fast paths
// (Clinger's for f64; for f32 one double operation followed by `Math.fround`, safe when
// it cannot double-round). Everything else goes through exact BigInt arithmetic, with
// the digits bounded first so that no input takes more than linear time.

// ---------------------------------------------------------------------------------------
// Integers

/** The char code at `i`, or 0 past the end (never NaN, which would slow V8's number paths). */
function at(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : 0;
}

/** Digit values of the ASCII characters 0-9, a-f, A-F; -1 for the others. */
const DIGITS = new Int8Array(128).fill(-1);
for (let k = 0; k < 10; k++) DIGITS[48 + k] = k;
for (let k = 0; k < 6; k++) DIGITS[65 + k] = DIGITS[97 + k] = 10 + k;

/** Value of digit `c` (a char code) in base 10 or 16, or -1. */
function digitValue(c: number, base: number): number {
  const d = c < 128 ? DIGITS[c]! : -1;
  return d < base ? d : -1;
}

/**
 * Reads `num` or `0x hexnum` from text[i..] to the end, with `_` only between digits.
 * Returns the value, or NaN when malformed or above `max`. The value is exact for
 * max ≤ 2^48; with max = Infinity it is only a syntax check with an approximate value.
 */
function magnitude(text: string, i: number, max: number): number {
  const len = text.length;
  let base = 10;
  if (at(text, i) === 48 && at(text, i + 1) === 120) {
    base = 16;
    i += 2;
  }
  let d = digitValue(at(text, i), base);
  if (d < 0) return NaN;
  let v = d;
  for (i++; i < len; i++) {
    let c = at(text, i);
    if (c === 95) c = at(text, ++i);
    d = digitValue(c, base);
    if (d < 0) return NaN;
    v = v * base + d;
    if (v > max) return NaN;
  }
  return v <= max ? v : NaN;
}

const TWO_48 = 2 ** 48;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN_MAGNITUDE = 1n << 63n;
const I64_MAX = (1n << 63n) - 1n;
const TWO_64 = 1n << 64n;

/** As `magnitude`, for limits above 2^48: plain numbers up to 2^48, then BigInt. */
function magnitude64(text: string, i: number, max: bigint): bigint | undefined {
  const len = text.length;
  let base = 10;
  if (at(text, i) === 48 && at(text, i + 1) === 120) {
    base = 16;
    i += 2;
  }
  let d = digitValue(at(text, i), base);
  if (d < 0) return undefined;
  let v = d;
  for (i++; i < len; i++) {
    let c = at(text, i);
    if (c === 95) c = at(text, ++i);
    d = digitValue(c, base);
    if (d < 0) return undefined;
    if (v >= TWO_48) return magnitudeTail(text, i, base, BigInt(v), d, max);
    v = v * base + d;
  }
  return BigInt(v);
}

/** Continues `magnitude64` in BigInt from digit `d` at text[i]; at most a few digits fit. */
function magnitudeTail(text: string, i: number, base: number, acc: bigint, d: number, max: bigint): bigint | undefined {
  const len = text.length;
  const b = BigInt(base);
  acc = acc * b + BigInt(d);
  if (acc > max) return undefined;
  for (i++; i < len; i++) {
    let c = at(text, i);
    if (c === 95) c = at(text, ++i);
    d = digitValue(c, base);
    if (d < 0) return undefined;
    acc = acc * b + BigInt(d);
    if (acc > max) return undefined;
  }
  return acc;
}

/**
 * A signed-or-unsigned integer whose magnitude is at most `posMax` without sign or with
 * `+`, and at most `negMax` with `-`; NaN otherwise. The result keeps its sign.
 */
function smallInteger(text: string, posMax: number, negMax: number): number {
  const c = at(text, 0);
  if (c === 45) return -magnitude(text, 1, negMax);
  if (c === 43) return magnitude(text, 1, posMax);
  return magnitude(text, 0, posMax);
}

/** An unsigned 32-bit integer (`u32`: no sign), e.g. an index, alignment or offset. */
export function parseU32(text: string): number | undefined {
  const v = magnitude(text, 0, 0xffffffff);
  return v === v ? v : undefined;
}

/** An unsigned 64-bit integer (`u64`: no sign), e.g. a memory64 offset or a limit. */
export function parseU64(text: string): bigint | undefined {
  return magnitude64(text, 0, U64_MAX);
}

/**
 * An `i32` constant: −2^31 … 2^32−1 (signed or unsigned spelling), returned as a signed
 * 32-bit number. Like the reference interpreter and the wast crate, `+` is allowed on
 * the whole unsigned range.
 */
export function parseI32(text: string): number | undefined {
  const v = smallInteger(text, 0xffffffff, 0x80000000);
  return v === v ? v | 0 : undefined;
}

/** An `i64` constant: −2^63 … 2^64−1, returned as a signed 64-bit bigint. */
export function parseI64(text: string): bigint | undefined {
  const c = at(text, 0);
  if (c === 45) {
    const m = magnitude64(text, 1, I64_MIN_MAGNITUDE);
    return m === undefined ? undefined : -m;
  }
  const m = magnitude64(text, c === 43 ? 1 : 0, U64_MAX);
  return m === undefined || m <= I64_MAX ? m : m - TWO_64;
}

/** An `i8` lane: −128 … 255, returned as the unsigned lane value 0 … 255. */
export function parseI8(text: string): number | undefined {
  const v = smallInteger(text, 0xff, 0x80);
  return v === v ? v & 0xff : undefined;
}

/** An `i16` lane: −32768 … 65535, returned as the unsigned lane value 0 … 65535. */
export function parseI16(text: string): number | undefined {
  const v = smallInteger(text, 0xffff, 0x8000);
  return v === v ? v & 0xffff : undefined;
}

// ---------------------------------------------------------------------------------------
// Bit patterns

const F32_SCRATCH = new Float32Array(1);
const U32_SCRATCH = new Uint32Array(F32_SCRATCH.buffer);
const F64_SCRATCH = new Float64Array(1);
const U64_SCRATCH = new BigUint64Array(F64_SCRATCH.buffer);

/** The number whose single-precision bit pattern is `bits` (NaN payloads are not kept). */
export function f32ToNumber(bits: number): number {
  U32_SCRATCH[0] = bits;
  return F32_SCRATCH[0]!;
}

/** The number whose double-precision bit pattern is `bits` (NaN payloads are not kept). */
export function f64ToNumber(bits: bigint): number {
  U64_SCRATCH[0] = bits;
  return F64_SCRATCH[0]!;
}

/** The single-precision bit pattern of `x` rounded to f32, as an unsigned 32-bit number. */
export function f32Bits(x: number): number {
  F32_SCRATCH[0] = x;
  return U32_SCRATCH[0]!;
}

/** The double-precision bit pattern of `x`, as an unsigned 64-bit bigint. */
export function f64Bits(x: number): bigint {
  F64_SCRATCH[0] = x;
  return U64_SCRATCH[0]!;
}

// ---------------------------------------------------------------------------------------
// Floats: scanning

const KIND_MALFORMED = 0;
const KIND_DECIMAL = 1;
const KIND_HEX = 2;
const KIND_INF = 3;
const KIND_NAN = 4;

/** Below this a decimal mantissa m takes another digit exactly (m·10 + 9 < 2^53). */
const DECIMAL_LIMIT = 900719925474099;
/** Below this a hexadecimal mantissa m takes another digit exactly (m·16 + 15 < 2^53). */
const HEX_LIMIT = 2 ** 49;
/** Exponents are accumulated up to about this; beyond, every value is 0 or out of range. */
const EXPONENT_CAP = 1e15;

/**
 * What `scanFloat` found, kept in one preallocated object so that scanning allocates
 * nothing. For finite literals with `exact`, the value is mant·10^pow (decimal) or
 * mant·2^pow (hex), with mant < 2^53 an exact integer.
 */
const scan = {
  kind: KIND_MALFORMED,
  neg: false,
  /** Neither `.` nor an exponent: the text is also an integer literal. */
  isInt: true,
  underscore: false,
  mant: 0,
  exact: true,
  pow: 0,
  /** The exponent after `e`/`p`, signed, saturated near ±EXPONENT_CAP. */
  exp: 0,
  /** Mantissa bounds: digits in text[mStart, mEnd), the `.` at `dot` (or -1). */
  mStart: 0,
  mEnd: 0,
  dot: -1,
  /** NaN payload; -1 for plain `nan`; may be inexact when far out of range. */
  payload: -1,
};

/** Validates `text` as a float literal (spec `fN` syntax) and fills in `scan`. */
function scanFloat(text: string): void {
  const s = scan;
  s.kind = KIND_MALFORMED;
  const len = text.length;
  let i = 0;
  let c = at(text, 0);
  s.neg = c === 45;
  if (c === 45 || c === 43) c = at(text, ++i);
  if (c === 105) {
    // inf
    if (len === i + 3 && at(text, i + 1) === 110 && at(text, i + 2) === 102) {
      s.kind = KIND_INF;
      s.isInt = false;
    }
    return;
  }
  if (c === 110) {
    // nan | nan:0x hexnum
    if (at(text, i + 1) !== 97 || at(text, i + 2) !== 110) return;
    i += 3;
    s.isInt = false;
    if (i === len) {
      s.payload = -1;
      s.kind = KIND_NAN;
      return;
    }
    if (at(text, i) !== 58 || at(text, i + 1) !== 48 || at(text, i + 2) !== 120) return;
    const p = magnitude(text, i + 1, Infinity);
    if (p === p) {
      s.payload = p;
      s.kind = KIND_NAN;
    }
    return;
  }
  let base = 10;
  let unit = 1;
  let limit = DECIMAL_LIMIT;
  if (c === 48 && at(text, i + 1) === 120) {
    base = 16;
    unit = 4;
    limit = HEX_LIMIT;
    i += 2;
  }
  s.mStart = i;
  s.dot = -1;
  let d = digitValue(at(text, i), base);
  if (d < 0) return;
  let mant = 0;
  let exact = true;
  let zeros = 0; // trailing zero digits beyond mant's capacity
  let pow = 0;
  let frac = false;
  let underscore = false;
  for (;;) {
    if (mant < limit) mant = mant * base + d;
    else if (d === 0) zeros++;
    else exact = false;
    if (frac) pow -= unit;
    c = at(text, ++i);
    d = digitValue(c, base);
    if (d >= 0) continue;
    if (c === 95) {
      underscore = true;
      d = digitValue(at(text, ++i), base);
      if (d < 0) return;
      continue;
    }
    if (c === 46 && !frac) {
      frac = true;
      s.dot = i;
      d = digitValue(at(text, ++i), base);
      if (d >= 0) continue;
    }
    break;
  }
  s.mEnd = i;
  s.isInt = !frac;
  let exp = 0;
  if (i < len) {
    if ((at(text, i) | 32) !== (base === 16 ? 112 : 101)) return;
    s.isInt = false;
    c = at(text, ++i);
    const negExp = c === 45;
    if (c === 45 || c === 43) c = at(text, ++i);
    d = digitValue(c, 10);
    if (d < 0) return;
    exp = d;
    for (i++; i < len; i++) {
      c = at(text, i);
      if (c === 95) {
        underscore = true;
        c = at(text, ++i);
      }
      d = digitValue(c, 10);
      if (d < 0) return;
      if (exp < EXPONENT_CAP) exp = exp * 10 + d;
    }
    if (negExp) exp = -exp;
  }
  s.kind = base === 16 ? KIND_HEX : KIND_DECIMAL;
  s.underscore = underscore;
  s.mant = mant;
  s.exact = exact;
  s.pow = pow + zeros * unit + exp;
  s.exp = exp;
}

/**
 * The lexical class of a number token: `'nat'` (uN syntax), `'int'` (signed integer),
 * `'float'` (any other fN syntax, including `inf`, `nan`, `nan:0x…`), or `undefined`
 * when the text is not a well-formed number at all ("unknown operator"). A well-formed
 * token that a parser above still rejects is out of range ("constant out of range").
 */
export function classifyNumber(text: string): 'nat' | 'int' | 'float' | undefined {
  scanFloat(text);
  const s = scan;
  if (s.kind === KIND_MALFORMED) return undefined;
  if (!s.isInt) return 'float';
  const c = at(text, 0);
  return c === 43 || c === 45 ? 'int' : 'nat';
}

// ---------------------------------------------------------------------------------------
// Floats: rounding

/** Exact doubles 10^0 … 10^22. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** 2^e at index e + 1074, for e in −1074 … 1023 (every power of two a double holds). */
const POW2 = new Float64Array(2098);
POW2[1074] = 1;
for (let k = 1; k <= 1023; k++) POW2[1074 + k] = POW2[1073 + k]! * 2;
for (let k = 1; k <= 1074; k++) POW2[1074 - k] = POW2[1075 - k]! * 0.5;

/** Parameters of a binary interchange format for the exact path. */
interface Format {
  readonly mantBits: number;
  readonly bias: number;
  /** Exponent of the least significant bit of the subnormals. */
  readonly minLsb: number;
  readonly implicit: bigint;
  readonly carry: bigint;
  readonly mantBitsBig: bigint;
  /** Decimal values with `lead` digits before the point (value < 10^lead): out of range at or above, zero at or below. */
  readonly leadOverflow: number;
  readonly leadZero: number;
  /** Hex values whose leading bit has exponent `top`: out of range at or above, zero at or below. */
  readonly topOverflow: number;
  readonly topZero: number;
}

const F32: Format = {
  mantBits: 23,
  bias: 127,
  minLsb: -149,
  implicit: 1n << 23n,
  carry: 1n << 24n,
  mantBitsBig: 23n,
  leadOverflow: 40, // 10^39 > 2^128
  leadZero: -46, // 10^-46 < 2^-150, half the smallest subnormal
  topOverflow: 128,
  topZero: -151,
};

const F64: Format = {
  mantBits: 52,
  bias: 1023,
  minLsb: -1074,
  implicit: 1n << 52n,
  carry: 1n << 53n,
  mantBitsBig: 52n,
  leadOverflow: 310, // 10^309 > 2^1024
  leadZero: -324, // 10^-324 < 2^-1075
  topOverflow: 1024,
  topZero: -1076,
};

function bitLength(m: bigint): number {
  const hex = m.toString(16);
  return hex.length * 4 - Math.clz32(digitValue(hex.charCodeAt(0), 16)) + 28;
}

/**
 * Rounds m·2^e (m > 0) to the nearest value of `fmt`, ties to even. Returns the magnitude
 * bit pattern, or -1n when it rounds to infinity.
 */
function roundBinary(m: bigint, e: number, fmt: Format): bigint {
  const top = bitLength(m) - 1 + e;
  let lsb = top - fmt.mantBits;
  if (lsb < fmt.minLsb) lsb = fmt.minLsb;
  const shift = lsb - e;
  let q: bigint;
  if (shift > 0) {
    const sh = BigInt(shift);
    q = m >> sh;
    const rem = m - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  } else {
    q = m << BigInt(-shift);
  }
  if (q === fmt.carry) {
    q >>= 1n;
    lsb++;
  }
  if (q < fmt.implicit) return q; // subnormal: biased exponent 0
  const biased = lsb + fmt.mantBits + fmt.bias;
  if (biased >= 2 * fmt.bias + 1) return -1n;
  return (BigInt(biased) << fmt.mantBitsBig) | (q - fmt.implicit);
}

/** Significant digits kept before the rest is folded into a sticky digit. */
const MAX_DECIMAL_DIGITS = 800; // every f64 rounding boundary has at most 767
const MAX_HEX_DIGITS = 32;

/**
 * The exact path for finite literals found by `scanFloat`: returns the magnitude as a
 * double (exactly representable in `fmt`), or Infinity when out of range.
 */
function exactFloat(text: string, fmt: Format): number {
  const s = scan;
  const hex = s.kind === KIND_HEX;
  const unit = hex ? 4 : 1;
  const max = hex ? MAX_HEX_DIGITS : MAX_DECIMAL_DIGITS;
  // One walk over the mantissa: skip leading zeros, keep `max` significant digits, and
  // fold the rest into the scale and a sticky digit. No rounding boundary lies strictly
  // between the truncated value with a 1 appended below the cut and the exact value.
  let digits = '';
  let scale = s.exp; // value = digits · base^scale (hex: · 2^scale)
  let dropped = 0;
  let sticky = false;
  let frac = false;
  for (let i = s.mStart; i < s.mEnd; i++) {
    const c = at(text, i);
    if (c === 95) continue;
    if (c === 46) {
      frac = true;
      continue;
    }
    if (frac) scale -= unit;
    if (digits.length < max) {
      if (c !== 48 || digits.length !== 0) digits += String.fromCharCode(c);
    } else {
      dropped++;
      if (c !== 48) sticky = true;
    }
  }
  if (digits.length === 0) return 0;
  scale += dropped * unit;
  if (sticky) {
    digits += '1';
    scale -= unit;
  } else {
    let last = digits.length;
    while (digits.charCodeAt(last - 1) === 48) last--;
    scale += (digits.length - last) * unit;
    digits = digits.slice(0, last);
  }
  let bits: bigint;
  if (hex) {
    const m = BigInt('0x' + digits);
    const top = bitLength(m) - 1 + scale;
    if (top >= fmt.topOverflow) return Infinity;
    if (top <= fmt.topZero) return 0;
    bits = roundBinary(m, scale, fmt);
  } else {
    const lead = digits.length + scale;
    if (lead >= fmt.leadOverflow) return Infinity;
    if (lead <= fmt.leadZero) return 0;
    const n = BigInt(digits);
    if (scale >= 0) {
      bits = roundBinary(n * 10n ** BigInt(scale), 0, fmt);
    } else {
      // q = ⌊n·2^k / 10^-scale⌋ with at least mantBits + 3 bits, plus a sticky bit.
      const den = 10n ** BigInt(-scale);
      const k = Math.max(0, fmt.mantBits + 4 + bitLength(den) - bitLength(n));
      const num = n << BigInt(k);
      let q = num / den;
      if (q * den !== num) q |= 1n;
      bits = roundBinary(q, -k, fmt);
    }
  }
  if (bits < 0n) return Infinity;
  if (fmt === F64) return f64ToNumber(bits);
  return f32ToNumber(Number(bits));
}

/** Decimal digits of the scanned mantissa from its first to its last nonzero one. */
function significantDigits(text: string): number {
  const s = scan;
  let count = 0;
  let sig = 0;
  for (let i = s.mStart; i < s.mEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 48) {
      if (count !== 0) count++;
    } else if (c !== 95 && c !== 46) {
      sig = ++count;
    }
  }
  return sig;
}

function decimalF64(text: string): number {
  const s = scan;
  if (s.exact) {
    // Clinger's fast path: both operands exact, one correctly rounded operation.
    const m = s.mant;
    const p = s.pow;
    if (m === 0) return 0;
    if (p === 0) return m;
    if (p > 0 && p <= 22) return m * POW10[p]!;
    if (p < 0 && p >= -22) return m / POW10[-p]!;
  }
  // ECMAScript rounds correctly up to 20 significant digits (RoundMVResult); long texts
  // (zeros, underscores) go the exact way, which looks at no more than it needs.
  if (text.length <= 64 && significantDigits(text) <= 20) return Math.abs(Number(s.underscore ? text.replaceAll('_', '') : text));
  return exactFloat(text, F64);
}

function hexF64(text: string): number {
  const s = scan;
  if (!s.exact) return exactFloat(text, F64);
  const m = s.mant;
  const e = s.pow;
  if (m === 0) return 0;
  if (e > 1023) return Infinity;
  // One multiplication by an exact power of two: correctly rounded, subnormals included.
  if (e >= -1074) return m * POW2[e + 1074]!;
  if (e < -1128) return 0; // below 2^53 · 2^-1129, under half the smallest subnormal
  return m * POW2[e + 1274]! * POW2[874]!; // exact scaling by 2^(e+200), then one rounding by 2^-200
}

/**
 * fround(v) when that equals the f32 rounding of the exact value v approximates, i.e.
 * when v (a correctly rounded double) is not itself halfway between two f32 values;
 * NaN otherwise. v > 0.
 */
function froundUnambiguous(v: number): number {
  F32_SCRATCH[0] = v;
  const f = F32_SCRATCH[0]!;
  if (f === v) return f;
  if (f === Infinity) return NaN;
  const bits = U32_SCRATCH[0]!;
  U32_SCRATCH[0] = f < v ? bits + 1 : bits - 1;
  const g = F32_SCRATCH[0]!;
  return (f + g) * 0.5 === v ? NaN : f;
}

function decimalF32(text: string): number {
  const s = scan;
  if (s.exact) {
    const m = s.mant;
    const p = s.pow;
    if (m === 0) return 0;
    if (p === 0) return Math.fround(m);
    if (p >= -22 && p <= 22) {
      const v = p > 0 ? m * POW10[p]! : m / POW10[-p]!;
      // m and 10^|p| exact in f32 (m ≤ 2^24, |p| ≤ 10): a double operation on f32 operands
      // rounded to f32 is correctly rounded, since 53 ≥ 2·24 + 2. Or the product is exact.
      if ((m <= 16777216 && p >= -10 && p <= 10) || (p > 0 && v < 9007199254740992)) return Math.fround(v);
      const r = froundUnambiguous(v);
      if (r === r) return r;
    }
  }
  if (text.length <= 64 && significantDigits(text) <= 20) {
    // The correctly rounded double, then f32 unless that double sits on an f32 midpoint.
    const v = Math.abs(Number(s.underscore ? text.replaceAll('_', '') : text));
    if (v === Infinity) return Infinity;
    const r = froundUnambiguous(v);
    if (r === r) return r;
  }
  return exactFloat(text, F32);
}

function hexF32(text: string): number {
  const s = scan;
  if (!s.exact) return exactFloat(text, F32);
  const m = s.mant;
  const e = s.pow;
  if (m === 0) return 0;
  if (e > 1023) return Infinity;
  if (e < -1074) return 0; // below 2^-1022, far under f32's smallest subnormal
  // m·2^e is exact whenever it is at least 2^-1022, which covers all nonzero f32 results.
  return Math.fround(m * POW2[e + 1074]!);
}

const F32_NAN_CANONICAL = 0x400000;
const F64_NAN_CANONICAL = 2 ** 51;
const F32_PAYLOAD_MAX = 0x7fffff;
const F64_PAYLOAD_MAX = 2 ** 52 - 1;
const F64_SIGN = 1n << 63n;
const F64_INF = 0x7ffn << 52n;

/**
 * An `f32` constant, as its IEEE-754 single-precision bit pattern (unsigned 32-bit).
 * Rounds to nearest, ties to even, from the exact value; values that round to infinity
 * and NaN payloads of 0 or above 23 bits are out of range.
 */
export function parseF32(text: string): number | undefined {
  scanFloat(text);
  const s = scan;
  let v: number;
  switch (s.kind) {
    case KIND_DECIMAL:
      v = decimalF32(text);
      break;
    case KIND_HEX:
      v = hexF32(text);
      break;
    case KIND_INF:
      return s.neg ? 0xff800000 : 0x7f800000;
    case KIND_NAN: {
      const p = s.payload < 0 ? F32_NAN_CANONICAL : s.payload;
      if (p < 1 || p > F32_PAYLOAD_MAX) return undefined;
      return ((s.neg ? 0xff800000 : 0x7f800000) | p) >>> 0;
    }
    default:
      return undefined;
  }
  if (v === Infinity) return undefined;
  F32_SCRATCH[0] = s.neg ? -v : v;
  return U32_SCRATCH[0]!;
}

/**
 * An `f64` constant, as its IEEE-754 double-precision bit pattern (unsigned 64-bit).
 * Rounds to nearest, ties to even, from the exact value; values that round to infinity
 * and NaN payloads of 0 or above 52 bits are out of range.
 */
export function parseF64(text: string): bigint | undefined {
  scanFloat(text);
  const s = scan;
  let v: number;
  switch (s.kind) {
    case KIND_DECIMAL:
      v = decimalF64(text);
      break;
    case KIND_HEX:
      v = hexF64(text);
      break;
    case KIND_INF:
      return s.neg ? F64_SIGN | F64_INF : F64_INF;
    case KIND_NAN: {
      const p = s.payload < 0 ? F64_NAN_CANONICAL : s.payload;
      if (p < 1 || p > F64_PAYLOAD_MAX) return undefined;
      const bits = F64_INF | BigInt(p);
      return s.neg ? F64_SIGN | bits : bits;
    }
    default:
      return undefined;
  }
  if (v === Infinity) return undefined;
  F64_SCRATCH[0] = s.neg ? -v : v;
  return U64_SCRATCH[0]!;
}
