// The oracle: what one fuzz case checks.
//
// 1. Verdict. Our decodeModule + validateModule (all features) against V8's
//    WebAssembly.validate (Node.js 24: all of WebAssembly 3.0, plus threads). When they
//    differ, a documented rule of ./rules.ts may explain it; otherwise it is a finding.
// 2. Errors. Nothing but our own error types (WasmError subclasses) may escape the
//    decoder or the validator; anything else (TypeError, RangeError: stack overflow, …)
//    is a crash.
// 3. Our other paths. The lazy path (ModuleReader's sections, bodies streamed one
//    instruction at a time into ModuleValidator) must reach the same verdict; so must
//    the fast path, `validate(bytes)` (the fused loop reading each body's bytes), and
//    with the same error (class and message) — under all features and under the feature
//    subset; a module we accept with some proposals turned off must be accepted with all
//    of them on.
// 4. Round trips of an accepted module: decode → encode → decode gives an equal model,
//    and print → parse → encode gives the bytes of encode (the printer writes the data
//    count section and local runs the text format cannot say as `(@datacount)` and
//    `(@local.runs …)`).
// 5. Time: our part of the case is timed (CPU time); the driver flags slow cases.

import { decodeModule, encodeModule, ModuleReader } from '../src/binary/index.ts';
import { ALL_FEATURES, FEATURES, WASM2_FEATURES, type Feature, type FeatureSet } from '../src/model/features.ts';
import { DecodeError, ValidationError, WasmError } from '../src/model/errors.ts';
import type { Module } from '../src/model/types.ts';
import * as text from '../src/text/index.ts';
import { ModuleValidator, validate, validateModule } from '../src/validate/index.ts';
import { Rng } from './rng.ts';
import { DECODE_REJECT_RULES, errorSite, explain, REJECT_RULES, RULES } from './rules.ts';

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The printer, when this checkout has one (it may still be landing). */
type Printer = (m: Module, options?: { folded?: boolean; names?: boolean }) => string;
const printModule: Printer | null = typeof (text as { printModule?: unknown }).printModule === 'function'
  ? (text as unknown as { printModule: Printer }).printModule
  : null;

export type ProblemKind = 'crash' | 'disagreement' | 'roundtrip' | 'streaming' | 'fast' | 'features';

export interface Problem {
  readonly kind: ProblemKind;
  readonly message: string;
  /** For a crash: the escaped error's stack (as deep as Error.stackTraceLimit allows). */
  readonly stack?: string;
}

export interface CaseResult {
  /** Our verdict (all features). */
  readonly ours: boolean;
  /** Our reason for rejecting, without the offset. */
  readonly reason: string | null;
  readonly v8: boolean;
  /** V8's message when it rejected a module we accept. */
  readonly v8Message: string | null;
  /** The rule explaining a disagreement, if one does. */
  readonly explainedBy: string | null;
  readonly problems: readonly Problem[];
  /** CPU milliseconds spent in our code (decoding, validating, round trips). */
  readonly ourMs: number;
  /** Which checks ran: binary round trip, text round trip, streaming, feature subset. */
  readonly checked: { binary: boolean; text: boolean; streaming: boolean; fast: boolean; features: boolean };
}

export interface CheckOptions {
  /** Round trips of accepted modules (default true). */
  readonly roundTrips?: boolean;
  /** Proposals to turn off for the subset check; null to skip it. */
  readonly subset?: FeatureSet | null;
  /** Print folded (true) or flat. */
  readonly folded?: boolean;
}

