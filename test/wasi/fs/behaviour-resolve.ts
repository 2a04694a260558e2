// Behaviour suite, part 3: resolve.ts on each file system: `.`, `..`, empty components,
// trailing slashes, symbolic links (to files, to directories, dangling, loops), deep
// paths and long names. The decisions tested are tabled at the top of resolve.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePath, type ResolvedPath } from '../../../src/wasi/fs/resolve.ts';
import type { Directory } from '../../../src/wasi/fs/types.ts';
import { readFile, throwsErrno, using, writeFile, type FixtureFactory } from './fixtures.ts';

/** The inode a resolution names (the entry itself, links not followed). */
function inoOf(r: ResolvedPath): bigint {
  return r.name === '.' ? r.dir.stat().ino : r.dir.statAt(r.name).ino;
}

function resolve(root: Directory, path: string, follow = false): ResolvedPath {
  return resolvePath(root, path, { followFinalSymlink: follow });
}

/** Resolves, runs `body` on the result, releases. */
function at<T>(root: Directory, path: string, follow: boolean, body: (r: ResolvedPath) => T): T {
  const r = resolve(root, path, follow);
  try {
    return body(r);
  } finally {
    r.release();
  }
}

export function resolveBehaviour(factory: FixtureFactory): void {
  const t = (name: string, body: Parameters<typeof using>[1]) => it(name, using(factory, body));

  /** root: a/b/file.txt, a/c/, top.txt */
  const tree = (root: Directory) => {
    root.createDirectory('a');
    const a = root.openDirectory('a');
    a.createDirectory('b');
    a.createDirectory('c');
    const b = a.openDirectory('b');
    writeFile(b, 'file.txt', 'deep');
    b.close();
    a.close();
    writeFile(root, 'top.txt', 'top');
  };

  describe('resolvePath', () => {
    t('empty, NUL, absolute and escaping paths fail first', ({ root }) => {
      tree(root);
      throwsErrno(() => resolve(root, ''), 'noent');
      throwsErrno(() => resolve(root, 'a\0'), 'inval');
      throwsErrno(() => resolve(root, 'a/b/file.txt\0'), 'inval', 'trailing NUL');
      throwsErrno(() => resolve(root, '/a'), 'perm');
      throwsErrno(() => resolve(root, '..'), 'perm');
      throwsErrno(() => resolve(root, 'a/../..'), 'perm');
    });

    t('a simple name resolves to the root and the name', ({ root }) => {
      tree(root);
      at(root, 'top.txt', false, (r) => {
        assert.equal(r.dir, root);
        assert.equal(r.name, 'top.txt');
        assert.equal(r.mustBeDirectory, false);
      });
    });

    t('., .. and empty components', ({ root }) => {
      tree(root);
      const fileIno = root.openDirectory('a').openDirectory('b').statAt('file.txt').ino;
      for (const p of ['a/b/file.txt', 'a/./b//file.txt', './a/b/./file.txt', 'a/c/../b/file.txt', 'a/.//b/../../a/b/../b///./file.txt']) {
        at(root, p, false, (r) => {
          assert.equal(r.name, 'file.txt', p);
          assert.equal(inoOf(r), fileIno, p);
          assert.equal(readFile(r.dir, r.name), 'deep', p);
        });
      }
    });

    t('a path naming its start resolves to name "."', ({ root }) => {
      tree(root);
      for (const p of ['.', './', './/.', 'a/..', 'a/b/../..', 'a/b/../../']) {
        at(root, p, false, (r) => {
          assert.equal(r.name, '.', p);
          assert.equal(r.dir.stat().ino, root.stat().ino, p);
        });
      }
      at(root, 'a/b/..', false, (r) => {
        assert.equal(r.name, '.');
        assert.equal(r.dir.stat().ino, root.statAt('a').ino);
      });
    });

    t('trailing slashes set mustBeDirectory', ({ root }) => {
      tree(root);
      for (const p of ['a/', 'a///', 'a/b/', 'top.txt/']) {
        at(root, p, false, (r) => assert.equal(r.mustBeDirectory, true, p));
      }
      at(root, 'a/b', false, (r) => assert.equal(r.mustBeDirectory, false));
      at(root, 'top.txt/', false, (r) => assert.equal(r.name, 'top.txt', 'the caller checks the type'));
    });

    t('an intermediate component that is missing or not a directory', ({ root }) => {
      tree(root);
      throwsErrno(() => resolve(root, 'missing/x'), 'noent');
      throwsErrno(() => resolve(root, 'top.txt/x'), 'notdir');
      throwsErrno(() => resolve(root, 'top.txt/.'), 'notdir');
      throwsErrno(() => resolve(root, 'top.txt/..'), 'notdir');
      root.symlink('top.txt', 'lt');
      throwsErrno(() => resolve(root, 'lt/x'), 'notdir', 'through a link to a file');
      at(root, 'missing', false, (r) => assert.equal(r.name, 'missing', 'a missing final name resolves'));
    });

    t('a final link is followed only when asked', ({ root }) => {
      tree(root);
      root.symlink('a/b/file.txt', 'lf');
      at(root, 'lf', false, (r) => {
        assert.equal(r.name, 'lf');
        assert.equal(r.dir.statAt(r.name).type, 'symbolic-link');
      });
      at(root, 'lf', true, (r) => {
        assert.equal(r.name, 'file.txt');
        assert.equal(readFile(r.dir, r.name), 'deep');
      });
    });

    t('intermediate links are always followed, relative to their directory', ({ root }) => {
      tree(root);
      const a = root.openDirectory('a');
      a.symlink('b', 'lb');
      a.symlink('../a/./c/../b/', 'twisty');
      a.close();
      root.symlink('a/lb', 'chain');
      for (const p of ['a/lb/file.txt', 'a/twisty/file.txt', 'chain/file.txt', 'chain/../b/file.txt']) {
        at(root, p, false, (r) => assert.equal(readFile(r.dir, r.name), 'deep', p));
      }
      at(root, 'chain/..', false, (r) => {
        assert.equal(r.name, '.');
        assert.equal(r.dir.stat().ino, root.statAt('a').ino, '.. after a link is the physical parent');
      });
    });

    t('a final link to a directory with a slash in its text requires a directory', ({ root }) => {
      tree(root);
      root.symlink('a/', 'la');
      at(root, 'la', true, (r) => {
        assert.equal(r.name, 'a');
        assert.equal(r.mustBeDirectory, true);
      });
      at(root, 'la', false, (r) => assert.equal(r.mustBeDirectory, false));
    });

    t('a trailing slash alone does not follow a final link', ({ root }) => {
      tree(root);
      root.symlink('a', 'la');
      at(root, 'la/', false, (r) => {
        assert.equal(r.name, 'la');
        assert.equal(r.mustBeDirectory, true);
      });
      at(root, 'la/', true, (r) => assert.equal(r.name, 'a'));
      at(root, 'la/.', false, (r) => {
        assert.equal(r.name, '.');
        assert.equal(r.dir.stat().ino, root.statAt('a').ino);
      });
    });

    t('dangling links: final resolves to the missing target, intermediate is noent', ({ root }) => {
      tree(root);
      root.symlink('a/new.txt', 'dangling');
      at(root, 'dangling', true, (r) => {
        assert.equal(r.name, 'new.txt');
        writeFile(r.dir, r.name, 'made through the link');
      });
      assert.equal(readFile(root.openDirectory('a'), 'new.txt'), 'made through the link');
      root.symlink('nowhere', 'd2');
      throwsErrno(() => resolve(root, 'd2/x'), 'noent');
    });

    t('link loops are loop', ({ root }) => {
      root.symlink('self', 'self');
      root.symlink('ping', 'pong');
      root.symlink('pong', 'ping');
      throwsErrno(() => resolve(root, 'self', true), 'loop');
      throwsErrno(() => resolve(root, 'self/x'), 'loop');
      throwsErrno(() => resolve(root, 'ping', true), 'loop');
      throwsErrno(() => resolve(root, 'pong/x/y'), 'loop');
      at(root, 'self', false, (r) => assert.equal(r.name, 'self'));
    });

    t('40 links in a chain resolve, 41 are loop', ({ root }) => {
      writeFile(root, 'target', 'end');
      root.symlink('target', 'l0');
      for (let i = 1; i <= 40; i++) root.symlink(`l${i - 1}`, `l${i}`);
      at(root, 'l39', true, (r) => assert.equal(readFile(r.dir, r.name), 'end'));
      throwsErrno(() => resolve(root, 'l40', true), 'loop');
    });

    t('empty components in link text; links to . and ..', ({ root }) => {
      tree(root);
      const a = root.openDirectory('a');
      a.symlink('.', 'dot');
      a.symlink('..', 'up');
      a.symlink('b//./', 'messy');
      a.close();
      at(root, 'a/dot/dot/b/file.txt', false, (r) => assert.equal(readFile(r.dir, r.name), 'deep'));
      at(root, 'a/up/top.txt', false, (r) => assert.equal(readFile(r.dir, r.name), 'top'));
      at(root, 'a/messy/file.txt', false, (r) => assert.equal(readFile(r.dir, r.name), 'deep'));
      throwsErrno(() => resolve(root, 'a/up/..'), 'perm', 'up from the root through a link');
    });

    t('deep paths resolve and release their handles', ({ root }) => {
      let dir = root;
      const opened: Directory[] = [];
      for (let i = 0; i < 100; i++) {
        dir.createDirectory('d');
        dir = dir.openDirectory('d');
        opened.push(dir);
      }
      writeFile(dir, 'bottom', 'deep down');
      opened.forEach((d) => d.close());
      const path = 'd/'.repeat(100) + 'bottom';
      for (let i = 0; i < 20; i++) at(root, path, false, (r) => assert.equal(readFile(r.dir, r.name), 'deep down'));
      at(root, 'd/'.repeat(100) + '../'.repeat(100) + 'd', false, (r) => assert.equal(r.dir, root));
      throwsErrno(() => resolve(root, 'd/'.repeat(100) + '../'.repeat(101)), 'perm');
    });

    t('more than 1024 directories held at once is nametoolong', ({ root }) => {
      let dir = root;
      for (let i = 0; i < 1030; i++) {
        dir.createDirectory('d');
        const next = dir.openDirectory('d');
        if (dir !== root) dir.close();
        dir = next;
      }
      dir.close();
      at(root, 'd/'.repeat(1024) + 'x', false, (r) => assert.equal(r.name, 'x'));
      throwsErrno(() => resolve(root, 'd/'.repeat(1025) + 'x'), 'nametoolong');
      // Links cannot multiply the depth past the bound either.
      root.symlink('d/'.repeat(600), 'deep');
      throwsErrno(() => resolve(root, 'deep/' + 'd/'.repeat(500) + 'x'), 'nametoolong');
    });

    t('release is idempotent and never closes the root', ({ root }) => {
      tree(root);
      const r = resolve(root, 'a/b/file.txt');
      r.release();
      r.release();
      throwsErrno(() => r.dir.stat(), 'badf', 'the handles it opened are closed');
      assert.equal(root.stat().type, 'directory');
      const s = resolve(root, 'top.txt');
      s.release();
      assert.equal(root.stat().type, 'directory');
    });

    t('long names and long paths', ({ root }) => {
      const long = 'x'.repeat(255);
      root.createDirectory(long);
      writeFile(root.openDirectory(long), long, 'long');
      at(root, `${long}/${long}`, false, (r) => assert.equal(readFile(r.dir, r.name), 'long'));
      throwsErrno(() => resolve(root, `${'y'.repeat(256)}/x`), 'nametoolong');
      throwsErrno(() => resolve(root, 'a/'.repeat(2048)), 'nametoolong', 'over PATH_MAX');
    });
  });
}
