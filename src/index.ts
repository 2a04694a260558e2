// nanoprocess: secure-by-default WebAssembly for TypeScript and Node.js.
// The package root re-exports every layer's public API; each layer is also a subpath
// export of its own (nanoprocess/model, nanoprocess/binary, nanoprocess/text,
// nanoprocess/validate, nanoprocess/runtime, nanoprocess/wasi, nanoprocess/wast), which loads less.

export * from './model/index.ts';
export * from './binary/index.ts';
export * from './text/index.ts';
export * from './validate/index.ts';
export * from './runtime/index.ts';
// Names both the module model and the runtime define: the root keeps the model's (the
// runtime's are under these longer names here, and as they are in nanoprocess/runtime).
export type { Func, FuncType, Module, ValType } from './model/index.ts';
export {
  Module as RuntimeModule,
  Func as RuntimeFunc,
  type FuncType as RuntimeFuncType,
  type ValType as RuntimeValType,
} from './runtime/index.ts';
export * from './wasi/index.ts';
export * from './wast/index.ts';
