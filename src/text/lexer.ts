// The lexer of the text format (spec §6.2 "Lexical Format"): tokens, white space,
// comments and annotations.
//
// ─── Low-level API (used by the module parser and by the WAST script parser) ───────────
//
//   const lx = new Lexer(source, { file: 'x.wat' });   // positioned on the first token
//   lx.kind            current token kind: Tok.eof | lparen | rparen | keyword | id |
//                      string | number | reserved
//   lx.start, lx.end   UTF-16 offsets of the current token in `source` ([start, end))
//   lx.text()          the token's source text (a substring; strings keep their quotes)
//   lx.is(word)        current token is the keyword `word` (no allocation)
//   lx.next()          advance to the following token
//   lx.save() / lx.restore(mark)   backtrack: `save` returns an opaque mark (a token
//                      number), `restore` goes back to it; both are O(1)
//   lx.peekKind()      kind of the token after the current one (does not advance)
//   lx.peekIs(word)    the token after the current one is the keyword `word`
//   lx.peekCode()      the code of the token after the current one if it is a keyword
//   lx.error(message, offset = lx.start)  builds (does not throw) a ParseError with
//                      1-based line:column computed from the offset
//   lx.unexpected()    the ParseError for an unexpected current token
//   lx.expect(kind) / lx.expectKeyword(word)  consume or throw
//   lx.skipToClose()   moves to the `)` closing the innermost open group
//   lx.jumpToMatch()   at a `(`: moves to its matching `)` (O(1))
//   lx.code            keyword code / identifier symbol of the current token (see below)
//   lx.symbolName(sym) the name of an identifier symbol
//   lx.release()       optional: the lexer will not be used again (its token storage is
//                      recycled for the next lexer)
//
// Literal helpers for the same tokens are in ./literals.ts (readU32, readI32, readI64,
// readF32, readF64, readI8, readI16, readName, readBytes, idName): each converts the
// current token, advances, and throws a ParseError in the spec suite's wording.
//
// Tokens follow the spec's longest-match rule: a token is a maximal run of identifier
// characters and string literals, so `0$x` (a malformed number) or `"a""b"` (reserved) are single tokens. A
// `number` is a run starting with a digit, or with a sign followed by a digit, `i`
// (inf) or `n` (nan); whether it is a well-formed literal is decided when it is
// converted (see ./literals.ts). `inf`, `nan` and `nan:0x…` are keywords.
//
// Annotations `(@id …)` are white space. The ones the parser interprets (`@name`,
// `@custom`, branch hints, `@datacount`, `@local.runs`) are recorded in
// `lx.annotations` (kind, start/end offsets) for the module parser to interpret.
//
// The whole input is tokenized up front into typed arrays (kind, start, end, and for
// each `(` the number of its matching `)`), so that backtracking, look-ahead and
// skipping a parenthesized group cost nothing. A lexical error stops tokenizing and
// becomes an error token: it is thrown when the parser reaches it, so errors still come
// in source order.
//
// Module parser entry for the script parser: after consuming `(module`, an optional
// `definition` and an optional `$id` (and detecting `binary` / `quote` itself), call
// `parseModuleFields(lexer, { name })` from ./parser.ts; it parses the module fields from
// the current token up to, but not including, the `)` that closes the module.

import { ParseError, lineColumn } from '../model/errors.ts';
import { KW_ALIGN_EQ, KW_CLASS, KW_NEXT, KW_OFFSET_EQ, KW_ROOT, hashRange, mixHash } from './keywords.ts';
import { decodeName } from './strings.ts';
import { Symbols } from './symbols.ts';

/**
 * Token kinds. The values are typed `number` (not literals) so that TypeScript does not
 * keep a narrowed `lexer.kind` across calls that advance the lexer.
 */
