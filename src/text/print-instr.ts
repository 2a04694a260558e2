// Instructions for the printer (spec §6.5 "Instructions"): every immediate kind of the
// instruction table, and function bodies laid out flat (one instruction per line,
// indented by block depth) or folded (S-expressions `(op operand…)`, `(block …)`,
// `(if cond (then …) (else …))`, `(try (do …) (catch …))`).
//
// Folding never reorders: an expression `(op a b)` is written only where `a`, `b`, `op`
// are consecutive in the body, so reading it back always gives the same instructions.
// Operand counts come from the instruction table's signatures and, for calls, branches
// and GC instructions, from the module; where a count is unknown the instruction is
// written without operands (still correct, just flatter). Nesting is bounded: a body
// whose blocks nest deeper than MAX_FOLD_BLOCKS is printed flat, and an expression is
// not folded beyond MAX_FOLD_DEPTH, so printing never recurses deeply.

import type { Instruction, MemArg } from '../model/instruction.ts';
import type { Catch, TryTable, BrTable, BrOnCast, CallIndirect, IndexPair, StructField } from '../model/instruction.ts';
import { INSTRUCTIONS, op as opNamed, sigOf } from '../model/opcodes.ts';
import type { BlockType, HeapType, RefType, SubType, ValType } from '../model/types.ts';
import { formatF32, formatF64, formatV128 } from './print-numbers.ts';
import { idText, refText, type SpaceIds } from './print-names.ts';
import type { TypePrinter } from './print-types.ts';

/** What instructions refer to: the module's index spaces and their identifiers. */
export interface ModuleView {
  readonly tp: TypePrinter;
  readonly defs: readonly SubType[];
  /** Type index of every function (imports first). */
  readonly funcTypes: readonly number[];
  /** Type index of every tag (imports first). */
  readonly tagTypes: readonly number[];
  readonly funcs: SpaceIds;
  readonly tables: SpaceIds;
  readonly memories: SpaceIds;
  readonly globals: SpaceIds;
  readonly tags: SpaceIds;
  readonly elems: SpaceIds;
  readonly datas: SpaceIds;
}

const OP_BLOCK = opNamed('block');
const OP_LOOP = opNamed('loop');
const OP_IF = opNamed('if');
const OP_ELSE = opNamed('else');
const OP_END = opNamed('end');
const OP_TRY = opNamed('try');
const OP_TRY_TABLE = opNamed('try_table');
const OP_CATCH = opNamed('catch');
const OP_CATCH_ALL = opNamed('catch_all');
const OP_DELEGATE = opNamed('delegate');

/** Per row: 1 block start, 2 else, 3 end, 4 catch / catch_all, 5 delegate, 0 other. */
const STRUCT = new Uint8Array(INSTRUCTIONS.length);
for (const o of [OP_BLOCK, OP_LOOP, OP_IF, OP_TRY, OP_TRY_TABLE]) STRUCT[o] = 1;
STRUCT[OP_ELSE] = 2;
STRUCT[OP_END] = 3;
STRUCT[OP_CATCH] = 4;
STRUCT[OP_CATCH_ALL] = 4;
STRUCT[OP_DELEGATE] = 5;

const NAMES: readonly string[] = INSTRUCTIONS.map((i) => i.name);

