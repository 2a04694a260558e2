// `nanoprocess validate`: decodes (spec §5) or parses (spec §6) each module and validates
// it (spec §3), reporting the first error of each file with its position.

import type { FeatureSet } from '../model/features.ts';
import { FEATURES_HELP, parseFeatures } from './features.ts';
import { type Command, EXIT, FileError, type Io, UsageError, formatWasmError, parseOptions, readInput } from './io.ts';
import { decodeSource } from './text-input.ts';

const help = `nanoprocess validate — check that WebAssembly modules are valid

Usage: nanoprocess validate FILE... [--features LIST] [-v]

Each FILE is a binary module (.wasm) or a module in the text format (.wat); files
starting with the binary magic number "\\0asm" are binary, whatever their name
("-" reads standard input). Every file is decoded or parsed, then validated.
Nothing is printed for a valid file; for an invalid one the first error is
printed to standard error as

  FILE: offset 0xOFFSET: MESSAGE     (binary modules)
  FILE:LINE:COLUMN: MESSAGE          (text that does not parse)
  FILE: MESSAGE                      (where no position is known)

Exit code 0 when every file is valid, 1 otherwise.

Options:
  --features LIST  the WebAssembly proposals to accept (default: all of
                   WebAssembly 3.0 plus threads), a comma-separated list applied
                   in order: a preset, -NAME to turn a proposal off, +NAME to turn
                   it on; e.g. --features=-gc,-simd or --features=wasm2,+simd
                   (${FEATURES_HELP})
  -v, --verbose    also print "FILE: valid" for each valid file
  -h, --help       show this help
`;

/** Whether `bytes` start with the binary format's magic number `\0asm`. */
export function isBinaryModule(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** Decodes and validates a binary module; throws our errors, with offsets where we can. */
export async function validateBinary(bytes: Uint8Array, features: FeatureSet): Promise<void> {
  // Loaded here, not at the top, so that `nanoprocess --help` loads none of it.
  const { validate } = await import('../validate/index.ts');
  validate(bytes, { features });
}

/** Parses and validates a module in the text format. */
export async function validateText(bytes: Uint8Array, file: string, features: FeatureSet): Promise<void> {
  const [{ parseModule }, { validateModule }] = await Promise.all([import('../text/index.ts'), import('../validate/index.ts')]);
  validateModule(parseModule(decodeSource(bytes), { file }), { features });
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('validate', args, {
    features: { type: 'string', multiple: true },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('expected at least one file', 'validate');
  const features = parseFeatures(values.features ?? [], 'validate');
  let failed = 0;
  for (const path of positionals) {
    const file = path === '-' ? '<stdin>' : path;
    try {
      const bytes = await readInput(path, io);
      if (isBinaryModule(bytes)) await validateBinary(bytes, features);
      else await validateText(bytes, file, features);
      if (values.verbose) io.stdout.write(`${file}: valid\n`);
    } catch (e) {
      const message = e instanceof FileError ? `nanoprocess: ${e.message}` : formatWasmError(e, file);
      if (message === null) throw e;
      io.stderr.write(message + '\n');
      failed++;
    }
  }
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check that WebAssembly modules (.wasm or .wat) are valid',
  help,
  run,
};
