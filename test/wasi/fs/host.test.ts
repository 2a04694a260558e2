// The file-system behaviour suite against host directories, in both resolution modes
// (Linux's /proc/self/fd, and the path fallback used where that does not exist), plus
// what only the host has: descriptors that must not leak.

import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import { describe, it } from 'node:test';
import { openHostDirectory } from '../../../src/wasi/fs/host.ts';
import { resolvePath } from '../../../src/wasi/fs/resolve.ts';
import { directoryBehaviour } from './behaviour-dir.ts';
import { fileBehaviour } from './behaviour-file.ts';
import { resolveBehaviour } from './behaviour-resolve.ts';
import { bytes, hostFixture, throwsErrno, using, writeFile } from './fixtures.ts';

const hasProcFd = process.platform === 'linux' && nodeFs.existsSync('/proc/self/fd');

describe('host file system (default resolution)', () => {
  directoryBehaviour(() => hostFixture());
  fileBehaviour(() => hostFixture());
  resolveBehaviour(() => hostFixture());
});

describe('host file system (path fallback)', () => {
  directoryBehaviour(() => hostFixture('path'));
  fileBehaviour(() => hostFixture('path'));
  resolveBehaviour(() => hostFixture('path'));
});

function openDescriptors(): number {
  return nodeFs.readdirSync('/proc/self/fd').length;
}

describe('host descriptors', { skip: hasProcFd ? false : 'needs /proc/self/fd' }, () => {
  it('10,000 opens and closes leak no descriptor', using(() => hostFixture(), ({ root }) => {
    writeFile(root, 'f', 'x');
    root.createDirectory('d');
    const before = openDescriptors();
    for (let i = 0; i < 10_000; i++) {
      const f = root.openFile('f', { read: true, write: true });
      if (i % 100 === 0) f.append(bytes('y'));
      f.close();
      f.close();
      root.openDirectory('d').close();
    }
    assert.equal(openDescriptors(), before);
  }));

  it('resolutions, successful or not, release what they open', using(() => hostFixture(), ({ root }) => {
    root.createDirectory('a');
    const a = root.openDirectory('a');
    a.createDirectory('b');
    a.symlink('../../outside', 'out');
    a.close();
    const before = openDescriptors();
    for (let i = 0; i < 2_000; i++) {
      resolvePath(root, 'a/b/../b/x', { followFinalSymlink: true }).release();
      throwsErrno(() => resolvePath(root, 'a/b/../../..', { followFinalSymlink: false }), 'perm');
      throwsErrno(() => resolvePath(root, 'a/out/secret.txt', { followFinalSymlink: false }), 'perm');
      throwsErrno(() => resolvePath(root, 'a/b/missing/x', { followFinalSymlink: false }), 'noent');
    }
    assert.equal(openDescriptors(), before);
  }));

  it('opening a missing host directory is noent, a file notdir, and names no path', () => {
    throwsErrno(() => openHostDirectory('/nonexistent/secret/place'), 'noent');
    try {
      openHostDirectory('/nonexistent/secret/place');
    } catch (error) {
      assert.doesNotMatch(String((error as Error).message), /secret/);
    }
    throwsErrno(() => openHostDirectory('/proc/self/status'), 'notdir');
  });

  it('error messages never contain host paths', using(() => hostFixture(), ({ root, basePath }) => {
    const attempts = [
      () => root.statAt('missing'),
      () => root.openFile('missing', { read: true }),
      () => root.removeDirectory('missing'),
      () => resolvePath(root, 'missing/x', { followFinalSymlink: false }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
        assert.fail('expected a failure');
      } catch (error) {
        const message = String((error as Error).message);
        assert.ok(!message.includes(basePath) && !message.includes('/proc/'), message);
      }
    }
  }));
});
