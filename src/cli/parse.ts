// `nanoprocess parse`: WebAssembly text (spec §6) to the binary format (spec §5).

import { type Command, EXIT, type Io, UsageError, formatWasmError, parseOptions, readInput, writeOutput } from './io.ts';
import { decodeSource } from './text-input.ts';

const help = `nanoprocess parse — translate WebAssembly text (.wat) to a binary module (.wasm)

Usage: nanoprocess parse [IN.wat] [-o OUT.wasm]

Reads IN.wat (or standard input when IN is "-" or missing), parses the full
WebAssembly 3.0 text format and writes the encoded module. Errors are reported
as FILE:LINE:COLUMN: MESSAGE with exit code 1.

Options:
  -o, --output FILE   write the binary to FILE ("-" for standard output);
                      without -o the binary goes to standard output, which
                      must not be a terminal
  -h, --help          show this help
`;

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('parse', args, { output: { type: 'string', short: 'o' } });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError(`expected one input file, got ${positionals.length}`, 'parse');
  if (positionals.length === 0 && io.stdinIsTTY) {
    throw new UsageError('no input file given (use "-" to read WebAssembly text from the terminal)', 'parse');
  }
  const input = positionals[0] ?? '-';
  const output = values.output ?? '-';
  if (output === '-' && io.stdout.isTTY) {
    throw new UsageError('refusing to write a binary module to a terminal; use -o FILE or redirect standard output', 'parse');
  }
  const file = input === '-' ? '<stdin>' : input;
  const raw = await readInput(input, io);
  // Loaded here, not at the top, so that `nanoprocess --help` does not load the parser.
  const [{ parseModule }, { encodeModule }] = await Promise.all([import('../text/index.ts'), import('../binary/index.ts')]);
  let bytes: Uint8Array;
  try {
    bytes = encodeModule(parseModule(decodeSource(raw), { file }));
  } catch (e) {
    const message = formatWasmError(e, file);
    if (message === null) throw e;
    io.stderr.write(message + '\n');
    return EXIT.failure;
  }
  await writeOutput(output, bytes, io);
  return EXIT.ok;
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'translate WebAssembly text (.wat) to a binary module (.wasm)',
  help,
  run,
};
