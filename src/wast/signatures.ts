// Signatures for the runner (spec §2.5 index spaces): the type of an exported function or
// global in a module model (our parser's or our decoder's).

import type { FuncType, GlobalType, Module, SubType, ValType } from '../model/types.ts';
import { typeDefs } from '../model/types.ts';

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
