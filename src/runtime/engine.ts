// The engine (Wasmtime's `Engine`): configuration shared by every module compiled with it,
// and the registry in which their types are made canonical, so that an import and the
// export that satisfies it can be compared across modules (spec §3.1.3 "Type Equivalence").

import { ALL_FEATURES, type FeatureSet } from '../model/features.ts';
import { TypeRegistry } from '../validate/registry.ts';

export interface EngineOptions {
  /** The proposals modules may use (default: all of WebAssembly 3.0, plus threads). */
  readonly features?: FeatureSet;
}

export class Engine {
  readonly features: FeatureSet;
  /** Canonical types of every module compiled with this engine (internal). */
  readonly types: TypeRegistry = new TypeRegistry();

  constructor(options: EngineOptions = {}) {
    this.features = options.features ?? ALL_FEATURES;
  }
}
