// The adversarial suite of WASI preview1 (issue 4): hostile guests try to escape the
// sandbox through the real imports (the runtime's Linker, as runWasi uses them), on the
// host file system and the in-memory one. After every attack: the errno is the one
// expected, nothing outside the grant changed, and neither the secret outside nor a host
// path reached the guest's memory, stdout or stderr. Helpers: test/wasi/attack/.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import type { ErrnoName } from '../../src/wasi/errno.ts';
import { attacker, contains, DATA_AT as DATA, FS_KINDS, GUEST_ROOT, IOV_AT as IOV, makeSandbox, OUT_AT, PATH2_AT, PATH_AT, probeText, WASI_IMPORTS, wat, SECRET, type Attacker, type FsKind, type Sandbox } from './attack/sandbox.ts';

const ROOT = 3;
const ALL = (1n << 30n) - 1n;
const R = { fd_read: 1n << 1n, fd_write: 1n << 6n, path_open: 1n << 13n, fd_filestat_set_size: 1n << 22n };

/** One sandbox and one hostile guest per test, checked afterwards. */
function arena(kind: FsKind, options: { readOnly?: 'flag' | 'dir' } = {}) {
  const state = {} as { sb: Sandbox; g: Attacker; outside: string; leaksAllowed: string[] };
  beforeEach(async () => {
    state.sb = makeSandbox(kind, { readOnly: options.readOnly === 'dir' });
    state.g = await attacker({ preopens: [{ guestPath: GUEST_ROOT, dir: state.sb.dir, readOnly: options.readOnly === 'flag' }] });
    state.outside = state.sb.outside();
    state.leaksAllowed = [];
  });
  afterEach(() => {
    const { sb, g } = state;
    try {
      assert.equal(sb.outside(), state.outside, 'something outside the grant changed');
      for (const where of [g.memory(), g.stdout.bytes(), g.stderr.bytes()]) {
        assert.ok(!contains(where, SECRET), 'the secret reached the guest');
        for (const hostPath of [sb.top, process.cwd(), homedir().length > 5 ? homedir() : null]) {
          if (hostPath !== null && !state.leaksAllowed.includes(hostPath)) assert.ok(!contains(where, hostPath), `a host path reached the guest: ${hostPath}`);
        }
      }
    } finally {
      g.ctx.close();
      sb.cleanup();
    }
  });
  return state;
}

// ---- path tricks: every path below must be refused by every path call ----

const ESCAPES: readonly string[] = [
  '..',
  '../',
  '..//',
  '../outside/secret',
  '../outside/secret/',
  '../outside/keep',
  './../outside/secret',
  'sub/../../outside/secret',
  'sub/../..',
  'sub/./../../outside/keep',
  'sub//..//..//outside//secret',
  'sub/../../root/file', // out and back in: still refused
  '/etc/passwd',
  '/outside/secret',
  '//outside/secret',
  '/',
  `${'./'.repeat(1500)}../outside/secret`,
];

type PathOp = (g: Attacker, path: string | Uint8Array) => ErrnoName;

/** Every path call, with the escape path in the position it attacks. */
const PATH_OPS: Readonly<Record<string, PathOp>> = {
  'path_open (follow)': (g, p) => g.open(ROOT, p).errno,
  'path_open (nofollow)': (g, p) => g.open(ROOT, p, { follow: false }).errno,
  'path_open (creat|excl, write)': (g, p) => g.open(ROOT, p, { oflags: 1 | 4 }).errno,
  'path_open (directory)': (g, p) => g.open(ROOT, p, { oflags: 2 }).errno,
  'path_open (trunc)': (g, p) => g.open(ROOT, p, { oflags: 8 }).errno,
  'path_filestat_get (follow)': (g, p) => callPath(g, 'path_filestat_get', p, [1], [6000]),
  'path_filestat_get (nofollow)': (g, p) => callPath(g, 'path_filestat_get', p, [0], [6000]),
  path_readlink: (g, p) => callPath(g, 'path_readlink', p, [], [8000, 256, OUT_AT]),
  path_create_directory: (g, p) => callPath(g, 'path_create_directory', p),
  path_unlink_file: (g, p) => callPath(g, 'path_unlink_file', p),
  path_remove_directory: (g, p) => callPath(g, 'path_remove_directory', p),
  'path_filestat_set_times (follow)': (g, p) => callPath(g, 'path_filestat_set_times', p, [1], [0n, 0n, 1 | 4]),
  'path_filestat_set_times (nofollow)': (g, p) => callPath(g, 'path_filestat_set_times', p, [0], [0n, 0n, 2 | 8]),
  'path_rename (from)': (g, p) => two(g, 'path_rename', p, 'stolen'),
  'path_rename (to)': (g, p) => two(g, 'path_rename', 'file', p),
  'path_link (from, nofollow)': (g, p) => two(g, 'path_link', p, 'stolen', 0),
  'path_link (from, follow)': (g, p) => two(g, 'path_link', p, 'stolen', 1),
  'path_link (to)': (g, p) => two(g, 'path_link', 'file', p, 0),
  'path_symlink (new path)': (g, p) => {
    const l1 = g.put(PATH_AT, 'file');
    const l2 = g.put(PATH2_AT, p);
    return g.call('path_symlink', PATH_AT, l1, ROOT, PATH2_AT, l2);
  },
};

/** A path call with its path at PATH_AT: `before` goes between fd and the path, `after` follows it. */
function callPath(g: Attacker, name: string, path: string | Uint8Array, before: (number | bigint)[] = [], after: (number | bigint)[] = []): ErrnoName {
  const len = g.put(PATH_AT, path);
  return g.call(name, ROOT, ...before, PATH_AT, len, ...after);
}

function two(g: Attacker, name: 'path_rename' | 'path_link', from: string | Uint8Array, to: string | Uint8Array, flags = 0): ErrnoName {
  const l1 = g.put(PATH_AT, from);
  const l2 = g.put(PATH2_AT, to);
  return name === 'path_rename' ? g.call(name, ROOT, PATH_AT, l1, ROOT, PATH2_AT, l2) : g.call(name, ROOT, flags, PATH_AT, l1, ROOT, PATH2_AT, l2);
}

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? enc(p) : p));
  return new Uint8Array(out);
};

/** Malformed paths: each with the errno every call must answer. */
const MALFORMED: readonly { name: string; path: Uint8Array; errno: ErrnoName }[] = [
  { name: 'NUL inside', path: bytes('file', [0], '/../../outside/secret'), errno: 'inval' },
  { name: 'NUL then ..', path: bytes('..', [0]), errno: 'inval' },
  { name: 'NUL alone', path: bytes([0]), errno: 'inval' },
  { name: 'invalid UTF-8', path: bytes('fi', [0xff], 'le'), errno: 'ilseq' },
  { name: 'invalid UTF-8 before ..', path: bytes([0xc0, 0xae], '/../outside/secret'), errno: 'ilseq' },
  { name: 'overlong encoding of "."', path: bytes([0xc0, 0xae, 0xc0, 0xae], '/outside/secret'), errno: 'ilseq' },
  { name: 'lone surrogate', path: bytes([0xed, 0xa0, 0x80]), errno: 'ilseq' },
  { name: 'a path of 4096 bytes', path: enc('a/'.repeat(2048)), errno: 'nametoolong' },
  { name: 'a path of 60000 bytes', path: enc('../'.repeat(20000)), errno: 'nametoolong' },
  { name: 'a component of 256 bytes', path: enc('x'.repeat(256)), errno: 'nametoolong' },
  { name: 'an empty path', path: new Uint8Array(0), errno: 'noent' },
];

// ---- the suites ----

for (const kind of FS_KINDS) {
  describe(`attacks on the ${kind} file system: path tricks`, () => {
    const s = arena(kind);
    for (const path of ESCAPES) {
      for (const [op, run] of Object.entries(PATH_OPS)) {
        it(`${op} of ${JSON.stringify(path.length > 40 ? path.slice(-40) : path)} → perm`, () => {
          const inside = s.sb.inside();
          assert.equal(run(s.g, path), 'perm');
          assert.equal(s.sb.inside(), inside, 'a refused call changed the tree');
        });
      }
    }
    for (const m of MALFORMED) {
      it(`every path call refuses ${m.name} with ${m.errno}`, () => {
        const inside = s.sb.inside();
        for (const [op, run] of Object.entries(PATH_OPS)) {
          if (op.startsWith('path_rename (to)') || op.startsWith('path_link (to)') || op.startsWith('path_symlink')) {
            // the malformed path as the second path
            const l1 = s.g.put(PATH_AT, 'file');
            const l2 = s.g.put(PATH2_AT, m.path);
            const e = op.startsWith('path_rename')
              ? s.g.call('path_rename', ROOT, PATH_AT, l1, ROOT, PATH2_AT, l2)
              : op.startsWith('path_link')
                ? s.g.call('path_link', ROOT, 0, PATH_AT, l1, ROOT, PATH2_AT, l2)
                : s.g.call('path_symlink', PATH_AT, l1, ROOT, PATH2_AT, l2);
            assert.equal(e, m.errno, op);
            continue;
          }
          assert.equal(run(s.g, m.path), m.errno, op);
        }
        assert.equal(s.sb.inside(), inside);
      });
    }
    it('a symbolic-link target that is NUL, invalid UTF-8 or absolute is refused', () => {
      const inside = s.sb.inside();
      for (const [target, errno] of [
        [bytes('a', [0], 'b'), 'inval'],
        [bytes([0xff]), 'ilseq'],
        [enc('/etc/passwd'), 'perm'],
        [enc('/outside/secret'), 'perm'],
        [enc('x'.repeat(4096)), 'nametoolong'],
      ] as const) {
        const l1 = s.g.put(PATH_AT, target);
        const l2 = s.g.put(PATH2_AT, 'planted');
        assert.equal(s.g.call('path_symlink', PATH_AT, l1, ROOT, PATH2_AT, l2), errno);
      }
      assert.equal(s.sb.inside(), inside);
    });
  });
}

