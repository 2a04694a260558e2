// Identifiers for the printer (spec §6.3.5 "Identifiers", and the name section of the
// appendix): which names from `module.names` can be printed as `$id`, and how.
//
// A name becomes an identifier when it is non-empty and unique in its index space; names
// made only of identifier characters print as `$name`, others as the quoted `$"…"`.
// Names that cannot be identifiers (empty, or a repeat) are reported in `annot` so that
// the caller can keep them with a `(@name "…")` annotation where the text format allows.

import { isIdChar } from './lexer.ts';
import { encodeNameLiteral } from './strings.ts';

/** `$name` or `$"name"` for a non-empty name. */
export function idText(name: string): string {
  for (let i = 0; i < name.length; i++) {
    if (!isIdChar(name.charCodeAt(i))) return '$' + encodeNameLiteral(name);
  }
  return '$' + name;
}

/** The printed identifiers of one index space. */
export interface SpaceIds {
  /** Identifier text (`$x` or `$"…"`) per index, or null. */
  readonly ids: readonly (string | null)[];
  /** Names that could not become identifiers (empty or repeated), by index. */
  readonly annot: ReadonlyMap<number, string>;
}

const EMPTY_IDS: SpaceIds = { ids: [], annot: new Map() };

/** Identifiers for `count` entries named by `map` (first occurrence of a name wins). */
export function spaceIds(count: number, map: ReadonlyMap<number, string> | undefined): SpaceIds {
  if (map === undefined || map.size === 0) return EMPTY_IDS;
  const ids: (string | null)[] = new Array<string | null>(count).fill(null);
  const annot = new Map<number, string>();
  const seen = new Set<string>();
  // Sorted by index so that "first occurrence" means the lowest index.
  const keys = Array.from(map.keys()).sort((a, b) => a - b);
  for (const index of keys) {
    const name = map.get(index)!;
    if (!(index >= 0 && index < count)) continue; // names of indices that do not exist
    if (name === '' || seen.has(name)) {
      annot.set(index, name);
      continue;
    }
    seen.add(name);
    ids[index] = idText(name);
  }
  return { ids, annot };
}

/** The reference to entry `index`: its identifier or its number. */
export function refText(space: SpaceIds, index: number): string {
  const id = space.ids[index];
  return id == null ? String(index) : id;
}
