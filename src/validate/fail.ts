// Raising validation errors (spec chapter 3: a module either validates or it does not;
// the message begins with the spec suite's wording) and printing type codes in them.

import { ValidationError } from '../model/errors.ts';
import type { Feature, FeatureSet } from '../model/features.ts';
import { ABS_HEAP_NAMES, BOT, HDEF, REF } from './codes.ts';

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
