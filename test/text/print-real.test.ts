// The printer on real-world modules from npm packages (dev dependencies): decode → print
// → parse → encode gives the encoding of the decoded model, flat and folded; the same for
// the WAT texts the benchmark keeps in bench/.cache (git-ignored: skipped when absent).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { parseModule, printModule } from '../../src/text/index.ts';
import { Tally, roundTrip } from './print-roundtrip.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const WASM_FILES = [
  'sql.js/dist/sql-wasm.wasm',
  'sql.js/dist/sql-wasm-debug.wasm',
  'web-tree-sitter/web-tree-sitter.wasm',
  'web-tree-sitter/debug/web-tree-sitter.wasm',
  'vscode-oniguruma/release/onig.wasm',
  'brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
  '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  '@jsquash/webp/codec/dec/webp_dec.wasm',
  '@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm',
  '@bytecodealliance/jco-transpile/vendor/wasm-tools.core.wasm',
  '@bytecodealliance/jco-transpile/vendor/wasm-tools.core2.wasm',
];

for (const file of WASM_FILES) {
  const path = root + 'node_modules/' + file;
  test(`printer round trip: ${file}`, { skip: existsSync(path) ? false : 'not installed' }, (t) => {
    const module = decodeModule(new Uint8Array(readFileSync(path)));
    const bytes = encodeModule(module);
    const tally = new Tally();
    for (const folded of [false, true]) tally.add(folded ? 'folded' : 'flat', roundTrip(module, folded, bytes));
    t.diagnostic(tally.summary());
    assert.deepEqual(tally.failures, []);
    assert.equal(tally.gap, 0, 'no module needs a difference the text cannot carry');
  });
}

const cacheDir = root + 'bench/.cache/';
const watFiles = existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.wat')).sort() : [];

test('printer round trip: benchmark WAT texts', { skip: watFiles.length > 0 ? false : 'bench/.cache has no .wat files' }, (t) => {
  const tally = new Tally();
  for (const f of watFiles) {
    const module = parseModule(readFileSync(cacheDir + f, 'utf8'), { file: f });
    const bytes = encodeModule(module);
    for (const folded of [false, true]) tally.add(`${f} ${folded ? 'folded' : 'flat'}`, roundTrip(module, folded, bytes));
  }
  t.diagnostic(`${watFiles.length} files × flat and folded: ${tally.summary()}`);
  assert.deepEqual(tally.failures, []);
  assert.equal(tally.gap, 0, 'a module parsed from text has nothing the text cannot say');
});

test('printing a 1 MB module takes well under a second', { skip: existsSync(root + 'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm') ? false : 'not installed' }, (t) => {
  const module = decodeModule(new Uint8Array(readFileSync(root + 'node_modules/brotli-wasm/pkg.node/brotli_wasm_bg.wasm')));
  for (const folded of [false, true]) {
    printModule(module, { folded }); // warm-up
    const t0 = performance.now();
    const text = printModule(module, { folded });
    const ms = performance.now() - t0;
    t.diagnostic(`${folded ? 'folded' : 'flat'}: ${ms.toFixed(0)} ms for ${(text.length / 1e6).toFixed(1)} MB of text`);
    assert.ok(ms < 1000, `${ms} ms`);
  }
});
