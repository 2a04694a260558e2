// The README's examples: `nanoprocess run` of examples/sha256sum (C built for WASI)
// prints what sha256sum prints, only for files inside the granted directory; and
// `nanoprocess parse examples/sha256.wat` gives a module whose SHA-256 agrees with
// node:crypto, which examples/sha256.js prints like sha256sum.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { memoryIo } from './io.ts';
import { exportsOf } from './wasm.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-example-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Sha256 {
  memory: { buffer: ArrayBuffer };
  input: { value: number };
  init(): void;
  update(len: number): void;
  final(): number;
}

describe('examples/sha256.wat', () => {
  const wasm = join(dir, 'sha256.wasm');

  it('parses', async () => {
    const io = memoryIo();
    assert.equal(await main(['parse', join(root, 'examples', 'sha256.wat'), '-o', wasm], io), 0, io.errText());
  });

  it('computes SHA-256 at every padding boundary and across chunks', () => {
    const m = exportsOf(readFileSync(wasm)) as unknown as Sha256;
    const hash = (data: Uint8Array, chunk: number) => {
      m.init();
      for (let at = 0; at < data.length || at === 0; at += chunk) {
        const part = data.subarray(at, at + chunk);
        new Uint8Array(m.memory.buffer, m.input.value, part.length).set(part);
        m.update(part.length);
        if (data.length === 0) break;
      }
      return Buffer.from(m.memory.buffer, m.final(), 32).toString('hex');
    };
    const data = randomBytes(200_000);
    for (const len of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65536, 200_000]) {
      const msg = data.subarray(0, len);
      const expected = createHash('sha256').update(msg).digest('hex');
      for (const chunk of [1, 7, 64, 65536]) {
        if (chunk === 1 && len > 1000) continue;
        assert.equal(hash(msg, chunk), expected, `length ${len}, chunks of ${chunk}`);
      }
    }
  });

  it('runs with examples/sha256.js like sha256sum', () => {
    const file = join(dir, 'data.bin');
    const data = randomBytes(150_000);
    writeFileSync(file, data);
    const out = execFileSync(process.execPath, [join(root, 'examples', 'sha256.js'), wasm, file], { encoding: 'utf8' });
    assert.equal(out, `${createHash('sha256').update(data).digest('hex')}  ${file}\n`);
  });
});

describe('examples/sha256sum (nanoprocess run)', () => {
  const program = join(root, 'examples', 'sha256sum', 'sha256sum.wasm');
  const sum = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
  const data = randomBytes(300_000);
  writeFileSync(join(dir, 'big.bin'), data);
  writeFileSync(join(dir, 'empty'), '');

  it('hashes files in the granted directory like sha256sum', async () => {
    const io = memoryIo();
    assert.equal(await main(['run', '--dir', `${dir}::data`, program, 'data/big.bin', 'data/empty'], io), 0, io.errText());
    assert.equal(io.outText(), `${sum(data)}  data/big.bin\n${sum(new Uint8Array())}  data/empty\n`);
  });

  it('hashes standard input', async () => {
    const io = memoryIo({ stdin: data });
    assert.equal(await main(['run', program], io), 0, io.errText());
    assert.equal(io.outText(), `${sum(data)}  -\n`);
  });

  it('can open nothing without a grant, and nothing outside it', async () => {
    const none = memoryIo();
    assert.equal(await main(['run', program, join(dir, 'big.bin')], none), 1);
    assert.equal(none.outText(), '');
    assert.match(none.errText(), /Capabilities insufficient/);
    const outside = memoryIo();
    assert.equal(await main(['run', '--dir', `${dir}::data`, program, 'data/../../etc/passwd', '/etc/passwd'], outside), 1);
    assert.equal(outside.outText(), '');
    assert.match(outside.errText(), /data\/\.\.\/\.\.\/etc\/passwd: Operation not permitted/);
  });
});
