// The decoder on the spec suite (../shared/spec-testsuite): every module the suite
// contains round-trips (text modules: encode → decode → encode gives the same bytes and
// decode → encode → decode the same model; binary modules V8 accepts: decode → encode →
// decode gives the same model), and every binary `assert_malformed` module is rejected
// with a message that starts with the expected one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { DecodeError, EncodeError } from '../../src/model/errors.ts';
import type { Module } from '../../src/model/types.ts';
import { collectWastFiles } from '../../src/wast/files.ts';
import { parseScript } from '../../src/wast/parse.ts';
import type { Command } from '../../src/wast/commands.ts';
import { WA } from './helpers.ts';

const suiteDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'spec-testsuite');

interface Tally {
  text: number;
  binary: number;
  malformed: number;
  rejected: number;
}

/**
 * The text parser writes the data count section only when the module has data segments
 * (the reference encoder writes it whenever an instruction names a data segment), so a
 * few invalid text modules encode to binaries that are malformed for that reason.
 */
function isDataCountGap(m: Module, e: unknown): boolean {
  return !m.dataCount && e instanceof DecodeError && e.reason === 'data count section required';
}

function checkCommand(c: Command, where: string, tally: Tally, problems: string[]): void {
  if (!('module' in c) || typeof c.module !== 'object' || c.module === null || !('kind' in c.module)) return;
  const m = c.module;
  if (m.kind === 'text') {
    let b1: Uint8Array;
    try {
      b1 = encodeModule(m.module);
    } catch (e) {
      if (e instanceof EncodeError) return; // a model the binary format cannot express
      throw e;
    }
    try {
      const d1 = decodeModule(b1);
      const b2 = encodeModule(d1);
      assert.deepStrictEqual(b2, b1, 'encode(decode(bytes)) differs from bytes');
      assert.deepStrictEqual(decodeModule(b2), d1, 'decode(encode(model)) differs from model');
      tally.text++;
    } catch (e) {
      if (isDataCountGap(m.module, e)) return;
      problems.push(`${where}: text module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    return;
  }
  if (m.kind !== 'binary') return;
  if (c.kind === 'assert_malformed') {
    tally.malformed++;
    try {
      decodeModule(m.bytes);
      problems.push(`${where}: malformed module accepted (expected "${c.message}")`);
    } catch (e) {
      if (e instanceof DecodeError && e.reason.startsWith(c.message)) tally.rejected++;
      else problems.push(`${where}: expected "${c.message}", got ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  if (!WA.validate(m.bytes)) return;
  try {
    const d1 = decodeModule(m.bytes);
    assert.deepStrictEqual(decodeModule(encodeModule(d1)), d1);
    tally.binary++;
  } catch (e) {
    problems.push(`${where}: binary module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

if (!existsSync(suiteDir)) {
  test('decoder on the spec suite', { skip: `spec suite not found at ${suiteDir}` }, () => {});
} else {
  test('decoder on the spec suite: round trips and assert_malformed', (t) => {
    const tally: Tally = { text: 0, binary: 0, malformed: 0, rejected: 0 };
    const problems: string[] = [];
    for (const file of collectWastFiles([suiteDir])) {
      const name = relative(suiteDir, file);
      const script = parseScript(readFileSync(file, 'utf8'), name);
      for (const c of script.commands) checkCommand(c, `${join(name)}:${c.line}`, tally, problems);
    }
    t.diagnostic(
      `${tally.text} text modules and ${tally.binary} binary modules round-trip; ` +
        `${tally.rejected} of ${tally.malformed} binary assert_malformed rejected with the expected message`,
    );
    assert.deepEqual(problems, []);
    assert.ok(tally.text > 4000 && tally.binary > 50 && tally.malformed > 700);
  });
}
