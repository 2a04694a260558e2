// Explained differences: the documented ways in which V8's `WebAssembly.validate` (Node.js
// 24, V8 13.6) and our decoder and validator may disagree on a module. A disagreement is
// explained only when a rule names it and the module shows the rule's cause:
//
// - We accept, V8 rejects (RULES): V8's own error message must say what the rule says,
//   and our model of the module must show it. Nearly all of these are V8 implementation
//   limits (V8's src/wasm/wasm-limits.h): the specification leaves such limits to
//   implementations (appendix "Implementation Limitations"), and our validator keeps
//   only the spec's own bounds, except for the two limits that every engine shares and
//   the spec suite tests (50000 locals, 63 levels of declared supertypes). One is V8
//   reading 32-bit limits as u32 where WebAssembly 3.0 reads u64.
// - We reject, V8 accepts (REJECT_RULES for validation errors, DECODE_REJECT_RULES for
//   decode errors): our error must point at what the rule is about; the rule repairs it
//   and the repaired module is decoded and validated again, so that every reason we have
//   to reject the module must be explained.
//
// Every rule carries a probe that the tests run against the V8 at hand, so that a rule
// which no longer holds (V8 changed) fails the build instead of explaining bugs away.

import { decodeModule, encodeModule } from '../src/binary/index.ts';
import { op } from '../src/model/opcodes.ts';
import type { Instruction } from '../src/model/instruction.ts';
import type { Module, ValType } from '../src/model/types.ts';
import { emptyModule, typeDefs } from '../src/model/types.ts';

export interface Rule {
  /** The probe is large (over 1 MiB): the tests leave it to `npm run fuzz -- --rules`. */
  readonly large?: boolean;
  /** A short stable name, printed with each explained case. */
  readonly id: string;
  /** What differs and why (the README's table is made of these). */
  readonly description: string;
  /** V8's CompileError message must match this. */
  readonly v8Message: RegExp;
  /** Whether our model of the module (which we accepted) shows the cause. */
  readonly applies: (m: Module) => boolean;
  /** A module just past the limit: we accept it, V8 rejects it with `v8Message`. */
  readonly probe: () => Module;
  /** The probe's bytes when our encoding of `probe()` would not show the cause. */
  readonly probeBytes?: () => Uint8Array;
}

// ---------------------------------------------------------------------------------------
// V8's limits (wasm-limits.h), as measured against Node.js 24's V8.

export const V8_LIMITS = {
  memory64Pages: 262144n, // kV8MaxWasmMemory64Pages: 16 GiB
  tableSize: 10_000_000n, // kV8MaxWasmTableSize (initial size only)
  params: 1000, // kV8MaxWasmFunctionParams
  results: 1000, // kV8MaxWasmFunctionReturns
  structFields: 10_000, // kV8MaxWasmStructFields
  brTable: 65_520, // kV8MaxWasmFunctionBrTableSize
  arrayNewFixed: 10_000, // kV8MaxWasmArrayNewFixedLength
  dataSegments: 100_000, // kV8MaxWasmDataSegments
  tables: 100_000, // kV8MaxWasmTables
  memories: 100_000, // kV8MaxWasmMemories
  // Out of the fuzzer's reach (each needs an input over its 1 MiB cap), measured all the same:
  types: 1_000_000, // kV8MaxWasmTypes, also the size of one rec group
  functions: 1_000_000, // kV8MaxWasmDefinedFunctions
  imports: 1_000_000, // kV8MaxWasmImports
  exports: 1_000_000, // kV8MaxWasmExports
  globals: 1_000_000, // kV8MaxWasmGlobals
  tags: 1_000_000, // kV8MaxWasmTags
  elemSegments: 10_000_000, // kV8MaxWasmElementSegments
  elemEntries: 10_000_000, // kV8MaxWasmTableInitEntries
  functionSize: 7_654_321, // kV8MaxWasmFunctionSize (bytes of a code entry)
} as const;

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const BR_TABLE = op('br_table');
const ARRAY_NEW_FIXED = op('array.new_fixed');

function anyInstruction(m: Module, test: (ins: Instruction) => boolean): boolean {
  for (const f of m.funcs) for (const ins of f.body) if (test(ins)) return true;
  return false;
}

