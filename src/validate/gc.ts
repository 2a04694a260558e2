// GC instructions (spec §3.4.x "Aggregate Reference Instructions", "Scalar Reference
// Instructions", casts and "Extern" conversions): structs, arrays, i31, ref.test/ref.cast,
// br_on_cast and br_on_cast_fail, any.convert_extern and extern.convert_any.

import type {
  ArrayData, ArrayElem, ArrayFixed, BrOnCast, IndexPair, Immediate, StructField,
} from '../model/instruction.ts';
import { INSTRUCTIONS } from '../model/opcodes.ts';
import type { RefType } from '../model/types.ts';
import { BOT, H_ANY, H_EXTERN, H_I31, I16, I32, I8, REF, refCode } from './codes.ts';
import { fail, unknown } from './fail.ts';
import {
  data, elem, isPacked, lastLabelType, nonNull, popN, popPushLabelPrefix, refTypeCode, storage,
} from './operands.ts';
import {
  CLS, K_ARRAY_GET, K_ARRAY_FILL, K_ARRAY_INIT_DATA, K_ARRAY_INIT_ELEM, K_BR_ON_CAST, K_REF_TEST,
  K_STRUCT_GET, K_STRUCT_SET,
} from './optable.ts';
import type { CodeValidator } from './stack.ts';
import { ModuleTypes } from './types.ts';

const CLS_ = CLS;

