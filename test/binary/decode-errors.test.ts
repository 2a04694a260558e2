// Malformed binaries: each error with its message (the spec suite's wording) and the
// byte offset it points at, plus robustness against truncated, mutated and hostile input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { decodeModule, type DecodeOptions } from '../../src/binary/decode.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { DecodeError } from '../../src/model/errors.ts';
import { ALL_FEATURES, WASM2_FEATURES } from '../../src/model/features.ts';
import { HEADER, I, hex, mod } from './helpers.ts';

/** Expects decoding `HEADER + sectionsHex` to fail with `message` (a prefix) at `offset`. */
function fails(sectionsHex: string, message: string, offset: number, options?: DecodeOptions): void {
  failsBytes(hex(HEADER + sectionsHex), message, offset, options);
}

function failsBytes(bytes: Uint8Array, message: string, offset: number, options?: DecodeOptions): void {
  assert.throws(
    () => decodeModule(bytes, options),
    (e: unknown) => {
      assert.ok(e instanceof DecodeError, `not a DecodeError: ${String(e)}`);
      assert.ok(e.reason.startsWith(message), `"${e.reason}" does not start with "${message}"`);
      assert.equal(e.offset, offset, `offset of "${e.reason}"`);
      return true;
    },
  );
}

// A type section with one `[] -> []` type and a function section with one function.
const TYPE = '01 04 01 60 00 00';
const FUNC = '03 02 01 00';
/** A module with one function whose body (after the locals) is `bodyHex`. */
function withBody(bodyHex: string, extra = ''): string {
  const body = hex(bodyHex);
  const size = body.length + 1;
  const h = (n: number) => n.toString(16).padStart(2, '0');
  return `${TYPE} ${FUNC} ${extra} 0a ${h(size + 2)} 01 ${h(size)} 00 ${bodyHex}`;
}
/** Offset of the first instruction of withBody's function (no extra sections). */
const BODY = 8 + 6 + 4 + 5;

test('header', () => {
  failsBytes(hex(''), 'unexpected end', 0);
  failsBytes(hex('00 61 73'), 'unexpected end', 3);
  failsBytes(hex('00 61 73 6d 01 00'), 'unexpected end', 6);
  failsBytes(hex('00 41 53 4d 01 00 00 00'), 'magic header not detected', 0);
  failsBytes(hex('00 61 73 6d 02 00 00 00'), 'unknown binary version', 4);
  failsBytes(hex('00 61 73 6d 0d 00 01 00'), 'unknown binary version', 4);
});

test('section ids, sizes and order', () => {
  fails('0e 01 00', 'malformed section id', 8);
  fails('80 01 00', 'malformed section id', 8);
  fails('01', 'unexpected end', 9);
  fails('01 05 00', 'length out of bounds', 9);
  fails('01 ff ff ff ff 0f', 'length out of bounds', 9);
  fails('01 02 00 00', 'section size mismatch', 10);
  fails('01 01 00 01 01 00', 'unexpected content after last section', 11);
  fails('03 01 00 02 01 00', 'unexpected content after last section', 11);
  fails('06 01 00 0d 01 00', 'unexpected content after last section', 11); // tag after global
  fails('0a 01 00 0c 01 00', 'unexpected content after last section', 11); // data count after code
  fails('0c 01 00 09 01 00', 'unexpected content after last section', 11); // element after data count
  // Custom sections go anywhere; tag between memory and global, data count between
  // element and code, are in order.
  assert.ok(decodeModule(hex(HEADER + '00 01 00 05 01 00 0d 01 00 06 01 00 09 01 00 0c 01 00 0a 01 00 0b 01 00 00 01 00')));
  fails('00 00', 'unexpected end', 10); // a custom section's name past its end
  fails('00 00 00', 'unexpected end', 11);
  fails('00 02 10 00', 'length out of bounds', 10);
  fails('00 05 10', 'length out of bounds', 9);
  fails('00 04 03 ff 61 62', 'malformed UTF-8 encoding', 10);
  // A custom section's contents past the end of the input, by less than its size's own
  // length (found by the fuzzer: it was accepted, and read past the input).
  fails('00 04 01 61 62', 'unexpected end', 13);
  fails('00 07 04 6e 61 6d 65 01', 'unexpected end', 16);
  fails('00 84 80 80 80 00 01 61', 'unexpected end', 16);
});

