// A function of an instance (Wasmtime's `Func`; spec §4.5.5 "Invocation"): called from
// JavaScript with the JS API's value conversions (i64 ↔ bigint), its traps turned into
// `Trap`s, and, through JSPI's `WebAssembly.promising`, callable while async host
// functions suspend it.

import { EmbeddingError } from './errors.ts';
import { funcTypeText, type FuncType } from './extern-types.ts';
import { fromGuest } from './guest-error.ts';
import type { ModuleInfo } from './module-info.ts';
import type { Store } from './store.ts';
import type { FrameSource } from './backtrace.ts';
import { wasm } from './webassembly.ts';

export class Func {
  readonly type: FuncType;
  /** The store of the instance it belongs to. */
  readonly store: Store<any>;
  /** V8's exported function (what the JS API gives). */
  readonly raw: (...args: unknown[]) => unknown;
  /** Its module and index there (internal). */
  readonly info: ModuleInfo;
  readonly index: number;
  private readonly opaque: boolean;
  private promising: ((...args: unknown[]) => Promise<unknown>) | null = null;

  constructor(raw: (...args: unknown[]) => unknown, store: Store<any>, info: ModuleInfo, index: number) {
    this.raw = raw;
    this.store = store;
    this.info = info;
    this.index = index;
    this.type = info.funcType(index);
    this.opaque = this.type.params.includes('v128') || this.type.results.includes('v128');
  }

  /**
   * Calls the function: 0 results give undefined, 1 its value, more an array. A trap
   * throws a `Trap`; what a host function throws comes out unchanged.
   */
  call(...args: unknown[]): unknown {
    if (this.opaque) throw this.v128Error();
    try {
      return this.raw(...args);
    } catch (e) {
      throw fromGuest(e, () => this.frameSources());
    }
  }

  /** Calls the function so that async host functions may suspend it (JSPI). */
  async callAsync(...args: unknown[]): Promise<unknown> {
    if (this.opaque) throw this.v128Error();
    const promising = (this.promising ??= wasm.promising(this.raw));
    try {
      return await promising(...args);
    } catch (e) {
      throw fromGuest(e, () => this.frameSources());
    }
  }

  private v128Error(): EmbeddingError {
    return new EmbeddingError(
      `a function of type ${funcTypeText(this.type)} cannot be called from JavaScript: v128 values cannot cross the JavaScript boundary`,
    );
  }

  private *frameSources(): Iterable<FrameSource> {
    yield this.info;
    for (const m of this.store.modules) if (m !== this.info) yield m;
  }
}
