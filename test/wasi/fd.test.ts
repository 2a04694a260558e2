// WASI preview1 fd_* calls on files and directories, against both file systems (in
// memory and a host directory): reading, writing, seeking, positions, append mode, stat,
// sizes, times, flags, rights, readdir with cookies and truncation, prestat, renumber.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FDFLAGS, FILETYPE, FSTFLAGS, OFLAGS, RIGHTS } from '../../src/wasi/constants.ts';
import { FILE_SYSTEMS } from './file-systems.ts';
import { fdFilestat, fdstat, guest, type Guest, listDir, pathCall, pathFilestat, pathOpen, putIovecs, read, readdir, write } from './helpers.ts';

for (const fsut of FILE_SYSTEMS) {
  describe(`fd_* on the ${fsut.name} file system`, () => {
    let cleanups: (() => void)[] = [];
    afterEach(() => {
      for (const c of cleanups) c();
      cleanups = [];
    });
    /** A guest with one empty preopened directory, fd 3, named /sandbox. */
    const setup = (): Guest => {
      const { dir, cleanup } = fsut.make();
      cleanups.push(cleanup);
      return guest({ preopens: [{ guestPath: '/sandbox', dir }] });
    };
    const create = (g: Guest, name: string, content = '', fdflags = 0) => {
      const o = pathOpen(g, 3, name, { oflags: OFLAGS.creat, fdflags });
      assert.equal(o.errno, 'success');
      if (content) assert.equal(write(g, o.fd, content).errno, 'success');
      return o.fd;
    };

    it('fd_prestat_get and fd_prestat_dir_name describe the preopen; other fds are badf', () => {
      const g = setup();
      assert.equal(g.call('fd_prestat_get', 3, 16), 'success');
      assert.equal(g.u32(16), 0); // tag: dir
      assert.equal(g.u32(20), 8);
      assert.equal(g.call('fd_prestat_dir_name', 3, 100, 8), 'success');
      assert.equal(g.text(100, 8), '/sandbox');
      assert.equal(g.call('fd_prestat_dir_name', 3, 100, 7), 'nametoolong');
      assert.equal(g.call('fd_prestat_get', 4, 16), 'badf');
      assert.equal(g.call('fd_prestat_get', 1, 16), 'badf');
      const fd = create(g, 'f');
      assert.equal(g.call('fd_prestat_get', fd, 16), 'badf');
    });

    it('writes, seeks, tells and reads back', () => {
      const g = setup();
      const fd = create(g, 'a.txt', 'hello world');
      assert.equal(g.call('fd_tell', fd, 40), 'success');
      assert.equal(g.u64(40), 11n);
      assert.equal(g.call('fd_seek', fd, 6n, 0, 40), 'success');
      assert.equal(g.u64(40), 6n);
      assert.deepEqual(read(g, fd, 100), { errno: 'success', text: 'world' });
      assert.deepEqual(read(g, fd, 100), { errno: 'success', text: '' });
      assert.equal(g.call('fd_seek', fd, -5n, 2, 40), 'success'); // from the end
      assert.equal(g.u64(40), 6n);
      assert.equal(g.call('fd_seek', fd, -1n, 1, 40), 'success'); // from here
      assert.equal(g.u64(40), 5n);
      assert.equal(g.call('fd_seek', fd, -6n, 1, 40), 'inval');
      assert.equal(g.call('fd_seek', fd, 0n, 3, 40), 'inval');
      assert.equal(g.call('fd_seek', fd, 0n, 0, 65535), 'fault');
      // Past the end, then writing leaves a hole of zeros.
      assert.equal(g.call('fd_seek', fd, 13n, 0, 40), 'success');
      assert.equal(write(g, fd, '!').errno, 'success');
      assert.deepEqual(read(g, fd, 20, 'fd_pread', 0n), { errno: 'success', text: 'hello world\0\0!' });
    });

    it('reads into several iovecs, stopping at the end of the file', () => {
      const g = setup();
      const fd = create(g, 'v', 'abcdefg');
      g.call('fd_seek', fd, 0n, 0, 40);
      putIovecs(g, 3072, [[5000, 3], [5100, 0], [5200, 10]]);
      assert.equal(g.call('fd_read', fd, 3072, 3, 40), 'success');
      assert.equal(g.u32(40), 7);
      assert.equal(g.text(5000, 3) + g.text(5200, 4), 'abcdefg');
      putIovecs(g, 3072, [[5000, 2], [5100, 2]]);
      g.put(5000, 'XY');
      g.put(5100, 'ZW');
      assert.equal(g.call('fd_pwrite', fd, 3072, 2, 1n, 40), 'success');
      assert.equal(g.u32(40), 4);
      assert.deepEqual(read(g, fd, 10, 'fd_pread', 0n), { errno: 'success', text: 'aXYZWfg' });
    });

    it('fd_pread and fd_pwrite do not move the position', () => {
      const g = setup();
      const fd = create(g, 'p', '0123456789');
      g.call('fd_seek', fd, 2n, 0, 40);
      assert.deepEqual(read(g, fd, 3, 'fd_pread', 5n), { errno: 'success', text: '567' });
      assert.deepEqual(write(g, fd, 'ab', 'fd_pwrite', 8n), { errno: 'success', n: 2 });
      g.call('fd_tell', fd, 40);
      assert.equal(g.u64(40), 2n);
      assert.deepEqual(read(g, fd, 20), { errno: 'success', text: '234567ab' });
      assert.equal(read(g, fd, 3, 'fd_pread', -1n).errno, 'inval');
    });

    it('append mode writes at the end whatever the position', () => {
      const g = setup();
      create(g, 'log', 'one');
      const o = pathOpen(g, 3, 'log', { fdflags: FDFLAGS.append });
      assert.equal(o.errno, 'success');
      assert.equal(fdstat(g, o.fd).flags, FDFLAGS.append);
      g.call('fd_seek', o.fd, 0n, 0, 40);
      assert.equal(write(g, o.fd, 'two').errno, 'success');
      g.call('fd_tell', o.fd, 40);
      assert.equal(g.u64(40), 6n);
      assert.deepEqual(read(g, o.fd, 20, 'fd_pread', 0n), { errno: 'success', text: 'onetwo' });
      // fd_fdstat_set_flags turns it off and on
      assert.equal(g.call('fd_fdstat_set_flags', o.fd, 0), 'success');
      g.call('fd_seek', o.fd, 0n, 0, 40);
      write(g, o.fd, 'ON');
      assert.deepEqual(read(g, o.fd, 20, 'fd_pread', 0n), { errno: 'success', text: 'ONetwo' });
      assert.equal(g.call('fd_fdstat_set_flags', o.fd, FDFLAGS.append | FDFLAGS.nonblock), 'success');
      assert.equal(fdstat(g, o.fd).flags, FDFLAGS.append | FDFLAGS.nonblock);
      assert.equal(g.call('fd_fdstat_set_flags', o.fd, FDFLAGS.sync), 'notsup');
      assert.equal(g.call('fd_fdstat_set_flags', o.fd, 0x100), 'inval');
      assert.equal(g.call('fd_fdstat_set_flags', 3, FDFLAGS.append), 'isdir');
    });

    it('fd_filestat_get, fd_filestat_set_size and fd_filestat_set_times', () => {
      const g = setup();
      const fd = create(g, 's', 'xyz');
      const st = fdFilestat(g, fd);
      assert.equal(st.errno, 'success');
      assert.equal(st.stat.filetype, FILETYPE.regular_file);
      assert.equal(st.stat.size, 3n);
      assert.equal(st.stat.nlink, 1n);
      assert.ok(st.stat.mtim > 1_500_000_000_000_000_000n);
      assert.equal(g.call('fd_filestat_set_size', fd, 10n), 'success');
      assert.equal(fdFilestat(g, fd).stat.size, 10n);
      assert.equal(g.call('fd_filestat_set_size', fd, 1n), 'success');
      assert.deepEqual(read(g, fd, 20, 'fd_pread', 0n), { errno: 'success', text: 'x' });
      assert.equal(g.call('fd_filestat_set_size', fd, -1n), 'inval');
      const t = 1_600_000_000_000_000_000n; // whole seconds: every host keeps them exactly
      assert.equal(g.call('fd_filestat_set_times', fd, t, t + 5_000_000_000n, FSTFLAGS.atim | FSTFLAGS.mtim), 'success');
      const after = fdFilestat(g, fd).stat;
      assert.equal(after.atim, t);
      assert.equal(after.mtim, t + 5_000_000_000n);
      assert.equal(g.call('fd_filestat_set_times', fd, 0n, 0n, FSTFLAGS.mtim_now), 'success');
      assert.ok(fdFilestat(g, fd).stat.mtim > t + 5_000_000_000n);
      assert.equal(fdFilestat(g, fd).stat.atim, t, 'atim left alone');
      assert.equal(g.call('fd_filestat_set_times', fd, 0n, 0n, FSTFLAGS.atim | FSTFLAGS.atim_now), 'inval');
      assert.equal(g.call('fd_filestat_set_times', fd, 0n, 0n, FSTFLAGS.mtim | FSTFLAGS.mtim_now), 'inval');
      assert.equal(g.call('fd_filestat_set_times', fd, 0n, 0n, 16), 'inval');
      assert.equal(g.call('fd_filestat_set_times', 3, t, t, FSTFLAGS.mtim), 'success'); // a directory
      assert.equal(fdFilestat(g, 3).stat.mtim, t);
      assert.equal(fdFilestat(g, 3).stat.filetype, FILETYPE.directory);
    });

    it('fd_fdstat_get reports type, flags and rights; fd_fdstat_set_rights only drops', () => {
      const g = setup();
      const fd = create(g, 'r', 'data');
      const s = fdstat(g, fd);
      assert.equal(s.filetype, FILETYPE.regular_file);
      assert.ok(s.base & RIGHTS.fd_read && s.base & RIGHTS.fd_write && s.base & RIGHTS.fd_seek);
      assert.equal(s.base & RIGHTS.path_open, 0n, 'files get no directory rights');
      const d = fdstat(g, 3);
      assert.equal(d.filetype, FILETYPE.directory);
      assert.equal(d.base & RIGHTS.fd_seek, 0n, 'directories cannot seek');
      assert.ok(d.inheriting & RIGHTS.fd_read);
      assert.equal(g.call('fd_fdstat_set_rights', fd, s.base & ~RIGHTS.fd_read, 0n), 'success');
      assert.equal(read(g, fd, 2, 'fd_pread', 0n).errno, 'notcapable');
      assert.equal(read(g, fd, 2).errno, 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', fd, s.base, 0n), 'notcapable', 'a dropped right cannot come back');
      assert.equal(g.call('fd_fdstat_set_rights', fd, 0n, 1n), 'notcapable');
      assert.equal(g.call('fd_fdstat_set_rights', fd, 0n, 0n), 'success');
      assert.equal(write(g, fd, 'x').errno, 'notcapable');
      assert.equal(g.call('fd_seek', fd, 0n, 0, 40), 'notcapable');
      assert.equal(g.call('fd_tell', fd, 40), 'notcapable');
      assert.equal(g.call('fd_fdstat_get', 99, 40), 'badf');
      assert.equal(g.call('fd_fdstat_set_rights', 99, 0n, 0n), 'badf');
    });

    it('rights asked at path_open are granted only as far as the directory passes them on', () => {
      const g = setup();
      create(g, 'f', 'abc');
      const ro = pathOpen(g, 3, 'f', { base: RIGHTS.fd_read | RIGHTS.fd_seek, inheriting: 0n });
      assert.equal(ro.errno, 'success');
      const s = fdstat(g, ro.fd);
      assert.equal(s.base, RIGHTS.fd_read | RIGHTS.fd_seek);
      assert.equal(write(g, ro.fd, 'x').errno, 'notcapable');
      assert.equal(g.call('fd_tell', ro.fd, 40), 'notcapable');
      assert.equal(g.call('fd_seek', ro.fd, 1n, 0, 40), 'success');
      assert.deepEqual(read(g, ro.fd, 5), { errno: 'success', text: 'bc' });
      // A directory opened with fewer rights hands on no more.
      const sub = pathOpen(g, 3, '.', { oflags: OFLAGS.directory, base: RIGHTS.path_open | RIGHTS.fd_readdir, inheriting: RIGHTS.fd_read });
      assert.equal(sub.errno, 'success');
      assert.equal(pathOpen(g, sub.fd, 'f', { base: RIGHTS.fd_read | RIGHTS.fd_write }).errno, 'notcapable');
      const r = pathOpen(g, sub.fd, 'f', { base: RIGHTS.fd_read | RIGHTS.fd_seek });
      assert.equal(r.errno, 'success');
      assert.equal(fdstat(g, r.fd).base, RIGHTS.fd_read);
      assert.equal(pathOpen(g, sub.fd, 'new', { oflags: OFLAGS.creat }).errno, 'notcapable');
    });

    it('operations that make no sense on a directory fail', () => {
      const g = setup();
      for (const [name, args] of [
        ['fd_read', [3, 3072, 0, 40]],
        ['fd_pread', [3, 3072, 0, 0n, 40]],
        ['fd_write', [3, 3072, 0, 40]],
        ['fd_pwrite', [3, 3072, 0, 0n, 40]],
        ['fd_seek', [3, 0n, 0, 40]],
        ['fd_tell', [3, 40]],
        ['fd_allocate', [3, 0n, 1n]],
        ['fd_filestat_set_size', [3, 0n]],
        ['fd_advise', [3, 0n, 0n, 0]],
      ] as const) {
        const r = g.call(name, ...(args as unknown as number[]));
        assert.ok(['isdir', 'badf', 'notcapable', 'inval'].includes(r), `${name}: ${r}`);
      }
      const fd = create(g, 'f');
      assert.equal(readdir(g, fd, 100).errno, 'notcapable');
    });

    it('fd_advise, fd_allocate, fd_sync, fd_datasync', () => {
      const g = setup();
      const fd = create(g, 'f', 'ab');
      for (let advice = 0; advice <= 5; advice++) assert.equal(g.call('fd_advise', fd, 0n, 10n, advice), 'success');
      assert.equal(g.call('fd_advise', fd, 0n, 10n, 6), 'inval');
      assert.equal(g.call('fd_allocate', fd, 0n, 100n), 'success');
      assert.equal(fdFilestat(g, fd).stat.size, 100n);
      assert.equal(g.call('fd_allocate', fd, 0n, 10n), 'success');
      assert.equal(fdFilestat(g, fd).stat.size, 100n, 'allocate never shrinks');
      assert.equal(g.call('fd_allocate', fd, -1n, 1n), 'inval');
      assert.equal(g.call('fd_sync', fd), 'success');
      assert.equal(g.call('fd_datasync', fd), 'success');
      assert.equal(g.call('fd_sync', 3), 'success');
      assert.equal(g.call('fd_sync', 1), 'inval');
      assert.equal(g.call('fd_sync', 42), 'badf');
      assert.equal(g.call('fd_datasync', 2), 'inval');
      assert.equal(g.call('fd_datasync', 42), 'badf');
      assert.equal(g.call('fd_filestat_get', 42, 6000), 'badf');
      assert.equal(g.call('fd_filestat_get', fd, 65530), 'fault');
      assert.equal(g.call('fd_advise', 1, 0n, 0n, 0), 'notcapable');
    });

    it('fd_close closes once; a preopen can be closed too', () => {
      const g = setup();
      const fd = create(g, 'f');
      assert.equal(g.call('fd_close', fd), 'success');
      assert.equal(g.call('fd_close', fd), 'badf');
      assert.equal(read(g, fd, 1).errno, 'badf');
      assert.equal(g.call('fd_close', 3), 'success');
      assert.equal(g.call('fd_prestat_get', 3, 16), 'badf');
      assert.equal(pathOpen(g, 3, 'f').errno, 'badf');
      assert.equal(g.call('fd_close', -1), 'badf');
    });

    it('numbers new descriptors lowest first and reuses closed ones', () => {
      const g = setup();
      const a = create(g, 'a');
      const b = create(g, 'b');
      assert.deepEqual([a, b], [4, 5]);
      g.call('fd_close', a);
      assert.equal(create(g, 'c'), 4);
    });

    it('fd_renumber moves a descriptor over another, closing it', () => {
      const g = setup();
      const a = create(g, 'a', 'AAA');
      const b = create(g, 'b', 'BBB');
      g.call('fd_seek', a, 1n, 0, 40);
      assert.equal(g.call('fd_renumber', a, b), 'success');
      assert.equal(g.call('fd_close', a), 'badf');
      assert.deepEqual(read(g, b, 10), { errno: 'success', text: 'AA' }, 'the position moves with it');
      assert.equal(g.call('fd_renumber', b, a), 'badf', 'the target must be open');
      assert.equal(g.call('fd_renumber', 77, b), 'badf');
      assert.equal(g.call('fd_renumber', b, b), 'success');
      assert.equal(read(g, b, 10, 'fd_pread', 0n).text, 'AAA');
    });

    it('fd_readdir lists . and .. first, then the entries, with cookies', () => {
      const g = setup();
      create(g, 'file1', 'x');
      assert.equal(pathCall(g, 'path_create_directory', 3, 'sub'), 'success');
      const r = readdir(g, 3, 4096);
      assert.equal(r.errno, 'success');
      const names = r.entries.map((e) => e.name);
      assert.deepEqual(names.slice(0, 2), ['.', '..']);
      assert.deepEqual(names.slice(2).sort(), ['file1', 'sub']);
      assert.deepEqual(r.entries.map((e) => e.next), [1n, 2n, 3n, 4n]);
      const types = Object.fromEntries(r.entries.map((e) => [e.name, e.type]));
      assert.equal(types['.'], FILETYPE.directory);
      assert.equal(types['..'], FILETYPE.directory);
      assert.equal(types.sub, FILETYPE.directory);
      assert.equal(types.file1, FILETYPE.regular_file);
      assert.equal(r.used, 4 * 24 + 1 + 2 + 5 + 3);
      // Starting from a cookie skips what was read.
      const rest = readdir(g, 3, 4096, 3n);
      assert.deepEqual(rest.entries.map((e) => e.name), [names[3]]);
      assert.equal(readdir(g, 3, 4096, 4n).used, 0);
      assert.equal(readdir(g, 3, 4096, 1000n).used, 0);
    });

    it('fd_readdir fills the buffer to the last byte, cutting the last entry', () => {
      const g = setup();
      create(g, 'abcdef');
      // '.' (25 bytes) then '..' (26): a 40-byte buffer holds '.' and 15 bytes of '..'.
      const r = readdir(g, 3, 40);
      assert.equal(r.used, 40);
      assert.deepEqual(r.entries.map((e) => e.name), ['.']);
      assert.equal(new DataView(r.raw.buffer, r.raw.byteOffset).getBigUint64(25, true), 2n, "the cut entry's d_next");
      const small = readdir(g, 3, 10);
      assert.equal(small.used, 10);
      assert.equal(readdir(g, 3, 0).used, 0);
      assert.deepEqual(listDir(g, 3), ['.', '..', 'abcdef']);
    });

    it('fd_readdir over many entries with a small buffer sees each once', () => {
      const g = setup();
      const want: string[] = [];
      for (let i = 0; i < 60; i++) {
        const name = `entry-${String(i).padStart(3, '0')}`;
        want.push(name);
        g.call('fd_close', create(g, name));
      }
      const seen = listDir(g, 3).slice(2).sort();
      assert.deepEqual(seen, want);
    });

    it('refuses more open descriptors than the limit with mfile', () => {
      const { dir, cleanup } = fsut.make();
      cleanups.push(cleanup);
      const g = guest({ preopens: [{ guestPath: '/', dir }], maxOpenFiles: 6 });
      const a = pathOpen(g, 3, 'a', { oflags: OFLAGS.creat });
      const b = pathOpen(g, 3, 'b', { oflags: OFLAGS.creat });
      assert.deepEqual([a.errno, b.errno], ['success', 'success']);
      assert.equal(pathOpen(g, 3, 'c', { oflags: OFLAGS.creat }).errno, 'mfile');
      assert.equal(pathFilestat(g, 3, 'c').errno, 'noent', 'nothing was created');
      g.call('fd_close', a.fd);
      assert.equal(pathOpen(g, 3, 'c', { oflags: OFLAGS.creat }).errno, 'success');
    });

    it('fd_seek and fd_tell on stdio are spipe', () => {
      const g = setup();
      assert.equal(g.call('fd_seek', 1, 0n, 1, 40), 'spipe');
      assert.equal(g.call('fd_tell', 0, 40), 'spipe');
      assert.equal(g.call('fd_pread', 0, 3072, 0, 0n, 40), 'spipe');
    });
  });
}
