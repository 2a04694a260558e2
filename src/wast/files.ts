// Running .wast files from the file system (Node.js side of the WAST runner): reads
// scripts, walks directories, names results by path. The runner itself is in ./run.ts.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ScriptResult } from './run.ts';
import { runWast } from './index.ts';

export interface FileOptions {
  /**
   * Results name their file relative to this directory (with `/` separators); by default
   * the path as given.
   */
  readonly relativeTo?: string;
}

function displayName(path: string, options: FileOptions): string {
  const name = options.relativeTo === undefined ? path : relative(options.relativeTo, path);
  return sep === '/' ? name : name.split(sep).join('/');
}

/** Runs one .wast file. */
export function runWastFile(path: string, options: FileOptions = {}): ScriptResult {
  return runWast(readFileSync(path, 'utf8'), displayName(path, options));
}

/**
 * The .wast files named by `paths`: files as given, directories walked recursively in
 * name order (a directory's own files before its subdirectories).
 */
export function collectWastFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const dirs: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) dirs.push(join(dir, e.name));
    else if (e.name.endsWith('.wast')) out.push(join(dir, e.name));
  }
  for (const d of dirs) walk(d, out);
}

/**
 * Runs every .wast file under `paths` (files or directories), one result set per file.
 * `onFile` sees each file's result as soon as it is done.
 */
export function runWastPath(
  paths: string | readonly string[],
  options: FileOptions & { readonly onFile?: (result: ScriptResult) => void } = {},
): ScriptResult[] {
  const results: ScriptResult[] = [];
  for (const file of collectWastFiles(typeof paths === 'string' ? [paths] : paths)) {
    const result = runWastFile(file, options);
    options.onFile?.(result);
    results.push(result);
  }
  return results;
}
