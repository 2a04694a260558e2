// WASI preview1 `fd_*` calls: operations on an open descriptor (files, directories,
// standard streams, sockets), each checking the descriptor's rights first.

import type { CallEnv } from './call-env.ts';
import { ADVICE, FDFLAGS, FILETYPE, LAYOUT, RIGHTS, WHENCE } from './constants.ts';
import { closeDescriptor, type Descriptor } from './descriptors.ts';
import { WasiError } from './errno.ts';
import { filetypeCode, syntheticStat, timesToSet, writeFilestat } from './filestat.ts';
import type { FileStat } from './fs/types.ts';
import { encodeUtf8, type GuestMemory } from './memory.ts';
import { type InputStream, type OutputStream, writeAll } from './streams.ts';

const MAX_OFFSET = (1n << 63n) - 1n;

/** Offsets and sizes are u64 in witx but must fit an off_t: 'inval' beyond. */
function fileOffset(value: bigint): bigint {
  const v = BigInt.asUintN(64, value);
  if (v > MAX_OFFSET) throw new WasiError('inval');
  return v;
}

function statOf(d: Descriptor): FileStat {
  switch (d.kind) {
    case 'file':
      return d.file.stat();
    case 'dir':
      return d.ref.dir.stat();
    case 'stream':
      return syntheticStat((d.input ?? d.output)!.isTerminal ? 'character-device' : 'unknown');
    case 'listener':
    case 'socket':
      return syntheticStat('socket-stream');
  }
}

export function fd_advise(env: CallEnv, fd: number, offset: bigint, len: bigint, advice: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_advise);
  if (advice >>> 0 > ADVICE.noreuse) throw new WasiError('inval');
  if (d.kind !== 'file') throw new WasiError(d.kind === 'dir' ? 'isdir' : 'spipe');
  fileOffset(offset);
  fileOffset(len);
  return 0; // advice is a hint; none is needed
}

export function fd_allocate(env: CallEnv, fd: number, offset: bigint, len: bigint): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_allocate);
  if (d.kind !== 'file') throw new WasiError(d.kind === 'dir' ? 'isdir' : 'spipe');
  const o = fileOffset(offset);
  const l = fileOffset(len);
  if (o + l > MAX_OFFSET) throw new WasiError('fbig');
  d.file.allocate(o, l);
  return 0;
}

export function fd_close(env: CallEnv, fd: number): number {
  closeDescriptor(env.ctx.fds.take(fd));
  return 0;
}

function sync(env: CallEnv, fd: number, right: bigint, data: boolean): number {
  const d = env.ctx.fds.withRights(fd, right);
  if (d.kind === 'file') data ? d.file.datasync() : d.file.sync();
  else if (d.kind === 'dir') d.ref.dir.sync();
  else throw new WasiError('inval'); // as fsync(2) on a pipe or socket
  return 0;
}

export function fd_datasync(env: CallEnv, fd: number): number {
  return sync(env, fd, RIGHTS.fd_datasync, true);
}

export function fd_sync(env: CallEnv, fd: number): number {
  return sync(env, fd, RIGHTS.fd_sync, false);
}

export function fd_fdstat_get(env: CallEnv, fd: number, ptr: number): number {
  const d = env.ctx.fds.get(fd);
  const L = LAYOUT.fdstat;
  const p = env.mem.check(ptr, L.size);
  let type: number;
  switch (d.kind) {
    case 'file':
      type = filetypeCode(d.file.stat().type);
      break;
    case 'dir':
      type = FILETYPE.directory;
      break;
    case 'stream':
      type = (d.input ?? d.output)!.isTerminal ? FILETYPE.character_device : FILETYPE.unknown;
      break;
    default:
      type = FILETYPE.socket_stream;
  }
  env.mem.write(p, new Uint8Array(L.size));
  env.mem.setU8(p + L.fs_filetype, type);
  env.mem.setU16(p + L.fs_flags, d.flags);
  env.mem.setU64(p + L.fs_rights_base, d.rightsBase);
  env.mem.setU64(p + L.fs_rights_inheriting, d.rightsInheriting);
  return 0;
}