/** path_symlink(target, ROOT, name). */
function plant(g: Attacker, target: string, name: string): ErrnoName {
  const l1 = g.put(PATH_AT, target);
  const l2 = g.put(PATH2_AT, name);
  return g.call('path_symlink', PATH_AT, l1, ROOT, PATH2_AT, l2);
}

function readlink(g: Attacker, path: string): { errno: ErrnoName; text: string } {
  const errno = callPath(g, 'path_readlink', path, [], [8000, 4096, OUT_AT]);
  return { errno, text: errno === 'success' ? g.text(8000, g.u32(OUT_AT)) : '' };
}

for (const kind of FS_KINDS) {
  describe(`attacks on the ${kind} file system: symbolic links made by the guest`, () => {
    const s = arena(kind);
    it('a link to ../outside/secret may exist but never be followed, final or intermediate', () => {
      const { g } = s;
      assert.equal(plant(g, '../outside/secret', 'evil'), 'success'); // only text: following is what is refused
      assert.equal(g.open(ROOT, 'evil').errno, 'perm');
      assert.equal(g.open(ROOT, 'evil', { follow: false }).errno, 'loop');
      assert.equal(g.open(ROOT, 'evil/').errno, 'perm');
      assert.equal(g.open(ROOT, 'evil', { oflags: 8 }).errno, 'perm');
      assert.equal(g.open(ROOT, 'evil', { oflags: 1 }).errno, 'perm');
      assert.equal(callPath(g, 'path_filestat_get', 'evil', [1], [6000]), 'perm');
      assert.equal(callPath(g, 'path_filestat_get', 'evil', [0], [6000]), 'success'); // the link itself
      assert.equal(callPath(g, 'path_filestat_set_times', 'evil', [1], [0n, 0n, 1 | 4]), 'perm');
      assert.equal(two(g, 'path_link', 'evil', 'stolen', 1), 'perm');
      assert.equal(callPath(g, 'path_create_directory', 'evil/x'), 'perm');
      assert.equal(readlink(g, 'evil').text, '../outside/secret');
    });
    it('a link to .. used as a directory', () => {
      const { g } = s;
      assert.equal(plant(g, '..', 'up'), 'success');
      for (const p of ['up/outside/secret', 'up/root/file', 'up/', 'up/.']) assert.equal(g.open(ROOT, p).errno, 'perm', p);
      assert.equal(callPath(g, 'path_unlink_file', 'up/outside/secret'), 'perm');
      assert.equal(callPath(g, 'path_remove_directory', 'up/outside/keep'), 'perm');
      assert.equal(two(g, 'path_rename', 'file', 'up/outside/stolen'), 'perm');
      assert.equal(two(g, 'path_link', 'file', 'up/outside/stolen'), 'perm');
    });
    it('a link in a subdirectory climbing two levels', () => {
      const { g } = s;
      assert.equal(plant(g, '../..', 'sub/up2'), 'success');
      assert.equal(g.open(ROOT, 'sub/up2/outside/secret').errno, 'perm');
      assert.equal(plant(g, '../../outside', 'sub/out'), 'success');
      assert.equal(g.open(ROOT, 'sub/out/secret').errno, 'perm');
      assert.equal(callPath(g, 'path_create_directory', 'sub/out/made'), 'perm');
      assert.equal(plant(g, '../sub/../../outside/secret', 'sub/twisty'), 'success');
      assert.equal(g.open(ROOT, 'sub/twisty').errno, 'perm');
    });
    it('a link to the outside directory as an intermediate component, for every path call', () => {
      const { g } = s;
      assert.equal(plant(g, '../outside', 'evil-dir'), 'success');
      for (const [op, run] of Object.entries(PATH_OPS)) {
        const path = op.includes('create') || op.includes('symlink') || op.includes('(to)') ? 'evil-dir/new' : op.includes('remove') ? 'evil-dir/keep' : 'evil-dir/secret';
        assert.equal(run(g, path), 'perm', op);
      }
    });
    it('chains of links, the last pointing out', () => {
      const { g } = s;
      assert.equal(plant(g, 'c2', 'c1'), 'success');
      assert.equal(plant(g, 'sub/c3', 'c2'), 'success');
      assert.equal(plant(g, '../../outside/secret', 'sub/c3'), 'success');
      assert.equal(g.open(ROOT, 'c1').errno, 'perm');
      assert.equal(callPath(g, 'path_filestat_get', 'c1', [1], [6000]), 'perm');
      // A chain staying inside works: links are followed while they stay inside.
      assert.equal(plant(g, 'file', 'ok1'), 'success');
      assert.equal(plant(g, 'ok1', 'ok2'), 'success');
      const ok = g.open(ROOT, 'ok2');
      assert.equal(ok.errno, 'success');
      assert.equal(g.read(ok.fd).text, 'inside');
    });
    it('link loops end in loop, never a hang', () => {
      const { g } = s;
      assert.equal(plant(g, 'l2', 'l1'), 'success');
      assert.equal(plant(g, 'l1', 'l2'), 'success');
      assert.equal(plant(g, 'me', 'me'), 'success');
      assert.equal(plant(g, '../sub/deep', 'sub/deep'), 'success');
      for (const p of ['l1', 'l1/x', 'me', 'me/', 'sub/deep', 'sub/deep/x']) assert.equal(g.open(ROOT, p).errno, 'loop', p);
      assert.equal(callPath(g, 'path_filestat_get', 'l1', [1], [6000]), 'loop');
      // 40 links, each to the next, the last out: loop or perm, never the secret.
      for (let i = 0; i < 45; i++) assert.equal(plant(g, i === 44 ? '../outside/secret' : `n${i + 1}`, `n${i}`), 'success');
      assert.equal(g.open(ROOT, 'n0').errno, 'loop');
      assert.equal(g.open(ROOT, 'n10').errno, 'perm');
    });
    it('renaming or linking a link that points out does not make it followable', () => {
      const { g } = s;
      assert.equal(plant(g, '../outside/secret', 'evil'), 'success');
      assert.equal(two(g, 'path_rename', 'evil', 'sub/moved'), 'success');
      assert.equal(g.open(ROOT, 'sub/moved').errno, 'noent'); // from sub/ the text names root/outside/secret: inside, absent
      assert.equal(two(g, 'path_link', 'sub/moved', 'hard', 0), 'success'); // a hard link to the link itself
      assert.equal(g.open(ROOT, 'hard').errno, 'perm');
      assert.equal(two(g, 'path_link', 'host-rel', 'hard2', 0), 'success');
      assert.equal(g.open(ROOT, 'hard2').errno, 'perm');
    });
    it('replacing a directory by a link pointing out', () => {
      const { g } = s;
      assert.equal(callPath(g, 'path_remove_directory', 'sub'), 'success');
      assert.equal(plant(g, '../outside', 'sub'), 'success');
      assert.equal(g.open(ROOT, 'sub/secret').errno, 'perm');
      assert.equal(g.open(ROOT, 'sub', { oflags: 2 }).errno, 'perm');
      // An fd opened on the old subdirectory before it was replaced stays on the old directory.
    });
    it('a directory opened before it is moved stays confined when moved deeper', () => {
      const { g } = s;
      const sub = g.open(ROOT, 'sub', { oflags: 2, base: ALL & ~R.fd_write });
      assert.equal(sub.errno, 'success');
      assert.equal(callPath(g, 'path_create_directory', 'a'), 'success');
      assert.equal(two(g, 'path_rename', 'sub', 'a/sub'), 'success');
      // '..' from the moved directory: the walk never asks the file system for '..'.
      const len = g.put(PATH_AT, '../../outside/secret');
      assert.equal(g.call('path_open', sub.fd, 1, PATH_AT, len, 0, ALL, ALL, 0, OUT_AT), 'perm');
      const len2 = g.put(PATH_AT, '..');
      assert.equal(g.call('path_open', sub.fd, 1, PATH_AT, len2, 0, ALL, ALL, 0, OUT_AT), 'perm');
    });
  });

  describe(`attacks on the ${kind} file system: calls on a link pointing out act on the link, never its target`, () => {
    const s = arena(kind);
    beforeEach(() => {
      assert.equal(plant(s.g, '../outside/created', 'dangling'), 'success');
      assert.equal(plant(s.g, '../outside', 'evil-dir'), 'success');
    });
    it('path_open with creat (with and without excl, without following) through a dangling link pointing out', () => {
      const { g } = s;
      assert.equal(g.open(ROOT, 'dangling', { oflags: 1, follow: false }).errno, 'loop');
      assert.equal(g.open(ROOT, 'dangling', { oflags: 1 | 4, follow: false }).errno, 'exist');
      assert.equal(g.open(ROOT, 'dangling', { oflags: 1 }).errno, 'perm');
      assert.equal(g.open(ROOT, 'dangling', { oflags: 1 | 8, follow: false }).errno, 'loop');
    });
    it('unlink, rename over, set times without following, rmdir with a trailing slash', () => {
      const { g, sb } = s;
      assert.equal(callPath(g, 'path_filestat_set_times', 'host-rel', [0], [0n, 0n, 2 | 8]), 'success'); // the link's own times
      assert.equal(callPath(g, 'path_filestat_set_times', 'evil-dir', [0], [0n, 0n, 2 | 8]), 'success');
      assert.equal(callPath(g, 'path_remove_directory', 'evil-dir/'), 'notdir');
      assert.equal(callPath(g, 'path_remove_directory', 'evil-dir'), 'notdir');
      assert.equal(callPath(g, 'path_unlink_file', 'evil-dir/'), 'notdir');
      assert.equal(callPath(g, 'path_unlink_file', 'host-rel'), 'success'); // the link goes, the secret stays
      assert.equal(two(g, 'path_rename', 'file', 'host-abs'), 'success'); // replaces the link itself
      assert.equal(two(g, 'path_rename', 'sub', 'evil-dir'), 'notdir');
      assert.equal(two(g, 'path_rename', 'evil-dir', 'moved-link'), 'success');
      assert.equal(callPath(g, 'path_unlink_file', 'moved-link'), 'success');
      assert.doesNotMatch(sb.inside(), /evil-dir|host-rel|moved-link/);
    });
  });

  describe(`attacks on the ${kind} file system: links the host made`, () => {
    const s = arena(kind);
    it('host links pointing out are refused when followed', () => {
      const { g } = s;
      for (const name of ['host-rel', 'host-abs']) {
        assert.equal(g.open(ROOT, name).errno, 'perm', name);
        assert.equal(g.open(ROOT, `${name}/`).errno, 'perm', name);
        assert.equal(callPath(g, 'path_filestat_get', name, [1], [6000]), 'perm', name);
        assert.equal(callPath(g, 'path_filestat_set_times', name, [1], [0n, 0n, 1 | 4]), 'perm', name);
        assert.equal(two(g, 'path_link', name, 'stolen', 1), 'perm', name);
      }
    });
    it('their text can be read: the host put it inside the grant (documented, not a leak of ours)', () => {
      const { g, sb } = s;
      assert.deepEqual(readlink(g, 'host-rel'), { errno: 'success', text: '../outside/secret' });
      const abs = readlink(g, 'host-abs');
      assert.equal(abs.errno, 'success');
      assert.equal(abs.text, sb.top === null ? '/outside/secret' : `${sb.top}/outside/secret`);
      if (sb.top !== null) s.leaksAllowed.push(sb.top);
    });
  });
}

