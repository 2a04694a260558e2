// WASI preview1 `path_*` calls. Every path a guest passes is resolved beneath the
// descriptor's directory by fs/resolve.ts, component by component; this file never looks
// inside a path itself. Rights are checked on the descriptor before anything is touched.

import type { CallEnv } from './call-env.ts';
import { DIRECTORY_RIGHTS, FDFLAGS, FILE_RIGHTS, LOOKUPFLAGS, OFLAGS, RIGHTS } from './constants.ts';
import { DirRef, type DirDescriptor } from './descriptors.ts';
import { WasiError } from './errno.ts';
import { timesToSet, writeFilestat } from './filestat.ts';
import { MAX_LINK_TARGET_BYTES } from './fs/names.ts';
import { MAX_PATH_BYTES, resolvePath, type ResolvedPath } from './fs/resolve.ts';
import type { File, FileStat } from './fs/types.ts';
import { encodeUtf8 } from './memory.ts';

/** The directory descriptor `fd` holding `rights`: 'notdir' when it is not a directory. */
function dirWithRights(env: CallEnv, fd: number, rights: bigint): DirDescriptor {
  const d = env.ctx.fds.get(fd);
  // A file is not a directory; stdio and sockets are not even that (Wasmtime: 'badf').
  if (d.kind !== 'dir') throw new WasiError(d.kind === 'file' ? 'notdir' : 'badf');
  if ((d.rightsBase & rights) !== rights) throw new WasiError('notcapable');
  return d;
}

/**
 * Whether to follow a final symbolic link: as asked, or when the path ends in '/' for the
 * calls that open or stat what the path names (resolve.ts leaves that choice to us).
 */
function followFinal(lookupFollow: boolean, path: string, opens: boolean): boolean {
  return lookupFollow || (opens && path.endsWith('/'));
}

/** Resolves the guest's path, runs `body`, releases the handles resolution opened. */
function withPath<R>(env: CallEnv, d: DirDescriptor, ptr: number, len: number, follow: 'follow' | 'nofollow' | 'open-nofollow', body: (r: ResolvedPath) => R): R {
  const path = env.mem.path(ptr, len, MAX_PATH_BYTES);
  const r = resolvePath(d.ref.dir, path, { followFinalSymlink: followFinal(follow === 'follow', path, follow === 'open-nofollow') });
  try {
    return body(r);
  } finally {
    r.release();
  }
}

function statResolved(r: ResolvedPath): FileStat {
  return r.name === '.' ? r.dir.stat() : r.dir.statAt(r.name);
}

/** A path ending in "/" must name a directory: 'notdir' otherwise. */
function checkTrailingSlash(r: ResolvedPath): void {
  if (r.mustBeDirectory && r.name !== '.' && statResolved(r).type !== 'directory') throw new WasiError('notdir');
}

export function path_create_directory(env: CallEnv, fd: number, ptr: number, len: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_create_directory);
  return withPath(env, d, ptr, len, 'nofollow', (r) => {
    if (r.name === '.') throw new WasiError('exist');
    r.dir.createDirectory(r.name);
    return 0;
  });
}

export function path_filestat_get(env: CallEnv, fd: number, flags: number, ptr: number, len: number, bufPtr: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_filestat_get);
  env.mem.check(bufPtr, 64);
  return withPath(env, d, ptr, len, flags & LOOKUPFLAGS.symlink_follow ? 'follow' : 'open-nofollow', (r) => {
    const stat = statResolved(r);
    if (r.mustBeDirectory && stat.type !== 'directory') throw new WasiError('notdir');
    writeFilestat(env.mem, bufPtr, stat);
    return 0;
  });
}

export function path_filestat_set_times(env: CallEnv, fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fstFlags: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_filestat_set_times);
  const [a, m] = timesToSet(atim, mtim, fstFlags);
  return withPath(env, d, ptr, len, flags & LOOKUPFLAGS.symlink_follow ? 'follow' : 'open-nofollow', (r) => {
    checkTrailingSlash(r);
    if (r.name === '.') r.dir.setTimes(a, m);
    else r.dir.setTimesAt(r.name, a, m);
    return 0;
  });
}

