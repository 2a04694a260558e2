// Focused validator tests: the rules the spec suite touches lightly, feature flags, type
// canonicalization, implementation limits, error positions, the streaming API, and bad
// input of a size that must not cost recursion or quadratic time.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ValidationError } from '../../src/model/errors.ts';
import { ALL_FEATURES, WASM2_FEATURES } from '../../src/model/features.ts';
import type { FeatureSet } from '../../src/model/features.ts';
import type { Instruction } from '../../src/model/instruction.ts';
import { op } from '../../src/model/opcodes.ts';
import { emptyModule } from '../../src/model/types.ts';
import type { Module } from '../../src/model/types.ts';
import { parseModule } from '../../src/text/index.ts';
import { reason } from './helpers.ts';
import { MAX_LOCALS, MAX_SUBTYPE_DEPTH, ModuleValidator, TypeRegistry, validateModule } from '../../src/validate/index.ts';


function valid(source: string | Module, features?: FeatureSet): void {
  assert.equal(reason(source, features), null);
}

function invalid(source: string | Module, message: string, features?: FeatureSet): void {
  const got = reason(source, features);
  assert.ok(got !== null, `accepted, expected "${message}"`);
  assert.ok(got.startsWith(message), `expected "${message}", got "${got}"`);
}

const I = (name: string, imm: Instruction['imm'] = null): Instruction => ({ op: op(name), imm });

