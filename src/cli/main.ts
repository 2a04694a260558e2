// The `nanoprocess` command: dispatches to one subcommand per file in this folder, and
// turns errors into messages and exit codes (0 ok, 1 bad input or failures, 2 usage).

import { readFileSync } from 'node:fs';
import { type Command, EXIT, FileError, type Io, UsageError, processIo } from './io.ts';
import { inspectCommand } from './inspect.ts';
import { parseCommand } from './parse.ts';
import { printCommand } from './print.ts';
import { type HostIo, runCommand } from './run.ts';
import { validateCommand } from './validate.ts';
import { wastCommand } from './wast.ts';

export const COMMANDS: readonly Command[] = [parseCommand, printCommand, validateCommand, inspectCommand, wastCommand, runCommand];

/** The package version, read from package.json (two levels up from src/cli or dist/cli). */
export function version(): string {
  const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return json.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `nanoprocess — secure-by-default WebAssembly for TypeScript and Node.js

Usage: nanoprocess <command> [options] [arguments]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
  ${'help'.padEnd(width)}  show help for a command (nanoprocess help <command>)

Options:
  -h, --help     show this help
  -V, --version  print the version

Run 'nanoprocess help <command>' or 'nanoprocess <command> --help' for details.
`;
}

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}, help`);
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(overview());
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help') {
    io.stdout.write(overview());
    return EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    io.stdout.write(`nanoprocess ${version()}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    if (rest.length === 0) {
      io.stdout.write(overview());
      return EXIT.ok;
    }
    if (rest.length > 1) throw new UsageError('help takes one command name');
    const command = find(rest[0]!);
    if (!command) throw unknownCommand(rest[0]!);
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
  const command = find(first);
  if (!command) throw unknownCommand(first);
  return command.run(rest, io);
}

/** The process's own streams, marked so that `run` may hand the guest fds 0, 1 and 2 directly. */
function hostIo(): HostIo {
  return { ...processIo(), hostStdio: true };
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = hostIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const hint = e.command ? `nanoprocess help ${e.command}` : 'nanoprocess --help';
      io.stderr.write(`nanoprocess${e.command ? ' ' + e.command : ''}: ${e.message}\nRun '${hint}' for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof FileError) {
      io.stderr.write(`nanoprocess: ${e.message}\n`);
      return EXIT.failure;
    }
    // Not bad input but a bug of ours: say so, with the stack for the report.
    const err = e as Error;
    io.stderr.write(`nanoprocess: internal error (please report it): ${err?.stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}
