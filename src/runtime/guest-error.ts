// What an exception leaving WebAssembly code means (spec §4.4.1 "Traps", and the JS API's
// mapping of traps to `WebAssembly.RuntimeError`): a trap raised by V8 in the guest becomes
// a `Trap` with its backtrace; V8's stack overflow inside the guest is the 'stack-overflow'
// trap; a guest that tried to suspend without `callAsync` gets a clear error; anything
// else (what a host function threw, a Trap from a nested call) passes through unchanged.

import { backtrace, raisedInWasm, stackOf, type FrameSource } from './backtrace.ts';
import { EmbeddingError } from './errors.ts';
import { Trap, trapKindOf } from './trap.ts';
import { wasm } from './webassembly.ts';

const STACK_OVERFLOW = 'Maximum call stack size exceeded';

/** `e` as the runtime reports it; `sources` are the modules that may have frames in it. */
export function fromGuest(e: unknown, sources: () => Iterable<FrameSource>): unknown {
  if (e instanceof wasm.RuntimeError) {
    const stack = stackOf(e);
    if (!raisedInWasm(stack) && !/^WebAssembly\.\w+\(\): /.test(e.message)) return e;
    const message = e.message.replace(/^WebAssembly\.\w+\(\): /, '');
    return new Trap(trapKindOf(message), backtrace(stack, sources()), message, { cause: e });
  }
  if (e instanceof RangeError && e.message === STACK_OVERFLOW) {
    const stack = stackOf(e);
    if (!raisedInWasm(stack)) return e;
    return new Trap('stack-overflow', backtrace(stack, sources()), e.message, { cause: e });
  }
  if (e instanceof Error && e.name === 'SuspendError') {
    return new EmbeddingError(
      'the guest called an async host function (defined with { async: true }) during a synchronous call: ' +
        'enter it with Func.callAsync',
      { cause: e },
    );
  }
  return e;
}
