// WASI preview1 path_* calls against both file systems: path_open's flags, stat with and
// without following links, times, links and renames across descriptors, readlink,
// removal, trailing slashes, escapes, read-only grants and deny-by-default.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FILETYPE, FSTFLAGS, OFLAGS, RIGHTS } from '../../src/wasi/constants.ts';
import { MemoryFileSystem } from '../../src/wasi/fs/memory.ts';
import { FILE_SYSTEMS } from './file-systems.ts';
import { DIR_ALL, fdFilestat, fdstat, guest, type Guest, listDir, pathCall, pathCall2, pathFilestat, pathOpen, read, symlink, write } from './helpers.ts';

for (const fsut of FILE_SYSTEMS) {
  describe(`path_* on the ${fsut.name} file system`, () => {
    let cleanups: (() => void)[] = [];
    afterEach(() => {
      for (const c of cleanups) c();
      cleanups = [];
    });
    const setup = (preopens = 1): Guest => {
      const list = [];
      for (let i = 0; i < preopens; i++) {
        const { dir, cleanup } = fsut.make();
        cleanups.push(cleanup);
        list.push({ guestPath: `/p${i}`, dir });
      }
      return guest({ preopens: list });
    };
    const create = (g: Guest, name: string, content = '', dirfd = 3) => {
      const o = pathOpen(g, dirfd, name, { oflags: OFLAGS.creat | OFLAGS.trunc });
      assert.equal(o.errno, 'success', `create ${name}`);
      if (content) write(g, o.fd, content);
      g.call('fd_close', o.fd);
    };
    const contents = (g: Guest, name: string, dirfd = 3) => {
      const o = pathOpen(g, dirfd, name);
      assert.equal(o.errno, 'success', `open ${name}`);
      const r = read(g, o.fd, 1000);
      g.call('fd_close', o.fd);
      return r.text;
    };

    it('path_open: O_CREAT, O_EXCL, O_TRUNC and a missing file', () => {
      const g = setup();
      assert.equal(pathOpen(g, 3, 'f').errno, 'noent');
      create(g, 'f', 'hello');
      assert.equal(pathOpen(g, 3, 'f', { oflags: OFLAGS.creat | OFLAGS.excl }).errno, 'exist');
      const o = pathOpen(g, 3, 'f', { oflags: OFLAGS.creat });
      assert.equal(o.errno, 'success');
      assert.equal(read(g, o.fd, 10).text, 'hello', 'O_CREAT alone keeps the contents');
      const t = pathOpen(g, 3, 'f', { oflags: OFLAGS.trunc });
      assert.equal(t.errno, 'success');
      assert.equal(fdFilestat(g, t.fd).stat.size, 0n);
      assert.equal(pathOpen(g, 3, 'g', { oflags: OFLAGS.creat | OFLAGS.excl }).errno, 'success');
      assert.equal(pathOpen(g, 3, 'f', { oflags: 16 }).errno, 'inval');
      assert.equal(pathOpen(g, 3, 'f', { fdflags: 32 }).errno, 'inval');
      const file = pathOpen(g, 3, 'f');
      assert.equal(pathOpen(g, file.fd, 'f').errno, 'notdir', 'the base descriptor must be a directory');
      assert.equal(pathOpen(g, 9, 'f').errno, 'badf');
    });

    it('path_open: O_DIRECTORY, directories without it, "." and write access to a directory', () => {
      const g = setup();
      create(g, 'file');
      assert.equal(pathCall(g, 'path_create_directory', 3, 'd'), 'success');
      const d = pathOpen(g, 3, 'd', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(d.errno, 'success');
      assert.equal(fdstat(g, d.fd).filetype, FILETYPE.directory);
      assert.equal(pathOpen(g, 3, 'file', { oflags: OFLAGS.directory, base: DIR_ALL }).errno, 'notdir');
      assert.equal(pathOpen(g, 3, 'nothing', { oflags: OFLAGS.directory, base: DIR_ALL }).errno, 'noent');
      const plain = pathOpen(g, 3, 'd', { base: RIGHTS.fd_readdir | RIGHTS.path_open });
      assert.equal(plain.errno, 'success', 'a directory opens without O_DIRECTORY');
      assert.equal(fdstat(g, plain.fd).filetype, FILETYPE.directory);
      assert.equal(pathOpen(g, 3, 'd', { oflags: OFLAGS.trunc }).errno, 'isdir');
      assert.equal(pathOpen(g, 3, 'd', { fdflags: 1 }).errno, 'isdir'); // append
      assert.equal(pathOpen(g, 3, 'd', { base: RIGHTS.fd_write | RIGHTS.fd_readdir }).errno, 'isdir', 'as open(2) for writing');
      const w = pathOpen(g, 3, 'd', { base: RIGHTS.fd_read | RIGHTS.fd_readdir });
      assert.equal(w.errno, 'success');
      assert.equal(fdstat(g, w.fd).base, RIGHTS.fd_readdir, 'only directory rights are granted on a directory');
      const self = pathOpen(g, 3, '.', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(self.errno, 'success');
      create(g, 'x', 'via dot', self.fd);
      assert.equal(contents(g, 'x'), 'via dot');
      // the preopen closed, the second descriptor on the same directory still works
      assert.equal(g.call('fd_close', 3), 'success');
      assert.equal(contents(g, 'x', self.fd), 'via dot');
      const dd = pathOpen(g, d.fd, '.', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(dd.errno, 'success');
      assert.equal(pathOpen(g, self.fd, '.', { oflags: OFLAGS.creat | OFLAGS.excl }).errno, 'exist');
    });

    it('path_open: a descriptor for "sub/." outlives the descriptor it came from', () => {
      const g = setup();
      pathCall(g, 'path_create_directory', 3, 'sub');
      const s = pathOpen(g, 3, 'sub/.', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(s.errno, 'success');
      create(g, 'inner', 'in sub', s.fd);
      g.call('fd_close', 3);
      assert.equal(contents(g, 'inner', s.fd), 'in sub');
      assert.equal(g.call('fd_close', s.fd), 'success');
    });

    it('path_open follows symbolic links only when asked', () => {
      const g = setup();
      create(g, 'target', 'T');
      assert.equal(symlink(g, 'target', 3, 'link'), 'success');
      assert.equal(pathOpen(g, 3, 'link').errno, 'success');
      assert.equal(pathOpen(g, 3, 'link', { follow: false }).errno, 'loop');
      assert.equal(symlink(g, 'missing', 3, 'dangling'), 'success');
      assert.equal(pathOpen(g, 3, 'dangling').errno, 'noent');
      const c = pathOpen(g, 3, 'dangling', { oflags: OFLAGS.creat });
      assert.equal(c.errno === 'success' || c.errno === 'exist' || c.errno === 'loop', true, c.errno);
    });

    it('path_filestat_get with and without following links; trailing slashes', () => {
      const g = setup();
      create(g, 'f', '12345');
      pathCall(g, 'path_create_directory', 3, 'd');
      symlink(g, 'f', 3, 'l');
      assert.equal(pathFilestat(g, 3, 'f').stat.size, 5n);
      assert.equal(pathFilestat(g, 3, 'f').stat.filetype, FILETYPE.regular_file);
      assert.equal(pathFilestat(g, 3, 'l').stat.filetype, FILETYPE.regular_file);
      assert.equal(pathFilestat(g, 3, 'l', false).stat.filetype, FILETYPE.symbolic_link);
      assert.equal(pathFilestat(g, 3, 'd/').stat.filetype, FILETYPE.directory);
      assert.equal(pathFilestat(g, 3, 'f/').errno, 'notdir');
      assert.equal(pathFilestat(g, 3, 'nope').errno, 'noent');
      assert.equal(pathFilestat(g, 3, '.').stat.filetype, FILETYPE.directory);
      assert.equal(pathFilestat(g, 3, 'd/..').stat.filetype, FILETYPE.directory);
      assert.equal(pathFilestat(g, 3, '').errno, 'noent');
      const st = pathFilestat(g, 3, 'f').stat;
      const o = pathOpen(g, 3, 'f');
      assert.equal(fdFilestat(g, o.fd).stat.ino, st.ino);
    });

    it('path_filestat_set_times, with and without following links', () => {
      const g = setup();
      create(g, 'f');
      symlink(g, 'f', 3, 'l');
      const t = 1_500_000_000_000_000_000n;
      const len = g.put(1024, 'l');
      assert.equal(g.call('path_filestat_set_times', 3, 1, 1024, len, t, t, FSTFLAGS.atim | FSTFLAGS.mtim), 'success');
      assert.equal(pathFilestat(g, 3, 'f').stat.mtim, t);
      assert.equal(g.call('path_filestat_set_times', 3, 1, 1024, len, t, t, FSTFLAGS.atim | FSTFLAGS.atim_now), 'inval');
      assert.equal(g.call('path_filestat_set_times', 3, 1, 1024, len, 0n, 0n, FSTFLAGS.mtim_now), 'success');
      assert.ok(pathFilestat(g, 3, 'f').stat.mtim > t);
      const nolen = g.put(1024, 'none');
      assert.equal(g.call('path_filestat_set_times', 3, 0, 1024, nolen, t, t, FSTFLAGS.mtim), 'noent');
    });

    it('path_create_directory and path_remove_directory', () => {
      const g = setup();
      assert.equal(pathCall(g, 'path_create_directory', 3, 'a'), 'success');
      assert.equal(pathCall(g, 'path_create_directory', 3, 'a'), 'exist');
      assert.equal(pathCall(g, 'path_create_directory', 3, 'a/b'), 'success');
      assert.equal(pathCall(g, 'path_create_directory', 3, 'x/y'), 'noent');
      assert.equal(pathCall(g, 'path_create_directory', 3, '.'), 'exist');
      assert.equal(pathCall(g, 'path_remove_directory', 3, 'a'), 'notempty');
      create(g, 'a/file');
      assert.equal(pathCall(g, 'path_remove_directory', 3, 'a/file'), 'notdir');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'a/file'), 'success');
      assert.equal(pathCall(g, 'path_remove_directory', 3, 'a/b/'), 'success');
      assert.equal(pathCall(g, 'path_remove_directory', 3, 'a'), 'success');
      assert.equal(pathCall(g, 'path_remove_directory', 3, 'a'), 'noent');
      assert.equal(pathCall(g, 'path_remove_directory', 3, '.'), 'inval');
    });

    it('path_unlink_file: files and links, not directories; trailing slashes', () => {
      const g = setup();
      create(g, 'f');
      pathCall(g, 'path_create_directory', 3, 'd');
      symlink(g, 'd', 3, 'ld');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'd'), 'isdir');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'd/'), 'isdir');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'f/'), 'notdir');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'ld'), 'success', 'the link goes, not its target');
      assert.equal(pathFilestat(g, 3, 'd').stat.filetype, FILETYPE.directory);
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'f'), 'success');
      assert.equal(pathCall(g, 'path_unlink_file', 3, 'f'), 'noent');
    });

    it('path_symlink and path_readlink, with truncation to the buffer', () => {
      const g = setup();
      assert.equal(symlink(g, 'some/where/else', 3, 'l'), 'success');
      assert.equal(symlink(g, 'x', 3, 'l'), 'exist');
      assert.equal(symlink(g, '/etc/passwd', 3, 'abs'), 'perm');
      const len = g.put(1024, 'l');
      assert.equal(g.call('path_readlink', 3, 1024, len, 5000, 100, 40), 'success');
      assert.equal(g.u32(40), 15);
      assert.equal(g.text(5000, 15), 'some/where/else');
      g.put(5000, '..........');
      assert.equal(g.call('path_readlink', 3, 1024, len, 5000, 4, 40), 'success');
      assert.equal(g.u32(40), 4);
      assert.equal(g.text(5000, 6), 'some..');
      create(g, 'f');
      const flen = g.put(1024, 'f');
      assert.equal(g.call('path_readlink', 3, 1024, flen, 5000, 100, 40), 'inval');
      assert.equal(g.call('path_readlink', 3, 1024, len, 65530, 100, 40), 'fault');
    });

    it('path_link: hard links, not of directories, across descriptors', () => {
      const g = setup(2);
      create(g, 'f', 'linked');
      assert.equal(pathCall2(g, 'path_link', 3, 'f', 3, 'g'), 'success');
      assert.equal(pathFilestat(g, 3, 'f').stat.nlink, 2n);
      assert.equal(contents(g, 'g'), 'linked');
      assert.equal(pathCall2(g, 'path_link', 3, 'f', 3, 'g'), 'exist');
      assert.equal(pathCall2(g, 'path_link', 3, 'nope', 3, 'h'), 'noent');
      pathCall(g, 'path_create_directory', 3, 'd');
      assert.equal(pathCall2(g, 'path_link', 3, 'd', 3, 'd2'), 'perm');
      const sub = pathOpen(g, 3, 'd', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(pathCall2(g, 'path_link', 3, 'f', sub.fd, 'in-d'), 'success');
      assert.equal(contents(g, 'd/in-d'), 'linked');
      // between two preopens of different file systems (or trees): xdev
      const r = pathCall2(g, 'path_link', 3, 'f', 4, 'other');
      assert.ok(r === 'xdev' || r === 'success', r);
    });

    it('path_rename: files and directories, across descriptors, over existing files', () => {
      const g = setup();
      create(g, 'a', 'A');
      create(g, 'b', 'B');
      assert.equal(pathCall2(g, 'path_rename', 3, 'a', 3, 'c'), 'success');
      assert.equal(pathFilestat(g, 3, 'a').errno, 'noent');
      assert.equal(contents(g, 'c'), 'A');
      assert.equal(pathCall2(g, 'path_rename', 3, 'c', 3, 'b'), 'success', 'replaces a file');
      assert.equal(contents(g, 'b'), 'A');
      pathCall(g, 'path_create_directory', 3, 'd');
      const d = pathOpen(g, 3, 'd', { oflags: OFLAGS.directory, base: DIR_ALL });
      assert.equal(pathCall2(g, 'path_rename', 3, 'b', d.fd, 'moved'), 'success');
      assert.equal(contents(g, 'd/moved'), 'A');
      assert.equal(pathCall2(g, 'path_rename', 3, 'd', 3, 'e/'), 'success', 'a directory may take a trailing slash');
      assert.equal(contents(g, 'e/moved'), 'A');
      create(g, 'file');
      assert.equal(pathCall2(g, 'path_rename', 3, 'file/', 3, 'x'), 'notdir');
      assert.equal(pathCall2(g, 'path_rename', 3, 'file', 3, 'x/'), 'notdir');
      assert.equal(pathCall2(g, 'path_rename', 3, 'missing', 3, 'x'), 'noent');
      pathCall(g, 'path_create_directory', 3, 'full');
      create(g, 'full/x');
      assert.equal(pathCall2(g, 'path_rename', 3, 'e', 3, 'full'), 'notempty');
      assert.equal(pathCall2(g, 'path_rename', 3, 'file', 3, 'e'), 'isdir');
    });

    it('paths cannot leave the preopened directory', () => {
      const g = setup();
      create(g, 'inside', 'ok');
      for (const p of ['..', '../x', '/etc/passwd', '/', 'a/../../x', './..']) {
        const r = pathOpen(g, 3, p).errno;
        assert.ok(['perm', 'notcapable', 'noent'].includes(r), `${p}: ${r}`);
        assert.notEqual(r, 'success', p);
      }
      symlink(g, '../outside', 3, 'up');
      symlink(g, '/etc', 3, 'abs'); // refused already (perm): then it does not exist
      assert.notEqual(pathOpen(g, 3, 'up').errno, 'success');
      assert.notEqual(pathOpen(g, 3, 'abs/passwd').errno, 'success');
      assert.equal(pathOpen(g, 3, 'in\0side').errno, 'inval');
      assert.equal(contents(g, './inside'), 'ok');
    });

    it('a path that is not UTF-8 is ilseq', () => {
      const g = setup();
      g.put(1024, new Uint8Array([0x61, 0xff, 0x62]));
      assert.equal(g.call('path_open', 3, 0, 1024, 3, 1, -1n, -1n, 0, 40), 'ilseq');
      assert.equal(g.call('path_create_directory', 3, 1024, 3), 'ilseq');
    });

    it('a path past the end of memory is fault', () => {
      const g = setup();
      assert.equal(g.call('path_open', 3, 0, 65530, 100, 1, -1n, -1n, 0, 40), 'fault');
      assert.equal(g.call('path_unlink_file', 3, 0xffffffff, 2), 'fault');
      assert.equal(g.call('path_open', 3, 0, 1024, 1, 1, -1n, -1n, 0, 65535), 'fault');
    });
  });
}

