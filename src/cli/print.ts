// `nanoprocess print` (wasm2wat): a binary module (spec §5) in the text format (spec §6).

import type { Module } from '../model/types.ts';
import { type Command, EXIT, FileError, type Io, UsageError, formatWasmError, parseOptions, readInput, writeOutput } from './io.ts';

const help = `nanoprocess print — print a binary module (.wasm) in the text format (.wat)

Usage: nanoprocess print FILE.wasm [-o OUT.wat] [--folded]

Decodes FILE.wasm ("-" for standard input) and prints it in the WebAssembly text
format, with identifiers from its name section. Errors are reported as
FILE: offset 0xOFFSET: MESSAGE with exit code 1.

Options:
  -o, --output FILE  write the text to FILE (default: standard output)
  --folded           write instructions as nested S-expressions, (i32.add
                     (local.get 0) (i32.const 1)), rather than one per line
  -h, --help         show this help
`;

type PrintModule = (module: Module, options?: { readonly folded?: boolean }) => string;

/** The printer, or a clear error while it is not part of the text layer yet. */
async function loadPrinter(): Promise<PrintModule> {
  let text: Record<string, unknown>;
  try {
    text = await import('../text/index.ts');
  } catch (e) {
    throw new FileError(`the printer cannot be loaded: ${(e as Error).message}`);
  }
  const print = text.printModule;
  if (typeof print !== 'function') throw new FileError('the printer is not available in this build (src/text has no printModule)');
  return print as PrintModule;
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('print', args, {
    output: { type: 'string', short: 'o' },
    folded: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one input file, got ${positionals.length}`, 'print');
  const input = positionals[0]!;
  const file = input === '-' ? '<stdin>' : input;
  const bytes = await readInput(input, io);
  // Loaded here, not at the top, so that `nanoprocess --help` loads neither.
  const [{ decodeModule }, printModule] = await Promise.all([import('../binary/index.ts'), loadPrinter()]);
  let text: string;
  try {
    text = printModule(decodeModule(bytes), { folded: values.folded === true });
  } catch (e) {
    const message = formatWasmError(e, file);
    if (message === null) throw e;
    io.stderr.write(message + '\n');
    return EXIT.failure;
  }
  await writeOutput(values.output ?? '-', text.endsWith('\n') ? text : text + '\n', io);
  return EXIT.ok;
}

export const printCommand: Command = {
  name: 'print',
  summary: 'print a binary module (.wasm) in the text format (wasm2wat)',
  help,
  run,
};
