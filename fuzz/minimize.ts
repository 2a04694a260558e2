// Test-case reduction: shrinks a failing input while it keeps failing the same way (same
// signature, see oracle.ts). First whole sections go, then ever smaller chunks of bytes
// (delta debugging), within a budget of checks and time.

import { rawSections } from './mutate.ts';

export interface MinimizeOptions {
  /** Most candidate inputs to try (default 3000). */
  readonly maxChecks?: number;
  /** Most milliseconds to spend (default 10000). */
  readonly maxMs?: number;
}

/** The smallest input found for which `fails` still holds (`fails(bytes)` must hold). */
export function minimize(bytes: Uint8Array, fails: (b: Uint8Array) => boolean, options: MinimizeOptions = {}): Uint8Array {
  const maxChecks = options.maxChecks ?? 3000;
  const deadline = performance.now() + (options.maxMs ?? 10000);
  let checks = 0;
  const tryIt = (b: Uint8Array): boolean => {
    if (checks >= maxChecks || performance.now() > deadline) return false;
    checks++;
    return fails(b);
  };
  const without = (b: Uint8Array, from: number, to: number): Uint8Array => {
    const out = new Uint8Array(b.length - (to - from));
    out.set(b.subarray(0, from), 0);
    out.set(b.subarray(to), from);
    return out;
  };

  let best = bytes;
  // Whole sections, last first.
  const sections = rawSections(best);
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i]!;
    const candidate = without(best, s.start, s.end);
    if (tryIt(candidate)) best = candidate;
  }
  // Chunks, halving their size.
  for (let size = Math.max(1, best.length >> 1); size >= 1; size >>= 1) {
    let at = 8;
    while (at < best.length) {
      const to = Math.min(best.length, at + size);
      const candidate = without(best, at, to);
      if (tryIt(candidate)) best = candidate;
      else at += size;
      if (checks >= maxChecks || performance.now() > deadline) return best;
    }
  }
  return best;
}
