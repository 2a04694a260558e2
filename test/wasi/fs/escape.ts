// The escape suite: every way we know to reach outside a granted directory, against
// each file system. Each attempt must fail with the errno resolve.ts's table gives, and
// afterwards nothing outside the sandbox may differ (entries, inodes, sizes, link counts,
// mtimes, contents), checked through the file system and, for the host, through Node.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrnoName } from '../../../src/wasi/errno.ts';
import { resolvePath } from '../../../src/wasi/fs/resolve.ts';
import type { Directory } from '../../../src/wasi/fs/types.ts';
import { outsideSnapshot, readFile, throwsErrno, writeFile, type Fixture, type FixtureFactory } from './fixtures.ts';

/** Runs `body` on a fresh fixture and checks that the outside did not change. */
function sealed(factory: FixtureFactory, body: (f: Fixture) => void, setup?: (f: Fixture) => void): () => void {
  return () => {
    const f = factory();
    try {
      f.root.createDirectory('a');
      const a = f.root.openDirectory('a');
      a.createDirectory('b');
      a.close();
      writeFile(f.root, 'inside.txt', 'inside');
      setup?.(f);
      const before = outsideSnapshot(f);
      const hostBefore = f.hostOutside?.();
      body(f);
      assert.equal(outsideSnapshot(f), before, 'the outside changed (seen through the file system)');
      if (hostBefore !== undefined) assert.equal(f.hostOutside!(), hostBefore, 'the outside changed (seen by Node)');
    } finally {
      f.dispose();
    }
  };
}

/** Expects resolving `path` (with and without following a final link) to fail with `code`. */
function refused(root: Directory, path: string, code: ErrnoName): void {
  for (const follow of [false, true]) {
    throwsErrno(() => resolvePath(root, path, { followFinalSymlink: follow }).release(), code, `${JSON.stringify(path)} follow=${follow}`);
  }
}

