// Script values (the reference interpreter's script/ values): constants turned into
// JavaScript values for the WebAssembly JS API, observed results in one exact form, and
// the matching of results against `assert_return` patterns.

import type { Const, FloatPattern, ResultPattern } from './commands.ts';

// ---------------------------------------------------------------------------------------
// Float bit patterns

const scratch = new DataView(new ArrayBuffer(8));

export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

export function f32Bits(value: number): number {
  scratch.setFloat32(0, value, true);
  return scratch.getUint32(0, true);
}

export function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return scratch.getFloat64(0, true);
}

export function f64Bits(value: number): bigint {
  scratch.setFloat64(0, value, true);
  return scratch.getBigUint64(0, true);
}

export function isNaN32(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}

export function isNaN64(bits: bigint): boolean {
  return (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & 0x000fffffffffffffn) !== 0n;
}

// ---------------------------------------------------------------------------------------
// Host references: `(ref.extern N)` and `(ref.host N)` are one host object per N and per
// script run, so that a reference that travels through WebAssembly maps back to N.

export class HostRefs {
  private readonly objects = new Map<number, object>();
  private readonly numbers = new WeakMap<object, number>();

  get(n: number): object {
    let object = this.objects.get(n);
    if (object === undefined) {
      object = Object.freeze({ hostref: n });
      this.objects.set(n, object);
      this.numbers.set(object, n);
    }
    return object;
  }

  /** The N of a host object, or undefined for any other value. */
  numberOf(value: unknown): number | undefined {
    return typeof value === 'object' && value !== null ? this.numbers.get(value) : undefined;
  }
}

/** The JavaScript value for a constant argument; undefined for v128 (no JS form). */
export function constToJs(c: Const, hosts: HostRefs): unknown {
  switch (c.type) {
    case 'i32':
      return c.value | 0;
    case 'i64':
      return BigInt.asIntN(64, c.value);
    case 'f32':
      return f32FromBits(c.bits);
    case 'f64':
      return f64FromBits(c.bits);
    case 'v128':
      return undefined;
    case 'ref.null':
      return null;
    case 'ref.extern':
    case 'ref.host':
      return hosts.get(c.value);
  }
}

/** Whether a constant cannot cross the JS API exactly (v128, or a NaN whose payload may change). */
export function constNeedsWrapper(c: Const): boolean {
  return c.type === 'v128' || (c.type === 'f32' && isNaN32(c.bits)) || (c.type === 'f64' && isNaN64(c.bits));
}

function floatPatternIsNaN(p: FloatPattern, wide: boolean): boolean {
  if (p.kind !== 'bits') return true;
  return wide ? isNaN64(BigInt(p.bits)) : isNaN32(Number(p.bits));
}

/** Whether checking a pattern needs exact bits that the JS API may not carry. */
export function patternNeedsWrapper(p: ResultPattern): boolean {
  switch (p.type) {
    case 'v128':
    case 'ref.exn':
      return true;
    case 'f32':
      return floatPatternIsNaN(p.pattern, false);
    case 'f64':
      return floatPatternIsNaN(p.pattern, true);
    case 'either':
      return p.options.some(patternNeedsWrapper);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------
// Observed values: a result in an exact form, whichever way it was read.

export type Observed =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly bits: number }
  | { readonly type: 'f64'; readonly bits: bigint }
  | { readonly type: 'v128'; readonly bytes: Uint8Array }
  /** A reference as JavaScript sees it (null, a function, a host object, a GC object, …). */
  | { readonly type: 'ref'; readonly value: unknown }
  /** A reference JavaScript cannot hold (exnref): only whether it is null. */
  | { readonly type: 'opaque-ref'; readonly isNull: boolean };

/** Classifies an anyref value: bit set of the REF_* flags below. */
export type RefClassifier = (value: unknown) => number;
export const REF_NONNULL = 1;
export const REF_I31 = 2;
export const REF_STRUCT = 4;
export const REF_ARRAY = 8;
export const REF_EQ = 16;

export interface MatchContext {
  readonly hosts: HostRefs;
  /** Classifies a value that came out of WebAssembly as an anyref. */
  readonly classify: RefClassifier;
}

// ---------------------------------------------------------------------------------------
// Matching

const F32_CANONICAL = 0x00400000;
const F64_CANONICAL = 0x0008000000000000n;

function matchF32(bits: number, p: FloatPattern): boolean {
  bits >>>= 0;
  switch (p.kind) {
    case 'bits':
      return bits === Number(p.bits) >>> 0;
    case 'nan:canonical':
      return (bits & 0x7fffffff) === (0x7f800000 | F32_CANONICAL);
    case 'nan:arithmetic':
      return (bits & 0x7f800000) === 0x7f800000 && (bits & F32_CANONICAL) !== 0;
  }
}

function matchF64(bits: bigint, p: FloatPattern): boolean {
  bits = BigInt.asUintN(64, bits);
  switch (p.kind) {
    case 'bits':
      return bits === BigInt.asUintN(64, BigInt(p.bits));
    case 'nan:canonical':
      return (bits & 0x7fffffffffffffffn) === (0x7ff0000000000000n | F64_CANONICAL);
    case 'nan:arithmetic':
      return (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & F64_CANONICAL) !== 0n;
  }
}

const LANE_BYTES = { i8x16: 1, i16x8: 2, i32x4: 4, i64x2: 8, f32x4: 4, f64x2: 8 } as const;

function matchV128(bytes: Uint8Array, p: Extract<ResultPattern, { type: 'v128' }>): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const width = LANE_BYTES[p.shape];
  for (let i = 0; i < p.lanes.length; i++) {
    const lane = p.lanes[i]!;
    const at = i * width;
    if (p.shape === 'f32x4') {
      if (!matchF32(view.getUint32(at, true), lane as FloatPattern)) return false;
    } else if (p.shape === 'f64x2') {
      if (!matchF64(view.getBigUint64(at, true), lane as FloatPattern)) return false;
    } else {
      const bits = BigInt(width * 8);
      let got: bigint;
      if (width === 1) got = BigInt(view.getUint8(at));
      else if (width === 2) got = BigInt(view.getUint16(at, true));
      else if (width === 4) got = BigInt(view.getUint32(at, true));
      else got = view.getBigUint64(at, true);
      if (got !== BigInt.asUintN(Number(bits), lane as bigint)) return false;
    }
  }
  return true;
}