export const Tok: {
  readonly eof: number;
  readonly lparen: number;
  readonly rparen: number;
  readonly keyword: number;
  readonly id: number;
  readonly string: number;
  readonly number: number;
  readonly reserved: number;
} = {
  eof: 0,
  lparen: 1,
  rparen: 2,
  keyword: 3,
  id: 4,
  string: 5,
  number: 6,
  reserved: 7,
};
/** A token kind: one of the `Tok` values. */
export type TokKind = number;

const TOK_NAMES = ['end of input', '(', ')', 'keyword', 'identifier', 'string', 'number', 'reserved'];

/**
 * A `(@name …)`, `(@custom …)`, `(@metadata.code.branch_hint …)`, `(@datacount)` or
 * `(@local.runs …)` annotation seen while skipping white space.
 */
export interface AnnotationRecord {
  readonly kind: 'name' | 'custom' | 'branch_hint' | 'datacount' | 'local_runs';
  /** Offset of the `(`. */
  readonly start: number;
  /** Offset just after the annotation id (where its content starts). */
  readonly bodyStart: number;
  /** Offset just after the closing `)`. */
  readonly end: number;
}

// Character classes: 1 = identifier character (spec `idchar`).
const IDCHAR = new Uint8Array(256);
{
  const syms = "!#$%&'*+-./:<=>?@\\^_`|~";
  for (let c = 48; c <= 57; c++) IDCHAR[c] = 1;
  for (let c = 65; c <= 90; c++) IDCHAR[c] = 1;
  for (let c = 97; c <= 122; c++) IDCHAR[c] = 1;
  for (let i = 0; i < syms.length; i++) IDCHAR[syms.charCodeAt(i)] = 1;
}

export function isIdChar(c: number): boolean {
  return c < 128 && IDCHAR[c] === 1;
}

const TOK_ERROR = 8;

export class Lexer {
  readonly source: string;
  readonly file: string | undefined;
  /** Current token. */
  kind: TokKind = Tok.eof;
  start = 0;
  end = 0;
  /**
   * For a keyword: its code (an instruction row, a `KW` value from ./keywords.ts, or
   * `KW_OFFSET_EQ` / `KW_ALIGN_EQ` for `offset=…` / `align=…`), or -1 when it is not a
   * known keyword. For an identifier: its symbol (see ./symbols.ts; `$x` and `$"x"` have
   * the same), or -1 for a malformed `$"…"` (`idName` reports it). (For `(`, internally,
   * the number of its matching `)`.)
   */
  code = -1;
  /** `(@name …)` / `(@custom …)` annotations of the whole input, in source order. */
  readonly annotations: AnnotationRecord[] = [];

  /** The identifier symbols of the input (see `code` and `symbolName`). */
  private readonly symbols: Symbols;

  /** Index of the current token. */
  private pos = 0;
  private count = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  /** Per token: `code` (see above); for a `(`, the number of its matching `)` token. */
  private codes: Int32Array;
  /** The error at the error token, if tokenizing stopped early. */
  private lexError: ParseError | null = null;
  /** Source offset where tokenizing starts; the scanners work in offsets relative to it. */
  private readonly base: number;
  /** Number of characters tokenized. */
  private readonly length: number;
  /** While tokenizing: the source as bytes (see `asciiBytes`), indexed relative to `base`. */
  private bytes: Uint8Array = EMPTY_BYTES;
  /** The same bytes viewed as 32-bit words (for skipping runs of spaces). */
  private words: Uint32Array = EMPTY_WORDS;