test('LEB128: too long, too large, unexpected end', () => {
  // Memory limits are u64: an eleventh byte is too long, a tenth byte above 1 too large.
  fails('05 0d 01 00 82 80 80 80 80 80 80 80 80 80 00', 'integer representation too long', 22);
  fails('05 0c 01 00 82 80 80 80 80 80 80 80 80 02', 'integer too large', 21);
  // A u32 (the function section's type index) has five bytes of which the last holds 4 bits.
  fails('03 07 01 80 80 80 80 10', 'integer too large', 15);
  fails('03 08 01 80 80 80 80 80 00', 'integer representation too long', 16);
  // An s32 (i32.const) has the bits above bit 31 of its fifth byte as the sign extension.
  fails(withBody('41 80 80 80 80 70 0b'), 'integer too large', BODY + 5);
  fails(withBody('41 ff ff ff ff 0f 0b'), 'integer too large', BODY + 5);
  fails(withBody('41 80 80 80 80 80 00 0b'), 'integer representation too long', BODY + 6);
  // An s64 (i64.const): ten bytes, the last being 0x00 or 0x7f.
  fails(withBody('42 80 80 80 80 80 80 80 80 80 02 0b'), 'integer too large', BODY + 10);
  fails(withBody('42 ff ff ff ff ff ff ff ff ff 7f 00 0b'.replace('7f 00', 'ff 00')), 'integer representation too long', BODY + 11);
  // s33 block types.
  fails(withBody('02 80 80 80 80 20 0b 0b'), 'integer too large', BODY + 5);
  // Truncated in the middle of a number.
  fails('03 02 01 80', 'unexpected end of section or function', 12);
});

test('vectors and names', () => {
  fails('01 06 07 60 00 00 60 00', 'length out of bounds', 10);
  fails('01 06 05 60 00 00 60 00', 'unexpected end of section or function', 16);
  fails('01 06 ff ff ff ff 0f 60', 'length out of bounds', 10);
  fails('02 04 01 04 61 62', 'length out of bounds', 11);
  fails('02 07 01 02 c3 28 00 00', 'malformed UTF-8 encoding', 11);
  fails('02 08 01 00 03 ed a0 80 00', 'malformed UTF-8 encoding', 12); // a surrogate
  fails('02 08 01 00 03 e0 80 80 00', 'malformed UTF-8 encoding', 12); // overlong
  fails('02 09 01 00 04 f4 90 80 80 00', 'malformed UTF-8 encoding', 12); // above U+10FFFF
  fails('02 05 01 00 00 05 00', 'malformed import kind', 13);
  fails('07 05 01 00 05 00', 'malformed export kind', 12);
});

test('types', () => {
  fails('01 04 01 60 01 7a 00', 'malformed value type', 13);
  fails('01 05 01 60 01 64 40 00', 'malformed heap type', 14);
  fails('01 05 01 60 01 63 e0 7f', 'integer representation too long', 15);
  fails('01 04 01 61 00 00', 'malformed definition type', 11);
  fails('01 05 01 e0 7f 00 00', 'integer representation too long', 12);
  fails('01 05 01 5e 76 00', 'malformed storage type', 12);
  fails('01 05 01 5e 7f 02', 'malformed mutability', 13);
  fails('06 06 01 7f 02 41 00 0b', 'malformed mutability', 12);
  fails('04 04 01 7f 00 00', 'malformed reference type', 11);
  fails('04 04 01 70 08 00', 'malformed limits flags', 12);
  fails('05 03 01 81 00', 'malformed limits flags', 11);
  fails('04 07 01 40 01 70 00 00 0b', 'zero byte expected', 12);
  fails('0d 03 01 01 00', 'zero byte expected', 11);
});

test('limits and memargs under turned-off features', () => {
  const noMemory64 = { ...ALL_FEATURES, memory64: false };
  fails('05 03 01 04 00', 'malformed limits flags', 11, { features: noMemory64 });
  fails('05 04 01 03 01 01', 'malformed limits flags', 11, { features: WASM2_FEATURES });
  assert.ok(decodeModule(hex(HEADER + '05 04 01 03 01 01')));
  fails(withBody('28 40 00 00 1a 0b', '05 03 01 00 01'), 'malformed memop flags', BODY + 5 + 1, { features: WASM2_FEATURES });
  fails(withBody('fc 10 00 1a 0b'), 'illegal opcode', BODY, { features: { ...ALL_FEATURES, 'reference-types': false } });
  fails('0d 03 01 00 00', 'malformed section id', 8, { features: WASM2_FEATURES });
});

