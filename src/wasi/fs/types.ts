// The file-system interface beneath WASI preview1: handles to open directories and files
// with single-name operations only. Walking a path (components, `.`, `..`, symbolic
// links, trailing slashes) happens once, above this interface, in resolve.ts, so that no
// implementation can let a path escape: an implementation only ever sees one name.
//
// Failures are thrown as `WasiError` (../errno.ts) with the errno the guest should see;
// nothing else may escape. Messages never contain host paths.

import type { ErrnoName } from '../errno.ts';

export type { ErrnoName };

export type FileType =
  | 'unknown'
  | 'block-device'
  | 'character-device'
  | 'directory'
  | 'regular-file'
  | 'socket-dgram'
  | 'socket-stream'
  | 'symbolic-link';

/** Times are nanoseconds since the Unix epoch. */
export interface FileStat {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly type: FileType;
  readonly nlink: bigint;
  readonly size: bigint;
  readonly atim: bigint;
  readonly mtim: bigint;
  readonly ctim: bigint;
}

export interface DirEntry {
  readonly name: string;
  readonly type: FileType;
  readonly ino: bigint;
}

/** A time to set: nanoseconds since the epoch, 'now', or undefined to leave it unchanged. */
export type TimeSpec = bigint | 'now' | undefined;

export interface OpenFileOptions {
  readonly read?: boolean;
  readonly write?: boolean;
  /** Create the file if it does not exist. */
  readonly create?: boolean;
  /** With `create`: fail with 'exist' if it exists. */
  readonly exclusive?: boolean;
  /** Truncate to size 0 (needs `write`). */
  readonly truncate?: boolean;
}

/**
 * An open directory. Every `…At` operation and every other operation that takes a
 * `name` receives exactly one path component: never empty, never `.` or `..`, never
 * containing `/` or NUL (resolve.ts guarantees it; implementations still reject such a
 * name with 'inval' as defence in depth). No operation follows a symbolic link that
 * `name` itself names; symbolic links are followed only by resolve.ts.
 */
export interface Directory {
  readonly kind: 'directory';
  /** Whether mutations are refused with 'rofs' (a read-only grant). */
  readonly readOnly: boolean;
  stat(): FileStat;
  setTimes(atim: TimeSpec, mtim: TimeSpec): void;
  sync(): void;
  /** Releases the handle (idempotent). */
  close(): void;
  /** The entries, without `.` and `..`, in an order that is stable while the directory does not change. */
  entries(): DirEntry[];

  /** Like lstat: a symbolic link is described, not followed. 'noent' if absent. */
  statAt(name: string): FileStat;
  /**
   * The type of the entry `name` (a symbolic link is not followed), or null if there is
   * none: a cheap `statAt` for walking paths (added for resolve.ts; Node's BigInt stats
   * and thrown errors each cost several times a plain lstat).
   */
  typeAt(name: string): FileType | null;
  /** 'notdir' if `name` is not a directory (a symbolic link included). */
  openDirectory(name: string): Directory;
  /** 'loop' if `name` is a symbolic link, 'isdir' if it is a directory. */
  openFile(name: string, options: OpenFileOptions): File;
  /** The link's target text; 'inval' if `name` is not a symbolic link. */
  readlink(name: string): string;
  createDirectory(name: string): void;
  /** 'notempty' if not empty, 'notdir' if not a directory. */
  removeDirectory(name: string): void;
  /** Removes a file or symbolic link; 'isdir' if `name` is a directory. */
  unlinkFile(name: string): void;
  /** Creates a symbolic link `name` whose text is `target` (not checked here). */
  symlink(target: string, name: string): void;
  /** Hard link; 'xdev' if `toDir` belongs to another file system. */
  link(name: string, toDir: Directory, toName: string): void;
  /** 'xdev' if `toDir` belongs to another file system. */
  rename(name: string, toDir: Directory, toName: string): void;
  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void;
}

/** An open regular file (or other non-directory object such as a device). */
export interface File {
  readonly kind: 'file';
  readonly readOnly: boolean;
  stat(): FileStat;
  /** Reads at `position`; returns the bytes read, 0 at end of file. */
  read(into: Uint8Array, position: bigint): number;
  /** Writes at `position`; returns the bytes written. */
  write(data: Uint8Array, position: bigint): number;
  /** Writes at the current end of the file, atomically with finding it. */
  append(data: Uint8Array): number;
  setSize(size: bigint): void;
  setTimes(atim: TimeSpec, mtim: TimeSpec): void;
  /** Makes sure `length` bytes from `offset` are allocated (may grow the file). */
  allocate(offset: bigint, length: bigint): void;
  sync(): void;
  datasync(): void;
  close(): void;
}
