// Fixtures for the file-system suites: the same tree (a base directory holding `outside/`
// and the guest's `sandbox/`) on the host file system and on the in-memory one.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WasiError, type ErrnoName } from '../../../src/wasi/errno.ts';
import { openHostDirectory, type HostResolution } from '../../../src/wasi/fs/host.ts';
import { exactTimesAvailable } from '../../../src/wasi/fs/host-times.ts';
import { MemoryFileSystem } from '../../../src/wasi/fs/memory.ts';
import type { Directory } from '../../../src/wasi/fs/types.ts';

export interface Fixture {
  /** The guest's root: the base's `sandbox/`, empty, read-write. */
  readonly root: Directory;
  /** A read-only grant of the same `sandbox/`. */
  readOnlyRoot(): Directory;
  /** The whole base (for setup and for checking what is outside the sandbox). */
  readonly base: Directory;
  /** The base's absolute path for planted links ('' in memory, so that `${basePath}/x` is '/x'). */
  readonly basePath: string;
  /** Creates a symbolic link `name` in `sandbox/` with any text (absolute ones too). */
  plantSymlink(target: string, name: string): void;
  /** Creates the hard link `sandbox/<name>` to `outside/<outsideName>`, from outside. */
  plantHardLink(outsideName: string, name: string): void;
  /** Times set through this file system land within this many nanoseconds. */
  readonly timePrecisionNs: bigint;
  /**
   * Whether a directory handle keeps working after its directory is moved or removed
   * (false for host.ts's path fallback, which finds a directory by its path).
   */
  readonly handlesFollowMoves: boolean;
  /** For host fixtures: the outside of the sandbox as Node's own fs sees it. */
  readonly hostOutside?: () => string;
  /** Closes handles and removes what the fixture created. */
  dispose(): void;
}

export type FixtureFactory = () => Fixture;

const SECRET = 'top secret, outside the sandbox\n';

/** What lies outside the sandbox before every test. */
function populateOutside(mkdir: (p: string) => void, write: (p: string, text: string) => void): void {
  mkdir('outside');
  mkdir('outside/sub');
  write('outside/secret.txt', SECRET);
  write('outside/sub/victim.txt', 'victim\n');
  mkdir('sandbox');
}

export function memoryFixture(options: { maxBytes?: number } = {}): Fixture {
  const fs = new MemoryFileSystem(options);
  populateOutside((p) => fs.mkdir(p), (p, t) => fs.writeFile(p, t));
  const base = fs.root();
  const handles: Directory[] = [base];
  const open = (readOnly: boolean) => {
    const dir = fs.root({ readOnly }).openDirectory('sandbox');
    handles.push(dir);
    return dir;
  };
  return {
    root: open(false),
    readOnlyRoot: () => open(true),
    base,
    basePath: '',
    plantSymlink: (target, name) => fs.symlink(target, `sandbox/${name}`),
    plantHardLink: (outsideName, name) => fs.link(`outside/${outsideName}`, `sandbox/${name}`),
    timePrecisionNs: 0n,
    handlesFollowMoves: true,
    dispose: () => handles.forEach((h) => h.close()),
  };
}

export function hostFixture(resolution?: HostResolution): Fixture {
  const basePath = nodeFs.realpathSync(nodeFs.mkdtempSync(join(tmpdir(), 'nanoprocess-fs-')));
  populateOutside(
    (p) => nodeFs.mkdirSync(join(basePath, p)),
    (p, t) => nodeFs.writeFileSync(join(basePath, p), t),
  );
  const sandbox = join(basePath, 'sandbox');
  const base = openHostDirectory(basePath, { resolution });
  const handles: Directory[] = [base];
  const open = (readOnly: boolean) => {
    const dir = openHostDirectory(sandbox, { readOnly, resolution });
    handles.push(dir);
    return dir;
  };
  return {
    root: open(false),
    readOnlyRoot: () => open(true),
    base,
    basePath,
    plantSymlink: (target, name) => nodeFs.symlinkSync(target, join(sandbox, name)),
    plantHardLink: (outsideName, name) => nodeFs.linkSync(join(basePath, 'outside', outsideName), join(sandbox, name)),
    timePrecisionNs: resolution !== 'path' && hostProcFd() && exactTimesAvailable() ? 0n : 1000n,
    handlesFollowMoves: resolution !== 'path',
    hostOutside: () => hostListing(basePath, 'sandbox'),
    dispose: () => {
      handles.forEach((h) => h.close());
      // rm -rf is much faster than rmSync on the 1000-deep trees some tests build.
      if (spawnSync('rm', ['-rf', '--', basePath]).status !== 0) nodeFs.rmSync(basePath, { recursive: true, force: true });
    },
  };
}