export function path_link(env: CallEnv, oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
  const from = dirWithRights(env, oldFd, RIGHTS.path_link_source);
  const to = dirWithRights(env, newFd, RIGHTS.path_link_target);
  return withPath(env, from, oldPtr, oldLen, oldFlags & LOOKUPFLAGS.symlink_follow ? 'follow' : 'nofollow', (src) =>
    withPath(env, to, newPtr, newLen, 'nofollow', (dst) => {
      const stat = statResolved(src);
      if (stat.type === 'directory') throw new WasiError('perm'); // no hard links to directories
      if (src.mustBeDirectory) throw new WasiError('notdir');
      if (dst.name === '.') throw new WasiError('exist');
      if (dst.mustBeDirectory) {
        statResolved(dst); // 'noent' when absent
        throw new WasiError('exist');
      }
      src.dir.link(src.name, dst.dir, dst.name);
      return 0;
    }),
  );
}

const KNOWN_OFLAGS = OFLAGS.creat | OFLAGS.directory | OFLAGS.excl | OFLAGS.trunc;
const KNOWN_FDFLAGS = FDFLAGS.append | FDFLAGS.dsync | FDFLAGS.nonblock | FDFLAGS.rsync | FDFLAGS.sync;

export function path_open(
  env: CallEnv,
  fd: number,
  dirflags: number,
  ptr: number,
  len: number,
  oflags: number,
  rightsBase: bigint,
  rightsInheriting: bigint,
  fdflags: number,
  openedPtr: number,
): number {
  const d = dirWithRights(env, fd, RIGHTS.path_open);
  const o = oflags >>> 0;
  const f = fdflags >>> 0;
  if (o & ~KNOWN_OFLAGS || f & ~KNOWN_FDFLAGS) throw new WasiError('inval');
  if (o & OFLAGS.creat && (d.rightsBase & RIGHTS.path_create_file) === 0n) throw new WasiError('notcapable');
  if (o & OFLAGS.trunc && (d.rightsBase & RIGHTS.path_filestat_set_size) === 0n) throw new WasiError('notcapable');
  const base = BigInt.asUintN(64, rightsBase);
  const inheriting = BigInt.asUintN(64, rightsInheriting);
  // Truncating or appending is writing whatever the rights say.
  const wantsWrite = (base & RIGHTS.fd_write) !== 0n || (f & FDFLAGS.append) !== 0 || (o & OFLAGS.trunc) !== 0;
  // Opening a file for writing is refused outright where the directory does not pass
  // the right on (a read-only grant); other rights the directory lacks are silently left
  // out, as wasi-libc and Rust's std ask for more than they need.
  const checkWritable = () => {
    if (wantsWrite && (d.rightsInheriting & RIGHTS.fd_write) === 0n) throw new WasiError('notcapable');
  };
  const grantedBase = base & d.rightsInheriting;
  const grantedInheriting = inheriting & d.rightsInheriting;
  env.mem.check(openedPtr, 4);
  env.ctx.fds.checkRoom(); // before anything is created on the file system
  const follow = (dirflags & LOOKUPFLAGS.symlink_follow) !== 0;
  const path = env.mem.path(ptr, len, MAX_PATH_BYTES);
  const r = resolvePath(d.ref.dir, path, { followFinalSymlink: followFinal(follow, path, true) });
  let keep = false;
  try {
    const openDir = (ref: DirRef): number =>
      env.ctx.fds.add({
        kind: 'dir',
        ref,
        preopen: null,
        entries: null,
        rightsBase: grantedBase & DIRECTORY_RIGHTS,
        rightsInheriting: grantedInheriting,
        flags: f & ~FDFLAGS.append,
      });
    let opened: number;
    if (r.name === '.') {
      if (o & OFLAGS.creat && o & OFLAGS.excl) throw new WasiError('exist');
      if (wantsWrite) throw new WasiError('isdir'); // as open(2) for writing (wasi-testsuite: path_open_preopen)
      // The directory itself: a second descriptor on the same handle.
      if (r.dir === d.ref.dir) opened = openDir(d.ref.retain());
      else {
        opened = openDir(new DirRef(r.dir, () => r.release()));
        keep = true; // the resolution's handles live as long as the new descriptor
      }
    } else if (o & OFLAGS.directory || r.mustBeDirectory) {
      // Only a directory will do (O_DIRECTORY, or a trailing slash).
      let stat: FileStat | null = null;
      try {
        stat = r.dir.statAt(r.name);
      } catch (e) {
        if (!(e instanceof WasiError && e.code === 'noent')) throw e;
      }
      if (stat === null) throw new WasiError(o & OFLAGS.creat && !(o & OFLAGS.directory) ? 'isdir' : 'noent');
      if (o & OFLAGS.creat && o & OFLAGS.excl) throw new WasiError('exist');
      if (stat.type !== 'directory') throw new WasiError(stat.type === 'symbolic-link' && !follow ? 'loop' : 'notdir');
      if (wantsWrite) throw new WasiError('isdir');
      const dir = r.dir.openDirectory(r.name);
      opened = openDir(new DirRef(dir, () => dir.close()));
    } else {
      // Most opens are of files: try that first (one system call fewer than a stat); a
      // directory answers 'isdir', and is opened as one when nothing asks to write.
      checkWritable();
      let file: File | null = null;
      try {
        file = r.dir.openFile(r.name, {
          read: (base & RIGHTS.fd_read) !== 0n,
          write: wantsWrite,
          create: (o & OFLAGS.creat) !== 0,
          exclusive: (o & OFLAGS.excl) !== 0,
          truncate: (o & OFLAGS.trunc) !== 0,
        });
      } catch (e) {
        if (!(e instanceof WasiError && e.code === 'isdir') || wantsWrite || o & OFLAGS.creat) throw e;
      }
      if (file === null) {
        const dir = r.dir.openDirectory(r.name);
        opened = openDir(new DirRef(dir, () => dir.close()));
      } else {
        try {
          opened = env.ctx.fds.add({
            kind: 'file',
            file,
            position: 0n,
            rightsBase: grantedBase & FILE_RIGHTS,
            rightsInheriting: grantedInheriting & FILE_RIGHTS,
            flags: f,
          });
        } catch (e) {
          file.close();
          throw e;
        }
      }
    }
    env.mem.setU32(openedPtr, opened);
    return 0;
  } finally {
    if (!keep) r.release();
  }
}

