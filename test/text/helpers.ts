// Helpers for the text-format tests: compact renderings of parsed instructions and a
// small throwaway extraction of modules from .wast scripts (independent of src/wast).

import assert from 'node:assert/strict';
import type { Instruction } from '../../src/model/instruction.ts';
import { INSTRUCTIONS } from '../../src/model/opcodes.ts';
import { ParseError } from '../../src/model/errors.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';

function imm(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return `[${Array.from(v).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(imm).join(',')}]`;
  return `{${Object.entries(v as object)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, x]) => `${k}:${imm(x)}`)
    .join(',')}}`;
}

/** `name imm` for each instruction, joined with `; `. */
export function render(instrs: readonly Instruction[]): string {
  return instrs
    .map((i) => {
      const s = imm(i.imm);
      return s === '' ? INSTRUCTIONS[i.op]!.name : `${INSTRUCTIONS[i.op]!.name} ${s}`;
    })
    .join('; ');
}

/** The rendered body of defined function `i`. */
export function body(m: Module, i = 0): string {
  return render(m.funcs[i]!.body);
}

/** Parses `source` and renders the body of function `i`. */
export function bodyOf(source: string, i = 0): string {
  return body(parseModule(source), i);
}

/** Asserts that parsing fails with a ParseError whose reason starts with `reason`. */
export function rejects(source: string, reason: string, at?: { line: number; column: number }): ParseError {
  try {
    parseModule(source);
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.ok(e.reason.startsWith(reason), `expected "${reason}…", got "${e.reason}" for ${source}`);
    if (at) assert.deepEqual({ line: e.line, column: e.column }, at, `position of "${e.reason}"`);
    return e;
  }
  assert.fail(`expected "${reason}" for ${source}`);
}