/** A module with one function `() -> results` with the given body. */
function funcModule(body: Instruction[], results: ('i32' | 'i64')[] = []): Module {
  return {
    ...emptyModule(),
    types: [{ explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func', params: [], results } }] }],
    funcs: [{ type: 0, locals: [], body }],
  };
}

test('numeric instructions are typed from the instruction table', () => {
  valid('(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))');
  invalid('(module (func (result i32) (i32.add (i64.const 1) (i32.const 2))))', 'type mismatch');
  invalid('(module (func (i32.const 1)))', 'type mismatch: block requires [] but stack has [i32]');
  invalid('(module (func (result i32)))', 'type mismatch: instruction requires [i32] but stack has []');
  invalid('(module (func (result i32) (i64.const 0)))', 'type mismatch: instruction requires [i32] but stack has [i64]');
});

test('unreachable code is stack-polymorphic', () => {
  valid('(module (func (result i32) (unreachable) (i32.add)))');
  valid('(module (func (result i64) (unreachable) (select)))');
  invalid('(module (func (result i32) (unreachable) (i64.const 0) (i32.add)))', 'type mismatch');
  // A reference popped from the polymorphic stack is (ref bot): not a number.
  invalid('(module (func (result i32) (unreachable) (ref.as_non_null) (i32.eqz)))', 'type mismatch');
  valid('(module (func (result funcref) (unreachable) (ref.as_non_null)))');
});

test('control: blocks, if without else, labels, br_table arities', () => {
  valid('(module (func (param i32) (result i32) (block (result i32) (br_if 0 (i32.const 1) (local.get 0)))))');
  valid('(module (func (param i32) (result i32) (if (param i32) (result i32) (local.get 0) (local.get 0) (then))))');
  invalid('(module (func (param i32) (if (result i32) (local.get 0) (then (i32.const 1))) (drop)))', 'type mismatch');
  invalid('(module (func (br 1)))', 'unknown label');
  invalid(
    '(module (func (param i32) (block (result i32) (block (br_table 0 1 (i32.const 0) (local.get 0)))) (drop)))',
    'type mismatch',
  );
  valid('(module (func (param i32) (block (block (br_table 0 1 0 (local.get 0))))))');
  valid('(module (func (result i32) (loop (result i32) (br 0)) ))');
});

test('locals: unknown, non-defaultable locals must be set first, per block', () => {
  invalid('(module (func (local.get 0) (drop)))', 'unknown local');
  valid('(module (func (local (ref func)) (local.set 0 (ref.func 0)) (local.get 0) (drop)) (elem declare func 0))');
  invalid('(module (func (local (ref func)) (local.get 0) (drop)))', 'uninitialized local');
  invalid(
    '(module (func (local (ref func)) (block (local.set 0 (ref.func 0))) (local.get 0) (drop)) (elem declare func 0))',
    'uninitialized local',
  );
});

test('globals, constant expressions and the 3.0 global.get rule', () => {
  valid('(module (global i32 (i32.const 1)) (global i32 (global.get 0)))');
  invalid('(module (global i32 (global.get 1)) (global i32 (i32.const 1)))', 'unknown global 1');
  invalid('(module (global (mut i32) (i32.const 1)) (global i32 (global.get 0)))', 'constant expression required');
  valid('(module (global i32 (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))))');
  invalid('(module (global i32 (i32.div_s (i32.const 1) (i32.const 1))))', 'constant expression required');
  // Without GC, only imported globals may be read.
  invalid('(module (global i32 (i32.const 1)) (global i32 (global.get 0)))', 'unknown global 0', {
    ...ALL_FEATURES,
    gc: false,
  });
  invalid('(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))', 'immutable global');
});

test('memories: limits, alignment, memory64 addresses, multiple memories', () => {
  invalid('(module (memory 65537))', 'memory size must be at most 65536 pages (4GiB)');
  invalid('(module (memory 2 1))', 'size minimum must not be greater than maximum');
  invalid('(module (memory 1 2) (memory 1))', 'multiple memories', WASM2_FEATURES);
  invalid('(module (memory 1 2 shared))', 'a shared memory requires the threads feature', WASM2_FEATURES);
  invalid('(module (memory 1 shared))', 'shared memory must have maximum');
  valid('(module (memory 1 2 shared) (func (drop (i32.atomic.load (i32.const 0)))))');
  invalid('(module (memory 1 2 shared) (func (drop (i32.atomic.load align=1 (i32.const 0)))))', 'alignment must be equal to natural');
  invalid('(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))', 'alignment must not be larger than natural');
  valid('(module (memory i64 1) (func (drop (i32.load (i64.const 0)))))');
  invalid('(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))', 'type mismatch');
  valid('(module (memory i64 1) (memory 1) (func (memory.copy 0 1 (i64.const 0) (i32.const 0) (i32.const 0))))');
  invalid('(module (func (drop (memory.size))))', 'unknown memory 0');
  invalid('(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))', 'offset out of range');
});

test('data count and segment indices', () => {
  invalid('(module (memory 1) (func (data.drop 0)))', 'unknown data segment 0');
  const m = parseModule('(module (memory 1) (data "x") (func (data.drop 0)))');
  valid(m);
  invalid({ ...m, dataCount: false }, 'data count section required');
  invalid('(module (func (elem.drop 0)))', 'unknown elem segment 0');
});

test('ref.func needs a declaration outside function bodies', () => {
  invalid('(module (func (drop (ref.func 0))))', 'undeclared function reference');
  valid('(module (func (drop (ref.func 0))) (elem declare func 0))');
  valid('(module (func (drop (ref.func 0))) (export "f" (func 0)))');
  valid('(module (func (drop (ref.func 0))) (global funcref (ref.func 0)))');
});

test('exports, start, tags', () => {
  invalid('(module (func) (export "a" (func 0)) (export "a" (func 0)))', 'duplicate export name');
  invalid('(module (export "a" (func 0)))', 'unknown function 0');
  invalid('(module (func (param i32)) (start 0))', 'start function');
  invalid('(module (tag (result i32)))', 'non-empty tag result type');
  invalid('(module (func (throw 0)))', 'unknown tag 0');
});

test('typed select, untyped select of references', () => {
  invalid('(module (func (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (drop) (drop)))', 'invalid result arity');
  invalid('(module (func (param funcref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))', 'type mismatch');
  valid('(module (func (param funcref) (drop (select (result funcref) (local.get 0) (local.get 0) (i32.const 1)))))');
});

test('SIMD lanes', () => {
  valid('(module (func (result i32) (i8x16.extract_lane_s 15 (v128.const i64x2 0 0))))');
  invalid('(module (func (result i32) (i8x16.extract_lane_s 16 (v128.const i64x2 0 0))))', 'invalid lane index');
  invalid('(module (func (result i64) (i64x2.extract_lane 2 (v128.const i64x2 0 0))))', 'invalid lane index');
  invalid('(module (memory 1) (func (result v128) (v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0))))', 'invalid lane index');
});

test('GC: struct and array access rules', () => {
  const types = '(type $s (struct (field i8) (field (mut i32)))) (type $a (array i16)) (type $m (array (mut i32)))';
  valid(`(module ${types} (func (param (ref $s)) (result i32) (struct.get_s $s 0 (local.get 0))))`);
  invalid(`(module ${types} (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))`, 'field is packed');
  invalid(`(module ${types} (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 0))))`, 'immutable field');
  invalid(`(module ${types} (func (param (ref $a)) (array.set $a (local.get 0) (i32.const 0) (i32.const 0))))`, 'immutable array');
  invalid(`(module ${types} (func (param (ref $m) (ref $a)) (array.copy $m $a (local.get 0) (i32.const 0) (local.get 1) (i32.const 0) (i32.const 0))))`, 'array types do not match');
  valid(`(module ${types} (func (result (ref $m)) (array.new_fixed $m 2 (i32.const 1) (i32.const 2))))`);
  valid(`(module ${types} (global (ref $s) (struct.new $s (i32.const 1) (i32.const 2))))`);
});

test('GC: casts and br_on_cast', () => {
  const t = '(type $s (sub (struct))) (type $t (sub $s (struct (field i32))))';
  valid(`(module ${t} (func (param anyref) (result i32) (ref.test (ref $t) (local.get 0))))`);
  invalid(`(module ${t} (func (param funcref) (result i32) (ref.test (ref $t) (local.get 0))))`, 'type mismatch');
  valid(`(module ${t} (func (param (ref null $s)) (result (ref null $t)) (br_on_cast 0 (ref null $s) (ref null $t) (local.get 0)) (drop) (ref.null $t)))`);
  invalid(`(module ${t} (func (param (ref null $t)) (result (ref null $t)) (br_on_cast 0 (ref null $t) (ref null $s) (local.get 0)) (drop) (ref.null $t)))`, 'type mismatch');
});

test('iso-recursive equivalence: equal rec groups are the same type, in one module and across modules', () => {
  // $f and $g are separately defined but equivalent: a (ref $g) is a (ref $f).
  valid('(module (type $f (func)) (type $g (func)) (func (param (ref $g)) (call_ref $f (local.get 0))))');
  // Different recursion groups: not equivalent.
  invalid(
    '(module (rec (type $f (func)) (type (struct))) (type $g (func)) (func (param (ref $g)) (call_ref $f (local.get 0))))',
    'type mismatch',
  );
  const registry = new TypeRegistry();
  const a = parseModule('(module (rec (type $r (struct (field (ref null $r))))))');
  const b = parseModule('(module (type (func)) (rec (type $r (struct (field (ref null $r))))))');
  validateModule(a, { types: registry });
  const before = registry.count;
  validateModule(b, { types: registry });
  assert.equal(registry.count, before + 1, 'the struct group is shared, only the func type is new');
});

test('subtyping: final types, structural matching, depth limit', () => {
  invalid('(module (type $t (func)) (type (sub $t (func))))', 'sub type');
  valid('(module (type $t (sub (struct (field i32)))) (type (sub $t (struct (field i32) (field i64)))))');
  invalid('(module (type $t (sub (struct (field (mut i32))))) (type (sub $t (struct (field i32)))))', 'sub type');
  const chain = (n: number): string => {
    let s = '(type $t0 (sub (struct)))';
    for (let i = 1; i <= n; i++) s += ` (type $t${i} (sub $t${i - 1} (struct)))`;
    return `(module ${s})`;
  };
  valid(chain(MAX_SUBTYPE_DEPTH));
  invalid(chain(MAX_SUBTYPE_DEPTH + 1), 'sub type');
});

test('feature flags: an instruction or type of a disabled proposal is invalid', () => {
  valid('(module (func (result i32) (i32.extend8_s (i32.const 1))))', WASM2_FEATURES);
  invalid('(module (func (drop (v128.const i64x2 0 0))))', 'unknown operator v128.const', { ...ALL_FEATURES, simd: false });
  invalid('(module (func (param v128)))', 'v128 requires the simd feature', { ...ALL_FEATURES, simd: false });
  invalid('(module (type (struct)))', 'a struct type requires the gc feature', WASM2_FEATURES);
  invalid('(module (func (drop (ref.i31 (i32.const 0)))))', 'unknown operator ref.i31', WASM2_FEATURES);
  invalid('(module (func (return_call 0)))', 'unknown operator return_call', WASM2_FEATURES);
  invalid('(module (memory i64 1))', 'a 64-bit memory requires the memory64 feature', WASM2_FEATURES);
  invalid('(module (func (param (ref func))))', 'a non-null reference requires the function-references feature', WASM2_FEATURES);
  valid('(module (table 1 funcref) (func (param funcref)))', WASM2_FEATURES);
});

test('implementation limit: locals', () => {
  const m = funcModule([]);
  valid({ ...m, funcs: [{ type: 0, locals: [{ count: MAX_LOCALS, type: 'i32' }], body: [] }] });
  invalid({ ...m, funcs: [{ type: 0, locals: [{ count: 0xffff_ffff, type: 'i32' }], body: [] }] }, 'too many locals');
});

test('errors name the function and instruction', () => {
  const m = parseModule('(module (func) (func (i32.const 1) (i64.const 2) (i32.add) (drop)))');
  assert.throws(() => validateModule(m), (e: unknown) => {
    assert.ok(e instanceof ValidationError);
    assert.match(e.message, /^type mismatch: .* \(in function 1, instruction 2\)$/);
    return true;
  });
});

test('100,000 nested blocks validate without recursion, in linear time', () => {
  const depth = 100_000;
  const body: Instruction[] = [];
  for (let i = 0; i < depth; i++) body.push(I('block', 'i32'));
  body.push(I('i32.const', 7));
  for (let i = 0; i < depth; i++) body.push(I('end'));
  valid(funcModule(body, ['i32']));
  body.push(I('end'));
  invalid(funcModule(body, ['i32']), 'unexpected end');
  invalid(funcModule(body.slice(0, depth + 1), ['i32']), 'unexpected end');
});

test('a long body of 1,000,000 instructions', () => {
  const body: Instruction[] = [I('i32.const', 0)];
  for (let i = 0; i < 499_999; i++) body.push(I('i32.const', i), I('i32.add'));
  const start = performance.now();
  valid(funcModule(body, ['i32']));
  assert.ok(performance.now() - start < 5000);
});

test('huge counts in unreachable code cost nothing', () => {
  const m = parseModule('(module (type $a (array i32)) (func (result (ref $a)) (unreachable) (array.new_fixed $a 4000000000)))');
  const start = performance.now();
  valid(m);
  assert.ok(performance.now() - start < 1000);
  const targets = new Array<number>(200_000).fill(0);
  valid(funcModule([I('block'), I('i32.const', 0), I('br_table', { targets, default: 0 }), I('end')]));
});

test('bad indices give ValidationErrors, never another error', () => {
  const bodies: Instruction[][] = [
    [I('call', 5)], [I('local.get', -1)], [I('global.get', 2 ** 40)], [I('br', 3)], [I('table.get', 0)],
    [I('call_indirect', { type: 9, table: 0 })], [I('struct.new', 3)], [I('ref.null', 7)], [I('block', 4)],
    [I('else')], [I('end')], [I('catch', 0)], [I('delegate', 0)], [I('rethrow', 0)],
    [I('i32.load', { align: 99, offset: 0n, memory: 0 })],
    [I('select', [])], [I('try_table', { type: null, catches: [{ kind: 'catch', tag: 3, label: 0 }] })],
  ];
  for (const body of bodies) {
    assert.throws(() => validateModule(funcModule(body)), ValidationError, JSON.stringify(body, (_, x) => (typeof x === 'bigint' ? String(x) : x)));
  }
});

test('streaming a body gives the same verdicts as the model path', () => {
  const m = parseModule('(module (memory 1) (func (param i32) (result i32) (local i64) (i32.load (local.get 0))))');
  const mv = new ModuleValidator({ ...m, funcs: m.funcs.map((f) => ({ ...f, body: [] })) });
  const f = m.funcs[0]!;
  mv.beginFunction(0, f.locals);
  for (const ins of f.body) mv.op(ins.op, ins.imm);
  mv.endFunction();
  mv.beginFunction(0, f.locals);
  mv.op(op('i64.const'), 0n);
  assert.throws(() => mv.endFunction(), ValidationError);
});

test('the instruction switches use the K_* values of optable.ts as literals', async () => {
  const { readFileSync } = await import('node:fs');
  const optable = await import('../../src/validate/optable.ts');
  const source = ['instructions.ts', 'gc.ts']
    .map((f) => readFileSync(new URL(`../../src/validate/${f}`, import.meta.url), 'utf8'))
    .join('\n');
  const cases = [...source.matchAll(/case (\d+):(?: \{)? \/\/ (K_\w+)/g)];
  assert.ok(cases.length > 70);
  const values = optable as unknown as Record<string, number>;
  for (const [, n, name] of cases) assert.equal(Number(n), values[name!], `case ${n} is labelled ${name}`);
  // Every class the table assigns has a case.
  const handled = new Set(cases.map(([, n]) => Number(n)));
  for (const cls of new Set(optable.CLS)) assert.ok(handled.has(cls), `no case for class ${cls}`);
});

test('feature flags: extended constants and passive segments', () => {
  invalid('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))', 'constant expression required', WASM2_FEATURES);
  valid('(module (memory 1) (data (i32.const 0) "x"))', { ...WASM2_FEATURES, 'bulk-memory': false });
  invalid('(module (memory 1) (data "x"))', 'a passive data segment requires', { ...WASM2_FEATURES, 'bulk-memory': false });
  invalid('(module (memory 1) (data (i32.const 0) "x") (func (data.drop 0)))', 'unknown operator data.drop', { ...WASM2_FEATURES, 'bulk-memory': false });
  invalid('(module (func) (elem declare func 0))', 'a declarative element segment requires the bulk-memory feature', {
    ...WASM2_FEATURES,
    'bulk-memory': false,
  });
});
