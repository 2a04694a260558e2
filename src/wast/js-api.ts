// The part of the WebAssembly JavaScript API (W3C "WebAssembly JavaScript Interface") the
// script runner uses, typed here because the project compiles without the DOM library.
// It is the engine's own global object; nothing is reimplemented.

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface ImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

export type Exports = Readonly<Record<string, unknown>>;

export interface WasmInstance {
  readonly exports: Exports;
}

export interface WasmGlobal {
  value: unknown;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

type Class<T> = abstract new (...args: never[]) => T;

export interface JsApi {
  readonly Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): ImportDescriptor[];
  };
  readonly Instance: new (module: WasmModule, imports?: object) => WasmInstance;
  readonly Global: Class<WasmGlobal>;
  readonly Memory: Class<WasmMemory>;
  readonly Exception: Class<object>;
  readonly CompileError: Class<Error>;
  readonly LinkError: Class<Error>;
  readonly RuntimeError: Class<Error>;
}

export const wasm: JsApi = (globalThis as unknown as { WebAssembly: JsApi }).WebAssembly;

/** Compiles and instantiates bytes (for modules we generate ourselves). */
export function instantiateBytes(bytes: Uint8Array, imports?: object): WasmInstance {
  return new wasm.Instance(new wasm.Module(bytes), imports);
}
