// The in-memory file system's inodes (memory.ts): files, directories and symbolic links,
// and the table that numbers them and keeps their bytes within the configured limits.

import { WasiError } from '../errno.ts';
import { utf8Length } from './names.ts';

/** Largest file size and offset: exact as a JavaScript number. */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;

let nextDeviceId = 1n;

export abstract class Inode {
  readonly ino: bigint;
  nlink = 1;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  constructor(ino: bigint, now: bigint) {
    this.ino = ino;
    this.atim = this.mtim = this.ctim = now;
  }
}

export class FileInode extends Inode {
  readonly kind = 'file';
  /** Bytes beyond `size` are always zero. */
  data = new Uint8Array(0);
  size = 0;
  openHandles = 0;
}

export class DirectoryInode extends Inode {
  readonly kind = 'directory';
  readonly entries = new Map<string, AnyInode>();
  /** null for the root and for removed directories. */
  parent: DirectoryInode | null = null;
  removed = false;
  constructor(ino: bigint, now: bigint) {
    super(ino, now);
    this.nlink = 2;
  }
}

export class LinkInode extends Inode {
  readonly kind = 'symbolic-link';
  readonly target: string;
  constructor(ino: bigint, now: bigint, target: string) {
    super(ino, now);
    this.target = target;
  }
}

export type AnyInode = FileInode | DirectoryInode | LinkInode;

export interface InodeLimits {
  readonly maxBytes: number;
  readonly maxInodes: number;
  readonly clock: () => bigint;
}

/** Numbers inodes, stamps times and accounts for bytes; one per file system. */
export class InodeTable {
  readonly dev = nextDeviceId++;
  readonly maxBytes: number;
  readonly maxInodes: number;
  readonly clock: () => bigint;
  #usedBytes = 0;
  #inodes = 0;
  #nextIno = 1n;

  constructor(limits: InodeLimits) {
    this.maxBytes = limits.maxBytes;
    this.maxInodes = limits.maxInodes;
    this.clock = limits.clock;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  now(): bigint {
    return this.clock();
  }

  /** Reserves `bytes` (negative releases) or throws 'nospc'. */
  charge(bytes: number): void {
    if (bytes > 0 && this.#usedBytes + bytes > this.maxBytes) throw new WasiError('nospc', 'file system full');
    this.#usedBytes += bytes;
  }

  private newIno(): bigint {
    if (this.#inodes >= this.maxInodes) throw new WasiError('nospc', 'no inodes left');
    this.#inodes++;
    return this.#nextIno++;
  }

  newFile(): FileInode {
    return new FileInode(this.newIno(), this.now());
  }

  newDirectory(): DirectoryInode {
    return new DirectoryInode(this.newIno(), this.now());
  }

  newLink(target: string): LinkInode {
    const bytes = utf8Length(target);
    this.charge(bytes);
    try {
      return new LinkInode(this.newIno(), this.now(), target);
    } catch (error) {
      this.charge(-bytes);
      throw error;
    }
  }

  /** Frees an inode whose last link and handle are gone. */
  release(inode: AnyInode): void {
    if (inode.nlink > 0) return;
    if (inode.kind === 'file') {
      if (inode.openHandles > 0) return;
      this.charge(-inode.size);
      inode.data = new Uint8Array(0);
      inode.size = 0;
    } else if (inode.kind === 'symbolic-link') {
      this.charge(-utf8Length(inode.target));
    }
    this.#inodes--;
  }
}

