// Validating a binary module (spec chapter 3 over the binary format of chapter 5) in one
// pass over its bytes, without building the model of its code: the fast path.
//
// The module's other sections are decoded lazily into the model (they are small next to
// the code) and checked by ModuleValidator; each function body is then validated straight
// from the bytes by the fused loop of ./code.ts.
//
// Errors are those of decoding the whole module first, then validating it (as the
// reference interpreter does, and as `decodeModule` + `validateModule` report them): a
// malformed module gives the DecodeError `decodeModule` gives, wherever it is, even when
// an invalid function comes before it; an invalid one gives the ValidationError
// `validateModule` gives, plus the byte offset of the failing instruction. The fast path
// stops at the first problem it meets; only then is the module decoded once more to put
// the problems in that order.

import { decodeModule } from '../binary/decode.ts';
import { ModuleReader } from '../binary/module-reader.ts';
import { DecodeError, ValidationError } from '../model/errors.ts';
import type { Module } from '../model/types.ts';
import { beginCode, endCode } from './code.ts';
import { errorSite } from './fail.ts';
import { ModuleValidator, type ValidateOptions } from './module.ts';

/**
 * Validates a binary module. Returns nothing when it is valid; throws a DecodeError when
 * it is malformed, a ValidationError when it is invalid, each with the byte offset where
 * known and a message that begins with the specification's wording.
 */
export function validate(bytes: Uint8Array, options: ValidateOptions = {}): void {
  validateAndRead(bytes, options);
}

/** What `validateAndRead` read of a valid module, for a caller that goes on to use it. */
export interface ValidatedModule {
  /** The lazy reader of its sections. */
  readonly reader: ModuleReader;
  /** The module without its code (`reader.header()`). */
  readonly header: Module;
  /** The validator, whose context holds the type of every item. */
  readonly validator: ModuleValidator;
}

/** `validate`, keeping what it read (the runtime compiles and links with it). */
export function validateAndRead(bytes: Uint8Array, options: ValidateOptions = {}): ValidatedModule {
  beginCode(bytes);
  try {
    const reader = new ModuleReader(bytes, { features: options.features });
    const header = reader.header();
    let validator: ModuleValidator;
    try {
      validator = new ModuleValidator(header, options);
    } catch (e) {
      throw withOffset(e, reader);
    }
    validator.validateFunctionBodies(reader.bodyOffsets(), bytes);
    return { reader, header, validator };
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) throw firstError(bytes, options, e);
    throw e;
  } finally {
    endCode();
  }
}

/**
 * A ValidationError of the module's other sections, given the offset of the entry it
 * was found in (see errorSite), when it has none.
 */
function withOffset(e: unknown, reader: ModuleReader): unknown {
  if (!(e instanceof ValidationError) || e.offset >= 0) return e;
  const site = errorSite(e);
  if (site === undefined) return e;
  const offset = reader.entryOffset(site.section, site.index);
  return offset < 0 ? e : new ValidationError(e.reason, offset);
}

/** The error to report for `e`: the module's first decoding error if it has one, else `e`. */
function firstError(bytes: Uint8Array, options: ValidateOptions, e: DecodeError | ValidationError): Error {
  try {
    decodeModule(bytes, { features: options.features, names: false });
  } catch (d) {
    if (d instanceof DecodeError) return d;
    throw d;
  }
  return e;
}