test('elements and data', () => {
  fails('09 03 01 08 00', 'malformed elements segment kind', 11);
  fails('09 04 01 01 01 00', 'malformed element kind', 12);
  fails('09 05 01 05 7f 01 00', 'malformed reference type', 12);
  fails('0b 04 01 03 00 00', 'malformed data segment kind', 11);
  fails('0b 07 01 00 41 00 0b 05 61', 'length out of bounds', 15);
  fails('0b 08 01 00 41 00 0b 01 61 00', 'section size mismatch', 10);
  fails('0c 01 01', 'data count and data section have inconsistent lengths', 11);
  fails('0c 01 02 0b 03 01 01 00', 'data count and data section have inconsistent lengths', 16);
  fails(withBody('fc 09 00 0b'), 'data count section required', BODY);
  fails(withBody('41 00 41 00 41 00 fc 08 00 00 0b'), 'data count section required', BODY + 6);
  assert.ok(decodeModule(hex(HEADER + withBody('fc 09 00 0b', '0c 01 01') + '0b 03 01 01 00')));
  // As in the reference interpreter, the data count rule is checked after the sections.
  fails(withBody('fc 09 00 0b') + '0b 03 01 07 00', 'malformed data segment kind', BODY + 5 + 2);
});

test('code: bodies, locals and block structure', () => {
  fails(`${TYPE} 03 03 02 00 00`, 'function and code section have inconsistent lengths', 19);
  fails('0a 04 01 02 00 0b', 'function and code section have inconsistent lengths', 14);
  fails(withBody('0b 0b'), 'section size mismatch', BODY - 1);
  fails(withBody('01'), 'unexpected end of section or function', BODY + 1);
  fails(withBody('05 0b'), 'END opcode expected', BODY); // else without if
  fails(withBody('02 40 05 0b 0b'), 'END opcode expected', BODY + 2); // else in a block
  fails(withBody('04 40 05 05 0b 0b'), 'END opcode expected', BODY + 3); // a second else
  fails(withBody('07 00 0b'), 'END opcode expected', BODY); // catch outside try
  fails(withBody('18 00 0b'), 'END opcode expected', BODY); // delegate outside try
  fails(withBody('06 40 19 18 00 0b 0b'), 'END opcode expected', BODY + 3); // delegate after catch_all
  fails(withBody('ff 0b'), 'illegal opcode ff', BODY);
  fails(withBody('fc 40 0b'), 'illegal opcode fc 40', BODY);
  fails(withBody('fd 9a 01 0b'), 'illegal opcode fd 9a', BODY);
  fails(withBody('fb ff ff ff ff 0f 0b'), 'illegal opcode fb ffffffff', BODY);
  fails(withBody('28 80 01 00 0b'), 'malformed memop flags', BODY + 1);
  fails(withBody('fe 03 01 0b'), 'zero byte expected', BODY + 2);
  fails(withBody('1f 40 01 04 00 0b'), 'malformed catch clause', BODY + 3);
  fails(withBody('fb 18 04 00 6e 6e 0b'), 'malformed br_on_cast flags', BODY + 2);
  fails(withBody('0e ff ff ff ff 0f 0b'), 'length out of bounds', BODY + 1);
  // Locals: a count of at least 2^32 in total.
  const locals = (runs: string, n: number) => {
    const size = hex(runs).length + 2;
    const h = (v: number) => v.toString(16).padStart(2, '0');
    return `${TYPE} ${FUNC} 0a ${h(size + 2)} 01 ${h(size)} ${h(n)} ${runs} 0b`;
  };
  fails(locals('ff ff ff ff 0f 7f 01 7e', 2), 'too many locals', BODY - 1);
  fails(locals('80 80 80 80 10 7f', 1), 'integer too large', BODY + 4);
  assert.equal(decodeModule(hex(HEADER + locals('ff ff ff ff 0f 7f', 1))).funcs[0]!.locals[0]!.count, 0xffff_ffff);
  fails(locals('01 7a', 1), 'malformed value type', BODY + 1);
});

test('offsets count from the start of the file, in every section', () => {
  // The error is in the second function body, past a custom section.
  const h = `${TYPE} 03 03 02 00 00 00 03 01 61 62 0a 07 02 02 00 0b 02 00 ff`;
  fails(h, 'illegal opcode ff', 8 + 6 + 5 + 5 + 3 + 3 + 2);
});

// ---------------------------------------------------------------------------------------
// Robustness