/** Fixed operand / result counts from the table (-1: computed or unknown). */
const FIXED_PARAMS = new Int16Array(INSTRUCTIONS.length).fill(-1);
const FIXED_RESULTS = new Int16Array(INSTRUCTIONS.length).fill(-1);
for (let o = 0; o < INSTRUCTIONS.length; o++) {
  const sig = sigOf(o);
  if (sig !== null) {
    FIXED_PARAMS[o] = sig.params.length;
    FIXED_RESULTS[o] = sig.results.length;
  }
}
/** Counts for rows without a fixed signature whose counts do not depend on the module. */
const OTHER_COUNTS: Readonly<Record<string, readonly [number, number]>> = {
  unreachable: [0, 0],
  nop: [0, 0],
  drop: [1, 0],
  'local.get': [0, 1],
  'local.set': [1, 0],
  'local.tee': [1, 1],
  'global.get': [0, 1],
  'global.set': [1, 0],
  'memory.copy': [3, 0],
  'table.init': [3, 0],
  'table.copy': [3, 0],
  'table.get': [1, 1],
  'table.set': [2, 0],
  'table.grow': [2, 1],
  'table.size': [0, 1],
  'table.fill': [3, 0],
  'ref.null': [0, 1],
  'ref.is_null': [1, 1],
  'ref.func': [0, 1],
  'ref.as_non_null': [1, 1],
  'throw_ref': [1, 0],
  rethrow: [0, 0],
  'struct.new_default': [0, 1],
  'struct.get': [1, 1],
  'struct.get_s': [1, 1],
  'struct.get_u': [1, 1],
  'struct.set': [2, 0],
  'array.new': [2, 1],
  'array.new_default': [1, 1],
  'array.new_data': [2, 1],
  'array.new_elem': [2, 1],
  'array.get': [2, 1],
  'array.get_s': [2, 1],
  'array.get_u': [2, 1],
  'array.set': [3, 0],
  'array.fill': [4, 0],
  'array.copy': [5, 0],
  'array.init_data': [4, 0],
  'array.init_elem': [4, 0],
  'ref.test': [1, 1],
  'ref.cast': [1, 1],
  'any.convert_extern': [1, 1],
  'extern.convert_any': [1, 1],
  'ref.i31': [1, 1],
};
for (const [name, [p, r]] of Object.entries(OTHER_COUNTS)) {
  const o = INSTRUCTIONS.findIndex((i) => i.name === name);
  if (o >= 0) {
    FIXED_PARAMS[o] = p;
    FIXED_RESULTS[o] = r;
  }
}
const OP_BR = opNamed('br');
const OP_BR_IF = opNamed('br_if');
const OP_BR_TABLE = opNamed('br_table');
const OP_RETURN = opNamed('return');
const OP_CALL = opNamed('call');
const OP_RETURN_CALL = opNamed('return_call');
const OP_CALL_INDIRECT = opNamed('call_indirect');
const OP_RETURN_CALL_INDIRECT = opNamed('return_call_indirect');
const OP_CALL_REF = opNamed('call_ref');
const OP_RETURN_CALL_REF = opNamed('return_call_ref');
const OP_SELECT = opNamed('select');
const OP_THROW = opNamed('throw');
const OP_BR_ON_NULL = opNamed('br_on_null');
const OP_BR_ON_NON_NULL = opNamed('br_on_non_null');
const OP_BR_ON_CAST = opNamed('br_on_cast');
const OP_BR_ON_CAST_FAIL = opNamed('br_on_cast_fail');
const OP_STRUCT_NEW = opNamed('struct.new');
const OP_ARRAY_NEW_FIXED = opNamed('array.new_fixed');

/** Blocks nested deeper than this make the printer write the whole body flat. */
const MAX_FOLD_BLOCKS = 200;
/** Folded expressions are not built deeper than this. */
const MAX_FOLD_DEPTH = 100;
/** Folded expressions up to this many characters go on one line. */
const ONE_LINE = 80;
/** Indentation stops growing at this depth (bounded output for deeply nested code). */
const MAX_INDENT = 40;

const K_EXPR = 0;
const K_BLOCK = 1;
const K_IF = 2;
const K_TRY = 3;

interface Handler {
  readonly text: string;
  readonly body: FoldNode[];
}

/** A folded expression or structured instruction. */
class FoldNode {
  kind: number;
  text: string;
  /** Values left on the stack (-1: unknown, which stops folding into a parent). */
  results: number;
  depth = 1;
  /** Operands, or the condition of an `if`. */
  children: FoldNode[] | null = null;
  /** Block body, `then` or `do`. */
  body: FoldNode[] | null = null;
  alt: FoldNode[] | null = null;
  handlers: Handler[] | null = null;
  delegate: string | null = null;
  /** The whole node on one line, when short and free of blocks. */
  line: string | null = null;

