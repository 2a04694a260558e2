// Helpers for the runtime tests: WAT to bytes, and where an instruction is in them.

import { ModuleReader } from '../../src/binary/module-reader.ts';
import { encodeModule } from '../../src/binary/encode.ts';
import { op } from '../../src/model/opcodes.ts';
import { parseModule } from '../../src/text/index.ts';

export function wat(source: string): Uint8Array {
  return encodeModule(parseModule(source));
}

/** The byte offset of the `nth` instruction named `name` in the body of function `funcIndex`. */
export function offsetOf(bytes: Uint8Array, funcIndex: number, name: string, nth = 0): number {
  const reader = new ModuleReader(bytes);
  const body = reader.functionBodies().find((b) => b.index === funcIndex);
  if (body === undefined) throw new Error(`no function ${funcIndex}`);
  const offsets: number[] = [];
  const func = reader.readFunctionBody(body, offsets);
  const code = op(name);
  let seen = 0;
  for (let i = 0; i < func.body.length; i++) {
    if (func.body[i]!.op === code && seen++ === nth) return offsets[i]!;
  }
  throw new Error(`no ${name} in function ${funcIndex}`);
}
