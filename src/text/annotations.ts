// Custom annotations (spec appendix "Custom Annotations"): `(@name "…")` for the name
// section and `(@custom "name" (before|after section)? "bytes"*)` for custom sections.
//
// Two more are ours, for binary layout the text format cannot otherwise say, so that a
// printed module parses back to the same bytes (other tools skip them as white space):
// - `(@datacount)` at module level: emit the data count section even though no
//   instruction names a data segment (wasm-ld emits it whenever bulk memory is on);
// - `(@local.runs N…)` in a function: how the binary groups its locals into runs
//   (adjacent runs of one type, or runs of zero locals, are legal in binaries).
// Other annotations are white space and never reach this file (see ./lexer.ts).

import { concatBytes } from '../binary/writer.ts';
import type { CustomPlacement, CustomSection, LocalRun, SectionName, ValType } from '../model/types.ts';
import { valTypeEquals } from '../model/types.ts';
import type { ModuleContext } from './context.ts';
import { Lexer, Tok, type AnnotationRecord } from './lexer.ts';
import { decodeName, decodeString } from './strings.ts';
import { parseValType } from './types.ts';

function subLexer(lx: Lexer, record: AnnotationRecord): Lexer {
  const sub = new Lexer(lx.source, { file: lx.file, offset: record.bodyStart, end: record.end });
  return sub;
}

/** The name given by a `(@name "…")` annotation. */
export function parseNameAnnotation(lx: Lexer, record: AnnotationRecord): string {
  const sub = subLexer(lx, record);
  if (sub.kind !== Tok.string) throw sub.error('@name annotation: string expected', record.start);
  const name = decodeName(sub.text());
  if (name === undefined) throw sub.error('malformed UTF-8 encoding');
  sub.next();
  if (sub.kind !== Tok.rparen) throw sub.error('@name annotation: unexpected token');
  return name;
}

/** Checks that `(@datacount)` has no content. */
export function parseDataCountAnnotation(lx: Lexer, record: AnnotationRecord): void {
  const sub = subLexer(lx, record);
  if (sub.kind !== Tok.rparen) throw sub.error('@datacount annotation: unexpected token');
}

/**
 * The local runs a `(@local.runs …)` annotation gives a function whose declared local
 * types are `types`: each count N > 0 takes the next N declared locals (all of one
 * type); `0 T` is a run of zero locals of type T.
 */
export function parseLocalRunsAnnotation(ctx: ModuleContext, record: AnnotationRecord, types: readonly ValType[]): LocalRun[] {
  const sub = subLexer(ctx.lx, record);
  // The same module context, reading types from the annotation's own tokens.
  const subCtx: ModuleContext = Object.create(ctx, { lx: { value: sub } });
  const runs: LocalRun[] = [];
  let at = 0;
  while (sub.kind !== Tok.rparen) {
    const text = sub.kind === Tok.number ? sub.text() : '';
    if (!/^[0-9]{1,10}$/.test(text) || Number(text) > 0xffffffff) throw sub.error('@local.runs annotation: malformed count');
    const count = Number(text);
    sub.next();
    if (count === 0) {
      runs.push({ count: 0, type: parseValType(subCtx) });
      continue;
    }
    if (at + count > types.length) throw sub.error('@local.runs annotation: more locals than declared');
    const type = types[at]!;
    for (let k = at + 1; k < at + count; k++) {
      if (!valTypeEquals(types[k]!, type)) throw sub.error('@local.runs annotation: a run of locals of different types');
    }
    runs.push({ count, type });
    at += count;
  }
  if (at !== types.length) throw sub.error('@local.runs annotation: fewer locals than declared');
  return runs;
}

const SECTIONS: Record<string, SectionName | 'first' | 'last'> = {
  type: 'type',
  import: 'import',
  func: 'function',
  table: 'table',
  memory: 'memory',
  tag: 'tag',
  global: 'global',
  export: 'export',
  start: 'start',
  elem: 'element',
  code: 'code',
  data: 'data',
  datacount: 'dataCount',
  first: 'first',
  last: 'last',
};

/** The custom section described by a `(@custom …)` annotation. */
export function parseCustomAnnotation(lx: Lexer, record: AnnotationRecord): CustomSection {
  const sub = subLexer(lx, record);
  if (sub.kind !== Tok.string) throw sub.error('@custom annotation: missing section name', record.start);
  const name = decodeName(sub.text());
  if (name === undefined) throw sub.error('@custom annotation: malformed UTF-8 encoding');
  sub.next();
  let placement: CustomPlacement = { kind: 'last' };
  if (sub.kind === Tok.lparen) {
    const at = sub.start;
    sub.next();
    let dir: 'before' | 'after';
    if (sub.is('before')) dir = 'before';
    else if (sub.is('after')) dir = 'after';
    else throw sub.error('@custom annotation: malformed placement', at);
    sub.next();
    const section = sub.kind === Tok.keyword ? SECTIONS[sub.text()] : undefined;
    if (section === undefined) throw sub.error('@custom annotation: malformed section kind', at);
    sub.next();
    if (sub.kind !== Tok.rparen) throw sub.error('@custom annotation: unexpected token');
    sub.next();
    if (section === 'first') placement = dir === 'before' ? { kind: 'first' } : { kind: 'after', section: 'type' };
    else if (section === 'last') placement = dir === 'after' ? { kind: 'last' } : { kind: 'before', section: 'data' };
    else placement = { kind: dir, section };
  }
  const parts: Uint8Array[] = [];
  while (sub.kind === Tok.string) {
    const bytes = decodeString(sub.text());
    if (bytes === undefined) throw sub.error('malformed string literal');
    parts.push(bytes);
    sub.next();
  }
  if (sub.kind !== Tok.rparen) throw sub.error('@custom annotation: unexpected token');
  return { name, bytes: concatBytes(parts), placement };
}
