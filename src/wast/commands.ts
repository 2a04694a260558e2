// The WAST script model (the spec interpreter's script/ and the `wast` crate's commands):
// what a script says to do, independent of how it is run.

import type { Module, RefType } from '../model/types.ts';

/** Where a command starts in its script (1-based line and column). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A module as a script gives it. `text` modules were parsed by our parser; `binary`
 * holds the bytes of `(module binary …)`; `quote` holds the bytes of the strings of
 * `(module quote …)` (the module's source text in UTF-8, which may be malformed), parsed
 * only when the command runs so that `assert_malformed` can check the error.
 */
export type ScriptModule =
  | {
      readonly kind: 'text';
      readonly module: Module;
      /** Its `(@metadata.code.branch_hint …)` annotations (absent when none). */
      readonly branchHints?: readonly BranchHint[];
    }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  | { readonly kind: 'quote'; readonly bytes: Uint8Array };

/**
 * A branch hint annotation of a text module (see ./custom.ts): where it starts in the
 * script and the keyword of the instruction it sits on.
 */
export interface BranchHint {
  readonly offset: number;
  readonly target: string;
}

/** A constant argument or result of `invoke` / `get`. */
export type Const =
  | { readonly type: 'i32'; readonly value: number }          // signed 32-bit
  | { readonly type: 'i64'; readonly value: bigint }          // signed 64-bit
  | { readonly type: 'f32'; readonly bits: number }           // unsigned 32-bit pattern
  | { readonly type: 'f64'; readonly bits: bigint }           // unsigned 64-bit pattern
  | { readonly type: 'v128'; readonly bytes: Uint8Array }     // 16 bytes, little-endian
  | { readonly type: 'ref.null'; readonly heap: RefType['heap'] }
  | { readonly type: 'ref.extern'; readonly value: number }   // host reference
  | { readonly type: 'ref.host'; readonly value: number };

/** A float pattern in expected results. */
export type FloatPattern =
  | { readonly kind: 'bits'; readonly bits: number | bigint }
  | { readonly kind: 'nan:canonical' }
  | { readonly kind: 'nan:arithmetic' };

/** An expected result of `assert_return`. */
export type ResultPattern =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly pattern: FloatPattern }
  | { readonly type: 'f64'; readonly pattern: FloatPattern }
  /** v128: `shape` is i8x16 … f64x2; one pattern per lane (ints as bigint, two's complement). */
  | {
      readonly type: 'v128';
      readonly shape: 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
      readonly lanes: readonly (bigint | FloatPattern)[];
    }
  /** `ref.null` with an optional heap type (`(ref.null)` alone matches any null). */
  | { readonly type: 'ref.null'; readonly heap: RefType['heap'] | null }
  /** `(ref.extern N)`, or `(ref.extern)` for any non-null extern reference. */
  | { readonly type: 'ref.extern'; readonly value: number | null }
  | { readonly type: 'ref.host'; readonly value: number }
  /** Any non-null reference of that kind. */
  | {
      readonly type: 'ref.func' | 'ref.struct' | 'ref.array' | 'ref.i31' | 'ref.eq' | 'ref.any' | 'ref.exn';
    }
  | { readonly type: 'either'; readonly options: readonly ResultPattern[] };

export type Action =
  | {
      readonly kind: 'invoke';
      /** `$name` of a module defined earlier, or null for the current one. */
      readonly module: string | null;
      readonly name: string;
      readonly args: readonly Const[];
    }
  | { readonly kind: 'get'; readonly module: string | null; readonly name: string };

export type Command = Position &
  (
    | {
        readonly kind: 'module';
        readonly name: string | null;
        readonly module: ScriptModule;
        /** `(module definition …)`: compiled, not instantiated. */
        readonly definition: boolean;
      }
    /** `(module instance $i $def)`: instantiate a definition. */
    | { readonly kind: 'module_instance'; readonly instance: string | null; readonly definition: string | null }
    | { readonly kind: 'register'; readonly as: string; readonly name: string | null }
    | { readonly kind: 'action'; readonly action: Action }
    | { readonly kind: 'assert_return'; readonly action: Action; readonly expected: readonly ResultPattern[] }
    | { readonly kind: 'assert_trap'; readonly action: Action; readonly message: string }
    /** `assert_trap` on a module: instantiation must trap (the start function). */
    | { readonly kind: 'assert_trap_module'; readonly module: ScriptModule; readonly message: string }
    | { readonly kind: 'assert_exhaustion'; readonly action: Action; readonly message: string }
    | { readonly kind: 'assert_exception'; readonly action: Action }
    | { readonly kind: 'assert_invalid'; readonly module: ScriptModule; readonly message: string }
    | { readonly kind: 'assert_malformed'; readonly module: ScriptModule; readonly message: string }
    /** Custom-annotation checks (custom/ suite): the module's custom sections are malformed/invalid. */
    | { readonly kind: 'assert_malformed_custom'; readonly module: ScriptModule; readonly message: string }
    | { readonly kind: 'assert_invalid_custom'; readonly module: ScriptModule; readonly message: string }
    | { readonly kind: 'assert_unlinkable'; readonly module: ScriptModule; readonly message: string }
    | { readonly kind: 'assert_uninstantiable'; readonly module: ScriptModule; readonly message: string }
  );

export interface Script {
  readonly commands: readonly Command[];
}
