// Case construction: case `index` of the run seeded with `seed` is a function of the two
// (and of the corpus), so any case can be replayed alone. A case is a spec-suite module
// as it is, a generated module, or either of them mutated at the byte level or at the
// structure level (then maybe at the byte level too).

import { decodeModule, encodeModule } from '../src/binary/index.ts';
import { WasmError } from '../src/model/errors.ts';
import type { Module } from '../src/model/types.ts';
import type { Seed } from './corpus.ts';
import { generateModule } from './generate.ts';
import { mutateBytes, mutateModel } from './mutate.ts';
import { Rng } from './rng.ts';

export interface Case {
  readonly bytes: Uint8Array;
  /** How it was made, e.g. `spec:br.wast:12 + leb + instr-swap`. */
  readonly origin: string;
  /** A fuzzer-side failure while making it (our encoder threw a non-WasmError). */
  readonly crash: string | null;
}

/** The seeds and their decoded models (decoded once, on first use). */
export class Corpus {
  readonly seeds: readonly Seed[];
  private readonly models: (Module | null | undefined)[];

  constructor(seeds: readonly Seed[]) {
    this.seeds = seeds;
    this.models = new Array(seeds.length);
  }

  model(i: number): Module | null {
    let m = this.models[i];
    if (m === undefined) {
      try {
        m = decodeModule(this.seeds[i]!.bytes, { copyBytes: true });
      } catch {
        m = null;
      }
      this.models[i] = m;
    }
    return m;
  }
}

/** Builds case `index` of the run seeded with `seed`. */
export function makeCase(seed: number, index: number, corpus: Corpus): Case {
  const r = new Rng(seed, index);
  const log: string[] = [];
  const n = corpus.seeds.length;
  let crash: string | null = null;

  // The base: a spec module or a generated one.
  let bytes: Uint8Array;
  let model: Module | null;
  let origin: string;
  if (n > 0 && r.chance(0.55)) {
    const i = r.int(n);
    bytes = corpus.seeds[i]!.bytes;
    model = null;
    origin = `spec:${corpus.seeds[i]!.name}`;
    if (r.chance(0.5)) model = corpus.model(i);
  } else {
    model = generateModule(r);
    bytes = encodeModule(model);
    origin = 'generated';
  }
  const otherBytes = (): Uint8Array =>
    n > 0 && r.chance(0.8) ? corpus.seeds[r.int(n)]!.bytes : encodeModule(generateModule(r));
  const otherModel = (): Module | null => (n > 0 && r.chance(0.7) ? corpus.model(r.int(n)) : generateModule(r));

  switch (r.weighted([15, 45, 40])) {
    case 0:
      break; // as it is
    case 1: {
      const k = r.chance(0.6) ? 1 : r.range(2, 5);
      for (let i = 0; i < k; i++) bytes = mutateBytes(r, bytes, otherBytes, log);
      break;
    }
    default: {
      if (model === null) model = decodeOrNull(bytes);
      if (model !== null) {
        const k = r.chance(0.7) ? 1 : r.range(2, 3);
        let m: Module = model;
        let out: Uint8Array | null = null;
        for (let i = 0; i < k; i++) {
          const step: string[] = [];
          out = mutateModel(r, m, otherModel, step);
          for (const s of step) {
            if (s.startsWith('!')) crash ??= s.slice(1);
            else log.push(s);
          }
          if (out === null || i === k - 1) break;
          const again = decodeOrNull(out);
          if (again === null) break;
          m = again;
        }
        if (out !== null) bytes = out;
      }
      if (r.chance(0.2)) bytes = mutateBytes(r, bytes, otherBytes, log);
    }
  }
  return { bytes, origin: log.length > 0 ? `${origin} + ${log.join(' + ')}` : origin, crash };
}

function decodeOrNull(bytes: Uint8Array): Module | null {
  try {
    return decodeModule(bytes);
  } catch (e) {
    if (e instanceof WasmError) return null;
    return null; // reported by the oracle when it runs the same bytes
  }
}
