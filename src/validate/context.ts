// The validation context C of a module (spec §3.1.x "Contexts"): the types of its
// functions, tables, memories, globals, tags, element and data segments, the function
// references it declares, and the enabled features — held as typed arrays of type codes
// for the instruction checks.

import { ALL_FEATURES } from '../model/features.ts';
import type { FeatureSet } from '../model/features.ts';
import type { Expr, Module, TableType } from '../model/types.ts';
import { I32, I64 } from './codes.ts';
import { enabledOps } from './optable.ts';
import type { TypeRegistry } from './registry.ts';
import { ModuleTypes } from './types.ts';

export class ModuleContext {
  readonly module: Module;
  readonly features: FeatureSet;
  readonly allFeatures: boolean;
  /** Per instruction row: 1 when its feature is enabled. */
  readonly enabled: Uint8Array;
  readonly types: ModuleTypes;
  readonly reg: TypeRegistry;

  /** Function index → type index. */
  readonly funcType: Int32Array;
  readonly nfuncs: number;
  readonly nImportedFuncs: number;
  /** Table index → element type code and address type code. */
  readonly tableElem: Int32Array;
  readonly tableAddr: Int32Array;
  readonly ntables: number;
  /** Memory index → address type code. */
  readonly memAddr: Int32Array;
  readonly nmems: number;
  /** Global index → value type code and mutability. */
  readonly globalType: Int32Array;
  readonly globalMut: Uint8Array;
  readonly nglobals: number;
  readonly nImportedGlobals: number;
  /** Tag index → type index. */
  readonly tagType: Int32Array;
  readonly ntags: number;
  /** Element segment index → reference type code. */
  readonly elemType: Int32Array;
  readonly nelems: number;
  readonly ndatas: number;
  /** Function index → 1 when referenced outside function bodies (`ref.func` allowed). */
  readonly declared: Uint8Array;

  constructor(module: Module, features: FeatureSet = ALL_FEATURES, registry?: TypeRegistry) {
    this.module = module;
    this.features = features;
    this.allFeatures = features === ALL_FEATURES || Object.values(features).every((on) => on);
    this.enabled = enabledOps(features);
    const types = new ModuleTypes(module.types, features, registry);
    this.types = types;
    this.reg = types.reg;

    let nf = 0;
    let nt = 0;
    let nm = 0;
    let ng = 0;
    let ntag = 0;
    for (const im of module.imports) {
      switch (im.desc.kind) {
        case 'func': nf++; break;
        case 'table': nt++; break;
        case 'memory': nm++; break;
        case 'global': ng++; break;
        case 'tag': ntag++; break;
      }
    }
    this.nImportedFuncs = nf;
    this.nImportedGlobals = ng;
    this.nfuncs = nf + module.funcs.length;
    this.ntables = nt + module.tables.length;
    this.nmems = nm + module.memories.length;
    this.nglobals = ng + module.globals.length;
    this.ntags = ntag + module.tags.length;
    this.nelems = module.elems.length;
    this.ndatas = module.datas.length;

    // One buffer for all the arrays: each typed array over 64 bytes otherwise costs an
    // allocation of its own outside the heap.
    const words = this.nfuncs + 2 * this.ntables + this.nmems + this.nglobals + this.ntags + this.nelems;
    const buf = new ArrayBuffer(4 * words + this.nglobals + this.nfuncs);
    let at = 0;
    const int32s = (n: number): Int32Array => {
      const a = new Int32Array(buf, at, n);
      at += 4 * n;
      return a;
    };
    const bytes = (n: number): Uint8Array => {
      const a = new Uint8Array(buf, at, n);
      at += n;
      return a;
    };
    this.funcType = int32s(this.nfuncs);
    this.tableElem = int32s(this.ntables);
    this.tableAddr = int32s(this.ntables);
    this.memAddr = int32s(this.nmems);
    this.globalType = int32s(this.nglobals);
    this.tagType = int32s(this.ntags);
    this.elemType = int32s(this.nelems);
    this.globalMut = bytes(this.nglobals);
    this.declared = bytes(this.nfuncs);
  }

  // The index spaces are filled in by ./module.ts while it checks each item, in the order
  // the spec's module rule uses; these setters keep the arrays private to construction.

  setFunc(i: number, typeIndex: number): void {
    this.funcType[i] = typeIndex;
  }

  setTable(i: number, t: TableType): void {
    this.tableElem[i] = this.types.code(t.element);
    this.tableAddr[i] = t.limits.address === 'i64' ? I64 : I32;
  }

  setMemory(i: number, address: 'i32' | 'i64'): void {
    this.memAddr[i] = address === 'i64' ? I64 : I32;
  }

  setGlobal(i: number, code: number, mutable: boolean): void {
    this.globalType[i] = code;
    this.globalMut[i] = mutable ? 1 : 0;
  }

  setTag(i: number, typeIndex: number): void {
    this.tagType[i] = typeIndex;
  }

  setElem(i: number, code: number): void {
    this.elemType[i] = code;
  }

  declare(func: number): void {
    if (func >= 0 && func < this.nfuncs) this.declared[func] = 1;
  }

  /** Declares every function that `ref.func` names in an expression. */
  declareIn(expr: Expr, refFunc: number): void {
    // An index loop: for-of over the frozen expressions the decoder shares costs more.
    for (let i = 0; i < expr.length; i++) {
      const ins = expr[i]!;
      if (ins.op === refFunc) this.declare(ins.imm as number);
    }
  }
}
