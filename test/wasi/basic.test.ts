// WASI preview1 calls without descriptors: args_*, environ_*, clock_*, random_get,
// proc_exit, proc_raise, sched_yield; and what a context grants by default (nothing).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasiConfigError, WasiContext, WasiExit } from '../../src/wasi/context.ts';
import { exitCodeOf, guest } from './helpers.ts';

describe('args and environ', () => {
  it('args_sizes_get and args_get lay out argv as C expects', () => {
    const g = guest({ args: ['prog', 'héllo', ''] });
    assert.equal(g.call('args_sizes_get', 0, 4), 'success');
    assert.equal(g.u32(0), 3);
    assert.equal(g.u32(4), 5 + 7 + 1);
    assert.equal(g.call('args_get', 100, 200), 'success');
    assert.deepEqual([g.u32(100), g.u32(104), g.u32(108)], [200, 205, 212]);
    assert.deepEqual([...g.bytes(200, 13)], [...new TextEncoder().encode('prog\0héllo\0\0')]);
  });

  it('environ_sizes_get and environ_get give NAME=VALUE strings, from an object or a list', () => {
    for (const env of [{ A: '1', PATH: '/x' }, ['A=1', 'PATH=/x']]) {
      const g = guest({ env });
      assert.equal(g.call('environ_sizes_get', 0, 4), 'success');
      assert.deepEqual([g.u32(0), g.u32(4)], [2, 4 + 8]);
      assert.equal(g.call('environ_get', 100, 200), 'success');
      assert.equal(g.text(200, 12), 'A=1\0PATH=/x\0');
      assert.deepEqual([g.u32(100), g.u32(104)], [200, 204]);
    }
  });

  it('grants no arguments and no environment by default', () => {
    const g = guest();
    assert.equal(g.call('args_sizes_get', 0, 4), 'success');
    assert.deepEqual([g.u32(0), g.u32(4)], [0, 0]);
    assert.equal(g.call('environ_sizes_get', 0, 4), 'success');
    assert.deepEqual([g.u32(0), g.u32(4)], [0, 0]);
    assert.equal(g.call('environ_get', 0, 0), 'success');
  });

  it('faults when the buffers do not fit in memory, writing nothing', () => {
    const g = guest({ args: ['abc', 'def'] });
    assert.equal(g.call('args_get', 65532, 0), 'fault');
    assert.equal(g.call('args_get', 0, 65530), 'fault');
    assert.equal(g.u32(0), 0);
    const e = guest({ env: { LONG: 'x'.repeat(100) } });
    assert.equal(e.call('environ_get', 0, 65500), 'fault');
    assert.equal(e.call('environ_sizes_get', 0, 65534), 'fault');
  });

  it('refuses NUL in arguments and variables when the context is made', () => {
    assert.throws(() => new WasiContext({ args: ['a\0b'] }), WasiConfigError);
    assert.throws(() => new WasiContext({ env: { A: 'x\0' } }), WasiConfigError);
  });
});

describe('clocks', () => {
  it('clock_time_get reads the realtime, monotonic and CPU clocks', () => {
    const g = guest({ clocks: { realtime: () => 1_700_000_000_123_456_789n, monotonic: () => 42n } });
    assert.equal(g.call('clock_time_get', 0, 1n, 8), 'success');
    assert.equal(g.u64(8), 1_700_000_000_123_456_789n);
    assert.equal(g.call('clock_time_get', 1, 0n, 8), 'success');
    assert.equal(g.u64(8), 42n);
    assert.equal(g.call('clock_time_get', 2, 0n, 8), 'success');
    assert.ok(g.u64(8) > 0n);
    assert.equal(g.call('clock_time_get', 3, 0n, 8), 'success');
  });

  it('the default clocks tick in nanoseconds and agree with Date.now()', () => {
    const g = guest();
    assert.equal(g.call('clock_time_get', 0, 0n, 8), 'success');
    const ms = Number(g.u64(8) / 1_000_000n);
    assert.ok(Math.abs(ms - Date.now()) < 1000);
    g.call('clock_time_get', 1, 0n, 8);
    const a = g.u64(8);
    g.call('clock_time_get', 1, 0n, 8);
    assert.ok(g.u64(8) >= a);
  });

  it('clock_res_get gives a resolution per clock; unknown clocks are inval', () => {
    const g = guest();
    for (const id of [0, 1, 2, 3]) {
      assert.equal(g.call('clock_res_get', id, 16), 'success');
      assert.ok(g.u64(16) > 0n && g.u64(16) <= 1_000_000n);
    }
    assert.equal(g.call('clock_res_get', 4, 16), 'inval');
    assert.equal(g.call('clock_time_get', 4, 0n, 16), 'inval');
    assert.equal(g.call('clock_time_get', -1, 0n, 16), 'inval');
  });
});

describe('random_get', () => {
  it('fills the buffer from the source, in pieces crypto accepts', () => {
    const g = guest({}, { bytes: undefined });
    assert.equal(g.call('random_get', 0, 0), 'success');
    assert.equal(g.call('random_get', 0, 65536), 'success');
    const bytes = g.bytes(0, 65536);
    assert.ok(bytes.some((b) => b !== 0));
    const custom = guest({ random: (b) => b.fill(9) });
    assert.equal(custom.call('random_get', 10, 3), 'success');
    assert.deepEqual([...custom.bytes(9, 5)], [0, 9, 9, 9, 0]);
  });

  it('handles more than 65536 bytes at once', async () => {
    const { probeModule } = await import('./helpers.ts');
    const g = guest({}, { bytes: probeModule('', 4) });
    assert.equal(g.call('random_get', 0, 200000), 'success');
    const tail = g.bytes(150000, 50000);
    assert.ok(tail.some((b) => b !== 0));
  });
});

describe('proc_exit, proc_raise, sched_yield', () => {
  it('proc_exit unwinds with WasiExit carrying the code', () => {
    const g = guest();
    assert.equal(exitCodeOf(() => g.call('proc_exit', 3)), 3);
    assert.equal(g.ctx.exitCode, 3);
    assert.equal(exitCodeOf(() => g.call('proc_exit', 0)), 0);
    const e = new WasiExit(5);
    assert.equal(e.code, 5);
    assert.equal(e.valid, true);
    assert.match(e.message, /code 5/);
    assert.equal(exitCodeOf(() => g.call('proc_exit', -1)), 0xffffffff);
    assert.equal(new WasiExit(126).valid, false);
  });

  it('proc_raise answers notsup (as Wasmtime); sched_yield succeeds', () => {
    const g = guest();
    assert.equal(g.call('proc_raise', 2), 'notsup');
    assert.equal(g.call('sched_yield'), 'success');
  });
});