function memoryLimits(m: Module) {
  const out = m.memories.map((x) => x.limits);
  for (const im of m.imports) if (im.desc.kind === 'memory') out.push(im.desc.type.limits);
  return out;
}

function tableLimits(m: Module) {
  const out = m.tables.map((x) => x.type.limits);
  for (const im of m.imports) if (im.desc.kind === 'table') out.push(im.desc.type.limits);
  return out;
}

function count(m: Module, kind: 'table' | 'memory'): number {
  return (kind === 'table' ? m.tables.length : m.memories.length) + m.imports.filter((i) => i.desc.kind === kind).length;
}

const mod = (fields: Partial<Module>): Module => ({ ...emptyModule(), ...fields });
const funcType = (params: ValType[], results: ValType[]) => ({
  types: [{ final: true, supertypes: [], composite: { kind: 'func' as const, params, results } }],
  explicit: false,
});
const voidFunc = funcType([], []);

export const RULES: readonly Rule[] = [
  {
    id: 'v8-memory64-pages',
    description: `V8 limits a 64-bit memory to ${V8_LIMITS.memory64Pages} pages (16 GiB), minimum and maximum alike; the spec allows 2^48 pages.`,
    v8Message: /(initial|maximum) memory size \(\d+ pages\) is larger than implementation limit \(262144 pages\)/,
    applies: (m) =>
      memoryLimits(m).some(
        (l) => l.address === 'i64' && (l.min > V8_LIMITS.memory64Pages || (l.max !== null && l.max > V8_LIMITS.memory64Pages)),
      ),
    probe: () => mod({ memories: [{ limits: { address: 'i64', min: V8_LIMITS.memory64Pages + 1n, max: null, shared: false } }] }),
  },
  {
    id: 'v8-table-size',
    description: `V8 limits a table's initial size to ${V8_LIMITS.tableSize} elements (its maximum is not limited); the spec allows 2^32 - 1 (2^64 - 1 for table64).`,
    v8Message: /initial table size \(\d+ elements\) is larger than implementation limit \(10000000 elements\)/,
    applies: (m) => tableLimits(m).some((l) => l.min > V8_LIMITS.tableSize),
    probe: () =>
      mod({
        tables: [
          {
            type: { element: { kind: 'ref', nullable: true, heap: 'func' }, limits: { address: 'i32', min: V8_LIMITS.tableSize + 1n, max: null, shared: false } },
            init: null,
          },
        ],
      }),
  },
  {
    id: 'v8-function-params',
    description: `V8 limits a function type to ${V8_LIMITS.params} parameters; the spec has no limit.`,
    v8Message: /param count of \d+ exceeds internal limit of 1000/,
    applies: (m) => typeDefs(m).some((t) => t.composite.kind === 'func' && t.composite.params.length > V8_LIMITS.params),
    probe: () => mod({ types: [funcType(new Array<ValType>(V8_LIMITS.params + 1).fill('i32'), [])] }),
  },
  {
    id: 'v8-function-results',
    description: `V8 limits a function type to ${V8_LIMITS.results} results; the spec has no limit.`,
    v8Message: /return count of \d+ exceeds internal limit of 1000/,
    applies: (m) => typeDefs(m).some((t) => t.composite.kind === 'func' && t.composite.results.length > V8_LIMITS.results),
    probe: () => mod({ types: [funcType([], new Array<ValType>(V8_LIMITS.results + 1).fill('i32'))] }),
  },
  {
    id: 'v8-struct-fields',
    description: `V8 limits a struct type to ${V8_LIMITS.structFields} fields; the spec has no limit.`,
    v8Message: /field count of \d+ exceeds internal limit of 10000/,
    applies: (m) => typeDefs(m).some((t) => t.composite.kind === 'struct' && t.composite.fields.length > V8_LIMITS.structFields),
    probe: () =>
      mod({
        types: [
          {
            types: [{ final: true, supertypes: [], composite: { kind: 'struct', fields: new Array(V8_LIMITS.structFields + 1).fill({ storage: 'i32', mutable: false }) } }],
            explicit: false,
          },
        ],
      }),
  },
  {
    id: 'v8-br-table-size',
    description: `V8 limits a br_table to ${V8_LIMITS.brTable} targets; the spec has no limit.`,
    v8Message: /invalid table count \(> max br_table size\)/,
    applies: (m) =>
      anyInstruction(m, (ins) => ins.op === BR_TABLE && (ins.imm as { targets: readonly number[] }).targets.length > V8_LIMITS.brTable),
    probe: () =>
      mod({
        types: [voidFunc],
        funcs: [
          {
            type: 0,
            locals: [],
            body: [
              { op: op('i32.const'), imm: 0 },
              { op: BR_TABLE, imm: { targets: new Array<number>(V8_LIMITS.brTable + 1).fill(0), default: 0 } },
            ],
          },
        ],
      }),
  },
  {
    id: 'v8-array-new-fixed',
    description: `V8 limits array.new_fixed to ${V8_LIMITS.arrayNewFixed} operands; the spec has no limit.`,
    v8Message: /Requested length \d+ for array\.new_fixed too large, maximum is 10000/,
    applies: (m) =>
      anyInstruction(m, (ins) => ins.op === ARRAY_NEW_FIXED && (ins.imm as { length: number }).length > V8_LIMITS.arrayNewFixed),
    probe: () => {
      const n = V8_LIMITS.arrayNewFixed + 1;
      const body: Instruction[] = [];
      for (let i = 0; i < n; i++) body.push({ op: op('i32.const'), imm: 0 });
      body.push({ op: ARRAY_NEW_FIXED, imm: { type: 0, length: n } }, { op: op('drop'), imm: null });
      return mod({
        types: [
          { types: [{ final: true, supertypes: [], composite: { kind: 'array', element: { storage: 'i32', mutable: false } } }], explicit: false },
          voidFunc,
        ],
        funcs: [{ type: 1, locals: [], body }],
      });
    },
  },
  {
    id: 'v8-data-segments',
    description: `V8 limits a module to ${V8_LIMITS.dataSegments} data segments; the spec allows 2^32 - 1.`,
    v8Message: /data segments count of \d+ exceeds internal limit of 100000/,
    applies: (m) => m.datas.length > V8_LIMITS.dataSegments,
    probe: () => mod({ datas: new Array(V8_LIMITS.dataSegments + 1).fill({ mode: { kind: 'passive' }, bytes: new Uint8Array(0) }) }),
  },
  {
    id: 'v8-tables',
    description: `V8 limits a module to ${V8_LIMITS.tables} defined tables (imported ones are not counted); the spec allows 2^32 - 1.`,
    v8Message: /table count of \d+ exceeds internal limit of 100000/,
    applies: (m) => m.tables.length > V8_LIMITS.tables,
    probe: () =>
      mod({
        tables: new Array(V8_LIMITS.tables + 1).fill({
          type: { element: { kind: 'ref', nullable: true, heap: 'func' }, limits: { address: 'i32', min: 0n, max: null, shared: false } },
          init: null,
        }),
      }),
  },
  {
    id: 'v8-memories',
    description: `V8 limits a module to ${V8_LIMITS.memories} memories in all, of which at most ${V8_LIMITS.memories - 1} imported (its message for imports says "at most ${V8_LIMITS.memories}"); the spec allows 2^32 - 1.`,
    v8Message: /memory count of \d+ exceeds internal limit of 100000|At most 100000 imported memories are supported|Exceeding maximum number of memories \(100000;/,
    applies: (m) => count(m, 'memory') > V8_LIMITS.memories || count(m, 'memory') - m.memories.length >= V8_LIMITS.memories,
    probe: () => mod({ memories: new Array(V8_LIMITS.memories + 1).fill({ limits: { address: 'i32', min: 0n, max: null, shared: false } }) }),
  },
  countRule('v8-types', 'types', V8_LIMITS.types, /types count of \d+ exceeds internal limit of 1000000/, (m) => typeDefs(m).length, () =>
    mod({ types: new Array(V8_LIMITS.types + 1).fill(voidFunc) }),
  ),
  countRule('v8-rec-group-size', 'types in one rec group', V8_LIMITS.types, /recursive group size of \d+ exceeds internal limit of 1000000/, (m) => maxOf(m.types, (g) => g.types.length), () =>
    mod({ types: [{ types: new Array(V8_LIMITS.types + 1).fill(voidFunc.types[0]), explicit: true }] }),
  ),
  countRule('v8-functions', 'defined functions', V8_LIMITS.functions, /functions count of \d+ exceeds internal limit of 1000000/, (m) => m.funcs.length, () =>
    mod({ types: [voidFunc], funcs: new Array(V8_LIMITS.functions + 1).fill({ type: 0, locals: [], body: [] }) }),
  ),
  countRule('v8-imports', 'imports', V8_LIMITS.imports, /imports count of \d+ exceeds internal limit of 1000000/, (m) => m.imports.length, () =>
    mod({ types: [voidFunc], imports: new Array(V8_LIMITS.imports + 1).fill({ module: '', name: '', desc: { kind: 'func', type: 0 } }) }),
  ),
  countRule('v8-exports', 'exports', V8_LIMITS.exports, /exports count of \d+ exceeds internal limit of 1000000/, (m) => m.exports.length, () =>
    mod({
      types: [voidFunc],
      funcs: [{ type: 0, locals: [], body: [] }],
      exports: Array.from({ length: V8_LIMITS.exports + 1 }, (_, i) => ({ name: String(i), kind: 'func' as const, index: 0 })),
    }),
  ),
  countRule('v8-globals', 'defined globals', V8_LIMITS.globals, /globals count of \d+ exceeds internal limit of 1000000/, (m) => m.globals.length, () =>
    mod({ globals: new Array(V8_LIMITS.globals + 1).fill({ type: { type: 'i32', mutable: false }, init: [{ op: op('i32.const'), imm: 0 }] }) }),
  ),
  countRule('v8-tags', 'tags', V8_LIMITS.tags, /tag count of \d+ exceeds internal limit of 1000000/, (m) => m.tags.length, () =>
    mod({ types: [voidFunc], tags: new Array(V8_LIMITS.tags + 1).fill({ type: 0 }) }),
  ),
  countRule('v8-element-segments', 'element segments', V8_LIMITS.elemSegments, /segment count of \d+ exceeds internal limit of 10000000/, (m) => m.elems.length, () =>
    mod({ elems: new Array(V8_LIMITS.elemSegments + 1).fill({ type: { kind: 'ref', nullable: true, heap: 'func' }, mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [] } }) }),
  ),
  countRule('v8-element-entries', 'entries in one element segment', V8_LIMITS.elemEntries, /number of elements of \d+ exceeds internal limit of 10000000/, (m) => maxOf(m.elems, (e) => (e.init.kind === 'funcs' ? e.init.indices.length : e.init.exprs.length)), () =>
    mod({
      types: [voidFunc],
      funcs: [{ type: 0, locals: [], body: [] }],
      elems: [{ type: { kind: 'ref', nullable: true, heap: 'func' }, mode: { kind: 'passive' }, init: { kind: 'funcs', indices: new Array(V8_LIMITS.elemEntries + 1).fill(0) } }],
    }),
  ),
  {
    id: 'v8-u32-limits',
    description:
      'V8 reads the minimum and maximum of a 32-bit memory or table as a u32 LEB128 (at most 5 bytes), where WebAssembly 3.0 reads a u64 (at most 10 bytes) for every address type and then checks the range: a 6- to 10-byte encoding of a small size is malformed for V8 only ("length overflow"). The spec suite tests 10- and 11-byte sizes (binary-leb128.wast), not these.',
    v8Message: /length overflow while decoding (initial|maximum) size/,
    // Our model keeps no encodings: the cause shows as V8 accepting the same module with
    // every number written in its shortest form.
    applies: (m) => (count(m, 'memory') > 0 || count(m, 'table') > 0) && WA.validate(encodeModule(m)),
    probe: () => mod({ memories: [{ limits: { address: 'i32', min: 2n, max: null, shared: false } }] }),
    // (memory 2) with the minimum in six bytes.
    probeBytes: () => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00]),
  },
  {
    id: 'v8-function-size',
    large: true,
    description: `V8 limits a function's code entry to ${V8_LIMITS.functionSize} bytes; the spec has no limit.`,
    v8Message: /size \d+ > maximum function size 7654321/,
    // The model has no sizes: a body of more instructions than that many bytes is too big.
    applies: (m) => m.funcs.some((f) => f.body.length + 2 > V8_LIMITS.functionSize),
    probe: () => mod({ types: [voidFunc], funcs: [{ type: 0, locals: [], body: new Array(V8_LIMITS.functionSize - 1).fill({ op: op('nop'), imm: null }) }] }),
  },
];

