// WASI preview1 `filestat`, `filetype` and `fstflags`: converting the file-system
// interface's values to and from guest memory.

import { FILETYPE, FSTFLAGS, LAYOUT } from './constants.ts';
import { WasiError } from './errno.ts';
import type { FileStat, FileType, TimeSpec } from './fs/types.ts';
import type { GuestMemory } from './memory.ts';

const FILETYPE_CODES: Readonly<Record<FileType, number>> = {
  unknown: FILETYPE.unknown,
  'block-device': FILETYPE.block_device,
  'character-device': FILETYPE.character_device,
  directory: FILETYPE.directory,
  'regular-file': FILETYPE.regular_file,
  'socket-dgram': FILETYPE.socket_dgram,
  'socket-stream': FILETYPE.socket_stream,
  'symbolic-link': FILETYPE.symbolic_link,
};

export function filetypeCode(type: FileType): number {
  return FILETYPE_CODES[type];
}

export function writeFilestat(mem: GuestMemory, ptr: number, stat: FileStat): void {
  const L = LAYOUT.filestat;
  const p = mem.check(ptr, L.size);
  mem.setU64(p + L.dev, stat.dev);
  mem.setU64(p + L.ino, stat.ino);
  mem.setU8(p + L.filetype, filetypeCode(stat.type));
  for (let i = 17; i < 24; i++) mem.setU8(p + i, 0); // padding: no stale guest bytes
  mem.setU64(p + L.nlink, stat.nlink);
  mem.setU64(p + L.st_size, stat.size);
  mem.setU64(p + L.atim, stat.atim);
  mem.setU64(p + L.mtim, stat.mtim);
  mem.setU64(p + L.ctim, stat.ctim);
}

/** A stat for things that are not files: streams and sockets. */
export function syntheticStat(type: FileType): FileStat {
  return { dev: 0n, ino: 0n, type, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
}

/**
 * The times to set from `fst_flags`: 'inval' for unknown bits or for a time given both as
 * a value and as "now" (ATIM with ATIM_NOW, MTIM with MTIM_NOW), as Wasmtime does.
 */
export function timesToSet(atim: bigint, mtim: bigint, fstFlags: number): [TimeSpec, TimeSpec] {
  const f = fstFlags >>> 0;
  if (f & ~0xf) throw new WasiError('inval');
  if (f & FSTFLAGS.atim && f & FSTFLAGS.atim_now) throw new WasiError('inval');
  if (f & FSTFLAGS.mtim && f & FSTFLAGS.mtim_now) throw new WasiError('inval');
  const a: TimeSpec = f & FSTFLAGS.atim_now ? 'now' : f & FSTFLAGS.atim ? BigInt.asUintN(64, atim) : undefined;
  const m: TimeSpec = f & FSTFLAGS.mtim_now ? 'now' : f & FSTFLAGS.mtim ? BigInt.asUintN(64, mtim) : undefined;
  return [a, m];
}
