// The byte streams behind stdin, stdout and stderr (WASI preview1 fd 0–2): host file
// descriptors, read and written as the guest asks (streamed, never buffered to the end),
// or in-memory sources and sinks for embedders and tests.

import { read as readAsyncFd, readSync, writeSync, writevSync } from 'node:fs';
import { WasiError } from './errno.ts';

/** Where a guest reads from: fd 0, or a socket. */
export interface InputStream {
  /** Reads what is available, blocking the thread if need be; 0 at end of input. */
  readSync(into: Uint8Array): number;
  /** Reads without blocking the thread: waits on the event loop when nothing is available. */
  readAsync(into: Uint8Array): number | Promise<number>;
  /** For poll_oneoff: null when a read would not wait, else a promise settled when it would not. */
  whenReadable(): Promise<void> | null;
  /** Bytes that can be read without waiting (0 when unknown). */
  available(): number;
  readonly isTerminal: boolean;
  close(): void;
}

/** Where a guest writes to: fd 1 and 2, or a socket. */
export interface OutputStream {
  /** Writes all of `data` (a view of guest memory: copy it if kept); returns its length. */
  write(data: Uint8Array): number;
  /** Writes several pieces at once (one system call for fd_write's iovecs), if it can. */
  writev?(chunks: readonly Uint8Array[]): number;
  readonly isTerminal: boolean;
  close(): void;
}

/**
 * Writes the pieces in order until one is taken short (a socket's full queue): the bytes
 * after a short piece must not go out before the rest of it. An error after some bytes
 * went out reports those bytes, as write(2) does; the error comes on the next call.
 */
