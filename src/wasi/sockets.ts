// Preopened TCP sockets for WASI preview1's sock_accept, sock_recv, sock_send and
// sock_shutdown: a listening socket the host opened (Wasmtime's --tcplisten), and the
// connections the guest accepts from it. Node.js sockets are asynchronous: incoming
// connections and data are queued here by event handlers, and the guest takes them when
// it asks; when nothing is queued, the asynchronous (JSPI) calls wait for it.

import type { Server, Socket } from 'node:net';
import { WasiError } from './errno.ts';
import type { InputStream, OutputStream } from './streams.ts';

/** Connections accepted by Node but not yet by the guest (SOMAXCONN's old default). */
export const MAX_PENDING_CONNECTIONS = 128;
/**
 * Bytes queued per connection and direction. Received data past it pauses the socket
 * until the guest reads (TCP's window then holds the peer back); data the guest sends
 * past it is refused with 'again' or written short. Without it a peer that sends and
 * never reads, or a guest that writes to such a peer, grows the host's memory without
 * end: writes never wait (they are synchronous imports).
 */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** A listening socket handed to the guest. */
export class TcpListener {
  readonly server: Server;
  #queue: Socket[] = [];
  #waiters: (() => void)[] = [];
  #acceptWait: Promise<void> | null = null;
  #closed = false;

  constructor(server: Server) {
    this.server = server;
    server.on('connection', (socket: Socket) => {
      // Node accepts every connection at once, past the kernel's backlog: a flood of
      // clients would hold host descriptors without end while the guest does not accept.
      // Past a listen(2)-like backlog, new ones are closed.
      if (this.#queue.length >= MAX_PENDING_CONNECTIONS) {
        socket.destroy();
        return;
      }
      socket.pause(); // nothing is read until the guest accepts it
      this.#queue.push(socket);
      this.#wake();
    });
    server.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#acceptWait = null;
    for (const w of waiters) w();
  }

  /** A queued connection, or null when none is waiting. */
  accept(): TcpConnection | null {
    const socket = this.#queue.shift();
    return socket ? new TcpConnection(socket) : null;
  }

  pending(): number {
    return this.#queue.length;
  }

  /** Settles when a connection is queued (or the socket closed). */
  whenReady(): Promise<void> | null {
    if (this.#queue.length > 0 || this.#closed) return null;
    // One promise shared until it settles: a guest polling with a short timeout in a loop
    // would otherwise leave a waiter behind on every call, without bound.
    return (this.#acceptWait ??= new Promise((resolve) => this.#waiters.push(resolve)));
  }

  close(): void {
    for (const s of this.#queue) s.destroy();
    this.#queue = [];
    this.server.close();
  }
}

/** An accepted connection: bytes arrive into a queue; writes go out through Node's buffer. */
export class TcpConnection implements InputStream, OutputStream {
  readonly isTerminal = false;
  readonly socket: Socket;
  #chunks: Uint8Array[] = [];
  /** Bytes in #chunks. */
  #queued = 0;
  #readClosed = false;
  #eof = false;
  #error: WasiError | null = null;
  #waiters: (() => void)[] = [];
  #readWait: Promise<void> | null = null;
  #writeWait: Promise<void> | null = null;
  #writeClosed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      this.#queued += chunk.length;
      if (this.#queued >= MAX_QUEUED_BYTES) socket.pause(); // resumed as the guest reads
      this.#wake();
    });
    socket.on('end', () => {
      this.#eof = true;
      this.#wake();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.#error = new WasiError(e.code === 'EPIPE' ? 'pipe' : 'connreset');
      this.#eof = true;
      this.#wake();
    });
    socket.on('close', () => {
      this.#eof = true;
      this.#wake();
    });
    socket.resume();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#readWait = null;
    for (const w of waiters) w();
  }

  available(): number {
    return this.#queued;
  }

  /** Copies queued bytes into `into` (consuming them unless `peek`); 0 means end of stream. */
  take(into: Uint8Array, peek = false): number {
    let n = 0;
    let i = 0;
    while (n < into.length && i < this.#chunks.length) {
      const c = this.#chunks[i]!;
      const k = Math.min(c.length, into.length - n);
      into.set(c.subarray(0, k), n);
      n += k;
      if (!peek) {
        if (k === c.length) this.#chunks.shift();
        else this.#chunks[i] = c.subarray(k);
        this.#queued -= k;
      } else i++;
    }
    if (this.#queued < MAX_QUEUED_BYTES && !this.#readClosed && this.socket.isPaused()) this.socket.resume();
    return n;
  }

  /** Whether a read now would return at once (data, end of stream or an error). */
  get readable(): boolean {
    return this.#chunks.length > 0 || this.#eof;
  }

  readSync(into: Uint8Array): number {
    if (this.#chunks.length > 0) return this.take(into);
    if (this.#error) throw this.#error;
    if (this.#eof || into.length === 0) return 0;
    throw new WasiError('again'); // the event loop cannot deliver data to a synchronous caller
  }

  readAsync(into: Uint8Array): number | Promise<number> {
    if (this.readable || into.length === 0) return this.readSync(into);
    return (this.whenReadable() as Promise<void>).then(() => this.readSync(into));
  }

  whenReadable(): Promise<void> | null {
    if (this.readable) return null;
    // Shared until it settles (see TcpListener.whenReady).
    return (this.#readWait ??= new Promise((resolve) => this.#waiters.push(resolve)));
  }

  /** For poll_oneoff: null when a write would take something now, else a promise settled when it may. */
  whenWritable(): Promise<void> | null {
    if (this.socket.writableLength < MAX_QUEUED_BYTES || this.socket.destroyed || this.#writeClosed) return null;
    // Shared until it settles: one pair of listeners, however often the guest polls.
    return (this.#writeWait ??= new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        this.#writeWait = null;
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    }));
  }

  write(data: Uint8Array): number {
    if (this.#writeClosed || this.socket.destroyed) throw new WasiError('pipe');
    if (this.#error) throw this.#error;
    // Node's socket buffers what the peer has not taken yet: the write never blocks, and
    // takes only what fits under MAX_QUEUED_BYTES (a short write; 'again' when full).
    if (data.length === 0) return 0;
    const room = MAX_QUEUED_BYTES - this.socket.writableLength;
    if (room <= 0) throw new WasiError('again');
    const n = Math.min(room, data.length);
    this.socket.write(data.slice(0, n));
    return n;
  }

  shutdown(read: boolean, write: boolean): void {
    if (write && !this.#writeClosed) {
      this.#writeClosed = true;
      this.socket.end();
    }
    if (read) {
      this.#chunks = [];
      this.#queued = 0;
      this.#readClosed = true;
      this.#eof = true;
      this.socket.pause();
      this.#wake();
    }
  }

  close(): void {
    // Let queued output reach the peer, then close.
    if (!this.#writeClosed) this.socket.end();
    this.socket.destroySoon();
  }
}
