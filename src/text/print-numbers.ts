// Number literals for the printer (spec §6.3.1 "Integers", §6.3.2 "Floating-Point"): the
// inverse of ./numbers.ts. Floats print as the shortest decimal that reads back to the
// same bits (checked with the parser's exactly rounded conversion), falling back to an
// exact hexadecimal float; NaNs keep their sign and payload (`nan`, `-nan:0x…`).

import { f32ToNumber, f64ToNumber, parseF32, parseF64 } from './numbers.ts';

const F32_CANONICAL = 0x400000;
const F64_CANONICAL = 1n << 51n;
const F64_FRAC_MASK = (1n << 52n) - 1n;

/** An f32 literal for the bit pattern `bits` (unsigned or signed 32-bit). */
export function formatF32(bits: number): string {
  bits >>>= 0;
  const sign = bits >>> 31 !== 0 ? '-' : '';
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (exp === 0xff) {
    if (frac === 0) return sign + 'inf';
    return frac === F32_CANONICAL ? sign + 'nan' : sign + 'nan:0x' + frac.toString(16);
  }
  if (exp === 0 && frac === 0) return sign + '0';
  const abs = bits & 0x7fffffff;
  const x = f32ToNumber(abs);
  // Shortest significant digits first; then JavaScript's own (nicer) spelling of the
  // double nearest to that decimal, when it reads back to the same f32.
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (parseF32(s) !== abs) continue;
    const nice = Number(s).toString();
    return sign + (nice !== s && parseF32(nice) === abs ? nice : trimDecimal(s));
  }
  return sign + hexF32(abs);
}

/** An f64 literal for the bit pattern `bits` (unsigned 64-bit). */
export function formatF64(bits: bigint): string {
  bits = BigInt.asUintN(64, bits);
  const sign = bits >> 63n !== 0n ? '-' : '';
  const abs = bits & ((1n << 63n) - 1n);
  const exp = Number(abs >> 52n);
  const frac = abs & F64_FRAC_MASK;
  if (exp === 0x7ff) {
    if (frac === 0n) return sign + 'inf';
    return frac === F64_CANONICAL ? sign + 'nan' : sign + 'nan:0x' + frac.toString(16);
  }
  if (abs === 0n) return sign + '0';
  const s = f64ToNumber(abs).toString();
  return sign + (parseF64(s) === abs ? s : hexF64(abs));
}

/** `1.50e+5` → `1.5e+5`, `2.000` → `2`: drops trailing fraction zeros of toPrecision output. */
function trimDecimal(s: string): string {
  const e = s.indexOf('e');
  let mant = e < 0 ? s : s.slice(0, e);
  const rest = e < 0 ? '' : s.slice(e);
  if (mant.includes('.')) {
    let end = mant.length;
    while (mant.charCodeAt(end - 1) === 48) end--;
    if (mant.charCodeAt(end - 1) === 46) end--;
    mant = mant.slice(0, end);
  }
  return mant + rest;
}

/** Exact hexadecimal float for a non-negative finite f32 bit pattern. */
function hexF32(abs: number): string {
  const exp = abs >>> 23;
  const frac = abs & 0x7fffff;
  // 23 fraction bits → 6 hex digits after shifting left by one (24 bits).
  const digits = (frac << 1).toString(16).padStart(6, '0').replace(/0+$/, '');
  const lead = exp === 0 ? '0' : '1';
  const e = exp === 0 ? -126 : exp - 127;
  return `0x${lead}${digits === '' ? '' : '.' + digits}p${e < 0 ? '' : '+'}${e}`;
}

/** Exact hexadecimal float for a non-negative finite f64 bit pattern. */
function hexF64(abs: bigint): string {
  const exp = Number(abs >> 52n);
  const frac = abs & F64_FRAC_MASK;
  const digits = frac.toString(16).padStart(13, '0').replace(/0+$/, '');
  const lead = exp === 0 ? '0' : '1';
  const e = exp === 0 ? -1022 : exp - 1023;
  return `0x${lead}${digits === '' ? '' : '.' + digits}p${e < 0 ? '' : '+'}${e}`;
}

const HEX8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** The operands of `v128.const` for 16 little-endian bytes: `i32x4 0x… 0x… 0x… 0x…`. */
export function formatV128(bytes: Uint8Array): string {
  let s = 'i32x4';
  for (let i = 0; i < 16; i += 4) {
    const lane = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    s += ' ' + HEX8(lane);
  }
  return s;
}
