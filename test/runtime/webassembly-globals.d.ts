// The WebAssembly JavaScript API as global values, for the project's own tests and tools
// (which compile without the DOM library). The published types (src/runtime/webassembly.ts)
// declare only the object types, so that they merge with the DOM library's in a user's
// program; code under src/ reaches the values through `wasm` there.

declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type Imports = Record<string, Record<string, unknown>>;
  type ValueType = keyof ValueTypeMap;

  interface Instance {
    readonly exports: Exports;
  }
  interface Exception {
    is(tag: Tag): boolean;
    getArg(tag: Tag, index: number): unknown;
  }
  interface CompileError extends Error {}
  interface LinkError extends Error {}
  interface RuntimeError extends Error {}

  var Module: {
    prototype: Module;
    new (bytes: ArrayBufferView | ArrayBuffer): Module;
    imports(module: Module): { module: string; name: string; kind: string }[];
    exports(module: Module): { name: string; kind: string }[];
    customSections(module: Module, name: string): ArrayBuffer[];
  };
  var Instance: { prototype: Instance; new (module: Module, imports?: Imports): Instance };
  var Memory: {
    prototype: Memory;
    new (descriptor: { initial: number; maximum?: number; shared?: boolean; address?: 'i32' | 'i64' }): Memory;
  };
  var Table: {
    prototype: Table;
    new (descriptor: { element: string; initial: number; maximum?: number; address?: 'i32' | 'i64' }, value?: unknown): Table;
  };
  var Global: {
    prototype: Global;
    new <T extends ValueType = ValueType>(descriptor: { value: T; mutable?: boolean }, value?: ValueTypeMap[T]): Global<T>;
  };
  var Tag: { prototype: Tag; new (descriptor: { parameters: string[] }): Tag };
  var Exception: { prototype: Exception; new (tag: Tag, payload: unknown[], options?: { traceStack?: boolean }): Exception };
  var CompileError: { prototype: CompileError; new (message?: string): CompileError };
  var LinkError: { prototype: LinkError; new (message?: string): LinkError };
  var RuntimeError: { prototype: RuntimeError; new (message?: string): RuntimeError };
  var Suspending: { prototype: object; new (fn: Function): object };
  function promising(fn: Function): (...args: unknown[]) => Promise<unknown>;
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
