// The types of WebAssembly objects the runtime has handed out. The JS API cannot tell a
// Memory's maximum or a Global's type (type reflection is not in V8 without a flag), so
// objects taken from our instances' exports are remembered with the module item they
// are; the linker then checks an import against them exactly as against a module.

import type { ExternType } from './extern-types.ts';
import type { ModuleInfo } from './module-info.ts';

/** An item of a module's index space: function, table, memory, global or tag `index`. */
export interface KnownItem {
  readonly info: ModuleInfo;
  readonly kind: ExternType['kind'];
  readonly index: number;
}

const known = new WeakMap<object, KnownItem>();

export function remember(value: unknown, item: KnownItem): void {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') known.set(value, item);
}

export function recall(value: object): KnownItem | undefined {
  return known.get(value);
}
