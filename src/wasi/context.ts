// The state of one WASI preview1 guest: its arguments, environment, descriptors
// (stdio, preopened directories and sockets), clocks and randomness. Deny by default:
// nothing is granted that the options do not name.

import { isatty } from 'node:tty';
import type { Server } from 'node:net';
import { DIRECTORY_RIGHTS, FILE_RIGHTS, LISTENER_RIGHTS, MUTATING_RIGHTS, STDIO_RIGHTS } from './constants.ts';
import { closeDescriptor, DescriptorTable, DirRef } from './descriptors.ts';
import type { Directory } from './fs/types.ts';
import { encodeUtf8 } from './memory.ts';
import { TcpListener } from './sockets.ts';
import {
  CallbackOutput,
  EMPTY_INPUT,
  HostInput,
  HostOutput,
  type InputStream,
  MemoryInput,
  NULL_OUTPUT,
  type OutputStream,
} from './streams.ts';

/** stdin: a host file descriptor, bytes or text to read, or a stream of one's own. */
export type StdinOption = number | Uint8Array | string | InputStream;
/** stdout/stderr: a host file descriptor, a function receiving each write, or a stream. */
export type StdoutOption = number | ((chunk: Uint8Array) => void) | OutputStream;

export interface Preopen {
  /** The name the guest sees (fd_prestat_dir_name), e.g. "/" or "/data". */
  readonly guestPath: string;
  readonly dir: Directory;
  /** Drop every right that changes the file system (also implied by `dir.readOnly`). */
  readonly readOnly?: boolean;
}

export interface WasiClocks {
  /** Nanoseconds since the Unix epoch. */
  realtime(): bigint;
  /** Nanoseconds from an arbitrary start, never decreasing. */
  monotonic(): bigint;
}

export interface WasiOptions {
  /** argv, argv[0] included. Default: none. */
  readonly args?: readonly string[];
  /** The environment: an object or "NAME=VALUE" strings. Default: empty. */
  readonly env?: Readonly<Record<string, string>> | readonly string[];
  /** Directories granted to the guest, as fds 3, 4, … in this order. */
  readonly preopens?: readonly Preopen[];
  /** Listening TCP sockets granted to the guest, numbered after the directories. */
  readonly sockets?: readonly Server[];
  /** Default: an empty input. */
  readonly stdin?: StdinOption;
  /** Default: discarded. */
  readonly stdout?: StdoutOption;
  /** Default: discarded. */
  readonly stderr?: StdoutOption;
  /** Clock overrides (deterministic tests). */
  readonly clocks?: Partial<WasiClocks>;
  /** Fills a buffer with random bytes (default: crypto.getRandomValues). */
  readonly random?: (into: Uint8Array) => void;
  /** Sleeps for poll_oneoff with only clock subscriptions, synchronously (default: blocks the thread). */
  readonly sleep?: (nanoseconds: bigint) => void;
  /** Receives one line per WASI call: name, arguments and errno. */
  readonly trace?: (line: string) => void;
  /** Most descriptors open at once (default 1024): 'mfile' past it. */
  readonly maxOpenFiles?: number;
}

/** proc_exit: the only WASI call that unwinds; carries the guest's exit code. */
export class WasiExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(code < 126 ? `WASI guest exited with code ${code}` : `exit with invalid exit status ${code}, outside of [0..126)`);
    this.name = 'WasiExit';
    this.code = code;
  }
  /** Whether the code is in WASI's range [0, 126); larger ones count as a trap in WASI's terms. */
  get valid(): boolean {
    return this.code < 126;
  }
}

/** What an embedder passed that cannot work (not a guest error): thrown at construction. */
export class WasiConfigError extends Error {
  override name = 'WasiConfigError';
}

const hrStart = process.hrtime.bigint();
const epochAtStart = BigInt(Date.now()) * 1_000_000n;

const hrtime = process.hrtime.bigint;
const DEFAULT_CLOCKS: WasiClocks = {
  realtime: () => epochAtStart + (hrtime() - hrStart),
  monotonic: hrtime,
};

