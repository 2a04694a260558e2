// The 46 functions of wasi_snapshot_preview1 (wasi_snapshot_preview1.witx) as data: name,
// parameters with their core WebAssembly types, and result. This table drives the import
// object, the Linker registration and the call trace; the bodies live in calls-*.ts.

export type WasiValType = 'i32' | 'i64';

export interface WasiFunction {
  readonly name: string;
  /** Parameter names (witx names, pointers suffixed `_ptr`) with their core types. */
  readonly params: readonly (readonly [name: string, type: WasiValType])[];
  /** 'errno': returns an i32 errno; 'none': proc_exit, which never returns. */
  readonly result: 'errno' | 'none';
  /** May wait for input (stdin, sockets, timers): suspends with JSPI when run asynchronously. */
  readonly blocking: boolean;
}

type P = readonly (readonly [string, WasiValType])[];

function fn(name: string, params: string, options: { result?: 'none'; blocking?: boolean } = {}): WasiFunction {
  // `params` is a compact list "fd:i32 offset:i64 …".
  const list: P = params === '' ? [] : params.split(' ').map((p) => {
    const [n, t] = p.split(':') as [string, WasiValType];
    return [n, t] as const;
  });
  return { name, params: list, result: options.result ?? 'errno', blocking: options.blocking ?? false };
}

export const WASI_FUNCTIONS: readonly WasiFunction[] = [
  fn('args_get', 'argv_ptr:i32 argv_buf_ptr:i32'),
  fn('args_sizes_get', 'argc_ptr:i32 argv_buf_size_ptr:i32'),
  fn('environ_get', 'environ_ptr:i32 environ_buf_ptr:i32'),
  fn('environ_sizes_get', 'environc_ptr:i32 environ_buf_size_ptr:i32'),
  fn('clock_res_get', 'id:i32 resolution_ptr:i32'),
  fn('clock_time_get', 'id:i32 precision:i64 time_ptr:i32'),
  fn('fd_advise', 'fd:i32 offset:i64 len:i64 advice:i32'),
  fn('fd_allocate', 'fd:i32 offset:i64 len:i64'),
  fn('fd_close', 'fd:i32'),
  fn('fd_datasync', 'fd:i32'),
  fn('fd_fdstat_get', 'fd:i32 stat_ptr:i32'),
  fn('fd_fdstat_set_flags', 'fd:i32 flags:i32'),
  fn('fd_fdstat_set_rights', 'fd:i32 fs_rights_base:i64 fs_rights_inheriting:i64'),
  fn('fd_filestat_get', 'fd:i32 buf_ptr:i32'),
  fn('fd_filestat_set_size', 'fd:i32 size:i64'),
  fn('fd_filestat_set_times', 'fd:i32 atim:i64 mtim:i64 fst_flags:i32'),
  fn('fd_pread', 'fd:i32 iovs_ptr:i32 iovs_len:i32 offset:i64 nread_ptr:i32'),
  fn('fd_prestat_get', 'fd:i32 buf_ptr:i32'),
  fn('fd_prestat_dir_name', 'fd:i32 path_ptr:i32 path_len:i32'),
  fn('fd_pwrite', 'fd:i32 iovs_ptr:i32 iovs_len:i32 offset:i64 nwritten_ptr:i32'),
  fn('fd_read', 'fd:i32 iovs_ptr:i32 iovs_len:i32 nread_ptr:i32', { blocking: true }),
  fn('fd_readdir', 'fd:i32 buf_ptr:i32 buf_len:i32 cookie:i64 bufused_ptr:i32'),
  fn('fd_renumber', 'fd:i32 to:i32'),
  fn('fd_seek', 'fd:i32 offset:i64 whence:i32 newoffset_ptr:i32'),
  fn('fd_sync', 'fd:i32'),
  fn('fd_tell', 'fd:i32 offset_ptr:i32'),
  fn('fd_write', 'fd:i32 iovs_ptr:i32 iovs_len:i32 nwritten_ptr:i32'),
  fn('path_create_directory', 'fd:i32 path_ptr:i32 path_len:i32'),
  fn('path_filestat_get', 'fd:i32 flags:i32 path_ptr:i32 path_len:i32 buf_ptr:i32'),
  fn('path_filestat_set_times', 'fd:i32 flags:i32 path_ptr:i32 path_len:i32 atim:i64 mtim:i64 fst_flags:i32'),
  fn('path_link', 'old_fd:i32 old_flags:i32 old_path_ptr:i32 old_path_len:i32 new_fd:i32 new_path_ptr:i32 new_path_len:i32'),
  fn('path_open', 'fd:i32 dirflags:i32 path_ptr:i32 path_len:i32 oflags:i32 fs_rights_base:i64 fs_rights_inheriting:i64 fdflags:i32 opened_fd_ptr:i32'),
  fn('path_readlink', 'fd:i32 path_ptr:i32 path_len:i32 buf_ptr:i32 buf_len:i32 bufused_ptr:i32'),
  fn('path_remove_directory', 'fd:i32 path_ptr:i32 path_len:i32'),
  fn('path_rename', 'fd:i32 old_path_ptr:i32 old_path_len:i32 new_fd:i32 new_path_ptr:i32 new_path_len:i32'),
  fn('path_symlink', 'old_path_ptr:i32 old_path_len:i32 fd:i32 new_path_ptr:i32 new_path_len:i32'),
  fn('path_unlink_file', 'fd:i32 path_ptr:i32 path_len:i32'),
  fn('poll_oneoff', 'in_ptr:i32 out_ptr:i32 nsubscriptions:i32 nevents_ptr:i32', { blocking: true }),
  fn('proc_exit', 'rval:i32', { result: 'none' }),
  fn('proc_raise', 'sig:i32'),
  fn('sched_yield', ''),
  fn('random_get', 'buf_ptr:i32 buf_len:i32'),
  fn('sock_accept', 'fd:i32 flags:i32 fd_ptr:i32', { blocking: true }),
  fn('sock_recv', 'fd:i32 ri_data_ptr:i32 ri_data_len:i32 ri_flags:i32 ro_datalen_ptr:i32 ro_flags_ptr:i32', { blocking: true }),
  fn('sock_send', 'fd:i32 si_data_ptr:i32 si_data_len:i32 si_flags:i32 so_datalen_ptr:i32'),
  fn('sock_shutdown', 'fd:i32 how:i32'),
];

/** The core function type of a WASI function, as the runtime's FuncType. */
export function wasiFuncType(f: WasiFunction): { params: WasiValType[]; results: WasiValType[] } {
  return { params: f.params.map((p) => p[1]), results: f.result === 'errno' ? ['i32'] : [] };
}
