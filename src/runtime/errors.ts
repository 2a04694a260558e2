// Errors of linking and of using the embedding API (spec §4.5.4 "Instantiation", whose
// import matching can fail; the reference interpreter's Link exception). Traps are in
// ./trap.ts.

import { WasmError } from '../model/errors.ts';

/**
 * An import that cannot be satisfied: missing, or of the wrong kind or type. The message
 * names the module, the field, the type the module expects and the one provided.
 */
export class LinkError extends WasmError {
  override name = 'LinkError';
  readonly module: string;
  readonly field: string;
  constructor(module: string, field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.module = module;
    this.field = field;
  }
}

/**
 * A misuse of the embedding API that no module can fix: a v128 value crossing into
 * JavaScript, a synchronous call into a guest that suspends, a store of another engine.
 */
export class EmbeddingError extends WasmError {
  override name = 'EmbeddingError';
}