  constructor(kind: number, text: string, results: number) {
    this.kind = kind;
    this.text = text;
    this.results = results;
  }
}

/** Per-function identifiers: locals and label names. */
export interface FuncNames {
  readonly locals: SpaceIds | null;
  /** Label index (order of block instructions) → name. */
  readonly labels: ReadonlyMap<number, string> | null;
}

/** Prints instructions and bodies; one instance per module print. */
export class InstrPrinter {
  readonly m: ModuleView;
  readonly folded: boolean;
  private readonly indentUnit: string;
  private readonly indents: string[] = [''];

  // Per-function state.
  private locals: SpaceIds | null = null;
  private labelNames: ReadonlyMap<number, string> | null = null;
  private labelCount = 0;
  /** Label identifiers of the open blocks, innermost last. */
  private labelIds: (string | null)[] = [];
  /** Values a branch to each open label carries (-1: unknown). */
  private labelArity: number[] = [];
  private funcResults = -1;
  // Results of `counts` (kept in fields to avoid allocating).
  private cp = 0;
  private cr = 0;

  constructor(m: ModuleView, folded: boolean, indent: string) {
    this.m = m;
    this.folded = folded;
    this.indentUnit = indent;
  }

  indent(level: number): string {
    if (level > MAX_INDENT) level = MAX_INDENT;
    const indents = this.indents;
    while (indents.length <= level) indents.push(indents[indents.length - 1]! + this.indentUnit);
    return indents[level]!;
  }

  /** Sets the function whose body is printed next (null names: a constant expression). */
  begin(names: FuncNames | null, results: number): void {
    this.locals = names?.locals ?? null;
    this.labelNames = names?.labels ?? null;
    this.labelCount = 0;
    this.labelIds.length = 0;
    this.labelArity.length = 0;
    this.funcResults = results;
  }

  // ── immediates ─────────────────────────────────────────────────────────────────────

  private localRef(i: number): string {
    return this.locals === null ? String(i) : refText(this.locals, i);
  }

  private labelRef(depth: number): string {
    const ids = this.labelIds;
    const i = ids.length - 1 - depth;
    if (i < 0 || this.labelNames === null) return String(depth);
    const id = ids[i];
    if (id == null) return String(depth);
    for (let j = i + 1; j < ids.length; j++) if (ids[j] === id) return String(depth); // shadowed
    return id;
  }

  /** ` $id` / ` N` for a table or memory index, or '' for index 0 (the default). */
  private static opt(space: SpaceIds, index: number): string {
    return index === 0 ? '' : ' ' + refText(space, index);
  }

  private memarg(o: number, m: MemArg): string {
    let s = InstrPrinter.opt(this.m.memories, m.memory);
    if (m.offset !== 0n) s += ` offset=${m.offset}`;
    if (m.align !== INSTRUCTIONS[o]!.natural) {
      s += ` align=${m.align < 31 ? String(1 << m.align) : (1n << BigInt(m.align)).toString()}`;
    }
    return s;
  }

  private blockType(bt: BlockType): string {
    if (bt === null) return '';
    if (typeof bt === 'number') {
      const tp = this.m.tp;
      const t = this.m.defs[bt];
      const sig = t !== undefined && t.composite.kind === 'func' ? tp.signature(t.composite.params, t.composite.results) : '';
      return ` (type ${tp.typeRef(bt)})${sig}`;
    }
    return ` (result ${this.m.tp.valType(bt)})`;
  }

  private heap(h: HeapType): string {
    return this.m.tp.heapType(h);
  }

  private ref(t: RefType): string {
    return this.m.tp.refType(t);
  }

