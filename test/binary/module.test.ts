// Byte-exact encodings of each section, section order, custom sections and names.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { encodeLimits, encodeModule, encodeRefType, encodeValType, encodeHeapType } from '../../src/binary/encode.ts';
import { ByteWriter } from '../../src/binary/writer.ts';
import { EncodeError } from '../../src/model/errors.ts';
import {
  emptyModule,
  emptyNames,
  funcref,
  externref,
  refType,
  type CustomSection,
  type Elem,
  type FuncType,
  type Limits,
  type Module,
  type Names,
  type RecGroup,
  type SubType,
} from '../../src/model/types.ts';
import { HEADER, I, WA, hex, mod, sections, toHex } from './helpers.ts';

function body(m: Module): string {
  return toHex(encodeModule(m).subarray(8));
}

function limits(address: 'i32' | 'i64', min: bigint, max: bigint | null, shared = false): Limits {
  return { address, min, max, shared };
}

const voidFunc: FuncType = { kind: 'func', params: [], results: [] };
const single = (composite: SubType['composite']): RecGroup => ({
  explicit: false,
  types: [{ final: true, supertypes: [], composite }],
});

test('an empty module is just the header', () => {
  assert.equal(toHex(encodeModule(emptyModule())), toHex(hex(HEADER)));
  assert.ok(WA.validate(encodeModule(emptyModule())));
});

test('value, heap and reference types', () => {
  const cases: [(w: ByteWriter) => void, string][] = [
    [(w) => encodeValType(w, 'i32'), '7f'],
    [(w) => encodeValType(w, 'i64'), '7e'],
    [(w) => encodeValType(w, 'f32'), '7d'],
    [(w) => encodeValType(w, 'f64'), '7c'],
    [(w) => encodeValType(w, 'v128'), '7b'],
    [(w) => encodeValType(w, funcref), '70'],
    [(w) => encodeValType(w, externref), '6f'],
    [(w) => encodeRefType(w, refType(true, 'any')), '6e'],
    [(w) => encodeRefType(w, refType(true, 'eq')), '6d'],
    [(w) => encodeRefType(w, refType(true, 'i31')), '6c'],
    [(w) => encodeRefType(w, refType(true, 'struct')), '6b'],
    [(w) => encodeRefType(w, refType(true, 'array')), '6a'],
    [(w) => encodeRefType(w, refType(true, 'exn')), '69'],
    [(w) => encodeRefType(w, refType(true, 'none')), '71'],
    [(w) => encodeRefType(w, refType(true, 'noextern')), '72'],
    [(w) => encodeRefType(w, refType(true, 'nofunc')), '73'],
    [(w) => encodeRefType(w, refType(true, 'noexn')), '74'],
    [(w) => encodeRefType(w, refType(false, 'func')), '64 70'],
    [(w) => encodeRefType(w, refType(false, 'noexn')), '64 74'],
    [(w) => encodeRefType(w, refType(true, 0)), '63 00'],
    [(w) => encodeRefType(w, refType(false, 5)), '64 05'],
    [(w) => encodeRefType(w, refType(false, 64)), '64 c0 00'],
    [(w) => encodeHeapType(w, 0xffffffff), 'ff ff ff ff 0f'],
  ];
  for (const [fn, expected] of cases) {
    const w = new ByteWriter();
    fn(w);
    assert.equal(toHex(w.finish()), expected);
  }
  assert.throws(() => encodeValType(new ByteWriter(), 'i8' as never), EncodeError);
  assert.throws(() => encodeHeapType(new ByteWriter(), -1), EncodeError);
});

test('limits flags: max, shared, 64-bit', () => {
  const cases: [Limits, string][] = [
    [limits('i32', 0n, null), '00 00'],
    [limits('i32', 1n, 2n), '01 01 02'],
    [limits('i32', 1n, 2n, true), '03 01 02'],
    [limits('i32', 0n, 0xffffffffn), '01 00 ff ff ff ff 0f'],
    [limits('i64', 0x100000000n, null), '04 80 80 80 80 10'],
    [limits('i64', 0n, 1n), '05 00 01'],
    [limits('i64', 0n, 1n, true), '07 00 01'],
  ];
  for (const [l, expected] of cases) {
    const w = new ByteWriter();
    encodeLimits(w, l);
    assert.equal(toHex(w.finish()), expected);
  }
  assert.throws(() => encodeLimits(new ByteWriter(), limits('i32', 0x100000000n, null)), EncodeError);
  assert.throws(() => encodeLimits(new ByteWriter(), limits('i32', 0n, 0x100000000n)), EncodeError);
  assert.throws(() => encodeLimits(new ByteWriter(), limits('i64', -1n, null)), EncodeError);
});

