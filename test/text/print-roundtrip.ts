// The printer's round trip for the tests: print → parse → encode must give the bytes of
// encode. Differences that come only from what the text format cannot express (see
// notes/parser-gaps.md) are classified as known gaps; anything else is a failure.

import { encodeModule } from '../../src/binary/encode.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule, printModule } from '../../src/text/index.ts';

export type Outcome =
  | { readonly kind: 'same' }
  | { readonly kind: 'gap'; readonly gaps: readonly string[] }
  | { readonly kind: 'fail'; readonly message: string };

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `module` with the differences the text format cannot carry taken out, and their names. */
function withoutGaps(module: Module): { module: Module; gaps: string[] } {
  const gaps: string[] = [];
  let m = module;
  if (m.names !== null && [...m.names.labels.values()].some((x) => x.size > 0)) {
    gaps.push('label names');
    m = { ...m, names: { ...m.names, labels: new Map() } };
  }
  return { module: m, gaps };
}

/** Prints, parses and encodes `module`; compares with `expected` (default: its encoding). */
export function roundTrip(module: Module, folded: boolean, expected?: Uint8Array): Outcome {
  const want = expected ?? encodeModule(module);
  let text: string;
  try {
    text = printModule(module, { folded });
  } catch (e) {
    return { kind: 'fail', message: `print: ${String(e)}` };
  }
  let again: Module;
  try {
    again = parseModule(text);
  } catch (e) {
    return { kind: 'fail', message: `parse: ${String(e)}` };
  }
  const got = encodeModule(again);
  if (equalBytes(got, want)) return { kind: 'same' };
  const { module: normal, gaps } = withoutGaps(module);
  if (gaps.length > 0 && equalBytes(got, encodeModule(normal))) return { kind: 'gap', gaps };
  const at = want.findIndex((b, i) => b !== got[i]);
  return { kind: 'fail', message: `bytes differ at offset ${at} (${want.length} vs ${got.length} bytes)` };
}

/** Tallies of outcomes, with the first few failure messages. */
export class Tally {
  same = 0;
  gap = 0;
  readonly gapKinds = new Map<string, number>();
  readonly failures: string[] = [];

  add(where: string, o: Outcome): void {
    if (o.kind === 'same') this.same++;
    else if (o.kind === 'gap') {
      this.gap++;
      for (const g of o.gaps) this.gapKinds.set(g, (this.gapKinds.get(g) ?? 0) + 1);
    } else this.failures.push(`${where}: ${o.message}`);
  }

  get total(): number {
    return this.same + this.gap + this.failures.length;
  }

  summary(): string {
    const gaps = [...this.gapKinds].map(([k, n]) => `${k} ${n}`).join(', ');
    return `${this.total} modules: ${this.same} identical bytes, ${this.gap} identical but for known text-format gaps${gaps === '' ? '' : ` (${gaps})`}, ${this.failures.length} failed`;
  }
}