export function validateGc(v: CodeValidator, op: number, immediate: Immediate): void {
  const types = v.types;
  const reg = v.reg;
  switch (CLS_[op]) {
    case 73: // K_REF_TEST
    case 74: { // K_REF_CAST
      const rt = refTypeCode(v, immediate as RefType);
      v.popExpect(refCode(reg.top((rt - REF) >> 1), true));
      v.pushVal(CLS_[op] === K_REF_TEST ? I32 : rt);
      break;
    }
    case 75: // K_BR_ON_CAST
    case 76: { // K_BR_ON_CAST_FAIL
      const imm = immediate as BrOnCast;
      const c1 = refTypeCode(v, imm.from);
      const c2 = refTypeCode(v, imm.to);
      if (!reg.valSub(c2, c1)) fail(`type mismatch: cast target ${types.name(c2)} does not match ${types.name(c1)}`);
      const f = v.label(imm.label);
      v.popExpect(c1);
      // rt1 \ rt2: what remains of rt1 when the cast to rt2 fails.
      const diff = (c2 & 1) === 1 ? nonNull(c1) : c1;
      const onBranch = CLS_[op] === K_BR_ON_CAST ? c2 : diff;
      const last = lastLabelType(v, f, INSTRUCTIONS[op]!.name);
      if (!reg.valSub(onBranch, last)) {
        fail(`type mismatch: instruction requires type ${types.name(onBranch)} but label has ${types.name(last)}`);
      }
      popPushLabelPrefix(v, f);
      v.pushVal(CLS_[op] === K_BR_ON_CAST ? diff : c2);
      break;
    }
    case 77: { // K_ANY_CONVERT_EXTERN
      const rt = v.popRef();
      if (!reg.heapSub((rt - REF) >> 1, H_EXTERN)) {
        fail(`type mismatch: instruction requires [externref] but stack has [${types.name(rt)}]`);
      }
      v.pushVal(refCode(H_ANY, (rt & 1) === 1));
      break;
    }
    case 78: { // K_EXTERN_CONVERT_ANY
      const rt = v.popRef();
      if (!reg.heapSub((rt - REF) >> 1, H_ANY)) {
        fail(`type mismatch: instruction requires [anyref] but stack has [${types.name(rt)}]`);
      }
      v.pushVal(refCode(H_EXTERN, (rt & 1) === 1));
      break;
    }
    case 79: // K_REF_I31
      v.popExpect(I32);
      v.pushVal(refCode(H_I31, false));
      break;
    case 56: { // K_STRUCT_NEW
      const x = types.structType(immediate as number);
      const off = types.off[x]!;
      for (let i = types.n1[x]! - 1; i >= 0; i--) v.popExpect(ModuleTypes.unpacked(types.fpool[off + i]!));
      v.pushVal(types.defRef(x, false));
      break;
    }
    case 57: { // K_STRUCT_NEW_DEFAULT
      const x = types.structType(immediate as number);
      const off = types.off[x]!;
      for (let i = 0, nf = types.n1[x]!; i < nf; i++) {
        if (!ModuleTypes.defaultable(ModuleTypes.unpacked(types.fpool[off + i]!))) fail('field type is not defaultable');
      }
      v.pushVal(types.defRef(x, false));
      break;
    }
    case 58: // K_STRUCT_GET
    case 59: // K_STRUCT_GET_PACKED
    case 60: { // K_STRUCT_SET
      const imm = immediate as StructField;
      const x = types.structType(imm.type);
      if (!(imm.field >>> 0 === imm.field && imm.field < types.n1[x]!)) unknown('field', imm.field);
      const fld = types.fpool[types.off[x]! + imm.field]!;
      const cls = CLS_[op];
      if (cls === K_STRUCT_SET) {
        if ((fld & 1) === 0) fail('immutable field');
        v.popExpect(ModuleTypes.unpacked(fld));
        v.popExpect(types.defRef(x, true));
      } else {
        if (cls === K_STRUCT_GET ? isPacked(fld) : !isPacked(fld)) {
          fail(cls === K_STRUCT_GET ? 'field is packed' : 'field is unpacked');
        }
        v.popExpect(types.defRef(x, true));
        v.pushVal(ModuleTypes.unpacked(fld));
      }
      break;
    }
    case 61: { // K_ARRAY_NEW
      const x = types.arrayType(immediate as number);
      v.popExpect(I32);
      v.popExpect(ModuleTypes.unpacked(types.fpool[types.off[x]!]!));
      v.pushVal(types.defRef(x, false));
      break;
    }
    case 62: { // K_ARRAY_NEW_DEFAULT
      const x = types.arrayType(immediate as number);
      if (!ModuleTypes.defaultable(ModuleTypes.unpacked(types.fpool[types.off[x]!]!))) fail('array type is not defaultable');
      v.popExpect(I32);
      v.pushVal(types.defRef(x, false));
      break;
    }
    case 63: { // K_ARRAY_NEW_FIXED
      const imm = immediate as ArrayFixed;
      const x = types.arrayType(imm.type);
      popN(v, ModuleTypes.unpacked(types.fpool[types.off[x]!]!), imm.length);
      v.pushVal(types.defRef(x, false));
      break;
    }
    case 64: // K_ARRAY_NEW_DATA
    case 71: { // K_ARRAY_INIT_DATA
      const imm = immediate as ArrayData;
      const x = types.arrayType(imm.type);
      const fld = types.fpool[types.off[x]!]!;
      const init = CLS_[op] === K_ARRAY_INIT_DATA;
      if (init && (fld & 1) === 0) fail('immutable array');
      if (storage(fld) > I16 || storage(fld) === BOT) fail('array type is not numeric or vector');
      data(v, imm.data);
      v.popExpect(I32);
      v.popExpect(I32);
      if (init) {
        v.popExpect(I32);
        v.popExpect(types.defRef(x, true));
      } else {
        v.pushVal(types.defRef(x, false));
      }
      break;
    }
    case 65: // K_ARRAY_NEW_ELEM
    case 72: { // K_ARRAY_INIT_ELEM
      const imm = immediate as ArrayElem;
      const x = types.arrayType(imm.type);
      const fld = types.fpool[types.off[x]!]!;
      const init = CLS_[op] === K_ARRAY_INIT_ELEM;
      if (init && (fld & 1) === 0) fail('immutable array');
      const et = elem(v, imm.elem);
      if (!reg.valSub(et, storage(fld))) {
        fail(`type mismatch: element segment's type ${types.name(et)} does not match array's element type ${types.name(storage(fld))}`);
      }
      v.popExpect(I32);
      v.popExpect(I32);
      if (init) {
        v.popExpect(I32);
        v.popExpect(types.defRef(x, true));
      } else {
        v.pushVal(types.defRef(x, false));
      }
      break;
    }
    case 66: // K_ARRAY_GET
    case 67: { // K_ARRAY_GET_PACKED
      const x = types.arrayType(immediate as number);
      const fld = types.fpool[types.off[x]!]!;
      const cls = CLS_[op];
      if (cls === K_ARRAY_GET ? isPacked(fld) : !isPacked(fld)) {
        fail(cls === K_ARRAY_GET ? 'array is packed' : 'array is unpacked');
      }
      v.popExpect(I32);
      v.popExpect(types.defRef(x, true));
      v.pushVal(ModuleTypes.unpacked(fld));
      break;
    }
    case 68: // K_ARRAY_SET
    case 69: { // K_ARRAY_FILL
      const x = types.arrayType(immediate as number);
      const fld = types.fpool[types.off[x]!]!;
      if ((fld & 1) === 0) fail('immutable array');
      if (CLS_[op] === K_ARRAY_FILL) v.popExpect(I32);
      v.popExpect(ModuleTypes.unpacked(fld));
      v.popExpect(I32);
      v.popExpect(types.defRef(x, true));
      break;
    }
    case 70: { // K_ARRAY_COPY
      const imm = immediate as IndexPair;
      const xd = types.arrayType(imm.dst);
      const xs = types.arrayType(imm.src);
      const fd = types.fpool[types.off[xd]!]!;
      const fs = types.fpool[types.off[xs]!]!;
      if ((fd & 1) === 0) fail('immutable array');
      const sd = storage(fd);
      const ss = storage(fs);
      const packed = sd === I8 || sd === I16 || ss === I8 || ss === I16;
      if (packed ? sd !== ss : !reg.valSub(ss, sd)) fail('array types do not match');
      v.popExpect(I32);
      v.popExpect(I32);
      v.popExpect(types.defRef(xs, true));
      v.popExpect(I32);
      v.popExpect(types.defRef(xd, true));
      break;
    }
    default:
      fail(`unknown operator ${INSTRUCTIONS[op]?.name ?? op}`);
  }
}