/** Decodes `bytes`; returns false if it is malformed, and fails on any other error. */
function decodesOrRejects(bytes: Uint8Array): boolean {
  try {
    decodeModule(bytes);
    return true;
  } catch (e) {
    if (e instanceof DecodeError) {
      assert.ok(e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset} out of range`);
      return false;
    }
    throw e;
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));
const REAL = readFileSync(`${here}../../node_modules/web-tree-sitter/web-tree-sitter.wasm`);

test('every truncation of a module is a DecodeError', () => {
  const small = encodeModule(
    mod({
      types: [{ explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func', params: ['i32'], results: ['i64'] } }] }],
      imports: [{ module: 'env', name: 'f', desc: { kind: 'func', type: 0 } }],
      funcs: [{ type: 0, locals: [{ count: 1, type: 'i64' }], body: [I('local.get', 0), I('i64.extend_i32_u'), I('block', 'i64'), I('i64.const', 5n), I('end')] }],
      memories: [{ limits: { address: 'i32', min: 1n, max: null, shared: false } }],
      exports: [{ name: 'f', kind: 'func', index: 1 }],
      datas: [{ mode: { kind: 'active', memory: 0, offset: [I('i32.const', 0)] }, bytes: new Uint8Array([1, 2]) }],
    }),
  );
  for (let n = 0; n < small.length; n++) {
    const ok = decodesOrRejects(small.subarray(0, n));
    // Only the header alone and cuts between sections can be whole modules.
    if (n < 8) assert.equal(ok, false, `length ${n}`);
  }
  assert.equal(decodesOrRejects(small), true);
  // A real module, cut at many places.
  const real = new Uint8Array(REAL);
  for (let n = 0; n < real.length; n += 997) decodesOrRejects(real.subarray(0, n));
});

test('random mutations give a module or a DecodeError', () => {
  const real = new Uint8Array(REAL);
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < 200; i++) {
    const copy = real.slice();
    const edits = 1 + (rand() % 4);
    for (let k = 0; k < edits; k++) copy[rand() % copy.length] = rand() & 0xff;
    decodesOrRejects(copy);
  }
});

test('hostile counts and nesting: bounded time and memory, no stack overflow', () => {
  // Counts of billions with nothing behind them.
  for (const h of ['01 05 ff ff ff ff 0f', '02 05 ff ff ff ff 0f', '0a 05 ff ff ff ff 0f', '09 05 ff ff ff ff 0f', '0b 05 ff ff ff ff 0f']) {
    fails(h, 'length out of bounds', 10);
  }
  // Deeply nested blocks: 300 000 levels decode without recursion.
  const depth = 300_000;
  const body = new Uint8Array(depth * 3 + 1);
  for (let i = 0; i < depth; i++) {
    body[2 * i] = 0x02;
    body[2 * i + 1] = 0x40;
  }
  body.fill(0x0b, depth * 2);
  const m = mod({
    types: [{ explicit: false, types: [{ final: true, supertypes: [], composite: { kind: 'func', params: [], results: [] } }] }],
    funcs: [{ type: 0, locals: [], body: [] }],
  });
  const bytes = encodeModule(m);
  // Splice the body in: rebuild the code section by hand.
  const prefix = bytes.subarray(0, bytes.length - 6); // drop "0a 04 01 02 00 0b"
  const leb = (v: number): number[] => {
    const out: number[] = [];
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v) b |= 0x80;
      out.push(b);
    } while (v);
    return out;
  };
  const entry = [...leb(body.length + 1), 0x00];
  const section = [0x01, ...entry];
  const full = new Uint8Array([...prefix, 0x0a, ...leb(section.length + body.length), ...section, ...body]);
  const decoded = decodeModule(full);
  assert.equal(decoded.funcs[0]!.body.length, depth * 2);
  // The same without its last `end`.
  const missingEnd = full.subarray(0, full.length - 1);
  assert.equal(decodesOrRejects(missingEnd), false);
});

test('turned-off features reject their instructions on every path', () => {
  const noSignExt = { ...ALL_FEATURES, 'sign-extension': false };
  fails(withBody('41 00 c0 1a 0b'), 'illegal opcode i32.extend8_s', BODY + 2, { features: noSignExt });
  const noSimd = { ...ALL_FEATURES, simd: false };
  fails(withBody('fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 1a 0b'), 'illegal opcode v128.const', BODY, { features: noSimd });
  assert.ok(decodeModule(hex(HEADER + withBody('41 00 c0 1a 0b')), { features: WASM2_FEATURES }));
});
