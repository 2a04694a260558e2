// WASI preview1 `poll_oneoff`: waits until a clock subscription expires or a descriptor
// is ready to read or write. Files are always ready (nbytes: what is left to read); stdin
// and sockets are ready when data, end of input or a connection is queued. Asynchronous
// callers (JSPI) wait on the event loop; synchronous ones can only sleep for clocks and
// treat stdin as ready (a read then blocks the thread, as a synchronous read must).

import type { CallEnv } from './call-env.ts';
import { clockNow } from './calls-basic.ts';
import { ERRNO, WasiError, type ErrnoName } from './errno.ts';
import { CLOCKID, EVENTRWFLAGS, EVENTTYPE, LAYOUT, RIGHTS, SUBCLOCKFLAGS } from './constants.ts';
import { sleepSync } from './streams.ts';

/** The most subscriptions one poll_oneoff takes ('inval' beyond). */
export const MAX_SUBSCRIPTIONS = 65536;
/** The longest delay setTimeout accepts. */
const MAX_TIMER_MS = 0x7fffffff;

interface Event {
  readonly userdata: bigint;
  readonly error: ErrnoName;
  readonly type: number;
  readonly nbytes: bigint;
  readonly flags: number;
}

interface ClockSub {
  readonly userdata: bigint;
  readonly id: number;
  /** Nanoseconds on clock `id` at which it fires. */
  readonly deadline: bigint;
}

interface FdSub {
  readonly userdata: bigint;
  readonly type: number;
  readonly fd: number;
}

/** An fd subscription's state now: an event, or a promise settled when it may have one. */
function probe(env: CallEnv, s: FdSub): Event | Promise<void> {
  const event = (error: ErrnoName, nbytes = 0n, flags = 0): Event => ({ userdata: s.userdata, error, type: s.type, nbytes, flags });
  const { fds } = env.ctx;
  if (!fds.has(s.fd)) return event('badf');
  const d = fds.get(s.fd);
  if ((d.rightsBase & RIGHTS.poll_fd_readwrite) === 0n && d.kind !== 'listener') return event('notcapable');
  const reading = s.type === EVENTTYPE.fd_read;
  switch (d.kind) {
    case 'file': {
      if (!reading) return event('success');
      const size = d.file.stat().size;
      return event('success', size > d.position ? size - d.position : 0n);
    }
    case 'dir':
      return event('badf');
    case 'stream': {
      const stream = reading ? d.input : d.output;
      if (stream === null) return event('badf');
      if (!reading || d.input === null) return event('success');
      const ready = env.canSuspend ? d.input.whenReadable() : null;
      return ready ?? event('success', BigInt(d.input.available()));
    }
    case 'socket': {
      if (!reading) {
        // Writable while the connection's send queue has room (sockets.ts bounds it).
        const room = d.connection.whenWritable();
        if (room === null) return event('success');
        return env.canSuspend ? room : event('again');
      }
      const ready = d.connection.whenReadable();
      if (ready && env.canSuspend) return ready;
      const n = d.connection.available();
      if (ready) return event('again');
      return event('success', BigInt(n), n === 0 ? EVENTRWFLAGS.fd_readwrite_hangup : 0);
    }
    case 'listener': {
      if (!reading) return event('badf');
      const ready = d.listener.whenReady();
      if (ready && env.canSuspend) return ready;
      return event(ready ? 'again' : 'success', BigInt(d.listener.pending()));
    }
  }
}

function writeEvents(env: CallEnv, outPtr: number, neventsPtr: number, events: readonly Event[]): number {
  const L = LAYOUT.event;
  const bytes = new Uint8Array(events.length * L.size);
  const view = new DataView(bytes.buffer);
  events.forEach((e, i) => {
    const at = i * L.size;
    view.setBigUint64(at + L.userdata, e.userdata, true);
    view.setUint16(at + L.error, ERRNO[e.error], true);
    view.setUint8(at + L.type, e.type);
    view.setBigUint64(at + L.nbytes, e.nbytes, true);
    view.setUint16(at + L.flags, e.flags, true);
  });
  env.mem.write(outPtr, bytes);
  env.mem.setU32(neventsPtr, events.length);
  return 0;
}

