// What every WASI preview1 call body receives: the guest's context, its memory, and
// whether the call may wait on the event loop (asynchronous imports, with JSPI).

import type { WasiContext } from './context.ts';
import type { GuestMemory } from './memory.ts';

export interface CallEnv {
  readonly ctx: WasiContext;
  readonly mem: GuestMemory;
  /** True when the import was made Suspending: a body may return a promise. */
  readonly canSuspend: boolean;
}
