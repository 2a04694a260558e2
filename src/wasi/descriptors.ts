// WASI preview1 file descriptors: what each number stands for (a file, a directory, a
// standard stream, a socket), its rights (base and inheriting) and flags, and the table
// that hands out the numbers (lowest free first, like POSIX).

import { WasiError } from './errno.ts';
import type { DirEntry, Directory, File } from './fs/types.ts';
import type { TcpConnection, TcpListener } from './sockets.ts';
import type { InputStream, OutputStream } from './streams.ts';

/**
 * An open directory handle shared by the descriptors that refer to it (path_open of "."
 * gives a second descriptor on the same handle); closed when the last one lets go.
 */
export class DirRef {
  readonly dir: Directory;
  #refs = 1;
  #release: () => void;
  constructor(dir: Directory, release: () => void) {
    this.dir = dir;
    this.#release = release;
  }
  retain(): DirRef {
    this.#refs++;
    return this;
  }
  drop(): void {
    if (--this.#refs === 0) this.#release();
  }
}

interface Common {
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** `fdflags` as the guest set them (append, nonblock…). */
  flags: number;
}

export interface FileDescriptor extends Common {
  readonly kind: 'file';
  readonly file: File;
  position: bigint;
}

export interface DirDescriptor extends Common {
  readonly kind: 'dir';
  readonly ref: DirRef;
  /** The guest path of a preopened directory (fd_prestat_*), else null. */
  readonly preopen: string | null;
  /** fd_readdir's snapshot of the entries, taken at cookie 0. */
  entries: DirEntry[] | null;
}

export interface StreamDescriptor extends Common {
  readonly kind: 'stream';
  readonly input: InputStream | null;
  readonly output: OutputStream | null;
}

export interface ListenerDescriptor extends Common {
  readonly kind: 'listener';
  readonly listener: TcpListener;
}

export interface SocketDescriptor extends Common {
  readonly kind: 'socket';
  readonly connection: TcpConnection;
}

export type Descriptor = FileDescriptor | DirDescriptor | StreamDescriptor | ListenerDescriptor | SocketDescriptor;

export class DescriptorTable {
  #slots: (Descriptor | undefined)[] = [];
  #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The descriptor `fd`; 'badf' if it is not open. */
  get(fd: number): Descriptor {
    const d = this.#slots[fd >>> 0];
    if (d === undefined) throw new WasiError('badf');
    return d;
  }

  /** The descriptor `fd`, which must hold all of `rights` ('notcapable' otherwise). */
  withRights(fd: number, rights: bigint): Descriptor {
    const d = this.get(fd);
    if ((d.rightsBase & rights) !== rights) throw new WasiError('notcapable');
    return d;
  }

  has(fd: number): boolean {
    return this.#slots[fd >>> 0] !== undefined;
  }

  /** Throws 'mfile' when no number is free (checked before opening anything). */
  checkRoom(): void {
    let fd = 0;
    while (fd < this.#slots.length && this.#slots[fd] !== undefined) fd++;
    if (fd >= this.#limit) throw new WasiError('mfile');
  }

  /** Places `d` at the lowest free number; 'mfile' when the table is full. */
  add(d: Descriptor): number {
    let fd = 0;
    while (fd < this.#slots.length && this.#slots[fd] !== undefined) fd++;
    if (fd >= this.#limit) throw new WasiError('mfile');
    this.#slots[fd] = d;
    return fd;
  }

  /** Places `d` at `fd` (only while setting up the context). */
  set(fd: number, d: Descriptor): void {
    this.#slots[fd] = d;
  }

  /** Takes `fd` out of the table without closing it. */
  take(fd: number): Descriptor {
    const d = this.get(fd);
    this.#slots[fd >>> 0] = undefined;
    while (this.#slots.length > 0 && this.#slots[this.#slots.length - 1] === undefined) this.#slots.pop();
    return d;
  }

  /** Every open descriptor with its number. */
  *entries(): IterableIterator<[number, Descriptor]> {
    for (let fd = 0; fd < this.#slots.length; fd++) {
      const d = this.#slots[fd];
      if (d) yield [fd, d];
    }
  }
}

/** Releases what a descriptor holds. */
export function closeDescriptor(d: Descriptor): void {
  switch (d.kind) {
    case 'file':
      d.file.close();
      break;
    case 'dir':
      d.ref.drop();
      break;
    case 'stream':
      d.input?.close();
      d.output?.close();
      break;
    case 'listener':
      d.listener.close();
      break;
    case 'socket':
      d.connection.close();
      break;
  }
}
