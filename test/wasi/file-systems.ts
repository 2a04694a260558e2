// The two file systems every file test runs against: the in-memory one and a host
// directory (a fresh temporary directory per test).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHostDirectory } from '../../src/wasi/fs/host.ts';
import { MemoryFileSystem } from '../../src/wasi/fs/memory.ts';
import type { Directory } from '../../src/wasi/fs/types.ts';

export interface FileSystemUnderTest {
  readonly name: 'memory' | 'host';
  /** A fresh, empty directory; `cleanup` removes what the test left. */
  make(options?: { readOnly?: boolean }): { dir: Directory; cleanup: () => void };
}

export const FILE_SYSTEMS: readonly FileSystemUnderTest[] = [
  {
    name: 'memory',
    make: (options = {}) => ({ dir: new MemoryFileSystem().root(options), cleanup: () => {} }),
  },
  {
    name: 'host',
    make: (options = {}) => {
      const path = mkdtempSync(join(tmpdir(), 'nanoprocess-wasi-'));
      return { dir: openHostDirectory(path, options), cleanup: () => rmSync(path, { recursive: true, force: true }) };
    },
  },
];
