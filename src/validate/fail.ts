// Raising validation errors (spec chapter 3: a module either validates or it does not;
// the message begins with the spec suite's wording) and printing type codes in them.

import { ValidationError } from '../model/errors.ts';
import type { Feature, FeatureSet } from '../model/features.ts';
import { ABS_HEAP_NAMES, BOT, HDEF, REF } from './codes.ts';

/**
 * Where in the module's binary an error without an offset arose: a section id and the
 * index of the entry being checked (-1: the section as a whole; in the type section, a
 * type index). `validate(bytes)` turns it into the entry's byte offset.
 */
export interface ErrorSite {
  readonly section: number;
  readonly index: number;
}

const sites = new WeakMap<ValidationError, ErrorSite>();

/** Notes where `e`, a ValidationError without an offset, arose (the first note wins). */
export function noteSite(e: unknown, section: number, index: number): unknown {
  if (e instanceof ValidationError && e.offset < 0 && !sites.has(e)) sites.set(e, { section, index });
  return e;
}

/** Where `e` arose, if noted. */
export function errorSite(e: ValidationError): ErrorSite | undefined {
  return sites.get(e);
}

export function fail(message: string): never {
  throw new ValidationError(message);
}

export function unknown(category: string, index: number): never {
  throw new ValidationError(`unknown ${category} ${index}`);
}

export function requireFeature(features: FeatureSet, feature: Feature, what: string): void {
  if (!features[feature]) throw new ValidationError(`${what} requires the ${feature} feature`);
}

const NUM_NAMES = ['bot', 'i32', 'i64', 'f32', 'f64', 'v128', 'i8', 'i16', 'addr'];

/**
 * A type code as text, as the reference interpreter prints it. `names` maps a canonical
 * id back to a type index of the module (canonical ids are registry-wide).
 */
export function typeName(code: number, names?: (canon: number) => number): string {
  if (code < REF) return NUM_NAMES[code] ?? `?${code}`;
  const heap = (code - REF) >> 1;
  const nullable = (code & 1) === 1;
  let h: string;
  if (heap < HDEF) h = ABS_HEAP_NAMES[heap] ?? `?${heap}`;
  else h = String(names ? names(heap - HDEF) : heap - HDEF);
  return nullable ? `(ref null ${h})` : `(ref ${h})`;
}

export function typeList(codes: ArrayLike<number>, start: number, end: number, names?: (canon: number) => number): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(typeName(codes[i] ?? BOT, names));
  return `[${parts.join(' ')}]`;
}
