// What the runtime knows of a compiled module (spec §3.4 "Modules", the module's context
// C): read once by our decoder and validator, kept for linking (the types of its imports
// and exports, canonical in the engine's registry) and for naming backtrace frames (the
// `name` section and the function bodies' offsets, read only when a trap needs them).

import { ModuleReader } from '../binary/module-reader.ts';
import type { FeatureSet } from '../model/features.ts';
import type {
  Export,
  FuncType as ModelFuncType,
  GlobalType,
  ImportDesc,
  MemoryType,
  Module as ModelModule,
  Names,
  SubType,
  TableType,
} from '../model/types.ts';
import type { ModuleContext } from '../validate/context.ts';
import type { TypeRegistry } from '../validate/registry.ts';
import { validateAndRead } from '../validate/validate.ts';
import type { FrameSource } from './backtrace.ts';
import { funcTypeOf, valTypeOf, type ExportType, type ExternType, type FuncType, type ImportType } from './extern-types.ts';

export class ModuleInfo implements FrameSource {
  v8Url: string | null = null;
  readonly reader: ModuleReader;
  /** The module without its code. */
  readonly header: ModelModule;
  /** Its validation context: type codes of every item, canonical in the engine's registry. */
  readonly ctx: ModuleContext;
  readonly defs: readonly SubType[];
  /** Per index space, imports first. */
  readonly tables: readonly TableType[];
  readonly memories: readonly MemoryType[];
  readonly globals: readonly GlobalType[];
  readonly tags: readonly number[];
  readonly imports: readonly ImportType[];
  readonly exports: readonly ExportType[];
  private readonly funcTypes = new Map<number, FuncType>();
  private exportMap: Map<string, Export> | null = null;
  private names: Names | null | undefined;

  constructor(reader: ModuleReader, header: ModelModule, ctx: ModuleContext) {
    this.reader = reader;
    this.header = header;
    this.ctx = ctx;
    this.defs = ctx.types.defs;
    const tables: TableType[] = [];
    const memories: MemoryType[] = [];
    const globals: GlobalType[] = [];
    const tags: number[] = [];
    for (const im of header.imports) {
      const d = im.desc;
      if (d.kind === 'table') tables.push(d.type);
      else if (d.kind === 'memory') memories.push(d.type);
      else if (d.kind === 'global') globals.push(d.type);
      else if (d.kind === 'tag') tags.push(d.type.type);
    }
    for (const t of header.tables) tables.push(t.type);
    for (const m of header.memories) memories.push(m);
    for (const g of header.globals) globals.push(g.type);
    for (const t of header.tags) tags.push(t.type);
    this.tables = tables;
    this.memories = memories;
    this.globals = globals;
    this.tags = tags;
    const imports: ImportType[] = [];
    for (const im of header.imports) imports.push(Object.freeze({ module: im.module, name: im.name, type: this.importType(im.desc) }));
    this.imports = Object.freeze(imports);
    this.exports = Object.freeze(header.exports.map((e) => Object.freeze({ name: e.name, type: this.exportType(e.kind, e.index) })));
  }

  /** The function type at type index `typeIndex`, in the API's form. */
  typeAt(typeIndex: number): FuncType {
    let t = this.funcTypes.get(typeIndex);
    if (t === undefined) {
      const c = this.defs[typeIndex]!.composite;
      t = funcTypeOf(c.kind === 'func' ? c : ({ kind: 'func', params: [], results: [] } satisfies ModelFuncType));
      this.funcTypes.set(typeIndex, t);
    }
    return t;
  }

  /** The type of function `index` (imports first). */
  funcType(index: number): FuncType {
    return this.typeAt(this.ctx.funcType[index]!);
  }

  private importType(desc: ImportDesc): ExternType {
    switch (desc.kind) {
      case 'func':
        return { kind: 'func', type: this.typeAt(desc.type) };
      case 'table':
        return { kind: 'table', element: valTypeOf(desc.type.element), limits: desc.type.limits };
      case 'memory':
        return { kind: 'memory', limits: desc.type.limits };
      case 'global':
        return { kind: 'global', value: valTypeOf(desc.type.type), mutable: desc.type.mutable };
      case 'tag':
        return { kind: 'tag', type: this.typeAt(desc.type.type) };
    }
  }

  /** The type of the item `index` of kind `kind` (an export's). */
  exportType(kind: ExternType['kind'], index: number): ExternType {
    switch (kind) {
      case 'func':
        return { kind: 'func', type: this.funcType(index) };
      case 'table': {
        const t = this.tables[index]!;
        return { kind: 'table', element: valTypeOf(t.element), limits: t.limits };
      }
      case 'memory':
        return { kind: 'memory', limits: this.memories[index]!.limits };
      case 'global': {
        const g = this.globals[index]!;
        return { kind: 'global', value: valTypeOf(g.type), mutable: g.mutable };
      }
      case 'tag':
        return { kind: 'tag', type: this.typeAt(this.tags[index]!) };
    }
  }

  /** The export called `name` (its kind and index), or undefined. */
  exportNamed(name: string): Export | undefined {
    if (this.exportMap === null) {
      this.exportMap = new Map();
      for (const e of this.header.exports) this.exportMap.set(e.name, e);
    }
    return this.exportMap.get(name);
  }

  /** The `name` section, decoded on first use (null when absent or unreadable). */
  private nameSection(): Names | null {
    if (this.names === undefined) {
      try {
        this.names = this.reader.names();
      } catch {
        this.names = null;
      }
    }
    return this.names;
  }

  get moduleName(): string | null {
    return this.nameSection()?.module ?? null;
  }

  funcName(index: number): string | undefined {
    return this.nameSection()?.funcs.get(index);
  }

  hasBody(index: number, offset: number): boolean {
    const d = index - this.ctx.nImportedFuncs;
    const at = this.reader.bodyOffsets();
    return d >= 0 && 3 * d < at.length && at[3 * d]! <= offset && offset < at[3 * d + 2]!;
  }
}

/**
 * Decodes and validates `bytes` (the fast path of `validate`, keeping what it read). A
 * malformed or invalid module throws the DecodeError or ValidationError `validate` gives,
 * with its byte offset.
 */
export function readModule(bytes: Uint8Array, features: FeatureSet, types: TypeRegistry): ModuleInfo {
  const { reader, header, validator } = validateAndRead(bytes, { features, types });
  return new ModuleInfo(reader, header, validator.ctx);
}
