// WASI preview1 host directories: the Directory/File interface (types.ts) on a directory
// of the host, through Node's synchronous fs API.
//
// Race freedom. Every Directory handle holds an open descriptor of its directory. On
// Linux each single-name operation names its entry as `/proc/self/fd/<fd>/<name>`: the
// kernel resolves the magic link `/proc/self/fd/<fd>` to the held directory itself (even
// if it was renamed or moved meanwhile), then looks up `<name>` inside it. The final name
// is never followed (lstat, readlink, mkdir, rmdir, unlink, symlink, rename, link and
// lutimes do not follow; files and directories are opened with O_NOFOLLOW, directories
// also with O_DIRECTORY). Intermediate components are walked by resolve.ts, one held
// descriptor at a time. So a concurrent process swapping a directory for a symbolic link
// can make an operation fail, never make it reach outside (test/wasi/fs/race.test.ts).
//
// Elsewhere (no /proc/self/fd: macOS, the BSDs, Windows) names are joined to the host path
// of the held directory, checked before each operation to still be that directory (same
// device and inode, not a symbolic link). A race remains: a process that can write
// inside the granted tree may swap one of the directory's ancestors *inside the grant*
// for a symbolic link between that check and the operation, and so redirect the
// operation outside (race.test.ts's swap, run against this mode, does escape). Do not
// grant a directory that untrusted host processes can modify on those platforms. There,
// too, a directory handle stops working once its directory is moved ('noent'), and
// `append` finds the end with fstat (not atomic against other writers). Tested on Linux
// only (both modes); Windows lacks O_NOFOLLOW and O_DIRECTORY and is untested.
//
// Precision of times: reading is exact (nanoseconds); setting is exact where GNU touch
// exists, else within about 1 µs (host-times.ts).
//
// A read-only grant refuses every mutation with 'rofs' (Wasmtime says 'perm' for a
// read-only preopen; 'rofs' names the cause and is what types.ts promises), and opening
// with create, write or truncate even when the file exists.
//
// Names that are not valid UTF-8 cannot be named through this interface (its names are
// strings): `entries` leaves them out. Files are opened with O_NONBLOCK so that a FIFO in
// the tree cannot block the host; reads from such a FIFO may then give 'again'.

import * as nodeFs from 'node:fs';
import { WasiError } from '../errno.ts';
import { toWasiError } from './host-errno.ts';
import { HostFile, type HostResolution } from './host-file.ts';
import { byDescriptor, C, fileType, host, procTarget, READ_ONLY_ERRNO, toFileStat } from './host-io.ts';
import { setTimesExactly } from './host-times.ts';
import { checkLinkTarget, checkName } from './names.ts';
import type { DirEntry, Directory, File, FileStat, FileType, OpenFileOptions, TimeSpec } from './types.ts';

const O_DIRECTORY = C.O_DIRECTORY ?? 0;
const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
const O_NONBLOCK = C.O_NONBLOCK ?? 0;

export type { HostResolution };

export interface HostDirectoryOptions {
  /** Refuse every mutation ('rofs') and every open for writing. */
  readonly readOnly?: boolean;
  /** Default: 'proc-fd' where /proc/self/fd works, else 'path'. Tests force 'path'. */
  readonly resolution?: HostResolution;
}

/** Opens `hostPath` (trusted: symbolic links in it are followed) as a WASI directory. */
export function openHostDirectory(hostPath: string, options: HostDirectoryOptions = {}): Directory {
  let fd: number;
  try {
    fd = nodeFs.openSync(hostPath, C.O_RDONLY | O_DIRECTORY);
  } catch (error) {
    throw toWasiError(error, 'open host directory');
  }
  try {
    const stat = nodeFs.fstatSync(fd, { bigint: true });
    if (!stat.isDirectory()) throw new WasiError('notdir', 'open host directory: notdir');
    const procFd = procFdWorks(fd, stat);
    if (options.resolution === 'proc-fd' && !procFd) throw new WasiError('notsup', 'open host directory: no /proc/self/fd here');
    const resolution = options.resolution ?? (procFd ? 'proc-fd' : 'path');
    const place = resolution === 'path' ? { path: nodeFs.realpathSync(hostPath), dev: stat.dev, ino: stat.ino } : null;
    return new HostDirectory(fd, options.readOnly ?? false, place);
  } catch (error) {
    nodeFs.closeSync(fd);
    throw toWasiError(error, 'open host directory');
  }
}