const SETTABLE_FLAGS = FDFLAGS.append | FDFLAGS.nonblock;

/**
 * Only `append` and `nonblock` can change after opening; the sync flags cannot ('notsup'
 * here, where Linux's fcntl ignores them silently, so that a guest is not misled).
 */
export function fd_fdstat_set_flags(env: CallEnv, fd: number, flags: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_fdstat_set_flags);
  const f = flags & 0xffff;
  if (flags >>> 0 > 0xffff || f & ~(SETTABLE_FLAGS | FDFLAGS.dsync | FDFLAGS.rsync | FDFLAGS.sync)) throw new WasiError('inval');
  if (f & ~SETTABLE_FLAGS) throw new WasiError('notsup');
  if (f & FDFLAGS.append && d.kind !== 'file') throw new WasiError(d.kind === 'dir' ? 'isdir' : 'inval');
  d.flags = f;
  return 0;
}

/** Rights can only be dropped, never gained ('notcapable'). */
export function fd_fdstat_set_rights(env: CallEnv, fd: number, base: bigint, inheriting: bigint): number {
  const d = env.ctx.fds.get(fd);
  const b = BigInt.asUintN(64, base);
  const i = BigInt.asUintN(64, inheriting);
  if ((b & ~d.rightsBase) !== 0n || (i & ~d.rightsInheriting) !== 0n) throw new WasiError('notcapable');
  d.rightsBase = b;
  d.rightsInheriting = i;
  return 0;
}

export function fd_filestat_get(env: CallEnv, fd: number, ptr: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_filestat_get);
  env.mem.check(ptr, LAYOUT.filestat.size);
  writeFilestat(env.mem, ptr, statOf(d));
  return 0;
}

export function fd_filestat_set_size(env: CallEnv, fd: number, size: bigint): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_filestat_set_size);
  if (d.kind !== 'file') throw new WasiError(d.kind === 'dir' ? 'isdir' : 'inval');
  d.file.setSize(fileOffset(size));
  return 0;
}

export function fd_filestat_set_times(env: CallEnv, fd: number, atim: bigint, mtim: bigint, fstFlags: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_filestat_set_times);
  const [a, m] = timesToSet(atim, mtim, fstFlags);
  if (d.kind === 'file') d.file.setTimes(a, m);
  else if (d.kind === 'dir') d.ref.dir.setTimes(a, m);
  else throw new WasiError('inval');
  return 0;
}

function notAFile(d: Descriptor): WasiError {
  return new WasiError(d.kind === 'dir' ? 'isdir' : 'spipe');
}

export function fd_pread(env: CallEnv, fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_read);
  if (d.kind !== 'file') throw notAFile(d);
  const iovs = env.mem.iovecs(iovsPtr, iovsLen);
  env.mem.check(nreadPtr, 4);
  let position = fileOffset(offset);
  let total = 0;
  for (const iov of iovs) {
    if (iov.length === 0) continue;
    const n = d.file.read(iov, position);
    total += n;
    position += BigInt(n);
    if (n < iov.length) break;
  }
  env.mem.setU32(nreadPtr, total);
  return 0;
}

export function fd_pwrite(env: CallEnv, fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_write);
  if (d.kind !== 'file') throw notAFile(d);
  const iovs = env.mem.iovecs(iovsPtr, iovsLen);
  env.mem.check(nwrittenPtr, 4);
  let position = fileOffset(offset);
  let total = 0;
  for (const iov of iovs) {
    if (iov.length === 0) continue;
    // An append-mode descriptor appends even here (as Linux's pwrite does with O_APPEND).
    const n = d.flags & FDFLAGS.append ? d.file.append(iov) : d.file.write(iov, position);
    total += n;
    position += BigInt(n);
    if (n < iov.length) break;
  }
  env.mem.setU32(nwrittenPtr, total);
  return 0;
}