function defaultRandom(into: Uint8Array): void {
  // getRandomValues fills at most 65536 bytes per call.
  for (let at = 0; at < into.length; at += 65536) crypto.getRandomValues(into.subarray(at, Math.min(at + 65536, into.length)));
}

function terminal(fd: number): boolean {
  try {
    return isatty(fd);
  } catch {
    return false;
  }
}

function toInput(option: StdinOption | undefined): InputStream {
  if (option === undefined) return EMPTY_INPUT;
  if (typeof option === 'number') return new HostInput(option, terminal(option));
  if (typeof option === 'string' || option instanceof Uint8Array) return new MemoryInput(option);
  return option;
}

function toOutput(option: StdoutOption | undefined): OutputStream {
  if (option === undefined) return NULL_OUTPUT;
  if (typeof option === 'number') return new HostOutput(option, terminal(option));
  if (typeof option === 'function') return new CallbackOutput(option);
  return option;
}

/** "NAME=VALUE" lines as the guest sees them, checked for what C's environ cannot hold. */
function envLines(env: WasiOptions['env']): string[] {
  const lines = env === undefined ? [] : Array.isArray(env) ? [...(env as readonly string[])] : Object.entries(env).map(([k, v]) => `${k}=${v}`);
  for (const line of lines) {
    if (line.includes('\0')) throw new WasiConfigError('an environment variable contains a NUL character');
  }
  return lines;
}

export class WasiContext {
  readonly args: readonly Uint8Array[];
  readonly env: readonly Uint8Array[];
  readonly fds: DescriptorTable;
  readonly clocks: WasiClocks;
  readonly random: (into: Uint8Array) => void;
  readonly sleep: ((nanoseconds: bigint) => void) | null;
  readonly trace: ((line: string) => void) | null;
  /** Set when the guest called proc_exit. */
  exitCode: number | null = null;

  constructor(options: WasiOptions = {}) {
    const args = options.args ?? [];
    if (args.some((a) => a.includes('\0'))) throw new WasiConfigError('an argument contains a NUL character');
    this.args = args.map(encodeUtf8);
    this.env = envLines(options.env).map(encodeUtf8);
    this.clocks = { ...DEFAULT_CLOCKS, ...options.clocks };
    this.random = options.random ?? defaultRandom;
    this.sleep = options.sleep ?? null;
    this.trace = options.trace ?? null;
    this.fds = new DescriptorTable(options.maxOpenFiles ?? 1024);
    const stdio = { rightsBase: STDIO_RIGHTS, rightsInheriting: 0n, flags: 0 };
    this.fds.set(0, { kind: 'stream', input: toInput(options.stdin), output: null, ...stdio });
    this.fds.set(1, { kind: 'stream', input: null, output: toOutput(options.stdout), ...stdio });
    this.fds.set(2, { kind: 'stream', input: null, output: toOutput(options.stderr), ...stdio });
    for (const p of options.preopens ?? []) this.preopenDirectory(p);
    for (const s of options.sockets ?? []) this.preopenSocket(s);
  }

  /** Grants a directory as the next descriptor; returns its number. */
  preopenDirectory(p: Preopen): number {
    const readOnly = p.readOnly === true || p.dir.readOnly;
    const mask = readOnly ? ~MUTATING_RIGHTS : -1n;
    return this.fds.add({
      kind: 'dir',
      ref: new DirRef(p.dir, () => p.dir.close()),
      preopen: p.guestPath,
      entries: null,
      rightsBase: DIRECTORY_RIGHTS & mask,
      rightsInheriting: (DIRECTORY_RIGHTS | FILE_RIGHTS) & mask,
      flags: 0,
    });
  }

  /** Grants a listening TCP socket as the next descriptor; returns its number. */
  preopenSocket(server: Server): number {
    return this.fds.add({ kind: 'listener', listener: new TcpListener(server), rightsBase: LISTENER_RIGHTS, rightsInheriting: 0n, flags: 0 });
  }

  /** Releases every descriptor (after the guest is done). */
  close(): void {
    for (const [fd] of [...this.fds.entries()]) {
      try {
        closeDescriptor(this.fds.take(fd));
      } catch {
        // Closing never fails the guest's run.
      }
    }
  }
}