test('type section: functions, rec groups, sub types, structs and arrays', () => {
  const types: RecGroup[] = [
    single({ kind: 'func', params: ['i32', 'i64'], results: ['f32'] }),
    {
      explicit: true,
      types: [
        {
          final: false,
          supertypes: [],
          composite: {
            kind: 'struct',
            fields: [
              { storage: 'i8', mutable: true },
              { storage: refType(true, 1), mutable: false },
            ],
          },
        },
        {
          final: true,
          supertypes: [1],
          composite: {
            kind: 'struct',
            fields: [
              { storage: 'i8', mutable: true },
              { storage: refType(true, 1), mutable: false },
              { storage: 'i16', mutable: false },
            ],
          },
        },
      ],
    },
    {
      explicit: false,
      types: [
        { final: false, supertypes: [], composite: { kind: 'array', element: { storage: refType(false, 'any'), mutable: true } } },
      ],
    },
    { explicit: true, types: [] },
    // An explicit group of one type keeps its 0x4E.
    { explicit: true, types: [{ final: true, supertypes: [], composite: voidFunc }] },
  ];
  const m = mod({ types });
  assert.equal(
    body(m),
    '01 2b 05 ' +
      '60 02 7f 7e 01 7d ' +
      '4e 02 50 00 5f 02 78 01 63 01 00 4f 01 01 5f 03 78 01 63 01 00 77 00 ' +
      '50 00 5e 64 6e 01 ' +
      '4e 00 ' +
      '4e 01 60 00 00',
  );
  assert.ok(WA.validate(encodeModule(m)));
});

test('import section: every kind of import', () => {
  const m = mod({
    types: [single(voidFunc)],
    imports: [
      { module: 'm', name: 'f', desc: { kind: 'func', type: 0 } },
      { module: 'm', name: 't', desc: { kind: 'table', type: { element: funcref, limits: limits('i32', 1n, null) } } },
      { module: 'm', name: 'm', desc: { kind: 'memory', type: { limits: limits('i64', 1n, 2n) } } },
      { module: 'm', name: 'g', desc: { kind: 'global', type: { type: 'i32', mutable: true } } },
      { module: 'm', name: 'e', desc: { kind: 'tag', type: { type: 0 } } },
    ],
  });
  assert.equal(
    body(m),
    '01 04 01 60 00 00 ' +
      '02 25 05 ' +
      '01 6d 01 66 00 00 ' +
      '01 6d 01 74 01 70 00 01 ' +
      '01 6d 01 6d 02 05 01 02 ' +
      '01 6d 01 67 03 7f 01 ' +
      '01 6d 01 65 04 00 00',
  );
  assert.ok(WA.validate(encodeModule(m)));
});

test('function, table, memory, tag, global, export, start and code sections', () => {
  const m = mod({
    types: [single(voidFunc)],
    funcs: [
      {
        type: 0,
        locals: [
          { count: 2, type: 'i32' },
          { count: 1, type: refType(true, 0) },
        ],
        body: [I('nop')],
      },
    ],
    tables: [
      { type: { element: funcref, limits: limits('i32', 1n, null) }, init: null },
      { type: { element: refType(false, 'func'), limits: limits('i32', 1n, null) }, init: [I('ref.func', 0)] },
    ],
    memories: [{ limits: limits('i32', 1n, null) }],
    tags: [{ type: 0 }],
    globals: [{ type: { type: 'i32', mutable: false }, init: [I('i32.const', 42)] }],
    exports: [
      { name: 'f', kind: 'func', index: 0 },
      { name: 't', kind: 'tag', index: 0 },
    ],
    start: 0,
  });
  assert.equal(
    body(m),
    '01 04 01 60 00 00 ' +
      '03 02 01 00 ' +
      '04 0d 02 70 00 01 40 00 64 70 00 01 d2 00 0b ' +
      '05 03 01 00 01 ' +
      '0d 03 01 00 00 ' +
      '06 06 01 7f 00 41 2a 0b ' +
      '07 09 02 01 66 00 00 01 74 04 00 ' +
      '08 01 00 ' +
      '0a 0a 01 08 02 02 7f 01 63 00 01 0b',
  );
  assert.ok(WA.validate(encodeModule(m)));
});

