// The printer on the spec suite: every text module of every script, and every binary
// module our decoder accepts, printed flat and folded, read back and encoded, gives the
// bytes of the original's encoding (see ./print-roundtrip.ts for the known gaps).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import type { ScriptModule } from '../../src/wast/commands.ts';
import { collectWastFiles } from '../../src/wast/files.ts';
import { parseScript } from '../../src/wast/parse.ts';
import { Tally, roundTrip } from './print-roundtrip.ts';

const suiteDir = fileURLToPath(new URL('../../../shared/spec-testsuite', import.meta.url));
const present = existsSync(suiteDir);

interface Case {
  readonly where: string;
  readonly module: Module;
  readonly bytes: Uint8Array;
}

interface Modules {
  /** Modules of `module` commands (the ones the suite instantiates). */
  readonly valid: Case[];
  /** Well-formed modules of `assert_invalid`, `assert_unlinkable`, `assert_trap` …. */
  readonly other: Case[];
  readonly counts: Record<string, number>;
}

function suiteModules(): Modules {
  const valid: Case[] = [];
  const other: Case[] = [];
  const counts: Record<string, number> = { text: 0, binary: 0, quote: 0, skipped: 0 };
  for (const file of collectWastFiles([suiteDir])) {
    const name = relative(suiteDir, file);
    const script = parseScript(readFileSync(file, 'utf8'), file);
    for (const c of script.commands) {
      if (!('module' in c) || c.kind === 'assert_malformed' || typeof c.module !== 'object' || c.module === null) continue;
      const sm = c.module as ScriptModule;
      let module: Module;
      try {
        if (sm.kind === 'text') module = sm.module;
        else if (sm.kind === 'binary') module = decodeModule(sm.bytes);
        else module = parseModule(new TextDecoder('utf-8', { fatal: true }).decode(sm.bytes));
        const bytes = encodeModule(module);
        (c.kind === 'module' ? valid : other).push({ where: `${name}:${c.line} ${c.kind}`, module, bytes });
        counts[sm.kind]!++;
      } catch {
        counts.skipped!++;
      }
    }
  }
  return { valid, other, counts };
}

test('printer round trip on the spec suite', { skip: present ? false : 'spec suite not present' }, async (t) => {
  const { valid, other, counts } = suiteModules();
  t.diagnostic(
    `${valid.length} modules of module commands, ${other.length} well-formed modules of assertions ` +
      `(${counts.text} text, ${counts.binary} binary, ${counts.quote} quoted; ${counts.skipped} not decodable or not encodable, skipped)`,
  );
  for (const [label, cases] of [['module commands', valid], ['assertion modules', other]] as const) {
    for (const folded of [false, true]) {
      await t.test(`${label}, ${folded ? 'folded' : 'flat'}`, (tt) => {
        const tally = new Tally();
        for (const c of cases) tally.add(c.where, roundTrip(c.module, folded, c.bytes));
        tt.diagnostic(tally.summary());
        assert.deepEqual(tally.failures.slice(0, 20), []);
        assert.equal(tally.gap, 0, 'no module needs a difference the text cannot carry');
      });
    }
  }
});
