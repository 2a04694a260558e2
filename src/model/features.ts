// Feature flags: the proposals merged into WebAssembly 3.0, plus threads.
// Every instruction table row names the feature that introduced it.

export const FEATURES = [
  'mvp',
  'mutable-globals',
  'sign-extension',
  'saturating-float-to-int',
  'multi-value',
  'bulk-memory',
  'reference-types',
  'simd',
  'relaxed-simd',
  'tail-call',
  'extended-const',
  'function-references',
  'gc',
  'exceptions',
  'legacy-exceptions',
  'multi-memory',
  'memory64',
  'threads',
] as const;

export type Feature = (typeof FEATURES)[number];

export type FeatureSet = Readonly<Record<Feature, boolean>>;

/** Everything in WebAssembly 3.0 on, plus threads (V8 runs them). */
export const ALL_FEATURES: FeatureSet = Object.fromEntries(FEATURES.map((f) => [f, true])) as Record<
  Feature,
  boolean
>;

/** WebAssembly 2.0 (2022): MVP plus the proposals merged before 3.0. */
export const WASM2_FEATURES: FeatureSet = {
  ...ALL_FEATURES,
  'relaxed-simd': false,
  'tail-call': false,
  'extended-const': false,
  'function-references': false,
  gc: false,
  exceptions: false,
  'legacy-exceptions': false,
  'multi-memory': false,
  memory64: false,
  threads: false,
};
