// bin/nanoprocess.js in a checkout: runs src/cli/main.ts with type stripping, passes the
// exit code through, and on Node.js < 24 says how to run it instead of failing obscurely.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'nanoprocess.js');

function run(node: string, args: string[], input = '') {
  return spawnSync(node, [bin, ...args], { cwd: root, input, encoding: 'utf8' });
}

/** A Node.js older than 24 on PATH outside this checkout (the system one, on CI), if any. */
function olderNode(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.startsWith(root)) continue;
    const node = join(dir, 'node');
    if (!existsSync(node)) continue;
    const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (r.status === 0 && Number(r.stdout.split('.')[0]) < 24) return node;
  }
  return null;
}

describe('bin/nanoprocess.js', () => {
  it('runs the TypeScript source in a checkout', () => {
    const r = run(process.execPath, ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^nanoprocess \d+\.\d+\.\d+\n$/);
    assert.equal(r.stderr, '');
  });

  it('passes exit codes through: 2 for a usage error, 1 for bad input', () => {
    assert.equal(run(process.execPath, ['frobnicate']).status, 2);
    const bad = run(process.execPath, ['parse', '-o', '-'], '(module (func i32.frobnicate))');
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, '<stdin>:1:15: unknown operator i32.frobnicate\n');
  });

  it('writes binary to a pipe', () => {
    const r = spawnSync(process.execPath, [bin, 'parse'], { cwd: root, input: '(module)' });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual([...r.stdout], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  });

  const old = olderNode();
  it('explains how to run it on Node.js < 24', { skip: old ? false : 'no Node.js older than 24 on PATH' }, () => {
    const r = run(old!, ['--version']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs Node\.js 24 or newer, but this is Node\.js v\d+/);
    assert.match(r.stderr, /npx nanoprocess/);
  });
});
