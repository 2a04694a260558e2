// `nanoprocess validate`: binary or text by the magic number, nothing printed for valid
// files (FILE: valid with -v), the first error with its position, --features.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeModule } from '../../src/binary/index.ts';
import { parseFeatures } from '../../src/cli/features.ts';
import { main } from '../../src/cli/main.ts';
import { ALL_FEATURES, WASM2_FEATURES } from '../../src/model/features.ts';
import { parseModule } from '../../src/text/index.ts';
import { memoryIo } from './io.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-validate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, contents: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

const wasm = (text: string) => encodeModule(parseModule(text));

const VALID = '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))';
/** i32.add on an i64: invalid at the i32.add. */
const INVALID = '(module (func i32.const 1 i64.const 2 i32.add drop))';

async function validate(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['validate', ...argv], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('nanoprocess validate', () => {
  it('prints nothing for valid binary and text modules, exit 0', async () => {
    const r = await validate(write('ok.wasm', wasm(VALID)), write('ok.wat', VALID));
    assert.deepEqual(r, { code: 0, out: '', err: '' });
  });

  it('-v prints FILE: valid', async () => {
    const bin = write('ok.wasm', wasm(VALID));
    const text = write('ok.wat', VALID);
    const r = await validate('-v', bin, text);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${bin}: valid\n${text}: valid\n`);
  });

  it('decides binary or text by the magic number, not the extension', async () => {
    const r = await validate('-v', write('binary.wat', wasm(VALID)), write('text.wasm', VALID));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n').filter((l) => l.endsWith(': valid')).length, 2);
  });

  it('reports an invalid binary with the offset of the failing instruction', async () => {
    const bytes = wasm(INVALID);
    const add = bytes.findIndex((_, i) => [0x41, 0x01, 0x42, 0x02, 0x6a].every((b, k) => bytes[i + k] === b)) + 4;
    assert.ok(add > 4);
    const file = write('invalid.wasm', bytes);
    const r = await validate(file);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^${file}: offset 0x${add.toString(16)}: type mismatch.*\\(in function 0, instruction \\d+\\)\\n$`));
  });

  it('reports an invalid text module, and a text parse error with line and column', async () => {
    const invalid = write('invalid.wat', INVALID);
    const unparsable = write('unparsable.wat', '(module\n  (func i32.frobnicate))');
    const r = await validate(invalid, unparsable);
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n')[0]!.startsWith(`${invalid}: type mismatch`), true, r.err);
    assert.equal(r.err.split('\n')[1], `${unparsable}:2:9: unknown operator i32.frobnicate`);
  });

  it('reports a malformed binary with its offset, exit 1, no stack', async () => {
    const file = write('truncated.wasm', wasm(VALID).subarray(0, 20));
    const r = await validate(file);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^${file}: offset 0x[0-9a-f]+: \\S.*\\n$`));
    assert.doesNotMatch(r.err, /\n\s+at |internal error/);
  });

  it('checks every file: one failure fails the run, the valid ones stay quiet', async () => {
    const good = write('good.wasm', wasm(VALID));
    const bad = write('bad.wasm', wasm(INVALID));
    const missing = join(dir, 'missing.wasm');
    const r = await validate(good, bad, missing, good);
    assert.equal(r.code, 1);
    const lines = r.err.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[0]!.startsWith(`${bad}: offset 0x`));
    assert.match(lines[1]!, /cannot read .*missing\.wasm: no such file or directory/);
  });

  it('reads standard input for "-"', async () => {
    const io = memoryIo({ stdin: wasm(VALID) });
    assert.equal(await main(['validate', '-v', '-'], io), 0, io.errText());
    assert.equal(io.outText(), '<stdin>: valid\n');
  });

  it('--features turns proposals off', async () => {
    const simd = write('simd.wasm', wasm('(module (func (result v128) v128.const i64x2 0 0))'));
    const twoMemories = write('two-memories.wat', '(module (memory 1) (memory 1))');
    assert.equal((await validate(simd, twoMemories)).code, 0);
    const noSimd = await validate('--features=-simd', simd);
    assert.equal(noSimd.code, 1);
    assert.match(noSimd.err, /^.*simd\.wasm: offset 0x[0-9a-f]+: .*simd/);
    assert.equal((await validate('--features=wasm2', simd)).code, 0);
    const wasm2 = await validate('--features', 'wasm2', twoMemories);
    assert.equal(wasm2.code, 1);
    assert.match(wasm2.err, /multiple memories/);
    assert.equal((await validate('--features=wasm2,+multi-memory', twoMemories)).code, 0);
  });

  const onig = fileURLToPath(new URL('../../node_modules/vscode-oniguruma/release/onig.wasm', import.meta.url));
  it('validates a real module from npm', { skip: !existsSync(onig) }, async () => {
    const r = await validate(onig);
    assert.deepEqual(r, { code: 0, out: '', err: '' });
  });

  const usage: [string[], RegExp][] = [
    [[], /expected at least one file/],
    [['--frobnicate', 'x.wasm'], /^nanoprocess validate: Unknown option '--frobnicate'/],
    [['--features=-frobnicate', 'x.wasm'], /unknown feature 'frobnicate'/],
  ];
  for (const [argv, message] of usage) {
    it(`validate ${argv.join(' ')} is a usage error (exit 2)`, async () => {
      const r = await validate(...argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});

describe('parseFeatures', () => {
  it('starts from everything and applies the list in order', () => {
    assert.equal(parseFeatures([], 'validate'), ALL_FEATURES);
    assert.equal(parseFeatures(['-gc,+gc'], 'validate'), ALL_FEATURES);
    assert.deepEqual(parseFeatures(['-gc,-simd'], 'validate'), { ...ALL_FEATURES, gc: false, simd: false });
    assert.deepEqual(parseFeatures(['wasm2'], 'validate'), WASM2_FEATURES);
    assert.deepEqual(parseFeatures(['wasm2', 'threads'], 'validate'), { ...WASM2_FEATURES, threads: true });
    assert.equal(parseFeatures(['wasm1'], 'validate').simd, false);
    assert.equal(parseFeatures(['wasm3'], 'validate').threads, false);
  });
});
