// `nanoprocess run`: runs a WASI preview1 command (or calls one export with --invoke)
// with Wasmtime's flags: --dir, --env, --invoke, --tcplisten. Deny by default: the guest
// gets its arguments, stdio, and only the directories, variables and sockets named.

import type { Server } from 'node:net';
import type { Module as CompiledModule } from '../runtime/index.ts';
import type { StdinOption, WasiContext } from '../wasi/index.ts';
import { type Command, EXIT, FileError, type Io, UsageError, describeSystemError, formatWasmError, readInput } from './io.ts';
import { ValidationError } from '../model/errors.ts';
import { isBinaryModule } from './validate.ts';
import { decodeSource } from './text-input.ts';

const help = `nanoprocess run — run a WebAssembly module with WASI preview1

Usage: nanoprocess run [OPTIONS] FILE.wasm|FILE.wat [ARGS...]

Runs the module's _start function (a WASI command) with ARGS as its arguments;
the guest's argv[0] is FILE as given. Options go before FILE; everything after
FILE goes to the guest, and "--" ends the options. The guest reads and writes
this process's stdin, stdout and stderr as it goes. Nothing else is granted
unless asked for:

Options:
  --dir HOST[::GUEST]     grant the host directory HOST, seen by the guest as
                          GUEST (default: HOST as written); the guest cannot
                          leave it, through "..", absolute paths or links
  --dir-ro HOST[::GUEST]  the same, read-only: every change is refused
  --env NAME=VALUE        set an environment variable for the guest
  --env NAME              pass this process's variable NAME on (if set)
  --invoke NAME           call the export NAME instead of _start, with ARGS
                          converted to its parameter types (i32, i64, f32,
                          f64), and print its results one per line; works for
                          modules without WASI too (a reactor's _initialize
                          runs first)
  --tcplisten ADDR        listen on ADDR (HOST:PORT) and grant the listening
                          socket to the guest (after the directories), for
                          sock_accept
  --trace                 log every WASI call and its errno to stderr
  -h, --help              show this help

Exit status: the guest's proc_exit code (0 when _start returns); 134 when the
guest traps (the trap and its WebAssembly backtrace are printed to stderr, as
Wasmtime does); 1 when the module is invalid, cannot be linked, or a directory
or address cannot be opened, and when the guest exits with a code of 126 or
more (outside WASI's range, refused as Wasmtime does); 2 for a wrong invocation.
`;

/** Wasmtime's exit status for a trap on Unix (128 + SIGABRT). */
export const TRAP_EXIT = 134;

/** The Io of the real process (its file descriptors may be used directly). */
export interface HostIo extends Io {
  readonly hostStdio?: boolean;
}

interface RunOptions {
  dirs: { host: string; guest: string; readOnly: boolean }[];
  env: string[];
  invoke: string | null;
  tcplisten: string[];
  trace: boolean;
  help: boolean;
  file: string | null;
  args: string[];
}

const WITH_VALUE = new Set(['--dir', '--dir-ro', '--env', '--invoke', '--tcplisten']);

/** Options before the file, the file, then the guest's arguments untouched. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = { dirs: [], env: [], invoke: null, tcplisten: [], trace: false, help: false, file: null, args: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '-h' || arg === '--help') {
      o.help = true;
      continue;
    }
    if (arg === '--trace') {
      o.trace = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (!WITH_VALUE.has(name)) throw new UsageError(`unknown option '${arg}'`, 'run');
    let value: string;
    if (eq > 0 && name !== arg) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`option '${name}' needs a value`, 'run');
      value = argv[++i]!;
    }
    switch (name) {
      case '--dir':
      case '--dir-ro': {
        const sep = value.indexOf('::');
        const host = sep >= 0 ? value.slice(0, sep) : value;
        const guest = sep >= 0 ? value.slice(sep + 2) : value;
        if (host === '' || guest === '') throw new UsageError(`--dir needs HOST[::GUEST], got '${value}'`, 'run');
        o.dirs.push({ host, guest, readOnly: name === '--dir-ro' });
        break;
      }
      case '--env':
        if (value === '' || value.startsWith('=')) throw new UsageError(`--env needs NAME=VALUE or NAME, got '${value}'`, 'run');
        o.env.push(value);
        break;
      case '--invoke':
        o.invoke = value;
        break;
      case '--tcplisten':
        o.tcplisten.push(value);
        break;
    }
  }
  if (i < argv.length) {
    o.file = argv[i]!;
    o.args = argv.slice(i + 1);
  }
  return o;
}

/** "NAME=VALUE" lines: given ones as they are, bare names from this process (when set). */
function environment(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of list) {
    if (item.includes('=')) out.push(item);
    else if (process.env[item] !== undefined) out.push(`${item}=${process.env[item]}`);
  }
  return out;
}