  constructor(source: string, options?: { file?: string; offset?: number; end?: number }) {
    this.source = source;
    this.file = options?.file;
    const from = Math.max(0, Math.min(options?.offset ?? 0, source.length));
    const to = Math.max(from, Math.min(options?.end ?? source.length, source.length));
    this.base = from;
    this.length = to - from;
    const cap = Math.max(16, (this.length >> 4) + 16);
    const pooled = pool;
    if (pooled !== null && cap >= 4096 && pooled.kinds.length >= cap) {
      pool = null;
      this.kinds = pooled.kinds;
      this.starts = pooled.starts;
      this.ends = pooled.ends;
      this.codes = pooled.codes;
    } else {
      this.kinds = new Uint8Array(cap);
      this.starts = new Int32Array(cap);
      this.ends = new Int32Array(cap);
      this.codes = new Int32Array(cap);
    }
    const bytes = asciiBytes(source, from, to);
    this.bytes = bytes;
    this.words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    this.symbols = new Symbols(this.length);
    try {
      this.tokenize();
    } finally {
      this.bytes = EMPTY_BYTES;
      this.words = EMPTY_WORDS;
    }
    this.pos = -1;
    this.next();
  }

  // ── token access ─────────────────────────────────────────────────────────────────────

  /** Advances to the next token. */
  next(): void {
    let p = this.pos + 1;
    if (p >= this.count) p = this.count - 1;
    this.pos = p;
    const k = this.kinds[p]!;
    this.start = this.starts[p]!;
    this.end = this.ends[p]!;
    this.code = this.codes[p]!;
    if (k === TOK_ERROR) {
      this.kind = Tok.eof;
      throw this.lexError!;
    }
    this.kind = k;
  }

  text(): string {
    return this.source.slice(this.start, this.end);
  }

  /** The name (without `$`) of the identifier symbol `sym` (an `id` token's `code`). */
  symbolName(sym: number): string {
    return this.symbols.name(sym, this.source, this.base);
  }

  /** Number of identifier symbols in the input (symbols are 0 … symbolCount − 1). */
  get symbolCount(): number {
    return this.symbols.count;
  }

  /** Whether the current token is the keyword `word`. */
  is(word: string): boolean {
    if (this.kind !== Tok.keyword) return false;
    const n = word.length;
    if (this.end - this.start !== n) return false;
    const s = this.source;
    const b = this.start;
    for (let i = 0; i < n; i++) if (s.charCodeAt(b + i) !== word.charCodeAt(i)) return false;
    return true;
  }

  /** Whether the current token is a keyword that starts with `prefix`. */
  startsWith(prefix: string): boolean {
    if (this.kind !== Tok.keyword) return false;
    const n = prefix.length;
    if (this.end - this.start < n) return false;
    const s = this.source;
    const b = this.start;
    for (let i = 0; i < n; i++) if (s.charCodeAt(b + i) !== prefix.charCodeAt(i)) return false;
    return true;
  }

  save(): number {
    return this.pos;
  }

  restore(mark: number): void {
    this.pos = mark - 1;
    this.next();
  }

  peekKind(): TokKind {
    const p = this.pos + 1;
    if (p >= this.count) return Tok.eof;
    const k = this.kinds[p]!;
    return k === TOK_ERROR ? Tok.eof : k;
  }

  /** The code (see `code`) of the token after the current one when it is a keyword, else -1. */
  peekCode(): number {
    const p = this.pos + 1;
    return p < this.count && this.kinds[p] === Tok.keyword ? this.codes[p]! : -1;
  }

  peekIs(word: string): boolean {
    const p = this.pos + 1;
    if (p >= this.count || this.kinds[p] !== Tok.keyword) return false;
    const b = this.starts[p]!;
    const n = word.length;
    if (this.ends[p]! - b !== n) return false;
    const s = this.source;
    for (let i = 0; i < n; i++) if (s.charCodeAt(b + i) !== word.charCodeAt(i)) return false;
    return true;
  }

  /** Source offset where the token before the current one ends (0 if none). */
  previousEnd(): number {
    return this.pos > 0 ? this.ends[this.pos - 1]! : 0;
  }

  /** When the current token is `(`: moves to its matching `)`. */
  jumpToMatch(): void {
    if (this.kind !== Tok.lparen) return;
    this.pos = this.codes[this.pos]! - 1;
    this.next();
  }

