// `nanoprocess print` (wasm2wat): the printed text parses back to the same module, flat or
// folded, to standard output or -o FILE; malformed binaries are reported with an offset.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeModule } from '../../src/binary/index.ts';
import { main } from '../../src/cli/main.ts';
import { parseModule } from '../../src/text/index.ts';
import { memoryIo } from './io.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-print-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = `(module $m
  (import "env" "log" (func $log (param i32)))
  (memory $mem 1)
  (global $g (mut i32) (i32.const 7))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func $main (export "main")
    (call $log (call $add (global.get $g) (i32.const 35))))
  (data (i32.const 16) "hello"))`;

const BYTES = encodeModule(parseModule(SOURCE));
const INPUT = join(dir, 'm.wasm');
writeFileSync(INPUT, BYTES);

async function print(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['print', ...argv], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('nanoprocess print', () => {
  for (const folded of [false, true]) {
    it(`prints text that parses back to the same binary${folded ? ' (--folded)' : ''}`, async () => {
      const r = await print(INPUT, ...(folded ? ['--folded'] : []));
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.match(r.out, /^\(module \$m\n/);
      assert.match(r.out, /\$add/, 'names come from the name section');
      assert.ok(r.out.endsWith('\n'));
      if (folded) assert.match(r.out, /\(i32\.add \(local\.get \$a\) \(local\.get \$b\)\)/);
      else assert.match(r.out, /^\s+local\.get \$b$/m);
      assert.deepEqual(encodeModule(parseModule(r.out)), BYTES);
    });
  }

  it('writes -o FILE', async () => {
    const output = join(dir, 'm.wat');
    const r = await print(INPUT, '-o', output);
    assert.deepEqual(r, { code: 0, out: '', err: '' });
    assert.deepEqual(encodeModule(parseModule(readFileSync(output, 'utf8'))), BYTES);
  });

  it('reads standard input for "-"', async () => {
    const io = memoryIo({ stdin: BYTES });
    assert.equal(await main(['print', '-'], io), 0, io.errText());
    assert.match(io.outText(), /^\(module \$m/);
  });

  it('reports a malformed binary with its offset, exit 1, no stack', async () => {
    const file = join(dir, 'truncated.wasm');
    writeFileSync(file, BYTES.subarray(0, BYTES.length - 3));
    const r = await print(file);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^${file}: offset 0x[0-9a-f]+: \\S.*\\n$`));
    assert.doesNotMatch(r.err, /\n\s+at |internal error/);
  });

  it('reports text input as not a binary module', async () => {
    const file = join(dir, 'text.wasm');
    writeFileSync(file, SOURCE);
    const r = await print(file);
    assert.equal(r.code, 1);
    assert.equal(r.err, `${file}: offset 0x0: magic header not detected\n`);
  });

  it('reports a missing file, exit 1', async () => {
    const r = await print(join(dir, 'missing.wasm'));
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot read .*missing\.wasm: no such file or directory/);
  });

  const usage: [string[], RegExp][] = [
    [[], /expected one input file, got 0/],
    [['a.wasm', 'b.wasm'], /expected one input file, got 2/],
    [['--frobnicate', 'a.wasm'], /^nanoprocess print: Unknown option '--frobnicate'/],
    [['a.wasm', '-o'], /argument missing/],
  ];
  for (const [argv, message] of usage) {
    it(`print ${argv.join(' ')} is a usage error (exit 2)`, async () => {
      const r = await print(...argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});