/** The largest `f(x)` over `items` (0 for none), without spreading a huge array. */
function maxOf<T>(items: readonly T[], f: (x: T) => number): number {
  let max = 0;
  for (const x of items) max = Math.max(max, f(x));
  return max;
}

/** A rule for a V8 limit on how many of something a module has (all large probes). */
function countRule(id: string, what: string, limit: number, v8Message: RegExp, countOf: (m: Module) => number, probe: () => Module): Rule {
  return {
    id,
    large: true,
    description: `V8 limits a module to ${limit} ${what}; the spec allows 2^32 - 1.`,
    v8Message,
    applies: (m) => countOf(m) > limit,
    probe,
  };
}

/** The rule explaining why V8 rejected (`message`) a module we accepted (`m`), or null. */
export function explain(m: Module, message: string): Rule | null {
  for (const rule of RULES) if (rule.v8Message.test(message) && rule.applies(m)) return rule;
  return null;
}

// ---------------------------------------------------------------------------------------
// Modules V8 accepts and we reject. Such a rule names the instruction our error points
// at and repairs it (takes the cause out); the oracle then validates the repaired module
// again, so that a module is explained only when every reason we have to reject it is.

export interface RejectRule {
  readonly id: string;
  readonly description: string;
  /** Our ValidationError's reason must match this. */
  readonly reason: RegExp;
  /**
   * The module without the cause, when instruction `instr` of defined function
   * `defined` (the one our error names) is what the rule is about; otherwise null.
   */
  readonly repair: (m: Module, defined: number, instr: number) => Module | null;
  /** A module we reject and V8 accepts for this reason alone. */
  readonly probe: () => Module;
}