test('element segments use the flag that expresses them', () => {
  const off = [I('i32.const', 0)];
  const refFunc = refType(false, 'func');
  const nullFunc = refType(true, 'func');
  const cases: [Elem, string][] = [
    [{ type: refFunc, mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'funcs', indices: [0] } }, '00 41 00 0b 01 00'],
    [{ type: refFunc, mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [0] } }, '01 00 01 00'],
    [{ type: refFunc, mode: { kind: 'active', table: 1, offset: off }, init: { kind: 'funcs', indices: [0] } }, '02 01 41 00 0b 00 01 00'],
    [{ type: refFunc, mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [0] } }, '03 00 01 00'],
    [{ type: nullFunc, mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'exprs', exprs: [[I('ref.func', 0)]] } }, '04 41 00 0b 01 d2 00 0b'],
    [{ type: externref, mode: { kind: 'passive' }, init: { kind: 'exprs', exprs: [[I('ref.null', 'extern')]] } }, '05 6f 01 d0 6f 0b'],
    [{ type: externref, mode: { kind: 'active', table: 2, offset: off }, init: { kind: 'exprs', exprs: [[I('ref.null', 'extern')]] } }, '06 02 41 00 0b 6f 01 d0 6f 0b'],
    [{ type: nullFunc, mode: { kind: 'declarative' }, init: { kind: 'exprs', exprs: [[I('ref.func', 0)]] } }, '07 70 01 d2 00 0b'],
    // (ref func) expressions at table 0 need the explicit type (flag 4 means (ref null func)).
    [{ type: refFunc, mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'exprs', exprs: [[I('ref.func', 0)]] } }, '06 00 41 00 0b 64 70 01 d2 00 0b'],
    // Function indices of a type other than (ref func) become (ref.func x) expressions.
    [{ type: nullFunc, mode: { kind: 'active', table: 0, offset: off }, init: { kind: 'funcs', indices: [0, 1] } }, '04 41 00 0b 02 d2 00 0b d2 01 0b'],
    [{ type: nullFunc, mode: { kind: 'passive' }, init: { kind: 'funcs', indices: [0] } }, '05 70 01 d2 00 0b'],
    [{ type: refType(false, 0), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [1] } }, '07 64 00 01 d2 01 0b'],
  ];
  for (const [elem, expected] of cases) {
    const bytes = encodeModule(mod({ elems: [elem] })).subarray(8);
    // section id 9, size, count 1, segment
    assert.equal(toHex(bytes.subarray(3)), expected, JSON.stringify(elem, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    assert.equal(bytes[0], 9);
  }
  // All of them validate in a module that has what they refer to.
  const tableOf = (element: typeof funcref) => ({ type: { element, limits: limits('i32', 2n, null) }, init: null });
  const m = mod({
    types: [single(voidFunc)],
    funcs: [
      { type: 0, locals: [], body: [] },
      { type: 0, locals: [], body: [] },
    ],
    tables: [tableOf(nullFunc), tableOf(nullFunc), tableOf(externref)],
    elems: cases.map(([e]) => e),
  });
  const bytes = encodeModule(m);
  assert.ok(WA.validate(bytes));
});

test('data segments and the data count section', () => {
  const m = mod({
    memories: [{ limits: limits('i32', 1n, null) }, { limits: limits('i32', 1n, null) }],
    datas: [
      { mode: { kind: 'active', memory: 0, offset: [I('i32.const', 0)] }, bytes: hex('6162') },
      { mode: { kind: 'passive' }, bytes: hex('63') },
      { mode: { kind: 'active', memory: 1, offset: [I('i32.const', 0)] }, bytes: new Uint8Array(0) },
    ],
    dataCount: true,
  });
  assert.equal(
    body(m),
    '05 05 02 00 01 00 01 ' + '0c 01 03 ' + '0b 11 03 00 41 00 0b 02 61 62 01 01 63 02 01 41 00 0b 00',
  );
  assert.ok(WA.validate(encodeModule(m)));
});