  /** The text of a non-structural instruction: mnemonic and immediates. */
  instrText(ins: Instruction): string {
    const o = ins.op;
    const info = INSTRUCTIONS[o]!;
    const name = info.name;
    const m = this.m;
    const imm = ins.imm;
    switch (info.imm) {
      case 'none':
      case 'atomic_fence':
        return name;
      case 'local':
        return `${name} ${this.localRef(imm as number)}`;
      case 'global':
        return `${name} ${refText(m.globals, imm as number)}`;
      case 'i32':
        return `${name} ${imm as number}`;
      case 'i64':
        return `${name} ${imm as bigint}`;
      case 'f32':
        return `${name} ${formatF32(imm as number)}`;
      case 'f64':
        return `${name} ${formatF64(imm as bigint)}`;
      case 'v128':
        return `${name} ${formatV128(imm as Uint8Array)}`;
      case 'memarg':
        return name + this.memarg(o, imm as MemArg);
      case 'memarg_lane': {
        const ml = imm as { memarg: MemArg; lane: number };
        return `${name}${this.memarg(o, ml.memarg)} ${ml.lane}`;
      }
      case 'label':
        return `${name} ${this.labelRef(imm as number)}`;
      case 'br_table': {
        const bt = imm as BrTable;
        let s = name;
        for (const t of bt.targets) s += ' ' + this.labelRef(t);
        return `${s} ${this.labelRef(bt.default)}`;
      }
      case 'br_on_cast': {
        const b = imm as BrOnCast;
        return `${name} ${this.labelRef(b.label)} ${this.ref(b.from)} ${this.ref(b.to)}`;
      }
      case 'func':
        return `${name} ${refText(m.funcs, imm as number)}`;
      case 'call_indirect': {
        const c = imm as CallIndirect;
        return `${name}${InstrPrinter.opt(m.tables, c.table)} (type ${m.tp.typeRef(c.type)})`;
      }
      case 'type':
        return `${name} ${m.tp.typeRef(imm as number)}`;
      case 'table':
        return name + InstrPrinter.opt(m.tables, imm as number);
      case 'memory':
        return name + InstrPrinter.opt(m.memories, imm as number);
      case 'tag':
        return `${name} ${refText(m.tags, imm as number)}`;
      case 'elem':
        return `${name} ${refText(m.elems, imm as number)}`;
      case 'data':
        return `${name} ${refText(m.datas, imm as number)}`;
      case 'table_init': {
        const t = imm as { elem: number; table: number };
        return `${name}${InstrPrinter.opt(m.tables, t.table)} ${refText(m.elems, t.elem)}`;
      }
      case 'memory_init': {
        const t = imm as { data: number; memory: number };
        return `${name}${InstrPrinter.opt(m.memories, t.memory)} ${refText(m.datas, t.data)}`;
      }
      case 'table_copy':
      case 'memory_copy': {
        const p = imm as IndexPair;
        const space = info.imm === 'table_copy' ? m.tables : m.memories;
        if (p.dst === 0 && p.src === 0) return name;
        return `${name} ${refText(space, p.dst)} ${refText(space, p.src)}`;
      }
      case 'lane':
        return `${name} ${imm as number}`;
      case 'shuffle': {
        const lanes = imm as Uint8Array;
        let s = name;
        for (let i = 0; i < lanes.length; i++) s += ' ' + lanes[i]!;
        return s;
      }
      case 'select': {
        const types = imm as readonly ValType[] | null;
        if (types === null) return name;
        return types.length === 0 ? `${name} (result)` : `${name} (result ${m.tp.valTypes(types)})`;
      }
      case 'heap_type':
        return `${name} ${this.heap(imm as HeapType)}`;
      case 'ref_type':
        return `${name} ${this.ref(imm as RefType)}`;
      case 'struct_field': {
        const sf = imm as StructField;
        const fields = m.tp.fields.get(sf.type);
        const field = fields === undefined ? String(sf.field) : refText(fields, sf.field);
        return `${name} ${m.tp.typeRef(sf.type)} ${field}`;
      }
      case 'array_fixed': {
        const a = imm as { type: number; length: number };
        return `${name} ${m.tp.typeRef(a.type)} ${a.length}`;
      }
      case 'array_data': {
        const a = imm as { type: number; data: number };
        return `${name} ${m.tp.typeRef(a.type)} ${refText(m.datas, a.data)}`;
      }
      case 'array_elem': {
        const a = imm as { type: number; elem: number };
        return `${name} ${m.tp.typeRef(a.type)} ${refText(m.elems, a.elem)}`;
      }
      case 'array_copy': {
        const p = imm as IndexPair;
        return `${name} ${m.tp.typeRef(p.dst)} ${m.tp.typeRef(p.src)}`;
      }
      case 'block':
      case 'try_table':
        return this.blockHead(ins);
    }
  }

