// WASI preview1 constants (wasi_snapshot_preview1.witx): rights, file types, flags, enums
// and the byte layouts of the structures guests pass in memory.

/** `rights`: one bit per operation a descriptor may perform (bigint, as the witx u64). */
export const RIGHTS = {
  fd_datasync: 1n << 0n,
  fd_read: 1n << 1n,
  fd_seek: 1n << 2n,
  fd_fdstat_set_flags: 1n << 3n,
  fd_sync: 1n << 4n,
  fd_tell: 1n << 5n,
  fd_write: 1n << 6n,
  fd_advise: 1n << 7n,
  fd_allocate: 1n << 8n,
  path_create_directory: 1n << 9n,
  path_create_file: 1n << 10n,
  path_link_source: 1n << 11n,
  path_link_target: 1n << 12n,
  path_open: 1n << 13n,
  fd_readdir: 1n << 14n,
  path_readlink: 1n << 15n,
  path_rename_source: 1n << 16n,
  path_rename_target: 1n << 17n,
  path_filestat_get: 1n << 18n,
  path_filestat_set_size: 1n << 19n,
  path_filestat_set_times: 1n << 20n,
  fd_filestat_get: 1n << 21n,
  fd_filestat_set_size: 1n << 22n,
  fd_filestat_set_times: 1n << 23n,
  path_symlink: 1n << 24n,
  path_remove_directory: 1n << 25n,
  path_unlink_file: 1n << 26n,
  poll_fd_readwrite: 1n << 27n,
  sock_shutdown: 1n << 28n,
  sock_accept: 1n << 29n,
} as const;

export const ALL_RIGHTS = Object.values(RIGHTS).reduce((a, b) => a | b, 0n);

const R = RIGHTS;

/** Rights that make sense on a regular file (or another byte stream). */
export const FILE_RIGHTS =
  R.fd_datasync | R.fd_read | R.fd_seek | R.fd_fdstat_set_flags | R.fd_sync | R.fd_tell | R.fd_write |
  R.fd_advise | R.fd_allocate | R.fd_filestat_get | R.fd_filestat_set_size | R.fd_filestat_set_times |
  R.poll_fd_readwrite;

/** Rights that make sense on a directory. */
export const DIRECTORY_RIGHTS =
  R.fd_fdstat_set_flags | R.fd_sync | R.fd_datasync | R.path_create_directory | R.path_create_file |
  R.path_link_source | R.path_link_target | R.path_open | R.fd_readdir | R.path_readlink |
  R.path_rename_source | R.path_rename_target | R.path_filestat_get | R.path_filestat_set_size |
  R.path_filestat_set_times | R.fd_filestat_get | R.fd_filestat_set_times | R.path_symlink |
  R.path_remove_directory | R.path_unlink_file;

/** Rights that change the file system: dropped from a read-only grant. */
export const MUTATING_RIGHTS =
  R.fd_write | R.fd_allocate | R.fd_filestat_set_size | R.fd_filestat_set_times | R.path_create_directory |
  R.path_create_file | R.path_link_source | R.path_link_target | R.path_rename_source | R.path_rename_target |
  R.path_filestat_set_size | R.path_filestat_set_times | R.path_symlink | R.path_remove_directory |
  R.path_unlink_file;

/** Rights of the standard streams (no seeking: libc's isatty() looks for that). */
export const STDIO_RIGHTS = R.fd_read | R.fd_write | R.fd_fdstat_set_flags | R.fd_filestat_get | R.poll_fd_readwrite | R.fd_sync | R.fd_datasync;

/** Rights of a connected socket and of a listening one. */
export const SOCKET_RIGHTS = R.fd_read | R.fd_write | R.fd_fdstat_set_flags | R.fd_filestat_get | R.poll_fd_readwrite | R.sock_shutdown;
export const LISTENER_RIGHTS = R.fd_fdstat_set_flags | R.fd_filestat_get | R.poll_fd_readwrite | R.sock_accept;

/** `filetype`. */
export const FILETYPE = {
  unknown: 0,
  block_device: 1,
  character_device: 2,
  directory: 3,
  regular_file: 4,
  socket_dgram: 5,
  socket_stream: 6,
  symbolic_link: 7,
} as const;

/** `fdflags`. */
export const FDFLAGS = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;

/** `oflags` (path_open). */
export const OFLAGS = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;

/** `lookupflags`. */
export const LOOKUPFLAGS = { symlink_follow: 1 } as const;

/** `fstflags` (…_set_times). */
export const FSTFLAGS = { atim: 1, atim_now: 2, mtim: 4, mtim_now: 8 } as const;

/** `whence` (fd_seek). */
export const WHENCE = { set: 0, cur: 1, end: 2 } as const;

/** `clockid`. */
export const CLOCKID = { realtime: 0, monotonic: 1, process_cputime_id: 2, thread_cputime_id: 3 } as const;

/** `eventtype` (poll_oneoff). */
export const EVENTTYPE = { clock: 0, fd_read: 1, fd_write: 2 } as const;

/** `subclockflags`. */
export const SUBCLOCKFLAGS = { subscription_clock_abstime: 1 } as const;

/** `eventrwflags`. */
export const EVENTRWFLAGS = { fd_readwrite_hangup: 1 } as const;

/** `riflags`, `roflags`, `sdflags` (sockets). */
export const RIFLAGS = { recv_peek: 1, recv_waitall: 2 } as const;
export const ROFLAGS = { recv_data_truncated: 1 } as const;
export const SDFLAGS = { rd: 1, wr: 2 } as const;

/** `advice` (fd_advise). */
export const ADVICE = { normal: 0, sequential: 1, random: 2, willneed: 3, dontneed: 4, noreuse: 5 } as const;

/** `preopentype`. */
export const PREOPENTYPE = { dir: 0 } as const;

/** `signal` (proc_raise). */
export const SIGNAL = {
  none: 0, hup: 1, int: 2, quit: 3, ill: 4, trap: 5, abrt: 6, bus: 7, fpe: 8, kill: 9, usr1: 10,
  segv: 11, usr2: 12, pipe: 13, alrm: 14, term: 15, chld: 16, cont: 17, stop: 18, tstp: 19,
  ttin: 20, ttou: 21, urg: 22, xcpu: 23, xfsz: 24, vtalrm: 25, prof: 26, winch: 27, poll: 28,
  pwr: 29, sys: 30,
} as const;

/** Sizes and field offsets of the structures in guest memory (witx layouts, wasm32); `size` is the structure's size (filestat's own size field is `st_size`). */
export const LAYOUT = {
  iovec: { size: 8, buf: 0, buf_len: 4 },
  fdstat: { size: 24, fs_filetype: 0, fs_flags: 2, fs_rights_base: 8, fs_rights_inheriting: 16 },
  filestat: { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, st_size: 32, atim: 40, mtim: 48, ctim: 56 },
  dirent: { size: 24, d_next: 0, d_ino: 8, d_namlen: 16, d_type: 20 },
  prestat: { size: 8, tag: 0, pr_name_len: 4 },
  subscription: { size: 48, userdata: 0, tag: 8, clock_id: 16, clock_timeout: 24, clock_precision: 32, clock_flags: 40, fd: 16 },
  event: { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 },
} as const;
