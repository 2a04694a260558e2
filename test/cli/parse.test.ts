// `nanoprocess parse`: text in (file or stdin), binary out (file or stdout), errors as
// FILE:LINE:COLUMN: MESSAGE with exit code 1.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { firstInvalidUtf8 } from '../../src/cli/text-input.ts';
import { memoryIo } from './io.ts';
import { exportsOf } from './wasm.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-parse-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ADD = '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))';

function add(bytes: Uint8Array): number {
  return (exportsOf(bytes).add as (a: number, b: number) => number)(2, 40);
}

describe('nanoprocess parse', () => {
  it('writes the module to -o FILE', async () => {
    const input = join(dir, 'add.wat');
    const output = join(dir, 'add.wasm');
    writeFileSync(input, ADD);
    const io = memoryIo();
    assert.equal(await main(['parse', input, '-o', output], io), 0, io.errText());
    assert.equal(io.errText(), '');
    assert.equal(add(readFileSync(output)), 42);
  });

  it('reads standard input ("-" or no file) and writes standard output', async () => {
    for (const argv of [['parse'], ['parse', '-'], ['parse', '-', '-o', '-']]) {
      const io = memoryIo({ stdin: ADD });
      assert.equal(await main(argv, io), 0, io.errText());
      assert.equal(add(io.out()), 42);
    }
  });

  it('refuses to write binary to a terminal', async () => {
    const io = memoryIo({ stdin: ADD, stdoutIsTTY: true });
    assert.equal(await main(['parse', '-'], io), 2);
    assert.match(io.errText(), /refusing to write a binary module to a terminal; use -o FILE/);
    assert.equal(io.out().length, 0);
  });

  it('does not wait on a terminal when no input is named', async () => {
    const io = memoryIo({ stdinIsTTY: true });
    assert.equal(await main(['parse', '-o', join(dir, 'x.wasm')], io), 2);
    assert.match(io.errText(), /no input file given/);
  });

  const bad: [string, string, RegExp][] = [
    ['unbalanced', '(module\n  (func (result i32)\n    i32.const 1)', /^bad\.wat:\d+:\d+: .+\n$/],
    ['unknown instruction', '(module (func\n  i32.frobnicate))', /^bad\.wat:2:3: .*unknown operator/],
    ['deep nesting', '(module (func ' + '(block '.repeat(100_000) + ')'.repeat(100_000) + '))', /^bad\.wat:\d+:\d+: .+\n$/],
    ['deep unclosed nesting', '(module (func ' + '(block '.repeat(100_000), /^bad\.wat:\d+:\d+: .+\n$/],
  ];
  for (const [what, text, expected] of bad) {
    it(`reports ${what} as FILE:LINE:COLUMN: MESSAGE, exit 1, no stack`, async () => {
      const io = memoryIo({ stdin: text });
      const input = join(dir, 'bad.wat');
      writeFileSync(input, text);
      const code = await main(['parse', input, '-o', join(dir, 'bad.wasm')], io);
      assert.doesNotMatch(io.errText(), /\n\s+at |internal error/);
      // Deep but well formed: parsed, or refused with a clear error.
      if (what === 'deep nesting' && code === 0) return assert.equal(io.errText(), '');
      assert.equal(code, 1);
      assert.match(io.errText().replace(input, 'bad.wat'), expected);
      assert.doesNotMatch(io.errText(), /\n\s+at |internal error/);
    });
  }

  it('reports malformed UTF-8 with its position', async () => {
    const io = memoryIo({ stdin: new Uint8Array([...new TextEncoder().encode('(module\n  ;; caf'), 0xc3, 0x28, 0x0a, 0x29]) });
    assert.equal(await main(['parse'], io), 1);
    assert.equal(io.errText(), '<stdin>:2:9: malformed UTF-8 encoding\n');
  });

  it('reports a missing input file, exit 1', async () => {
    const io = memoryIo();
    assert.equal(await main(['parse', join(dir, 'missing.wat'), '-o', join(dir, 'x.wasm')], io), 1);
    assert.match(io.errText(), /cannot read .*missing\.wat: no such file or directory/);
  });

  it('reports an unwritable output file, exit 1', async () => {
    const io = memoryIo({ stdin: ADD });
    assert.equal(await main(['parse', '-o', join(dir, 'no', 'such', 'dir.wasm')], io), 1);
    assert.match(io.errText(), /cannot write .*dir\.wasm: no such file or directory/);
  });
});

describe('firstInvalidUtf8', () => {
  const cases: [number[], number][] = [
    [[0x61, 0x62], 2],
    [[0xe2, 0x82, 0xac], 3], // €
    [[0xf0, 0x9f, 0x98, 0x80], 4], // 😀
    [[0x61, 0x80], 1], // lone continuation byte
    [[0xc0, 0xaf], 0], // overlong
    [[0xe0, 0x80, 0xaf], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // truncated
  ];
  for (const [bytes, expected] of cases) {
    it(`[${bytes.map((b) => b.toString(16)).join(' ')}] → ${expected}`, () => {
      assert.equal(firstInvalidUtf8(new Uint8Array(bytes)), expected);
    });
  }
});
