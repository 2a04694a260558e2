// WASI preview1 (wasi_snapshot_preview1): the context a guest runs in, its import object
// for the plain WebAssembly JS API, registration on the runtime's Linker, a one-call
// runner, the two file systems (host directories and in-memory trees) and the constants.

export { ERRNO, WasiError, type ErrnoName } from './errno.ts';
export {
  WasiContext,
  WasiExit,
  WasiConfigError,
  type WasiOptions,
  type WasiClocks,
  type Preopen,
  type StdinOption,
  type StdoutOption,
} from './context.ts';
export { WASI_FUNCTIONS, wasiFuncType, type WasiFunction, type WasiValType } from './functions.ts';
export { startWasi, wasiImports, WASI_MODULE, type WasiImportOptions } from './imports.ts';
export { addWasiToLinker, type AddWasiOptions, type WasiLinker } from './linker.ts';
export { runWasi, type RunWasiOptions } from './run.ts';
export {
  HostInput,
  HostOutput,
  MemoryInput,
  MemoryOutput,
  CallbackOutput,
  type InputStream,
  type OutputStream,
} from './streams.ts';
export * as WASI from './constants.ts';
export { openHostDirectory, type HostDirectoryOptions } from './fs/host.ts';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './fs/memory.ts';
export type { Directory, File, FileStat, FileType, DirEntry, TimeSpec, OpenFileOptions } from './fs/types.ts';
