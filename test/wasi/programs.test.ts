// The WASI test programs of test/wasi/programs/ (C, C++, Rust, AssemblyScript, WAT):
// each NAME[.CASE].json says how to run NAME.wasm (args, env, directories with their
// files, stdin, a socket) and what it must do (exit code, stderr); NAME[.CASE].stdout
// is its expected transcript. Every case runs through the CLI (`bin/nanoprocess.js run`
// in a child process, on fresh host directories) and, where the library allows, through
// runWasi on an in-memory file system. Together the programs call all 46 functions.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const programs = join(root, 'test', 'wasi', 'programs');
const bin = join(root, 'bin', 'nanoprocess.js');

/** Until the `run` subcommand exists the CLI cases are skipped (and counted as skipped). */
const RUN_MISSING = existsSync(join(root, 'src', 'cli', 'run.ts')) ? false : 'src/cli/run.ts does not exist yet';

interface Spec {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Preopened directories, in order (fds 3, 4, ...): the guest's name and the files to create. */
  readonly dirs?: readonly { readonly guest: string; readonly files: Readonly<Record<string, string>> }[];
  readonly stdin?: string;
  readonly exit_code?: number;
  readonly stderr?: string;
  /** Needs a listening socket (--tcplisten): the test sends `send` and expects `reply`. */
  readonly socket?: boolean;
  readonly send?: string;
  readonly reply?: string;
}

interface Case {
  /** NAME or NAME.CASE */
  readonly name: string;
  readonly wasm: string;
  readonly spec: Spec;
  readonly stdout: string;
}

function loadCases(): Case[] {
  return readdirSync(programs)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.json'.length);
      const program = name.split('.')[0]!;
      return {
        name,
        wasm: join(programs, `${program}.wasm`),
        spec: JSON.parse(readFileSync(join(programs, file), 'utf8')) as Spec,
        stdout: readFileSync(join(programs, `${name}.stdout`), 'utf8'),
      };
    });
}

const CASES = loadCases();

/** Fresh host directories holding each preopen's files; `cleanup` removes them. */
function makeDirs(spec: Spec): { hostDirs: string[]; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'nanoprocess-programs-'));
  const hostDirs = (spec.dirs ?? []).map((d, i) => {
    const host = join(base, String(i));
    mkdirSync(host);
    for (const [path, contents] of Object.entries(d.files)) {
      mkdirSync(dirname(join(host, path)), { recursive: true });
      writeFileSync(join(host, path), contents);
    }
    return host;
  });
  return { hostDirs, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with these arguments and stdin; kills it after `timeoutMs`. */
function runCli(args: readonly string[], stdin: string, timeoutMs = 60_000): { done: Promise<Result> } {
  const child = spawn(process.execPath, [bin, 'run', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => {}); // a guest that never reads its stdin
  child.stdin.end(stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Result>((resolvePromise) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
  return { done };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Connects to the guest's socket, retrying while the child starts; sends, reads to the end. */
async function talk(port: number, send: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const socket = await new Promise<Socket>((ok, fail) => {
        const s = connect(port, '127.0.0.1', () => ok(s));
        s.once('error', fail);
      });
      let reply = '';
      socket.setEncoding('utf8').on('data', (d: string) => (reply += d));
      socket.write(send);
      await new Promise<void>((r) => socket.once('end', () => r()));
      socket.end();
      return reply;
    } catch (e) {
      if (attempt >= 200) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function checkResult(c: Case, r: Result): void {
  const context = `${c.name}: exit ${r.code}\n--- stderr ---\n${r.stderr}`;
  assert.equal(r.stdout, c.stdout, context);
  assert.equal(r.code, c.spec.exit_code ?? 0, context);
  if (c.spec.stderr !== undefined) assert.equal(r.stderr, c.spec.stderr);
}

describe('WASI test programs through `nanoprocess run` on host directories', () => {
  for (const c of CASES) {
    it(c.name, { skip: RUN_MISSING }, async () => {
      const { hostDirs, cleanup } = makeDirs(c.spec);
      try {
        const args: string[] = [];
        (c.spec.dirs ?? []).forEach((d, i) => args.push('--dir', `${hostDirs[i]}::${d.guest}`));
        for (const [k, v] of Object.entries(c.spec.env ?? {})) args.push('--env', `${k}=${v}`);
        const port = c.spec.socket ? await freePort() : 0;
        if (c.spec.socket) args.push('--tcplisten', `127.0.0.1:${port}`);
        args.push(c.wasm, ...(c.spec.args ?? []));
        const run = runCli(args, c.spec.stdin ?? '');
        if (c.spec.socket) assert.equal(await talk(port, c.spec.send ?? ''), c.spec.reply);
        checkResult(c, await run.done);
      } finally {
        cleanup();
      }
    });
  }
});

describe('WASI test programs through runWasi on an in-memory file system', () => {
  for (const c of CASES.filter((x) => !x.spec.socket)) {
    it(c.name, { skip: RUN_MISSING }, async () => {
      const { runWasi, MemoryFileSystem, MemoryOutput } = await import('../../src/wasi/index.ts');
      const preopens = (c.spec.dirs ?? []).map((d) => {
        const fs = new MemoryFileSystem();
        for (const [path, contents] of Object.entries(d.files)) fs.writeFile(path, contents);
        return { guestPath: d.guest, dir: fs.root() };
      });
      const stdout = new MemoryOutput();
      const stderr = new MemoryOutput();
      const code = await runWasi(new Uint8Array(readFileSync(c.wasm)), {
        args: [`${c.name.split('.')[0]}.wasm`, ...(c.spec.args ?? [])],
        env: c.spec.env ?? {},
        preopens,
        stdin: c.spec.stdin ?? '',
        stdout,
        stderr,
      });
      const text = (o: InstanceType<typeof MemoryOutput>) => new TextDecoder().decode(o.bytes());
      checkResult(c, { code, stdout: text(stdout), stderr: text(stderr) });
    });
  }
});

/** The 46 functions of wasi_snapshot_preview1. */
const WASI_PREVIEW1 = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

describe('WASI test programs: coverage', () => {
  it('import all 46 wasi_snapshot_preview1 functions between them, and nothing else', () => {
    const imported = new Set<string>();
    for (const file of readdirSync(programs).filter((f) => f.endsWith('.wasm'))) {
      for (const i of WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(join(programs, file))))) {
        assert.equal(i.module, 'wasi_snapshot_preview1', `${file} imports ${i.module}.${i.name}`);
        imported.add(i.name);
      }
    }
    assert.equal(WASI_PREVIEW1.length, 46);
    assert.deepEqual([...imported].sort(), [...WASI_PREVIEW1].sort());
  });

  it('every program has a case, every case a built program', () => {
    const wasm = readdirSync(programs).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5));
    const covered = new Set(CASES.map((c) => c.name.split('.')[0]));
    assert.deepEqual(wasm.filter((w) => !covered.has(w)), []);
    for (const c of CASES) assert.ok(existsSync(c.wasm), `${c.wasm} is missing: run test/wasi/programs/build.sh`);
  });
});
