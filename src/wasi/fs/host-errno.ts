// WASI preview1 errno for Node.js file-system errors: the host file system (host.ts)
// turns every thrown error into a `WasiError` whose message never holds a host path.

import { WasiError, type ErrnoName } from '../errno.ts';

/** POSIX error codes as Node reports them → the errno the guest sees. */
const FROM_NODE_CODE: Readonly<Record<string, ErrnoName>> = {
  E2BIG: '2big', EACCES: 'acces', EAGAIN: 'again', EWOULDBLOCK: 'again', EBADF: 'badf',
  EBUSY: 'busy', EDQUOT: 'dquot', EEXIST: 'exist', EFAULT: 'fault', EFBIG: 'fbig',
  EINTR: 'intr', EINVAL: 'inval', EIO: 'io', EISDIR: 'isdir', ELOOP: 'loop', EMFILE: 'mfile',
  EMLINK: 'mlink', ENAMETOOLONG: 'nametoolong', ENFILE: 'nfile', ENODEV: 'nodev',
  ENOENT: 'noent', ENOMEM: 'nomem', ENOSPC: 'nospc', ENOSYS: 'nosys', ENOTDIR: 'notdir',
  ENOTEMPTY: 'notempty', ENOTSUP: 'notsup', EOPNOTSUPP: 'notsup', ENXIO: 'nxio',
  EOVERFLOW: 'overflow', EPERM: 'perm', EPIPE: 'pipe', EROFS: 'rofs', ESPIPE: 'spipe',
  ESTALE: 'stale', ETXTBSY: 'txtbsy', EXDEV: 'xdev', EILSEQ: 'ilseq', ENOTSOCK: 'notsock',
  // Node's own argument checks (a NUL in a name, an offset out of range): bad input.
  ERR_INVALID_ARG_VALUE: 'inval', ERR_INVALID_ARG_TYPE: 'inval', ERR_OUT_OF_RANGE: 'inval',
};

/**
 * Converts anything a Node `fs` call threw into a `WasiError` (unknown errors become
 * 'io'). `operation` names what was attempted; no path or host message is kept.
 */
export function toWasiError(error: unknown, operation: string): WasiError {
  if (error instanceof WasiError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const errno = FROM_NODE_CODE[code] ?? 'io';
  return new WasiError(errno, `${operation}: ${errno}`);
}
