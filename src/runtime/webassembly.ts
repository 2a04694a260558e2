// The WebAssembly JavaScript API (W3C "WebAssembly JavaScript Interface" and its JS Promise
// Integration extension): the engine's global `WebAssembly` object, which the runtime
// drives. The project compiles without the DOM library, where TypeScript keeps its types,
// so the parts we use are typed here: the object types our API shows (Memory, Table,
// Global, Tag, Module) as global interfaces written exactly as the DOM library writes
// them, so that a program with both merges them cleanly, and the constructors and
// functions as the `wasm` value (no global `var`s, which could not merge).

declare global {
  namespace WebAssembly {
    interface ValueTypeMap {
      anyfunc: Function;
      externref: any;
      f32: number;
      f64: number;
      i32: number;
      i64: bigint;
      v128: never;
    }
    interface Module {}
    interface Memory {
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
    interface Table {
      readonly length: number;
      get(index: number): any;
      grow(delta: number, value?: any): number;
      set(index: number, value?: any): void;
    }
    interface Global<T extends keyof ValueTypeMap = keyof ValueTypeMap> {
      value: ValueTypeMap[T];
      valueOf(): ValueTypeMap[T];
    }
    /** An exception tag (not in TypeScript's DOM library yet). */
    interface Tag {
      readonly __wasmTag?: never;
    }
  }
}

export type Exports = Record<string, unknown>;
export type Imports = Record<string, Record<string, unknown>>;

export interface WasmInstance {
  readonly exports: Exports;
}

type Class<T, A extends unknown[] = any[]> = new (...args: A) => T;

export interface JsApi {
  readonly Module: Class<WebAssembly.Module, [bytes: Uint8Array]>;
  readonly Instance: Class<WasmInstance, [module: WebAssembly.Module, imports?: Imports]>;
  readonly Memory: Class<WebAssembly.Memory, [descriptor: { initial: number; maximum?: number; shared?: boolean }]>;
  readonly Table: Class<WebAssembly.Table>;
  readonly Global: Class<WebAssembly.Global>;
  readonly Tag: Class<WebAssembly.Tag>;
  readonly CompileError: Class<Error>;
  readonly LinkError: Class<Error>;
  readonly RuntimeError: Class<Error>;
  /** JSPI: wraps an import that may suspend the calling WebAssembly until its promise settles. */
  readonly Suspending: Class<object, [fn: Function]>;
  /** JSPI: wraps an export so that its imports may suspend; it returns a promise. */
  promising(fn: Function): (...args: unknown[]) => Promise<unknown>;
  compile(bytes: Uint8Array): Promise<WebAssembly.Module>;
  instantiate(module: WebAssembly.Module, imports?: Imports): Promise<WasmInstance>;
}

/** The engine's WebAssembly object. */
export const wasm: JsApi = (globalThis as unknown as { WebAssembly: JsApi }).WebAssembly;
