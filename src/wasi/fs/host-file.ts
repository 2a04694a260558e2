// WASI preview1 host file system: an open host file behind the File interface (types.ts),
// opened by a HostDirectory (host.ts) and used through its descriptor only.

import * as nodeFs from 'node:fs';
import { WasiError } from '../errno.ts';
import { byDescriptor, C, host, procTarget, READ_ONLY_ERRNO, toFileStat } from './host-io.ts';
import { setTimesExactly } from './host-times.ts';
import type { FileStat, File, TimeSpec } from './types.ts';

/** How a name in a held directory becomes a host path (see host.ts). */
export type HostResolution = 'proc-fd' | 'path';

const MAX_OFFSET = 2n ** 63n - 1n;

/**
 * The most bytes one read or write moves, as Linux's MAX_RW_COUNT: a larger request is a
 * short transfer, as read(2) and write(2) make it. Node refuses lengths past 2^31 - 1
 * outright (ERR_OUT_OF_RANGE), which a guest with more than 2 GiB of memory would see as
 * 'inval' for an ordinary large read.
 */
const MAX_RW = 0x7ffff000;

export class HostFile implements File {
  readonly kind = 'file';
  /** True when this handle cannot write (opened without write, or from a read-only grant). */
  readonly readOnly: boolean;
  #fd: number;
  /** A second descriptor opened with O_APPEND on first `append` ('proc-fd' only). */
  #appendFd = -1;
  readonly #readable: boolean;
  readonly #writable: boolean;
  readonly #grantReadOnly: boolean;
  readonly #resolution: HostResolution;

  constructor(fd: number, readable: boolean, writable: boolean, grantReadOnly: boolean, resolution: HostResolution) {
    this.#fd = fd;
    this.#readable = readable;
    this.#writable = writable;
    this.#grantReadOnly = grantReadOnly;
    this.#resolution = resolution;
    this.readOnly = !writable;
  }

  private fd(): number {
    if (this.#fd < 0) throw new WasiError('badf', 'file handle closed');
    return this.#fd;
  }

  private forWriting(): number {
    const fd = this.fd();
    if (!this.#writable) throw new WasiError('badf', 'not open for writing');
    return fd;
  }

  stat(): FileStat {
    const fd = this.fd();
    return toFileStat(host('stat', () => nodeFs.fstatSync(fd, { bigint: true })));
  }

  read(into: Uint8Array, position: bigint): number {
    const fd = this.fd();
    if (!this.#readable) throw new WasiError('badf', 'not open for reading');
    if (position < 0n || position > MAX_OFFSET) throw new WasiError('inval', 'bad offset');
    if (into.length === 0) return 0;
    return host('read', () => nodeFs.readSync(fd, into, 0, Math.min(into.length, MAX_RW), position));
  }

  write(data: Uint8Array, position: bigint): number {
    const fd = this.forWriting();
    if (position < 0n) throw new WasiError('inval', 'negative offset');
    // Node's writeSync ignores a bigint position (it writes at the current offset), so
    // the position must be a number, and exact.
    if (position + BigInt(data.length) > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError('fbig', 'file too large');
    if (data.length === 0) return 0;
    return host('write', () => nodeFs.writeSync(fd, data, 0, Math.min(data.length, MAX_RW), Number(position)));
  }

  append(data: Uint8Array): number {
    const fd = this.forWriting();
    if (data.length === 0) return 0;
    if (this.#resolution === 'path') {
      // No way to reopen the same file here: find the end and write there (not atomic
      // against other writers, unlike O_APPEND).
      const size = host('stat', () => nodeFs.fstatSync(fd, { bigint: true }).size);
      return this.write(data, size);
    }
    if (this.#appendFd < 0) {
      // Reopening through the magic link yields the same file, even if since unlinked.
      this.#appendFd = host('open', () => nodeFs.openSync(`/proc/self/fd/${fd}`, C.O_WRONLY | C.O_APPEND));
    }
    const appendFd = this.#appendFd;
    return host('write', () => nodeFs.writeSync(appendFd, data, 0, Math.min(data.length, MAX_RW), null));
  }

  setSize(size: bigint): void {
    const fd = this.fd();
    if (!this.#writable) throw new WasiError('inval', 'not open for writing'); // as ftruncate(2)
    if (size < 0n) throw new WasiError('inval', 'negative size');
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError('fbig', 'file too large');
    host('set size', () => nodeFs.ftruncateSync(fd, Number(size)));
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    const fd = this.fd();
    if (this.#grantReadOnly) throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
    host('set times', () => setTimesExactly(byDescriptor(fd), atim, mtim, this.#resolution === 'proc-fd' ? procTarget(fd) : null));
  }

  /**
   * posix_fallocate is not in Node: the file is extended with ftruncate when the range
   * ends past its size (a sparse extension, not a reservation of blocks).
   */
  allocate(offset: bigint, length: bigint): void {
    const fd = this.forWriting();
    if (offset < 0n || length <= 0n) throw new WasiError('inval', 'bad range');
    const end = offset + length;
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError('fbig', 'file too large');
    host('allocate', () => {
      if (nodeFs.fstatSync(fd, { bigint: true }).size < end) nodeFs.ftruncateSync(fd, Number(end));
    });
  }

  sync(): void {
    const fd = this.fd();
    host('sync', () => nodeFs.fsyncSync(fd));
  }

  datasync(): void {
    const fd = this.fd();
    host('datasync', () => nodeFs.fdatasyncSync(fd));
  }

  close(): void {
    if (this.#fd < 0) return;
    for (const fd of [this.#fd, this.#appendFd]) {
      if (fd < 0) continue;
      try {
        nodeFs.closeSync(fd);
      } catch {
        // the handle is gone either way
      }
    }
    this.#fd = this.#appendFd = -1;
  }
}