const REF_EQ = op('ref.eq');
const REF_AS_NON_NULL = op('ref.as_non_null');
const BR_ON_NULL = op('br_on_null');
const BR_ON_NON_NULL = op('br_on_non_null');
const TRY_TABLE = op('try_table');
const LOOP = op('loop');
const DROP = op('drop');
const I32_CONST = op('i32.const');
const OPENERS = new Set(['block', 'loop', 'if', 'try', 'try_table'].map(op));
const RESTARTS = new Set(['else', 'catch', 'catch_all'].map(op));
const CLOSERS = new Set(['end', 'delegate'].map(op));
const STOPS = new Set(
  ['unreachable', 'br', 'br_table', 'return', 'throw', 'throw_ref', 'rethrow', 'return_call', 'return_call_indirect', 'return_call_ref'].map(op),
);

/** `m` with the body of its defined function `defined` replaced. */
function withBody(m: Module, defined: number, body: Instruction[]): Module {
  const funcs = m.funcs.slice();
  funcs[defined] = { ...m.funcs[defined]!, body };
  return { ...m, funcs };
}

/** Whether instruction `at` of `body` is unreachable: after a branch, return, throw… in its block. */
export function unreachableAt(body: readonly Instruction[], at: number): boolean {
  const frames: boolean[] = [false];
  for (let i = 0; i < at && i < body.length; i++) {
    const o = body[i]!.op;
    if (OPENERS.has(o)) frames.push(false);
    else if (RESTARTS.has(o)) frames[frames.length - 1] = false;
    else if (CLOSERS.has(o)) {
      if (frames.length > 1) frames.pop();
    } else if (STOPS.has(o)) frames[frames.length - 1] = true;
  }
  return frames[frames.length - 1]!;
}

