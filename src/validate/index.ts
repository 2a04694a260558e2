// The validator (spec chapter 3 "Validation" and the appendix's validation algorithm):
// `validate` checks a binary module straight from its bytes (the fast path);
// `validateModule` accepts a module model. Both throw errors whose message begins with
// the spec suite's wording (a ValidationError, or a DecodeError for a malformed binary).

export { validate } from './validate.ts';
export { ModuleValidator, validateModule } from './module.ts';
export type { BodyRange, ValidateOptions } from './module.ts';
export { TypeRegistry, MAX_SUBTYPE_DEPTH } from './registry.ts';
export { MAX_LOCALS } from './function.ts';
