// `nanoprocess wast`: one line per script, a final `N passed, N failed, N skipped` line,
// --json with every assertion, exit 1 when anything failed.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { collectScripts } from '../../src/cli/wast.ts';
import { memoryIo } from './io.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-wast-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PASS = `
(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const -1) (i32.const 1)) (i32.const 0))
`;
const FAIL = `
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
`;
const BROKEN = '(module (func (export "x")\n  (i32.const 1)';

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const pass = write(join(dir, 'a', 'pass.wast'), PASS);
const fail = write(join(dir, 'b', 'fail.wast'), FAIL);
const broken = write(join(dir, 'c', 'broken.wast'), BROKEN);
write(join(dir, 'a', 'z', 'nested.wast'), PASS);
write(join(dir, 'a', 'notes.txt'), 'not a script');

const LINE = /^(.+): (\d+) passed, (\d+) failed, (\d+) skipped$/;
const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;

function parseOutput(text: string) {
  const lines = text.trimEnd().split('\n');
  const files = lines.filter((l) => LINE.test(l)).map((l) => {
    const m = LINE.exec(l)!;
    return { file: m[1]!, passed: +m[2]!, failed: +m[3]!, skipped: +m[4]! };
  });
  const s = SUMMARY.exec(lines.at(-1)!);
  assert.ok(s, `last line is the summary: ${JSON.stringify(lines.at(-1))}`);
  return { files, passed: +s[1]!, failed: +s[2]!, skipped: +s[3]! };
}

describe('nanoprocess wast', () => {
  it('expands directories recursively to .wast files, in name order', async () => {
    assert.deepEqual(await collectScripts([join(dir, 'a'), fail]), [pass, join(dir, 'a', 'z', 'nested.wast'), fail]);
  });

  it('passes a passing script: exit 0, one line per file, summary last', async () => {
    const io = memoryIo();
    assert.equal(await main(['wast', join(dir, 'a')], io), 0, io.outText() + io.errText());
    const out = parseOutput(io.outText());
    assert.deepEqual(out.files.map((f) => f.file), [pass, join(dir, 'a', 'z', 'nested.wast')]);
    assert.equal(out.failed, 0);
    assert.ok(out.passed >= 4);
    assert.equal(out.passed, out.files.reduce((n, f) => n + f.passed, 0));
  });

  it('exits 1 when an assertion fails, and lists it with its position', async () => {
    const io = memoryIo();
    assert.equal(await main(['wast', fail], io), 1);
    const out = parseOutput(io.outText());
    assert.equal(out.failed, 1);
    assert.match(io.outText(), new RegExp(`^  ${fail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: assert_return: `, 'm'));
  });

  it('counts a script that does not parse as one failure, with FILE:LINE:COLUMN', async () => {
    const io = memoryIo();
    assert.equal(await main(['wast', broken, pass], io), 1);
    const out = parseOutput(io.outText());
    assert.deepEqual(out.files[0], { file: broken, passed: 0, failed: 1, skipped: 0 });
    assert.match(io.outText(), new RegExp(`^  ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    assert.doesNotMatch(io.outText(), /\n\s+at /);
  });

  it('--json writes every assertion to stdout and the lines to stderr', async () => {
    const io = memoryIo();
    assert.equal(await main(['wast', '--json', pass, fail], io), 1);
    const json = JSON.parse(io.outText()) as {
      passed: number;
      failed: number;
      skipped: number;
      files: { file: string; passed: number; failed: number; assertions: { line: number; kind: string; status: string }[] }[];
    };
    assert.deepEqual(json.files.map((f) => f.file), [pass, fail]);
    assert.equal(json.failed, 1);
    const failed = json.files[1]!.assertions.filter((a) => a.status === 'failed');
    assert.deepEqual(failed.map((a) => [a.line, a.kind]), [[4, 'assert_return']]);
    const out = parseOutput(io.errText());
    assert.deepEqual([out.passed, out.failed, out.skipped], [json.passed, json.failed, json.skipped]);
  });

  it('prints the note of a command that passed through a workaround for V8', async () => {
    const clamped = write(join(dir, 'd', 'clamped.wast'), '(module (memory i64 0 0x1_0000_0000_0000))\n');
    const io = memoryIo();
    assert.equal(await main(['wast', clamped], io), 0, io.outText());
    assert.equal(parseOutput(io.outText()).passed, 1);
    assert.match(io.outText(), /^  .*clamped\.wast:1:1: module: note: .*implementation limit$/m);
  });

  it('reports a missing path, exit 1', async () => {
    const io = memoryIo();
    assert.equal(await main(['wast', join(dir, 'missing')], io), 1);
    assert.match(io.errText(), /cannot read .*missing: no such file or directory/);
  });
});
