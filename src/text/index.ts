// The text format (spec §6): WAT source → module model.
//
// `parseModule` accepts `(module $id? field*)` or bare module fields. The low-level
// `Lexer` and `parseModuleFields` serve the WAST script parser (see ./lexer.ts).

import type { Module } from '../model/types.ts';
import { Lexer, Tok } from './lexer.ts';
import { idName } from './literals.ts';
import { parseModuleFields } from './parser.ts';

export { Lexer, Tok } from './lexer.ts';
export type { TokKind, AnnotationRecord } from './lexer.ts';
export { parseModuleFields } from './parser.ts';
export type { ParseModuleFieldsOptions } from './parser.ts';

export interface ParseModuleOptions {
  /** File name used in error messages. */
  readonly file?: string;
}

/** Parses a module written in the text format. Throws `ParseError` on malformed text. */
export function parseModule(source: string, options?: ParseModuleOptions): Module {
  const lx = new Lexer(source, { file: options?.file });
  try {
    return parseWith(lx);
  } finally {
    lx.release();
  }
}

function parseWith(lx: Lexer): Module {
  if (lx.kind === Tok.lparen && lx.peekIs('module')) {
    const start = lx.start;
    lx.next();
    lx.next();
    let name: string | null = null;
    if (lx.kind === Tok.id) {
      name = idName(lx);
      lx.next();
    }
    const module = parseModuleFields(lx, { name, start });
    if (lx.kind !== Tok.rparen) throw lx.unexpected();
    lx.next();
    if (lx.kind !== Tok.eof) throw lx.unexpected();
    return module;
  }
  const module = parseModuleFields(lx, { name: null });
  if (lx.kind !== Tok.eof) throw lx.unexpected();
  return module;
}
export { printModule, type PrintOptions } from './print.ts';
