// `npm run bench`: the benchmarks, each in a process of its own:
//   parse     WAT text → binary, ours against wasm-tools, wabt and binaryen (bench/run.ts)
//   validate  binary decode + validate, ours against V8, wasmparser, wabt and binaryen
//             (bench/validate.ts)
// Without arguments both run, one after the other. `npm run bench -- parse [OPTIONS]` or
// `npm run bench -- validate [OPTIONS]` runs one with its options (see the head of each
// file); options without a section name go to `parse`, as they did before the
// validation benchmark existed.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SECTIONS = { parse: 'run.ts', validate: 'validate.ts' } as const;
type Section = keyof typeof SECTIONS;

const argv = process.argv.slice(2);
const named = argv[0] === 'parse' || argv[0] === 'validate' ? (argv[0] as Section) : null;
const chosen: Section[] = named !== null ? [named] : argv.length > 0 ? ['parse'] : ['parse', 'validate'];
const args = named !== null ? argv.slice(1) : argv;
for (const section of chosen) {
  if (chosen.length > 1) console.log(`\n=== ${section} (bench/${SECTIONS[section]}) ===\n`);
  const r = spawnSync(process.execPath, [join(here, SECTIONS[section]), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