  /** `block $l (result …)` for a block start; pushes its label. */
  private blockHead(ins: Instruction): string {
    const o = ins.op;
    let bt: BlockType;
    let catches = '';
    if (o === OP_TRY_TABLE) {
      const tt = ins.imm as TryTable;
      bt = tt.type;
      // Catch labels are resolved outside the try_table's own label.
      for (const c of tt.catches as readonly Catch[]) {
        const tag = c.tag === null ? '' : ' ' + refText(this.m.tags, c.tag);
        catches += ` (${c.kind}${tag} ${this.labelRef(c.label)})`;
      }
    } else {
      bt = ins.imm as BlockType;
    }
    const index = this.labelCount++;
    const labelName = this.labelNames?.get(index);
    const id = labelName === undefined || labelName === '' ? null : idText(labelName);
    this.labelIds.push(id);
    this.labelArity.push(this.blockArity(bt, o === OP_LOOP));
    return `${NAMES[o]!}${id === null ? '' : ' ' + id}${this.blockType(bt)}${catches}`;
  }

  private popLabel(): void {
    this.labelIds.pop();
    this.labelArity.pop();
  }

  // ── operand counts (folded layout) ─────────────────────────────────────────────────

  /** Param (loop) or result count of a block type; -1 when unknown. */
  private blockArity(bt: BlockType, params: boolean): number {
    if (bt === null) return 0;
    if (typeof bt !== 'number') return params ? 0 : 1;
    const t = this.m.defs[bt];
    if (t === undefined || t.composite.kind !== 'func') return -1;
    return params ? t.composite.params.length : t.composite.results.length;
  }

  private funcTypeCounts(typeIndex: number | undefined, extra: number, tail: boolean): void {
    const t = typeIndex === undefined ? undefined : this.m.defs[typeIndex];
    if (t === undefined || t.composite.kind !== 'func') {
      this.cp = -1;
      return;
    }
    this.cp = t.composite.params.length + extra;
    this.cr = tail ? 0 : t.composite.results.length;
  }

  private labelArityAt(depth: number): number {
    const i = this.labelArity.length - 1 - depth;
    return i < 0 ? (i === -1 ? this.funcResults : -1) : this.labelArity[i]!;
  }

