// The official WASI test suite (WebAssembly/wasi-testsuite), when a checkout of its
// prebuilt branch is named by WASI_TESTSUITE (e.g. a `git worktree` of
// `prod/testsuite-base`): every wasm32-wasip1 test of tests/{c,rust,assemblyscript},
// run as its Wasmtime adapter runs Wasmtime (root directory preopened as "/", env, args;
// exit code and stdout checked), once on a copy of its directory on the host and once on
// an in-memory copy. Skipped (and counted as skipped) without WASI_TESTSUITE.

import assert from 'node:assert/strict';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { openHostDirectory } from '../../src/wasi/fs/host.ts';
import { MemoryFileSystem } from '../../src/wasi/fs/memory.ts';
import type { Directory } from '../../src/wasi/fs/types.ts';
import { runWasi } from '../../src/wasi/run.ts';
import { MemoryOutput } from '../../src/wasi/streams.ts';

const suite = process.env.WASI_TESTSUITE;

interface Case {
  readonly name: string;
  readonly wasm: string;
  readonly dir: string;
  readonly spec: { args: string[]; env: Record<string, string>; exit_code: number; stdout?: string; root: string | null };
}

function cases(): Case[] {
  if (!suite) return [];
  const out: Case[] = [];
  for (const lang of ['c', 'rust', 'assemblyscript']) {
    const dir = join(suite, 'tests', lang, 'testsuite', 'wasm32-wasip1');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort()) {
      const name = basename(f, '.wasm');
      const json = join(dir, `${name}.json`);
      const spec = { args: [], env: {}, exit_code: 0, root: null, ...(existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : {}) };
      out.push({ name: `${lang}/${name}`, wasm: join(dir, f), dir, spec });
    }
  }
  return out;
}

function copyIntoMemory(fs: MemoryFileSystem, host: string, guest: string): void {
  for (const e of readdirSync(host)) {
    const h = join(host, e);
    const g = `${guest}/${e}`;
    const st = lstatSync(h);
    if (st.isSymbolicLink()) fs.symlink(readlinkSync(h), g);
    else if (st.isDirectory()) {
      fs.mkdir(g);
      copyIntoMemory(fs, h, g);
    } else fs.writeFile(g, readFileSync(h));
  }
}

async function runCase(c: Case, fsKind: 'host' | 'memory'): Promise<void> {
  let root: Directory | null = null;
  let cleanup = () => {};
  if (c.spec.root) {
    if (fsKind === 'host') {
      const tmp = mkdtempSync(join(tmpdir(), 'nanoprocess-wts-'));
      cpSync(join(c.dir, c.spec.root), join(tmp, 'root'), { recursive: true });
      root = openHostDirectory(join(tmp, 'root'));
      cleanup = () => rmSync(tmp, { recursive: true, force: true });
    } else {
      const fs = new MemoryFileSystem();
      copyIntoMemory(fs, join(c.dir, c.spec.root), '');
      root = fs.root();
    }
  }
  try {
    const stdout = new MemoryOutput();
    const stderr = new MemoryOutput();
    const code = await runWasi(new Uint8Array(readFileSync(c.wasm)), {
      args: [basename(c.wasm), ...c.spec.args],
      env: c.spec.env,
      preopens: root ? [{ guestPath: '/', dir: root }] : [],
      stdout,
      stderr,
    });
    assert.equal(code, c.spec.exit_code, stderr.text());
    if (c.spec.stdout !== undefined) assert.equal(stdout.text(), c.spec.stdout);
  } finally {
    cleanup();
  }
}

describe('WebAssembly/wasi-testsuite (wasm32-wasip1)', () => {
  if (!suite) {
    it('runs the official suite', { skip: 'set WASI_TESTSUITE to a checkout of its prod/testsuite-base branch' }, () => {});
    return;
  }
  const all = cases();
  it('finds the tests', () => assert.ok(all.length > 0, `no tests under ${suite}`));
  for (const fsKind of ['host', 'memory'] as const) {
    for (const c of all) it(`${c.name} (${fsKind} file system)`, () => runCase(c, fsKind));
  }
});
