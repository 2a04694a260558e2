// Real-world modules from npm packages (dev dependencies): decoding then encoding gives
// back the same bytes, and the lazy reader agrees with the full decoder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { ModuleReader } from '../../src/binary/module-reader.ts';
import { toHex } from './helpers.ts';

const root = fileURLToPath(new URL('../../node_modules/', import.meta.url));

const FILES = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'web-tree-sitter/debug/web-tree-sitter.wasm',
  '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  'vscode-oniguruma/release/onig.wasm',
  'brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
  '@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm',
  'sql.js/dist/sql-wasm.wasm',
];

for (const file of FILES) {
  const path = root + file;
  test(`round trip: ${file}`, { skip: existsSync(path) ? false : 'not installed' }, () => {
    const bytes = new Uint8Array(readFileSync(path));
    const model = decodeModule(bytes);
    const again = encodeModule(model);
    if (again.length !== bytes.length || !again.every((b, i) => b === bytes[i])) {
      const at = again.findIndex((b, i) => b !== bytes[i]);
      assert.fail(`re-encoding differs at offset ${at}: ${toHex(bytes.subarray(at, at + 16))} vs ${toHex(again.subarray(at, at + 16))}`);
    }
    const lazy = new ModuleReader(bytes);
    assert.deepStrictEqual(lazy.imports(), model.imports);
    assert.deepStrictEqual(lazy.exports(), model.exports);
    assert.equal(lazy.functionBodies().length, model.funcs.length);
  });
}
