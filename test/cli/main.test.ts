// The `nanoprocess` command's dispatch, help, version and usage errors.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMANDS, main } from '../../src/cli/main.ts';
import { memoryIo } from './io.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('nanoprocess', () => {
  it('--help lists every subcommand and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const io = memoryIo();
      assert.equal(await main([flag], io), 0);
      for (const c of COMMANDS) assert.match(io.outText(), new RegExp(`^  ${c.name} `, 'm'));
      assert.equal(io.errText(), '');
    }
  });

  it('without arguments prints the overview to stderr and exits 2', async () => {
    const io = memoryIo();
    assert.equal(await main([], io), 2);
    assert.match(io.errText(), /Usage: nanoprocess <command>/);
  });

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const io = memoryIo();
      assert.equal(await main([flag], io), 0);
      assert.equal(io.outText(), `nanoprocess ${pkg.version}\n`);
    }
  });

  it('help CMD and CMD --help print the same text', async () => {
    for (const c of COMMANDS) {
      const a = memoryIo();
      const b = memoryIo();
      assert.equal(await main(['help', c.name], a), 0);
      assert.equal(await main([c.name, '--help'], b), 0);
      assert.equal(a.outText(), b.outText());
      assert.match(a.outText(), new RegExp(`^Usage: nanoprocess ${c.name}`, 'm'));
    }
  });

  const usageErrors: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['help', 'frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['parse', '--frobnicate'], /^nanoprocess parse: Unknown option '--frobnicate'\nRun 'nanoprocess help parse'/],
    [['parse', '-o'], /nanoprocess parse: .*argument missing/],
    [['parse', 'a.wat', 'b.wat'], /expected one input file/],
    [['wast'], /expected at least one/],
    [['wast', '--frobnicate', 'x.wast'], /^nanoprocess wast: Unknown option '--frobnicate'/],
  ];
  for (const [argv, message] of usageErrors) {
    it(`${argv.join(' ')} is a usage error (exit 2)`, async () => {
      const io = memoryIo();
      assert.equal(await main(argv, io), 2);
      assert.match(io.errText(), message);
      assert.doesNotMatch(io.errText(), /\n\s+at /, 'no stack trace');
    });
  }
});
