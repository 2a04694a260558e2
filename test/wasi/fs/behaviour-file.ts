// Behaviour suite, part 2: opening files and every File operation of types.ts, on
// success and error paths. Runs unchanged against each file system.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, readFile, throwsErrno, using, writeFile, type FixtureFactory } from './fixtures.ts';

const text = new TextDecoder();

export function fileBehaviour(factory: FixtureFactory): void {
  const t = (name: string, body: Parameters<typeof using>[1]) => it(name, using(factory, body));

  describe('File', () => {
    t('openFile: create, exclusive, missing, directories and links', ({ root }) => {
      throwsErrno(() => root.openFile('f', { read: true }), 'noent');
      const f = root.openFile('f', { write: true, create: true, exclusive: true });
      f.close();
      throwsErrno(() => root.openFile('f', { write: true, create: true, exclusive: true }), 'exist');
      root.openFile('f', { write: true, create: true }).close();
      root.createDirectory('d');
      throwsErrno(() => root.openFile('d', { read: true }), 'isdir');
      throwsErrno(() => root.openFile('d', { write: true }), 'isdir');
      root.symlink('f', 'l');
      throwsErrno(() => root.openFile('l', { read: true }), 'loop', 'a link is not followed');
      throwsErrno(() => root.openFile('l', { write: true, create: true }), 'loop');
      root.symlink('nowhere', 'dangling');
      throwsErrno(() => root.openFile('dangling', { write: true, create: true }), 'loop', 'no creation through a dangling link');
      throwsErrno(() => root.statAt('nowhere'), 'noent');
    });

    t('write then read at positions; reads past the end return 0', ({ root }) => {
      const f = root.openFile('f', { read: true, write: true, create: true });
      assert.equal(f.write(bytes('hello world'), 0n), 11);
      assert.equal(f.write(bytes('W'), 6n), 1);
      const buf = new Uint8Array(32);
      assert.equal(f.read(buf, 0n), 11);
      assert.equal(text.decode(buf.subarray(0, 11)), 'hello World');
      assert.equal(f.read(buf, 6n), 5);
      assert.equal(f.read(buf, 11n), 0);
      assert.equal(f.read(buf, 1000n), 0);
      assert.equal(f.read(new Uint8Array(0), 0n), 0);
      assert.equal(f.write(new Uint8Array(0), 0n), 0);
      assert.equal(f.stat().size, 11n);
      assert.equal(f.stat().type, 'regular-file');
      f.close();
    });

    t('writing past the end fills the gap with zeros', ({ root }) => {
      const f = root.openFile('f', { read: true, write: true, create: true });
      f.write(bytes('ab'), 0n);
      f.write(bytes('z'), 10n);
      const buf = new Uint8Array(11);
      assert.equal(f.read(buf, 0n), 11);
      assert.deepEqual([...buf], [97, 98, 0, 0, 0, 0, 0, 0, 0, 0, 122]);
      f.close();
    });

    t('truncate on open empties the file', ({ root }) => {
      writeFile(root, 'f', 'contents');
      root.openFile('f', { write: true, truncate: true }).close();
      assert.equal(root.statAt('f').size, 0n);
    });

    t('a handle reads only if opened for reading, writes only if for writing', ({ root }) => {
      writeFile(root, 'f', 'abc');
      const r = root.openFile('f', { read: true });
      assert.equal(r.readOnly, true);
      throwsErrno(() => r.write(bytes('x'), 0n), 'badf');
      throwsErrno(() => r.append(bytes('x')), 'badf');
      throwsErrno(() => r.setSize(1n), 'inval', 'ftruncate on a read-only handle');
      throwsErrno(() => r.allocate(0n, 10n), 'badf');
      r.close();
      const w = root.openFile('f', { write: true });
      assert.equal(w.readOnly, false);
      throwsErrno(() => w.read(new Uint8Array(1), 0n), 'badf');
      w.close();
      assert.equal(readFile(root, 'f'), 'abc');
    });

    t('append writes at the end, whoever wrote last', ({ root }) => {
      writeFile(root, 'f', 'one');
      const a = root.openFile('f', { write: true });
      const b = root.openFile('f', { write: true });
      assert.equal(a.append(bytes('-two')), 4);
      b.write(bytes('-three'), 7n);
      assert.equal(a.append(bytes('-four')), 5);
      assert.equal(a.append(new Uint8Array(0)), 0);
      a.close();
      b.close();
      assert.equal(readFile(root, 'f'), 'one-two-three-four');
    });

    t('setSize grows with zeros and shrinks', ({ root }) => {
      writeFile(root, 'f', 'abcdef');
      const f = root.openFile('f', { read: true, write: true });
      f.setSize(3n);
      assert.equal(f.stat().size, 3n);
      f.setSize(5n);
      const buf = new Uint8Array(5);
      f.read(buf, 0n);
      assert.deepEqual([...buf], [97, 98, 99, 0, 0]);
      throwsErrno(() => f.setSize(-1n), 'inval');
      f.close();
    });

    t('allocate extends a file and never shrinks it', ({ root }) => {
      writeFile(root, 'f', 'abcdef');
      const f = root.openFile('f', { read: true, write: true });
      f.allocate(0n, 2n);
      assert.equal(f.stat().size, 6n);
      f.allocate(4n, 12n);
      assert.equal(f.stat().size, 16n);
      const buf = new Uint8Array(16);
      f.read(buf, 0n);
      assert.equal(text.decode(buf.subarray(0, 6)), 'abcdef');
      assert.ok(buf.subarray(6).every((b) => b === 0));
      throwsErrno(() => f.allocate(0n, 0n), 'inval', 'zero length');
      throwsErrno(() => f.allocate(-1n, 1n), 'inval', 'negative offset');
      f.close();
    });

    t('offsets beyond 2^53 are fbig for writes, negative ones inval', ({ root }) => {
      const f = root.openFile('f', { read: true, write: true, create: true });
      throwsErrno(() => f.write(bytes('x'), 2n ** 60n), 'fbig');
      throwsErrno(() => f.setSize(2n ** 60n), 'fbig');
      throwsErrno(() => f.write(bytes('x'), -1n), 'inval');
      throwsErrno(() => f.read(new Uint8Array(1), -1n), 'inval');
      assert.equal(f.read(new Uint8Array(1), 2n ** 60n), 0);
      assert.equal(f.stat().size, 0n);
      f.close();
    });

    t('sync and datasync succeed', ({ root }) => {
      const f = root.openFile('f', { write: true, create: true });
      f.write(bytes('x'), 0n);
      f.sync();
      f.datasync();
      f.close();
    });

    t('setTimes on a file; stat times in nanoseconds', ({ root, timePrecisionNs }) => {
      const f = root.openFile('f', { write: true, create: true });
      const at = 1_234_567_890_123_456_789n;
      f.setTimes(at, undefined);
      const s = f.stat();
      assert.ok(s.atim - at <= timePrecisionNs && at - s.atim <= timePrecisionNs, `atim ${s.atim}`);
      f.setTimes(undefined, 'now');
      assert.ok(f.stat().mtim > at);
      f.close();
    });

    t('writing sets mtim and ctim', ({ root }) => {
      const f = root.openFile('f', { write: true, create: true });
      f.setTimes(1_000_000_000_000_000_000n, 1_000_000_000_000_000_000n);
      f.write(bytes('x'), 0n);
      assert.ok(f.stat().mtim > 1_000_000_000_000_000_000n + 1_000_000_000n);
      f.close();
    });

    t('an unlinked open file keeps its data for its handles', ({ root }) => {
      writeFile(root, 'f', 'still here');
      const f = root.openFile('f', { read: true, write: true });
      root.unlinkFile('f');
      throwsErrno(() => root.statAt('f'), 'noent');
      assert.equal(f.stat().nlink, 0n);
      f.write(bytes('!'), 10n);
      assert.equal(f.append(bytes('?')), 1);
      const buf = new Uint8Array(12);
      assert.equal(f.read(buf, 0n), 12);
      assert.equal(text.decode(buf), 'still here!?');
      f.close();
      assert.deepEqual(root.entries(), []);
    });

    t('a file replaced by rename lives on for its handles', ({ root }) => {
      writeFile(root, 'old', 'old data');
      writeFile(root, 'new', 'new data');
      const f = root.openFile('old', { read: true });
      root.rename('new', root, 'old');
      const buf = new Uint8Array(8);
      f.read(buf, 0n);
      assert.equal(text.decode(buf), 'old data');
      f.close();
      assert.equal(readFile(root, 'old'), 'new data');
    });

    t('a closed file is badf; close is idempotent', ({ root }) => {
      const f = root.openFile('f', { read: true, write: true, create: true });
      f.close();
      f.close();
      throwsErrno(() => f.stat(), 'badf');
      throwsErrno(() => f.read(new Uint8Array(1), 0n), 'badf');
      throwsErrno(() => f.write(bytes('x'), 0n), 'badf');
      throwsErrno(() => f.append(bytes('x')), 'badf');
      throwsErrno(() => f.setSize(0n), 'badf');
      throwsErrno(() => f.allocate(0n, 1n), 'badf');
      throwsErrno(() => f.sync(), 'badf');
      throwsErrno(() => f.datasync(), 'badf');
      throwsErrno(() => f.setTimes(1n, 1n), 'badf');
    });

    t('hard links share contents', ({ root }) => {
      writeFile(root, 'a', 'one');
      root.link('a', root, 'b');
      const f = root.openFile('b', { write: true });
      f.append(bytes('+two'));
      f.close();
      assert.equal(readFile(root, 'a'), 'one+two');
    });
  });
}