  /** Sets cp / cr to the operand and result counts of `ins` (cp = -1: unknown). */
  private counts(ins: Instruction): void {
    const o = ins.op;
    const p = FIXED_PARAMS[o]!;
    if (p >= 0) {
      this.cp = p;
      this.cr = FIXED_RESULTS[o]!;
      return;
    }
    const m = this.m;
    this.cp = -1;
    this.cr = -1;
    switch (o) {
      case OP_CALL:
      case OP_RETURN_CALL:
        this.funcTypeCounts(m.funcTypes[ins.imm as number], 0, o === OP_RETURN_CALL);
        return;
      case OP_CALL_INDIRECT:
      case OP_RETURN_CALL_INDIRECT:
        this.funcTypeCounts((ins.imm as CallIndirect).type, 1, o === OP_RETURN_CALL_INDIRECT);
        return;
      case OP_CALL_REF:
      case OP_RETURN_CALL_REF:
        this.funcTypeCounts(ins.imm as number, 1, o === OP_RETURN_CALL_REF);
        return;
      case OP_THROW:
        this.funcTypeCounts(m.tagTypes[ins.imm as number], 0, true);
        return;
      case OP_SELECT: {
        const types = ins.imm as readonly ValType[] | null;
        if (types === null || types.length === 1) {
          this.cp = 3;
          this.cr = 1;
        }
        return;
      }
      case OP_RETURN:
        if (this.funcResults >= 0) {
          this.cp = this.funcResults;
          this.cr = 0;
        }
        return;
      case OP_BR:
      case OP_BR_IF:
      case OP_BR_TABLE:
      case OP_BR_ON_NULL:
      case OP_BR_ON_NON_NULL:
      case OP_BR_ON_CAST:
      case OP_BR_ON_CAST_FAIL: {
        const depth =
          o === OP_BR_TABLE ? (ins.imm as BrTable).default : o === OP_BR_ON_CAST || o === OP_BR_ON_CAST_FAIL ? (ins.imm as BrOnCast).label : (ins.imm as number);
        const a = this.labelArityAt(depth);
        if (a < 0) return;
        if (o === OP_BR) [this.cp, this.cr] = [a, 0];
        else if (o === OP_BR_IF) [this.cp, this.cr] = [a + 1, a];
        else if (o === OP_BR_TABLE) [this.cp, this.cr] = [a + 1, 0];
        else if (o === OP_BR_ON_NULL) [this.cp, this.cr] = [a + 1, a + 1];
        else if (o === OP_BR_ON_NON_NULL) {
          if (a >= 1) [this.cp, this.cr] = [a, a - 1];
        } else if (a >= 1) [this.cp, this.cr] = [a, a];
        return;
      }
      case OP_STRUCT_NEW: {
        const t = m.defs[ins.imm as number];
        if (t !== undefined && t.composite.kind === 'struct') {
          this.cp = t.composite.fields.length;
          this.cr = 1;
        }
        return;
      }
      case OP_ARRAY_NEW_FIXED:
        this.cp = (ins.imm as { length: number }).length;
        this.cr = 1;
        return;
    }
  }

  // ── bodies ─────────────────────────────────────────────────────────────────────────

  /**
   * Appends the lines of `body` at indentation `level` to `out` (each line ends in
   * `\n`). Call `begin` first.
   */
  printBody(out: string[], body: readonly Instruction[], level: number): void {
    if (this.folded && foldable(body)) this.printFolded(out, body, level);
    else this.printFlat(out, body, level);
  }

  private printFlat(out: string[], body: readonly Instruction[], base: number): void {
    let level = base;
    for (let i = 0; i < body.length; i++) {
      const ins = body[i]!;
      const o = ins.op;
      switch (STRUCT[o]) {
        case 1:
          out.push(this.indent(level) + this.blockHead(ins) + '\n');
          level++;
          break;
        case 2:
        case 4:
          out.push(this.indent(level > base ? level - 1 : level) + this.instrText(ins) + '\n');
          break;
        case 3:
          if (level > base) {
            level--;
            this.popLabel();
          }
          out.push(this.indent(level) + 'end\n');
          break;
        case 5:
          if (level > base) {
            level--;
            this.popLabel();
          }
          out.push(this.indent(level) + this.instrText(ins) + '\n');
          break;
        default:
          out.push(this.indent(level) + this.instrText(ins) + '\n');
      }
    }
  }