export function fd_prestat_get(env: CallEnv, fd: number, ptr: number): number {
  const d = env.ctx.fds.get(fd);
  if (d.kind !== 'dir' || d.preopen === null) throw new WasiError('badf');
  const p = env.mem.check(ptr, LAYOUT.prestat.size);
  env.mem.write(p, new Uint8Array(LAYOUT.prestat.size));
  env.mem.setU32(p + LAYOUT.prestat.pr_name_len, encodeUtf8(d.preopen).length);
  return 0;
}

export function fd_prestat_dir_name(env: CallEnv, fd: number, pathPtr: number, pathLen: number): number {
  const d = env.ctx.fds.get(fd);
  if (d.kind !== 'dir' || d.preopen === null) throw new WasiError('badf');
  const name = encodeUtf8(d.preopen);
  if (pathLen >>> 0 < name.length) throw new WasiError('nametoolong');
  env.mem.write(pathPtr, name);
  return 0;
}

/** The total length of the iovecs, capped: one read from a stream fills at most this much. */
function streamChunk(iovs: Uint8Array[]): Uint8Array {
  const total = iovs.reduce((n, v) => n + v.length, 0);
  return new Uint8Array(Math.min(total, 1 << 20));
}

function scatter(mem: GuestMemory, iovsPtr: number, iovsLen: number, data: Uint8Array): void {
  let at = 0;
  for (const iov of mem.iovecs(iovsPtr, iovsLen)) {
    if (at >= data.length) break;
    const k = Math.min(iov.length, data.length - at);
    iov.set(data.subarray(at, at + k));
    at += k;
  }
}

function inputOf(d: Descriptor): InputStream | null {
  if (d.kind === 'stream') return d.input;
  if (d.kind === 'socket') return d.connection;
  return null;
}

export function fd_read(env: CallEnv, fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): number | Promise<number> {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_read);
  const iovs = env.mem.iovecs(iovsPtr, iovsLen);
  env.mem.check(nreadPtr, 4);
  if (d.kind === 'file') {
    let total = 0;
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      const n = d.file.read(iov, d.position);
      total += n;
      d.position += BigInt(n);
      if (n < iov.length) break;
    }
    env.mem.setU32(nreadPtr, total);
    return 0;
  }
  const input = inputOf(d);
  if (input === null) throw new WasiError(d.kind === 'dir' ? 'isdir' : 'badf');
  const chunk = streamChunk(iovs);
  const finish = (n: number): number => {
    scatter(env.mem, iovsPtr, iovsLen, chunk.subarray(0, n));
    env.mem.setU32(nreadPtr, n);
    return 0;
  };
  if (env.canSuspend) {
    if (d.flags & FDFLAGS.nonblock) {
      // Nothing queued: say so, and let the event loop fetch more meanwhile.
      if (input.whenReadable() !== null) throw new WasiError('again');
      return finish(input.readSync(chunk));
    }
    const n = input.readAsync(chunk);
    return typeof n === 'number' ? finish(n) : n.then(finish);
  }
  // Synchronous callers block (a host stdin) or get 'again' (a socket with nothing queued).
  return finish(input.readSync(chunk));
}

export function fd_readdir(env: CallEnv, fd: number, bufPtr: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_readdir);
  if (d.kind !== 'dir') throw new WasiError('notdir');
  const len = bufLen >>> 0;
  const buf = env.mem.check(bufPtr, len);
  env.mem.check(bufusedPtr, 4);
  const start = BigInt.asUintN(64, cookie);
  // A snapshot at cookie 0 makes later cookies stable while the guest reads on.
  if (start === 0n || d.entries === null) d.entries = d.ref.dir.entries();
  const self = d.ref.dir.stat();
  // '..' gets the directory's own inode number: its parent may lie outside the grant (Wasmtime does the same).
  const all = [{ name: '.', type: 'directory' as const, ino: self.ino }, { name: '..', type: 'directory' as const, ino: self.ino }, ...d.entries];
  const L = LAYOUT.dirent;
  const header = new Uint8Array(L.size);
  const view = new DataView(header.buffer);
  let used = 0;
  for (let i = start; i < BigInt(all.length) && used < len; i++) {
    const e = all[Number(i)]!;
    const name = encodeUtf8(e.name);
    view.setBigUint64(L.d_next, i + 1n, true);
    view.setBigUint64(L.d_ino, e.ino, true);
    view.setUint32(L.d_namlen, name.length, true);
    view.setUint32(L.d_type, filetypeCode(e.type), true); // d_type plus three bytes of padding
    const entry = new Uint8Array(L.size + name.length);
    entry.set(header);
    entry.set(name, L.size);
    // The last entry is cut at the end of the buffer: the guest sees a full buffer and asks again.
    const k = Math.min(entry.length, len - used);
    env.mem.write(buf + used, entry.subarray(0, k));
    used += k;
  }
  env.mem.setU32(bufusedPtr, used);
  return 0;
}

