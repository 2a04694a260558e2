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
    this.allFeatures = Object.values(features).every((on) => on);
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

    this.funcType = new Int32Array(this.nfuncs);
    this.tableElem = new Int32Array(this.ntables);
    this.tableAddr = new Int32Array(this.ntables);
    this.memAddr = new Int32Array(this.nmems);
    this.globalType = new Int32Array(this.nglobals);
    this.globalMut = new Uint8Array(this.nglobals);
    this.tagType = new Int32Array(this.ntags);
    this.elemType = new Int32Array(this.nelems);
    this.declared = new Uint8Array(this.nfuncs);
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
