// Trap kinds (spec §4.4 "traps"): which V8 `WebAssembly.RuntimeError` messages count as
// which spec trap message. The table lives with the runtime's Trap (src/runtime/trap.ts),
// which also maps each message to a trap kind; the WAST runner uses it from there.

export { TRAP_TABLE, trapMatches, type TrapRow } from '../runtime/trap.ts';
