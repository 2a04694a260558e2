// WASI path resolution beneath a directory capability (wasi-filesystem's
// path-resolution.md, applied to preview1 as Wasmtime does): the one place paths are
// walked. File systems below see single names only (types.ts).
//
// Decisions (errno = what the guest sees; "Wasmtime" = its preview1 on cap-std, checked
// against its test programs and WebAssembly/wasi-testsuite):
//
// | input                                   | result                                        |
// |-----------------------------------------|-----------------------------------------------|
// | ''                                      | 'noent' (POSIX, cap-std)                      |
// | contains NUL                            | 'inval' (Wasmtime on unix: interesting_paths) |
// | starts with '/'                         | 'perm' (Wasmtime: ERRNO_PERM, not notcapable) |
// | longer than 4095 UTF-8 bytes            | 'nametoolong' (Linux PATH_MAX)                |
// | '..' at the root                        | 'perm' (an escape attempt, as Wasmtime)       |
// | '.' and empty components ('a//b')       | skipped                                       |
// | 'x/..'                                  | physical: pops the handle 'x' was opened from |
// | path naming the start ('.', 'a/..')     | { dir, name: '.' }                            |
// | trailing '/' (one or many)              | mustBeDirectory: true; the caller checks it   |
// | intermediate component missing          | 'noent' (also through a dangling link)        |
// | intermediate component not a directory  | 'notdir' (a file, or a link to one)           |
// | intermediate symbolic link              | always followed                               |
// | final symbolic link                     | followed only with followFinalSymlink         |
// | link target absolute                    | 'perm' (escape attempt)                       |
// | link target climbing above the root     | 'perm' (via the '..' rule)                    |
// | empty link target                       | 'noent' (Linux)                               |
// | more than 40 links expanded             | 'loop' (Linux MAXSYMLINKS, cap-std)           |
// | a link swapped for a directory mid-walk | walked again (counts as an expansion)         |
// | more than 1024 directories held at once | 'nametoolong' (bounds open handles)           |
// | a name longer than 255 bytes            | 'nametoolong' (from the file system)          |
//
// A trailing slash does NOT by itself follow a final symbolic link: operations on the
// entry itself (unlink, rmdir, rename, link, symlink, mkdir) must see the link, as Linux
// does (`rmdir("link/")` → ENOTDIR). Lookups that open or stat (path_open,
// path_filestat_get, path_filestat_set_times) follow a final link when the path ends in
// '/', as Linux and cap-std do: such callers pass
// `followFinalSymlink: lookupFollow || path.endsWith('/')`.
//
// `dir` belongs to the resolution: callers never close it, they call `release()` when done
// (and may keep the handles alive longer by releasing later).
//
// `..` never asks the file system for `..`: every directory opened on the way is kept on a
// stack and `..` pops it, so a directory moved concurrently cannot take the walk outside.
// Symbolic links are read with `readlink` and their text walked by this same loop, from
// the link's directory, so their resolution obeys every rule above.

import { WasiError } from '../errno.ts';
import { utf8Length } from './names.ts';
import type { Directory } from './types.ts';

export interface ResolvedPath {
  /** The directory holding the final component (may be `root`). */
  readonly dir: Directory;
  /** The final component, or '.' when the path names `dir` itself. */
  readonly name: string;
  /** The path (or the text of a final link it followed) ended in '/'. */
  readonly mustBeDirectory: boolean;
  /** Closes the handles opened on the way (never `root`); idempotent. */
  release(): void;
}

export interface ResolveOptions {
  /** Follow a symbolic link named by the final component. */
  readonly followFinalSymlink: boolean;
}

/** Linux's MAXSYMLINKS: links expanded in one resolution. */
export const MAX_SYMLINK_EXPANSIONS = 40;
/** Linux's PATH_MAX less the terminating NUL. */
export const MAX_PATH_BYTES = 4095;
/** Directory handles one resolution may hold at once (each may be a host descriptor). */
export const MAX_HELD_DIRECTORIES = 1024;