  /** Groups the body into folded nodes. The body's structure must be well formed. */
  private build(body: readonly Instruction[]): FoldNode[] {
    const root: FoldNode[] = [];
    let cur = root;
    const frames: FoldNode[] = [];
    const parents: FoldNode[][] = [];
    for (let i = 0; i < body.length; i++) {
      const ins = body[i]!;
      const o = ins.op;
      switch (STRUCT[o]) {
        case 1: {
          const bt = o === OP_TRY_TABLE ? (ins.imm as TryTable).type : (ins.imm as BlockType);
          const results = this.blockArity(bt, false);
          const kind = o === OP_IF ? K_IF : o === OP_TRY ? K_TRY : K_BLOCK;
          const node = new FoldNode(kind, '', results);
          if (o === OP_IF) {
            const params = this.blockArity(bt, true);
            if (params >= 0) node.children = takeOperands(cur, params + 1);
          }
          node.text = this.blockHead(ins);
          node.body = [];
          if (kind === K_TRY) node.handlers = [];
          cur.push(node);
          frames.push(node);
          parents.push(cur);
          cur = node.body;
          break;
        }
        case 2: {
          const node = frames[frames.length - 1]!;
          node.alt = [];
          cur = node.alt;
          break;
        }
        case 4: {
          const node = frames[frames.length - 1]!;
          const h: Handler = { text: this.instrText(ins), body: [] };
          node.handlers!.push(h);
          cur = h.body;
          break;
        }
        case 3:
        case 5: {
          this.popLabel();
          const node = frames.pop()!;
          if (STRUCT[o] === 5) node.delegate = this.instrText(ins);
          node.depth = 1 + Math.max(maxDepth(node.children), maxDepth(node.body), maxDepth(node.alt), handlersDepth(node.handlers));
          cur = parents.pop()!;
          break;
        }
        default: {
          this.counts(ins);
          const node = new FoldNode(K_EXPR, this.instrText(ins), this.cp < 0 ? -1 : this.cr);
          if (this.cp > 0) {
            const children = takeOperands(cur, this.cp);
            if (children !== null) {
              node.children = children;
              node.depth = 1 + maxDepth(children);
            }
          }
          node.line = oneLine(node);
          cur.push(node);
        }
      }
    }
    return root;
  }

  private printFolded(out: string[], body: readonly Instruction[], level: number): void {
    const nodes = this.build(body);
    for (let i = 0; i < nodes.length; i++) this.render(out, nodes[i]!, level);
  }

  private open(out: string[], level: number, text: string): void {
    out.push(this.indent(level) + '(' + text + '\n');
  }

  private renderList(out: string[], nodes: readonly FoldNode[] | null, level: number): void {
    if (nodes === null) return;
    for (let i = 0; i < nodes.length; i++) this.render(out, nodes[i]!, level);
  }

  private section(out: string[], level: number, keyword: string, nodes: readonly FoldNode[]): void {
    this.open(out, level, keyword);
    this.renderList(out, nodes, level + 1);
    closeLast(out);
  }

  private render(out: string[], n: FoldNode, level: number): void {
    if (n.line !== null) {
      out.push(this.indent(level) + n.line + '\n');
      return;
    }
    this.open(out, level, n.text);
    switch (n.kind) {
      case K_EXPR:
      case K_BLOCK:
        this.renderList(out, n.children, level + 1);
        this.renderList(out, n.body, level + 1);
        break;
      case K_IF:
        this.renderList(out, n.children, level + 1);
        this.section(out, level + 1, 'then', n.body!);
        if (n.alt !== null) this.section(out, level + 1, 'else', n.alt);
        break;
      case K_TRY:
        this.section(out, level + 1, 'do', n.body!);
        for (const h of n.handlers!) this.section(out, level + 1, h.text, h.body);
        if (n.delegate !== null) out.push(this.indent(level + 1) + '(' + n.delegate + ')\n');
        break;
    }
    closeLast(out);
  }

