// nanoprocess: secure-by-default WebAssembly for TypeScript and Node.js.
// The package root re-exports every layer's public API; each layer is also a subpath
// export of its own (nanoprocess/model, nanoprocess/binary, nanoprocess/text,
// nanoprocess/validate, nanoprocess/wast), which loads less.

export * from './model/index.ts';
export * from './binary/index.ts';
export * from './text/index.ts';
export * from './validate/index.ts';
export * from './wast/index.ts';