function rightsOf(g: Attacker, fd: number): [bigint, bigint] {
  assert.equal(g.call('fd_fdstat_get', fd, 6000), 'success');
  return [g.u64(6008), g.u64(6016)];
}

const NOT_A_DIRECTORY_FDS: readonly [string, number, ErrnoName][] = [
  ['stdin', 0, 'badf'],
  ['stdout', 1, 'badf'],
  ['stderr', 2, 'badf'],
  ['a never-opened fd', 4, 'badf'],
  ['fd 1024', 1024, 'badf'],
  ['fd 2^31', 0x80000000, 'badf'],
  ['fd -1', -1, 'badf'],
  ['fd 2^32 - 2', 0xfffffffe, 'badf'],
];

for (const kind of FS_KINDS) {
  describe(`attacks on the ${kind} file system: descriptors`, () => {
    const s = arena(kind);
    for (const [what, fd, errno] of NOT_A_DIRECTORY_FDS) {
      it(`path calls on ${what} → ${errno}`, () => {
        const { g } = s;
        const len = g.put(PATH_AT, 'file');
        assert.equal(g.call('path_open', fd, 1, PATH_AT, len, 0, ALL, ALL, 0, OUT_AT), errno);
        assert.equal(g.call('path_create_directory', fd, PATH_AT, len), errno);
        assert.equal(g.call('path_unlink_file', fd, PATH_AT, len), errno);
        assert.equal(g.call('path_filestat_get', fd, 1, PATH_AT, len, 6000), errno);
        assert.equal(g.call('path_rename', ROOT, PATH_AT, len, fd, PATH_AT, len), errno);
        assert.equal(g.call('path_link', fd, 0, PATH_AT, len, ROOT, PATH_AT, len), errno);
        assert.equal(g.call('fd_readdir', fd, 8000, 1000, 0n, OUT_AT), fd >= 0 && fd <= 2 ? 'notcapable' : errno);
        assert.equal(g.call('fd_prestat_get', fd, 6000), 'badf');
      });
    }
    it('path calls on a file descriptor → notdir', () => {
      const { g } = s;
      const f = g.open(ROOT, 'file');
      assert.equal(f.errno, 'success');
      const len = g.put(PATH_AT, '../outside/secret');
      assert.equal(g.call('path_open', f.fd, 1, PATH_AT, len, 0, ALL, ALL, 0, OUT_AT), 'notdir');
      assert.equal(g.call('path_unlink_file', f.fd, PATH_AT, len), 'notdir');
      assert.equal(g.call('path_filestat_get', f.fd, 1, PATH_AT, len, 6000), 'notdir');
    });
    it('a closed preopen is gone; its number is reused by the next open, never a stale handle', () => {
      const { g } = s;
      assert.equal(g.call('fd_close', ROOT), 'success');
      assert.equal(g.open(ROOT, 'file').errno, 'badf');
      assert.equal(g.call('fd_prestat_get', ROOT, 6000), 'badf');
      assert.equal(g.call('fd_close', ROOT), 'badf');
      assert.equal(g.call('fd_renumber', ROOT, 1), 'badf');
    });
    it('fd_renumber of the preopen onto stdin: the new number is confined the same way', () => {
      const { g } = s;
      assert.equal(g.call('fd_renumber', ROOT, 0), 'success');
      assert.equal(g.open(ROOT, 'file').errno, 'badf');
      assert.equal(g.open(0, '../outside/secret').errno, 'perm');
      const f = g.open(0, 'file');
      assert.equal(f.errno, 'success');
      assert.equal(g.read(f.fd).text, 'inside');
    });
    it('fd_renumber of a file over the preopen: the preopen is closed, not reachable through the file', () => {
      const { g } = s;
      const f = g.open(ROOT, 'file');
      assert.equal(g.call('fd_renumber', f.fd, ROOT), 'success');
      assert.equal(g.open(ROOT, 'sub').errno, 'notdir');
      assert.equal(g.call('fd_prestat_get', ROOT, 6000), 'badf');
      assert.equal(g.call('fd_renumber', ROOT, 0x80000000), 'badf');
      assert.equal(g.call('fd_renumber', ROOT, -1), 'badf');
      assert.equal(g.call('fd_renumber', 0xffffffff, ROOT), 'badf');
    });
  });

  for (const readOnly of ['flag', 'dir'] as const) {
    describe(`attacks on a read-only ${kind} grant (${readOnly === 'flag' ? 'Preopen.readOnly' : 'read-only Directory'})`, () => {
      const s = arena(kind, { readOnly });
      it('every mutating path call fails and changes nothing', () => {
        const { g, sb } = s;
        const inside = sb.inside();
        const results = {
          mkdir: callPath(g, 'path_create_directory', 'new'),
          unlink: callPath(g, 'path_unlink_file', 'file'),
          rmdir: callPath(g, 'path_remove_directory', 'sub'),
          rename: two(g, 'path_rename', 'file', 'moved'),
          link: two(g, 'path_link', 'file', 'linked'),
          symlink: plant(g, 'file', 'planted'),
          times: callPath(g, 'path_filestat_set_times', 'file', [0], [0n, 0n, 1 | 4]),
          creat: g.open(ROOT, 'new', { oflags: 1 }).errno,
          trunc: g.open(ROOT, 'file', { oflags: 8, base: R.fd_read }).errno,
          write: g.open(ROOT, 'file', { base: R.fd_write }).errno,
          append: g.open(ROOT, 'file', { base: R.fd_read, fdflags: 1 }).errno,
          'dir times': g.call('fd_filestat_set_times', ROOT, 0n, 0n, 1 | 4),
          'gain rights': g.call('fd_fdstat_set_rights', ROOT, ALL, ALL),
        };
        for (const [what, errno] of Object.entries(results)) assert.equal(errno, 'notcapable', what);
        assert.equal(sb.inside(), inside);
      });
      it('a file opened from it cannot be written, truncated, grown or retimed', () => {
        const { g, sb } = s;
        const inside = sb.inside();
        const f = g.open(ROOT, 'file', { base: ALL & ~R.fd_write }); // asks for every other right, gets the read-only ones
        assert.equal(f.errno, 'success');
        g.put(DATA, 'pwned');
        g.setU32(IOV, DATA);
        g.setU32(IOV + 4, 5);
        assert.equal(g.call('fd_write', f.fd, IOV, 1, OUT_AT), 'notcapable');
        assert.equal(g.call('fd_pwrite', f.fd, IOV, 1, 0n, OUT_AT), 'notcapable');
        assert.equal(g.call('fd_filestat_set_size', f.fd, 0n), 'notcapable');
        assert.equal(g.call('fd_allocate', f.fd, 0n, 100n), 'notcapable');
        assert.equal(g.call('fd_filestat_set_times', f.fd, 0n, 0n, 1 | 4), 'notcapable');
        assert.equal(g.call('fd_fdstat_set_rights', f.fd, ALL, ALL), 'notcapable');
        assert.equal(g.read(f.fd).text, 'inside');
        assert.equal(sb.inside(), inside);
      });
      it('a subdirectory opened from it is read-only too', () => {
        const { g, sb } = s;
        const inside = sb.inside();
        const d = g.open(ROOT, 'sub', { oflags: 2, base: ALL & ~R.fd_write });
        assert.equal(d.errno, 'success');
        const len = g.put(PATH_AT, 'x');
        assert.equal(g.call('path_create_directory', d.fd, PATH_AT, len), 'notcapable');
        assert.equal(g.call('path_open', d.fd, 0, PATH_AT, len, 1, ALL, ALL, 0, OUT_AT), 'notcapable');
        assert.equal(g.call('fd_fdstat_set_rights', d.fd, ALL, ALL), 'notcapable');
        assert.equal(sb.inside(), inside);
      });
    });
  }

  describe(`attacks on the ${kind} file system: rights`, () => {
    const s = arena(kind);
    it('fd_fdstat_set_rights cannot gain a right back', () => {
      const { g } = s;
      const [base, inheriting] = rightsOf(g, ROOT);
      assert.equal(g.call('fd_fdstat_set_rights', ROOT, base & ~R.path_open, inheriting), 'success');
      assert.equal(g.open(ROOT, 'file').errno, 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', ROOT, ALL, ALL), 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', ROOT, -1n, -1n), 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', 1, ALL, ALL), 'notcapable');
      assert.equal(g.open(ROOT, 'file').errno, 'notcapable');
    });
    it('path_open cannot give a file more than the directory may pass on', () => {
      const { g } = s;
      assert.equal(g.call('fd_fdstat_set_rights', ROOT, rightsOf(g, ROOT)[0], R.fd_read | R.path_open), 'success');
      assert.equal(g.open(ROOT, 'file', { base: ALL, inheriting: ALL }).errno, 'notcapable'); // asks to write
      const f = g.open(ROOT, 'file', { base: R.fd_read | R.fd_filestat_set_size, inheriting: ALL });
      assert.equal(f.errno, 'success');
      assert.equal(g.call('fd_filestat_set_size', f.fd, 0n), 'notcapable');
      g.put(DATA, 'pwned');
      g.setU32(IOV, DATA);
      g.setU32(IOV + 4, 5);
      assert.equal(g.call('fd_write', f.fd, IOV, 1, OUT_AT), 'notcapable');
      assert.equal(g.call('fd_fdstat_get', f.fd, 6000), 'success');
      assert.equal(g.u64(6008), R.fd_read);
      assert.equal(g.u64(6016) & ~R.fd_read, 0n);
    });
    it('a file opened for reading only cannot be written through any call', () => {
      const { g, sb } = s;
      const inside = sb.inside();
      const f = g.open(ROOT, 'file', { base: R.fd_read, inheriting: 0n });
      assert.equal(f.errno, 'success');
      g.put(DATA, 'pwned');
      g.setU32(IOV, DATA);
      g.setU32(IOV + 4, 5);
      assert.equal(g.call('fd_write', f.fd, IOV, 1, OUT_AT), 'notcapable');
      assert.equal(g.call('fd_pwrite', f.fd, IOV, 1, 0n, OUT_AT), 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', f.fd, R.fd_read | R.fd_write, 0n), 'notcapable');
      assert.equal(g.call('fd_renumber', f.fd, 1), 'success'); // onto stdout: the rights travel with it
      assert.equal(g.call('fd_write', 1, IOV, 1, OUT_AT), 'notcapable');
      assert.equal(sb.inside(), inside);
    });
    it('opening with only fd_filestat_set_size cannot truncate a file through a read-only handle', () => {
      const { g, sb } = s;
      const f = g.open(ROOT, 'file', { base: R.fd_read | R.fd_filestat_set_size });
      assert.equal(f.errno, 'success');
      // The right is there but the handle was opened for reading (no fd_write asked): ftruncate(2)'s EINVAL.
      assert.equal(g.call('fd_filestat_set_size', f.fd, 0n), 'inval');
      assert.equal(g.read(f.fd).text, 'inside');
    });
  });
}

// ---- memory: wild pointers and lengths ----

const PAGE = 65536;
const END = 2 * PAGE; // the probe's memory: two pages

for (const kind of FS_KINDS) {
  describe(`attacks on guest memory (${kind} file system)`, () => {
    const s = arena(kind);
    it('paths whose pointer and length wrap, run past the end, or start past it → fault, nothing created', () => {
      const { g, sb } = s;
      const inside = sb.inside();
      for (const [ptr, len] of [
        [0xfffffff0, 0x20],
        [0, 0xffffffff],
        [PATH_AT, -1],
        [END, 1],
        [END - 1, 2],
        [0x80000000, 4],
        [-8, 16],
      ]) {
        g.put(PATH_AT, 'file');
        assert.equal(g.call('path_open', ROOT, 0, ptr, len, 1, ALL, ALL, 0, OUT_AT), 'fault', `${ptr}+${len}`);
        assert.equal(g.call('path_create_directory', ROOT, ptr, len), 'fault');
        assert.equal(g.call('path_symlink', ptr, len, ROOT, PATH_AT, 3), 'fault');
        assert.equal(g.call('path_rename', ROOT, PATH_AT, 4, ROOT, ptr, len), 'fault');
      }
      g.put(END - 1, 'x');
      assert.equal(g.call('path_filestat_get', ROOT, 0, END - 1, 1, 6000), 'noent'); // the last byte is fine
      assert.equal(sb.inside(), inside);
    });
    it('a result pointer past the end faults BEFORE anything is created or opened', () => {
      const { g, sb } = s;
      const inside = sb.inside();
      const len = g.put(PATH_AT, 'created');
      for (const out of [END - 3, END, 0xffffffff, -4]) {
        assert.equal(g.call('path_open', ROOT, 0, PATH_AT, len, 1, ALL, ALL, 0, out), 'fault');
      }
      assert.equal(sb.inside(), inside);
      // and no descriptor was used up
      assert.equal(g.open(ROOT, 'file').fd, 4);
    });
    it('results at the last bytes of memory: exactly fitting works, one byte more faults', () => {
      const { g } = s;
      assert.equal(g.call('clock_time_get', 1, 0n, END - 8), 'success');
      assert.equal(g.call('clock_time_get', 1, 0n, END - 7), 'fault');
      assert.equal(g.call('fd_prestat_get', ROOT, END - 8), 'success');
      assert.equal(g.call('fd_prestat_get', ROOT, END - 7), 'fault');
      assert.equal(g.call('args_sizes_get', END - 4, END - 4), 'success');
      assert.equal(g.call('args_sizes_get', END - 3, 0), 'fault');
      assert.equal(g.call('environ_sizes_get', 0, END - 3), 'fault');
      assert.equal(g.call('fd_filestat_get', ROOT, END - 64), 'success');
      assert.equal(g.call('fd_filestat_get', ROOT, END - 63), 'fault');
      assert.equal(g.call('fd_fdstat_get', ROOT, END - 23), 'fault');
      const f = g.open(ROOT, 'file');
      assert.equal(g.call('fd_tell', f.fd, END - 8), 'success');
      assert.equal(g.call('fd_tell', f.fd, END - 7), 'fault');
      assert.equal(g.call('fd_seek', f.fd, 3n, 0, END - 7), 'fault');
      assert.equal(g.call('fd_tell', f.fd, 0), 'success');
      assert.equal(g.u64(0), 0n, 'a faulting seek moved the position');
      assert.equal(g.call('fd_prestat_dir_name', ROOT, END - GUEST_ROOT.length, GUEST_ROOT.length), 'success');
      assert.equal(g.call('fd_prestat_dir_name', ROOT, END - GUEST_ROOT.length + 1, GUEST_ROOT.length), 'fault');
      assert.equal(g.call('random_get', END - 16, 16), 'success');
      assert.equal(g.call('random_get', END - 16, 17), 'fault');
      assert.equal(g.call('random_get', END - 1, 0x80000000), 'fault');
      assert.equal(g.call('random_get', 0xffffffff, 0x80000000), 'fault');
    });
    it('iovec arrays with huge counts, wrapping entries and lengths', () => {
      const { g } = s;
      const iov = (at: number, entries: [number, number][]) => entries.forEach(([p, l], i) => (g.setU32(at + i * 8, p), g.setU32(at + i * 8 + 4, l)));
      for (const count of [0x7fffffff, 0xffffffff, 0x20000000, END / 8]) {
        assert.equal(g.call('fd_write', 1, IOV, count, OUT_AT), 'fault', `count ${count}`);
        assert.equal(g.call('fd_read', 0, IOV, count, OUT_AT), 'fault');
      }
      const f = g.open(ROOT, 'file');
      for (const bad of [[0, 0xffffffff], [0xffffffff, 2], [END - 4, 5], [0x80000000, 1]] as [number, number][]) {
        iov(IOV, [[DATA, 3], bad]);
        assert.equal(g.call('fd_write', 1, IOV, 2, OUT_AT), 'fault');
        assert.equal(g.call('fd_read', f.fd, IOV, 2, OUT_AT), 'fault');
        assert.equal(g.call('fd_pread', f.fd, IOV, 2, 0n, OUT_AT), 'fault');
        assert.equal(g.call('fd_pwrite', f.fd, IOV, 2, 0n, OUT_AT), 'fault');
      }
      // The iovec array itself wrapping around the end of the address space.
      assert.equal(g.call('fd_write', 1, 0xfffffff8, 2, OUT_AT), 'fault');
      assert.equal(g.call('fd_write', 1, END - 8, 2, OUT_AT), 'fault');
      assert.equal(g.stdout.bytes().length, 0, 'a faulting write wrote something');
    });
    it('overlapping buffers: nread inside the data, an iovec array inside the data it receives', () => {
      const { g } = s;
      const f = g.open(ROOT, 'file');
      // The data lands on the iovec array itself and the count right after it.
      g.setU32(IOV, IOV);
      g.setU32(IOV + 4, 6);
      assert.equal(g.call('fd_pread', f.fd, IOV, 1, 0n, IOV + 6), 'success');
      assert.equal(g.text(IOV, 6), 'inside');
      assert.equal(g.u32(IOV + 6), 6);
      // poll_oneoff writing its events over its own subscriptions.
      const sub = 4096;
      new DataView(g.memory().buffer).setBigUint64(sub, 77n, true);
      g.memory()[sub + 8] = 0; // clock
      new DataView(g.memory().buffer).setUint32(sub + 16, 1, true);
      new DataView(g.memory().buffer).setBigUint64(sub + 24, 0n, true);
      assert.equal(g.call('poll_oneoff', sub, sub, 1, sub + 40), 'success');
      assert.equal(g.u64(sub), 77n);
    });
    it('memory grown mid-run: the new pages are usable, their end still checked', () => {
      const { g } = s;
      assert.equal(g.raw('grow', 2), 2);
      const end = 4 * PAGE;
      g.put(end - 5, 'grown');
      g.setU32(end - 16, end - 5);
      g.setU32(end - 12, 5);
      assert.equal(g.call('fd_write', 1, end - 16, 1, end - 20), 'success');
      assert.equal(g.stdout.text(), 'grown');
      assert.equal(g.call('clock_time_get', 1, 0n, end - 7), 'fault');
      const f = g.open(ROOT, 'file');
      g.setU32(end - 16, end - 6);
      g.setU32(end - 12, 6);
      assert.equal(g.call('fd_read', f.fd, end - 16, 1, end - 20), 'success');
      assert.equal(g.text(end - 6, 6), 'inside');
    });
    it('fd_readdir with a huge buffer length or a buffer running past the end', () => {
      const { g } = s;
      assert.equal(g.call('fd_readdir', ROOT, 8000, 0xffffffff, 0n, OUT_AT), 'fault');
      assert.equal(g.call('fd_readdir', ROOT, 8000, END - 7999, 0n, OUT_AT), 'fault');
      assert.equal(g.call('fd_readdir', ROOT, 8000, END - 8000, 0n, END - 3), 'fault');
      assert.equal(g.call('fd_readdir', ROOT, 8000, END - 8000, 0xffffffffffffffffn, OUT_AT), 'success');
      assert.equal(g.u32(OUT_AT), 0);
    });
    it('poll_oneoff with 0, 2^32 - 1 or 2^31 subscriptions', () => {
      const { g } = s;
      assert.equal(g.call('poll_oneoff', 4096, 8192, 0, OUT_AT), 'inval');
      assert.equal(g.call('poll_oneoff', 4096, 8192, 0xffffffff, OUT_AT), 'fault');
      assert.equal(g.call('poll_oneoff', 4096, 8192, 0x80000000, OUT_AT), 'fault');
      assert.equal(g.call('poll_oneoff', 0, END - 100, 10, OUT_AT), 'fault'); // in fits, out does not
    });
    it('args_get / environ_get with lists and buffers past the end write nothing', () => {
      const { g } = s;
      const before = g.memory().slice();
      for (const [list, buf] of [[END - 3, 0], [0, END], [0xfffffffc, 0], [-4, -4]]) {
        // Nothing to write (an empty environment); a pointer past the end still faults.
        assert.ok(['success', 'fault'].includes(g.call('environ_get', list, buf)));
        assert.equal(g.call('args_get', list, buf), list === END - 3 || buf === END ? 'success' : 'fault');
      }
      assert.deepEqual(g.memory(), before);
    });
  });
}

// ---- bugs this suite found (each failed before its fix) ----

describe('attacks that found bugs', () => {
  const s = arena('host');
  it('iovec counts past IOV_MAX are a short transfer, not one host object per entry', () => {
    const { g } = s;
    // 1025 entries: the first 1024 write one byte each; the last one is wild and is not read.
    for (let i = 0; i < 1024; i++) (g.setU32(8192 + i * 8, DATA), g.setU32(8192 + i * 8 + 4, 1));
    g.setU32(8192 + 1024 * 8, 0xffffffff);
    g.setU32(8192 + 1024 * 8 + 4, 0xffffffff);
    g.put(DATA, 'x');
    assert.equal(g.call('fd_write', 1, 8192, 1025, OUT_AT), 'success');
    assert.equal(g.u32(OUT_AT), 1024);
  });
  it('iovecs totalling more than 2^32 - 1 bytes: a short write with an exact count, never a wrapped one', async () => {
    const pages = 80; // 1024 entries of 4 MiB + 1 byte each, all on the same bytes
    const discard = { isTerminal: false, write: (d: Uint8Array) => d.length, close() {} }; // not 4 GiB of copies
    const big = await attacker({ bytes: wat(probeText('', pages)), stdout: discard });
    try {
      const each = 4 * 1024 * 1024 + 1;
      for (let i = 0; i < 1024; i++) (big.setU32(IOV + i * 8, 0), big.setU32(IOV + i * 8 + 4, each));
      assert.equal(big.call('fd_write', 1, IOV, 1024, OUT_AT), 'success');
      assert.equal(big.u32(OUT_AT), each * Math.floor(0xffffffff / each));
    } finally {
      big.ctx.close();
    }
  });
  it('a path length of hundreds of megabytes is nametoolong at once, not decoded first (537 MB of work per call)', async () => {
    const pages = 8200; // 537 MB: more bytes than V8's longest string has characters
    const big = await attacker({ bytes: wat(probeText('', pages)), preopens: [{ guestPath: GUEST_ROOT, dir: s.sb.dir }] });
    try {
      const len = pages * PAGE;
      assert.equal(big.call('path_open', ROOT, 0, 0, len, 0, ALL, ALL, 0, OUT_AT), 'nametoolong');
      assert.equal(big.call('path_symlink', 0, len, ROOT, 0, 4), 'nametoolong');
      assert.equal(big.call('path_unlink_file', ROOT, 0, len), 'nametoolong');
    } finally {
      big.ctx.close(); // closes the arena's preopen too (closing is idempotent)
    }
  });
  it('poll_oneoff with more than 65536 subscriptions → inval', async () => {
    const big = await attacker({ bytes: wat(probeText('', 82)) });
    try {
      assert.equal(big.call('poll_oneoff', 0, 65537 * 48, 65537, 4), 'inval');
    } finally {
      big.ctx.close();
    }
  });
  it('a clock subscription further than 24.8 days away waits, it does not spin on 1 ms timers', async () => {
    let monotonicReads = 0;
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    let released = false;
    const stdin = {
      isTerminal: false,
      readSync: () => 0,
      readAsync: () => 0,
      whenReadable: () => (released ? null : ready),
      available: () => (released ? 1 : 0),
      close() {},
    };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const g = await attacker({ async: true, stdin, clocks: { monotonic: () => (monotonicReads++, 0n) } });
    try {
      const sub = 4096;
      const v = new DataView(g.memory().buffer);
      v.setBigUint64(sub, 1n, true);
      g.memory()[sub + 8] = 0; // clock, monotonic, 2^62 ns from now
      v.setUint32(sub + 16, 1, true);
      v.setBigUint64(sub + 24, 1n << 62n, true);
      v.setBigUint64(sub + 48, 2n, true);
      g.memory()[sub + 56] = 1; // fd_read on stdin
      v.setUint32(sub + 64, 0, true);
      const polling = g.callAsync('poll_oneoff', sub, 8192, 2, OUT_AT);
      await new Promise((r) => setTimeout(r, 150));
      const readsWhileWaiting = monotonicReads;
      released = true;
      release();
      assert.equal(await polling, 'success');
      assert.equal(g.u32(OUT_AT), 1);
      assert.ok(readsWhileWaiting < 10, `the clock was read ${readsWhileWaiting} times in 150 ms`);
      assert.deepEqual(warnings.filter((w) => w === 'TimeoutOverflowWarning'), []);
    } finally {
      process.off('warning', onWarning);
      g.ctx.close();
    }
  });
});

// ---- resource exhaustion ----

function hostFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

for (const kind of FS_KINDS) {
  describe(`exhaustion (${kind} file system)`, () => {
    const s = arena(kind);
    it('opening thousands of descriptors hits mfile at the limit, and they are released after', () => {
      const { g } = s;
      const hostBefore = kind === 'host' ? hostFdCount() : 0;
      const opened: number[] = [];
      let errno: ErrnoName = 'success';
      for (let i = 0; i < 3000 && errno === 'success'; i++) {
        const r = g.open(ROOT, i % 2 ? 'file' : 'sub', { base: ALL & ~R.fd_write });
        errno = r.errno;
        if (r.errno === 'success') opened.push(r.fd);
      }
      assert.equal(errno, 'mfile');
      assert.equal(opened.length, 1024 - 4);
      assert.equal(callPath(g, 'path_create_directory', 'still-fine'), 'success'); // the table is full, not the grant
      assert.equal(g.open(ROOT, 'file', { oflags: 1 | 4 }).errno, 'mfile'); // refused before creating
      assert.equal(g.call('fd_close', opened[500]!), 'success');
      assert.equal(g.open(ROOT, 'file').fd, opened[500]);
      for (const fd of opened) g.call('fd_close', fd);
      if (kind === 'host') assert.ok(hostFdCount() <= hostBefore + 1, 'host descriptors leaked');
      assert.equal(g.open(ROOT, 'file').fd, 4);
    });
    it('fd_readdir on a directory of 2000 entries with the whole memory as its buffer', () => {
      const { g } = s;
      for (let i = 0; i < 2000; i++) assert.equal(callPath(g, 'path_create_directory', `sub/d${i}`), 'success');
      const d = g.open(ROOT, 'sub', { oflags: 2, base: ALL & ~R.fd_write });
      assert.equal(g.call('fd_readdir', d.fd, 0, END - 4, 0n, END - 4), 'success');
      assert.ok(g.u32(END - 4) > 2000 * 24);
    });
    if (kind === 'memory') {
      it('files grown to 2^62 bytes: nospc or fbig, never an allocation of that size', () => {
        const { g } = s;
        const f = g.open(ROOT, 'file');
        assert.ok(['nospc', 'fbig'].includes(g.call('fd_filestat_set_size', f.fd, 1n << 62n)));
        assert.ok(['nospc', 'fbig'].includes(g.call('fd_allocate', f.fd, 0n, 1n << 40n)));
        g.setU32(IOV, DATA);
        g.setU32(IOV + 4, 1);
        assert.ok(['nospc', 'fbig', 'inval'].includes(g.call('fd_pwrite', f.fd, IOV, 1, 1n << 62n, OUT_AT)));
        assert.equal(g.call('fd_pwrite', f.fd, IOV, 1, 1n << 63n, OUT_AT), 'inval');
      });
    }
  });
}

// ---- information leaks ----

for (const kind of FS_KINDS) {
  describe(`information leaks (${kind} file system)`, () => {
    const s = arena(kind);
    it('fd_prestat_dir_name gives the guest path, never the host one', () => {
      const { g } = s;
      assert.equal(g.call('fd_prestat_get', ROOT, 0), 'success');
      assert.equal(g.u32(4), GUEST_ROOT.length);
      assert.equal(g.call('fd_prestat_dir_name', ROOT, 100, 4096), 'success');
      assert.equal(g.text(100, GUEST_ROOT.length), GUEST_ROOT);
    });
    it("fd_readdir shows the grant's entries only; '..' of the root carries the root's own inode", () => {
      const { g } = s;
      assert.equal(g.call('fd_readdir', ROOT, 8192, 4096, 0n, OUT_AT), 'success');
      const raw = g.memory().slice(8192, 8192 + g.u32(OUT_AT));
      const v = new DataView(raw.buffer);
      const names: string[] = [];
      const inos = new Map<string, bigint>();
      for (let p = 0; p + 24 <= raw.length; ) {
        const n = v.getUint32(p + 16, true);
        const name = new TextDecoder().decode(raw.subarray(p + 24, p + 24 + n));
        names.push(name);
        inos.set(name, v.getBigUint64(p + 8, true));
        p += 24 + n;
      }
      assert.deepEqual(names.sort(), ['.', '..', 'file', 'host-abs', 'host-rel', 'sub']);
      assert.equal(inos.get('..'), inos.get('.'));
    });
    it('the environment and arguments are empty unless granted', () => {
      const { g } = s;
      assert.equal(g.call('environ_sizes_get', 0, 4), 'success');
      assert.deepEqual([g.u32(0), g.u32(4)], [0, 0]);
      assert.equal(g.call('args_sizes_get', 0, 4), 'success');
      assert.deepEqual([g.u32(0), g.u32(4)], [0, 0]);
    });
    it("runWasi's errors for a guest's failures name no host path", async () => {
      const { runWasi } = await import('../../src/wasi/run.ts');
      // Tries the escape, then traps: the trap's message and backtrace are all the host sees.
      const text = `(module ${WASI_IMPORTS} (memory (export "memory") 1)
        (data (i32.const 16) "../outside/secret")
        (func $escape (export "_start")
          (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 17) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 8)))
          unreachable))`;
      const dir = s.sb.kind === 'host' ? (await import('../../src/wasi/fs/host.ts')).openHostDirectory(s.sb.top + '/root') : s.sb.dir;
      const error = await runWasi(wat(text), { preopens: [{ guestPath: GUEST_ROOT, dir }] }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      assert.ok(error !== null);
      const shown = `${error.message}\n${error.stack ?? ''}`;
      if (s.sb.top !== null) assert.ok(!shown.includes(s.sb.top), shown);
      assert.ok(!shown.includes(SECRET));
    });
  });
}

// ---- guests without a usable memory, and re-entrancy while suspended ----

describe('guests without a usable memory', () => {
  for (const [what, memory] of [
    ['no memory at all', ''],
    ['a memory not exported', '(memory 1)'],
    ['a global exported as "memory"', '(global (export "memory") i32 (i32.const 0))'],
    ['a function exported as "memory"', '(func (export "memory"))'],
    ['a table exported as "memory"', '(table (export "memory") 1 funcref)'],
  ] as const) {
    it(`${what}: every pointer faults, calls without pointers work`, async () => {
      const text = probeText().replace('(memory (export "memory") 2)', memory).replace(/\(func \(export "grow"\)[^\n]*\)\)/, '');
      const sb = makeSandbox('memory');
      const g = await attacker({ bytes: wat(text), preopens: [{ guestPath: GUEST_ROOT, dir: sb.dir }] });
      try {
        assert.equal(g.call('fd_write', 1, 0, 1, 8), 'fault');
        assert.equal(g.call('path_open', ROOT, 0, 0, 4, 0, ALL, ALL, 0, 8), 'fault');
        assert.equal(g.call('random_get', 0, 1), 'fault');
        assert.equal(g.call('random_get', 0, 0), 'success'); // zero bytes at 0 fit even in no memory
        assert.equal(g.call('fd_prestat_get', ROOT, 0), 'fault');
        assert.equal(g.call('poll_oneoff', 0, 0, 1, 0), 'fault');
        assert.equal(g.call('fd_close', ROOT), 'success');
        assert.equal(g.call('sched_yield'), 'success');
      } finally {
        g.ctx.close();
        sb.cleanup();
      }
    });
  }
});

describe('re-entrancy while a blocking call is suspended (JSPI)', () => {
  it('a second call grows memory, closes the descriptor and reads again: both finish, in bounds', async () => {
    let feed!: (text: string) => void;
    const queue: string[] = [];
    let waiting: (() => void) | null = null;
    feed = (text) => {
      queue.push(text);
      waiting?.();
    };
    const stdin = {
      isTerminal: false,
      readSync: () => 0,
      readAsync(into: Uint8Array): number | Promise<number> {
        const take = (): number => {
          const b = new TextEncoder().encode(queue.shift()!);
          into.set(b.subarray(0, into.length));
          return Math.min(b.length, into.length);
        };
        if (queue.length > 0) return take();
        return new Promise<number>((resolve) => (waiting = () => ((waiting = null), resolve(take()))));
      },
      whenReadable: () => null,
      available: () => queue.length,
      close() {},
    };
    const g = await attacker({ async: true, stdin });
    const end = 2 * PAGE;
    g.setU32(IOV, end - 5);
    g.setU32(IOV + 4, 5);
    const first = g.callAsync('fd_read', 0, IOV, 1, OUT_AT); // suspends: nothing queued
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(await g.rawAsync('grow', 1), 2); // the first call's buffer is detached now
    assert.equal(await g.callAsync('fd_close', 0), 'success');
    g.setU32(IOV + 8, DATA);
    g.setU32(IOV + 12, 5);
    assert.equal(await g.callAsync('fd_read', 0, IOV + 8, 1, OUT_AT + 4), 'badf');
    feed('abcde');
    assert.equal(await first, 'success');
    assert.equal(g.u32(OUT_AT), 5);
    assert.equal(g.text(end - 5, 5), 'abcde');
    g.ctx.close();
  });
  it('a second call exits while the first is suspended: the exit surfaces there, the host survives', async () => {
    const stdin = { isTerminal: false, readSync: () => 0, readAsync: () => new Promise<number>(() => {}), whenReadable: () => null, available: () => 0, close() {} };
    const g = await attacker({ async: true, stdin });
    g.setU32(IOV, DATA);
    g.setU32(IOV + 4, 5);
    void g.callAsync('fd_read', 0, IOV, 1, OUT_AT); // never resumes
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(g.rawAsync('call_proc_exit', 7), { name: 'WasiExit', code: 7 } as never);
    assert.equal(g.call('sched_yield'), 'success');
    g.ctx.close();
  });
});

// ---- through `nanoprocess run` ----

describe('attacks through nanoprocess run', () => {
  const s = arena('host');
  /** A guest exiting with the errno of path_open(3, PATH) (or 0), after optional extra calls. */
  const opener = (path: string, oflags = 0) => `(module (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1) (data (i32.const 16) ${JSON.stringify(path)})
    (func (export "_start") (call $exit (call $open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const ${new TextEncoder().encode(path).length}) (i32.const ${oflags}) (i64.const 0x3fffffbf) (i64.const -1) (i32.const 0) (i32.const 8)))))`;
  async function run(args: string[], env: Record<string, string> = {}) {
    const { main } = await import('../../src/cli/main.ts');
    const { memoryIo } = await import('../cli/io.ts');
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const io = memoryIo({ stdin: '' });
      const code = await main(['run', ...args], io);
      return { code, out: io.outText(), err: io.errText() };
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
  }
  const guestDir = mkdtempSync(join(tmpdir(), 'nanoprocess-attack-guest-'));
  after(() => rmSync(guestDir, { recursive: true, force: true }));
  const guestFile = (name: string, text: string) => {
    const dir = guestDir;
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  it('an escape exits with perm (63); a read-only grant refuses creation with notcapable (76)', async () => {
    const root = `${s.sb.top}/root`;
    assert.equal((await run(['--dir', `${root}::/sandbox`, guestFile('escape.wat', opener('../outside/secret'))])).code, 63);
    assert.equal((await run(['--dir', `${root}::/sandbox`, guestFile('abs.wat', opener(`${s.sb.top}/outside/secret`))])).code, 63);
    assert.equal((await run(['--dir', `${root}::/sandbox`, guestFile('link.wat', opener('host-rel'))])).code, 63);
    assert.equal((await run(['--dir-ro', `${root}::/sandbox`, guestFile('create.wat', opener('new', 1))])).code, 76);
    assert.equal((await run(['--dir', `${root}::/sandbox`, guestFile('ok.wat', opener('file'))])).code, 0);
  });
  it("a guest's trap after an escape attempt: exit 134, stderr without the granted directory's host path", async () => {
    const root = `${s.sb.top}/root`;
    const text = opener('../outside/secret').replace('(call $exit ', '(drop ').replace(/\)\)\)\)$/, ')) unreachable))');
    const r = await run(['--dir', `${root}::/sandbox`, guestFile('trap.wat', text)]);
    assert.equal(r.code, 134);
    assert.match(r.err, /unreachable/);
    assert.ok(!r.err.includes(s.sb.top!), r.err);
    assert.ok(!r.err.includes(SECRET) && !r.out.includes(SECRET));
  });
  it('--env NAME passes on NAME only; nothing else of the host environment', async () => {
    const printEnv = `(module
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func $get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (drop (call $sizes (i32.const 0) (i32.const 4)))
        (drop (call $get (i32.const 64) (i32.const 1024)))
        (i32.store (i32.const 8) (i32.const 1024))
        (i32.store (i32.const 12) (i32.load (i32.const 4)))
        (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))`;
    const file = guestFile('env.wat', printEnv);
    const env = { ATTACK_WANTED: 'yes', ATTACK_OTHER: SECRET };
    assert.equal((await run([file], env)).out, '');
    const r = await run(['--env', 'ATTACK_WANTED', file], env);
    assert.equal(r.out, 'ATTACK_WANTED=yes\0');
  });
});