/** Thrown inside the oracle for an error that is not ours. */
class Escaped {
  readonly error: unknown;
  readonly where: string;
  constructor(error: unknown, where: string) {
    this.error = error;
    this.where = where;
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]}`;
  return `thrown non-Error: ${String(e)}`;
}

type Verdict =
  | { readonly ok: true; readonly module: Module }
  /** `module`: the decoded module, when only validation failed; `offset`: a DecodeError's. */
  | { readonly ok: false; readonly reason: string; readonly module: Module | null; readonly offset: number };

/** decodeModule + validateModule; throws Escaped for errors that are not ours. */
function ourVerdict(bytes: Uint8Array, features: FeatureSet): Verdict {
  let module: Module | null = null;
  try {
    module = decodeModule(bytes, { features });
    validateModule(module, { features });
  } catch (e) {
    if (e instanceof WasmError) {
      const offset = e instanceof DecodeError ? e.offset : -1;
      return { ok: false, reason: (e as { reason?: string }).reason ?? e.message, module, offset };
    }
    throw new Escaped(e, features === ALL_FEATURES ? 'decode/validate' : 'decode/validate (feature subset)');
  }
  return { ok: true, module };
}

/**
 * The rule explaining why our decoder rejects (`reason` at `offset`) bytes V8 accepts:
 * each repair takes one cause out and the bytes are decoded again; the model then goes
 * to explainReject (validation).
 */
function explainDecodeReject(bytes: Uint8Array, reason: string, offset: number): string | null {
  let b = bytes;
  let why = reason;
  let at = offset;
  let first: string | null = null;
  const fixes: ((m: Module) => Module)[] = [];
  for (let round = 0; round < 20; round++) {
    let repaired: { bytes: Uint8Array; fix: (m: Module) => Module } | null = null;
    for (const rule of DECODE_REJECT_RULES) {
      if (!rule.reason.test(why)) continue;
      repaired = rule.repair(b, at);
      if (repaired !== null) {
        first ??= rule.id;
        break;
      }
    }
    if (repaired === null) return null;
    b = repaired.bytes;
    fixes.push(repaired.fix);
    let m: Module;
    try {
      m = decodeModule(b);
    } catch (e) {
      if (!(e instanceof DecodeError)) return null;
      why = e.reason;
      at = e.offset;
      continue;
    }
    for (const fix of fixes) m = fix(m);
    try {
      validateModule(m);
      return first;
    } catch (e) {
      if (!(e instanceof ValidationError)) return null;
      return explainReject(m, e.reason, first);
    }
  }
  return null;
}

/**
 * The rule explaining why we reject a module V8 accepts: each repair takes one cause out
 * and the module is validated again, until it is valid (explained) or no rule applies.
 */
function explainReject(module: Module, reason: string, already: string | null = null): string | null {
  let m = module;
  let why = reason;
  let first: string | null = already;
  for (let round = 0; round < 20; round++) {
    const site = errorSite(m, why);
    if (site === null) return null;
    let repaired: Module | null = null;
    for (const rule of REJECT_RULES) {
      if (!rule.reason.test(why)) continue;
      repaired = rule.repair(m, site.defined, site.instr);
      if (repaired !== null) {
        first ??= rule.id;
        break;
      }
    }
    if (repaired === null) return null;
    m = repaired;
    try {
      validateModule(m);
      return first;
    } catch (e) {
      if (!(e instanceof ValidationError)) return null;
      why = e.reason;
    }
  }
  return null;
}

/** The lazy path: sections from ModuleReader, bodies streamed into ModuleValidator. */
/**
 * What the fast path `validate(bytes)` says, in the terms of ourVerdict's: null when it
 * accepts, else the error's class and reason; throws Escaped for errors that are not ours.
 */
function fastVerdict(bytes: Uint8Array, features: FeatureSet): string | null {
  try {
    validate(bytes, { features });
    return null;
  } catch (e) {
    if (e instanceof WasmError) return `${e.name}: ${(e as { reason?: string }).reason ?? e.message}`;
    throw new Escaped(e, features === ALL_FEATURES ? 'validate(bytes)' : 'validate(bytes) (feature subset)');
  }
}

/** The fast path's problem, if its verdict or error differs from the model path's. */
function fastProblem(bytes: Uint8Array, features: FeatureSet, model: Verdict, what: string): Problem | null {
  const fast = fastVerdict(bytes, features);
  let want: string | null = null;
  if (!model.ok) {
    const error = model.module === null ? DecodeError.name : ValidationError.name;
    want = `${error}: ${model.reason}`;
  }
  if (fast === want) return null;
  return {
    kind: 'fast',
    message: `${what}: decodeModule + validateModule ${want === null ? 'accept' : `reject (${want})`}, validate(bytes) ${fast === null ? 'accepts' : `rejects (${fast})`}`,
  };
}

function streamingVerdict(bytes: Uint8Array): boolean {
  try {
    const reader = new ModuleReader(bytes);
    const funcTypes = reader.functionTypes(); // read even without a code section
    const bodies = reader.functionBodies();
    const module: Module = {
      types: reader.types(),
      imports: reader.imports(),
      funcs: funcTypes.map((type) => ({ type, locals: [], body: [] })),
      tables: reader.tables(),
      memories: reader.memories(),
      globals: reader.globals(),
      tags: reader.tags(),
      exports: reader.exports(),
      start: reader.start(),
      elems: reader.elems(),
      datas: reader.datas(),
      dataCount: reader.dataCount() !== null,
      customs: reader.customs(),
      names: reader.names(),
    };
    const mv = new ModuleValidator(module);
    let r = undefined;
    for (const body of bodies) {
      const cursor = reader.bodyReader(body, r);
      r = cursor.reader;
      mv.beginFunction(body.defined, cursor.locals);
      for (;;) {
        const o = r.next();
        if (r.depth === 0) break;
        mv.op(o, r.imm);
      }
      mv.endFunction();
      cursor.finish();
    }
    return true;
  } catch (e) {
    if (e instanceof WasmError) return false;
    throw new Escaped(e, 'streaming decode/validate');
  }
}

// ---------------------------------------------------------------------------------------
// Model equality, for the binary round trip.

/** The path of the first difference between two models, or null when equal. */
export function firstDifference(a: unknown, b: unknown, path = 'module'): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b) return path;
  if (typeof a === 'number') return Number.isNaN(a) && Number.isNaN(b) ? null : path;
  if (typeof a !== 'object' || a === null || b === null) return path;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `${path}[${i}]`;
    return null;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return `${path}.size`;
    for (const [k, v] of a) {
      if (!b.has(k)) return `${path}.get(${String(k)})`;
      const d = firstDifference(v, b.get(k), `${path}.get(${String(k)})`);
      if (d !== null) return d;
    }
    return null;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], bb[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function binaryRoundTrip(m1: Module): string | null {
  let e1: Uint8Array;
  try {
    e1 = encodeModule(m1);
  } catch (e) {
    return `encode of a valid module threw ${describe(e)}`;
  }
  let m2: Module;
  try {
    m2 = decodeModule(e1);
  } catch (e) {
    return `decode of our encoding threw ${describe(e)}`;
  }
  const d = firstDifference(m1, m2);
  if (d !== null) return `decode → encode → decode differs at ${d}`;
  return null;
}

function textRoundTrip(print: Printer, m1: Module, folded: boolean): string | null {
  // Names are printed only when there are none to lose: the text format cannot carry
  // every name section (notes/parser-gaps.md §3), so a module with names is printed
  // without them and compared with its encoding without them.
  const withNames = m1.names === null;
  const m = withNames ? m1 : { ...m1, names: null };
  let source: string;
  try {
    source = print(m, { folded, names: withNames });
  } catch (e) {
    return `print threw ${describe(e)}`;
  }
  let again: Module;
  try {
    again = text.parseModule(source);
  } catch (e) {
    return `parse of printed text threw ${describe(e)}`;
  }
  let got: Uint8Array;
  let want: Uint8Array;
  try {
    got = encodeModule(again);
    want = encodeModule(m);
  } catch (e) {
    return `encode threw ${describe(e)}`;
  }
  if (equalBytes(got, want)) return null;
  const d = firstDifference(m, again);
  return `print → parse → encode differs${d === null ? '' : ` at ${d}`} (folded: ${folded})`;
}

/** A random set of proposals, some turned off (for the feature-subset check). */
export function randomSubset(r: Rng): FeatureSet {
  if (r.chance(0.3)) return WASM2_FEATURES;
  const out: Record<Feature, boolean> = { ...ALL_FEATURES };
  for (const f of FEATURES) if (f !== 'mvp' && r.chance(0.25)) out[f] = false;
  return out;
}

/** V8's message for a module it rejects (compiles it: call only on a disagreement). */
export function v8Message(bytes: Uint8Array): string {
  try {
    new WA.Module(bytes);
    return '(V8 compiled it)';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * CPU time of this thread in milliseconds. Cases are timed in CPU time, not wall-clock
 * time, so that a busy machine (other processes, other workers) does not turn slow
 * cases into hang candidates; the driver's watchdog still kills a worker by wall-clock.
 */
export function cpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs every check on one input. */
export function checkCase(bytes: Uint8Array, options: CheckOptions = {}): CaseResult {
  const problems: Problem[] = [];
  const checked = { binary: false, text: false, streaming: false, fast: false, features: false };
  const t0 = cpuMs();
  let ours: Verdict | null = null;
  let ourMs = 0;
  try {
    ours = ourVerdict(bytes, ALL_FEATURES);
    const lazy = streamingVerdict(bytes);
    checked.streaming = true;
    if (lazy !== ours.ok) {
      problems.push({
        kind: 'streaming',
        message: `decodeModule + validateModule ${ours.ok ? 'accept' : `reject (${ours.reason})`}, the streaming path ${lazy ? 'accepts' : 'rejects'}`,
      });
    }
    const fast = fastProblem(bytes, ALL_FEATURES, ours, 'all features');
    checked.fast = true;
    if (fast !== null) problems.push(fast);
    if (options.subset) {
      checked.features = true;
      const sub = ourVerdict(bytes, options.subset);
      const fastSub = fastProblem(bytes, options.subset, sub, 'feature subset');
      if (fastSub !== null) problems.push(fastSub);
      if (sub.ok && !ours.ok) {
        const off = FEATURES.filter((f) => !options.subset![f]).join(',');
        problems.push({ kind: 'features', message: `accepted with ${off} off, rejected with all features on (${ours.reason})` });
      }
    }
    if (ours.ok && options.roundTrips !== false) {
      checked.binary = true;
      const b = binaryRoundTrip(ours.module);
      if (b !== null) problems.push({ kind: 'roundtrip', message: `binary: ${b}` });
      if (printModule !== null) {
        checked.text = true;
        const t = textRoundTrip(printModule, ours.module, options.folded ?? false);
        if (t !== null) problems.push({ kind: 'roundtrip', message: `text: ${t}` });
      }
    }
  } catch (e) {
    if (!(e instanceof Escaped)) throw e;
    const stack = e.error instanceof Error ? e.error.stack : undefined;
    problems.push({ kind: 'crash', message: `${e.where}: ${describe(e.error)}`, ...(stack === undefined ? {} : { stack }) });
  }
  ourMs = cpuMs() - t0;

  const v8 = WA.validate(bytes);
  let message: string | null = null;
  let explainedBy: string | null = null;
  if (ours !== null && ours.ok !== v8) {
    if (ours.ok) {
      message = v8Message(bytes);
      explainedBy = explain(ours.module, message)?.id ?? null;
    } else if (ours.module !== null) {
      explainedBy = explainReject(ours.module, ours.reason);
    } else if (ours.offset >= 0) {
      explainedBy = explainDecodeReject(bytes, ours.reason, ours.offset);
    }
    if (explainedBy === null) {
      problems.push({
        kind: 'disagreement',
        message: ours.ok ? `we accept, V8 rejects: ${message}` : `we reject (${ours.reason}), V8 accepts`,
      });
    }
  }
  return {
    ours: ours?.ok ?? false,
    reason: ours !== null && !ours.ok ? ours.reason : null,
    v8,
    v8Message: message,
    explainedBy,
    problems,
    ourMs,
    checked,
  };
}

/**
 * What kind of failure a result shows, as a string that stays the same while the input
 * shrinks (numbers dropped): the minimizer keeps a smaller input only if it matches.
 */
export function signature(r: CaseResult): string | null {
  const p = r.problems[0];
  if (p === undefined) return null;
  const msg = p.message.replace(/0x[0-9a-f]+|\d+/g, 'N').replace(/\(at offset N\)/g, '');
  switch (p.kind) {
    case 'disagreement':
      return r.ours ? `disagreement: we accept (${(r.v8Message ?? '').replace(/@\+\d+|\d+/g, 'N')})` : `disagreement: we reject (${(r.reason ?? '').replace(/\d+/g, 'N')})`;
    case 'roundtrip':
      return `roundtrip: ${msg.slice(0, 40)}`;
    default:
      return `${p.kind}: ${msg}`;
  }
}

/**
 * Runs every rule's probe against this V8 and our toolchain: the probe must disagree the
 * way the rule says, and the oracle must explain it by that rule. Returns a problem per
 * rule (null when it holds). Large probes (megabytes) only when asked.
 */
export function checkRules(includeLarge: boolean): { id: string; description: string; problem: string | null }[] {
  const out: { id: string; description: string; problem: string | null }[] = [];
  const outcome = (id: string, description: string, bytes: Uint8Array, wantOurs: boolean): void => {
    let problem: string | null = null;
    const r = checkCase(bytes, { roundTrips: false });
    if (r.ours !== wantOurs) problem = `we ${r.ours ? 'accept' : `reject (${r.reason})`} the probe`;
    else if (r.v8 === wantOurs) problem = `V8 ${r.v8 ? 'accepts' : 'rejects'} the probe too: the rule no longer holds`;
    else if (r.explainedBy !== id) problem = `explained by ${r.explainedBy ?? 'no rule'}${r.v8Message ? ` (V8: ${r.v8Message})` : ''}`;
    out.push({ id, description, problem });
  };
  for (const rule of RULES) {
    if (rule.large === true && !includeLarge) continue;
    const m = rule.probe();
    const bytes = rule.probeBytes?.() ?? encodeModule(m);
    if (!rule.applies(m)) out.push({ id: rule.id, description: rule.description, problem: 'the rule does not recognise its own probe' });
    else outcome(rule.id, rule.description, bytes, true);
  }
  for (const rule of REJECT_RULES) outcome(rule.id, rule.description, encodeModule(rule.probe()), false);
  for (const rule of DECODE_REJECT_RULES) outcome(rule.id, rule.description, rule.probe(), false);
  return out;
}
