// Runs examples/sha256.wat once `nanoprocess parse` has turned it into a binary module:
// prints the SHA-256 of each file (or of standard input) like `sha256sum`.
//
//   npx nanoprocess parse examples/sha256.wat -o examples/sha256.wasm
//   node examples/sha256.js examples/sha256.wasm README.md package.json
//
// Plain JavaScript on purpose: it needs only the WebAssembly API of any Node.js.

import { createReadStream, readFileSync } from 'node:fs';

const [wasmPath, ...files] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node examples/sha256.js SHA256.WASM [FILE...]');
  process.exit(2);
}

const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath));
const { memory, input, input_size: inputSize, init, update, final } = instance.exports;

async function sha256(stream) {
  init();
  for await (const chunk of stream) {
    for (let at = 0; at < chunk.length; at += inputSize.value) {
      const part = chunk.subarray(at, at + inputSize.value);
      new Uint8Array(memory.buffer, input.value, part.length).set(part);
      update(part.length);
    }
  }
  return Buffer.from(memory.buffer, final(), 32).toString('hex');
}

for (const file of files.length > 0 ? files : ['-']) {
  try {
    const stream = file === '-' ? process.stdin : createReadStream(file);
    console.log(`${await sha256(stream)}  ${file}`);
  } catch (e) {
    console.error(`sha256.js: ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    process.exitCode = 1;
  }
}
