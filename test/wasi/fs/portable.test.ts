// The in-memory file system and the resolver run in any JavaScript engine (DESIGN
// principle 6): they and what they import use no `node:` module and no Node-only global.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const fsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../src/wasi/fs');
const NODE_GLOBALS = /\b(process|Buffer|require|__dirname|__filename|setImmediate|global)\b/;

/** The file and every relative import it reaches, transitively. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)) closure(join(dirname(file), m[1]!), seen);
  return seen;
}

for (const entry of ['memory.ts', 'resolve.ts']) {
  it(`${entry} and its imports are portable`, () => {
    for (const file of closure(join(fsDir, entry))) {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/'[^'\n]*'/g, "''");
      assert.doesNotMatch(readFileSync(file, 'utf8'), /from\s+'node:/, `${file} imports node:`);
      assert.doesNotMatch(code, NODE_GLOBALS, `${file} uses a Node-only global`);
    }
  });
}
