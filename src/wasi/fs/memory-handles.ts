// The in-memory file system's handles (memory.ts): MemoryDirectory and MemoryFile, the
// Directory and File interfaces of types.ts on the inodes of memory-inodes.ts.

import { WasiError } from '../errno.ts';
import { MAX_FILE_SIZE, type AnyInode, type DirectoryInode, type FileInode, type InodeTable } from './memory-inodes.ts';
import { checkLinkTarget, checkName, utf8Length } from './names.ts';
import type { DirEntry, Directory, File, FileStat, FileType, OpenFileOptions, TimeSpec } from './types.ts';

const READ_ONLY_ERRNO = 'rofs';

function statOf(fs: InodeTable, inode: AnyInode): FileStat {
  let size: bigint;
  if (inode.kind === 'file') size = BigInt(inode.size);
  else if (inode.kind === 'symbolic-link') size = BigInt(utf8Length(inode.target));
  else size = 0n;
  return {
    dev: fs.dev,
    ino: inode.ino,
    type: inode.kind === 'file' ? 'regular-file' : inode.kind,
    nlink: BigInt(inode.nlink),
    size,
    atim: inode.atim,
    mtim: inode.mtim,
    ctim: inode.ctim,
  };
}

function setTimes(fs: InodeTable, inode: AnyInode, atim: TimeSpec, mtim: TimeSpec): void {
  const now = fs.now();
  if (atim !== undefined) inode.atim = atim === 'now' ? now : atim;
  if (mtim !== undefined) inode.mtim = mtim === 'now' ? now : mtim;
  inode.ctim = now;
}

export class MemoryDirectory implements Directory {
  readonly kind = 'directory';
  readonly readOnly: boolean;
  readonly #fs: InodeTable;
  readonly #node: DirectoryInode;
  #closed = false;

  constructor(fs: InodeTable, node: DirectoryInode, readOnly: boolean) {
    this.#fs = fs;
    this.#node = node;
    this.readOnly = readOnly;
  }

