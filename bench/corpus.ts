// The benchmark corpus: real-world WebAssembly modules shipped inside npm packages
// (installed as exact-pinned dev dependencies), printed to text once into bench/.cache/.
// Each is printed by one peer's printer so that both flat (wabt) and folded (binaryen)
// styles are measured; our printer will join when it exists.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Printer = 'wabt' | 'binaryen';

export interface CorpusEntry {
  /** Short name used in the report and the cache file name. */
  readonly name: string;
  /** npm package that ships the module. */
  readonly pkg: string;
  /** Path of the .wasm file inside the package. */
  readonly file: string;
  /** What was compiled to produce it (for the report). */
  readonly origin: string;
  readonly printer: Printer;
}

export const CORPUS: readonly CorpusEntry[] = [
  { name: 'tree-sitter', pkg: 'web-tree-sitter', file: 'web-tree-sitter.wasm', origin: 'C, Emscripten', printer: 'wabt' },
  { name: 'webp-enc-simd', pkg: '@jsquash/webp', file: 'codec/enc/webp_enc_simd.wasm', origin: 'C/C++ with SIMD, Emscripten', printer: 'wabt' },
  { name: 'oniguruma', pkg: 'vscode-oniguruma', file: 'release/onig.wasm', origin: 'C, Emscripten', printer: 'binaryen' },
  { name: 'brotli', pkg: 'brotli-wasm', file: 'pkg.node/brotli_wasm_bg.wasm', origin: 'Rust, wasm-bindgen', printer: 'wabt' },
  { name: 'quickjs', pkg: '@jitl/quickjs-wasmfile-release-sync', file: 'dist/emscripten-module.wasm', origin: 'C, Emscripten', printer: 'binaryen' },
  { name: 'sqlite', pkg: 'sql.js', file: 'dist/sql-wasm.wasm', origin: 'C, Emscripten', printer: 'wabt' },
];

const here = dirname(fileURLToPath(import.meta.url));
export const CACHE_DIR = join(here, '.cache');

/** Directory of an installed package (works for packages whose exports hide package.json). */
function packageDir(pkg: string): { dir: string; version: string } {
  const dir = join(here, '..', 'node_modules', ...pkg.split('/'));
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version: json.version };
}

/** All features on, for the peers' readers and parsers. */
export const WABT_FEATURES = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true, simd: true,
  threads: true, function_references: true, multi_value: true, tail_call: true, bulk_memory: true,
  reference_types: true, annotations: true, code_metadata: true, gc: true, memory64: true,
  extended_const: true, relaxed_simd: true,
} as const;

async function print(bytes: Uint8Array, printer: Printer): Promise<string> {
  if (printer === 'wabt') {
    const wabt = await (await import('wabt')).default();
    const m = wabt.readWasm(bytes, { readDebugNames: true, ...WABT_FEATURES });
    try {
      m.generateNames();
      m.applyNames();
      return m.toText({ foldExprs: false, inlineExport: false });
    } finally {
      m.destroy();
    }
  }
  const binaryen = (await import('binaryen')).default;
  const m = binaryen.readBinary(bytes);
  try {
    m.setFeatures(binaryen.Features.All);
    return m.emitText();
  } finally {
    m.dispose();
  }
}

export interface PreparedInput {
  readonly entry: CorpusEntry;
  readonly version: string;
  readonly wasmBytes: number;
  /** Path of the printed text in the cache. */
  readonly path: string;
  /** Size of the text in bytes (UTF-8). */
  readonly textBytes: number;
}

/** Prints each entry to bench/.cache/NAME@VERSION.PRINTER.wat unless already there. */
export async function prepare(entries: readonly CorpusEntry[]): Promise<PreparedInput[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const out: PreparedInput[] = [];
  for (const entry of entries) {
    const { dir, version } = packageDir(entry.pkg);
    const wasm = readFileSync(join(dir, entry.file));
    const path = join(CACHE_DIR, `${entry.name}@${version}.${entry.printer}.wat`);
    if (!existsSync(path)) writeFileSync(path, await print(wasm, entry.printer));
    out.push({ entry, version, wasmBytes: wasm.length, path, textBytes: readFileSync(path).length });
  }
  return out;
}
