// WASI preview1 host file system (host.ts, host-file.ts): the pieces both handles share —
// running a Node fs call with its errors turned into errno, stats, times.

import * as nodeFs from 'node:fs';
import { toWasiError } from './host-errno.ts';
import type { ExactTarget, TimeAccess } from './host-times.ts';
import type { FileStat, FileType } from './types.ts';

export const C = nodeFs.constants;
export const READ_ONLY_ERRNO = 'rofs';

export function fileType(mode: number | bigint): FileType {
  switch (Number(mode) & C.S_IFMT) {
    case C.S_IFREG: return 'regular-file';
    case C.S_IFDIR: return 'directory';
    case C.S_IFLNK: return 'symbolic-link';
    case C.S_IFCHR: return 'character-device';
    case C.S_IFBLK: return 'block-device';
    case C.S_IFSOCK: return 'socket-stream';
    default: return 'unknown';
  }
}

export function toFileStat(s: nodeFs.BigIntStats): FileStat {
  return {
    dev: s.dev, ino: s.ino, type: fileType(s.mode), nlink: s.nlink, size: s.size,
    atim: s.atimeNs, mtim: s.mtimeNs, ctim: s.ctimeNs,
  };
}

/** Times of an open descriptor, for host-times.ts. */
export function byDescriptor(fd: number): TimeAccess {
  return {
    read: () => nodeFs.fstatSync(fd, { bigint: true }),
    write: (a: number | Date, m: number | Date) => nodeFs.futimesSync(fd, a, m),
  };
}

/** The descriptor as another process (GNU touch) can name it: the same open file. */
export function procTarget(fd: number): ExactTarget {
  return { procPath: `/proc/${process.pid}/fd/${fd}`, noFollow: false };
}

/** Runs one Node fs call, turning what it throws into a WasiError without paths. */
export function host<T>(operation: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toWasiError(error, operation);
  }
}