  /**
   * A constant expression (or any instruction sequence) on one line: flat instructions
   * separated by spaces, or folded expressions when folding.
   */
  inline(expr: readonly Instruction[]): string {
    this.begin(null, -1);
    if (this.folded && foldable(expr)) {
      const nodes = this.build(expr);
      let s = '';
      let ok = true;
      for (const n of nodes) {
        if (n.line === null) {
          ok = false;
          break;
        }
        s += (s === '' ? '' : ' ') + n.line;
      }
      if (ok) return s;
      this.begin(null, -1);
    }
    const lines: string[] = [];
    this.printFlat(lines, expr, 0);
    let s = '';
    for (const l of lines) s += (s === '' ? '' : ' ') + l.trim();
    return s;
  }

  /**
   * `(op …)` when `expr` is one folded expression that fits a line, else
   * `(keyword …)` around the whole sequence (offsets, element items).
   */
  wrapped(expr: readonly Instruction[], keyword: string): string {
    if (expr.length === 1 && STRUCT[expr[0]!.op] === 0) {
      this.begin(null, -1);
      return '(' + this.instrText(expr[0]!) + ')';
    }
    if (this.folded && foldable(expr)) {
      this.begin(null, -1);
      const nodes = this.build(expr);
      if (nodes.length === 1 && nodes[0]!.line !== null) return nodes[0]!.line;
    }
    const body = this.inline(expr);
    return body === '' ? `(${keyword})` : `(${keyword} ${body})`;
  }
}

function maxDepth(nodes: readonly FoldNode[] | null): number {
  let d = 0;
  if (nodes !== null) for (let i = 0; i < nodes.length; i++) if (nodes[i]!.depth > d) d = nodes[i]!.depth;
  return d;
}

function handlersDepth(hs: readonly Handler[] | null): number {
  let d = 0;
  if (hs !== null) for (const h of hs) d = Math.max(d, maxDepth(h.body));
  return d;
}

/** Removes and returns the last nodes of `list` when they supply exactly `n` values. */
function takeOperands(list: FoldNode[], n: number): FoldNode[] | null {
  if (n === 0) return null;
  let sum = 0;
  let k = list.length;
  let depth = 0;
  while (sum < n && k > 0) {
    const node = list[k - 1]!;
    if (node.results <= 0) break;
    sum += node.results;
    if (node.depth > depth) depth = node.depth;
    k--;
  }
  if (sum !== n || depth >= MAX_FOLD_DEPTH) return null;
  return list.splice(k);
}

function oneLine(n: FoldNode): string | null {
  const children = n.children;
  if (children === null) return '(' + n.text + ')';
  let s = '(' + n.text;
  for (let i = 0; i < children.length; i++) {
    const l = children[i]!.line;
    if (l === null) return null;
    s += ' ' + l;
    if (s.length > ONE_LINE) return null;
  }
  return s + ')';
}

function closeLast(out: string[]): void {
  const last = out.length - 1;
  const s = out[last]!;
  out[last] = s.slice(0, s.length - 1) + ')\n';
}

/**
 * Whether the block structure of `body` is well formed (what the folded form can
 * express) and nests at most MAX_FOLD_BLOCKS deep.
 */
function foldable(body: readonly Instruction[]): boolean {
  // Frame states: 1 block/loop/try_table, 2 if, 3 if after else, 4 try, 5 try after catch,
  // 6 try after catch_all.
  const stack: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const o = body[i]!.op;
    const s = STRUCT[o];
    if (s === 0) continue;
    const top = stack.length > 0 ? stack[stack.length - 1]! : 0;
    switch (s) {
      case 1:
        stack.push(o === OP_IF ? 2 : o === OP_TRY ? 4 : 1);
        if (stack.length > MAX_FOLD_BLOCKS) return false;
        break;
      case 2:
        if (top !== 2) return false;
        stack[stack.length - 1] = 3;
        break;
      case 3:
        if (top === 0) return false;
        stack.pop();
        break;
      case 4:
        if (top !== 4 && top !== 5) return false;
        stack[stack.length - 1] = o === OP_CATCH ? 5 : 6;
        break;
      case 5:
        if (top !== 4) return false;
        stack.pop();
        break;
    }
  }
  return stack.length === 0;
}
