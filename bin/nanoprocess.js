#!/usr/bin/env node
// The `nanoprocess` command. In a checkout it runs the TypeScript source directly
// (src/cli/main.ts, with Node.js's type stripping); installed as a package, where
// Node.js does not strip types inside node_modules, it runs the built dist/cli/main.js.

import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `nanoprocess needs Node.js 24 or newer, but this is Node.js ${process.version}.\n` +
      'In a checkout of nanoprocess, run it through npx (npx nanoprocess ...): npx puts\n' +
      "node_modules/.bin first on PATH, where 'npm ci' installed the pinned Node.js 24.\n",
  );
  process.exit(1);
}

// Node.js's on-disk compile cache (in the temporary directory) halves start-up: most of
// it is compiling our own modules, which do not change between runs.
module.enableCompileCache?.();

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
const inNodeModules = fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
const entry = !inNodeModules && existsSync(source) ? source : built;
if (!existsSync(entry)) {
  process.stderr.write(`nanoprocess: ${fileURLToPath(entry)} is missing; run 'npm run build'.\n`);
  process.exit(1);
}

const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