  /**
   * Moves to the `)` that closes the innermost open group (the current token is inside
   * it), jumping over nested groups; stops at the end of input.
   */
  skipToClose(): void {
    while (this.kind !== Tok.rparen && this.kind !== Tok.eof) {
      if (this.kind === Tok.lparen) this.jumpToMatch();
      this.next();
    }
  }

  /**
   * Declares that this lexer will not be used again, so that its token storage can be
   * reused by the next lexer (saving the allocation for large inputs).
   */
  release(): void {
    const kinds = this.kinds;
    if (kinds.length <= POOL_MAX_TOKENS && (pool === null || pool.kinds.length < kinds.length)) {
      pool = { kinds, starts: this.starts, ends: this.ends, codes: this.codes };
    }
    this.kinds = EMPTY_BYTES;
    this.starts = this.ends = this.codes = EMPTY_INTS;
    this.count = 1;
    this.pos = 0;
    this.kind = Tok.eof;
  }

  error(message: string, offset: number = this.start): ParseError {
    const { line, column } = lineColumn(this.source, offset);
    return new ParseError(message, line, column, offset, this.file);
  }

  /** The error for an unexpected current token, in the spec suite's wording. */
  unexpected(): ParseError {
    if (this.kind === Tok.reserved) return this.error(`unknown operator ${this.text()}`);
    if (this.kind === Tok.eof) return this.error('unexpected end of input');
    return this.error(`unexpected token ${this.text()}`);
  }

  expect(kind: TokKind): void {
    if (this.kind !== kind) {
      if (this.kind === Tok.reserved || this.kind === Tok.eof) throw this.unexpected();
      throw this.error(`unexpected token ${this.text()}, expected ${TOK_NAMES[kind]}`);
    }
    this.next();
  }

  expectKeyword(word: string): void {
    if (!this.is(word)) {
      if (this.kind === Tok.reserved || this.kind === Tok.eof) throw this.unexpected();
      throw this.error(`unexpected token ${this.text()}, expected ${word}`);
    }
    this.next();
  }

  // ── tokenizing ───────────────────────────────────────────────────────────────────────

  private grow(): void {
    const cap = this.kinds.length * 2;
    const k = new Uint8Array(cap);
    k.set(this.kinds);
    this.kinds = k;
    const st = new Int32Array(cap);
    st.set(this.starts);
    this.starts = st;
    const en = new Int32Array(cap);
    en.set(this.ends);
    this.ends = en;
    const co = new Int32Array(cap);
    co.set(this.codes);
    this.codes = co;
  }

  /** Appends a token; `start` and `end` are relative to `base`. */
  private push(kind: number, start: number, end: number, code: number): number {
    const t = this.count;
    if (t >= this.kinds.length) this.grow();
    this.kinds[t] = kind;
    this.starts[t] = start + this.base;
    this.ends[t] = end + this.base;
    this.codes[t] = code;
    this.count = t + 1;
    return t;
  }

  /** An error at the relative offset `i`. */
  private errorAt(message: string, i: number): ParseError {
    return this.error(message, i + this.base);
  }

  /** The source character (UTF-16 unit) at relative offset `i`. */
  private charAt(i: number): number {
    return this.source.charCodeAt(i + this.base);
  }

  /** Tokenizes the input; a lexical error ends the tokens with an error token. */
  private tokenize(): void {
    const n = this.length;
    let i = 0;
    try {
      // In slices, so that the hot loop is a function called many times: V8 then keeps
      // it optimized across parses instead of re-entering it through on-stack
      // replacement on every (long) call.
      while (i < n) i = this.tokenizeSome(i);
      const t = this.push(Tok.eof, n, n, -1);
      while (this.sp > 0) this.codes[this.stack[--this.sp]!] = t;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.lexError = e;
      const t = this.push(TOK_ERROR, e.offset - this.base, e.offset - this.base, -1);
      while (this.sp > 0) this.codes[this.stack[--this.sp]!] = t;
    }
  }