/** Whether an observed value matches an expected result pattern. */
export function matches(v: Observed, p: ResultPattern, ctx: MatchContext): boolean {
  switch (p.type) {
    case 'either':
      return p.options.some((o) => matches(v, o, ctx));
    case 'i32':
      return v.type === 'i32' && v.value === (p.value | 0);
    case 'i64':
      return v.type === 'i64' && v.value === BigInt.asIntN(64, p.value);
    case 'f32':
      return v.type === 'f32' && matchF32(v.bits, p.pattern);
    case 'f64':
      return v.type === 'f64' && matchF64(v.bits, p.pattern);
    case 'v128':
      return v.type === 'v128' && matchV128(v.bytes, p);
    case 'ref.exn':
      return v.type === 'opaque-ref' ? !v.isNull : v.type === 'ref' && v.value !== null;
    default:
      break;
  }
  if (v.type === 'opaque-ref') return p.type === 'ref.null' && v.isNull;
  if (v.type !== 'ref') return false;
  const value = v.value;
  switch (p.type) {
    case 'ref.null':
      return value === null;
    case 'ref.extern':
      return p.value === null ? value !== null : ctx.hosts.numberOf(value) === p.value;
    case 'ref.host':
      return ctx.hosts.numberOf(value) === p.value;
    case 'ref.func':
      return typeof value === 'function';
    case 'ref.any':
      return value !== null;
    case 'ref.i31':
      return value !== null && (ctx.classify(value) & REF_I31) !== 0;
    case 'ref.struct':
      return value !== null && (ctx.classify(value) & REF_STRUCT) !== 0;
    case 'ref.array':
      return value !== null && (ctx.classify(value) & REF_ARRAY) !== 0;
    case 'ref.eq':
      return value !== null && (ctx.classify(value) & REF_EQ) !== 0;
  }
}

// ---------------------------------------------------------------------------------------
// Printing, for failure reasons

function hex(n: number | bigint, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

export function showObserved(v: Observed, hosts: HostRefs): string {
  switch (v.type) {
    case 'i32':
      return `(i32.const ${v.value})`;
    case 'i64':
      return `(i64.const ${v.value})`;
    case 'f32':
      return `(f32.const ${isNaN32(v.bits) ? 'nan' : f32FromBits(v.bits)} bits=${hex(v.bits >>> 0, 8)})`;
    case 'f64':
      return `(f64.const ${isNaN64(v.bits) ? 'nan' : f64FromBits(v.bits)} bits=${hex(v.bits, 16)})`;
    case 'v128':
      return `(v128.const i8x16 ${Array.from(v.bytes, (b) => hex(b, 2)).join(' ')})`;
    case 'opaque-ref':
      return v.isNull ? '(ref.null)' : '(ref <opaque>)';
    case 'ref': {
      const value = v.value;
      if (value === null) return '(ref.null)';
      const n = hosts.numberOf(value);
      if (n !== undefined) return `(ref.host/extern ${n})`;
      if (typeof value === 'function') return '(ref.func)';
      return `(ref ${describeJs(value)})`;
    }
  }
}

function describeJs(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function showFloat(p: FloatPattern, wide: boolean): string {
  if (p.kind !== 'bits') return p.kind;
  return wide ? hex(BigInt.asUintN(64, BigInt(p.bits)), 16) : hex(Number(p.bits) >>> 0, 8);
}

export function showPattern(p: ResultPattern): string {
  switch (p.type) {
    case 'i32':
    case 'i64':
      return `(${p.type}.const ${p.value})`;
    case 'f32':
      return `(f32.const ${showFloat(p.pattern, false)})`;
    case 'f64':
      return `(f64.const ${showFloat(p.pattern, true)})`;
    case 'v128':
      return `(v128.const ${p.shape} ${p.lanes
        .map((l) => (typeof l === 'bigint' ? String(l) : showFloat(l, p.shape === 'f64x2')))
        .join(' ')})`;
    case 'ref.null':
      return p.heap === null ? '(ref.null)' : `(ref.null ${String(p.heap)})`;
    case 'ref.extern':
      return p.value === null ? '(ref.extern)' : `(ref.extern ${p.value})`;
    case 'ref.host':
      return `(ref.host ${p.value})`;
    case 'either':
      return `(either ${p.options.map(showPattern).join(' ')})`;
    default:
      return `(${p.type})`;
  }
}