function procFdWorks(fd: number, stat: nodeFs.BigIntStats): boolean {
  if (process.platform !== 'linux' && process.platform !== 'android') return false;
  try {
    const viaProc = nodeFs.statSync(`/proc/self/fd/${fd}`, { bigint: true });
    return viaProc.ino === stat.ino && viaProc.dev === stat.dev;
  } catch {
    return false;
  }
}

/** Where a directory is, for 'path' resolution: its host path and identity. */
interface HostPlace {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
}

// Handles own their descriptors: close() releases them (the WASI context closes every
// descriptor it holds when it ends). No FinalizationRegistry: it would cost about 1 µs on
// every open, the hottest path.
class HostDirectory implements Directory {
  readonly kind = 'directory';
  readonly readOnly: boolean;
  #fd: number;
  /** null with 'proc-fd' resolution, which needs only the descriptor. */
  readonly #place: HostPlace | null;

  constructor(fd: number, readOnly: boolean, place: HostPlace | null) {
    this.#fd = fd;
    this.readOnly = readOnly;
    this.#place = place;
  }

  private get resolution(): HostResolution {
    return this.#place === null ? 'proc-fd' : 'path';
  }

  /** The held descriptor; 'badf' once closed. */
  private fd(): number {
    if (this.#fd < 0) throw new WasiError('badf', 'directory handle closed');
    return this.#fd;
  }

  /** A host path naming this directory itself. */
  private self(): string {
    const fd = this.fd();
    const place = this.#place;
    if (place === null) return `/proc/self/fd/${fd}`;
    const now = nodeFs.lstatSync(place.path, { bigint: true, throwIfNoEntry: false });
    if (now === undefined || !now.isDirectory() || now.ino !== place.ino || now.dev !== place.dev) {
      throw new WasiError('noent', 'directory moved or removed');
    }
    return place.path;
  }

  /** A host path naming the entry `name` of this directory (not followed if a link). */
  private entry(name: string): string {
    checkName(name);
    return `${this.self()}/${name}`;
  }

  private mutable(): void {
    this.fd();
    if (this.readOnly) throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
  }

  private static other(dir: Directory): HostDirectory {
    if (!(dir instanceof HostDirectory)) throw new WasiError('xdev', 'another file system');
    dir.mutable();
    return dir;
  }

  stat(): FileStat {
    return toFileStat(host('stat', () => nodeFs.fstatSync(this.fd(), { bigint: true })));
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    this.mutable();
    const fd = this.fd();
    host('set times', () => setTimesExactly(byDescriptor(fd), atim, mtim, this.#place === null ? procTarget(fd) : null));
  }

  sync(): void {
    const fd = this.fd();
    host('sync', () => nodeFs.fsyncSync(fd));
  }

  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    try {
      nodeFs.closeSync(fd);
    } catch {
      // nothing useful to report: the handle is gone either way
    }
  }

  entries(): DirEntry[] {
    return host('read directory', () => {
      const base = this.self();
      const out: DirEntry[] = [];
      for (const name of nodeFs.readdirSync(base)) {
        const stat = nodeFs.lstatSync(`${base}/${name}`, { bigint: true, throwIfNoEntry: false });
        if (stat !== undefined) out.push({ name, type: fileType(stat.mode), ino: stat.ino });
      }
      return out;
    });
  }

  statAt(name: string): FileStat {
    return toFileStat(host('stat', () => nodeFs.lstatSync(this.entry(name), { bigint: true })));
  }

  typeAt(name: string): FileType | null {
    const stat = host('stat', () => nodeFs.lstatSync(this.entry(name), { throwIfNoEntry: false }));
    return stat === undefined ? null : fileType(stat.mode);
  }

  openDirectory(name: string): Directory {
    const path = this.entry(name);
    let fd: number;
    try {
      fd = nodeFs.openSync(path, C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      const failure = toWasiError(error, 'open directory');
      // O_NOFOLLOW on a link gives ELOOP; types.ts promises 'notdir' for a link.
      throw failure.code === 'loop' ? new WasiError('notdir', 'open directory: notdir') : failure;
    }
    // O_DIRECTORY made sure of the type; the path fallback also records the identity.
    if (this.#place === null) return new HostDirectory(fd, this.readOnly, null);
    try {
      const stat = nodeFs.fstatSync(fd, { bigint: true });
      if (!stat.isDirectory()) throw new WasiError('notdir', 'open directory: notdir');
      return new HostDirectory(fd, this.readOnly, { path, dev: stat.dev, ino: stat.ino });
    } catch (error) {
      nodeFs.closeSync(fd);
      throw toWasiError(error, 'open directory');
    }
  }

  openFile(name: string, options: OpenFileOptions): File {
    const read = options.read ?? false;
    const write = options.write ?? false;
    if ((write || options.create || options.truncate) && this.readOnly) {
      this.fd();
      throw new WasiError(READ_ONLY_ERRNO, 'read-only directory');
    }
    let flags = (read && write ? C.O_RDWR : write ? C.O_WRONLY : C.O_RDONLY) | O_NOFOLLOW | O_NONBLOCK;
    if (options.create) flags |= C.O_CREAT | (options.exclusive ? C.O_EXCL : 0);
    if (options.truncate) flags |= C.O_TRUNC;
    const path = this.entry(name);
    const fd = host('open', () => nodeFs.openSync(path, flags, 0o666));
    // Opening a directory for writing fails in the kernel (EISDIR); for reading it
    // succeeds, so look. (Number stats: BigInt ones cost several times more.)
    if (!write) {
      try {
        if (nodeFs.fstatSync(fd).isDirectory()) throw new WasiError('isdir', 'open: isdir');
      } catch (error) {
        nodeFs.closeSync(fd);
        throw toWasiError(error, 'open');
      }
    }
    return new HostFile(fd, read, write, this.readOnly, this.resolution);
  }

  readlink(name: string): string {
    return host('readlink', () => nodeFs.readlinkSync(this.entry(name)));
  }

  createDirectory(name: string): void {
    this.mutable();
    host('create directory', () => nodeFs.mkdirSync(this.entry(name), 0o777));
  }

  removeDirectory(name: string): void {
    this.mutable();
    host('remove directory', () => nodeFs.rmdirSync(this.entry(name)));
  }

  unlinkFile(name: string): void {
    this.mutable();
    host('unlink', () => nodeFs.unlinkSync(this.entry(name)));
  }

  symlink(target: string, name: string): void {
    this.mutable();
    checkLinkTarget(target);
    host('symlink', () => nodeFs.symlinkSync(target, this.entry(name)));
  }

  link(name: string, toDir: Directory, toName: string): void {
    this.mutable();
    const to = HostDirectory.other(toDir);
    // link(2) does not follow a final symbolic link on Linux: the new name is a second
    // link to the symbolic link itself, never to what it points at.
    host('link', () => nodeFs.linkSync(this.entry(name), to.entry(toName)));
  }

  rename(name: string, toDir: Directory, toName: string): void {
    this.mutable();
    const to = HostDirectory.other(toDir);
    host('rename', () => nodeFs.renameSync(this.entry(name), to.entry(toName)));
  }

  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.mutable();
    host('set times', () => {
      const path = this.entry(name);
      const access = {
        read: () => nodeFs.lstatSync(path, { bigint: true }),
        write: (a: number | Date, m: number | Date) => nodeFs.lutimesSync(path, a, m),
      };
      const exact = this.#place === null ? { procPath: `${procTarget(this.fd()).procPath}/${name}`, noFollow: true } : null;
      setTimesExactly(access, atim, mtim, exact);
    });
  }
}

