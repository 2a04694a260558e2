// Signatures for the runner (spec §2.5 index spaces): the type of an exported function or
// global in a module model, and, for modules without a model (binary modules, until the
// decoder exists), the function type a script's constants imply.

import type { FuncType, GlobalType, Module, SubType, ValType } from '../model/types.ts';
import { emptyModule, refType, typeDefs } from '../model/types.ts';
import type { Const, ResultPattern } from './commands.ts';

interface Index {
  readonly defs: readonly SubType[];
  readonly exports: ReadonlyMap<string, { readonly kind: string; readonly index: number }>;
}

const indexes = new WeakMap<Module, Index>();

function indexOf(module: Module): Index {
  let index = indexes.get(module);
  if (index === undefined) {
    const exports = new Map<string, { kind: string; index: number }>();
    for (const e of module.exports) if (!exports.has(e.name)) exports.set(e.name, e);
    index = { defs: typeDefs(module), exports };
    indexes.set(module, index);
  }
  return index;
}

/** Whether a value type has no JavaScript form (the JS API throws a TypeError on it). */
export function opaqueToJs(t: ValType): boolean {
  if (t === 'v128') return true;
  return typeof t === 'object' && (t.heap === 'exn' || t.heap === 'noexn');
}

export function funcTypeHasOpaque(ft: FuncType): boolean {
  return ft.params.some(opaqueToJs) || ft.results.some(opaqueToJs);
}

/** The type index of function `index` (imports first) in `module`. */
export function funcTypeIndex(module: Module, index: number): number | null {
  let n = 0;
  for (const imp of module.imports) {
    if (imp.desc.kind !== 'func') continue;
    if (n === index) return imp.desc.type;
    n++;
  }
  return module.funcs[index - n]?.type ?? null;
}

export function globalTypeOf(module: Module, index: number): GlobalType | null {
  let n = 0;
  for (const imp of module.imports) {
    if (imp.desc.kind !== 'global') continue;
    if (n === index) return imp.desc.type;
    n++;
  }
  return module.globals[index - n]?.type ?? null;
}

/** The export named `name` of kind `kind`, if the model has it. */
export function findExport(module: Module, name: string, kind: 'func' | 'global'): number | null {
  const e = indexOf(module).exports.get(name);
  return e !== undefined && e.kind === kind ? e.index : null;
}

export function funcTypeAt(module: Module, typeIndex: number): FuncType | null {
  const t = indexOf(module).defs[typeIndex];
  return t !== undefined && t.composite.kind === 'func' ? t.composite : null;
}

// Types from the script's values, for modules we have no model of — as the reference
// interpreter's JS harness does for its wrappers.

function constType(c: Const): ValType {
  switch (c.type) {
    case 'ref.null':
      return refType(true, c.heap);
    case 'ref.extern':
      return refType(true, 'extern');
    case 'ref.host':
      return refType(true, 'any');
    default:
      return c.type;
  }
}

function patternType(p: ResultPattern): ValType | null {
  switch (p.type) {
    case 'either':
      return p.options[0] === undefined ? null : patternType(p.options[0]);
    case 'ref.null':
      return p.heap === null ? null : refType(true, p.heap);
    case 'ref.extern':
      return refType(true, 'extern');
    case 'ref.func':
      return refType(true, 'func');
    case 'ref.exn':
      return refType(true, 'exn');
    case 'ref.host':
    case 'ref.any':
      return refType(true, 'any');
    case 'ref.eq':
      return refType(true, 'eq');
    case 'ref.i31':
      return refType(true, 'i31');
    case 'ref.struct':
      return refType(true, 'struct');
    case 'ref.array':
      return refType(true, 'array');
    default:
      return p.type;
  }
}

/**
 * A one-type model whose type 0 is the function type the script's arguments and expected
 * results imply, or null when a result does not say its type (a bare `(ref.null)`).
 */
export function inferredModel(args: readonly Const[], expected: readonly ResultPattern[]): Module | null {
  const results: ValType[] = [];
  for (const p of expected) {
    const t = patternType(p);
    if (t === null) return null;
    results.push(t);
  }
  const composite: FuncType = { kind: 'func', params: args.map(constType), results };
  return { ...emptyModule(), types: [{ explicit: false, types: [{ final: true, supertypes: [], composite }] }] };
}
