// What every subcommand shares: the standard streams behind a small interface (so tests
// can run the CLI in-process), usage errors, option parsing and the reporting of errors.

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DecodeError, ParseError, ValidationError, WasmError } from '../model/errors.ts';

export interface Output {
  write(chunk: string | Uint8Array): void;
  /** Whether the stream is a terminal (binary output is refused there). */
  readonly isTTY: boolean;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Whether standard input is a terminal (then it is not read unless asked for with "-"). */
  readonly stdinIsTTY: boolean;
  readStdin(): Promise<Uint8Array>;
}

/** The process's own streams. */
export function processIo(): Io {
  // A reader that went away (`nanoprocess inspect x.wasm | head`) is not an error of ours.
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  return {
    stdout: { write: (c) => void process.stdout.write(c), isTTY: process.stdout.isTTY === true },
    stderr: { write: (c) => void process.stderr.write(c), isTTY: process.stderr.isTTY === true },
    stdinIsTTY: process.stdin.isTTY === true,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/** Exit codes: 0 success, 1 bad input or failed tests, 2 a wrong invocation. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A wrong invocation (unknown subcommand or flag, missing argument): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The subcommand whose help the message points to, if any. */
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.command = command;
  }
}

/** An input or output file that cannot be read or written: exit code 1, no stack. */
export class FileError extends Error {
  override name = 'FileError';
}

/** A subcommand of `nanoprocess`. */
export interface Command {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The full text of `nanoprocess help NAME`. */
  readonly help: string;
  run(args: readonly string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a subcommand's arguments strictly; an unknown flag or a missing value is a
 * UsageError naming the subcommand. `-h`/`--help` is always accepted.
 */
export function parseOptions<O extends Options>(command: string, args: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // Node's messages are good but long; keep their first sentence.
    const message = (e as Error).message.split('. ')[0]!.replace(/\.$/, '');
    throw new UsageError(message, command);
  }
}

/** Reads a file, or standard input for `-`. */
export async function readInput(path: string, io: Io): Promise<Uint8Array> {
  if (path === '-') return io.readStdin();
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${describeSystemError(e)}`);
  }
}

/** Writes `data` to the file `path`, or to standard output for `-`. */
export async function writeOutput(path: string, data: string | Uint8Array, io: Io): Promise<void> {
  if (path === '-') return io.stdout.write(data);
  try {
    await writeFile(path, data);
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${describeSystemError(e)}`);
  }
}

export function describeSystemError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return err.message ?? String(e);
  }
}

/**
 * Formats an error of ours for the terminal: `FILE:LINE:COL: message` for text,
 * `FILE: offset 0x…: message` for binaries (and for validation errors whose offset is
 * known), `FILE: message` otherwise. Returns null for anything else.
 */
export function formatWasmError(e: unknown, file: string): string | null {
  if (e instanceof ParseError) return `${file}:${e.line}:${e.column}: ${e.reason}`;
  if (e instanceof DecodeError || (e instanceof ValidationError && e.offset >= 0)) {
    return `${file}: offset 0x${e.offset.toString(16)}: ${e.reason}`;
  }
  if (e instanceof WasmError) return `${file}: ${e.message}`;
  return null;
}