export function path_readlink(env: CallEnv, fd: number, ptr: number, len: number, bufPtr: number, bufLen: number, usedPtr: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_readlink);
  const buf = env.mem.check(bufPtr, bufLen);
  env.mem.check(usedPtr, 4);
  return withPath(env, d, ptr, len, 'nofollow', (r) => {
    if (r.name === '.') throw new WasiError('inval');
    if (r.mustBeDirectory) throw new WasiError('notdir');
    const target = encodeUtf8(r.dir.readlink(r.name));
    // A short buffer gets the start of the target, as readlink(2) does.
    const n = Math.min(target.length, bufLen >>> 0);
    env.mem.write(buf, target.subarray(0, n));
    env.mem.setU32(usedPtr, n);
    return 0;
  });
}

export function path_remove_directory(env: CallEnv, fd: number, ptr: number, len: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_remove_directory);
  return withPath(env, d, ptr, len, 'nofollow', (r) => {
    if (r.name === '.') throw new WasiError('inval');
    r.dir.removeDirectory(r.name);
    return 0;
  });
}

export function path_rename(env: CallEnv, fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
  const from = dirWithRights(env, fd, RIGHTS.path_rename_source);
  const to = dirWithRights(env, newFd, RIGHTS.path_rename_target);
  return withPath(env, from, oldPtr, oldLen, 'nofollow', (src) =>
    withPath(env, to, newPtr, newLen, 'nofollow', (dst) => {
      if (src.name === '.' || dst.name === '.') throw new WasiError('busy');
      if (src.mustBeDirectory || dst.mustBeDirectory) {
        if (statResolved(src).type !== 'directory') throw new WasiError('notdir');
      }
      src.dir.rename(src.name, dst.dir, dst.name);
      return 0;
    }),
  );
}

export function path_symlink(env: CallEnv, oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_symlink);
  const target = env.mem.path(oldPtr, oldLen, MAX_LINK_TARGET_BYTES);
  return withPath(env, d, newPtr, newLen, 'nofollow', (r) => {
    if (r.name === '.') throw new WasiError('exist');
    if (r.mustBeDirectory) {
      statResolved(r); // 'noent' when absent
      throw new WasiError('exist');
    }
    r.dir.symlink(target, r.name);
    return 0;
  });
}

export function path_unlink_file(env: CallEnv, fd: number, ptr: number, len: number): number {
  const d = dirWithRights(env, fd, RIGHTS.path_unlink_file);
  return withPath(env, d, ptr, len, 'nofollow', (r) => {
    if (r.name === '.') throw new WasiError('isdir');
    if (r.mustBeDirectory) throw new WasiError(statResolved(r).type === 'directory' ? 'isdir' : 'notdir');
    r.dir.unlinkFile(r.name);
    return 0;
  });
}
