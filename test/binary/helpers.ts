// Shared helpers for the binary encoder tests: small model builders and byte formatting.

import { emptyModule, type Module } from '../../src/model/types.ts';
import type { Immediate, Instruction } from '../../src/model/instruction.ts';
import { op } from '../../src/model/opcodes.ts';
import { readU32 } from '../../src/binary/leb128.ts';

/** A module with every field empty except those given. */
export function mod(fields: Partial<Module>): Module {
  return { ...emptyModule(), ...fields };
}

/** An instruction by mnemonic. */
export function I(name: string, imm: Immediate = null): Instruction {
  return { op: op(name), imm };
}

/** Bytes from a hex string; spaces are ignored. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes as space-separated hex, for readable assertion failures. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The module header "\0asm" version 1. */
export const HEADER = '0061736d 01000000';

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
}

/** The engine's WebAssembly API (typed here: the project's `lib` has no DOM types). */
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles `bytes` with V8, throwing its CompileError message when it is rejected. */
export function compile(bytes: Uint8Array): object {
  return new WA.Module(bytes);
}

/**
 * The sections of an encoded module, in order: the id, plus the name for custom sections.
 * A minimal walker for checking section order.
 */
export function sections(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const cur = { pos: 8 };
  while (cur.pos < bytes.length) {
    const id = bytes[cur.pos++]!;
    const size = readU32(bytes, cur);
    const end = cur.pos + size;
    if (id === 0) {
      const len = readU32(bytes, cur);
      out.push('custom:' + new TextDecoder().decode(bytes.subarray(cur.pos, cur.pos + len)));
    } else {
      out.push(String(id));
    }
    cur.pos = end;
  }
  return out;
}