  /** Open parentheses (token numbers) while tokenizing. */
  private stack = new Int32Array(64);
  private sp = 0;

  /** Tokenizes up to a few hundred tokens from relative offset `i`; returns the offset reached. */
  private tokenizeSome(i: number): number {
    const b = this.bytes;
    const n = this.length;
    for (let budget = 512; budget > 0; budget--) {
      // White space, comments and annotations.
      let c = 0;
      for (;;) {
        if (i >= n) return i;
        c = b[i]!;
        if (c === 32 || c === 9 || c === 13) {
          i++;
          while (i < n && b[i] === 32) i++;
          continue;
        }
        if (c === 10) {
          // Indentation: four bytes at a time, without a branch per byte. In a word
          // whose bytes are XORed with spaces, the first non-space byte is the lowest
          // non-zero one (little-endian).
          // (The zero bytes after the input stop the scan.)
          i++;
          if (LITTLE_ENDIAN) {
            const w = this.words;
            let x = (w[i >> 2]! ^ 0x20202020) >>> ((i & 3) << 3);
            if (x === 0) {
              i = (i | 3) + 1;
              while ((x = w[i >> 2]! ^ 0x20202020) === 0) i += 4;
            }
            i += (31 - Math.clz32(x & -x)) >> 3;
            continue;
          }
          while (b[i] === 32) i++;
          continue;
        }
        if (c === 40) {
          const d = i + 1 < n ? b[i + 1]! : 0;
          if (d === 59) {
            i = this.skipBlockComment(i);
            continue;
          }
          if (d === 64) {
            i = this.skipAnnotation(i);
            continue;
          }
        } else if (c === 59 && i + 1 < n && b[i + 1] === 59) {
          i = this.skipLineComment(i + 2);
          continue;
        }
        break;
      }
      if (c === 40) {
        const t = this.push(Tok.lparen, i, i + 1, -1);
        if (this.sp >= this.stack.length) {
          const bigger = new Int32Array(this.stack.length * 2);
          bigger.set(this.stack);
          this.stack = bigger;
        }
        this.stack[this.sp++] = t;
        i++;
      } else if (c === 41) {
        const t = this.push(Tok.rparen, i, i + 1, -1);
        if (this.sp > 0) this.codes[this.stack[--this.sp]!] = t;
        i++;
      } else {
        i = this.scanAtom(i, c);
      }
    }
    return i;
  }

  /** Scans a token that is not a parenthesis, starting at `i` with byte `c`; returns its end. */
  private scanAtom(i: number, c: number): number {
    const b = this.bytes;
    const n = this.length;
    const start = i;
    if (c >= 48 && c <= 57) {
      // A number (no hash needed).
      i++;
      while (i < n) {
        const d = b[i]!;
        if (IDCHAR[d] === 0) break;
        i++;
      }
      if (i >= n || b[i] !== 34) {
        this.push(Tok.number, start, i, -1);
        return i;
      }
      return this.scanMixedAtom(start, i, c);
    }
    if (c >= 97 && c <= 122) {
      // A keyword: run the keyword automaton over it (see ./keywords.ts).
      const cls = KW_CLASS;
      const next = KW_NEXT;
      let s = KW_ROOT;
      while (i < n) {
        const k = cls[b[i]!]!;
        if (k === 0) break;
        s = next[s + k]!;
        i++;
      }
      if (i < n && b[i] === 34) return this.scanMixedAtom(start, i, c);
      this.push(Tok.keyword, start, i, s === 0 ? memArgKeyword(b, start, i) : next[s]!);
      return i;
    }
    if (c === 36) {
      // An identifier: hashed without its `$` (see ./idtable.ts).
      i++;
      let h = 0;
      while (i < n) {
        const d = b[i]!;
        if (IDCHAR[d] === 0) break;
        h = (Math.imul(h, 31) + d) | 0;
        i++;
      }
      if (i < n && b[i] === 34) return this.scanMixedAtom(start, i, c);
      if (i - start === 1) throw this.errorAt('empty identifier', start);
      this.push(Tok.id, start, i, this.symbols.internBytes(b, start + 1, i, mixHash(h)));
      return i;
    }
    while (i < n) {
      const d = b[i]!;
      if (IDCHAR[d] === 0) break;
      i++;
    }
    if (i < n && b[i] === 34) return this.scanMixedAtom(start, i, c);
    if (i === start) {
      // Not an identifier character nor a string.
      if (c === 44 || c === 59 || c === 91 || c === 93 || c === 123 || c === 125) {
        this.push(Tok.reserved, i, i + 1, -1);
        return i + 1;
      }
      const u = this.charAt(i);
      if (u >= 0xd800 && u <= 0xdfff) throw this.errorAt('malformed UTF-8 encoding', i);
      if (u < 32 || u === 127) throw this.errorAt('misplaced control character', i);
      throw this.errorAt('misplaced unicode character', i);
    }
    if ((c === 43 || c === 45) && i - start > 1) {
      const d = b[start + 1]!;
      this.push((d >= 48 && d <= 57) || d === 105 || d === 110 ? Tok.number : Tok.reserved, start, i, -1);
    } else {
      this.push(Tok.reserved, start, i, -1);
    }
    return i;
  }

