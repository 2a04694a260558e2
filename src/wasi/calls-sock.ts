// WASI preview1 `sock_*` calls on preopened listening TCP sockets and the connections
// accepted from them. Waiting (accept, receive) needs the asynchronous imports (JSPI);
// synchronous callers get 'again' when nothing is queued.

import type { CallEnv } from './call-env.ts';
import { FDFLAGS, RIFLAGS, RIGHTS, SDFLAGS, SOCKET_RIGHTS } from './constants.ts';
import type { Descriptor, ListenerDescriptor, SocketDescriptor } from './descriptors.ts';
import { WasiError } from './errno.ts';
import type { TcpConnection } from './sockets.ts';
import { writeAll } from './streams.ts';

function socketOf(d: Descriptor): SocketDescriptor {
  if (d.kind === 'socket') return d;
  throw new WasiError(d.kind === 'listener' ? 'notconn' : 'notsock');
}

export function sock_accept(env: CallEnv, fd: number, flags: number, fdPtr: number): number | Promise<number> {
  const d = env.ctx.fds.get(fd);
  if (d.kind !== 'listener') throw new WasiError(d.kind === 'socket' ? 'inval' : 'notsock');
  const l: ListenerDescriptor = d;
  if ((l.rightsBase & RIGHTS.sock_accept) === 0n) throw new WasiError('notcapable');
  if ((flags >>> 0) & ~FDFLAGS.nonblock) throw new WasiError('inval');
  env.mem.check(fdPtr, 4);
  const finish = (c: TcpConnection): number => {
    let opened: number;
    try {
      opened = env.ctx.fds.add({ kind: 'socket', connection: c, rightsBase: SOCKET_RIGHTS, rightsInheriting: 0n, flags: flags & FDFLAGS.nonblock });
    } catch (e) {
      c.close();
      throw e;
    }
    env.mem.setU32(fdPtr, opened);
    return 0;
  };
  const c = l.listener.accept();
  if (c) return finish(c);
  if (!env.canSuspend || l.flags & FDFLAGS.nonblock) throw new WasiError('again');
  const wait = async (): Promise<number> => {
    for (;;) {
      const ready = l.listener.whenReady();
      if (ready) await ready;
      const next = l.listener.accept();
      if (next) return finish(next);
      if (!ready) throw new WasiError('connaborted'); // the listening socket was closed
    }
  };
  return wait();
}

export function sock_recv(env: CallEnv, fd: number, riPtr: number, riLen: number, riFlags: number, roLenPtr: number, roFlagsPtr: number): number | Promise<number> {
  const s = socketOf(env.ctx.fds.withRights(fd, RIGHTS.fd_read));
  const f = riFlags >>> 0;
  if (f & ~(RIFLAGS.recv_peek | RIFLAGS.recv_waitall)) throw new WasiError('inval');
  const peek = (f & RIFLAGS.recv_peek) !== 0;
  const waitAll = (f & RIFLAGS.recv_waitall) !== 0 && !peek;
  const iovs = env.mem.iovecs(riPtr, riLen);
  env.mem.check(roLenPtr, 4);
  env.mem.check(roFlagsPtr, 2);
  const chunk = new Uint8Array(Math.min(iovs.reduce((n, v) => n + v.length, 0), 1 << 20));
  const c = s.connection;
  const finish = (n: number): number => {
    let at = 0;
    for (const iov of env.mem.iovecs(riPtr, riLen)) {
      if (at >= n) break;
      const k = Math.min(iov.length, n - at);
      iov.set(chunk.subarray(at, at + k));
      at += k;
    }
    env.mem.setU32(roLenPtr, n);
    env.mem.setU16(roFlagsPtr, 0); // never recv_data_truncated: a stream keeps what does not fit
    return 0;
  };
  /** Takes what is queued into chunk[from…]: bytes, 0 at the end of the stream, -1 when nothing is there yet. */
  const takeAt = (from: number): number => {
    if (!c.readable) return -1;
    return c.available() > 0 ? c.take(chunk.subarray(from), peek) : c.readSync(chunk.subarray(from));
  };
  if (chunk.length === 0) return finish(0);
  const first = takeAt(0);
  const done = (got: number) => got === 0 || !waitAll || got === chunk.length;
  if (first >= 0 && done(first)) return finish(first);
  if (!env.canSuspend || s.flags & FDFLAGS.nonblock) {
    if (first >= 0) return finish(first);
    throw new WasiError('again');
  }
  const wait = async (): Promise<number> => {
    let got = Math.max(first, 0);
    for (;;) {
      await c.whenReadable();
      const k = takeAt(got);
      if (k <= 0) return finish(got); // the end of the stream
      got += k;
      if (done(got)) return finish(got);
    }
  };
  return wait();
}

export function sock_send(env: CallEnv, fd: number, siPtr: number, siLen: number, siFlags: number, soLenPtr: number): number {
  const s = socketOf(env.ctx.fds.withRights(fd, RIGHTS.fd_write));
  if (siFlags >>> 0 !== 0) throw new WasiError('inval');
  const iovs = env.mem.iovecs(siPtr, siLen);
  env.mem.check(soLenPtr, 4);
  const total = writeAll(s.connection, iovs);
  env.mem.setU32(soLenPtr, total);
  return 0;
}

export function sock_shutdown(env: CallEnv, fd: number, how: number): number {
  const s = socketOf(env.ctx.fds.get(fd));
  if ((s.rightsBase & RIGHTS.sock_shutdown) === 0n) throw new WasiError('notcapable');
  const h = how >>> 0;
  if (h === 0 || h & ~(SDFLAGS.rd | SDFLAGS.wr)) throw new WasiError('inval');
  s.connection.shutdown((h & SDFLAGS.rd) !== 0, (h & SDFLAGS.wr) !== 0);
  return 0;
}
