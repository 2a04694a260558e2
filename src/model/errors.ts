// Error types, one class per phase (as in the reference interpreter): decoding binaries,
// parsing text, validating, encoding. Messages begin with the spec suite's wording where
// it has one ("unexpected end", "unknown operator", "type mismatch", …).

/** Base class of every error the toolchain raises on bad input. */
export class WasmError extends Error {
  override name = 'WasmError';
}

/** A malformed binary; `offset` is the byte offset in the whole input. */
export class DecodeError extends WasmError {
  override name = 'DecodeError';
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at offset 0x${offset.toString(16)})`);
    this.offset = offset;
    this.reason = message;
  }
  /** The message without the position. */
  readonly reason: string;
}

/** Malformed text; positions are 1-based line and column, plus the byte offset. */
export class ParseError extends WasmError {
  override name = 'ParseError';
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position. */
  readonly reason: string;
  constructor(message: string, line: number, column: number, offset: number, file?: string) {
    super(`${file ? file + ':' : ''}${line}:${column}: ${message}`);
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.reason = message;
  }
}

/** An invalid module; `offset` is a byte offset when known, else -1. */
export class ValidationError extends WasmError {
  override name = 'ValidationError';
  readonly offset: number;
  readonly reason: string;
  constructor(message: string, offset = -1) {
    super(offset >= 0 ? `${message} (at offset 0x${offset.toString(16)})` : message);
    this.offset = offset;
    this.reason = message;
  }
}

/** A module model that cannot be encoded (e.g. an index out of the encodable range). */
export class EncodeError extends WasmError {
  override name = 'EncodeError';
}

/** Computes 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
