// The spec suite's text modules: every `(module …)` written in text must parse, every
// `(module quote …)` must parse unless it is inside `assert_malformed`, where it must be
// rejected with the expected message. Modules are extracted with the text lexer itself
// (independent of the WAST script parser in src/wast/).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ParseError } from '../../src/model/errors.ts';
import { parseModule } from '../../src/text/index.ts';
import { Lexer, Tok } from '../../src/text/lexer.ts';
import { idName } from '../../src/text/literals.ts';
import { parseModuleFields } from '../../src/text/parser.ts';
import { decodeString } from '../../src/text/strings.ts';

const SUITE = fileURLToPath(new URL('../../../shared/spec-testsuite', import.meta.url));

/** `file:line` of assertions we knowingly do not meet, with the reason. */
const KNOWN: ReadonlyMap<string, string> = new Map([]);

interface Counts {
  parsed: number;
  rejected: number;
  problems: string[];
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

// Like a runner that decodes quoted bytes with replacement: invalid UTF-8 becomes U+FFFD.
const utf8 = new TextDecoder('utf-8');

function checkScript(name: string, source: string, counts: Counts): void {
  const lx = new Lexer(source, { file: name });
  const where = (offset: number) => `${name}:${lineOf(source, offset)}`;
  /** At `(module`'s keyword; leaves the lexer at the module's `)`. */
  const module = (context: string, at: number) => {
    lx.next();
    if (lx.is('definition')) lx.next();
    if (lx.is('instance')) return lx.skipToClose();
    let id: string | null = null;
    if (lx.kind === Tok.id) {
      id = idName(lx);
      lx.next();
    }
    if (lx.is('binary')) return lx.skipToClose();
    if (lx.is('quote')) {
      lx.next();
      const parts: number[] = [];
      while (lx.kind === Tok.string) {
        parts.push(...decodeString(lx.text())!);
        lx.next();
      }
      const mark = lx.save();
      lx.next();
      const expected = lx.kind === Tok.string ? lx.text().slice(1, -1) : '';
      lx.restore(mark);
      let error: unknown = null;
      try {
        parseModule(utf8.decode(new Uint8Array(parts)));
      } catch (e) {
        error = e;
      }
      if (context.startsWith('assert_malformed')) {
        const key = error === null || !(error instanceof ParseError) || !error.reason.startsWith(expected) ? where(at) : '';
        if (error === null) {
          if (!KNOWN.has(key)) counts.problems.push(`${key}: accepted a malformed module (${expected})`);
          return;
        }
        counts.rejected++;
        if (!(error instanceof ParseError)) counts.problems.push(`${key}: threw ${String(error)}`);
        else if (!error.reason.startsWith(expected)) counts.problems.push(`${key}: "${error.reason}", expected "${expected}"`);
      } else if (error !== null) {
        counts.problems.push(`${where(at)}: ${String(error)}`);
      } else counts.parsed++;
      return;
    }
    try {
      parseModuleFields(lx, { name: id });
      counts.parsed++;
    } catch (e) {
      counts.problems.push(`${where(at)}: ${String(e)}`);
      lx.restore(lx.save());
      lx.skipToClose();
    }
  };
  while (lx.kind === Tok.lparen) {
    const at = lx.start;
    lx.next();
    if (lx.is('module')) module('module', at);
    else if (lx.kind === Tok.keyword && lx.text().startsWith('assert_')) {
      const context = lx.text();
      lx.next();
      if (lx.kind === Tok.lparen && lx.peekIs('module')) {
        const inner = lx.start;
        lx.next();
        module(context, inner);
        lx.next();
      }
      lx.skipToClose();
    } else lx.skipToClose();
    if (lx.kind !== Tok.rparen) assert.fail(`${where(lx.start)}: command not closed`);
    lx.next();
  }
  assert.equal(lx.kind, Tok.eof, `${name}: trailing input`);
}

function scripts(): string[] {
  const out: string[] = [];
  for (const dir of ['', 'legacy/', 'custom/']) {
    if (!existsSync(`${SUITE}/${dir}`)) continue;
    for (const f of readdirSync(`${SUITE}/${dir}`).sort()) if (f.endsWith('.wast')) out.push(dir + f);
  }
  return out;
}

test('every text module of the spec suite parses; every malformed quote is rejected', { skip: !existsSync(SUITE) && 'spec suite not found' }, () => {
  const counts: Counts = { parsed: 0, rejected: 0, problems: [] };
  for (const name of scripts()) checkScript(name, readFileSync(`${SUITE}/${name}`, 'utf8'), counts);
  assert.deepEqual(counts.problems, []);
  assert.ok(counts.parsed > 5000, `parsed ${counts.parsed}`);
  assert.ok(counts.rejected > 1200, `rejected ${counts.rejected}`);
});
