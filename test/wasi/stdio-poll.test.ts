// Standard streams (fds 0–2: in-memory, callback, host file descriptors; streamed as the
// guest writes) and poll_oneoff (clocks, files, streams; synchronous and with JSPI).

import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EVENTTYPE, FILETYPE, OFLAGS, RIGHTS } from '../../src/wasi/constants.ts';
import { MemoryFileSystem } from '../../src/wasi/fs/memory.ts';
import { HostInput, HostOutput, type InputStream } from '../../src/wasi/streams.ts';
import { fdstat, guest, type Guest, pathOpen, putIovecs, read, write } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nanoprocess-stdio-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An input whose bytes arrive later (like a pipe), for the asynchronous paths. */
class LaterInput implements InputStream {
  readonly isTerminal = false;
  #data: Uint8Array[] = [];
  #eof = false;
  #waiters: (() => void)[] = [];
  push(text: string | null): void {
    if (text === null) this.#eof = true;
    else this.#data.push(new TextEncoder().encode(text));
    for (const w of this.#waiters.splice(0)) w();
  }
  readSync(into: Uint8Array): number {
    const c = this.#data.shift();
    if (!c) return 0;
    const n = Math.min(c.length, into.length);
    into.set(c.subarray(0, n));
    if (n < c.length) this.#data.unshift(c.subarray(n));
    return n;
  }
  readAsync(into: Uint8Array): number | Promise<number> {
    const ready = this.whenReadable();
    return ready ? ready.then(() => this.readSync(into)) : this.readSync(into);
  }
  whenReadable(): Promise<void> | null {
    if (this.#data.length > 0 || this.#eof) return null;
    return new Promise((r) => this.#waiters.push(r));
  }
  available(): number {
    return this.#data.reduce((n, c) => n + c.length, 0);
  }
  close(): void {}
}

describe('standard streams', () => {
  it('stdin: in-memory bytes, read in pieces, then end of input', () => {
    const g = guest({ stdin: 'hello stdin' });
    assert.deepEqual(read(g, 0, 5), { errno: 'success', text: 'hello' });
    putIovecs(g, 3072, [[5000, 2], [5100, 100]]);
    assert.equal(g.call('fd_read', 0, 3072, 2, 40), 'success');
    assert.equal(g.u32(40), 6);
    assert.equal(g.text(5000, 2) + g.text(5100, 4), ' stdin');
    assert.deepEqual(read(g, 0, 5), { errno: 'success', text: '' });
  });

  it('stdin is empty and stdout/stderr discard unless given', () => {
    const g = guest({ stdout: undefined, stderr: undefined });
    assert.deepEqual(read(g, 0, 5), { errno: 'success', text: '' });
    const r = write(g, 1, 'nobody reads this');
    assert.deepEqual(r, { errno: 'success', n: 17 });
  });

  it('stdout and stderr: every write reaches the sink at once, in order', () => {
    const chunks: string[] = [];
    const g = guest({ stdout: (c) => chunks.push(`1:${new TextDecoder().decode(c)}`), stderr: (c) => chunks.push(`2:${new TextDecoder().decode(c)}`) });
    write(g, 1, 'a');
    assert.deepEqual(chunks, ['1:a'], 'streamed, not buffered to the end');
    write(g, 2, 'b');
    g.put(5000, 'xyz');
    putIovecs(g, 3072, [[5000, 1], [5001, 0], [5002, 1]]);
    assert.equal(g.call('fd_write', 1, 3072, 3, 40), 'success');
    assert.equal(g.u32(40), 2);
    assert.deepEqual(chunks.join(''), '1:a2:b1:x1:z');
  });

  it('the wrong direction is badf; stdio is not seekable and not a terminal here', () => {
    const g = guest({ stdin: 'x' });
    assert.equal(read(g, 1, 1).errno, 'badf');
    assert.equal(write(g, 0, 'x').errno, 'badf');
    for (const fd of [0, 1, 2]) {
      const s = fdstat(g, fd);
      assert.equal(s.filetype, FILETYPE.unknown);
      assert.equal(s.base & (RIGHTS.fd_seek | RIGHTS.fd_tell), 0n);
    }
    assert.equal(g.call('fd_filestat_get', 1, 6000), 'success');
    assert.equal(g.call('fd_close', 2), 'success');
    assert.equal(write(g, 2, 'x').errno, 'badf');
  });

  it('host file descriptors: stdout to a file, stdin from a file', () => {
    const outPath = join(tmp, 'out.txt');
    const inPath = join(tmp, 'in.txt');
    writeFileSync(inPath, 'from the host');
    const outFd = openSync(outPath, 'w');
    const inFd = openSync(inPath, 'r');
    try {
      const g = guest({ stdin: inFd, stdout: outFd });
      assert.deepEqual(read(g, 0, 4), { errno: 'success', text: 'from' });
      write(g, 1, 'written ');
      assert.equal(readFileSync(outPath, 'utf8'), 'written ', 'on the host file before the guest ends');
      write(g, 1, 'twice');
      assert.equal(readFileSync(outPath, 'utf8'), 'written twice');
      g.put(5000, '[one][two]');
      putIovecs(g, 3072, [[5000, 5], [5000, 0], [5005, 5]]);
      assert.equal(g.call('fd_write', 1, 3072, 3, 40), 'success'); // one writev for the three
      assert.equal(g.u32(40), 10);
      assert.equal(readFileSync(outPath, 'utf8'), 'written twice[one][two]');
      assert.deepEqual(read(g, 0, 100), { errno: 'success', text: ' the host' });
      assert.deepEqual(read(g, 0, 100), { errno: 'success', text: '' });
    } finally {
      closeSync(outFd);
      closeSync(inFd);
    }
  });

  it('HostInput reads asynchronously too, and HostOutput reports a closed descriptor', async () => {
    const inPath = join(tmp, 'async.txt');
    writeFileSync(inPath, 'async bytes');
    const fd = openSync(inPath, 'r');
    try {
      const input = new HostInput(fd, false);
      assert.notEqual(input.whenReadable(), null);
      await input.whenReadable();
      assert.equal(input.available(), 11);
      const buf = new Uint8Array(5);
      assert.equal(await input.readAsync(buf), 5);
      assert.equal(new TextDecoder().decode(buf), 'async');
    } finally {
      closeSync(fd);
    }
    const out = new HostOutput(fd, false); // closed now
    assert.throws(() => out.write(new Uint8Array([1])), (e: Error & { code?: string }) => e.code === 'badf');
  });

  it('fd_read on stdin waits on the event loop when asynchronous (JSPI)', async () => {
    const input = new LaterInput();
    const g = guest({ stdin: input }, { async: true });
    putIovecs(g, 3072, [[5000, 100]]);
    const pending = g.callAsync('fd_read', 0, 3072, 1, 40);
    setTimeout(() => input.push('late data'), 10);
    assert.equal(await pending, 'success');
    assert.equal(g.text(5000, g.u32(40)), 'late data');
    setTimeout(() => input.push(null), 5);
    assert.equal(await g.callAsync('fd_read', 0, 3072, 1, 40), 'success');
    assert.equal(g.u32(40), 0);
  });

  it('non-blocking stdin answers again instead of waiting', async () => {
    const input = new LaterInput();
    const g = guest({ stdin: input }, { async: true });
    assert.equal(g.call('fd_fdstat_set_flags', 0, 4), 'success');
    putIovecs(g, 3072, [[5000, 100]]);
    assert.equal(await g.callAsync('fd_read', 0, 3072, 1, 40), 'again');
  });
});

/** Writes subscriptions at 10000 (48 bytes each); events go to 20000 (32 each). */
function subscribe(g: Guest, subs: ({ clock: { id?: number; timeout: bigint; abstime?: boolean } } | { read: number } | { write: number } | { tag: number })[]): void {
  const v = g.view();
  subs.forEach((s, i) => {
    const p = 10000 + i * 48;
    for (let k = 0; k < 48; k++) v.setUint8(p + k, 0);
    v.setBigUint64(p, BigInt(100 + i), true);
    if ('clock' in s) {
      v.setUint8(p + 8, EVENTTYPE.clock);
      v.setUint32(p + 16, s.clock.id ?? 1, true);
      v.setBigUint64(p + 24, s.clock.timeout, true);
      v.setUint16(p + 40, s.clock.abstime ? 1 : 0, true);
    } else if ('read' in s) {
      v.setUint8(p + 8, EVENTTYPE.fd_read);
      v.setUint32(p + 16, s.read, true);
    } else if ('write' in s) {
      v.setUint8(p + 8, EVENTTYPE.fd_write);
      v.setUint32(p + 16, s.write, true);
    } else v.setUint8(p + 8, s.tag);
  });
}

interface Ev {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

function events(g: Guest): Ev[] {
  const v = g.view();
  const n = g.u32(40);
  return Array.from({ length: n }, (_, i) => {
    const p = 20000 + i * 32;
    return { userdata: v.getBigUint64(p, true), error: v.getUint16(p + 8, true), type: v.getUint8(p + 10), nbytes: v.getBigUint64(p + 16, true), flags: v.getUint16(p + 24, true) };
  });
}

describe('poll_oneoff', () => {
  it('no subscriptions is inval; an unknown tag is inval; wild pointers fault', () => {
    const g = guest();
    assert.equal(g.call('poll_oneoff', 10000, 20000, 0, 40), 'inval');
    subscribe(g, [{ tag: 7 }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'inval');
    assert.equal(g.call('poll_oneoff', 65500, 20000, 1, 40), 'fault');
    assert.equal(g.call('poll_oneoff', 10000, 65530, 1, 40), 'fault');
    assert.equal(g.call('poll_oneoff', 10000, 20000, 0x10000000, 40), 'fault');
  });

  it('sleeps for a relative clock (synchronously, through the sleep hook)', () => {
    let now = 1000n;
    const slept: bigint[] = [];
    const g = guest({ clocks: { monotonic: () => now }, sleep: (ns) => { slept.push(ns); now += ns; } });
    subscribe(g, [{ clock: { timeout: 5_000_000n } }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'success');
    assert.deepEqual(slept, [5_000_000n]);
    assert.deepEqual(events(g), [{ userdata: 100n, error: 0, type: EVENTTYPE.clock, nbytes: 0n, flags: 0 }]);
  });

  it('an absolute deadline in the past fires at once; other clocks than realtime and monotonic are inval', () => {
    const g = guest({ clocks: { realtime: () => 10_000n }, sleep: () => assert.fail('must not sleep') });
    subscribe(g, [{ clock: { id: 0, timeout: 5n, abstime: true } }, { clock: { id: 1, timeout: 1_000_000_000n } }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 2, 40), 'success');
    assert.deepEqual(events(g).map((e) => [e.userdata, e.error]), [[100n, 0]]);
    subscribe(g, [{ clock: { id: 2, timeout: 1n } }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'inval');
  });

  it('really sleeps for a short timeout by default', () => {
    const g = guest();
    subscribe(g, [{ clock: { timeout: 20_000_000n } }]);
    const t = performance.now();
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'success');
    assert.ok(performance.now() - t >= 15);
  });

  it('files are always ready: fd_read with the bytes left, fd_write; a bad fd is an event error', () => {
    const mfs = new MemoryFileSystem();
    mfs.writeFile('f', '0123456789');
    const g = guest({ preopens: [{ guestPath: '/', dir: mfs.root() }], sleep: () => assert.fail('must not sleep') });
    const o = pathOpen(g, 3, 'f');
    g.call('fd_seek', o.fd, 4n, 0, 40);
    subscribe(g, [{ read: o.fd }, { write: o.fd }, { read: 77 }, { write: 1 }, { read: 1 }, { clock: { timeout: 1_000_000_000n } }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 6, 40), 'success');
    const ev = events(g);
    assert.deepEqual(ev.map((e) => [e.userdata, e.error, e.type, e.nbytes]), [
      [100n, 0, EVENTTYPE.fd_read, 6n],
      [101n, 0, EVENTTYPE.fd_write, 0n],
      [102n, 8, EVENTTYPE.fd_read, 0n],
      [103n, 0, EVENTTYPE.fd_write, 0n],
      [104n, 8, EVENTTYPE.fd_read, 0n],
    ]);
    const dir = pathOpen(g, 3, '.', { oflags: OFLAGS.directory, base: RIGHTS.fd_readdir });
    subscribe(g, [{ read: dir.fd }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'success');
    assert.notEqual(events(g)[0]!.error, 0);
  });

  it('stdin with data is ready with nbytes (synchronously, stdin counts as ready)', () => {
    const g = guest({ stdin: 'abc' });
    subscribe(g, [{ read: 0 }]);
    assert.equal(g.call('poll_oneoff', 10000, 20000, 1, 40), 'success');
    assert.equal(events(g)[0]!.nbytes, 3n);
  });

  it('waits on the event loop for stdin or a timeout when asynchronous (JSPI)', async () => {
    const input = new LaterInput();
    const g = guest({ stdin: input }, { async: true });
    subscribe(g, [{ read: 0 }, { clock: { timeout: 30_000_000n } }]);
    const t = performance.now();
    assert.equal(await g.callAsync('poll_oneoff', 10000, 20000, 2, 40), 'success');
    assert.ok(performance.now() - t >= 25, 'the clock fired after its timeout');
    assert.deepEqual(events(g).map((e) => e.type), [EVENTTYPE.clock]);
    setTimeout(() => input.push('now'), 10);
    subscribe(g, [{ read: 0 }, { clock: { timeout: 5_000_000_000n } }]);
    assert.equal(await g.callAsync('poll_oneoff', 10000, 20000, 2, 40), 'success');
    assert.deepEqual(events(g).map((e) => [e.type, e.nbytes]), [[EVENTTYPE.fd_read, 3n]]);
  });
});