export const REJECT_RULES: readonly RejectRule[] = [
  {
    id: 'v8-unreachable-ref-eq',
    description:
      'In unreachable code V8 does not check the operand types of ref.eq: it accepts `unreachable i32.const 0 i32.const 0 ref.eq`, which the spec rejects (the operands are real i32 values, not the polymorphic stack). Only ref.eq: every other instruction is checked there (measured on about twenty).',
    reason: /^type mismatch/,
    repair: (m, defined, instr) => {
      const f = m.funcs[defined];
      if (f === undefined || f.body[instr]?.op !== REF_EQ || !unreachableAt(f.body, instr)) return null;
      return withBody(m, defined, [...f.body.slice(0, instr), { op: DROP, imm: null }, { op: DROP, imm: null }, { op: I32_CONST, imm: 0 }, ...f.body.slice(instr + 1)]);
    },
    probe: () =>
      mod({
        types: [voidFunc],
        funcs: [
          {
            type: 0,
            locals: [],
            body: [{ op: op('unreachable'), imm: null }, { op: I32_CONST, imm: 0 }, { op: I32_CONST, imm: 0 }, { op: REF_EQ, imm: null }, { op: DROP, imm: null }],
          },
        ],
      }),
  },
  {
    id: 'v8-unreachable-bottom-ref',
    description:
      'In unreachable code V8 types the result of ref.as_non_null and br_on_null applied to the polymorphic stack as the bottom type, which matches anything; the spec types it as a non-null reference (ref bot), so that `unreachable ref.as_non_null f32.abs` is invalid: the spec suite asserts exactly that (unreached-invalid.wast:699), and V8 accepts the module.',
    reason: /^type mismatch.*\(ref bot\)/,
    repair: (m, defined, instr) => {
      const f = m.funcs[defined];
      if (f === undefined) return null;
      const drop: number[] = [];
      for (let j = 0; j < instr && j < f.body.length; j++) {
        const o = f.body[j]!.op;
        if ((o === REF_AS_NON_NULL || o === BR_ON_NULL) && unreachableAt(f.body, j)) drop.push(j);
      }
      if (drop.length === 0) return null;
      // Without them the operand stays the polymorphic stack's bottom, as V8 types it.
      return withBody(m, defined, f.body.filter((_, j) => !drop.includes(j)));
    },
    probe: () =>
      mod({
        types: [voidFunc],
        funcs: [
          {
            type: 0,
            locals: [],
            body: [{ op: op('unreachable'), imm: null }, { op: REF_AS_NON_NULL, imm: null }, { op: op('f32.abs'), imm: null }, { op: DROP, imm: null }],
          },
        ],
      }),
  },
  {
    id: 'v8-br-on-non-null-label',
    description:
      "V8 does not require br_on_non_null's label to end in a reference type: it accepts a label that takes nothing (`block ref.null func br_on_non_null 0 end`; the reference is then dropped on the branch) and, in unreachable code, a label of any type; the spec requires the label's types to be [t* (ref ht)], as the reference interpreter checks.",
    reason: /^type mismatch: (br_on_non_null requires a label with a reference type|instruction requires type \(ref bot\) but label has)/,
    repair: (m, defined, instr) => {
      const f = m.funcs[defined];
      const ins = f?.body[instr];
      if (f === undefined || ins === undefined || ins.op !== BR_ON_NON_NULL) return null;
      const label = ins.imm as number;
      const fc = typeDefs(m)[f.type]?.composite;
      const types = labelTypes(m, f.body, instr, label, fc?.kind === 'func' ? fc.results.length : 0);
      if (types === null) return null;
      // Arity 0: what V8 does (branch when non-null, dropping the reference) in spec terms.
      // Otherwise, in unreachable code V8 checks nothing: take the instruction's check out.
      let by: Instruction[];
      if (types === 0) by = [{ op: op('ref.is_null'), imm: null }, { op: op('i32.eqz'), imm: null }, { op: op('br_if'), imm: label }];
      else if (unreachableAt(f.body, instr)) by = [{ op: DROP, imm: null }];
      else return null;
      return withBody(m, defined, [...f.body.slice(0, instr), ...by, ...f.body.slice(instr + 1)]);
    },
    probe: () =>
      mod({
        types: [voidFunc],
        funcs: [
          {
            type: 0,
            locals: [],
            body: [{ op: op('block'), imm: null }, { op: op('ref.null'), imm: 'func' }, { op: BR_ON_NON_NULL, imm: 0 }, { op: op('end'), imm: null }],
          },
        ],
      }),
  },
];

