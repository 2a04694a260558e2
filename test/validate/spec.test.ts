// The validator against the spec suite (../shared/spec-testsuite): every module the
// scripts define (text, quoted or binary) must validate, and every `assert_invalid`
// module must be rejected with a ValidationError whose reason starts with the expected
// message (as the reference interpreter's runner compares). Binary modules go through
// the decoder; one it cannot decode is counted apart (that is the decoder's business).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { ValidationError } from '../../src/model/errors.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { validateModule } from '../../src/validate/index.ts';
import type { ScriptModule } from '../../src/wast/commands.ts';
import { collectWastFiles } from '../../src/wast/files.ts';
import { parseScript } from '../../src/wast/parse.ts';

const SUITE = fileURLToPath(new URL('../../../shared/spec-testsuite', import.meta.url));

/** `file:line` of assertions we knowingly do not meet, with the reason (none today). */
const KNOWN: ReadonlyMap<string, string> = new Map([]);

const utf8 = new TextDecoder('utf-8');

/** The module's model, or null when it does not parse/decode (not a validation matter). */
function load(m: ScriptModule): Module | null {
  try {
    if (m.kind === 'text') return m.module;
    if (m.kind === 'quote') return parseModule(utf8.decode(m.bytes));
    return decodeModule(m.bytes);
  } catch {
    return null;
  }
}

test('spec suite: valid modules validate, assert_invalid modules are rejected with the spec message', { skip: !existsSync(SUITE) }, (t) => {
  let valid = 0;
  let invalid = 0;
  let unloadable = 0;
  const problems: string[] = [];
  for (const file of collectWastFiles([SUITE])) {
    const name = file.slice(SUITE.length + 1);
    const script = parseScript(readFileSync(file, 'utf8'), name);
    for (const c of script.commands) {
      const where = `${name}:${c.line}`;
      if (KNOWN.has(where)) continue;
      switch (c.kind) {
        case 'module':
        case 'assert_trap_module':
        case 'assert_unlinkable':
        case 'assert_uninstantiable': {
          const m = load(c.module);
          if (m === null) {
            unloadable++;
            break;
          }
          try {
            validateModule(m);
            valid++;
          } catch (e) {
            problems.push(`${where}: valid module rejected: ${e instanceof Error ? e.message : String(e)}`);
          }
          break;
        }
        case 'assert_invalid': {
          const m = load(c.module);
          if (m === null) {
            unloadable++;
            break;
          }
          try {
            validateModule(m);
            problems.push(`${where}: accepted, expected "${c.message}"`);
          } catch (e) {
            if (!(e instanceof ValidationError)) {
              problems.push(`${where}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
            } else if (!e.reason.startsWith(c.message)) {
              problems.push(`${where}: expected "${c.message}", got "${e.reason}"`);
            } else {
              invalid++;
            }
          }
          break;
        }
      }
    }
  }
  t.diagnostic(`valid modules accepted: ${valid}; assert_invalid rejected with the spec message: ${invalid}; not loadable: ${unloadable}`);
  assert.deepEqual(problems, []);
  assert.ok(valid > 2000 && invalid > 2500, `too few modules checked (${valid} valid, ${invalid} invalid)`);
});