test('the data count section sits between element and code', () => {
  const m = mod({
    types: [single(voidFunc)],
    funcs: [{ type: 0, locals: [], body: [I('data.drop', 0)] }],
    tables: [{ type: { element: funcref, limits: limits('i32', 1n, null) }, init: null }],
    memories: [{ limits: limits('i32', 1n, null) }],
    elems: [{ type: refType(false, 'func'), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [0] } }],
    datas: [{ mode: { kind: 'passive' }, bytes: hex('00') }],
    dataCount: true,
  });
  assert.deepEqual(sections(encodeModule(m)), ['1', '3', '4', '5', '9', '12', '10', '11']);
  assert.ok(WA.validate(encodeModule(m)));
});

function custom(name: string, placement: CustomSection['placement'], bytes = hex('01')): CustomSection {
  return { name, bytes, placement };
}

test('sections in order, custom sections where placed, names after data', () => {
  const names: Names = { ...emptyNames(), module: 'm' };
  const m = mod({
    types: [single(voidFunc)],
    imports: [{ module: 'a', name: 'b', desc: { kind: 'func', type: 0 } }],
    funcs: [{ type: 0, locals: [], body: [] }],
    tables: [{ type: { element: funcref, limits: limits('i32', 1n, null) }, init: null }],
    memories: [{ limits: limits('i32', 1n, null) }],
    tags: [{ type: 0 }],
    globals: [{ type: { type: 'i32', mutable: false }, init: [I('i32.const', 0)] }],
    exports: [{ name: 'x', kind: 'func', index: 0 }],
    start: 1,
    elems: [{ type: refType(false, 'func'), mode: { kind: 'declarative' }, init: { kind: 'funcs', indices: [0] } }],
    datas: [{ mode: { kind: 'passive' }, bytes: hex('00') }],
    dataCount: true,
    customs: [
      custom('last1', { kind: 'last' }),
      custom('first1', { kind: 'first' }),
      custom('afterData', { kind: 'after', section: 'data' }),
      custom('beforeType', { kind: 'before', section: 'type' }),
      custom('afterCode', { kind: 'after', section: 'code' }),
      custom('beforeTag', { kind: 'before', section: 'tag' }),
      custom('afterTag', { kind: 'after', section: 'tag' }),
      custom('beforeGlobal', { kind: 'before', section: 'global' }),
      custom('afterDataCount', { kind: 'after', section: 'dataCount' }),
      custom('first2', { kind: 'first' }),
      custom('last2', { kind: 'last' }),
    ],
    names,
  });
  const bytes = encodeModule(m);
  assert.deepEqual(sections(bytes), [
    'custom:first1',
    'custom:first2',
    'custom:beforeType',
    '1',
    '2',
    '3',
    '4',
    '5',
    'custom:beforeTag',
    '13',
    'custom:afterTag',
    'custom:beforeGlobal',
    '6',
    '7',
    '8',
    '9',
    '12',
    'custom:afterDataCount',
    '10',
    'custom:afterCode',
    '11',
    'custom:afterData',
    'custom:name',
    'custom:last1',
    'custom:last2',
  ]);
  assert.ok(WA.validate(bytes));
});

test('custom sections placed relative to absent sections keep their slot', () => {
  const m = mod({
    types: [single(voidFunc)],
    customs: [
      custom('afterCode', { kind: 'after', section: 'code' }),
      custom('beforeImport', { kind: 'before', section: 'import' }),
    ],
  });
  assert.deepEqual(sections(encodeModule(m)), ['1', 'custom:beforeImport', 'custom:afterCode']);
  assert.equal(
    toHex(encodeModule(mod({ customs: [custom('ab', { kind: 'first' }, hex('ff00'))] })).subarray(8)),
    '00 05 02 61 62 ff 00',
  );
});

