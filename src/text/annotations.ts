// Custom annotations (spec appendix "Custom Annotations"): `(@name "…")` for the name
// section and `(@custom "name" (before|after section)? "bytes"*)` for custom sections.
// Other annotations are white space and never reach this file (see ./lexer.ts).

import type { CustomPlacement, CustomSection, SectionName } from '../model/types.ts';
import { Lexer, Tok, type AnnotationRecord } from './lexer.ts';
import { decodeName, decodeString } from './strings.ts';

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
  let total = 0;
  while (sub.kind === Tok.string) {
    const bytes = decodeString(sub.text());
    if (bytes === undefined) throw sub.error('malformed string literal');
    parts.push(bytes);
    total += bytes.length;
    sub.next();
  }
  if (sub.kind !== Tok.rparen) throw sub.error('@custom annotation: unexpected token');
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return { name, bytes, placement };
}