/**
 * How many values a branch from instruction `at` of `body` to `label` carries, or null
 * when there is no such label.
 */
function labelTypes(m: Module, body: readonly Instruction[], at: number, label: number, results: number): number | null {
  const defs = typeDefs(m);
  const arity = (bt: unknown, loop: boolean): number => {
    if (bt === null) return 0;
    if (typeof bt !== 'number') return loop ? 0 : 1;
    const c = defs[bt]?.composite;
    return c?.kind === 'func' ? (loop ? c.params.length : c.results.length) : 0;
  };
  const frames: number[] = [];
  for (let i = 0; i < at; i++) {
    const ins = body[i]!;
    if (OPENERS.has(ins.op)) {
      const bt = ins.op === TRY_TABLE ? (ins.imm as { type: unknown }).type : ins.imm;
      frames.push(arity(bt, ins.op === LOOP));
    } else if (CLOSERS.has(ins.op)) frames.pop();
  }
  if (label < frames.length) return frames[frames.length - 1 - label]!;
  if (label === frames.length) return results; // the function's own label
  return null;
}

/**
 * Modules V8 accepts and our decoder rejects. The rule repairs the bytes at our error's
 * offset (and says how to correct the decoded model for what the repair changed); the
 * oracle decodes and validates the repaired module again.
 */