async function listen(addr: string): Promise<Server> {
  const { createServer } = await import('node:net');
  const colon = addr.lastIndexOf(':');
  const port = Number(addr.slice(colon + 1));
  const host = colon > 0 ? addr.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '127.0.0.1';
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--tcplisten needs HOST:PORT, got '${addr}'`, 'run');
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new FileError(`cannot listen on ${addr}: ${describeSystemError(e)}`)));
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** An export's arguments from the command line, by its parameter types. */
function convertArgs(name: string, params: readonly string[], args: readonly string[]): unknown[] {
  if (args.length !== params.length) throw new UsageError(`export '${name}' takes ${params.length} argument(s), got ${args.length}`, 'run');
  return params.map((type, k) => {
    const text = args[k]!;
    const bad = () => new UsageError(`argument ${k + 1} of '${name}' is not a valid ${type}: '${text}'`, 'run');
    switch (type) {
      case 'i32':
      case 'i64': {
        let v: bigint;
        try {
          v = BigInt(text);
        } catch {
          throw bad();
        }
        const bits = type === 'i32' ? 32 : 64;
        if (v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits)) throw bad();
        return type === 'i32' ? Number(BigInt.asIntN(32, v)) : BigInt.asIntN(64, v);
      }
      case 'f32':
      case 'f64': {
        const v = Number(text);
        if (text.trim() === '' || (Number.isNaN(v) && !/^[+-]?nan$/i.test(text))) throw bad();
        return v;
      }
      default:
        throw new UsageError(`export '${name}' takes a ${type}, which cannot be given on the command line`, 'run');
    }
  });
}

function formatResult(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return '<funcref>';
  if (typeof v === 'object') return '<ref>';
  return String(v);
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const o = parseRunArgs(argv);
  if (o.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (o.file === null) throw new UsageError('expected a module file', 'run');
  const file = o.file;
  const bytes = await readInput(file, io);

  // Loaded here, not at the top, so that `nanoprocess --help` loads none of it.
  const [{ Engine, Linker, Module, Store, Trap, LinkError }, wasi] = await Promise.all([import('../runtime/index.ts'), import('../wasi/index.ts')]);
  const engine = new Engine();
  let module: CompiledModule;
  const binary = isBinaryModule(bytes);
  try {
    module = await Module.compile(engine, binary ? bytes : decodeSource(bytes));
  } catch (e) {
    // For text, a validation error's offset is in our encoding of it, which the user
    // never sees: the message's function and instruction numbers say where (as `validate`).
    const message = formatWasmError(!binary && e instanceof ValidationError ? new ValidationError(e.reason) : e, file);
    if (message === null) throw e;
    io.stderr.write(message + '\n');
    return EXIT.failure;
  }

  const preopens = o.dirs.map((d) => {
    try {
      return { guestPath: d.guest, dir: wasi.openHostDirectory(d.host, { readOnly: d.readOnly }), readOnly: d.readOnly };
    } catch (e) {
      throw new FileError(`cannot open directory ${d.host}: ${e instanceof wasi.WasiError ? e.code : describeSystemError(e)}`);
    }
  });
  const sockets: Server[] = [];
  for (const addr of o.tcplisten) sockets.push(await listen(addr));

  const host = (io as HostIo).hostStdio === true;
  let pendingStdin: { readonly reading: boolean } | null = null;
  let stdin: StdinOption;
  if (host) {
    const input = new wasi.HostInput(0, io.stdinIsTTY);
    pendingStdin = input;
    stdin = input;
  } else {
    stdin = io.stdinIsTTY ? new Uint8Array(0) : await io.readStdin();
  }
  const ctx = new wasi.WasiContext({
    args: [file, ...o.args],
    env: environment(o.env),
    preopens,
    sockets,
    stdin,
    stdout: host ? 1 : (chunk) => io.stdout.write(chunk),
    stderr: host ? 2 : (chunk) => io.stderr.write(chunk),
    trace: o.trace ? (line) => io.stderr.write(`wasi: ${line}\n`) : undefined,
  });

  const report = (e: unknown): number => {
    if (e instanceof wasi.WasiExit) {
      if (e.valid) return e.code;
      // WASI's range is [0, 126); Wasmtime refuses the rest with an error, and so do we.
      io.stderr.write(`nanoprocess run: ${file}: ${e.message}\n`);
      return EXIT.failure;
    }
    if (e instanceof Trap) {
      io.stderr.write(`nanoprocess run: ${file}: ${e.message}\n`);
      return TRAP_EXIT;
    }
    if (e instanceof LinkError || e instanceof UsageError) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`nanoprocess run: ${file}: ${e.message}\n`);
      return EXIT.failure;
    }
    const message = formatWasmError(e, file);
    if (message === null) throw e;
    io.stderr.write(`nanoprocess run: ${message}\n`);
    return EXIT.failure;
  };

  let code: number;
  try {
    const linker = new Linker<WasiContext>(engine);
    wasi.addWasiToLinker(linker, (c) => c, { async: true, trace: ctx.trace ?? undefined });
    const store = new Store(engine, ctx);
    const instance = await linker.instantiateAsync(store, module);
    if (o.invoke !== null) {
      const func = instance.getFunc(o.invoke);
      if (func === undefined) throw new UsageError(`the module exports no function '${o.invoke}'`, 'run');
      const values = convertArgs(o.invoke, func.type.params, o.args);
      await instance.getFunc('_initialize')?.callAsync();
      const result = await func.callAsync(...values);
      const results = func.type.results.length === 1 ? [result] : func.type.results.length === 0 ? [] : (result as unknown[]);
      for (const r of results) io.stdout.write(formatResult(r) + '\n');
      code = EXIT.ok;
    } else {
      await instance.getFunc('_start')?.callAsync();
      code = EXIT.ok;
    }
  } catch (e) {
    code = report(e);
  } finally {
    ctx.close();
  }
  // A read of stdin started for poll_oneoff may still wait on the host: do not wait for it.
  if (pendingStdin?.reading) setTimeout(() => process.exit(), 100).unref();
  return code;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a WebAssembly module with WASI (Wasmtime-like flags)',
  help,
  run,
};
