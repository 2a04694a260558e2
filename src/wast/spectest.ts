// The `spectest` host module of the spec suite (the reference interpreter's
// host/spectest.ml): print functions, four globals, two tables and a memory. It is a real
// WebAssembly module (built with our encoder), so that importing one of its functions
// under the wrong type fails to link exactly as in the reference interpreter.

import { encodeModule } from '../binary/index.ts';
import { op } from '../model/opcodes.ts';
import type { Export, Func, FuncType, Global, Limits, Module, RecGroup, ValType } from '../model/types.ts';
import { emptyModule, funcref } from '../model/types.ts';
import type { Exports, WasmModule } from './js-api.ts';
import { wasm } from './js-api.ts';
import { f32Bits, f64Bits } from './values.ts';

const PRINTS: readonly (readonly [string, readonly ValType[]])[] = [
  ['print', []],
  ['print_i32', ['i32']],
  ['print_i64', ['i64']],
  ['print_f32', ['f32']],
  ['print_f64', ['f64']],
  ['print_i32_f32', ['i32', 'f32']],
  ['print_f64_f64', ['f64', 'f64']],
];

function limits(address: 'i32' | 'i64', min: number, max: number): Limits {
  return { address, min: BigInt(min), max: BigInt(max), shared: false };
}

/** The spectest module as a model. */
export function spectestModel(): Module {
  const types: RecGroup[] = [];
  const funcs: Func[] = [];
  const exports: Export[] = [];
  PRINTS.forEach(([name, params], i) => {
    const type: FuncType = { kind: 'func', params, results: [] };
    types.push({ explicit: false, types: [{ final: true, supertypes: [], composite: type }] });
    funcs.push({ type: i, locals: [], body: [] });
    exports.push({ name, kind: 'func', index: i });
  });
  const globals: Global[] = [
    { type: { type: 'i32', mutable: false }, init: [{ op: op('i32.const'), imm: 666 }] },
    { type: { type: 'i64', mutable: false }, init: [{ op: op('i64.const'), imm: 666n }] },
    { type: { type: 'f32', mutable: false }, init: [{ op: op('f32.const'), imm: f32Bits(666.6) }] },
    { type: { type: 'f64', mutable: false }, init: [{ op: op('f64.const'), imm: f64Bits(666.6) }] },
  ];
  ['global_i32', 'global_i64', 'global_f32', 'global_f64'].forEach((name, index) =>
    exports.push({ name, kind: 'global', index }),
  );
  exports.push({ name: 'table', kind: 'table', index: 0 });
  exports.push({ name: 'table64', kind: 'table', index: 1 });
  exports.push({ name: 'memory', kind: 'memory', index: 0 });
  return {
    ...emptyModule(),
    types,
    funcs,
    globals,
    tables: [
      { type: { element: funcref, limits: limits('i32', 10, 20) }, init: null },
      { type: { element: funcref, limits: limits('i64', 10, 20) }, init: null },
    ],
    memories: [{ limits: limits('i32', 1, 2) }],
    exports,
  };
}

let compiled: WasmModule | null = null;

/** A fresh spectest instance's exports (each script run gets its own tables and memory). */
export function spectestExports(): Exports {
  compiled ??= new wasm.Module(encodeModule(spectestModel()));
  return new wasm.Instance(compiled, {}).exports;
}
