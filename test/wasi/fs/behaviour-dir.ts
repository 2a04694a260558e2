// Behaviour suite, part 1: every Directory operation of types.ts on success and error
// paths. Runs unchanged against each file system (memory.test.ts, host.test.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../../../src/wasi/fs/memory.ts';
import { readFile, throwsErrno, using, writeFile, type FixtureFactory } from './fixtures.ts';

const BAD_NAMES = ['', '.', '..', 'a/b', '/a', 'a/', 'a\0b'];

export function directoryBehaviour(factory: FixtureFactory): void {
  const t = (name: string, body: Parameters<typeof using>[1]) => it(name, using(factory, body));

  describe('Directory', () => {
    t('stat describes the directory itself', ({ root }) => {
      const s = root.stat();
      assert.equal(s.type, 'directory');
      assert.ok(s.ino > 0n);
      assert.ok(s.mtim > 0n);
    });

    t('createDirectory, statAt, entries', ({ root }) => {
      root.createDirectory('d');
      assert.equal(root.statAt('d').type, 'directory');
      throwsErrno(() => root.createDirectory('d'), 'exist');
      writeFile(root, 'f', 'x');
      throwsErrno(() => root.createDirectory('f'), 'exist');
      root.symlink('f', 'l');
      throwsErrno(() => root.createDirectory('l'), 'exist', 'mkdir over a link');
      const entries = root.entries().sort((a, b) => (a.name < b.name ? -1 : 1));
      assert.deepEqual(entries.map((e) => [e.name, e.type]), [['d', 'directory'], ['f', 'regular-file'], ['l', 'symbolic-link']]);
      for (const e of entries) assert.equal(e.ino, root.statAt(e.name).ino, `ino of ${e.name}`);
    });

    t('entries of an empty directory is empty (no . or ..)', ({ root }) => {
      assert.deepEqual(root.entries(), []);
    });

    t('every single-name operation refuses names that are not one component', ({ root }) => {
      writeFile(root, 'f', 'x');
      for (const bad of BAD_NAMES) {
        const n = JSON.stringify(bad);
        throwsErrno(() => root.statAt(bad), 'inval', `statAt ${n}`);
        throwsErrno(() => root.typeAt(bad), 'inval', `typeAt ${n}`);
        throwsErrno(() => root.openDirectory(bad), 'inval', `openDirectory ${n}`);
        throwsErrno(() => root.openFile(bad, { read: true, create: true, write: true }), 'inval', `openFile ${n}`);
        throwsErrno(() => root.readlink(bad), 'inval', `readlink ${n}`);
        throwsErrno(() => root.createDirectory(bad), 'inval', `createDirectory ${n}`);
        throwsErrno(() => root.removeDirectory(bad), 'inval', `removeDirectory ${n}`);
        throwsErrno(() => root.unlinkFile(bad), 'inval', `unlinkFile ${n}`);
        throwsErrno(() => root.symlink('f', bad), 'inval', `symlink ${n}`);
        throwsErrno(() => root.link('f', root, bad), 'inval', `link to ${n}`);
        throwsErrno(() => root.link(bad, root, 'g'), 'inval', `link from ${n}`);
        throwsErrno(() => root.rename('f', root, bad), 'inval', `rename to ${n}`);
        throwsErrno(() => root.rename(bad, root, 'g'), 'inval', `rename from ${n}`);
        throwsErrno(() => root.setTimesAt(bad, 1n, 1n), 'inval', `setTimesAt ${n}`);
      }
      assert.equal(readFile(root, 'f'), 'x');
    });

    t('names of 255 bytes work, 256 are nametoolong', ({ root }) => {
      const long = 'n'.repeat(255);
      writeFile(root, long, 'long');
      assert.equal(readFile(root, long), 'long');
      throwsErrno(() => root.createDirectory('n'.repeat(256)), 'nametoolong');
      throwsErrno(() => root.statAt('é'.repeat(128)), 'nametoolong', '256 UTF-8 bytes');
    });

    t('openDirectory: a directory opens; files, links and missing names do not', ({ root }) => {
      root.createDirectory('d');
      writeFile(root, 'f', 'x');
      root.symlink('d', 'ld');
      const d = root.openDirectory('d');
      writeFile(d, 'inner', 'y');
      assert.equal(root.statAt('d').ino, d.stat().ino);
      d.close();
      throwsErrno(() => root.openDirectory('f'), 'notdir');
      throwsErrno(() => root.openDirectory('ld'), 'notdir', 'a link to a directory');
      throwsErrno(() => root.openDirectory('missing'), 'noent');
    });

    t('statAt does not follow links; missing is noent', ({ root }) => {
      writeFile(root, 'f', 'abc');
      root.symlink('f', 'l');
      const s = root.statAt('l');
      assert.equal(s.type, 'symbolic-link');
      assert.equal(s.size, 1n, 'a link is as long as its text');
      assert.equal(root.statAt('f').size, 3n);
      throwsErrno(() => root.statAt('missing'), 'noent');
    });

    t('typeAt: the type without following, null when missing', ({ root }) => {
      writeFile(root, 'f', '');
      root.createDirectory('d');
      root.symlink('d', 'l');
      assert.deepEqual(['f', 'd', 'l', 'missing'].map((n) => root.typeAt(n)), ['regular-file', 'directory', 'symbolic-link', null]);
      throwsErrno(() => root.typeAt('../f'), 'inval');
      throwsErrno(() => root.typeAt('x'.repeat(256)), 'nametoolong');
    });

    t('readlink returns the text; not a link is inval', ({ root }) => {
      root.symlink('some/where/../else', 'l');
      assert.equal(root.readlink('l'), 'some/where/../else');
      writeFile(root, 'f', '');
      throwsErrno(() => root.readlink('f'), 'inval');
      root.createDirectory('d');
      throwsErrno(() => root.readlink('d'), 'inval');
      throwsErrno(() => root.readlink('missing'), 'noent');
    });

    t('symlink: dangling allowed; existing, empty and absolute refused', ({ root }) => {
      root.symlink('nowhere', 'dangling');
      assert.equal(root.statAt('dangling').type, 'symbolic-link');
      throwsErrno(() => root.symlink('x', 'dangling'), 'exist');
      throwsErrno(() => root.symlink('', 'e'), 'noent');
      throwsErrno(() => root.symlink('/etc/passwd', 'abs'), 'perm');
      throwsErrno(() => root.symlink('a\0b', 'nul'), 'inval');
      throwsErrno(() => root.statAt('abs'), 'noent');
    });

    t('removeDirectory: empty only, directories only', ({ root }) => {
      root.createDirectory('d');
      root.createDirectory('full');
      writeFile(root.openDirectory('full'), 'x', '');
      writeFile(root, 'f', '');
      root.symlink('d', 'ld');
      throwsErrno(() => root.removeDirectory('full'), 'notempty');
      throwsErrno(() => root.removeDirectory('f'), 'notdir');
      throwsErrno(() => root.removeDirectory('ld'), 'notdir', 'a link to a directory');
      throwsErrno(() => root.removeDirectory('missing'), 'noent');
      root.removeDirectory('d');
      throwsErrno(() => root.statAt('d'), 'noent');
      assert.equal(root.statAt('ld').type, 'symbolic-link');
    });

    t('unlinkFile: files and links, not directories', ({ root }) => {
      writeFile(root, 'f', 'keep');
      root.symlink('f', 'l');
      root.createDirectory('d');
      throwsErrno(() => root.unlinkFile('d'), 'isdir');
      throwsErrno(() => root.unlinkFile('missing'), 'noent');
      root.unlinkFile('l');
      assert.equal(readFile(root, 'f'), 'keep', 'removing a link leaves its target');
      root.unlinkFile('f');
      assert.deepEqual(root.entries().map((e) => e.name), ['d']);
    });

    t('a removed directory accepts no new entries', ({ root, handlesFollowMoves }) => {
      root.createDirectory('d');
      const d = root.openDirectory('d');
      root.removeDirectory('d');
      if (handlesFollowMoves) assert.deepEqual(d.entries(), []);
      else throwsErrno(() => d.entries(), 'noent');
      throwsErrno(() => d.createDirectory('x'), 'noent');
      throwsErrno(() => d.openFile('x', { write: true, create: true }), 'noent');
      throwsErrno(() => d.symlink('t', 'x'), 'noent');
      d.close();
    });

    t('link: a second name for a file; not for directories', ({ root }) => {
      writeFile(root, 'f', 'shared');
      root.createDirectory('d');
      const d = root.openDirectory('d');
      root.link('f', d, 'g');
      const fs = root.statAt('f');
      const gs = d.statAt('g');
      assert.equal(fs.ino, gs.ino);
      assert.equal(gs.nlink, 2n);
      assert.equal(readFile(d, 'g'), 'shared');
      throwsErrno(() => root.link('f', d, 'g'), 'exist');
      throwsErrno(() => root.link('d', root, 'd2'), 'perm');
      throwsErrno(() => root.link('missing', root, 'x'), 'noent');
      root.unlinkFile('f');
      assert.equal(d.statAt('g').nlink, 1n);
      assert.equal(readFile(d, 'g'), 'shared');
      d.close();
    });

    t('link of a symbolic link links the link itself', ({ root }) => {
      writeFile(root, 'f', 'x');
      root.symlink('f', 'l');
      root.link('l', root, 'l2');
      assert.equal(root.statAt('l2').type, 'symbolic-link');
      assert.equal(root.readlink('l2'), 'f');
      assert.equal(root.statAt('f').nlink, 1n);
    });

    t('rename a file: to a new name, over a file, across directories', ({ root }) => {
      writeFile(root, 'a', 'A');
      writeFile(root, 'b', 'B');
      root.rename('a', root, 'c');
      throwsErrno(() => root.statAt('a'), 'noent');
      assert.equal(readFile(root, 'c'), 'A');
      const cIno = root.statAt('c').ino;
      root.rename('c', root, 'b');
      assert.equal(readFile(root, 'b'), 'A');
      assert.equal(root.statAt('b').ino, cIno);
      root.createDirectory('d');
      const d = root.openDirectory('d');
      root.rename('b', d, 'moved');
      assert.equal(readFile(d, 'moved'), 'A');
      assert.deepEqual(root.entries().map((e) => e.name), ['d']);
      d.close();
    });

    t('rename directories: over an empty one, not a full one, not into themselves', ({ root, handlesFollowMoves }) => {
      root.createDirectory('src');
      writeFile(root.openDirectory('src'), 'inside', 'i');
      root.createDirectory('empty');
      root.createDirectory('full');
      writeFile(root.openDirectory('full'), 'x', '');
      writeFile(root, 'file', '');
      throwsErrno(() => root.rename('src', root, 'full'), 'notempty');
      throwsErrno(() => root.rename('src', root, 'file'), 'notdir');
      throwsErrno(() => root.rename('file', root, 'empty'), 'isdir');
      const src = root.openDirectory('src');
      throwsErrno(() => root.rename('src', src, 'child'), 'inval', 'into itself');
      src.createDirectory('sub');
      const sub = src.openDirectory('sub');
      throwsErrno(() => root.rename('src', sub, 'deeper'), 'inval', 'into its own subtree');
      root.rename('src', root, 'empty');
      if (handlesFollowMoves) assert.equal(readFile(src, 'inside'), 'i', 'an open handle follows the directory');
      else throwsErrno(() => readFile(src, 'inside'), 'noent', 'the path fallback loses a moved directory');
      assert.equal(root.openDirectory('empty').stat().ino, src.stat().ino);
      throwsErrno(() => root.statAt('src'), 'noent');
      sub.close();
      src.close();
    });

    t('rename between two names of one file changes nothing', ({ root }) => {
      writeFile(root, 'a', 'A');
      root.link('a', root, 'b');
      root.rename('a', root, 'b');
      assert.equal(readFile(root, 'a'), 'A');
      assert.equal(readFile(root, 'b'), 'A');
      root.rename('a', root, 'a');
      assert.equal(readFile(root, 'a'), 'A');
    });

    t('rename a link renames the link, not its target', ({ root }) => {
      root.createDirectory('d');
      root.symlink('d', 'l');
      root.rename('l', root, 'l2');
      assert.equal(root.readlink('l2'), 'd');
      assert.equal(root.statAt('d').type, 'directory');
      throwsErrno(() => root.rename('missing', root, 'x'), 'noent');
    });

    t('link and rename into another file system are xdev', ({ root }) => {
      writeFile(root, 'f', '');
      const other = new MemoryFileSystem().root();
      throwsErrno(() => root.link('f', other, 'g'), 'xdev');
      throwsErrno(() => root.rename('f', other, 'g'), 'xdev');
      assert.equal(root.statAt('f').type, 'regular-file');
    });

    t('setTimesAt sets the entry itself; setTimes the directory', ({ root, timePrecisionNs }) => {
      writeFile(root, 'f', '');
      root.symlink('f', 'l');
      const near = (actual: bigint, expected: bigint, what: string) =>
        assert.ok(actual - expected <= timePrecisionNs && expected - actual <= timePrecisionNs, `${what}: ${actual} vs ${expected}`);
      const at = 1_600_000_000_123_456_789n;
      const mt = 1_650_000_000_987_654_321n;
      root.setTimesAt('f', at, mt);
      near(root.statAt('f').atim, at, 'atim');
      near(root.statAt('f').mtim, mt, 'mtim');
      root.setTimesAt('f', undefined, 1_700_000_000_000_000_000n);
      near(root.statAt('f').atim, at, 'atim left alone');
      near(root.statAt('f').mtim, 1_700_000_000_000_000_000n, 'mtim');
      const before = BigInt(Date.now()) * 1_000_000n;
      root.setTimesAt('f', 'now', undefined);
      const a = root.statAt('f').atim;
      assert.ok(a >= before - 1_000_000_000n && a <= before + 10_000_000_000n, `'now' is now: ${a}`);
      const fileMtim = root.statAt('f').mtim;
      root.setTimesAt('l', 1_000_000_000_000_000_000n, 1_000_000_000_000_000_000n);
      near(root.statAt('l').mtim, 1_000_000_000_000_000_000n, 'link mtim');
      assert.equal(root.statAt('f').mtim, fileMtim, 'the link target is untouched');
      root.setTimes(at, mt);
      near(root.stat().mtim, mt, 'directory mtim');
      if (timePrecisionNs === 0n) {
        root.setTimesAt('f', -1_500_000_000n, -2_500_000_001n);
        assert.deepEqual([root.statAt('f').atim, root.statAt('f').mtim], [-1_500_000_000n, -2_500_000_001n], 'before 1970');
      }
      throwsErrno(() => root.setTimesAt('missing', at, mt), 'noent');
    });

    t('sync of a directory succeeds', ({ root }) => {
      root.sync();
    });

    t('a closed directory handle is badf, close is idempotent', ({ root }) => {
      root.createDirectory('d');
      const d = root.openDirectory('d');
      d.close();
      d.close();
      throwsErrno(() => d.stat(), 'badf');
      throwsErrno(() => d.entries(), 'badf');
      throwsErrno(() => d.statAt('x'), 'badf');
      throwsErrno(() => d.typeAt('x'), 'badf');
      throwsErrno(() => d.openFile('x', { read: true }), 'badf');
      throwsErrno(() => d.createDirectory('x'), 'badf');
      throwsErrno(() => root.rename('d', d, 'x'), 'badf');
      assert.equal(root.statAt('d').type, 'directory');
    });

    t('a read-only grant refuses every mutation with rofs', (f) => {
      const { root } = f;
      root.createDirectory('d');
      writeFile(root, 'f', 'data');
      root.symlink('f', 'l');
      const ro = f.readOnlyRoot();
      assert.equal(ro.readOnly, true);
      const roChild = ro.openDirectory('d');
      assert.equal(roChild.readOnly, true, 'directories opened from it are read-only');
      const checks: [string, () => unknown][] = [
        ['createDirectory', () => ro.createDirectory('x')],
        ['createDirectory in a child', () => roChild.createDirectory('x')],
        ['removeDirectory', () => ro.removeDirectory('d')],
        ['unlinkFile', () => ro.unlinkFile('f')],
        ['symlink', () => ro.symlink('f', 'x')],
        ['link', () => ro.link('f', ro, 'x')],
        ['link into it', () => root.link('f', ro, 'x')],
        ['rename', () => ro.rename('f', ro, 'x')],
        ['rename into it', () => root.rename('f', ro, 'x')],
        ['setTimes', () => ro.setTimes(1n, 1n)],
        ['setTimesAt', () => ro.setTimesAt('f', 1n, 1n)],
        ['open for writing', () => ro.openFile('f', { write: true })],
        ['open to create', () => ro.openFile('new', { write: true, create: true })],
        ['open to truncate', () => ro.openFile('f', { read: true, truncate: true })],
      ];
      for (const [what, action] of checks) throwsErrno(action, 'rofs', what);
      const file = ro.openFile('f', { read: true });
      assert.equal(file.readOnly, true);
      throwsErrno(() => file.setTimes(1n, 1n), 'rofs', 'file setTimes');
      throwsErrno(() => file.write(new Uint8Array(1), 0n), 'badf', 'file write');
      file.close();
      assert.equal(readFile(ro, 'f'), 'data');
      assert.equal(ro.readlink('l'), 'f');
      assert.deepEqual(ro.entries().map((e) => e.name).sort(), ['d', 'f', 'l']);
      assert.deepEqual(root.entries().map((e) => e.name).sort(), ['d', 'f', 'l'], 'nothing changed');
    });
  });
}