export function poll_oneoff(env: CallEnv, inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number | Promise<number> {
  const n = nsubscriptions >>> 0;
  if (n === 0) throw new WasiError('inval'); // would wait forever (Wasmtime answers the same)
  const S = LAYOUT.subscription;
  const base = env.mem.check(inPtr, n * S.size);
  env.mem.check(outPtr, n * LAYOUT.event.size);
  env.mem.check(neventsPtr, 4);
  // Each subscription costs the host a few objects: bound them, as poll(2) refuses more
  // descriptors than RLIMIT_NOFILE with EINVAL (a guest with a large memory could
  // otherwise ask for tens of millions and exhaust the host's heap).
  if (n > MAX_SUBSCRIPTIONS) throw new WasiError('inval');
  const clocks: ClockSub[] = [];
  const fdSubs: FdSub[] = [];
  const immediate: Event[] = [];
  for (let i = 0; i < n; i++) {
    const p = base + i * S.size;
    const userdata = env.mem.u64(p + S.userdata);
    const tag = env.mem.u8(p + S.tag);
    if (tag === EVENTTYPE.clock) {
      const id = env.mem.u32(p + S.clock_id);
      const timeout = env.mem.u64(p + S.clock_timeout);
      const flags = env.mem.u16(p + S.clock_flags);
      // Only the realtime and monotonic clocks can be waited on ('inval' for the call, as Wasmtime).
      if (id !== CLOCKID.realtime && id !== CLOCKID.monotonic) throw new WasiError('inval');
      const now = clockNow(env, id);
      const deadline = flags & SUBCLOCKFLAGS.subscription_clock_abstime ? timeout : now + timeout;
      clocks.push({ userdata, id, deadline });
    } else if (tag === EVENTTYPE.fd_read || tag === EVENTTYPE.fd_write) {
      fdSubs.push({ userdata, type: tag, fd: env.mem.u32(p + S.fd) });
    } else {
      throw new WasiError('inval');
    }
  }

  /** The events due now, and what to wait on otherwise. */
  const collect = (): { events: Event[]; waits: Promise<void>[]; nextNs: bigint | null } => {
    const events = [...immediate];
    const waits: Promise<void>[] = [];
    for (const s of fdSubs) {
      const r = probe(env, s);
      if (r instanceof Promise) waits.push(r);
      else events.push(r);
    }
    let nextNs: bigint | null = null;
    for (const c of clocks) {
      const left = c.deadline - clockNow(env, c.id);
      if (left <= 0n) events.push({ userdata: c.userdata, error: 'success', type: EVENTTYPE.clock, nbytes: 0n, flags: 0 });
      else if (nextNs === null || left < nextNs) nextNs = left;
    }
    return { events, waits, nextNs };
  };

  const first = collect();
  if (first.events.length > 0) return writeEvents(env, outPtr, neventsPtr, first.events);

  if (!env.canSuspend) {
    // Synchronous: only clocks can be waited for.
    if (first.nextNs === null) throw new WasiError('notsup');
    let state = first;
    while (state.events.length === 0 && state.nextNs !== null) {
      if (env.ctx.sleep) env.ctx.sleep(state.nextNs);
      else sleepSync(Math.max(1, Number(state.nextNs) / 1e6));
      state = collect();
    }
    return writeEvents(env, outPtr, neventsPtr, state.events);
  }

  const wait = async (): Promise<number> => {
    let state = first;
    while (state.events.length === 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waits = [...state.waits];
      if (state.nextNs !== null) {
        // setTimeout takes at most 2^31 - 1 ms (about 24.8 days); beyond, Node fires after
        // 1 ms with a warning on the host's stderr, and a far deadline became a busy loop.
        // A longer wait is done in steps of the longest timer.
        const ms = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(Number(state.nextNs) / 1e6)));
        waits.push(new Promise((resolve) => (timer = setTimeout(resolve, ms))));
      }
      if (waits.length === 0) throw new WasiError('inval');
      await Promise.race(waits);
      if (timer !== undefined) clearTimeout(timer);
      state = collect();
    }
    return writeEvents(env, outPtr, neventsPtr, state.events);
  };
  return wait();
}