/** Every entry under `dir` except `skip` with type, inode, size, link count, mtime and contents. */
export function hostListing(dir: string, skip?: string): string {
  const lines: string[] = [];
  const walk = (path: string, prefix: string) => {
    for (const name of nodeFs.readdirSync(path).sort()) {
      if (prefix === '' && name === skip) continue;
      const full = join(path, name);
      const s = nodeFs.lstatSync(full, { bigint: true });
      let line = `${prefix}${name} mode=${s.mode} ino=${s.ino} size=${s.size} nlink=${s.nlink} mtim=${s.mtimeNs}`;
      if (s.isFile()) line += ' ' + JSON.stringify(nodeFs.readFileSync(full, 'utf8'));
      if (s.isSymbolicLink()) line += ' -> ' + nodeFs.readlinkSync(full);
      lines.push(line);
      if (s.isDirectory()) walk(full, `${prefix}${name}/`);
    }
  };
  lines.push(`/ mtim=${nodeFs.lstatSync(dir, { bigint: true }).mtimeNs}`);
  walk(dir, '');
  return lines.join('\n');
}

function hostProcFd(): boolean {
  return process.platform === 'linux' && nodeFs.existsSync('/proc/self/fd');
}

/** Runs `body` with a fresh fixture, disposing of it afterwards. */
export function using(factory: FixtureFactory, body: (f: Fixture) => void): () => void {
  return () => {
    const fixture = factory();
    try {
      body(fixture);
    } finally {
      fixture.dispose();
    }
  };
}

/** Asserts that `action` throws a WasiError with errno `code`. */
export function throwsErrno(action: () => unknown, code: ErrnoName, note?: string): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof WasiError)) throw error;
    assert.equal(error.code, code, `${note ?? 'errno'}: expected '${code}', got '${error.code}' (${error.message})`);
    return;
  }
  assert.fail(`${note ?? 'action'}: expected errno '${code}', but it succeeded`);
}

const text = new TextEncoder();
const untext = new TextDecoder();

export function bytes(s: string): Uint8Array {
  return text.encode(s);
}

/** Creates `name` in `dir` with `contents`. */
export function writeFile(dir: Directory, name: string, contents: string): void {
  const file = dir.openFile(name, { write: true, create: true, truncate: true });
  try {
    file.write(bytes(contents), 0n);
  } finally {
    file.close();
  }
}

/** The whole contents of `name` in `dir`. */
export function readFile(dir: Directory, name: string): string {
  const file = dir.openFile(name, { read: true });
  try {
    const out = new Uint8Array(Number(file.stat().size));
    let done = 0;
    while (done < out.length) {
      const n = file.read(out.subarray(done), BigInt(done));
      if (n === 0) break;
      done += n;
    }
    return untext.decode(out.subarray(0, done));
  } finally {
    file.close();
  }
}

/**
 * A description of everything under `dir` except the names in `skip`: types, sizes,
 * inodes, link counts, modification times and file contents. Equal snapshots mean that
 * nothing there was created, removed, changed or touched.
 */
export function snapshot(dir: Directory, skip: readonly string[] = []): string {
  const lines: string[] = [];
  const walk = (d: Directory, prefix: string) => {
    const self = d.stat();
    lines.push(`${prefix}/ mtim=${self.mtim} nlink=${self.nlink}`);
    const entries = d.entries().filter((e) => !skip.includes(prefix + e.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const s = d.statAt(e.name);
      const line = `${prefix}${e.name} ${s.type} ino=${s.ino} size=${s.size} nlink=${s.nlink} mtim=${s.mtim}`;
      if (s.type === 'directory') {
        lines.push(line);
        const sub = d.openDirectory(e.name);
        try {
          walk(sub, `${prefix}${e.name}/`);
        } finally {
          sub.close();
        }
      } else if (s.type === 'regular-file') {
        lines.push(`${line} ${JSON.stringify(readFile(d, e.name))}`);
      } else if (s.type === 'symbolic-link') {
        lines.push(`${line} -> ${d.readlink(e.name)}`);
      } else {
        lines.push(line);
      }
    }
  };
  walk(dir, '');
  return lines.join('\n');
}

/** The snapshot of everything outside `sandbox/`, the base directory's own times included. */
export function outsideSnapshot(f: Fixture): string {
  return snapshot(f.base, ['sandbox']);
}