export interface DecodeRejectRule {
  readonly id: string;
  readonly description: string;
  /** Our DecodeError's reason must match this. */
  readonly reason: RegExp;
  /** Repaired bytes and a model correction, when the rule is about `offset`; else null. */
  readonly repair: (bytes: Uint8Array, offset: number) => { bytes: Uint8Array; fix: (m: Module) => Module } | null;
  /** Bytes we reject and V8 accepts for this reason alone. */
  readonly probe: () => Uint8Array;
}

const NUMERIC_TYPE_CODES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b]);

function decodedOrNull(bytes: Uint8Array): Module | null {
  try {
    return decodeModule(bytes);
  } catch {
    return null;
  }
}

export const DECODE_REJECT_RULES: readonly DecodeRejectRule[] = [
  {
    id: 'v8-numeric-elem-type',
    description:
      'V8 accepts a number or vector type (i32, i64, f32, f64, v128) as the element type of a passive or declarative element segment with expressions (flags 5 and 7), and checks the expressions against it; the binary format only has reference types there ("malformed reference type"). An active segment with such a type is rejected by V8 too (not a subtype of the table\'s type).',
    reason: /^malformed reference type/,
    repair: (bytes, offset) => {
      if (!NUMERIC_TYPE_CODES.has(bytes[offset] ?? -1)) return null;
      // Which segment is it? The one whose type follows the byte at `offset`.
      const asFunc = bytes.slice();
      asFunc[offset] = 0x70;
      const asExtern = bytes.slice();
      asExtern[offset] = 0x6f;
      const a = decodedOrNull(asFunc);
      const b = decodedOrNull(asExtern);
      if (a === null || b === null || a.elems.length !== b.elems.length) return null;
      const i = a.elems.findIndex((e, k) => e.type.heap === 'func' && b.elems[k]!.type.heap === 'extern');
      const seg = a.elems[i];
      if (seg === undefined || seg.mode.kind === 'active' || seg.init.kind !== 'exprs') return null;
      const n = seg.init.exprs.length;
      return {
        bytes: asFunc,
        fix: (m) => {
          const elems = m.elems.slice();
          const e = elems[i]!;
          elems[i] = { ...e, init: { kind: 'exprs', exprs: new Array(n).fill([{ op: op('ref.null'), imm: 'func' }]) } };
          return { ...m, elems };
        },
      };
    },
    // (elem declare i32 (i32.const 0)) in the binary format.
    probe: () => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x09, 0x07, 0x01, 0x07, 0x7f, 0x01, 0x41, 0x00, 0x0b]),
  },
];

/** Where our validation error points: "(in function F, instruction K)", or null. */
export function errorSite(m: Module, reason: string): { defined: number; instr: number } | null {
  const at = /\(in function (\d+), instruction (\d+)\)/.exec(reason);
  if (at === null) return null;
  let imported = 0;
  for (const im of m.imports) if (im.desc.kind === 'func') imported++;
  return { defined: Number(at[1]) - imported, instr: Number(at[2]) };
}
