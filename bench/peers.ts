// The parsers measured side by side: ours and three peers, each behind the same shape,
// a function from WAT text to WebAssembly binary bytes.

import { WABT_FEATURES } from './corpus.ts';

export type ParserName = 'ours' | 'wasm-tools' | 'wabt' | 'binaryen';
export const PARSERS: readonly ParserName[] = ['ours', 'wasm-tools', 'wabt', 'binaryen'];

/** Text → binary; may be async where the peer's API is. */
export type ParseFn = (text: string, file: string) => Uint8Array | Promise<Uint8Array>;

export const DESCRIPTIONS: Readonly<Record<ParserName, string>> = {
  ours: 'nanoprocess: parseModule (src/text) + encodeModule (src/binary)',
  'wasm-tools':
    "wasm-tools' `wat` crate compiled to WebAssembly, as shipped in @bytecodealliance/jco-transpile: parse() from '@bytecodealliance/jco-transpile/wasm-tools'",
  wabt: 'wabt (npm, Emscripten build of wabt): parseWat + resolveNames + toBinary (with the name section)',
  binaryen: 'binaryen (npm, Emscripten build of Binaryen): parseText + emitBinary (with the name section: setDebugInfo(true))',
};

/** Loads one parser. Throws with a clear message when it is not available. */
export async function loadParser(name: ParserName): Promise<ParseFn> {
  switch (name) {
    case 'ours':
      return loadOurs();
    case 'wasm-tools': {
      const tools = await import('@bytecodealliance/jco-transpile/wasm-tools');
      return (text) => tools.parse(text);
    }
    case 'wabt': {
      const wabt = await (await import('wabt')).default();
      return (text, file) => {
        const m = wabt.parseWat(file, text, WABT_FEATURES);
        try {
          m.resolveNames();
          // Names too, as wasm-tools and ours emit the name section.
          return m.toBinary({ write_debug_names: true }).buffer;
        } finally {
          m.destroy();
        }
      };
    }
    case 'binaryen': {
      const binaryen = (await import('binaryen')).default;
      // Names too, as the others emit the name section (binaryen's default leaves it out).
      binaryen.setDebugInfo(true);
      return (text) => {
        const m = binaryen.parseText(text);
        try {
          // No setFeatures: with Features.All, emitBinary uses encodings of proposals V8
          // does not run (e.g. exact imports); the parser itself accepts every feature.
          return m.emitBinary();
        } finally {
          m.dispose();
        }
      };
    }
  }
}

async function loadOurs(): Promise<ParseFn> {
  const [{ parseModule }, { encodeModule }] = await Promise.all([import('../src/text/index.ts'), import('../src/binary/index.ts')]);
  return (source, file) => encodeModule(parseModule(source, { file }));
}
