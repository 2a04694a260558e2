// The WAST script parser (the reference interpreter's text/parser.mly, script rules):
// `(module …)` in all its forms, `register`, actions and every assertion of the spec
// suite, on top of the text format's lexer and module parser.
//
// Text modules are parsed here, so a text module that fails to parse is an error of the
// whole script (a ParseError with its position). `(module quote …)` and
// `(module binary …)` keep their strings' bytes; quoted modules are parsed only when the
// command runs, so that `assert_malformed` can see our parser's error.

import { concatBytes } from '../binary/writer.ts';
import type { ParseError } from '../model/errors.ts';
import type { AbsHeapType, HeapType, Module } from '../model/types.ts';
import type { TokKind } from '../text/lexer.ts';
import { Lexer, Tok } from '../text/lexer.ts';
import {
  idName,
  readBytes,
  readF32,
  readF64,
  readI16,
  readI32,
  readI64,
  readI8,
  readName,
  readU32,
} from '../text/literals.ts';
import { parseModuleFields } from '../text/parser.ts';
import type {
  Action,
  Command,
  Const,
  FloatPattern,
  Position,
  ResultPattern,
  Script,
  ScriptModule,
} from './commands.ts';
import { branchHints } from './custom.ts';

type V128Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
const SHAPES: readonly V128Shape[] = ['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'];
const LANES: Record<V128Shape, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };

const HEAP_TYPES: ReadonlySet<string> = new Set<AbsHeapType>([
  'func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn',
]);

const ANY_REF_PATTERNS = new Set(['ref.func', 'ref.struct', 'ref.array', 'ref.i31', 'ref.eq', 'ref.any', 'ref.exn']);

/** Turns offsets into line:column without rescanning the source for every command. */
class Positions {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private readonly source: string;
  constructor(source: string) {
    this.source = source;
  }

