// Helpers shared by the validator's tests.

import { ValidationError } from '../../src/model/errors.ts';
import type { FeatureSet } from '../../src/model/features.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { validateModule } from '../../src/validate/index.ts';

/** The reason a module (text or model) is invalid, or null when it is valid. */
export function reason(source: string | Module, features?: FeatureSet): string | null {
  const m = typeof source === 'string' ? parseModule(source) : source;
  try {
    validateModule(m, { features });
    return null;
  } catch (e) {
    if (e instanceof ValidationError) return e.reason;
    throw e;
  }
}