test('the name section with every subsection, maps sorted by index', () => {
  const names: Names = {
    module: 'mod',
    funcs: new Map([
      [1, 'g'],
      [0, 'f'],
    ]),
    locals: new Map([
      [0, new Map([[0, 'x'], [1, 'y']])],
      [1, new Map()], // no names: left out
    ]),
    labels: new Map([[0, new Map([[0, 'l']])]]),
    types: new Map([[0, 't']]),
    tables: new Map([[0, 'tb']]),
    memories: new Map([[0, 'me']]),
    globals: new Map([[0, 'gl']]),
    elems: new Map([[0, 'el']]),
    datas: new Map([[0, 'da']]),
    fields: new Map([[0, new Map([[0, 'a']])]]),
    tags: new Map([[0, 'ta']]),
  };
  const bytes = encodeModule(mod({ names }));
  const expected =
    '00 5f 04 6e 61 6d 65 ' +
    '00 04 03 6d 6f 64 ' +
    '01 07 02 00 01 66 01 01 67 ' +
    '02 09 01 00 02 00 01 78 01 01 79 ' +
    '03 06 01 00 01 00 01 6c ' +
    '04 04 01 00 01 74 ' +
    '05 05 01 00 02 74 62 ' +
    '06 05 01 00 02 6d 65 ' +
    '07 05 01 00 02 67 6c ' +
    '08 05 01 00 02 65 6c ' +
    '09 05 01 00 02 64 61 ' +
    '0a 06 01 00 01 00 01 61 ' +
    '0b 05 01 00 02 74 61';
  assert.equal(toHex(bytes.subarray(8)), expected);
});

test('no name section when there are no names', () => {
  assert.equal(encodeModule(mod({ names: emptyNames() })).length, 8);
  const onlyEmptyLocals: Names = { ...emptyNames(), locals: new Map([[0, new Map()]]) };
  assert.equal(encodeModule(mod({ names: onlyEmptyLocals })).length, 8);
  // A module name alone is enough; an empty module name is still a name.
  assert.equal(toHex(encodeModule(mod({ names: { ...emptyNames(), module: '' } })).subarray(8)), '00 08 04 6e 61 6d 65 00 01 00');
});

test('names are UTF-8', () => {
  const names: Names = { ...emptyNames(), funcs: new Map([[0, 'é€😀']]) };
  const bytes = encodeModule(mod({ names }));
  assert.equal(toHex(bytes.subarray(8)), '00 13 04 6e 61 6d 65 01 0c 01 00 09 c3 a9 e2 82 ac f0 9f 98 80');
  assert.throws(() => encodeModule(mod({ names: { ...emptyNames(), module: '\ud800' } })), EncodeError);
});

test('large sections and bodies get multi-byte sizes', () => {
  const n = 70000;
  const m = mod({
    types: [single(voidFunc)],
    funcs: [{ type: 0, locals: [], body: Array.from({ length: n }, () => I('nop')) }],
    datas: [{ mode: { kind: 'passive' }, bytes: new Uint8Array(200) }],
  });
  const bytes = encodeModule(m);
  assert.ok(WA.validate(bytes));
  // body: 1 (locals) + n nops + end
  // header 8, type section 6, function section 4, then the code section.
  assert.equal(toHex(bytes.subarray(18, 27)), '0a f6 a2 04 01 f2 a2 04 00');
});

test('errors in function bodies name the function and the instruction', () => {
  const m = mod({
    types: [single(voidFunc)],
    imports: [{ module: 'a', name: 'b', desc: { kind: 'func', type: 0 } }],
    funcs: [
      { type: 0, locals: [], body: [] },
      { type: 0, locals: [], body: [I('nop'), I('local.get', -3)] },
    ],
  });
  assert.throws(
    () => encodeModule(m),
    (e: unknown) =>
      e instanceof EncodeError && /local\.get at index 1/.test(e.message) && /in function 2$/.test(e.message),
  );
  // A model of the wrong shape is reported as an EncodeError too.
  assert.throws(() => encodeModule({ ...m, funcs: [{ type: 0, locals: null, body: [] } as never] }), EncodeError);
});

test('encodeModule rejects what it cannot encode', () => {
  assert.throws(() => encodeModule(mod({ start: -1 })), EncodeError);
  assert.throws(
    () => encodeModule(mod({ exports: [{ name: 'x', kind: 'bogus' as never, index: 0 }] })),
    EncodeError,
  );
  assert.throws(
    () =>
      encodeModule(
        mod({ globals: [{ type: { type: 'i32', mutable: false }, init: [{ op: 99999, imm: null }] }] }),
      ),
    EncodeError,
  );
});
