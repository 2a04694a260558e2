// The embedding API (Wasmtime's, native to TypeScript): Engine, Module, Store, Linker,
// InstancePre, Instance, Func, Caller, Trap and LinkError. Modules are checked by our
// decoder and validator; V8 compiles and runs them.

import './webassembly.ts';

export { Engine, type EngineOptions } from './engine.ts';
export { Module, type ModuleSource } from './module.ts';
export { Store } from './store.ts';
export type { Caller } from './caller.ts';
export { Linker, type DefineFuncOptions, type Definable } from './linker.ts';
export type { HostFunction } from './link.ts';
export { InstancePre } from './instance-pre.ts';
export { Instance } from './instance.ts';
export { Func } from './func.ts';
export { Trap, TRAP_TABLE, trapKindOf, trapMatches, type TrapKind, type TrapRow } from './trap.ts';
export { formatFrames, type Frame } from './backtrace.ts';
export { LinkError, EmbeddingError } from './errors.ts';
export {
  externTypeText,
  funcTypeText,
  type ExportType,
  type ExternType,
  type FuncType,
  type ImportType,
  type ValType,
} from './extern-types.ts';
