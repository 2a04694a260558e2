// Literal tokens → values (spec §6.3 "Values"): thin wrappers over ./numbers.ts and
// ./strings.ts that read the lexer's current token, take a fast path for plain decimal
// integers (no slicing), and turn failures into ParseErrors with the spec's wording.

import { Lexer, Tok } from './lexer.ts';
import {
  parseF32,
  parseF64,
  parseI16,
  parseI32,
  parseI64,
  parseI8,
  parseU32,
  parseU64,
} from './numbers.ts';
import { classifyNumber } from './numbers.ts';
import { decodeName, decodeStringAt } from './strings.ts';

/**
 * The error for a token that should have been a number but did not convert, in the spec
 * suite's wording: not a number at all → "unexpected token" (or "unknown operator" for
 * a malformed number-like token); a signed or fractional number where only a natural
 * number is allowed → "unexpected token"; well-formed but too large → `outOfRange`.
 */
export function numberError(lx: Lexer, natOnly: boolean, outOfRange = 'constant out of range'): Error {
  const k = lx.kind;
  if (k !== Tok.number && k !== Tok.keyword && k !== Tok.reserved) return lx.unexpected();
  const text = lx.text();
  const cls = classifyNumber(text);
  if (cls === undefined) {
    // Keywords are unexpected here, except malformed `inf`/`nan` forms, which the
    // reference lexer cannot tokenize at all.
    const known = text === 'nan:canonical' || text === 'nan:arithmetic';
    const malformed = k !== Tok.keyword || (!known && (text.startsWith('nan') || text.startsWith('inf')));
    return malformed ? lx.error(`unknown operator ${text}`) : lx.error(`unexpected token ${text}`);
  }
  if (natOnly && cls !== 'nat') return lx.error(`unexpected token ${text}`);
  return lx.error(outOfRange);
}

/** Whether the current token may be a number literal (including `inf`, `nan…`). */
export function atNumber(lx: Lexer): boolean {
  if (lx.kind === Tok.number) return true;
  return lx.kind === Tok.keyword && (lx.startsWith('inf') || lx.startsWith('nan'));
}

/** BigInts are values: small ones are made once and shared. */
const SMALL_BIGINTS: bigint[] = [];
for (let i = 0; i < 1024; i++) SMALL_BIGINTS.push(BigInt(i));

/** `BigInt(n)` for a non-negative safe integer, without allocating for small ones. */
export function bigOf(n: number): bigint {
  return n < 1024 ? SMALL_BIGINTS[n]! : BigInt(n);
}

