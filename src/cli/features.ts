// The `--features` option: which WebAssembly proposals a command accepts, as a FeatureSet
// (src/model/features.ts). A comma-separated list applied left to right, starting from
// everything on: a preset (`all`, `wasm3`, `wasm2`, `wasm1`), `-NAME` to turn a proposal
// off, `+NAME` or `NAME` to turn it on. `--features=wasm2,+simd` and `--features=-gc,-simd`.

import { ALL_FEATURES, FEATURES, type Feature, type FeatureSet, WASM2_FEATURES } from '../model/features.ts';
import { UsageError } from './io.ts';

const only = (on: (f: Feature) => boolean): FeatureSet =>
  Object.fromEntries(FEATURES.map((f) => [f, on(f)])) as Record<Feature, boolean>;

const PRESETS: Readonly<Record<string, FeatureSet>> = {
  all: ALL_FEATURES,
  wasm3: { ...ALL_FEATURES, threads: false },
  wasm2: WASM2_FEATURES,
  wasm1: only((f) => f === 'mvp'),
};

/** One line for a command's help text. */
export const FEATURES_HELP = `presets: ${Object.keys(PRESETS).join(', ')}; proposals: ${FEATURES.filter((f) => f !== 'mvp').join(', ')}`;

/** The FeatureSet that `specs` (the values of every --features flag, in order) describe. */
export function parseFeatures(specs: readonly string[], command: string): FeatureSet {
  let set: Record<Feature, boolean> = { ...ALL_FEATURES };
  for (const spec of specs) {
    for (const raw of spec.split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      const preset = PRESETS[item];
      if (preset !== undefined) {
        set = { ...preset };
        continue;
      }
      const on = item[0] !== '-';
      const name = item[0] === '-' || item[0] === '+' ? item.slice(1) : item;
      if (!(FEATURES as readonly string[]).includes(name)) {
        throw new UsageError(`unknown feature '${name}' (${FEATURES_HELP})`, command);
      }
      set[name as Feature] = on;
    }
  }
  // The decoder and validator take a faster path for the very ALL_FEATURES object.
  return FEATURES.every((f) => set[f]) ? ALL_FEATURES : set;
}
