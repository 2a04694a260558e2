// Identifier tables (spec §6.6.1 "Identifier contexts"): name → index maps that are
// looked up straight from the characters of a token, without slicing the source.
// Keys are identifiers without their `$` (the names the `name` section records), and a
// key's hash is the one the lexer computes for an identifier token (`Lexer.code`, over
// the characters after the `$`), so that a token is looked up without hashing it again.

import { hashRange } from './keywords.ts';

/** An open-addressing hash table from identifier names to non-negative integers. */
export class IdTable {
  private slots: Int32Array;
  private mask: number;
  private readonly names: string[] = [];
  private readonly hashes: number[] = [];
  private readonly values: number[] = [];

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.names.length;
  }

  /** The value of the key `src[start, end)` whose hash (see ./keywords.ts) is `hash`, or -1. */
  get(src: string, start: number, end: number, hash: number): number {
    const len = end - start;
    const names = this.names;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash & mask;
    for (;;) {
      const e = slots[h]!;
      if (e < 0) return -1;
      const name = names[e]!;
      if (name.length === len) {
        let i = 0;
        while (i < len && name.charCodeAt(i) === src.charCodeAt(start + i)) i++;
        if (i === len) return this.values[e]!;
      }
      h = (h + 1) & mask;
    }
  }

  /** The value of `name`, or -1. */
  getName(name: string): number {
    return this.get(name, 0, name.length, hashRange(name, 0, name.length));
  }

  /** Whether `name` has a value (not -1). */
  has(name: string): boolean {
    return this.getName(name) >= 0;
  }

  /** Sets `name` to `value` (-1 removes it in effect). */
  set(name: string, value: number): void {
    this.setHashed(name, hashRange(name, 0, name.length), value);
  }

  /** Sets `name`, whose hash is `hash`, to `value`. */
  setHashed(name: string, hash: number, value: number): void {
    const names = this.names;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash & mask;
    for (;;) {
      const e = slots[h]!;
      if (e < 0) break;
      if (names[e] === name) {
        this.values[e] = value;
        return;
      }
      h = (h + 1) & mask;
    }
    slots[h] = names.length;
    names.push(name);
    this.hashes.push(hash);
    this.values.push(value);
    if (names.length * 2 > slots.length) this.grow();
  }

  /**
   * The entry number of the key `src[start, end)` (hash `hash`), adding the key with the
   * value -1 when it is new. Entry numbers are stable; see `valueAt` and `setValueAt`.
   */
  entry(src: string, start: number, end: number, hash: number): number {
    const len = end - start;
    const names = this.names;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash & mask;
    for (;;) {
      const e = slots[h]!;
      if (e < 0) break;
      const name = names[e]!;
      if (name.length === len) {
        let i = 0;
        while (i < len && name.charCodeAt(i) === src.charCodeAt(start + i)) i++;
        if (i === len) return e;
      }
      h = (h + 1) & mask;
    }
    const e = names.length;
    slots[h] = e;
    names.push(src.slice(start, end));
    this.hashes.push(hash);
    this.values.push(-1);
    if (names.length * 2 > slots.length) this.grow();
    return e;
  }

  /** The value of entry `e` (see `entry`). */
  valueAt(e: number): number {
    return this.values[e]!;
  }

  setValueAt(e: number, value: number): void {
    this.values[e] = value;
  }

  /** The key of entry `e`. */
  nameAt(e: number): string {
    return this.names[e]!;
  }

  /** Removes every entry, keeping the capacity. */
  clear(): void {
    const names = this.names;
    const hashes = this.hashes;
    const slots = this.slots;
    const mask = this.mask;
    // Latest first: an entry's probe sequence only crosses the slots of earlier entries.
    for (let e = names.length - 1; e >= 0; e--) {
      let h = hashes[e]! & mask;
      while (slots[h] !== e) h = (h + 1) & mask;
      slots[h] = -1;
    }
    names.length = 0;
    hashes.length = 0;
    this.values.length = 0;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const hashes = this.hashes;
    for (let e = 0; e < hashes.length; e++) {
      let h = hashes[e]! & mask;
      while (slots[h] !== -1) h = (h + 1) & mask;
      slots[h] = e;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
