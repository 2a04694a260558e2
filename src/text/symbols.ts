// Identifier symbols (spec §6.3.5 "Identifiers"): the lexer gives every distinct
// identifier name a small number, its symbol, while it tokenizes. `$x` and `$"x"` are the
// same identifier and get the same symbol. The parser then binds and resolves
// identifiers by symbol (see `IdMap`), without looking at their characters again.

/** The symbols of one lexer's input. */
export class Symbols {
  /** Open-addressing hash table: slot → symbol, or -1. */
  private slots: Int32Array;
  private mask: number;
  /**
   * Per symbol: where the name's first occurrence starts in the tokenized bytes (the
   * characters after `$`), or -1 for a name known only from a `$"…"` identifier.
   */
  private starts: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  /**
   * Per symbol: its name, once made (always for names from `$"…"`). (Made from a literal
   * holding `undefined`, so that the array has the elements kind for any value from the
   * start: see `objectArray` in ./context.ts.)
   */
  private readonly names: (string | undefined)[] = [undefined];
  /** Number of symbols. */
  count = 0;

  /**
   * `inputLength` (the length of the text) sizes the tables; real modules rarely have
   * more than a few thousand distinct names.
   */
  constructor(inputLength: number) {
    this.names.length = 0;
    let cap = 64;
    while (cap < 8192 && cap * 256 < inputLength) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.starts = new Int32Array(cap >> 1);
    this.lengths = new Int32Array(cap >> 1);
    this.hashes = new Int32Array(cap >> 1);
  }

  /**
   * The symbol of the name `b[start, end)` (identifier characters, so ASCII), whose hash
   * (see `mixHash` in ./keywords.ts) is `hash`.
   */
  internBytes(b: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash & mask;
    for (;;) {
      const s = slots[h]!;
      if (s < 0) break;
      if (this.hashes[s] === hash && this.lengths[s] === len && this.sameBytes(s, b, start, len)) return s;
      h = (h + 1) & mask;
    }
    return this.add(h, start, len, hash, undefined);
  }

  /** The symbol of the name `name` (decoded from `$"…"`); `b` holds the tokenized bytes. */
  internString(name: string, b: Uint8Array, hash: number): number {
    const len = name.length;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash & mask;
    for (;;) {
      const s = slots[h]!;
      if (s < 0) break;
      if (this.hashes[s] === hash && this.lengths[s] === len && this.sameName(s, b, name)) return s;
      h = (h + 1) & mask;
    }
    return this.add(h, -1, len, hash, name);
  }

  /** The name of symbol `sym`; `source` and `base` locate the tokenized bytes in the source. */
  name(sym: number, source: string, base: number): string {
    let name = this.names[sym];
    if (name === undefined) {
      const start = this.starts[sym]! + base;
      name = source.slice(start, start + this.lengths[sym]!);
      this.names[sym] = name;
    }
    return name;
  }

  private sameBytes(s: number, b: Uint8Array, start: number, len: number): boolean {
    const at = this.starts[s]!;
    if (at < 0) {
      const name = this.names[s]!;
      for (let i = 0; i < len; i++) if (name.charCodeAt(i) !== b[start + i]) return false;
      return true;
    }
    for (let i = 0; i < len; i++) if (b[at + i] !== b[start + i]) return false;
    return true;
  }

  private sameName(s: number, b: Uint8Array, name: string): boolean {
    const at = this.starts[s]!;
    if (at < 0) return this.names[s] === name;
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== b[at + i]) return false;
    return true;
  }

  private add(slot: number, start: number, len: number, hash: number, name: string | undefined): number {
    const s = this.count++;
    if (s >= this.starts.length) this.growSymbols();
    this.starts[s] = start;
    this.lengths[s] = len;
    this.hashes[s] = hash;
    this.names[s] = name;
    this.slots[slot] = s;
    if (this.count * 2 > this.slots.length) this.growSlots();
    return s;
  }

  private growSymbols(): void {
    const cap = this.starts.length * 2;
    const starts = new Int32Array(cap);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Int32Array(cap);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private growSlots(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const hashes = this.hashes;
    for (let s = 0; s < this.count; s++) {
      let h = hashes[s]! & mask;
      while (slots[h] !== -1) h = (h + 1) & mask;
      slots[h] = s;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