describe('attacks across two grants: a writable one and a read-only one, on two file systems', () => {
  it('nothing of the read-only grant becomes writable through the writable one', async () => {
    const { openHostDirectory } = await import('../../src/wasi/fs/host.ts');
    const { MemoryFileSystem } = await import('../../src/wasi/fs/memory.ts');
    const { readFileSync } = await import('node:fs');
    const top = mkdtempSync(join(tmpdir(), 'nanoprocess-attack-two-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(top, 'rw'));
    mkdirSync(join(top, 'ro'));
    writeFileSync(join(top, 'ro', 'data'), 'read-only data');
    const mem = new MemoryFileSystem();
    mem.writeFile('m', 'memory file');
    const g = await attacker({
      preopens: [
        { guestPath: '/rw', dir: openHostDirectory(join(top, 'rw')) },
        { guestPath: '/ro', dir: openHostDirectory(join(top, 'ro')), readOnly: true },
        { guestPath: '/mem', dir: mem.root() },
      ],
    });
    try {
      const RW = 3;
      const RO = 4;
      const MEM = 5;
      const cross = (name: 'path_rename' | 'path_link', fromFd: number, from: string, toFd: number, to: string) => {
        const l1 = g.put(PATH_AT, from);
        const l2 = g.put(PATH2_AT, to);
        return name === 'path_rename' ? g.call(name, fromFd, PATH_AT, l1, toFd, PATH2_AT, l2) : g.call(name, fromFd, 0, PATH_AT, l1, toFd, PATH2_AT, l2);
      };
      assert.equal(cross('path_link', RO, 'data', RW, 'copy'), 'notcapable'); // a hard link would make it writable
      assert.equal(cross('path_rename', RO, 'data', RW, 'stolen'), 'notcapable');
      assert.equal(g.open(RW, 'x', { oflags: 1 }).errno, 'success');
      assert.equal(cross('path_rename', RW, 'x', RO, 'planted'), 'notcapable');
      assert.equal(cross('path_link', RW, 'x', RO, 'planted'), 'notcapable');
      assert.equal(cross('path_rename', RW, 'x', MEM, 'moved'), 'xdev');
      assert.equal(cross('path_link', RW, 'x', MEM, 'linked'), 'xdev');
      assert.equal(cross('path_rename', MEM, 'm', RW, 'moved'), 'xdev');
      // A link in one grant naming a file of another is not followed across.
      assert.equal(plant(g, '../ro/data', 'to-ro'), 'success');
      assert.equal(g.open(RW, 'to-ro').errno, 'perm');
      assert.equal(g.open(RO, 'data', { base: R.fd_write }).errno, 'notcapable');
      assert.equal(readFileSync(join(top, 'ro', 'data'), 'utf8'), 'read-only data');
      assert.deepEqual(readdirSync(join(top, 'ro')), ['data']);
    } finally {
      g.ctx.close();
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('two instances in one store, one suspended in fd_read while the other calls WASI', () => {
  it("the suspended call's data lands in its own instance's memory, not the other's", async () => {
    const { Engine, Linker, Module, Store } = await import('../../src/runtime/index.ts');
    const { WasiContext } = await import('../../src/wasi/context.ts');
    const { addWasiToLinker } = await import('../../src/wasi/linker.ts');
    let resolveRead!: () => void;
    const gate = new Promise<void>((r) => (resolveRead = r));
    const stdin = {
      isTerminal: false,
      readSync: () => 0,
      readAsync: (into: Uint8Array) => gate.then(() => (into.set(new TextEncoder().encode('FOR-A')), 5)),
      whenReadable: () => null,
      available: () => 0,
      close() {},
    };
    const ctx = new WasiContext({ stdin });
    const engine = new Engine();
    const linker = new Linker<InstanceType<typeof WasiContext>>(engine);
    addWasiToLinker(linker, (c) => c, { async: true });
    const module = await Module.compile(engine, wat(probeText()));
    const store = new Store(engine, ctx);
    const a = await linker.instantiateAsync(store, module);
    const b = await linker.instantiateAsync(store, module);
    const memA = () => new Uint8Array(a.getMemory('memory')!.buffer);
    const memB = () => new Uint8Array(b.getMemory('memory')!.buffer);
    new DataView(memA().buffer).setUint32(IOV, DATA, true);
    new DataView(memA().buffer).setUint32(IOV + 4, 5, true);
    const reading = a.getFunc('call_fd_read')!.callAsync(0, IOV, 1, OUT_AT);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(await b.getFunc('call_sched_yield')!.callAsync(), 0); // B calls WASI meanwhile
    resolveRead();
    assert.equal(await reading, 0);
    assert.equal(new TextDecoder().decode(memA().subarray(DATA, DATA + 5)), 'FOR-A');
    assert.ok(!contains(memB(), 'FOR-A'), "A's data was written into B's memory");
    ctx.close();
  });
});

describe('a guest with more than 2 GiB of memory moving it all in one iovec', () => {
  it('reads a host file and writes a host stdout: a full or short transfer, never inval or io', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const sb = makeSandbox('host');
    const devNull = openSync('/dev/null', 'w');
    const g = await attacker({ bytes: wat(probeText('', 32769)), stdout: devNull, preopens: [{ guestPath: GUEST_ROOT, dir: sb.dir }] });
    try {
      const f = g.open(ROOT, 'file');
      g.setU32(IOV, PAGE);
      g.setU32(IOV + 4, 0x80000000);
      assert.equal(g.call('fd_read', f.fd, IOV, 1, OUT_AT), 'success');
      assert.equal(g.u32(OUT_AT), 6);
      assert.equal(g.call('fd_pread', f.fd, IOV, 1, 0n, OUT_AT), 'success');
      assert.equal(g.call('fd_write', 1, IOV, 1, OUT_AT), 'success');
      assert.equal(g.u32(OUT_AT), 0x80000000);
      g.setU32(IOV + 8, PAGE);
      g.setU32(IOV + 12, 0x10);
      assert.equal(g.call('fd_write', 1, IOV, 2, OUT_AT), 'success'); // writev of more than 2^31 bytes
      assert.equal(g.u32(OUT_AT), 0x80000010);
    } finally {
      g.ctx.close();
      sb.cleanup();
      closeSync(devNull);
    }
  });
});

describe('a guest with a shared memory (threads)', () => {
  it('paths, reads, writes and random bytes work on it, and its end is checked the same', async () => {
    const text = probeText().replace('(memory (export "memory") 2)', '(memory (export "memory") 2 2 shared)').replace(/\(func \(export "grow"\)[^\n]*\)\)/, '');
    const sb = makeSandbox('memory');
    const g = await attacker({ bytes: wat(text), preopens: [{ guestPath: GUEST_ROOT, dir: sb.dir }] });
    try {
      assert.ok(g.memory().buffer instanceof SharedArrayBuffer);
      const f = g.open(ROOT, 'file');
      assert.equal(f.errno, 'success');
      assert.equal(g.read(f.fd).text, 'inside');
      assert.equal(g.open(ROOT, '../outside/secret').errno, 'perm');
      assert.equal(g.call('random_get', END - 16, 16), 'success');
      assert.equal(g.call('random_get', END - 16, 17), 'fault');
      g.put(DATA, 'shared');
      g.setU32(IOV, DATA);
      g.setU32(IOV + 4, 6);
      assert.equal(g.call('fd_write', 1, IOV, 1, OUT_AT), 'success');
      assert.equal(g.stdout.text(), 'shared');
      g.put(PATH_AT, new Uint8Array([0x66, 0xff]));
      assert.equal(g.call('path_open', ROOT, 0, PATH_AT, 2, 0, ALL, ALL, 0, OUT_AT), 'ilseq');
    } finally {
      g.ctx.close();
      sb.cleanup();
    }
  });
});

describe('a granted listening socket under floods', () => {
  async function setup() {
    const { createServer, connect } = await import('node:net');
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const g = await attacker({ async: true, sockets: [server] });
    return { server, port, g, connect };
  }
  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a peer that never reads: sends are cut short, host memory stays bounded', async () => {
    const { port, g, connect } = await setup();
    const peer = connect(port, '127.0.0.1');
    peer.pause(); // never reads
    try {
      const accepting = g.callAsync('sock_accept', 3, 0, OUT_AT);
      assert.equal(await accepting, 'success');
      const fd = g.u32(OUT_AT);
      g.setU32(IOV, 0);
      g.setU32(IOV + 4, 2 * PAGE);
      let total = 0;
      const errnos = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const e = g.call('sock_send', fd, IOV, 1, 0, OUT_AT + 4);
        errnos.add(e);
        if (e === 'success') total += g.u32(OUT_AT + 4);
      }
      const { MAX_QUEUED_BYTES } = await import('../../src/wasi/sockets.ts');
      assert.ok(errnos.has('again'), [...errnos].join());
      assert.ok(total < 2000 * 2 * PAGE, `${total}`);
      const conn = [...g.ctx.fds.entries()].find(([n]) => n === fd)![1] as { connection: { socket: { writableLength: number } } };
      assert.ok(conn.connection.socket.writableLength <= MAX_QUEUED_BYTES);
      // poll_oneoff for writing does not report the full socket as writable (only the clock fires).
      const sub = 8192;
      const v = new DataView(g.memory().buffer);
      v.setBigUint64(sub, 9n, true);
      g.memory()[sub + 8] = 2; // fd_write
      v.setUint32(sub + 16, fd, true);
      v.setBigUint64(sub + 48, 10n, true);
      g.memory()[sub + 56] = 0; // clock, monotonic, 20 ms
      v.setUint32(sub + 64, 1, true);
      v.setBigUint64(sub + 72, 20_000_000n, true);
      const socket = (conn.connection as unknown as { socket: import('node:net').Socket }).socket;
      const listenersBefore = socket.listenerCount('drain');
      for (let i = 0; i < 30; i++) {
        v.setBigUint64(sub + 72, 1_000_000n, true);
        assert.equal(await g.callAsync('poll_oneoff', sub, 9000, 2, OUT_AT), 'success');
        assert.equal(g.u32(OUT_AT), 1);
        assert.equal(v.getBigUint64(9000, true), 10n);
      }
      // Polling in a loop leaves no listener per call behind (it did: one pair per poll).
      assert.ok(socket.listenerCount('drain') <= listenersBefore + 1, `${socket.listenerCount('drain')} drain listeners`);
    } finally {
      peer.destroy();
      g.ctx.close();
    }
  });

  it('a peer that sends without end to a guest that never reads: the socket is paused at the bound', async () => {
    const { port, g, connect } = await setup();
    const peer = connect(port, '127.0.0.1');
    let sent = 0;
    const block = Buffer.alloc(1 << 20, 0x41);
    const pump = () => {
      while (sent < 256 << 20 && peer.write(block)) sent += block.length;
      if (sent < 256 << 20) peer.once('drain', () => ((sent += block.length), pump()));
    };
    try {
      assert.equal(await g.callAsync('sock_accept', 3, 0, OUT_AT), 'success');
      const fd = g.u32(OUT_AT);
      pump();
      await settle(400);
      const { MAX_QUEUED_BYTES } = await import('../../src/wasi/sockets.ts');
      const conn = [...g.ctx.fds.entries()].find(([n]) => n === fd)![1] as { connection: { available(): number } };
      const queued = conn.connection.available();
      assert.ok(queued <= MAX_QUEUED_BYTES + (1 << 20), `${queued} bytes queued in the host`);
      // Reading drains the queue and lets more in: nothing is lost.
      g.setU32(IOV, PAGE);
      g.setU32(IOV + 4, PAGE);
      let got = 0;
      for (let i = 0; i < 10_000 && got < 3 * MAX_QUEUED_BYTES; i++) {
        assert.equal(await g.callAsync('fd_read', fd, IOV, 1, OUT_AT), 'success');
        got += g.u32(OUT_AT);
        assert.ok(g.u32(OUT_AT) > 0);
      }
      assert.ok(got >= 3 * MAX_QUEUED_BYTES, `${got}`);
      assert.ok(contains(g.memory().subarray(PAGE, PAGE + 16), 'AAAAAAAAAAAAAAAA'));
    } finally {
      peer.destroy();
      g.ctx.close();
    }
  });

  it('a flood of connections the guest does not accept: at most a backlog of them is held', async () => {
    const { port, g, connect } = await setup();
    const { MAX_PENDING_CONNECTIONS } = await import('../../src/wasi/sockets.ts');
    const peers = Array.from({ length: MAX_PENDING_CONNECTIONS + 40 }, () => connect(port, '127.0.0.1').on('error', () => {}));
    try {
      await settle(500);
      const listener = [...g.ctx.fds.entries()].find(([n]) => n === 3)![1] as { listener: { pending(): number } };
      assert.equal(listener.listener.pending(), MAX_PENDING_CONNECTIONS);
    } finally {
      for (const p of peers) p.destroy();
      g.ctx.close();
    }
  });
});
