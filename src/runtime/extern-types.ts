// External types (spec §2.3.11 "External Types" and the text format's type syntax, §6.4):
// the types of a module's imports and exports as the embedding API shows them, with value
// types written as in the text format ('i32', 'funcref', '(ref null 3)'), and their text
// for error messages.

import type { FuncType as ModelFuncType, Limits, ValType as ModelValType } from '../model/types.ts';
import { valTypeText } from '../text/print-types.ts';

/**
 * A value type in text-format syntax. Abstract reference types use their shorthand
 * (`funcref`, `externref`, `anyref`, …) when nullable; a concrete one names its type
 * index in the module that declares it (`(ref 2)`, `(ref null 2)`).
 */
export type ValType =
  | 'i32' | 'i64' | 'f32' | 'f64' | 'v128'
  | 'funcref' | 'externref' | 'anyref' | 'eqref' | 'i31ref' | 'structref' | 'arrayref' | 'exnref'
  | 'nullref' | 'nullfuncref' | 'nullexternref' | 'nullexnref'
  | (string & {});

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export type ExternType =
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'table'; readonly element: ValType; readonly limits: Limits }
  | { readonly kind: 'memory'; readonly limits: Limits }
  | { readonly kind: 'global'; readonly value: ValType; readonly mutable: boolean }
  | { readonly kind: 'tag'; readonly type: FuncType };

export interface ImportType {
  readonly module: string;
  readonly name: string;
  readonly type: ExternType;
}

export interface ExportType {
  readonly name: string;
  readonly type: ExternType;
}

/** A model value type in text syntax. */
export function valTypeOf(t: ModelValType): ValType {
  return valTypeText(t);
}

export function funcTypeOf(t: ModelFuncType): FuncType {
  return Object.freeze({ params: Object.freeze(t.params.map(valTypeOf)), results: Object.freeze(t.results.map(valTypeOf)) });
}

/** `(param i32 i64) (result f32)`, with a leading space, or '' for `[] -> []`. */
function signatureText(t: FuncType): string {
  let s = '';
  if (t.params.length > 0) s += ` (param ${t.params.join(' ')})`;
  if (t.results.length > 0) s += ` (result ${t.results.join(' ')})`;
  return s;
}

/** `(func (param i32) (result i32))` */
export function funcTypeText(t: FuncType): string {
  return `(func${signatureText(t)})`;
}

/** `i64? min max? shared?` */
export function limitsText(l: Limits): string {
  let s = l.address === 'i64' ? `i64 ${l.min}` : String(l.min);
  if (l.max !== null) s += ` ${l.max}`;
  if (l.shared) s += ' shared';
  return s;
}

/** An external type in text syntax: `(memory 1 2)`, `(global (mut i32))`, `(table 1 funcref)`, … */
export function externTypeText(t: ExternType): string {
  switch (t.kind) {
    case 'func':
      return funcTypeText(t.type);
    case 'table':
      return `(table ${limitsText(t.limits)} ${t.element})`;
    case 'memory':
      return `(memory ${limitsText(t.limits)})`;
    case 'global':
      return `(global ${t.mutable ? `(mut ${t.value})` : t.value})`;
    case 'tag':
      return `(tag${signatureText(t.type)})`;
  }
}

/** Whether two function types are written alike (same value types in the same order). */
export function sameFuncType(a: FuncType, b: FuncType): boolean {
  return sameList(a.params, b.params) && sameList(a.results, b.results);
}

function sameList(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a limits value `actual` fits where `expected` is required (spec §3.2.x "Limits" matching). */
export function limitsMatch(actual: Limits, expected: Limits): boolean {
  if (actual.address !== expected.address || actual.shared !== expected.shared) return false;
  if (actual.min < expected.min) return false;
  if (expected.max === null) return true;
  return actual.max !== null && actual.max <= expected.max;
}