  /** The rest of a token that contains a string literal, from `i` (at a quote). */
  private scanMixedAtom(start: number, i: number, c: number): number {
    const b = this.bytes;
    const n = this.length;
    let strings = 0;
    while (i < n) {
      const d = b[i]!;
      if (IDCHAR[d] === 1) i++;
      else if (d === 34) {
        if (i === start + 1 && c === 36) i = this.scanIdString(i);
        else i = this.scanString(i);
        strings++;
      } else break;
    }
    let kind = Tok.reserved;
    let code = -1;
    if (strings === 1) {
      const close = b[i - 1] === 34;
      if (c === 34 && close) kind = Tok.string;
      else if (c === 36 && b[start + 1] === 34 && close) {
        // $"…"
        if (i - start === 3) throw this.errorAt('empty identifier', start);
        kind = Tok.id;
        const name = decodeName(this.source.slice(start + 1 + this.base, i + this.base));
        if (name !== undefined && name !== '') code = this.symbols.internString(name, b, hashRange(name, 0, name.length));
      }
    }
    this.push(kind, start, i, code);
    return i;
  }

  /** Scans a string literal starting at the quote at `i`; returns the offset after it. */
  private scanString(i: number): number {
    const b = this.bytes;
    const n = this.length;
    const start = i;
    i++;
    for (;;) {
      if (i >= n) throw this.errorAt('unclosed string literal', start);
      const c = b[i]!;
      if (c === 34) return i + 1;
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c < 32 || c === 127) {
        if (c === 10 || c === 13) throw this.errorAt('unclosed string literal', start);
        throw this.errorAt('illegal control character in string literal', i);
      }
      if (c >= 128) i = this.checkSurrogate(i);
      i++;
    }
  }

  /** The string of a `$"…"` identifier: a malformed one means an empty identifier. */
  private scanIdString(i: number): number {
    try {
      return this.scanString(i);
    } catch {
      throw this.errorAt('empty identifier', i - 1);
    }
  }

  /**
   * `i` is at a non-ASCII character; if it is a surrogate, it must start a pair. Returns
   * the index of the character's last UTF-16 unit.
   */
  private checkSurrogate(i: number): number {
    const c = this.charAt(i);
    if (c < 0xd800 || c > 0xdfff) return i;
    if (c <= 0xdbff && i + 1 < this.length) {
      const d = this.charAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return i + 1;
    }
    throw this.errorAt('malformed UTF-8 encoding', i);
  }

  /** Skips a line comment whose text starts at `i`; returns the offset after it. */
  private skipLineComment(i: number): number {
    const b = this.bytes;
    const n = this.length;
    while (i < n) {
      const c = b[i]!;
      if (c === 10 || c === 13) return i + 1;
      if (c >= 128) i = this.checkSurrogate(i);
      i++;
    }
    return i;
  }

  /** Skips a (nested) block comment starting at `(;` at `i`. */
  private skipBlockComment(i: number): number {
    const b = this.bytes;
    const n = this.length;
    const start = i;
    let depth = 1;
    i += 2;
    while (i < n) {
      const c = b[i]!;
      if (c === 59 && i + 1 < n && b[i + 1] === 41) {
        i += 2;
        if (--depth === 0) return i;
        continue;
      }
      if (c === 40 && i + 1 < n && b[i + 1] === 59) {
        depth++;
        i += 2;
        continue;
      }
      if (c >= 128) i = this.checkSurrogate(i);
      i++;
    }
    throw this.errorAt('unclosed comment', start);
  }

  /**
   * Skips an annotation starting at `(@` at `i`; records `@name`, `@custom`, branch hints
   * and our binary-layout annotations `@datacount` and `@local.runs` (./annotations.ts).
   */
  private skipAnnotation(i: number): number {
    const b = this.bytes;
    const s = this.source;
    const base = this.base;
    const n = this.length;
    const start = i;
    i += 2;
    // The annotation id: idchars, or a non-empty well-formed string.
    let kind: AnnotationRecord['kind'] | null = null;
    const c = i < n ? b[i]! : 0;
    if (IDCHAR[c] === 1) {
      const idStart = i;
      while (i < n && IDCHAR[b[i]!] === 1) i++;
      const len = i - idStart;
      if (len === 4 && s.startsWith('name', idStart + base)) kind = 'name';
      else if (len === 6 && s.startsWith('custom', idStart + base)) kind = 'custom';
      else if (len === 25 && s.startsWith('metadata.code.branch_hint', idStart + base)) kind = 'branch_hint';
      else if (len === 9 && s.startsWith('datacount', idStart + base)) kind = 'datacount';
      else if (len === 10 && s.startsWith('local.runs', idStart + base)) kind = 'local_runs';
    } else if (c === 34) {
      const idStart = i;
      let j = i + 1;
      let ok = false;
      while (j < n) {
        const d = b[j]!;
        if (d === 34) {
          ok = true;
          break;
        }
        if (d < 32 || d === 127) break;
        j += d === 92 ? 2 : 1;
      }
      if (!ok || j === idStart + 1) throw this.errorAt('empty annotation id', start);
      i = j + 1;
      const name = decodeName(s.slice(idStart + base, j + 1 + base));
      if (name === undefined) throw this.errorAt('malformed UTF-8 encoding', idStart);
      if (name === '') throw this.errorAt('empty annotation id', start);
      if (name === 'name') kind = 'name';
      else if (name === 'custom') kind = 'custom';
      else if (name === 'metadata.code.branch_hint') kind = 'branch_hint';
      else if (name === 'datacount') kind = 'datacount';
      else if (name === 'local.runs') kind = 'local_runs';
    } else {
      throw this.errorAt('empty annotation id', start);
    }
    // The body: balanced parentheses, strings and comments.
    const bodyStart = i;
    let depth = 1;
    while (depth > 0) {
      if (i >= n) throw this.errorAt('unclosed annotation', start);
      const d = b[i]!;
      if (d === 40) {
        if (i + 1 < n && b[i + 1] === 59) {
          i = this.skipBlockComment(i);
          continue;
        }
        depth++;
        i++;
      } else if (d === 41) {
        depth--;
        i++;
      } else if (d === 34) {
        i = this.scanString(i);
      } else if (d === 59 && i + 1 < n && b[i + 1] === 59) {
        i = this.skipLineComment(i + 2);
      } else if (d < 32 || d === 127) {
        if (d !== 9 && d !== 10 && d !== 13) throw this.errorAt('illegal character', i);
        i++;
      } else if (d >= 128) {
        const u = this.charAt(i);
        if (u >= 0xd800 && u <= 0xdfff) this.checkSurrogate(i);
        // U+FFFD is what a replacing decoder makes of invalid UTF-8.
        throw this.errorAt(u === 0xfffd ? 'malformed UTF-8 encoding' : 'illegal character', i);
      } else {
        i++;
      }
    }
    if (kind !== null) this.annotations.push({ kind, start: start + base, bodyStart: bodyStart + base, end: i + base });
    return i;
  }
}

