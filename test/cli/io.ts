// An in-memory Io for running the CLI in-process.

import type { Io } from '../../src/cli/io.ts';

export interface MemoryIo extends Io {
  readonly out: () => Uint8Array;
  readonly outText: () => string;
  readonly errText: () => string;
}

export function memoryIo(options: { stdin?: string | Uint8Array; stdoutIsTTY?: boolean; stdinIsTTY?: boolean } = {}): MemoryIo {
  const out: Uint8Array[] = [];
  const err: string[] = [];
  const bytes = (c: string | Uint8Array) => (typeof c === 'string' ? new TextEncoder().encode(c) : c);
  const concat = () => {
    const total = out.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of out) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  };
  return {
    stdout: { write: (c) => void out.push(bytes(c)), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (c) => void err.push(typeof c === 'string' ? c : new TextDecoder().decode(c)), isTTY: false },
    stdinIsTTY: options.stdinIsTTY ?? false,
    readStdin: async () => bytes(options.stdin ?? ''),
    out: concat,
    outText: () => new TextDecoder().decode(concat()),
    errText: () => err.join(''),
  };
}
