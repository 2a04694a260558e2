// The validator (spec chapter 3 "Validation" and the appendix's validation algorithm):
// `validateModule` accepts a module model or throws a ValidationError whose message
// begins with the spec suite's wording.

export { ModuleValidator, validateModule } from './module.ts';
export type { ValidateOptions } from './module.ts';
export { TypeRegistry, MAX_SUBTYPE_DEPTH } from './registry.ts';
export { MAX_LOCALS } from './function.ts';
