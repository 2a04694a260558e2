// The decoder's and the encoder's switches over immediate kinds use the numbers of
// src/binary/imm-kinds.ts as literals; each such case names its kind in a comment
// (`case 20: // memarg`), and here every named case must have its kind's number.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { IMM_KIND } from '../../src/binary/imm-kinds.ts';
import { INSTRUCTIONS } from '../../src/model/opcodes.ts';

/** The decoder's own kinds beyond the table's (see K in decode-instr.ts). */
const DECODER_EXTRA: Readonly<Record<string, number>> = { select_typed: 38, ref_type_null: 39, prefix: 40, illegal: 41 };

for (const [file, kinds] of [
  ['encode-instr.ts', IMM_KIND],
  ['decode-instr.ts', { ...IMM_KIND, ...DECODER_EXTRA }],
] as const) {
  test(`${file}: every case labelled with an immediate kind has the kind's number`, () => {
    const source = readFileSync(new URL(`../../src/binary/${file}`, import.meta.url), 'utf8');
    const cases = [...source.matchAll(/case (\d+):(?: \{)? \/\/ ([a-z_0-9]+)/g)];
    let checked = 0;
    for (const [, n, name] of cases) {
      // Other switches (the decoder's control effects: if, else, end, …) use other names.
      if (!Object.hasOwn(kinds, name!)) continue;
      assert.equal(Number(n), (kinds as Record<string, number>)[name!], `case ${n} is labelled ${name}`);
      checked++;
    }
    assert.ok(checked >= 30, `only ${checked} labelled cases found`);
  });
}

test('every row of the instruction table has an immediate kind with a number', () => {
  for (const info of INSTRUCTIONS) assert.ok(Object.hasOwn(IMM_KIND, info.imm), `${info.name}: ${info.imm}`);
});
