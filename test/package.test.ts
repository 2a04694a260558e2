// The published package: `npm pack` builds dist/ and packs it; installed into a fresh
// project (no network: the package has no dependencies), every subpath export loads
// with the plain JavaScript Node.js runs inside node_modules, its types check, and the
// `nanoprocess` bin works. Slow-ish (a full build), so it runs as one test file.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportsOf } from './cli/wasm.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'nanoprocess-package-'));
const project = join(work, 'project');
after(() => rmSync(work, { recursive: true, force: true }));

/** PATH with this Node.js (24, from node_modules) first, as `npx` would have it. */
const env = { ...process.env, PATH: [dirname(process.execPath), join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const npmMissing = spawnSync('npm', ['--version'], { env }).status !== 0;

describe('npm package', { skip: npmMissing ? 'npm is not on PATH' : false }, () => {
  let installed = '';

  before(() => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as { filename: string; files: { path: string }[] }[];
    const tarball = join(work, packed[0]!.filename);
    writeFileSync(join(work, 'files.json'), JSON.stringify(packed[0]!.files.map((f) => f.path)));
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--offline', tarball], project);
    installed = join(project, 'node_modules', 'nanoprocess');
  });

  it('ships built JavaScript, declarations and the bin, not the tests', () => {
    const files = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as string[];
    for (const f of ['package.json', 'bin/nanoprocess.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    for (const layer of ['model', 'binary', 'text', 'wast']) {
      assert.ok(files.includes(`dist/${layer}/index.js`) && files.includes(`dist/${layer}/index.d.ts`), `dist/${layer} is packed`);
    }
    assert.deepEqual(files.filter((f) => f.startsWith('test/') || f.startsWith('bench/') || f.startsWith('node_modules/')), []);
  });

  it('loads every subpath export as plain JavaScript and parses a module', () => {
    const script = `
      import * as root from 'nanoprocess';
      import * as model from 'nanoprocess/model';
      import * as binary from 'nanoprocess/binary';
      import * as text from 'nanoprocess/text';
      import * as wast from 'nanoprocess/wast';
      const bytes = binary.encodeModule(text.parseModule('(module (func (export "f") (result i32) (i32.const 42)))'));
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      let deep = 'exported';
      try { await import('nanoprocess/dist/cli/main.js'); } catch (e) { deep = e.code; }
      console.log(JSON.stringify({
        f: exports.f(),
        sameParser: root.parseModule === text.parseModule,
        errors: typeof model.ParseError,
        wast: Object.keys(wast).length > 0,
        deep,
      }));
    `;
    writeFileSync(join(project, 'use.mjs'), script);
    const out = execFileSync(process.execPath, ['use.mjs'], { cwd: project, env, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { f: 42, sameParser: true, errors: 'function', wast: true, deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('has types a TypeScript project resolves through the exports', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { parseModule } from 'nanoprocess/text';
       import { encodeModule } from 'nanoprocess/binary';
       import type { Module } from 'nanoprocess/model';
       const m: Module = parseModule('(module)');
       const bytes: Uint8Array = encodeModule(m);
       export { bytes };
       // @ts-expect-error: not a subpath export
       import('nanoprocess/dist/text/index.js');
      `,
    );
    // Checks our declaration files too (skipLibCheck off), with no DOM or Node.js types.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', lib: ['es2023'], types: [], skipLibCheck: false },
        files: ['use.ts'],
      }),
    );
    const args = [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'];
    const r = spawnSync(process.execPath, args, { cwd: project, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('runs the nanoprocess bin from the built JavaScript', () => {
    const bin = join(project, 'node_modules', '.bin', 'nanoprocess');
    assert.ok(existsSync(bin));
    const version = execFileSync(bin, ['--version'], { cwd: project, env, encoding: 'utf8' });
    assert.match(version, /^nanoprocess \d+\.\d+\.\d+/);
    writeFileSync(join(project, 'f.wat'), '(module (func (export "f") (result i32) (i32.const 7)))');
    execFileSync(bin, ['parse', 'f.wat', '-o', 'f.wasm'], { cwd: project, env });
    assert.equal((exportsOf(readFileSync(join(project, 'f.wasm'))).f as () => number)(), 7);
    // src/ is packed too (for source maps), but Node.js refuses to strip types inside
    // node_modules: the bin working at all shows it ran dist/.
    assert.ok(existsSync(join(installed, 'dist', 'cli', 'main.js')));
  });
});