/** `KW_OFFSET_EQ` / `KW_ALIGN_EQ` for a token `offset=…` / `align=…` in `b[start, end)`, else -1. */
function memArgKeyword(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (b[start] === 111 && n >= 7 && b[start + 6] === 61) {
    // offset=
    if (b[start + 1] === 102 && b[start + 2] === 102 && b[start + 3] === 115 && b[start + 4] === 101 && b[start + 5] === 116) {
      return KW_OFFSET_EQ;
    }
  } else if (b[start] === 97 && n >= 6 && b[start + 5] === 61) {
    // align=
    if (b[start + 1] === 108 && b[start + 2] === 105 && b[start + 3] === 103 && b[start + 4] === 110) return KW_ALIGN_EQ;
  }
  return -1;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_WORDS = new Uint32Array(0);
const EMPTY_INTS = new Int32Array(1);

/** Token storage given back by `release()`, for the next lexer. */
interface TokenArrays {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly codes: Int32Array;
}
let pool: TokenArrays | null = null;
/** Largest token storage kept for reuse (13 bytes per token). */
const POOL_MAX_TOKENS = 1 << 21;
const encoder = new TextEncoder();
/** Scratch buffer for `asciiBytes`, reused between lexers (tokenizing never nests). */
let scratch = new Uint8Array(1 << 16);
const SCRATCH_KEEP = 1 << 24;

/** Zero bytes after the input in `asciiBytes`'s buffer (a multiple of 4, at least 8). */
const PAD = 8;

/**
 * The characters `source[from, to)` as bytes, one per UTF-16 unit: ASCII characters as
 * themselves, every other unit as 0x80 (the scanners then look at the source itself);
 * followed by `PAD` zero bytes, so that scanners that stop at a non-space need not check
 * for the end. Scanning bytes is much faster than `charCodeAt`; an ASCII text (the usual
 * case) is converted by the engine's native UTF-8 encoder.
 */
function asciiBytes(source: string, from: number, to: number): Uint8Array {
  const n = to - from;
  let buf = scratch;
  if (buf.length < n + PAD) {
    buf = new Uint8Array(n + PAD);
    if (n + PAD <= SCRATCH_KEEP) scratch = buf;
  }
  buf.fill(0, n, n + PAD);
  const text = from === 0 && to === source.length ? source : source.slice(from, to);
  const out = buf.subarray(0, n + PAD);
  const r = encoder.encodeInto(text, out.subarray(0, n));
  if (r.read === n && r.written === n) return out;
  // Not pure ASCII: map unit by unit.
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 128 ? c : 128;
  }
  return out;
}

/** Index of the first annotation that starts at or after `offset` (binary search). */
export function firstAnnotationFrom(annots: readonly AnnotationRecord[], offset: number): number {
  let lo = 0;
  let hi = annots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (annots[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Keeps the Lexer's object shape alive. V8 holds the shapes that class instances reach
 * through field initialization only weakly; when no instance survives a garbage
 * collection the shape dies, and every optimized function that embeds it is
 * deoptimized. One permanent instance keeps the parser's optimized code valid between
 * parses.
 */
export const LEXER_SHAPE_ANCHOR: Lexer = new Lexer('');
