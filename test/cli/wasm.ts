// Instantiating a module in tests: the project compiles without the DOM library, so the
// WebAssembly global is typed here as far as the tests use it.

interface Api {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}

const api = (globalThis as unknown as { WebAssembly: Api }).WebAssembly;

/** The exports of a module instantiated without imports. */
export function exportsOf(bytes: Uint8Array): Record<string, unknown> {
  return new api.Instance(new api.Module(bytes)).exports;
}