export function fd_renumber(env: CallEnv, fd: number, to: number): number {
  const { fds } = env.ctx;
  fds.get(fd);
  fds.get(to);
  if (fd >>> 0 === to >>> 0) return 0;
  const moving = fds.take(fd);
  const replaced = fds.take(to);
  // In place before closing what it replaces: a close that fails must not lose `moving`.
  fds.set(to >>> 0, moving);
  closeDescriptor(replaced);
  return 0;
}

export function fd_seek(env: CallEnv, fd: number, offset: bigint, whence: number, newoffsetPtr: number): number {
  const d = env.ctx.fds.get(fd);
  if (d.kind === 'stream' || d.kind === 'socket' || d.kind === 'listener') throw new WasiError('spipe');
  // Asking where one is (offset 0 from the current position) needs only the tell right.
  const right = offset === 0n && whence === WHENCE.cur ? RIGHTS.fd_tell | RIGHTS.fd_seek : RIGHTS.fd_seek;
  if ((d.rightsBase & right) === 0n) throw new WasiError('notcapable');
  if (d.kind !== 'file') throw new WasiError('isdir');
  env.mem.check(newoffsetPtr, 8);
  const delta = BigInt.asIntN(64, offset);
  let base: bigint;
  switch (whence >>> 0) {
    case WHENCE.set:
      base = 0n;
      break;
    case WHENCE.cur:
      base = d.position;
      break;
    case WHENCE.end:
      base = d.file.stat().size;
      break;
    default:
      throw new WasiError('inval');
  }
  const position = base + delta;
  if (position < 0n || position > MAX_OFFSET) throw new WasiError('inval');
  d.position = position;
  env.mem.setU64(newoffsetPtr, position);
  return 0;
}

export function fd_tell(env: CallEnv, fd: number, ptr: number): number {
  const d = env.ctx.fds.get(fd);
  if (d.kind === 'stream' || d.kind === 'socket' || d.kind === 'listener') throw new WasiError('spipe');
  if ((d.rightsBase & RIGHTS.fd_tell) === 0n) throw new WasiError('notcapable');
  if (d.kind !== 'file') throw new WasiError('isdir');
  env.mem.setU64(ptr, d.position);
  return 0;
}

export function fd_write(env: CallEnv, fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
  const d = env.ctx.fds.withRights(fd, RIGHTS.fd_write);
  const iovs = env.mem.iovecs(iovsPtr, iovsLen);
  env.mem.check(nwrittenPtr, 4);
  let total = 0;
  if (d.kind === 'file') {
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      let n: number;
      if (d.flags & FDFLAGS.append) {
        n = d.file.append(iov);
        d.position = d.file.stat().size;
      } else {
        n = d.file.write(iov, d.position);
        d.position += BigInt(n);
      }
      total += n;
      if (n < iov.length) break;
    }
  } else {
    const output: OutputStream | null = d.kind === 'stream' ? d.output : d.kind === 'socket' ? d.connection : null;
    if (output === null) throw new WasiError(d.kind === 'dir' ? 'isdir' : 'badf');
    if (iovs.length > 1 && output.writev) total = output.writev(iovs);
    else total = writeAll(output, iovs);
  }
  env.mem.setU32(nwrittenPtr, total);
  return 0;
}
