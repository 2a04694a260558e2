// Trap kinds (spec §4.4 "traps"; the messages of the reference interpreter's eval.ml):
// which V8 `WebAssembly.RuntimeError` messages count as which spec trap message.
//
// The one table below is the whole mapping: each row is one V8 message (V8 13.6, as
// observed on the spec suite; instantiation prefixes them with "WebAssembly.Instance(): ")
// and the spec messages (the start of the text an `assert_trap` expects) it can stand
// for. V8 is coarser than the spec in places: it reports an index past the end of a table
// in `call_indirect` like any table bounds error, a null entry like a signature mismatch,
// NaN and out-of-range float-to-int conversions alike, and every null dereference alike.

interface TrapRow {
  /** V8's message, or a pattern for messages with numbers in them. */
  readonly v8: string | RegExp;
  readonly spec: readonly string[];
}

// prettier-ignore
export const TRAP_TABLE: readonly TrapRow[] = [
  { v8: 'unreachable', spec: ['unreachable'] },
  { v8: 'divide by zero', spec: ['integer divide by zero'] },
  { v8: 'remainder by zero', spec: ['integer divide by zero'] },
  { v8: 'divide result unrepresentable', spec: ['integer overflow'] },
  { v8: 'float unrepresentable in integer range', spec: ['integer overflow', 'invalid conversion to integer'] },
  { v8: 'memory access out of bounds', spec: ['out of bounds memory access'] },
  // memory.init, array.new_data, array.init_data; and active data segments at instantiation
  { v8: 'data segment out of bounds', spec: ['out of bounds memory access', 'out of bounds array access'] },
  { v8: /data segment \d+ is out of bounds/, spec: ['out of bounds memory access'] },
  // table.get/set/fill/copy/init, call_indirect past the end, active element segments
  { v8: 'table index is out of bounds', spec: ['out of bounds table access', 'undefined element'] },
  // table.init, array.new_elem, array.init_elem
  { v8: 'element segment out of bounds', spec: ['out of bounds table access', 'out of bounds array access'] },
  {
    v8: 'null function or function signature mismatch',
    spec: ['uninitialized element', 'indirect call type mismatch', 'null function reference'],
  },
  {
    v8: 'dereferencing a null pointer',
    spec: ['null reference', 'null function reference', 'null structure reference', 'null array reference',
      'null i31 reference', 'null exception reference'],
  },
  { v8: 'illegal cast', spec: ['cast failure'] },
  { v8: 'array element access out of bounds', spec: ['out of bounds array access'] },
  { v8: 'operation does not support unaligned accesses', spec: ['unaligned atomic'] },
];

/** Whether V8's trap message `actual` means the spec trap the script expects. */
export function trapMatches(expected: string, actual: string): boolean {
  for (const row of TRAP_TABLE) {
    const hit = typeof row.v8 === 'string' ? actual.includes(row.v8) : row.v8.test(actual);
    if (hit && row.spec.some((s) => expected.startsWith(s))) return true;
  }
  return false;
}
