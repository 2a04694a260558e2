// An in-memory file system behind the WASI preview1 Directory/File interface (types.ts):
// inodes, hard and symbolic links, POSIX rename and unlink semantics. Portable: no `node:`
// imports, so a guest can be given a virtual tree in any JavaScript engine. This file is
// the embedder's side (the builder API); memory-handles.ts and memory-inodes.ts the rest.
//
// Semantics follow Linux where the interface leaves a choice (the behaviour suite,
// test/wasi/fs/behaviour-*.ts, runs the same cases against the host file system):
// - a file unlinked while open keeps its data until its last handle closes;
// - rename replaces a file, or an empty directory; a directory into its own subtree is
//   'inval'; a directory over a file 'notdir'; a file over a directory 'isdir';
// - directories count 2 + subdirectories links; a removed directory has 0 and accepts no
//   new entries ('noent');
// - reads set atim; writes, truncation and allocation set mtim and ctim; entry changes
//   set the directory's mtim and ctim; link count and time changes set ctim.
// - sizes are bounded by `maxBytes` (file contents, link targets and entry names together)
//   and `maxInodes`: past them 'nospc'. Offsets past 2^53 are 'fbig'.

import { WasiError } from '../errno.ts';
import { MAX_FILE_SIZE, InodeTable, type DirectoryInode } from './memory-inodes.ts';
import { MemoryDirectory } from './memory-handles.ts';
import { resolvePath } from './resolve.ts';
import type { Directory, FileStat } from './types.ts';

export interface MemoryFileSystemOptions {
  /** Bytes of file contents, link targets and names together; default 256 MiB. */
  readonly maxBytes?: number;
  /** Files, directories and links together; default 100,000. */
  readonly maxInodes?: number;
  /** Nanoseconds since the Unix epoch; default `Date.now()` in ns. */
  readonly clock?: () => bigint;
}

/** Where an embedder's path starts; `/a/b` and `a/b` both name `a/b` under the root. */
type HostPath = string;

export class MemoryFileSystem {
  readonly #table: InodeTable;
  readonly #root: DirectoryInode;

  constructor(options: MemoryFileSystemOptions = {}) {
    this.#table = new InodeTable({
      maxBytes: Math.min(options.maxBytes ?? 256 * 1024 * 1024, MAX_FILE_SIZE),
      maxInodes: options.maxInodes ?? 100_000,
      clock: options.clock ?? (() => BigInt(Date.now()) * 1_000_000n),
    });
    this.#root = this.#table.newDirectory();
  }

  /** A handle on the root, for a WASI preopen; read-only handles refuse every mutation. */
  root(options: { readOnly?: boolean } = {}): Directory {
    return new MemoryDirectory(this.#table, this.#root, options.readOnly ?? false);
  }

  /** Bytes in use (contents, link targets, names). */
  get usedBytes(): number {
    return this.#table.usedBytes;
  }

  /** The limits it was made with. */
  get maxBytes(): number {
    return this.#table.maxBytes;
  }

  // ---- builder API for embedders (paths are relative to the root; '/' prefixes ignored) ----

  /** Creates or replaces a file, creating missing parent directories. */
  writeFile(path: HostPath, contents: Uint8Array | string): void {
    this.withParent(path, true, (dir, name) => {
      const file = dir.openFile(name, { write: true, create: true, truncate: true });
      try {
        const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
        file.write(bytes, 0n);
      } finally {
        file.close();
      }
    });
  }

  /** Creates a directory; with `recursive`, also its parents and no error if it exists. */
  mkdir(path: HostPath, options: { recursive?: boolean } = {}): void {
    const recursive = options.recursive ?? false;
    this.withParent(path, recursive, (dir, name) => {
      if (name === '.') {
        if (!recursive) throw new WasiError('exist', 'exists');
        return;
      }
      try {
        dir.createDirectory(name);
      } catch (error) {
        if (!(recursive && error instanceof WasiError && error.code === 'exist' && dir.statAt(name).type === 'directory')) throw error;
      }
    });
  }

  /** Creates a symbolic link; any target text is allowed here (the embedder's choice). */
  symlink(target: string, path: HostPath): void {
    if (target === '' || target.includes('\0')) throw new WasiError('inval', 'bad symbolic-link target');
    this.withParent(path, true, (dir, name) => {
      (dir as MemoryDirectory).addLink(name, target);
    });
  }

  /** Creates the hard link `newPath` to the file `existing`. */
  link(existing: HostPath, newPath: HostPath): void {
    this.withParent(existing, false, (fromDir, fromName) => {
      this.withParent(newPath, false, (toDir, toName) => fromDir.link(fromName, toDir, toName));
    });
  }

  /** The contents of a file (symbolic links followed). */
  readFile(path: HostPath): Uint8Array {
    const root = this.root();
    const resolved = resolvePath(root, relative(path), { followFinalSymlink: true });
    try {
      const file = resolved.dir.openFile(resolved.name, { read: true });
      try {
        const size = Number(file.stat().size);
        const out = new Uint8Array(size);
        file.read(out, 0n);
        return out;
      } finally {
        file.close();
      }
    } finally {
      resolved.release();
    }
  }

  /** The names in a directory (symbolic links followed). */
  readdir(path: HostPath): string[] {
    const resolved = resolvePath(this.root(), relative(path) || '.', { followFinalSymlink: true });
    try {
      const dir = resolved.name === '.' ? resolved.dir : resolved.dir.openDirectory(resolved.name);
      try {
        return dir.entries().map((e) => e.name);
      } finally {
        if (dir !== resolved.dir) dir.close();
      }
    } finally {
      resolved.release();
    }
  }

  /** lstat of a path. */
  stat(path: HostPath): FileStat {
    const resolved = resolvePath(this.root(), relative(path) || '.', { followFinalSymlink: false });
    try {
      return resolved.name === '.' ? resolved.dir.stat() : resolved.dir.statAt(resolved.name);
    } finally {
      resolved.release();
    }
  }

  private withParent(path: HostPath, createParents: boolean, action: (dir: Directory, name: string) => void): void {
    const text = relative(path);
    if (createParents) {
      const parts = text.split('/').filter((p) => p !== '' && p !== '.');
      for (let i = 1; i < parts.length; i++) this.mkdir(parts.slice(0, i).join('/'), { recursive: true });
    }
    const resolved = resolvePath(this.root(), text || '.', { followFinalSymlink: false });
    try {
      action(resolved.dir, resolved.name);
    } finally {
      resolved.release();
    }
  }
}

function relative(path: HostPath): string {
  let start = 0;
  while (path.charCodeAt(start) === 0x2f) start++;
  return path.slice(start);
}