export function writeAll(output: OutputStream, iovs: readonly Uint8Array[]): number {
  let total = 0;
  for (const iov of iovs) {
    let n: number;
    try {
      n = output.write(iov);
    } catch (e) {
      if (total > 0 && e instanceof WasiError) return total;
      throw e;
    }
    total += n;
    if (n < iov.length) break;
  }
  return total;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The most bytes one host write moves (Linux's MAX_RW_COUNT; Node takes at most 2^31 - 1). */
const MAX_RW = 0x7ffff000;

/** Blocks the thread for `ms` milliseconds (used only where a synchronous wait is the design). */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

function isAgain(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Maps a host error of a stream to the errno the guest sees. */
function streamErrno(e: unknown): WasiError {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EPIPE':
      return new WasiError('pipe');
    case 'EBADF':
      return new WasiError('badf');
    case 'EISDIR':
      return new WasiError('isdir');
    case 'ECONNRESET':
      return new WasiError('connreset');
    default:
      return new WasiError('io');
  }
}

/** An input stream on a host file descriptor (normally 0). */
export class HostInput implements InputStream {
  readonly isTerminal: boolean;
  #fd: number;
  #leftover: Uint8Array = new Uint8Array(0);
  #eof = false;
  #pending: Promise<void> | null = null;

  constructor(fd: number, isTerminal: boolean) {
    this.#fd = fd;
    this.isTerminal = isTerminal;
  }

  #takeLeftover(into: Uint8Array): number {
    const n = Math.min(into.length, this.#leftover.length);
    into.set(this.#leftover.subarray(0, n));
    this.#leftover = this.#leftover.subarray(n);
    return n;
  }

  readSync(into: Uint8Array): number {
    if (this.#leftover.length > 0) return this.#takeLeftover(into);
    if (this.#eof || into.length === 0) return 0;
    if (this.#pending) throw new WasiError('again'); // an asynchronous read is in flight
    for (;;) {
      try {
        const n = readSync(this.#fd, into, 0, into.length, null);
        if (n === 0) this.#eof = true;
        return n;
      } catch (e) {
        // A non-blocking pipe (Node makes some so): wait a little and try again.
        if (isAgain(e)) sleepSync(5);
        else if ((e as NodeJS.ErrnoException).code === 'EOF') return 0;
        else throw streamErrno(e);
      }
    }
  }

  #fill(): Promise<void> {
    if (this.#pending) return this.#pending;
    this.#pending = new Promise<void>((resolve) => {
      const buffer = new Uint8Array(65536);
      const attempt = () =>
        readAsyncFd(this.#fd, buffer, 0, buffer.length, null, (err, n) => {
          if (err && isAgain(err)) return void setTimeout(attempt, 5);
          this.#pending = null;
          if (err || n === 0) this.#eof = true;
          else this.#leftover = buffer.subarray(0, n);
          resolve();
        });
      attempt();
    });
    return this.#pending;
  }

  readAsync(into: Uint8Array): number | Promise<number> {
    if (this.#leftover.length > 0) return this.#takeLeftover(into);
    if (this.#eof || into.length === 0) return 0;
    return this.#fill().then(() => this.#takeLeftover(into));
  }

  whenReadable(): Promise<void> | null {
    return this.#leftover.length > 0 || this.#eof ? null : this.#fill();
  }

  available(): number {
    return this.#leftover.length;
  }

  /** Whether a read is still waiting for the host (the process must not wait for it at exit). */
  get reading(): boolean {
    return this.#pending !== null;
  }

  close(): void {}
}

/** An input stream over bytes held in memory. */
export class MemoryInput implements InputStream {
  readonly isTerminal = false;
  #data: Uint8Array;
  #at = 0;
  constructor(data: Uint8Array | string) {
    this.#data = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  }
  readSync(into: Uint8Array): number {
    const n = Math.min(into.length, this.#data.length - this.#at);
    into.set(this.#data.subarray(this.#at, this.#at + n));
    this.#at += n;
    return n;
  }
  readAsync(into: Uint8Array): number {
    return this.readSync(into);
  }
  whenReadable(): null {
    return null;
  }
  available(): number {
    return this.#data.length - this.#at;
  }
  close(): void {}
}

/** An output stream on a host file descriptor (1 or 2): each write goes out at once. */
export class HostOutput implements OutputStream {
  readonly isTerminal: boolean;
  #fd: number;
  constructor(fd: number, isTerminal: boolean) {
    this.#fd = fd;
    this.isTerminal = isTerminal;
  }
  writev(chunks: readonly Uint8Array[]): number {
    let total = 0;
    for (const c of chunks) total += c.length;
    // libuv reports a writev of more than 2^31 - 1 bytes as a bogus error: piece by piece then.
    if (total > MAX_RW) {
      for (const c of chunks) this.write(c);
      return total;
    }
    let done: number;
    for (;;) {
      try {
        done = writevSync(this.#fd, chunks as Uint8Array[]);
        break;
      } catch (e) {
        if (isAgain(e)) sleepSync(1);
        else throw streamErrno(e);
      }
    }
    // A short write (a full pipe): the rest piece by piece.
    for (const c of chunks) {
      if (done >= c.length) done -= c.length;
      else {
        this.write(c.subarray(done));
        done = 0;
      }
    }
    return total;
  }

  write(data: Uint8Array): number {
    let done = 0;
    while (done < data.length) {
      try {
        // Without offset and length when writing all: measurably faster in Node.js 24.
        // At most MAX_RW at once: Node refuses longer writes (ERR_OUT_OF_RANGE).
        done += done === 0 && data.length <= MAX_RW ? writeSync(this.#fd, data) : writeSync(this.#fd, data, done, Math.min(data.length - done, MAX_RW));
      } catch (e) {
        // A non-blocking pipe whose reader is slow: wait for it to drain.
        if (isAgain(e)) sleepSync(1);
        else throw streamErrno(e);
      }
    }
    return data.length;
  }
  close(): void {}
}

/** An output stream handing each write (copied) to a function. */
export class CallbackOutput implements OutputStream {
  readonly isTerminal = false;
  #sink: (chunk: Uint8Array) => void;
  constructor(sink: (chunk: Uint8Array) => void) {
    this.#sink = sink;
  }
  write(data: Uint8Array): number {
    if (data.length > 0) this.#sink(data.slice());
    return data.length;
  }
  close(): void {}
}

/** An output stream that collects what is written (for tests and embedders). */
export class MemoryOutput implements OutputStream {
  readonly isTerminal = false;
  readonly chunks: Uint8Array[] = [];
  write(data: Uint8Array): number {
    if (data.length > 0) this.chunks.push(data.slice());
    return data.length;
  }
  /** Everything written so far. */
  bytes(): Uint8Array {
    const all = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
  close(): void {}
}

/** An input that is always at its end (the default stdin: nothing is granted). */
export const EMPTY_INPUT: InputStream = new MemoryInput(new Uint8Array(0));

/** An output that discards everything (the default stdout and stderr). */
export const NULL_OUTPUT: OutputStream = { isTerminal: false, write: (d) => d.length, close() {} };
