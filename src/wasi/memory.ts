// Guest linear memory as WASI sees it: little-endian reads and writes of the witx
// scalar types, every access bounds-checked. A pointer or length past the end of memory
// is the guest's error: WasiError('fault') (Wasmtime's preview1 answers the same), never
// a host exception. The views are refreshed whenever `memory.buffer` changes (growth).

import { WasiError } from './errno.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** POSIX's IOV_MAX on Linux: the most iovec entries one call takes. */
export const IOV_MAX = 1024;
/** The most bytes one call moves: its count is returned as a u32. */
const MAX_TRANSFER = 0xffffffff;
const encoder = new TextEncoder();

export class GuestMemory {
  #source: () => WebAssembly.Memory | undefined;
  #buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  #view: DataView = new DataView(new ArrayBuffer(0));
  #bytes: Uint8Array = new Uint8Array(0);

  /** `source` is asked for the memory on each access (it may be set after instantiation). */
  constructor(source: () => WebAssembly.Memory | undefined) {
    this.#source = source;
  }

  #refresh(): void {
    const memory = this.#source();
    // A module without an exported memory cannot pass pointers: every access faults.
    const buffer = memory?.buffer ?? null;
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.#view = buffer ? new DataView(buffer) : new DataView(new ArrayBuffer(0));
    this.#bytes = buffer ? new Uint8Array(buffer) : new Uint8Array(0);
  }

  /**
   * Throws 'fault' unless [ptr, ptr + len) lies inside memory; returns ptr as unsigned.
   * `len` is a guest u32 (negative when it came in as a signed i32) or a product of one.
   */
  check(ptr: number, len: number): number {
    this.#refresh();
    const p = ptr >>> 0;
    const l = len < 0 ? len >>> 0 : len;
    if (p + l > this.#bytes.length) throw new WasiError('fault');
    return p;
  }

  get size(): number {
    this.#refresh();
    return this.#bytes.length;
  }

  u8(ptr: number): number {
    const p = this.check(ptr, 1);
    return this.#view.getUint8(p);
  }
  u16(ptr: number): number {
    const p = this.check(ptr, 2);
    return this.#view.getUint16(p, true);
  }
  u32(ptr: number): number {
    const p = this.check(ptr, 4);
    return this.#view.getUint32(p, true);
  }
  u64(ptr: number): bigint {
    const p = this.check(ptr, 8);
    return this.#view.getBigUint64(p, true);
  }
  setU8(ptr: number, value: number): void {
    const p = this.check(ptr, 1);
    this.#view.setUint8(p, value);
  }
  setU16(ptr: number, value: number): void {
    const p = this.check(ptr, 2);
    this.#view.setUint16(p, value, true);
  }
  setU32(ptr: number, value: number): void {
    const p = this.check(ptr, 4);
    this.#view.setUint32(p, value >>> 0, true);
  }
  setU64(ptr: number, value: bigint): void {
    const p = this.check(ptr, 8);
    this.#view.setBigUint64(p, BigInt.asUintN(64, value), true);
  }

  /** A view of guest bytes (valid until the next growth of memory). */
  bytes(ptr: number, len: number): Uint8Array {
    const p = this.check(ptr, len);
    return this.#bytes.subarray(p, p + (len < 0 ? len >>> 0 : len));
  }

  /** Copies `data` into guest memory at `ptr`. */
  write(ptr: number, data: Uint8Array): void {
    const p = this.check(ptr, data.length);
    this.#bytes.set(data, p);
  }

  /** A path or other string argument: 'ilseq' unless it is valid UTF-8. */
  string(ptr: number, len: number): string {
    const view = this.bytes(ptr, len);
    // TextDecoder refuses views of shared memory (threads): decode a copy then.
    const bytes = view.buffer instanceof ArrayBuffer ? view : view.slice();
    try {
      return utf8.decode(bytes);
    } catch {
      throw new WasiError('ilseq');
    }
  }

  /**
   * The iovec array at `ptr` as views into memory, all checked before anything is
   * read or written (a bad entry faults the whole call, like Wasmtime).
   *
   * At most IOV_MAX entries, together at most 2^32 - 1 bytes, are taken; the rest is left
   * for the guest's next call (a short read or write, which POSIX allows and every caller
   * handles). Why: one view object per entry is several times the 8 bytes the entry
   * costs the guest, so a guest with a large memory and a count in the millions could
   * exhaust the host's heap (a fatal V8 error, not an exception); and the byte count
   * returned in a u32 must not wrap.
   */
  iovecs(ptr: number, count: number): Uint8Array[] {
    const n = count >>> 0;
    const base = this.check(ptr, n * 8);
    const out: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < n && i < IOV_MAX; i++) {
      const buf = this.u32(base + i * 8);
      const len = this.u32(base + i * 8 + 4);
      const view = this.bytes(buf, len);
      if (total + len > MAX_TRANSFER) break;
      total += len;
      out.push(view);
    }
    return out;
  }

  /**
   * A path (or link text) of at most `maxBytes`: 'fault' outside memory, 'nametoolong'
   * past `maxBytes`, 'ilseq' unless UTF-8. The length is checked before decoding: a
   * guest-given length of hundreds of megabytes was decoded into a string first, as much
   * work and memory per call (and past V8's longest string, answered 'ilseq').
   */
  path(ptr: number, len: number, maxBytes: number): string {
    this.check(ptr, len);
    if (len >>> 0 > maxBytes) throw new WasiError('nametoolong');
    return this.string(ptr, len);
  }
}

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}