describe('deny by default and read-only grants', () => {
  it('without preopens there is no directory to resolve a path in', () => {
    const g = guest();
    assert.equal(pathOpen(g, 3, 'x').errno, 'badf');
    assert.equal(g.call('fd_prestat_get', 3, 16), 'badf');
    assert.equal(pathCall(g, 'path_create_directory', 3, 'x'), 'badf');
    assert.equal(pathOpen(g, 0, 'x').errno, 'badf', 'stdio is no directory (Wasmtime: badf)');
    assert.equal(pathOpen(g, 1, '/etc/passwd').errno, 'badf');
  });

  for (const fsut of FILE_SYSTEMS) {
    it(`a read-only preopen (${fsut.name}) drops every right that changes the file system`, () => {
      const { dir: rw, cleanup } = fsut.make();
      try {
        // Fill it through a writable grant first.
        const w = guest({ preopens: [{ guestPath: '/', dir: rw }] });
        const o = pathOpen(w, 3, 'f', { oflags: OFLAGS.creat });
        write(w, o.fd, 'data');
        w.call('fd_close', o.fd);
        pathCall(w, 'path_create_directory', 3, 'd');
        const g = guest({ preopens: [{ guestPath: '/', dir: rw, readOnly: true }] });
        const s = fdstat(g, 3);
        assert.equal(s.base & RIGHTS.path_create_file, 0n);
        assert.equal(s.inheriting & RIGHTS.fd_write, 0n);
        assert.ok(s.base & RIGHTS.path_open && s.inheriting & RIGHTS.fd_read);
        const r = pathOpen(g, 3, 'f', { base: RIGHTS.fd_read });
        assert.equal(r.errno, 'success');
        assert.equal(read(g, r.fd, 10).text, 'data');
        assert.equal(write(g, r.fd, 'x').errno, 'notcapable');
        assert.equal(pathOpen(g, 3, 'f', { base: RIGHTS.fd_read | RIGHTS.fd_write }).errno, 'notcapable');
        assert.equal(pathOpen(g, 3, 'new', { oflags: OFLAGS.creat, base: RIGHTS.fd_read }).errno, 'notcapable');
        assert.equal(pathOpen(g, 3, 'f', { oflags: OFLAGS.trunc, base: RIGHTS.fd_read }).errno, 'notcapable');
        assert.equal(pathCall(g, 'path_create_directory', 3, 'x'), 'notcapable');
        assert.equal(pathCall(g, 'path_remove_directory', 3, 'd'), 'notcapable');
        assert.equal(pathCall(g, 'path_unlink_file', 3, 'f'), 'notcapable');
        assert.equal(symlink(g, 'f', 3, 'l'), 'notcapable');
        assert.equal(pathCall2(g, 'path_rename', 3, 'f', 3, 'g'), 'notcapable');
        assert.equal(pathCall2(g, 'path_link', 3, 'f', 3, 'g'), 'notcapable');
        const sub = pathOpen(g, 3, 'd', { oflags: OFLAGS.directory, base: DIR_ALL });
        assert.equal(sub.errno, 'success');
        assert.equal(pathCall(g, 'path_create_directory', sub.fd, 'x'), 'notcapable', 'sub-directories inherit the restriction');
        assert.equal(g.call('fd_fdstat_set_rights', 3, -1n, -1n), 'notcapable');
        assert.deepEqual(listDir(g, 3).slice(2).sort(), ['d', 'f']);
      } finally {
        cleanup();
      }
    });
  }

  it('a Directory that is itself read-only is granted read-only', () => {
    const mfs = new MemoryFileSystem();
    mfs.writeFile('a', 'x');
    const g = guest({ preopens: [{ guestPath: '/', dir: mfs.root({ readOnly: true }) }] });
    assert.equal(fdstat(g, 3).inheriting & RIGHTS.fd_write, 0n);
    assert.equal(pathCall(g, 'path_unlink_file', 3, 'a'), 'notcapable');
  });

  it('numbers preopens from 3 in the order given', () => {
    const g = guest({ preopens: [{ guestPath: '/a', dir: new MemoryFileSystem().root() }, { guestPath: '/b', dir: new MemoryFileSystem().root() }] });
    for (const [fd, name] of [[3, '/a'], [4, '/b']] as const) {
      assert.equal(g.call('fd_prestat_dir_name', fd, 100, 2), 'success');
      assert.equal(g.text(100, 2), name);
    }
    assert.equal(g.call('fd_prestat_get', 5, 16), 'badf');
  });
});