  private open(): DirectoryInode {
    if (this.#closed) throw new WasiError('badf', 'directory handle closed');
    return this.#node;
  }

  private writable(): DirectoryInode {
    const node = this.open();
    if (this.readOnly) throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
    return node;
  }

  /** The directory inode, for links and renames within one file system. */
  private static inodeOf(dir: Directory, fs: InodeTable): DirectoryInode {
    if (!(dir instanceof MemoryDirectory) || dir.#fs !== fs) throw new WasiError('xdev', 'another file system');
    return dir.writable();
  }

  /** Adds `name` → `inode` to a live directory, charging the name. */
  private addEntry(node: DirectoryInode, name: string, inode: AnyInode): void {
    if (node.removed) throw new WasiError('noent', 'directory removed');
    this.#fs.charge(utf8Length(name));
    node.entries.set(name, inode);
    node.mtim = node.ctim = this.#fs.now();
  }

  private removeEntry(node: DirectoryInode, name: string): void {
    node.entries.delete(name);
    this.#fs.charge(-utf8Length(name));
    node.mtim = node.ctim = this.#fs.now();
  }

  private lookup(name: string): AnyInode {
    checkName(name);
    const inode = this.open().entries.get(name);
    if (inode === undefined) throw new WasiError('noent', 'no such entry');
    return inode;
  }

  stat(): FileStat {
    return statOf(this.#fs, this.open());
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    setTimes(this.#fs, this.writable(), atim, mtim);
  }

  sync(): void {
    this.open();
  }

  close(): void {
    this.#closed = true;
  }

  entries(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, inode] of this.open().entries) {
      out.push({ name, type: inode.kind === 'file' ? 'regular-file' : inode.kind, ino: inode.ino });
    }
    return out;
  }

  statAt(name: string): FileStat {
    return statOf(this.#fs, this.lookup(name));
  }

  typeAt(name: string): FileType | null {
    checkName(name);
    const inode = this.open().entries.get(name);
    if (inode === undefined) return null;
    return inode.kind === 'file' ? 'regular-file' : inode.kind;
  }

  openDirectory(name: string): Directory {
    const inode = this.lookup(name);
    if (inode.kind !== 'directory') throw new WasiError('notdir', 'not a directory');
    return new MemoryDirectory(this.#fs, inode, this.readOnly);
  }

  openFile(name: string, options: OpenFileOptions): File {
    checkName(name);
    const node = this.open();
    const mutates = options.write === true || options.create === true || options.truncate === true;
    if (mutates && this.readOnly) throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
    let inode = node.entries.get(name);
    if (inode === undefined) {
      if (!options.create) throw new WasiError('noent', 'no such file');
      if (node.removed) throw new WasiError('noent', 'directory removed');
      const file = this.#fs.newFile();
      try {
        this.addEntry(node, name, file);
      } catch (error) {
        file.nlink = 0;
        this.#fs.release(file);
        throw error;
      }
      inode = file;
    } else {
      if (options.create && options.exclusive) throw new WasiError('exist', 'file exists');
      if (inode.kind === 'symbolic-link') throw new WasiError('loop', 'symbolic link');
      if (inode.kind === 'directory') throw new WasiError('isdir', 'is a directory');
      if (options.truncate && inode.size > 0) {
        this.#fs.charge(-inode.size);
        inode.data = new Uint8Array(0);
        inode.size = 0;
        inode.mtim = inode.ctim = this.#fs.now();
      }
    }
    return new MemoryFile(this.#fs, inode, options.read ?? false, options.write ?? false, this.readOnly);
  }

  readlink(name: string): string {
    const inode = this.lookup(name);
    if (inode.kind !== 'symbolic-link') throw new WasiError('inval', 'not a symbolic link');
    return inode.target;
  }

  createDirectory(name: string): void {
    checkName(name);
    const node = this.writable();
    if (node.entries.has(name)) throw new WasiError('exist', 'exists');
    if (node.removed) throw new WasiError('noent', 'directory removed');
    const child = this.#fs.newDirectory();
    try {
      this.addEntry(node, name, child);
    } catch (error) {
      child.nlink = 0;
      this.#fs.release(child);
      throw error;
    }
    child.parent = node;
    node.nlink++;
  }

  removeDirectory(name: string): void {
    checkName(name);
    const node = this.writable();
    const inode = this.lookup(name);
    if (inode.kind !== 'directory') throw new WasiError('notdir', 'not a directory');
    if (inode.entries.size > 0) throw new WasiError('notempty', 'directory not empty');
    this.removeEntry(node, name);
    node.nlink--;
    inode.removed = true;
    inode.parent = null;
    inode.nlink = 0;
    inode.ctim = this.#fs.now();
    this.#fs.release(inode);
  }

  unlinkFile(name: string): void {
    checkName(name);
    const node = this.writable();
    const inode = this.lookup(name);
    if (inode.kind === 'directory') throw new WasiError('isdir', 'is a directory');
    this.removeEntry(node, name);
    inode.nlink--;
    inode.ctim = this.#fs.now();
    this.#fs.release(inode);
  }

  symlink(target: string, name: string): void {
    checkName(name);
    checkLinkTarget(target);
    this.addLink(name, target);
  }

  /** @internal symlink without the guest's target checks (the embedder's builder). */
  addLink(name: string, target: string): void {
    checkName(name);
    const node = this.writable();
    if (node.entries.has(name)) throw new WasiError('exist', 'exists');
    if (node.removed) throw new WasiError('noent', 'directory removed');
    const link = this.#fs.newLink(target);
    try {
      this.addEntry(node, name, link);
    } catch (error) {
      link.nlink = 0;
      this.#fs.release(link);
      throw error;
    }
  }

  link(name: string, toDir: Directory, toName: string): void {
    checkName(name);
    checkName(toName);
    this.writable();
    const target = MemoryDirectory.inodeOf(toDir, this.#fs);
    const inode = this.lookup(name);
    if (inode.kind === 'directory') throw new WasiError('perm', 'hard link to a directory');
    if (target.entries.has(toName)) throw new WasiError('exist', 'exists');
    this.addEntry(target, toName, inode);
    inode.nlink++;
    inode.ctim = this.#fs.now();
  }

  rename(name: string, toDir: Directory, toName: string): void {
    checkName(name);
    checkName(toName);
    const from = this.writable();
    const to = MemoryDirectory.inodeOf(toDir, this.#fs);
    const inode = this.lookup(name);
    if (to.removed) throw new WasiError('noent', 'directory removed');
    if (inode.kind === 'directory') {
      for (let d: DirectoryInode | null = to; d !== null; d = d.parent) {
        if (d === inode) throw new WasiError('inval', 'directory moved into itself');
      }
    }
    const existing = to.entries.get(toName);
    if (existing === inode) return; // the same file under both names: POSIX says do nothing
    if (existing !== undefined) {
      if (inode.kind === 'directory') {
        if (existing.kind !== 'directory') throw new WasiError('notdir', 'not a directory');
        if (existing.entries.size > 0) throw new WasiError('notempty', 'directory not empty');
      } else if (existing.kind === 'directory') {
        throw new WasiError('isdir', 'is a directory');
      }
    }
    // Reserve the new name first, so that 'nospc' leaves the tree as it was.
    const nameBytes = utf8Length(toName);
    this.#fs.charge(nameBytes);
    const now = this.#fs.now();
    if (existing !== undefined) {
      to.entries.delete(toName);
      this.#fs.charge(-nameBytes);
      if (existing.kind === 'directory') {
        to.nlink--;
        existing.removed = true;
        existing.parent = null;
        existing.nlink = 0;
      } else {
        existing.nlink--;
      }
      existing.ctim = now;
      this.#fs.release(existing);
    }
    from.entries.delete(name);
    this.#fs.charge(-utf8Length(name));
    to.entries.set(toName, inode);
    from.mtim = from.ctim = to.mtim = to.ctim = now;
    if (inode.kind === 'directory') {
      from.nlink--;
      to.nlink++;
      inode.parent = to;
    }
    inode.ctim = now;
  }

  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    checkName(name);
    this.writable();
    setTimes(this.#fs, this.lookup(name), atim, mtim);
  }
}

class MemoryFile implements File {
  readonly kind = 'file';
  /** True when this handle cannot write (opened without write, or from a read-only grant). */
  readonly readOnly: boolean;
  readonly #fs: InodeTable;
  readonly #node: FileInode;
  readonly #readable: boolean;
  readonly #writable: boolean;
  readonly #grantReadOnly: boolean;
  #closed = false;

  constructor(fs: InodeTable, node: FileInode, readable: boolean, writable: boolean, grantReadOnly: boolean) {
    this.#fs = fs;
    this.#node = node;
    this.#readable = readable;
    this.#writable = writable;
    this.#grantReadOnly = grantReadOnly;
    this.readOnly = !writable;
    node.openHandles++;
  }

  private open(): FileInode {
    if (this.#closed) throw new WasiError('badf', 'file handle closed');
    return this.#node;
  }

  private forWriting(): FileInode {
    const node = this.open();
    if (!this.#writable) throw new WasiError('badf', 'not open for writing');
    return node;
  }

  /** Grows the file to `size` bytes (zero-filled), charging the file system. */
  private grow(node: FileInode, size: number): void {
    if (size <= node.size) return;
    this.#fs.charge(size - node.size);
    if (size > node.data.length) {
      const capacity = Math.min(Math.max(size, node.data.length * 2, 64), this.#fs.maxBytes);
      const data = new Uint8Array(Math.max(capacity, size));
      data.set(node.data.subarray(0, node.size));
      node.data = data;
    }
    node.size = size;
  }

  stat(): FileStat {
    return statOf(this.#fs, this.open());
  }

  read(into: Uint8Array, position: bigint): number {
    const node = this.open();
    if (!this.#readable) throw new WasiError('badf', 'not open for reading');
    if (position < 0n) throw new WasiError('inval', 'negative offset');
    node.atim = this.#fs.now();
    if (position >= BigInt(node.size)) return 0;
    const start = Number(position);
    const count = Math.min(into.length, node.size - start);
    into.set(node.data.subarray(start, start + count));
    return count;
  }

  write(data: Uint8Array, position: bigint): number {
    const node = this.forWriting();
    if (position < 0n) throw new WasiError('inval', 'negative offset');
    if (position + BigInt(data.length) > BigInt(MAX_FILE_SIZE)) throw new WasiError('fbig', 'file too large');
    return this.writeAt(node, data, Number(position));
  }

  private writeAt(node: FileInode, data: Uint8Array, start: number): number {
    if (data.length === 0) return 0;
    this.grow(node, start + data.length);
    node.data.set(data, start);
    node.mtim = node.ctim = this.#fs.now();
    return data.length;
  }

  append(data: Uint8Array): number {
    const node = this.forWriting();
    if (node.size + data.length > MAX_FILE_SIZE) throw new WasiError('fbig', 'file too large');
    return this.writeAt(node, data, node.size);
  }

  setSize(size: bigint): void {
    const node = this.open();
    if (!this.#writable) throw new WasiError('inval', 'not open for writing'); // as Linux ftruncate
    if (size < 0n) throw new WasiError('inval', 'negative size');
    if (size > BigInt(MAX_FILE_SIZE)) throw new WasiError('fbig', 'file too large');
    const n = Number(size);
    if (n > node.size) this.grow(node, n);
    else if (n < node.size) {
      node.data.fill(0, n, node.size);
      this.#fs.charge(n - node.size);
      node.size = n;
    }
    node.mtim = node.ctim = this.#fs.now();
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    const node = this.open();
    if (this.#grantReadOnly) throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
    setTimes(this.#fs, node, atim, mtim);
  }

  allocate(offset: bigint, length: bigint): void {
    const node = this.forWriting();
    if (offset < 0n || length <= 0n) throw new WasiError('inval', 'bad range');
    const end = offset + length;
    if (end > BigInt(MAX_FILE_SIZE)) throw new WasiError('fbig', 'file too large');
    if (Number(end) > node.size) {
      this.grow(node, Number(end));
      node.mtim = node.ctim = this.#fs.now();
    }
  }

  sync(): void {
    this.open();
  }

  datasync(): void {
    this.open();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#node.openHandles--;
    this.#fs.release(this.#node);
  }
}
