// Explained differences: the documented ways in which V8's `WebAssembly.validate` (Node.js
// 24, V8 13.6) and our decoder and validator may disagree on a module. A disagreement is
// explained only when a rule names it: the module must show the rule's cause (checked on
// our model of it) and V8's own error message must say the same thing. Every rule
// carries a probe, a module just past the limit, that the tests run against the V8 at
// hand, so that a rule which no longer holds (V8 changed) fails the build instead of
// silently explaining real bugs away.
//
// All rules so far are V8 implementation limits (V8's src/wasm/wasm-limits.h): the
// specification leaves such limits to implementations (spec appendix "Implementation
// Limitations"), and our validator deliberately keeps only the spec's own bounds, except
// for the two limits that every engine shares and the spec suite tests (50000 locals,
// 63 levels of declared supertypes), which both sides enforce.

import { op } from '../src/model/opcodes.ts';
import type { Instruction } from '../src/model/instruction.ts';
import type { Module, ValType } from '../src/model/types.ts';
import { emptyModule, typeDefs } from '../src/model/types.ts';

export interface Rule {
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
} as const;

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
    description: `V8 limits a module to ${V8_LIMITS.tables} tables, imported ones included; the spec allows 2^32 - 1.`,
    v8Message: /table count of \d+ exceeds internal limit of 100000/,
    applies: (m) => count(m, 'table') > V8_LIMITS.tables,
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
    description: `V8 limits a module to ${V8_LIMITS.memories} memories, imported ones included; the spec allows 2^32 - 1.`,
    v8Message: /memory count of \d+ exceeds internal limit of 100000/,
    applies: (m) => count(m, 'memory') > V8_LIMITS.memories,
    probe: () => mod({ memories: new Array(V8_LIMITS.memories + 1).fill({ limits: { address: 'i32', min: 0n, max: null, shared: false } }) }),
  },
];

/** The rule explaining why V8 rejected (`message`) a module we accepted (`m`), or null. */
export function explain(m: Module, message: string): Rule | null {
  for (const rule of RULES) if (rule.v8Message.test(message) && rule.applies(m)) return rule;
  return null;
}
