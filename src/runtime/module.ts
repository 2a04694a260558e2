// A compiled module (Wasmtime's `Module`; spec §3.4 "Modules", §5 binary, §6 text): bytes
// or WAT text, checked by our decoder and validator (errors with byte offsets, or line and
// column for text), then compiled by V8. Compile once, instantiate many times.

import { encodeModule } from '../binary/encode.ts';
import { ValidationError } from '../model/errors.ts';
import { parseModule } from '../text/index.ts';
import type { Engine } from './engine.ts';
import type { ExportType, ImportType } from './extern-types.ts';
import { readModule, type ModuleInfo } from './module-info.ts';
import { wasm } from './webassembly.ts';

/** A module's source: the binary format, or the text format as a string. */
export type ModuleSource = Uint8Array | string;

export class Module {
  readonly engine: Engine;
  /** The module's imports, in order, with their types. */
  readonly imports: readonly ImportType[];
  /** The module's exports, in order, with their types. */
  readonly exports: readonly ExportType[];
  /** V8's compiled module (for `postMessage` to a worker, say). */
  readonly compiled: WebAssembly.Module;
  /** What our decoder read (internal). */
  readonly info: ModuleInfo;

  /** Internal: use `Module.compile` or `Module.compileSync`. */
  constructor(engine: Engine, compiled: WebAssembly.Module, info: ModuleInfo) {
    this.engine = engine;
    this.compiled = compiled;
    this.info = info;
    this.imports = info.imports;
    this.exports = info.exports;
  }

  /**
   * Validates `source` with our decoder and validator, then compiles it with V8 in the
   * background. Throws (rejects with) a ParseError for bad text, a DecodeError or a
   * ValidationError with the byte offset for a bad binary.
   */
  static async compile(engine: Engine, source: ModuleSource): Promise<Module> {
    const bytes = toBytes(source);
    const info = readModule(bytes, engine.features, engine.types);
    let compiled: WebAssembly.Module;
    try {
      compiled = await wasm.compile(bytes);
    } catch (e) {
      throw fromV8(e);
    }
    return new Module(engine, compiled, info);
  }

  /** As `compile`, on the calling thread. */
  static compileSync(engine: Engine, source: ModuleSource): Module {
    const bytes = toBytes(source);
    const info = readModule(bytes, engine.features, engine.types);
    let compiled: WebAssembly.Module;
    try {
      compiled = new wasm.Module(bytes);
    } catch (e) {
      throw fromV8(e);
    }
    return new Module(engine, compiled, info);
  }

  /** The module's name from its `name` section, or null. */
  get name(): string | null {
    return this.info.moduleName;
  }
}

function toBytes(source: ModuleSource): Uint8Array {
  if (typeof source === 'string') return encodeModule(parseModule(source));
  if (source instanceof Uint8Array) return source;
  throw new TypeError('a module source is a Uint8Array (the binary format) or a string (the text format)');
}

/**
 * A module our validator accepted and V8 did not (an implementation limit of V8, say),
 * as a ValidationError with V8's offset (`@+123`) when it gives one.
 */
function fromV8(e: unknown): unknown {
  if (!(e instanceof wasm.CompileError)) return e;
  const at = /@\+(\d+)/.exec(e.message);
  const message = e.message.replace(/^WebAssembly\.\w+\(\): /, '').replace(/ ?@\+\d+/, '');
  return new ValidationError(`V8 cannot compile the module: ${message}`, at === null ? -1 : Number(at[1]));
}