/** A plain decimal `src[start, end)` below 2^31 (no sign, no underscores), or -1. */
export function smallDecimalAt(src: string, start: number, end: number): number {
  if (end - start > 9 || end === start) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Fast path: a plain decimal token below 2^31, or -1. */
function smallDecimal(lx: Lexer): number {
  const s = lx.source;
  const end = lx.end;
  let i = lx.start;
  if (end - i > 9) return -1;
  let v = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Fast path: a plain hexadecimal token `0x…` of 1 to 8 digits (no `_`), as a u32, or -1. */
function smallHex(lx: Lexer): number {
  const s = lx.source;
  const end = lx.end;
  let i = lx.start;
  const n = end - i;
  if (n < 3 || n > 10 || s.charCodeAt(i) !== 48 || s.charCodeAt(i + 1) !== 120) return -1;
  let v = 0;
  for (i += 2; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX_DIGIT[c]! : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX_DIGIT[48 + d] = d;
for (let d = 0; d < 6; d++) HEX_DIGIT[65 + d] = HEX_DIGIT[97 + d] = 10 + d;

/** Reads a u32 (an index, a count) and advances. */
export function readU32(lx: Lexer): number {
  let v = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  if (v < 0) {
    const r = lx.kind === Tok.number ? parseU32(lx.text()) : undefined;
    if (r === undefined) throw numberError(lx, true);
    v = r;
  }
  lx.next();
  return v;
}

/** Reads a u64 (limits, offsets) and advances. */
export function readU64(lx: Lexer): bigint {
  const small = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  let v: bigint;
  if (small >= 0) v = bigOf(small);
  else {
    const r = lx.kind === Tok.number ? parseU64(lx.text()) : undefined;
    if (r === undefined) throw numberError(lx, true);
    v = r;
  }
  lx.next();
  return v;
}

/** Reads an i32 literal (signed or unsigned form) as a signed 32-bit number. */
export function readI32(lx: Lexer): number {
  let v = -1;
  if (lx.kind === Tok.number) {
    v = smallDecimal(lx);
    if (v < 0) {
      v = smallHex(lx);
      if (v >= 0) v |= 0;
      else v = -1;
    }
  }
  if (v === -1) {
    // (-1 itself, and every other form, through the general parser.)
    const r = atNumber(lx) ? parseI32(lx.text()) : undefined;
    if (r === undefined) throw numberError(lx, false);
    v = r;
  }
  lx.next();
  return v;
}

/** Reads an i64 literal as a signed 64-bit bigint. */
export function readI64(lx: Lexer): bigint {
  const small = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  let v: bigint;
  if (small >= 0) v = bigOf(small);
  else {
    const r = atNumber(lx) ? parseI64(lx.text()) : undefined;
    if (r === undefined) throw numberError(lx, false);
    v = r;
  }
  lx.next();
  return v;
}

/** Reads an i8 lane literal (−128 … 255) as its unsigned byte. */
export function readI8(lx: Lexer): number {
  const small = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  if (small >= 0 && small <= 0xff) {
    lx.next();
    return small;
  }
  const r = atNumber(lx) ? parseI8(lx.text()) : undefined;
  if (r === undefined) throw numberError(lx, false);
  lx.next();
  return r;
}

/** Reads an i16 lane literal (−32768 … 65535) as its unsigned value. */
export function readI16(lx: Lexer): number {
  const small = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  if (small >= 0 && small <= 0xffff) {
    lx.next();
    return small;
  }
  const r = atNumber(lx) ? parseI16(lx.text()) : undefined;
  if (r === undefined) throw numberError(lx, false);
  lx.next();
  return r;
}

/** Reads a lane index: a natural number below 256. */
export function readLaneIndex(lx: Lexer): number {
  let v = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  if (v < 0) {
    const r = lx.kind === Tok.number ? parseU32(lx.text()) : undefined;
    if (r === undefined) throw numberError(lx, true, 'i8 constant out of range');
    v = r;
  }
  if (v > 255) throw lx.error('i8 constant out of range');
  lx.next();
  return v;
}

/** Reads a shuffle lane: any number literal, which must be a natural number below 256. */
export function readShuffleLane(lx: Lexer): number {
  const small = lx.kind === Tok.number ? smallDecimal(lx) : -1;
  if (small >= 0 && small <= 255) {
    lx.next();
    return small;
  }
  const r = lx.kind === Tok.number ? parseU32(lx.text()) : undefined;
  if (r === undefined || r > 255) {
    if (atNumber(lx) && classifyNumber(lx.text()) !== undefined) throw lx.error('i8 constant out of range');
    throw numberError(lx, false, 'i8 constant out of range');
  }
  lx.next();
  return r;
}

/** Reads an f32 literal as its bit pattern. */
export function readF32(lx: Lexer): number {
  const r = atNumber(lx) ? parseF32(lx.text()) : undefined;
  if (r === undefined) throw numberError(lx, false);
  lx.next();
  return r;
}

/** Reads an f64 literal as its bit pattern. */
export function readF64(lx: Lexer): bigint {
  const r = atNumber(lx) ? parseF64(lx.text()) : undefined;
  if (r === undefined) throw numberError(lx, false);
  lx.next();
  return r;
}

/** Reads a string literal's bytes and advances. */
export function readBytes(lx: Lexer): Uint8Array {
  if (lx.kind !== Tok.string) throw lx.unexpected();
  const r = decodeStringAt(lx.source, lx.start, lx.end);
  if (r === undefined) throw lx.error('malformed string literal');
  lx.next();
  return r;
}

/** Reads a string literal that must be valid UTF-8 (a name) and advances. */
export function readName(lx: Lexer): string {
  if (lx.kind !== Tok.string) throw lx.unexpected();
  const r = decodeName(lx.text());
  if (r === undefined) throw lx.error('malformed UTF-8 encoding');
  lx.next();
  return r;
}

/** The identifier text of the current `id` token without `$` (decoding `$"…"`). */
export function idName(lx: Lexer): string {
  const s = lx.source;
  if (s.charCodeAt(lx.start + 1) !== 34) return s.slice(lx.start + 1, lx.end);
  const r = decodeName(s.slice(lx.start + 1, lx.end));
  if (r === undefined) throw lx.error('malformed UTF-8 encoding');
  if (r === '') throw lx.error('empty identifier');
  return r;
}
