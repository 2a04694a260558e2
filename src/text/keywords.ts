// Keywords of the text format (spec §6.5 instruction names, §6.4–6.6 other keywords):
// each keyword has a code — an instruction row (below KW_BASE) or a structural keyword
// (KW.*). The lexer finds every keyword token's code while tokenizing, with the keyword
// automaton below (see `Lexer.code`); `keywordCode` looks a keyword up by its text.

import { INSTRUCTIONS } from '../model/opcodes.ts';

/** Codes of structural keywords start here; smaller codes are instruction rows. */
export const KW_BASE = 1 << 16;

/**
 * Structural keywords that are not instruction names. (`else`, `end`, `catch`,
 * `catch_all` and `delegate` are instructions and have their instruction row as code.)
 */
export const KW = {
  module: KW_BASE + 1,
  type: KW_BASE + 2,
  func: KW_BASE + 3,
  param: KW_BASE + 4,
  result: KW_BASE + 5,
  local: KW_BASE + 6,
  import: KW_BASE + 7,
  export: KW_BASE + 8,
  table: KW_BASE + 9,
  memory: KW_BASE + 10,
  global: KW_BASE + 11,
  tag: KW_BASE + 12,
  elem: KW_BASE + 13,
  data: KW_BASE + 14,
  start: KW_BASE + 15,
  offset: KW_BASE + 16,
  item: KW_BASE + 17,
  declare: KW_BASE + 18,
  mut: KW_BASE + 19,
  ref: KW_BASE + 20,
  null: KW_BASE + 21,
  sub: KW_BASE + 22,
  final: KW_BASE + 23,
  rec: KW_BASE + 24,
  struct: KW_BASE + 25,
  array: KW_BASE + 26,
  field: KW_BASE + 27,
  then: KW_BASE + 28,
  do: KW_BASE + 30,
  catch_ref: KW_BASE + 32,
  catch_all_ref: KW_BASE + 34,
  shared: KW_BASE + 36,
  unshared: KW_BASE + 37,
  i32: KW_BASE + 40,
  i64: KW_BASE + 41,
  f32: KW_BASE + 42,
  f64: KW_BASE + 43,
  v128: KW_BASE + 44,
  i8: KW_BASE + 45,
  i16: KW_BASE + 46,
  funcref: KW_BASE + 50,
  externref: KW_BASE + 51,
  anyref: KW_BASE + 52,
  eqref: KW_BASE + 53,
  i31ref: KW_BASE + 54,
  structref: KW_BASE + 55,
  arrayref: KW_BASE + 56,
  nullref: KW_BASE + 57,
  nullfuncref: KW_BASE + 58,
  nullexternref: KW_BASE + 59,
  exnref: KW_BASE + 60,
  nullexnref: KW_BASE + 61,
  // abstract heap types (func, struct, array have codes above)
  extern: KW_BASE + 70,
  any: KW_BASE + 71,
  eq: KW_BASE + 72,
  i31: KW_BASE + 73,
  none: KW_BASE + 74,
  nofunc: KW_BASE + 75,
  noextern: KW_BASE + 76,
  exn: KW_BASE + 77,
  noexn: KW_BASE + 78,
  definition: KW_BASE + 81,
  binary: KW_BASE + 82,
  quote: KW_BASE + 83,
  instance: KW_BASE + 84,
} as const;

/**
 * Codes of the keyword tokens `offset=…` and `align=…` of memory arguments (the lexer
 * recognizes the prefix; the token is not a keyword otherwise).
 */
export const KW_OFFSET_EQ = KW_BASE + 100;
export const KW_ALIGN_EQ = KW_BASE + 101;

/** The hash of `src[start, end)` used by the keyword table and identifier symbols. */
export function hashRange(src: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + src.charCodeAt(i)) | 0;
  return mixHash(h);
}

/**
 * Final mixing step of the hash (the lexer computes the running part while scanning).
 * Hashes keep 30 bits, so that they are small integers to V8 wherever they are stored.
 */