  at(offset: number): Position {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    const s = this.source;
    for (let i = this.offset; i < offset; i++) {
      if (s.charCodeAt(i) === 10) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.offset = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

/** A text module just parsed from `start` up to the lexer's position, with its branch hints. */
function textModule(lx: Lexer, module: Module, start: number): ScriptModule {
  const hints = branchHints(lx, start, lx.start);
  return hints.length > 0 ? { kind: 'text', module, branchHints: hints } : { kind: 'text', module };
}

class ScriptParser {
  private readonly lx: Lexer;
  private readonly positions: Positions;

  constructor(source: string, file: string | undefined) {
    this.lx = new Lexer(source, file === undefined ? undefined : { file });
    this.positions = new Positions(source);
  }

  script(): Script {
    const lx = this.lx;
    const commands: Command[] = [];
    if (this.tok() === Tok.lparen && !this.peekCommand()) {
      // A script that is just the fields of one module (e.g. inline-module.wast).
      const start = lx.start;
      const pos = this.positions.at(start);
      const module = parseModuleFields(lx, { name: null, start });
      if (this.tok() !== Tok.eof) throw lx.unexpected();
      commands.push({ ...pos, kind: 'module', name: null, module: textModule(lx, module, start), definition: false });
      return { commands };
    }
    while (this.tok() !== Tok.eof) commands.push(this.command());
    return { commands };
  }

  private peekCommand(): boolean {
    const lx = this.lx;
    const mark = lx.save();
    lx.next();
    const word = this.tok() === Tok.keyword ? lx.text() : '';
    lx.restore(mark);
    return word === 'module' || word === 'register' || word === 'invoke' || word === 'get' ||
      word.startsWith('assert_') || word === 'script' || word === 'input' || word === 'output';
  }

  /** The current token's kind (a method, so that TypeScript does not narrow it across `next()`). */
  private tok(): TokKind {
    return this.lx.kind;
  }

  private error(message: string, offset = this.lx.start): ParseError {
    return this.lx.error(message, offset);
  }

  private open(): number {
    const start = this.lx.start;
    this.lx.expect(Tok.lparen);
    return start;
  }

  private close(): void {
    this.lx.expect(Tok.rparen);
  }

  private optionalId(): string | null {
    if (this.tok() !== Tok.id) return null;
    const name = idName(this.lx);
    this.lx.next();
    return name;
  }

  private message(): string {
    return new TextDecoder().decode(readBytes(this.lx));
  }

  private command(): Command {
    const lx = this.lx;
    const start = this.open();
    const pos = this.positions.at(start);
    if (this.tok() !== Tok.keyword) throw lx.unexpected();
    const word = lx.text();
    let command: Command;
    switch (word) {
      case 'module': {
        if (lx.peekIs('instance')) {
          lx.next();
          lx.next();
          const instance = this.optionalId();
          const definition = this.optionalId();
          command = { ...pos, kind: 'module_instance', instance, definition };
          break;
        }
        const m = this.moduleBody(start);
        command = { ...pos, kind: 'module', name: m.name, module: m.module, definition: m.definition };
        break;
      }
      case 'register': {
        lx.next();
        const as = readName(lx);
        const name = this.optionalId();
        command = { ...pos, kind: 'register', as, name };
        break;
      }
      case 'invoke':
      case 'get':
        command = { ...pos, kind: 'action', action: this.actionBody() };
        break;
      case 'assert_return': {
        lx.next();
        const action = this.action();
        const expected: ResultPattern[] = [];
        while (this.tok() === Tok.lparen) expected.push(this.result());
        command = { ...pos, kind: 'assert_return', action, expected };
        break;
      }
      case 'assert_trap': {
        lx.next();
        if (lx.peekIs('module')) {
          const module = this.module();
          command = { ...pos, kind: 'assert_trap_module', module, message: this.message() };
        } else {
          const action = this.action();
          command = { ...pos, kind: 'assert_trap', action, message: this.message() };
        }
        break;
      }
      case 'assert_exhaustion': {
        lx.next();
        const action = this.action();
        command = { ...pos, kind: 'assert_exhaustion', action, message: this.message() };
        break;
      }
      case 'assert_exception': {
        lx.next();
        command = { ...pos, kind: 'assert_exception', action: this.action() };
        break;
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_malformed_custom':
      case 'assert_invalid_custom':
      case 'assert_unlinkable':
      case 'assert_uninstantiable': {
        lx.next();
        const module = this.module();
        command = { ...pos, kind: word, module, message: this.message() };
        break;
      }
      default:
        throw this.error(`unknown command ${word}`);
    }
    this.close();
    return command;
  }

  /** `(module …)` as the operand of an assertion. */
  private module(): ScriptModule {
    const start = this.open();
    if (!this.lx.is('module')) throw this.error('expected a module', start);
    const m = this.moduleBody(start);
    this.close();
    return m.module;
  }

  /** After `(`, at `module`: parses up to (not including) the closing `)`. */
  private moduleBody(start: number): { name: string | null; definition: boolean; module: ScriptModule } {
    const lx = this.lx;
    lx.expectKeyword('module');
    let definition = false;
    if (lx.is('definition')) {
      definition = true;
      lx.next();
    }
    const name = this.optionalId();
    if (lx.is('binary') || lx.is('quote')) {
      const binary = lx.is('binary');
      lx.next();
      const parts: Uint8Array[] = [];
      while (this.tok() === Tok.string) parts.push(readBytes(lx));
      const bytes = concatBytes(parts);
      return { name, definition, module: binary ? { kind: 'binary', bytes } : { kind: 'quote', bytes } };
    }
    const module: Module = parseModuleFields(lx, { name, start });
    return { name, definition, module: textModule(lx, module, start) };
  }

  private action(): Action {
    this.open();
    const action = this.actionBody();
    this.close();
    return action;
  }

  /** After `(`, at `invoke` or `get`: parses up to (not including) the `)`. */
  private actionBody(): Action {
    const lx = this.lx;
    if (lx.is('invoke')) {
      lx.next();
      const module = this.optionalId();
      const name = readName(lx);
      const args: Const[] = [];
      while (this.tok() === Tok.lparen) args.push(this.constant());
      return { kind: 'invoke', module, name, args };
    }
    if (lx.is('get')) {
      lx.next();
      const module = this.optionalId();
      return { kind: 'get', module, name: readName(lx) };
    }
    throw this.tok() === Tok.keyword ? this.error(`unknown action ${lx.text()}`) : lx.unexpected();
  }

  private heapType(): HeapType {
    const lx = this.lx;
    if (this.tok() === Tok.number) return readU32(lx);
    if (this.tok() === Tok.keyword && HEAP_TYPES.has(lx.text())) {
      const heap = lx.text() as AbsHeapType;
      lx.next();
      return heap;
    }
    throw lx.unexpected();
  }

  /** An argument: `(i32.const …)`, `(v128.const …)`, `(ref.null …)`, `(ref.extern N)`, `(ref.host N)`. */
  private constant(): Const {
    const lx = this.lx;
    this.open();
    if (this.tok() !== Tok.keyword) throw lx.unexpected();
    const word = lx.text();
    lx.next();
    let c: Const;
    switch (word) {
      case 'i32.const':
        c = { type: 'i32', value: readI32(lx) };
        break;
      case 'i64.const':
        c = { type: 'i64', value: readI64(lx) };
        break;
      case 'f32.const':
        c = { type: 'f32', bits: readF32(lx) };
        break;
      case 'f64.const':
        c = { type: 'f64', bits: readF64(lx) };
        break;
      case 'v128.const':
        c = { type: 'v128', bytes: this.v128Bytes() };
        break;
      case 'ref.null':
        c = { type: 'ref.null', heap: this.heapType() };
        break;
      case 'ref.extern':
      case 'ref.host':
        c = { type: word, value: readU32(lx) };
        break;
      default:
        throw this.error(`unknown operator ${word}`);
    }
    this.close();
    return c;
  }

  private shape(): V128Shape {
    const lx = this.lx;
    const word = this.tok() === Tok.keyword ? lx.text() : '';
    const shape = SHAPES.find((s) => s === word);
    if (shape === undefined) throw this.tok() === Tok.keyword ? this.error(`unknown operator ${word}`) : lx.unexpected();
    lx.next();
    return shape;
  }

  /** `SHAPE lane…` of a v128 constant, as 16 little-endian bytes. */
  private v128Bytes(): Uint8Array {
    const lx = this.lx;
    const shape = this.shape();
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < LANES[shape]; i++) {
      switch (shape) {
        case 'i8x16':
          view.setUint8(i, readI8(lx));
          break;
        case 'i16x8':
          view.setUint16(i * 2, readI16(lx), true);
          break;
        case 'i32x4':
          view.setInt32(i * 4, readI32(lx), true);
          break;
        case 'i64x2':
          view.setBigInt64(i * 8, readI64(lx), true);
          break;
        case 'f32x4':
          view.setUint32(i * 4, readF32(lx), true);
          break;
        case 'f64x2':
          view.setBigUint64(i * 8, readF64(lx), true);
          break;
      }
    }
    return bytes;
  }

  private floatPattern(wide: boolean): FloatPattern {
    const lx = this.lx;
    if (lx.is('nan:canonical') || lx.is('nan:arithmetic')) {
      const kind = lx.text() as 'nan:canonical' | 'nan:arithmetic';
      lx.next();
      return { kind };
    }
    return { kind: 'bits', bits: wide ? readF64(lx) : readF32(lx) };
  }

  /** An expected result of `assert_return`. */
  private result(): ResultPattern {
    const lx = this.lx;
    this.open();
    if (this.tok() !== Tok.keyword) throw lx.unexpected();
    const word = lx.text();
    lx.next();
    let p: ResultPattern;
    switch (word) {
      case 'i32.const':
        p = { type: 'i32', value: readI32(lx) };
        break;
      case 'i64.const':
        p = { type: 'i64', value: readI64(lx) };
        break;
      case 'f32.const':
        p = { type: 'f32', pattern: this.floatPattern(false) };
        break;
      case 'f64.const':
        p = { type: 'f64', pattern: this.floatPattern(true) };
        break;
      case 'v128.const': {
        const shape = this.shape();
        const lanes: (bigint | FloatPattern)[] = [];
        for (let i = 0; i < LANES[shape]; i++) {
          switch (shape) {
            case 'i8x16':
              lanes.push(BigInt(readI8(lx)));
              break;
            case 'i16x8':
              lanes.push(BigInt(readI16(lx)));
              break;
            case 'i32x4':
              lanes.push(BigInt(readI32(lx)));
              break;
            case 'i64x2':
              lanes.push(readI64(lx));
              break;
            case 'f32x4':
              lanes.push(this.floatPattern(false));
              break;
            case 'f64x2':
              lanes.push(this.floatPattern(true));
              break;
          }
        }
        p = { type: 'v128', shape, lanes };
        break;
      }
      case 'ref.null':
        p = { type: 'ref.null', heap: this.tok() === Tok.rparen ? null : this.heapType() };
        break;
      case 'ref.extern':
        p = { type: 'ref.extern', value: this.tok() === Tok.number ? readU32(lx) : null };
        break;
      case 'ref.host':
        p = { type: 'ref.host', value: readU32(lx) };
        break;
      case 'either': {
        const options: ResultPattern[] = [];
        while (this.tok() === Tok.lparen) options.push(this.result());
        p = { type: 'either', options };
        break;
      }
      default:
        if (!ANY_REF_PATTERNS.has(word)) throw this.error(`unknown operator ${word}`);
        p = { type: word as 'ref.func' };
        // `(ref.func $f)` / `(ref.func 0)` name a function we cannot check; accept any.
        if (this.tok() === Tok.id || this.tok() === Tok.number) lx.next();
    }
    this.close();
    return p;
  }
}

/**
 * Parses a WAST script. Throws a ParseError (with `file`, line and column) when the
 * script or one of its text modules is malformed.
 */
export function parseScript(source: string, file?: string): Script {
  return new ScriptParser(source, file).script();
}
