// The file-system behaviour suite against the in-memory file system, plus what only it
// has: the embedder's builder API, size limits and the injectable clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../../../src/wasi/fs/memory.ts';
import { directoryBehaviour } from './behaviour-dir.ts';
import { fileBehaviour } from './behaviour-file.ts';
import { resolveBehaviour } from './behaviour-resolve.ts';
import { bytes, memoryFixture, readFile, throwsErrno, writeFile } from './fixtures.ts';

describe('memory file system', () => {
  directoryBehaviour(() => memoryFixture());
  fileBehaviour(() => memoryFixture());
  resolveBehaviour(() => memoryFixture());
});

describe('MemoryFileSystem builder', () => {
  it('writeFile, mkdir, symlink, link, readFile, readdir, stat', () => {
    const fs = new MemoryFileSystem();
    fs.writeFile('a/b.txt', 'hello');
    fs.mkdir('a/c/d', { recursive: true });
    fs.mkdir('a/c/d', { recursive: true });
    throwsErrno(() => fs.mkdir('a/c'), 'exist');
    throwsErrno(() => fs.mkdir('x/y'), 'noent', 'parents only with recursive');
    fs.symlink('b.txt', 'a/link');
    fs.symlink('/absolute/allowed/for/embedders', 'abs');
    fs.link('a/b.txt', 'hard');
    assert.equal(new TextDecoder().decode(fs.readFile('/a/link')), 'hello');
    assert.equal(new TextDecoder().decode(fs.readFile('hard')), 'hello');
    assert.deepEqual(fs.readdir('a').sort(), ['b.txt', 'c', 'link']);
    assert.deepEqual(fs.readdir('/').sort(), ['a', 'abs', 'hard']);
    assert.equal(fs.stat('a/link').type, 'symbolic-link');
    assert.equal(fs.stat('hard').nlink, 2n);
    fs.writeFile('a/b.txt', bytes('replaced'));
    assert.equal(readFile(fs.root(), 'hard'), 'replaced');
    throwsErrno(() => fs.readFile('missing'), 'noent');
  });

  it('the root is shared by every handle; read-only handles see writes', () => {
    const fs = new MemoryFileSystem();
    const rw = fs.root();
    const ro = fs.root({ readOnly: true });
    writeFile(rw, 'f', 'x');
    assert.equal(readFile(ro, 'f'), 'x');
    throwsErrno(() => writeFile(ro, 'g', 'y'), 'rofs');
  });

  it('the clock is injectable and times are nanoseconds', () => {
    let now = 5_000_000_000_123n;
    const fs = new MemoryFileSystem({ clock: () => now });
    fs.writeFile('f', 'x');
    assert.equal(fs.stat('f').mtim, 5_000_000_000_123n);
    now += 7n;
    const f = fs.root().openFile('f', { write: true });
    f.write(bytes('y'), 0n);
    assert.equal(f.stat().mtim, 5_000_000_000_130n);
    assert.equal(f.stat().atim, 5_000_000_000_123n);
    f.setTimes('now', 42n);
    assert.deepEqual([f.stat().atim, f.stat().mtim], [5_000_000_000_130n, 42n]);
    f.close();
    assert.equal(fs.stat('.').mtim, 5_000_000_000_123n, 'writing a file leaves its directory alone');
  });

  it('inode numbers are distinct and stable; dev differs between file systems', () => {
    const fs = new MemoryFileSystem();
    fs.writeFile('a', '');
    fs.writeFile('b', '');
    fs.mkdir('c');
    const inos = ['a', 'b', 'c', '.'].map((p) => fs.stat(p).ino);
    assert.equal(new Set(inos).size, 4);
    assert.equal(fs.stat('a').ino, inos[0]);
    assert.notEqual(fs.stat('a').dev, new MemoryFileSystem().stat('.').dev);
  });

  it('directory link counts: 2 + subdirectories', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('a/b', { recursive: true });
    fs.mkdir('a/c');
    assert.equal(fs.stat('a').nlink, 4n);
    const root = fs.root();
    const a = root.openDirectory('a');
    a.removeDirectory('c');
    assert.equal(fs.stat('a').nlink, 3n);
    a.rename('b', root, 'b');
    assert.equal(fs.stat('a').nlink, 2n);
    assert.equal(fs.stat('.').nlink, 4n);
  });

  it('the size limit gives nospc and leaves the tree consistent', () => {
    const fs = new MemoryFileSystem({ maxBytes: 1000 });
    const root = fs.root();
    const f = root.openFile('f', { write: true, create: true });
    assert.equal(f.write(new Uint8Array(900), 0n), 900);
    throwsErrno(() => f.write(new Uint8Array(200), 900n), 'nospc');
    throwsErrno(() => f.setSize(2000n), 'nospc');
    throwsErrno(() => f.allocate(0n, 5000n), 'nospc');
    assert.equal(f.stat().size, 900n);
    throwsErrno(() => root.symlink('t'.repeat(200), 'l'), 'nospc');
    f.setSize(100n);
    assert.equal(f.write(new Uint8Array(800), 100n), 800);
    f.close();
    root.unlinkFile('f');
    assert.equal(fs.usedBytes, 0, 'unlinking the closed file frees its bytes');
  });

  it('an unlinked open file keeps its bytes charged until closed', () => {
    const fs = new MemoryFileSystem({ maxBytes: 100 });
    const root = fs.root();
    const f = root.openFile('f', { write: true, create: true });
    f.write(new Uint8Array(90), 0n);
    root.unlinkFile('f');
    throwsErrno(() => writeFile(root, 'g', 'x'.repeat(20)), 'nospc');
    f.close();
    writeFile(root, 'g', 'x'.repeat(20));
  });

  it('the inode limit gives nospc', () => {
    const fs = new MemoryFileSystem({ maxInodes: 3 });
    const root = fs.root();
    root.createDirectory('a');
    root.symlink('a', 'b');
    throwsErrno(() => root.createDirectory('c'), 'nospc');
    throwsErrno(() => root.openFile('c', { write: true, create: true }), 'nospc');
    assert.deepEqual(root.entries().map((e) => e.name), ['a', 'b']);
    root.unlinkFile('b');
    root.createDirectory('c');
  });

  it('renaming over a file frees the replaced file', () => {
    const fs = new MemoryFileSystem();
    fs.writeFile('a', 'x'.repeat(100));
    fs.writeFile('b', 'y'.repeat(50));
    const before = fs.usedBytes;
    fs.root().rename('b', fs.root(), 'a');
    assert.equal(fs.usedBytes, before - 100 - 1);
  });
});
