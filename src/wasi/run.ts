// Running a WASI preview1 command (a module exporting `_start`) to its end: the
// convenience for embedders, on the runtime's Engine, Linker and Store, with the
// asynchronous (JSPI) imports so that stdin and sockets wait on the event loop.

import { Engine, Linker, Module, Store } from '../runtime/index.ts';
import { WasiConfigError, WasiContext, WasiExit, type WasiOptions } from './context.ts';
import { addWasiToLinker } from './linker.ts';

export interface RunWasiOptions extends WasiOptions {
  /** Default: a new Engine with the default features. */
  readonly engine?: Engine;
}

/**
 * Compiles (bytes or WAT text, or an already compiled Module), instantiates with a fresh
 * WasiContext and runs `_start`. Resolves to the exit code: proc_exit's, or 0 when
 * `_start` returns. A trap rejects with the runtime's `Trap`; a bad module with the
 * decoder's, parser's or validator's error; a missing import with a LinkError. The
 * context (and the directories and sockets it was given) is closed at the end.
 */
export async function runWasi(source: Uint8Array | string | Module, options: RunWasiOptions = {}): Promise<number> {
  const engine = source instanceof Module ? source.engine : (options.engine ?? new Engine());
  const module = source instanceof Module ? source : await Module.compile(engine, source);
  const ctx = new WasiContext(options);
  try {
    const linker = new Linker<WasiContext>(engine);
    addWasiToLinker(linker, (c) => c, { async: true, trace: options.trace });
    const store = new Store<WasiContext>(engine, ctx);
    const instance = await linker.instantiateAsync(store, module);
    const start = instance.getFunc('_start');
    if (start === undefined) throw new WasiConfigError('the module exports no _start function (a WASI command)');
    try {
      await start.callAsync();
      return 0;
    } catch (e) {
      if (e instanceof WasiExit) return e.code;
      throw e;
    }
  } finally {
    ctx.close();
  }
}
