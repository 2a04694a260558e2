// The seed corpus: every module of the spec suite (../shared/spec-testsuite) as bytes —
// binary modules as written, text and quoted modules through our parser and encoder —
// valid, invalid and malformed alike, without duplicates.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModule } from '../src/binary/index.ts';
import type { Module } from '../src/model/types.ts';
import { parseModule } from '../src/text/index.ts';
import { collectWastFiles } from '../src/wast/files.ts';
import { quoteSource } from '../src/wast/load.ts';
import { parseScript } from '../src/wast/parse.ts';
import type { ScriptModule } from '../src/wast/commands.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const suiteDir = resolve(repoRoot, '..', 'shared', 'spec-testsuite');

export interface Seed {
  /** `file.wast:line` of the module in the suite. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

function encoded(m: ScriptModule): Uint8Array | null {
  try {
    switch (m.kind) {
      case 'binary':
        return m.bytes;
      case 'text':
        return encodeModule(m.module);
      case 'quote': {
        const module: Module = parseModule(quoteSource(m.bytes));
        return encodeModule(module);
      }
    }
  } catch {
    return null; // malformed text, or a model the encoder cannot write: not a seed
  }
}

function key(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${h >>> 0}`;
}

/** The spec suite's modules; empty when the suite is not there. */
export function loadSpecSeeds(dir = suiteDir): Seed[] {
  if (!existsSync(dir)) return [];
  const seeds: Seed[] = [];
  const seen = new Map<string, Uint8Array[]>();
  for (const file of collectWastFiles([dir])) {
    let commands;
    try {
      commands = parseScript(readFileSync(file, 'utf8'), file).commands;
    } catch {
      continue;
    }
    const name = relative(dir, file);
    for (const c of commands) {
      if (!('module' in c) || typeof c.module !== 'object' || c.module === null) continue;
      const bytes = encoded(c.module);
      if (bytes === null || bytes.length > 1 << 20) continue;
      const k = key(bytes);
      const same = seen.get(k) ?? [];
      if (same.some((b) => b.every((x, i) => x === bytes[i]))) continue;
      same.push(bytes);
      seen.set(k, same);
      seeds.push({ name: `${name}:${c.line}`, bytes });
    }
  }
  return seeds;
}