/** Resolves `path` beneath `root`; throws `WasiError` (and holds nothing) on failure. */
export function resolvePath(root: Directory, path: string, options: ResolveOptions): ResolvedPath {
  if (path === '') throw new WasiError('noent', 'empty path');
  if (path.includes('\0')) throw new WasiError('inval', 'path contains a NUL byte');
  if (path.charCodeAt(0) === 0x2f) throw new WasiError('perm', 'absolute path');
  if (path.length > MAX_PATH_BYTES / 4 && utf8Length(path) > MAX_PATH_BYTES) {
    throw new WasiError('nametoolong', 'path too long');
  }
  const walk = new Walk(root, path);
  try {
    return walk.run(options.followFinalSymlink);
  } catch (error) {
    walk.closeAll();
    throw error;
  }
}

class Walk {
  /** Directories from the root down; [0] is the caller's root and is never closed. */
  private readonly stack: Directory[];
  /** Components still to walk, last first (so `pop` yields the next one). */
  private readonly pending: string[];
  private mustBeDirectory: boolean;
  private expansions = 0;

  constructor(root: Directory, path: string) {
    this.stack = [root];
    this.pending = components(path);
    this.mustBeDirectory = path.charCodeAt(path.length - 1) === 0x2f;
  }

  run(followFinalSymlink: boolean): ResolvedPath {
    for (;;) {
      const current = this.stack[this.stack.length - 1]!;
      const component = this.pending.pop();
      if (component === undefined) return this.result(current, '.');
      if (component === '.') continue;
      if (component === '..') {
        if (this.stack.length === 1) throw new WasiError('perm', 'path leads outside its directory');
        this.stack.pop()!.close();
        continue;
      }
      if (this.pending.length === 0) {
        const target = followFinalSymlink && current.typeAt(component) === 'symbolic-link' ? linkText(current, component) : null;
        if (target === null) return this.result(current, component);
        this.expand(target, true);
        continue;
      }
      let next: Directory;
      try {
        next = current.openDirectory(component);
      } catch (error) {
        if (!(error instanceof WasiError && (error.code === 'notdir' || error.code === 'loop'))) throw error;
        const type = current.typeAt(component);
        const target = type === 'symbolic-link' ? linkText(current, component) : null;
        if (target !== null) {
          this.expand(target, false);
        } else if (type === 'directory' || (type === 'symbolic-link' && current.typeAt(component) === 'directory')) {
          // A link swapped for a directory since we tried (a concurrent rename): walk it
          // again; counted like an expansion, so endless swapping cannot stall us.
          this.count();
          this.pending.push(component);
        } else {
          throw error;
        }
        continue;
      }
      if (this.stack.length > MAX_HELD_DIRECTORIES) {
        next.close();
        throw new WasiError('nametoolong', 'path too deep');
      }
      this.stack.push(next);
    }
  }

  private count(): void {
    if (++this.expansions > MAX_SYMLINK_EXPANSIONS) throw new WasiError('loop', 'too many symbolic links');
  }

  /** Continues the walk with the components of a link's text, from the link's directory. */
  private expand(target: string, isFinal: boolean): void {
    this.count();
    if (target === '') throw new WasiError('noent', 'empty symbolic link');
    if (target.includes('\0')) throw new WasiError('inval', 'symbolic link contains a NUL byte');
    if (target.charCodeAt(0) === 0x2f) throw new WasiError('perm', 'symbolic link to an absolute path');
    if (isFinal && target.charCodeAt(target.length - 1) === 0x2f) this.mustBeDirectory = true;
    this.pending.push(...components(target));
  }

  private result(dir: Directory, name: string): ResolvedPath {
    const held = this.stack.slice(1);
    let released = false;
    return {
      dir,
      name,
      mustBeDirectory: this.mustBeDirectory,
      release() {
        if (released) return;
        released = true;
        closeAll(held);
      },
    };
  }

  closeAll(): void {
    closeAll(this.stack.slice(1));
    this.stack.length = 1;
  }
}

/** The non-empty components of `path`, last first. */
function components(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') out.push(parts[i]!);
  return out;
}

/** The text of the link `name`, or null if it is no longer a link (or gone). */
function linkText(dir: Directory, name: string): string | null {
  try {
    return dir.readlink(name);
  } catch (error) {
    if (error instanceof WasiError && (error.code === 'inval' || error.code === 'noent')) return null;
    throw error;
  }
}

function closeAll(handles: readonly Directory[]): void {
  for (let i = handles.length - 1; i >= 0; i--) handles[i]!.close();
}