export function mixHash(h: number): number {
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

const MASK = 4095;
const slots = new Int32Array(MASK + 1).fill(-1);
const names: string[] = [];
const codes: number[] = [];

function add(name: string, code: number): void {
  let h = hashRange(name, 0, name.length) & MASK;
  while (slots[h] !== -1) {
    if (names[slots[h]!] === name) return;
    h = (h + 1) & MASK;
  }
  slots[h] = names.length;
  names.push(name);
  codes.push(code);
}

for (let op = 0; op < INSTRUCTIONS.length; op++) add(INSTRUCTIONS[op]!.name, op);
for (const [name, code] of Object.entries(KW)) add(name, code);

/** The code of the keyword `src[start, end)` whose hash is `hash`, or -1. */
export function lookupHashed(src: string, start: number, end: number, hash: number): number {
  const len = end - start;
  let h = hash & MASK;
  for (;;) {
    const slot = slots[h]!;
    if (slot === -1) return -1;
    const name = names[slot]!;
    if (name.length === len) {
      let i = 0;
      while (i < len && name.charCodeAt(i) === src.charCodeAt(start + i)) i++;
      if (i === len) return codes[slot]!;
    }
    h = (h + 1) & MASK;
  }
}

// ── Keyword automaton ─────────────────────────────────────────────────────────────────
//
// The lexer recognizes keywords with a deterministic automaton over their characters (a
// trie of all keyword names): one table step per character while it scans the token, so
// that the token's code is known when its end is found, without hashing it and
// comparing it again with a table entry.

/** Column of each byte: 0 ends a token (not an identifier character), 1 is an identifier
 * character that occurs in no keyword, ≥ 2 a character that does. */
export const KW_CLASS = new Uint8Array(256);
/** Number of columns of `KW_NEXT`. */
export const KW_COLS: number = (() => {
  const idchars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&'*+-./:<=>?@\\^_`|~";
  for (let i = 0; i < idchars.length; i++) KW_CLASS[idchars.charCodeAt(i)] = 1;
  let cols = 2;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (KW_CLASS[c] === 1) KW_CLASS[c] = cols++;
    }
  }
  return cols;
})();
/**
 * The automaton, one row of `KW_COLS` entries per state (state 0 is the dead state: no
 * keyword). States are named by the offset of their row. In the row of state `s`,
 * `KW_NEXT[s + k]` (k ≥ 1) is the state after reading a character of column `k`, and
 * `KW_NEXT[s]` (column 0, which ends a token) is the code of the keyword that ends in
 * state `s`, or -1. (Offsets rather than state numbers keep a multiplication out of the
 * lexer's per-character step.)
 */
function buildAutomaton(): Int32Array {
  let states = 2; // dead, root
  const next: number[] = [];
  const accept: number[] = [-1, -1];
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    let s = 1;
    for (let i = 0; i < name.length; i++) {
      const at = s * KW_COLS + KW_CLASS[name.charCodeAt(i)]!;
      let t = next[at] ?? 0;
      if (t === 0) {
        t = states++;
        next[at] = t;
        accept.push(-1);
      }
      s = t;
    }
    if (accept[s] === -1) accept[s] = codes[k]!;
  }
  const table = new Int32Array(states * KW_COLS);
  for (let i = 0; i < next.length; i++) table[i] = (next[i] ?? 0) * KW_COLS;
  for (let s = 0; s < states; s++) table[s * KW_COLS] = accept[s]!;
  return table;
}
export const KW_NEXT: Int32Array = buildAutomaton();
/** The state the automaton starts in. */
export const KW_ROOT: number = KW_COLS;

/** The code of the keyword `src[start, end)`, or -1. */
export function lookupKeyword(src: string, start: number, end: number): number {
  return lookupHashed(src, start, end, hashRange(src, start, end));
}

/** The code of a keyword given as a string, or -1. */
export function keywordCode(word: string): number {
  return lookupKeyword(word, 0, word.length);
}
