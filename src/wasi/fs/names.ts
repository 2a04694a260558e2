// WASI preview1 file systems: the checks every single-name operation applies to its name
// (types.ts's contract: one path component, never empty, `.`, `..`, or containing `/` or NUL).

import { WasiError } from '../errno.ts';

/** Longest name in UTF-8 bytes, as Linux's NAME_MAX. */
export const MAX_NAME_BYTES = 255;

/** Longest symbolic-link target in UTF-8 bytes, as Linux's PATH_MAX less the NUL. */
export const MAX_LINK_TARGET_BYTES = 4095;

const encoder = new TextEncoder();

/** UTF-8 length of `text` (without allocating for ASCII-only text). */
export function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length;
  }
  return text.length;
}

/** Throws 'inval' for anything that is not one plain path component, 'nametoolong' past NAME_MAX. */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new WasiError('inval', 'not a single path component');
  }
  if (name.length > MAX_NAME_BYTES / 4 && utf8Length(name) > MAX_NAME_BYTES) {
    throw new WasiError('nametoolong', 'name too long');
  }
}

/**
 * Checks the text of a symbolic link a guest creates. Absolute targets are refused with
 * 'perm' as Wasmtime does (cap-std's `symlink`): they could never be followed inside the
 * sandbox, and refusing them keeps a guest from planting a trap for other host programs.
 */
export function checkLinkTarget(target: string): void {
  if (target === '') throw new WasiError('noent', 'empty symbolic-link target');
  if (target.includes('\0')) throw new WasiError('inval', 'symbolic-link target contains NUL');
  if (target.startsWith('/')) throw new WasiError('perm', 'absolute symbolic-link target');
  if (target.length > MAX_LINK_TARGET_BYTES / 4 && utf8Length(target) > MAX_LINK_TARGET_BYTES) {
    throw new WasiError('nametoolong', 'symbolic-link target too long');
  }
}
