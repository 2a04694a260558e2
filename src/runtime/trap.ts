// Traps (spec §4.4.1 "Traps"; the messages of the reference interpreter's eval.ml): what
// V8's `WebAssembly.RuntimeError` messages mean, as a trap kind and as the spec's wording,
// and the `Trap` error the runtime raises with a WebAssembly backtrace.
//
// TRAP_TABLE is the whole mapping: each row is one V8 message (V8 13.6, as observed on
// the spec suite; instantiation prefixes them with "WebAssembly.Instance(): "), the kind
// it is, and the spec messages (the start of the text an `assert_trap` expects) it can
// stand for. V8 is coarser than the spec in places: it reports an index past the end of
// a table in `call_indirect` like any table bounds error, a null entry like a signature
// mismatch, NaN and out-of-range float-to-int conversions alike, and every null
// dereference alike. Nothing here uses Node.js: the WAST runner shares this table.

import type { Frame } from './backtrace.ts';
import { formatFrames } from './backtrace.ts';

export type TrapKind =
  | 'unreachable'
  | 'memory-out-of-bounds'
  | 'table-out-of-bounds'
  | 'integer-divide-by-zero'
  | 'integer-overflow'
  | 'invalid-conversion'
  | 'indirect-call-type-mismatch'
  | 'null-reference'
  | 'stack-overflow'
  | 'array-out-of-bounds'
  | 'cast-failure'
  | 'unaligned-atomic'
  | 'out-of-memory'
  | 'other';

export interface TrapRow {
  /** V8's message, or a pattern for messages with numbers in them. */
  readonly v8: string | RegExp;
  readonly kind: TrapKind;
  readonly spec: readonly string[];
}

// prettier-ignore
export const TRAP_TABLE: readonly TrapRow[] = [
  { v8: 'unreachable', kind: 'unreachable', spec: ['unreachable'] },
  { v8: 'divide by zero', kind: 'integer-divide-by-zero', spec: ['integer divide by zero'] },
  { v8: 'remainder by zero', kind: 'integer-divide-by-zero', spec: ['integer divide by zero'] },
  { v8: 'divide result unrepresentable', kind: 'integer-overflow', spec: ['integer overflow'] },
  { v8: 'float unrepresentable in integer range', kind: 'invalid-conversion', spec: ['integer overflow', 'invalid conversion to integer'] },
  { v8: 'memory access out of bounds', kind: 'memory-out-of-bounds', spec: ['out of bounds memory access'] },
  // memory.init, array.new_data, array.init_data; and active data segments at instantiation
  { v8: 'data segment out of bounds', kind: 'memory-out-of-bounds', spec: ['out of bounds memory access', 'out of bounds array access'] },
  { v8: /data segment \d+ is out of bounds/, kind: 'memory-out-of-bounds', spec: ['out of bounds memory access'] },
  // table.get/set/fill/copy/init, call_indirect past the end, active element segments
  { v8: 'table index is out of bounds', kind: 'table-out-of-bounds', spec: ['out of bounds table access', 'undefined element'] },
  // table.init, array.new_elem, array.init_elem
  { v8: 'element segment out of bounds', kind: 'table-out-of-bounds', spec: ['out of bounds table access', 'out of bounds array access'] },
  {
    v8: 'null function or function signature mismatch', kind: 'indirect-call-type-mismatch',
    spec: ['uninitialized element', 'indirect call type mismatch', 'null function reference'],
  },
  {
    v8: 'dereferencing a null pointer', kind: 'null-reference',
    spec: ['null reference', 'null function reference', 'null structure reference', 'null array reference',
      'null i31 reference', 'null exception reference'],
  },
  { v8: 'illegal cast', kind: 'cast-failure', spec: ['cast failure'] },
  { v8: 'array element access out of bounds', kind: 'array-out-of-bounds', spec: ['out of bounds array access'] },
  { v8: 'operation does not support unaligned accesses', kind: 'unaligned-atomic', spec: ['unaligned atomic'] },
  { v8: 'requested new array is too large', kind: 'out-of-memory', spec: ['out of memory'] },
];

/** Whether V8's trap message `actual` means the spec trap the script expects. */
export function trapMatches(expected: string, actual: string): boolean {
  for (const row of TRAP_TABLE) {
    if (rowMatches(row, actual) && row.spec.some((s) => expected.startsWith(s))) return true;
  }
  return false;
}

function rowMatches(row: TrapRow, message: string): boolean {
  return typeof row.v8 === 'string' ? message.includes(row.v8) : row.v8.test(message);
}

/** The kind of trap V8's RuntimeError message stands for ('other' when unknown). */
export function trapKindOf(v8Message: string): TrapKind {
  for (const row of TRAP_TABLE) if (rowMatches(row, v8Message)) return row.kind;
  return 'other';
}

/** What each kind of trap means, in the specification's words where it has them. */
const DESCRIPTIONS: Readonly<Record<TrapKind, string>> = {
  unreachable: 'unreachable',
  'memory-out-of-bounds': 'out of bounds memory access',
  'table-out-of-bounds': 'out of bounds table access',
  'integer-divide-by-zero': 'integer divide by zero',
  'integer-overflow': 'integer overflow',
  'invalid-conversion': 'invalid conversion to integer',
  'indirect-call-type-mismatch': 'indirect call type mismatch or uninitialized element',
  'null-reference': 'null reference',
  'stack-overflow': 'call stack exhausted',
  'array-out-of-bounds': 'out of bounds array access',
  'cast-failure': 'cast failure',
  'unaligned-atomic': 'unaligned atomic',
  'out-of-memory': 'out of memory',
  other: 'trap',
};

/**
 * A WebAssembly trap: execution stopped at an instruction that cannot go on. `frames` is
 * the WebAssembly part of the call stack, innermost first (as many frames as V8 captured:
 * `Error.stackTraceLimit`, 10 by default). The message names the trap and lists the frames;
 * `cause` is V8's own error.
 */
export class Trap extends Error {
  override name = 'Trap';
  readonly kind: TrapKind;
  readonly frames: readonly Frame[];
  /** V8's message for it (without the "WebAssembly.Instance(): " prefix). */
  readonly v8Message: string;

  constructor(kind: TrapKind, frames: readonly Frame[], v8Message: string, options?: { cause?: unknown }) {
    const what = kind === 'other' ? v8Message : DESCRIPTIONS[kind];
    super(frames.length === 0 ? `wasm trap: ${what}` : `wasm trap: ${what}\nwasm backtrace:\n${formatFrames(frames)}`, options);
    this.kind = kind;
    this.frames = frames;
    this.v8Message = v8Message;
  }
}
