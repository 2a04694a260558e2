// Identifier contexts (spec §6.6.1): maps from identifier symbols (see ./symbols.ts) to
// indices — one per index space, the locals of a function, the labels of the enclosing
// blocks, the fields of a struct type.

/** An open-addressing hash table from symbols (small non-negative integers) to integers. */
export class IdMap {
  /** Per slot: the symbol + 1, or 0 when free. */
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 8) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Number of symbols set. */
  get size(): number {
    return this.count;
  }

  /** The value of `sym`, or -1 when it has none. */
  get(sym: number): number {
    const keys = this.keys;
    const mask = this.mask;
    const key = sym + 1;
    // Symbols are numbered in order of first occurrence, so the identity spreads them.
    let h = sym & mask;
    for (;;) {
      const k = keys[h]!;
      if (k === key) return this.values[h]!;
      if (k === 0) return -1;
      h = (h + 1) & mask;
    }
  }

  /** Sets the value of `sym` (-1 removes it in effect). */
  set(sym: number, value: number): void {
    const keys = this.keys;
    const mask = this.mask;
    const key = sym + 1;
    let h = sym & mask;
    for (;;) {
      const k = keys[h]!;
      if (k === key) {
        this.values[h] = value;
        return;
      }
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    keys[h] = key;
    this.values[h] = value;
    if (++this.count * 2 > keys.length) this.grow();
  }

  /** Removes every symbol, keeping the capacity. */
  clear(): void {
    if (this.count === 0) return;
    this.keys.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = oldKeys.length * 2;
    const keys = new Int32Array(cap);
    const values = new Int32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k === 0) continue;
      let h = (k - 1) & mask;
      while (keys[h] !== 0) h = (h + 1) & mask;
      keys[h] = k;
      values[h] = oldValues[i]!;
    }
    this.keys = keys;
    this.values = values;
    this.mask = mask;
  }
}
