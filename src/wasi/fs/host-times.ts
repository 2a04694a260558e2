// WASI preview1 `fd_filestat_set_times` / `path_filestat_set_times` on host files, to the
// nanosecond. Node's utimes family takes seconds as a double: today that is steps of
// about 240 ns, so most times would land slightly off (wasi-testsuite's fd_filestat_set,
// path_filestat and symlink_filestat compare exactly). Node has no utimensat; so after
// setting through Node, a time that did not land exactly is corrected by running GNU
// `touch -c -d @SECONDS.NANOSECONDS` on the same file named through /proc/<pid>/fd, which
// keeps it race-free (see host.ts). That costs a few milliseconds, only for these calls,
// and only where GNU touch exists (Linux); elsewhere times stay within about 1 µs.

import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import type { TimeSpec } from './types.ts';

/** How to name the file for a corrective `touch`, or null when there is none. */
export interface ExactTarget {
  /** /proc/<pid>/fd/<fd> or /proc/<pid>/fd/<dirfd>/<name>. */
  readonly procPath: string;
  /** The final component is a name to leave unfollowed (a symbolic link stays itself). */
  readonly noFollow: boolean;
}

const TOUCH_CANDIDATES = ['/usr/bin/touch', '/bin/touch'];
let touchPath: string | null | undefined;

/** GNU touch (which understands `-d @S.N` and `-h`), found once. */
function gnuTouch(): string | null {
  if (touchPath !== undefined) return touchPath;
  touchPath = null;
  // /proc/<pid> must be this process: under a /proc of another PID namespace it would name
  // some other process.
  try {
    if (nodeFs.readlinkSync('/proc/self') !== String(process.pid)) return null;
  } catch {
    return null;
  }
  for (const candidate of TOUCH_CANDIDATES) {
    if (!nodeFs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 5000 });
    if (probe.status === 0 && probe.stdout.includes('GNU coreutils')) {
      touchPath = candidate;
      break;
    }
  }
  return touchPath;
}

/** Whether times can be set to the nanosecond here (with 'proc-fd' resolution). */
export function exactTimesAvailable(): boolean {
  return gnuTouch() !== null;
}

/** A time for Node's utimes family: seconds as a number (or a Date before 1970). */
function nodeTime(ns: bigint | undefined): number | Date {
  if (ns === undefined) return (performance.timeOrigin + performance.now()) / 1000;
  if (ns < 0n) return new Date(Number(ns / 1_000_000n));
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}

/** `@SECONDS.NANOSECONDS`, exactly, for touch -d. */
function touchTime(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const abs = ns < 0n ? -ns : ns;
  return `@${sign}${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}`;
}

export interface TimeAccess {
  /** Current times in ns (lstat or fstat). */
  read(): { atimeNs: bigint; mtimeNs: bigint };
  /** Node's setter (utimes, lutimes or futimes) for the same file. */
  write(atime: number | Date, mtime: number | Date): void;
}

/**
 * Sets atim and mtim (undefined: unchanged, 'now': the current time). The caller turns
 * what this throws into a WasiError.
 */
export function setTimesExactly(access: TimeAccess, atim: TimeSpec, mtim: TimeSpec, exact: ExactTarget | null): void {
  const before = access.read();
  const wantA = atim === 'now' ? undefined : atim ?? before.atimeNs;
  const wantM = mtim === 'now' ? undefined : mtim ?? before.mtimeNs;
  access.write(nodeTime(wantA), nodeTime(wantM));
  if (exact === null || (wantA === undefined && wantM === undefined)) return;
  const after = access.read();
  const touch = gnuTouch();
  if (touch === null) return;
  const fix = (flag: '-a' | '-m', ns: bigint) => {
    const args = ['-c', flag, '-d', touchTime(ns)];
    if (exact.noFollow) args.push('-h');
    args.push('--', exact.procPath);
    spawnSync(touch, args, { stdio: 'ignore', timeout: 5000, env: { LC_ALL: 'C', TZ: 'UTC' } });
  };
  if (wantA !== undefined && after.atimeNs !== wantA) fix('-a', wantA);
  if (wantM !== undefined && after.mtimeNs !== wantM) fix('-m', wantM);
}
