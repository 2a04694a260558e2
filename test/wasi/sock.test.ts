// sock_accept, sock_recv, sock_send, sock_shutdown (and fd_read/fd_write) on a preopened
// listening TCP socket, with JSPI waiting for connections and data.

import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { FILETYPE, RIGHTS } from '../../src/wasi/constants.ts';
import { MemoryFileSystem } from '../../src/wasi/fs/memory.ts';
import { fdstat, guest, putIovecs, write } from './helpers.ts';

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

function client(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

function collect(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.on('data', (d) => (text += d.toString()));
    s.on('end', () => resolve(text));
  });
}

describe('sockets', () => {
  it('a listening socket is preopened after the directories', async () => {
    const { server } = await listening();
    const g = guest({ preopens: [{ guestPath: '/', dir: new MemoryFileSystem().root() }], sockets: [server] }, { async: true });
    const s = fdstat(g, 4);
    assert.equal(s.filetype, FILETYPE.socket_stream);
    assert.ok(s.base & RIGHTS.sock_accept);
    assert.equal(g.call('fd_prestat_get', 4, 16), 'badf');
    g.ctx.close();
  });

  it('accepts, receives, sends and shuts down, waiting with JSPI', async () => {
    const { server, port } = await listening();
    const g = guest({ sockets: [server] }, { async: true });
    const accepting = g.callAsync('sock_accept', 3, 0, 40);
    const c = await client(port);
    assert.equal(await accepting, 'success');
    const fd = g.u32(40);
    assert.equal(fd, 4);
    assert.equal(fdstat(g, fd).filetype, FILETYPE.socket_stream);
    const received = collect(c);

    // sock_recv waits for data
    putIovecs(g, 3072, [[5000, 3], [5100, 100]]);
    const recv = g.callAsync('sock_recv', fd, 3072, 2, 0, 40, 44);
    c.write('ping!');
    assert.equal(await recv, 'success');
    assert.equal(g.u32(40), 5);
    assert.equal(g.text(5000, 3) + g.text(5100, 2), 'ping!');
    assert.equal(g.view().getUint16(44, true), 0);

    // peek leaves the data in place
    c.write('xy');
    await new Promise((r) => setTimeout(r, 20));
    putIovecs(g, 3072, [[5000, 10]]);
    assert.equal(await g.callAsync('sock_recv', fd, 3072, 1, 1, 40, 44), 'success');
    assert.equal(g.text(5000, g.u32(40)), 'xy');
    assert.equal(await g.callAsync('fd_read', fd, 3072, 1, 40), 'success');
    assert.equal(g.text(5000, g.u32(40)), 'xy');

    // waitall: waits until the buffer is full
    putIovecs(g, 3072, [[5000, 4]]);
    const all = g.callAsync('sock_recv', fd, 3072, 1, 2, 40, 44);
    c.write('ab');
    setTimeout(() => c.write('cdef'), 15);
    assert.equal(await all, 'success');
    assert.equal(g.text(5000, g.u32(40)), 'abcd');
    assert.equal(await g.callAsync('sock_recv', fd, 3072, 1, 0, 40, 44), 'success');
    assert.equal(g.text(5000, g.u32(40)), 'ef');

    // sock_send and fd_write
    g.put(6000, 'pong');
    putIovecs(g, 3072, [[6000, 4]]);
    assert.equal(g.call('sock_send', fd, 3072, 1, 0, 40), 'success');
    assert.equal(g.u32(40), 4);
    assert.deepEqual(write(g, fd, ' and more'), { errno: 'success', n: 9 });
    assert.equal(g.call('sock_send', fd, 3072, 1, 1, 40), 'inval');
    assert.equal(g.call('sock_shutdown', fd, 2), 'success'); // SHUT_WR: the peer sees the end
    assert.equal(await received, 'pong and more');
    assert.equal(write(g, fd, 'late').errno, 'pipe');

    // the peer closes: reads see the end
    c.end();
    putIovecs(g, 3072, [[5000, 10]]);
    assert.equal(await g.callAsync('sock_recv', fd, 3072, 1, 0, 40, 44), 'success');
    assert.equal(g.u32(40), 0);
    assert.equal(g.call('fd_close', fd), 'success');
    g.ctx.close();
  });

  it('fails with the right errno on what is not a socket, and without waiting', async () => {
    const { server, port } = await listening();
    const g = guest({ sockets: [server] }, { async: true });
    assert.equal(g.call('sock_shutdown', 1, 1), 'notsock');
    assert.equal(g.call('sock_shutdown', 99, 1), 'badf');
    assert.equal(g.call('sock_shutdown', 3, 1), 'notconn');
    assert.equal(g.call('sock_send', 1, 3072, 0, 0, 40), 'notsock');
    assert.equal(await g.callAsync('sock_recv', 0, 3072, 0, 0, 40, 44), 'notsock');
    assert.equal(await g.callAsync('sock_accept', 1, 0, 40), 'notsock');
    assert.equal(await g.callAsync('sock_accept', 3, 2, 40), 'inval');
    // non-blocking accept with nothing queued
    assert.equal(g.call('fd_fdstat_set_flags', 3, 4), 'success');
    assert.equal(await g.callAsync('sock_accept', 3, 0, 40), 'again');
    const c = await client(port);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await g.callAsync('sock_accept', 3, 4, 40), 'success');
    const fd = g.u32(40);
    putIovecs(g, 3072, [[5000, 10]]);
    assert.equal(await g.callAsync('sock_recv', fd, 3072, 1, 0, 40, 44), 'again', 'non-blocking connection');
    assert.equal(g.call('sock_shutdown', fd, 0), 'inval');
    assert.equal(g.call('sock_shutdown', fd, 3), 'success');
    assert.equal(await g.callAsync('fd_read', fd, 3072, 1, 40), 'success');
    assert.equal(g.u32(40), 0, 'shut down for reading: end of stream');
    c.destroy();
    g.ctx.close();
  });

  it('poll_oneoff waits for a connection on the listener and for data on the connection', async () => {
    const { server, port } = await listening();
    const g = guest({ sockets: [server] }, { async: true });
    const subscribeRead = (fd: number) => {
      const v = g.view();
      for (let k = 0; k < 48; k++) v.setUint8(10000 + k, 0);
      v.setBigUint64(10000, 7n, true);
      v.setUint8(10008, 1); // fd_read
      v.setUint32(10016, fd, true);
    };
    subscribeRead(3);
    const polling = g.callAsync('poll_oneoff', 10000, 20000, 1, 40);
    const c = await client(port);
    assert.equal(await polling, 'success');
    assert.equal(g.u32(40), 1);
    assert.equal(g.view().getUint16(20008, true), 0);
    assert.equal(g.view().getBigUint64(20016, true), 1n, 'one connection waiting');
    assert.equal(await g.callAsync('sock_accept', 3, 0, 40), 'success');
    const fd = g.u32(40);
    subscribeRead(fd);
    const pollingData = g.callAsync('poll_oneoff', 10000, 20000, 1, 40);
    setTimeout(() => c.write('abc'), 10);
    assert.equal(await pollingData, 'success');
    assert.equal(g.view().getBigUint64(20016, true), 3n);
    c.end();
    await new Promise((r) => setTimeout(r, 20));
    putIovecs(g, 3072, [[5000, 10]]);
    assert.equal(await g.callAsync('fd_read', fd, 3072, 1, 40), 'success');
    assert.equal(await g.callAsync('poll_oneoff', 10000, 20000, 1, 40), 'success');
    assert.equal(g.view().getUint16(20024, true), 1, 'hangup at the end of the stream');
    g.ctx.close();
  });

  it('synchronous callers get again rather than a hang', async () => {
    const { server } = await listening();
    const g = guest({ sockets: [server] });
    assert.equal(g.call('sock_accept', 3, 0, 40), 'again');
    g.ctx.close();
  });
});
