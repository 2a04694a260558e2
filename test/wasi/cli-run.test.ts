// `nanoprocess run`: exit codes, arguments and argv[0], --env, --dir and --dir-ro,
// --invoke, --tcplisten, traps (exit 134), usage errors (exit 2), and stdio streamed
// through the real process's file descriptors.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { parseRunArgs } from '../../src/cli/run.ts';
import { memoryIo } from '../cli/io.ts';
import { ECHO, HELLO } from './guests.ts';
import { WASI_IMPORTS, wasm } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'nanoprocess-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, contents: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

async function run(args: string[], stdin = '') {
  const io = memoryIo({ stdin });
  const code = await main(['run', ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

/** A guest that prints its argv and environ, one per line, via a small WAT "printf". */
const PRINT_ALL = `(module ${WASI_IMPORTS}
  (memory (export "memory") 1)
  (func $strlen (param $p i32) (result i32) (local $e i32)
    (local.set $e (local.get $p))
    (block $d (loop $l (br_if $d (i32.eqz (i32.load8_u (local.get $e)))) (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $l)))
    (i32.sub (local.get $e) (local.get $p)))
  (func $line (param $p i32) (local $n i32)
    (local.set $n (call $strlen (local.get $p)))
    (i32.store8 (i32.add (local.get $p) (local.get $n)) (i32.const 10))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.add (local.get $n) (i32.const 1)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $all (param $list i32) (param $count i32) (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $count)))
      (call $line (i32.load (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (call $all (i32.const 1024) (i32.load (i32.const 16)))
    (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_get (i32.const 1024) (i32.const 8192)))
    (call $all (i32.const 1024) (i32.load (i32.const 16)))))`;

/** Opens "data.txt" in the first preopen, prints it; creates "out.txt" there with "written"; exits with 10 + errno of that. */
const FILES = `(module ${WASI_IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 100) "data.txt")
  (data (i32.const 120) "out.txt")
  (data (i32.const 140) "written")
  (func (export "_start") (local $e i32)
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)) (then unreachable))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 1000))
    (drop (call $fd_read (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 120) (i32.const 7) (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
    (if (i32.eqz (local.get $e)) (then
      (i32.store (i32.const 0) (i32.const 140))
      (i32.store (i32.const 4) (i32.const 7))
      (drop (call $fd_write (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 8)))))
    (call $proc_exit (i32.add (i32.const 10) (local.get $e)))))`;

describe('nanoprocess run', () => {
  it('runs a command: its output, and proc_exit as the exit status', async () => {
    const path = file('hello.wat', HELLO);
    assert.deepEqual(await run([path, 'there']), { code: 3, out: 'hi there\n', err: '' });
    assert.deepEqual(await run([file('hello.wasm', wasm(HELLO))]), { code: 0, out: '', err: '' });
  });

  it('gives the guest the file name as written as argv[0], then the arguments, options included', async () => {
    const path = file('print.wat', PRINT_ALL);
    const r = await run(['--', path, '--env', 'X=1', '-h']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${path}\n--env\nX=1\n-h\n`);
  });

  it('grants no environment unless asked; --env NAME=VALUE and --env NAME (inherited)', async () => {
    const path = file('print.wat', PRINT_ALL);
    assert.equal((await run([path])).out, `${path}\n`);
    process.env.NANOPROCESS_TEST_VAR = 'inherited';
    try {
      const r = await run(['--env', 'A=1', '--env=B=two=2', '--env', 'NANOPROCESS_TEST_VAR', '--env', 'NANOPROCESS_UNSET_VAR', path]);
      assert.equal(r.out, `${path}\nA=1\nB=two=2\nNANOPROCESS_TEST_VAR=inherited\n`);
    } finally {
      delete process.env.NANOPROCESS_TEST_VAR;
    }
  });

  it('--dir HOST::GUEST grants a directory; --dir-ro grants it read-only', async () => {
    const host = join(dir, 'granted');
    mkdirSync(host, { recursive: true });
    writeFileSync(join(host, 'data.txt'), 'file contents\n');
    const path = file('files.wat', FILES);
    const rw = await run(['--dir', `${host}::/data`, path]);
    assert.deepEqual(rw, { code: 10, out: 'file contents\n', err: '' });
    assert.equal(readFileSync(join(host, 'out.txt'), 'utf8'), 'written');
    rmSync(join(host, 'out.txt'));
    const ro = await run(['--dir-ro', host, path]);
    assert.equal(ro.out, 'file contents\n');
    assert.equal(ro.code, 10 + 76, 'notcapable');
    assert.throws(() => readFileSync(join(host, 'out.txt')));
    const none = await run([path]);
    assert.equal(none.code, 134, 'no preopen: path_open fails and the guest traps');
  });

  it('--invoke calls an export with typed arguments and prints the results', async () => {
    const path = file('calc.wat', `(module
      (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))
      (func (export "pair") (param f64) (result f64 i32) (f64.mul (local.get 0) (f64.const 2)) (i32.const -1))
      (func (export "none")))`);
    assert.deepEqual(await run(['--invoke', 'add', path, '-3', '10']), { code: 0, out: '7\n', err: '' });
    assert.deepEqual(await run(['--invoke', 'pair', path, '1.25']), { code: 0, out: '2.5\n-1\n', err: '' });
    assert.deepEqual(await run(['--invoke', 'none', path]), { code: 0, out: '', err: '' });
    const wrong = await run(['--invoke', 'add', path, '1']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /takes 2 argument/);
    assert.equal((await run(['--invoke', 'add', path, 'x', '1'])).code, 2);
    assert.equal((await run(['--invoke', 'add', path, '4294967296', '1'])).code, 2);
    assert.match((await run(['--invoke', 'missing', path])).err, /no function 'missing'/);
  });

  it('exit codes of 126 and more are outside WASI\'s range: an error, exit 1 (as Wasmtime)', async () => {
    const exit = (code: number) => file(`exit${code}.wat`, `(module (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32))) (memory (export "memory") 1) (func (export "_start") (call $e (i32.const ${code}))))`);
    assert.deepEqual(await run([exit(125)]), { code: 125, out: '', err: '' });
    const r = await run([exit(126)]);
    assert.equal(r.code, 1);
    assert.match(r.err, /outside of \[0\.\.126\)/);
  });

  it('a trap prints the trap and its backtrace, exit 134', async () => {
    const path = file('trap.wat', '(module (func $inner unreachable) (func (export "_start") call $inner))');
    const r = await run([path]);
    assert.equal(r.code, 134);
    assert.equal(r.out, '');
    assert.match(r.err, /wasm trap: unreachable/);
    assert.match(r.err, /\$?inner/);
  });

  it('bad modules, missing imports and missing files are exit 1; bad usage is exit 2', async () => {
    const bad = await run([file('bad.wat', '(module (func (result i32)))')]);
    assert.equal(bad.code, 1);
    // Text: no offset into an encoding the user never saw, but the function and instruction.
    assert.match(bad.err, /^\S*bad\.wat: type mismatch: .*\(in function 0, instruction 0\)\n$/);
    const badBinary = await run([file('bad.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1]))]);
    assert.equal(badBinary.code, 1);
    assert.match(badBinary.err, /bad\.wasm: offset 0x9: /);
    const link = await run([file('link.wat', '(module (import "env" "f" (func)))')]);
    assert.equal(link.code, 1);
    assert.match(link.err, /env/);
    assert.equal((await run([join(dir, 'missing.wasm')])).code, 1);
    assert.equal((await run(['--nope', 'x.wasm'])).code, 2);
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['--dir'])).code, 2);
    assert.equal((await run(['--dir', '::x', 'f.wasm'])).code, 2);
    assert.equal((await run(['--tcplisten', 'nonsense', file('ok.wat', '(module)')])).code, 2);
    const nodir = await run(['--dir', join(dir, 'no-such-dir'), file('ok.wat', '(module)')]);
    assert.equal(nodir.code, 1);
  });

  it('--trace logs each WASI call and its errno to stderr', async () => {
    const r = await run(['--trace', file('hello2.wat', HELLO)]);
    assert.equal(r.code, 0);
    assert.equal(r.err, 'wasi: args_sizes_get(argc_ptr=16, argv_buf_size_ptr=20) -> success\n');
  });

  it('--help describes the flags', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--dir', '--dir-ro', '--env', '--invoke', '--tcplisten', '134']) assert.ok(r.out.includes(flag), flag);
  });

  it('parses options only before the file', () => {
    const o = parseRunArgs(['--dir', 'a::b', '--dir=c', 'f.wasm', '--dir', 'x']);
    assert.deepEqual(o.dirs, [{ host: 'a', guest: 'b', readOnly: false }, { host: 'c', guest: 'c', readOnly: false }]);
    assert.equal(o.file, 'f.wasm');
    assert.deepEqual(o.args, ['--dir', 'x']);
  });

  it('feeds stdin to the guest', async () => {
    const r = await run([file('echo.wat', ECHO)], 'piped in');
    assert.deepEqual(r, { code: 0, out: 'piped in', err: '' });
  });

  it('--tcplisten preopens a listening socket the guest accepts on', async () => {
    // A free port: listen on 0, close, reuse its number.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const guest = file('server.wat', `(module ${WASI_IMPORTS}
      (memory (export "memory") 1)
      (data (i32.const 100) "hello from the guest\\n")
      (func (export "_start")
        (if (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 16)) (then unreachable))
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 21))
        (if (call $sock_send (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 8)) (then unreachable))
        (drop (call $fd_close (i32.load (i32.const 16))))))`);
    const running = run(['--tcplisten', `127.0.0.1:${port}`, guest]);
    let text = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        text = await new Promise<string>((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          let got = '';
          s.on('data', (d) => (got += d));
          s.on('end', () => resolve(got));
          s.on('error', reject);
        });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    assert.equal(text, 'hello from the guest\n');
    assert.deepEqual(await running, { code: 0, out: '', err: '' });
  });

  it('streams stdio through the process: output appears before stdin ends', async () => {
    const bin = fileURLToPath(new URL('../../bin/nanoprocess.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'run', file('echo2.wat', ECHO)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const firstChunk = new Promise<void>((resolve) => child.stdout.on('data', (d) => ((out += d), resolve())));
    child.stdin.write('first line\n');
    await firstChunk;
    assert.equal(out, 'first line\n', 'echoed while stdin is still open');
    child.stdin.end('second\n');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0);
    assert.equal(out, 'first line\nsecond\n');
  });
});