export function escapeSuite(factory: FixtureFactory): void {
  const t = (name: string, body: (f: Fixture) => void, setup?: (f: Fixture) => void) => it(name, sealed(factory, body, setup));

  describe('escape attempts', () => {
    t('.. past the root: plain, after descending, with slashes and dots', ({ root }) => {
      for (const p of ['..', '../', '..//', './..', '../outside', '../outside/secret.txt', 'a/../..', 'a/b/../../..',
        'a/b/../../../outside/secret.txt', 'a/..//../outside', '../sandbox/inside.txt', '.././../..', '../'.repeat(1000) + 'etc/passwd']) {
        refused(root, p, 'perm');
      }
    });

    t('absolute paths', ({ root, basePath }) => {
      for (const p of ['/', '//', '/etc/passwd', '/outside/secret.txt', `${basePath}/outside/secret.txt`,
        `${basePath}/sandbox/inside.txt`, '/proc/self/root', '/proc/self/cwd/x', '/..', '/./..']) {
        refused(root, p, 'perm');
      }
    });

    t('NUL bytes', ({ root }) => {
      for (const p of ['../outside\0', 'a\0/../../outside', 'inside.txt\0../../outside', '\0', '/\0']) {
        refused(root, p, 'inval');
      }
    });

    t('look-alikes of .. are ordinary names', ({ root }) => {
      for (const p of ['..\\outside', '...', '.. ', ' ..', '\u2025', '\uff0e\uff0e', '%2e%2e', '..;', '.\u200b.']) {
        const r = resolvePath(root, p, { followFinalSymlink: true });
        assert.equal(r.dir, root, JSON.stringify(p));
        throwsErrno(() => r.dir.statAt(r.name), 'noent', JSON.stringify(p));
        r.release();
      }
    });

    t('symbolic links pointing out, as final and intermediate components', (f) => {
      const { root, basePath } = f;
      const links: [string, string][] = [
        ['abs_out', `${basePath}/outside`],
        ['abs_secret', `${basePath}/outside/secret.txt`],
        ['abs_self', `${basePath}/sandbox`],
        ['slash', '/'],
        ['proc_root', '/proc/self/root'],
        ['proc_cwd', '/proc/self/cwd'],
        ['rel_out', '../outside'],
        ['rel_out_slash', '../outside/'],
        ['rel_secret', '../outside/secret.txt'],
        ['rel_deep', '../../../../../../../../../../../../etc/passwd'],
        ['via_inside', 'a/b/../../../outside'],
        ['dotdot', '..'],
        ['chain1', 'chain2'],
        ['chain2', 'a/../rel_out'],
        ['dangling_out', '../outside/new.txt'],
        ['dangling_abs', `${basePath}/outside/new.txt`],
      ];
      for (const [name, target] of links) f.plantSymlink(target, name);
      for (const [name] of links) {
        throwsErrno(() => resolvePath(root, name, { followFinalSymlink: true }), 'perm', `${name} followed`);
        throwsErrno(() => resolvePath(root, `${name}/`, { followFinalSymlink: true }), 'perm', `${name}/ followed`);
        for (const rest of ['secret.txt', 'sub/victim.txt', 'new.txt', '.', '..', 'x/']) {
          refused(root, `${name}/${rest}`, 'perm');
        }
        refused(root, `a/../${name}/secret.txt`, 'perm');
        // Not followed: the link itself, and nothing opens through it.
        const r = resolvePath(root, name, { followFinalSymlink: false });
        assert.equal(r.name, name);
        r.release();
        assert.equal(root.statAt(name).type, 'symbolic-link');
        throwsErrno(() => root.openFile(name, { read: true }), 'loop', `open ${name}`);
        throwsErrno(() => root.openFile(name, { read: true, write: true, create: true }), 'loop', `create through ${name}`);
        throwsErrno(() => root.openFile(name, { write: true, truncate: true }), 'loop', `truncate through ${name}`);
        throwsErrno(() => root.openDirectory(name), 'notdir', `opendir ${name}`);
        throwsErrno(() => root.removeDirectory(name), 'notdir', `rmdir ${name}`);
        throwsErrno(() => root.createDirectory(name), 'exist', `mkdir ${name}`);
        throwsErrno(() => root.symlink('x', name), 'exist', `symlink over ${name}`);
      }
      // The operations that act on a link itself touch only the link.
      root.setTimesAt('rel_out', 1_000_000_000_000_000_000n, 1_000_000_000_000_000_000n);
      root.setTimesAt('abs_secret', 1_000_000_000_000_000_000n, 1_000_000_000_000_000_000n);
      root.link('rel_secret', root, 'copy');
      assert.equal(root.statAt('copy').type, 'symbolic-link', 'a hard link of a link is a link');
      throwsErrno(() => resolvePath(root, 'copy', { followFinalSymlink: true }), 'perm');
      root.rename('rel_out', root, 'moved');
      throwsErrno(() => resolvePath(root, 'moved/secret.txt', { followFinalSymlink: false }), 'perm');
      root.rename('a', root, 'abs_out_dir');
      throwsErrno(() => root.rename('abs_out_dir', root, 'abs_out'), 'notdir', 'a directory over a link');
      writeFile(root, 'plain', 'mine');
      root.rename('plain', root, 'abs_secret');
      assert.equal(readFile(root, 'abs_secret'), 'mine', 'renaming over a link replaces the link');
      root.unlinkFile('abs_out');
      root.unlinkFile('dangling_out');
    });

    t('links to links inside that climb out only later', (f) => {
      const { root } = f;
      const a = root.openDirectory('a');
      a.symlink('..', 'up');
      a.symlink('../..', 'up2');
      a.symlink('b/../up', 'up_via_b');
      a.close();
      const r = resolvePath(root, 'a/up/inside.txt', { followFinalSymlink: false });
      assert.equal(readFile(r.dir, r.name), 'inside', 'a link to the root itself is fine');
      r.release();
      for (const p of ['a/up/..', 'a/up/../outside', 'a/up2', 'a/up2/outside/secret.txt', 'a/up_via_b/..', 'a/up/a/up/a/up/..']) {
        if (p === 'a/up2') throwsErrno(() => resolvePath(root, p, { followFinalSymlink: true }), 'perm', p);
        else refused(root, p, 'perm');
      }
    });

    t('links created by the guest: absolute refused, relative ones never followed out', ({ root }) => {
      throwsErrno(() => root.symlink('/etc/passwd', 'x'), 'perm');
      throwsErrno(() => root.symlink('/', 'x'), 'perm');
      root.symlink('../outside/secret.txt', 'mine');
      root.symlink('../outside/made-by-guest.txt', 'mine_dangling');
      throwsErrno(() => resolvePath(root, 'mine', { followFinalSymlink: true }), 'perm');
      throwsErrno(() => resolvePath(root, 'mine_dangling', { followFinalSymlink: true }), 'perm');
      throwsErrno(() => root.openFile('mine_dangling', { write: true, create: true }), 'loop');
      const a = root.openDirectory('a');
      a.symlink('../../outside', 'out');
      throwsErrno(() => resolvePath(root, 'a/out/secret.txt', { followFinalSymlink: false }), 'perm');
      a.close();
    });

    t('names with / or .. passed straight to single-name operations', ({ root, basePath }) => {
      const names = ['..', '.', '../outside', '../outside/secret.txt', 'a/../../outside', `${basePath}/outside/secret.txt`, '/etc/passwd', 'a/b'];
      for (const n of names) {
        const q = JSON.stringify(n);
        throwsErrno(() => root.statAt(n), 'inval', `statAt ${q}`);
        throwsErrno(() => root.typeAt(n), 'inval', `typeAt ${q}`);
        throwsErrno(() => root.openFile(n, { read: true, write: true, create: true }), 'inval', `openFile ${q}`);
        throwsErrno(() => root.openDirectory(n), 'inval', `openDirectory ${q}`);
        throwsErrno(() => root.readlink(n), 'inval', `readlink ${q}`);
        throwsErrno(() => root.createDirectory(n), 'inval', `createDirectory ${q}`);
        throwsErrno(() => root.removeDirectory(n), 'inval', `removeDirectory ${q}`);
        throwsErrno(() => root.unlinkFile(n), 'inval', `unlinkFile ${q}`);
        throwsErrno(() => root.symlink('inside.txt', n), 'inval', `symlink ${q}`);
        throwsErrno(() => root.link('inside.txt', root, n), 'inval', `link to ${q}`);
        throwsErrno(() => root.link(n, root, 'stolen'), 'inval', `link from ${q}`);
        throwsErrno(() => root.rename('inside.txt', root, n), 'inval', `rename to ${q}`);
        throwsErrno(() => root.rename(n, root, 'stolen'), 'inval', `rename from ${q}`);
        throwsErrno(() => root.setTimesAt(n, 1n, 1n), 'inval', `setTimesAt ${q}`);
      }
      assert.equal(readFile(root, 'inside.txt'), 'inside');
    });

    t('rename and link into or out of the root go through resolution', ({ root }) => {
      for (const p of ['../outside/secret.txt', '../outside/stolen.txt', '../stolen', 'a/../../x']) {
        refused(root, p, 'perm');
      }
      // What a path_rename or path_link would do: both paths resolved first.
      const attempt = (from: string, to: string) => {
        const src = resolvePath(root, from, { followFinalSymlink: false });
        try {
          const dst = resolvePath(root, to, { followFinalSymlink: false });
          try {
            src.dir.rename(src.name, dst.dir, dst.name);
          } finally {
            dst.release();
          }
        } finally {
          src.release();
        }
      };
      throwsErrno(() => attempt('inside.txt', '../outside/inside.txt'), 'perm');
      throwsErrno(() => attempt('../outside/secret.txt', 'stolen.txt'), 'perm');
      throwsErrno(() => attempt('a', '../a'), 'perm');
      attempt('inside.txt', 'a/b/moved.txt');
      attempt('a/b/moved.txt', 'a/../inside.txt');
      assert.equal(readFile(root, 'inside.txt'), 'inside');
    });

    t('hard links placed by the host are part of the grant; the guest cannot make new ones out', (f) => {
      const { root } = f;
      // A hard link is the file itself: whoever put it in the granted tree granted it.
      assert.equal(readFile(root, 'hl'), 'top secret, outside the sandbox\n');
      root.rename('hl', root, 'hl-renamed');
      throwsErrno(() => resolvePath(root, '../outside/secret.txt', { followFinalSymlink: false }), 'perm');
      f.plantSymlink('../outside/secret.txt', 'rel_secret');
      root.link('rel_secret', root, 'copy');
      assert.equal(root.statAt('copy').type, 'symbolic-link');
      assert.equal(root.statAt('copy').nlink, 2n, 'the new name links the link, not the secret');
      throwsErrno(() => resolvePath(root, 'copy', { followFinalSymlink: true }), 'perm');
    }, (f) => f.plantHardLink('secret.txt', 'hl'));

    t('trailing-slash tricks', (f) => {
      const { root } = f;
      f.plantSymlink('../outside', 'out');
      for (const p of ['out/.', 'out/./', 'out/..', '../', '..//.', 'a/..//../', 'a/b/../../../', './/..//']) {
        refused(root, p, 'perm');
      }
      for (const p of ['out/', 'out//']) {
        throwsErrno(() => resolvePath(root, p, { followFinalSymlink: true }), 'perm', p);
      }
      // Without following, "out/" names the link and asks for a directory: the caller
      // (path_open with a trailing slash follows; unlink/rmdir act on the link) decides.
      const r = resolvePath(root, 'out/', { followFinalSymlink: false });
      assert.equal(r.name, 'out');
      assert.equal(r.mustBeDirectory, true);
      throwsErrno(() => r.dir.removeDirectory(r.name), 'notdir');
      r.release();
    });

    t('a read-only grant refuses escapes with the same errno', (f) => {
      const ro = f.readOnlyRoot();
      f.plantSymlink('../outside', 'out');
      for (const p of ['..', '../outside/secret.txt', '/etc/passwd', 'out/secret.txt']) refused(ro, p, 'perm');
    });
  });
}
