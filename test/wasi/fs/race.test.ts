// Race freedom of host directories (host.ts, Linux /proc/self/fd resolution): while a
// child process keeps swapping a directory of the sandbox for a symbolic link to a
// directory outside, the guest's operations through that directory must never reach
// outside. A control run with a naive check-then-use implementation shows that the swap
// does open the window this test looks for.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WasiError } from '../../../src/wasi/errno.ts';
import { resolvePath } from '../../../src/wasi/fs/resolve.ts';
import type { Directory } from '../../../src/wasi/fs/types.ts';
import { bytes, hostFixture, hostListing, type Fixture } from './fixtures.ts';

const hasProcFd = process.platform === 'linux' && nodeFs.existsSync('/proc/self/fd');
const RACE_MS = 2500;

/**
 * Swaps `sandbox/d` (a real directory) and `sandbox/d_link` (a link to `outside`) by
 * renames, as fast as it can, until killed. Prints "ready" once started.
 */
const SWAPPER = `
const fs = require('node:fs');
const s = process.argv[1];
process.stdout.write('ready\\n');
for (;;) {
  fs.renameSync(s + '/d', s + '/d_real');
  fs.renameSync(s + '/d_link', s + '/d');
  fs.renameSync(s + '/d', s + '/d_link');
  fs.renameSync(s + '/d_real', s + '/d');
}
`;

/** Prepares the sandbox: d/sub/victim.txt inside, d_link → <base>/outside (which has sub/victim.txt). */
function prepare(f: Fixture): string {
  const sandbox = join(f.basePath, 'sandbox');
  nodeFs.mkdirSync(join(sandbox, 'd', 'sub'), { recursive: true });
  nodeFs.writeFileSync(join(sandbox, 'd', 'sub', 'victim.txt'), 'inside victim\n');
  nodeFs.symlinkSync(join(f.basePath, 'outside'), join(sandbox, 'd_link'));
  return sandbox;
}

async function startSwapper(sandbox: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', SWAPPER, sandbox], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', () => reject(new Error('swapper exited early')));
  });
  return child;
}

async function stopSwapper(child: ChildProcess, sandbox: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  // Put the pair back the way it started, whichever step the kill interrupted.
  const at = (n: string) => nodeFs.lstatSync(join(sandbox, n), { throwIfNoEntry: false });
  if (at('d')?.isSymbolicLink()) nodeFs.renameSync(join(sandbox, 'd'), join(sandbox, 'd_link'));
  if (at('d_real')) nodeFs.renameSync(join(sandbox, 'd_real'), join(sandbox, 'd'));
}

/** Runs one guest operation on `path`; counts how it ended. */
function attempt(tally: Map<string, number>, action: () => void): void {
  let outcome = 'ok';
  try {
    action();
  } catch (error) {
    if (!(error instanceof WasiError)) throw error;
    outcome = error.code;
  }
  tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
}

function at(root: Directory, path: string, body: (dir: Directory, name: string) => void): void {
  const r = resolvePath(root, path, { followFinalSymlink: false });
  try {
    body(r.dir, r.name);
  } finally {
    r.release();
  }
}

/** The guest's side: creations, writes, removals, renames and time changes through d/sub. */
function guestOperations(root: Directory, tally: Map<string, number>): void {
  attempt(tally, () => at(root, 'd/sub/pwned.txt', (dir, name) => {
    const file = dir.openFile(name, { write: true, create: true });
    try {
      file.write(bytes('PWNED'), 0n);
    } finally {
      file.close();
    }
    dir.unlinkFile(name);
  }));
  attempt(tally, () => at(root, 'd/sub/made', (dir, name) => {
    dir.createDirectory(name);
    dir.removeDirectory(name);
  }));
  attempt(tally, () => at(root, 'd/sub/victim.txt', (dir, name) => {
    dir.setTimesAt(name, 1_000_000_000n, 1_000_000_000n);
    dir.rename(name, dir, 'victim.moved');
    dir.rename('victim.moved', dir, name);
  }));
  attempt(tally, () => at(root, 'd/sub/victim.txt', (dir, name) => {
    const file = dir.openFile(name, { write: true, truncate: true });
    file.close();
  }));
  attempt(tally, () => at(root, 'd/sub/linked', (dir, name) => {
    dir.symlink('victim.txt', name);
    dir.unlinkFile(name);
  }));
}

describe('host resolution under a concurrent directory/symlink swap', { skip: hasProcFd ? false : 'needs /proc/self/fd' }, () => {
  it('never reaches outside the sandbox', async () => {
    const f = hostFixture('proc-fd');
    try {
      const sandbox = prepare(f);
      const outsideBefore = hostListing(join(f.basePath, 'outside'));
      const child = await startSwapper(sandbox);
      const tally = new Map<string, number>();
      let iterations = 0;
      try {
        const end = Date.now() + RACE_MS;
        while (Date.now() < end) {
          guestOperations(f.root, tally);
          iterations++;
        }
      } finally {
        await stopSwapper(child, sandbox);
      }
      const summary = JSON.stringify(Object.fromEntries(tally));
      assert.equal(hostListing(join(f.basePath, 'outside')), outsideBefore, `outside changed after ${iterations} iterations ${summary}`);
      assert.ok((tally.get('ok') ?? 0) > 0, `some operations ran inside: ${summary}`);
      assert.ok((tally.get('perm') ?? 0) > 0, `some walks met the link: ${summary}`);
    } finally {
      f.dispose();
    }
  });

  it('control: a check-then-use implementation does escape under the same swap', async () => {
    const f = hostFixture('proc-fd');
    try {
      const sandbox = prepare(f);
      const outsideFile = join(f.basePath, 'outside', 'sub', 'pwned.txt');
      const child = await startSwapper(sandbox);
      let escaped = false;
      try {
        const end = Date.now() + 4 * RACE_MS;
        while (!escaped && Date.now() < end) {
          try {
            // The naive way: check that d is a real directory, then use a path through it.
            if (nodeFs.lstatSync(join(sandbox, 'd')).isDirectory()) {
              nodeFs.writeFileSync(join(sandbox, 'd', 'sub', 'pwned.txt'), 'PWNED');
            }
          } catch {
            // the swap got in the way
          }
          escaped = nodeFs.existsSync(outsideFile);
        }
      } finally {
        await stopSwapper(child, sandbox);
      }
      assert.ok(escaped, 'the naive implementation was never caught out: the race window is not being exercised');
    } finally {
      f.dispose();
    }
  });
});
