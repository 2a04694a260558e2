// The binary format (spec §5): LEB128, the byte writer and the encoder.
export * from './leb128.ts';
export { ByteWriter } from './writer.ts';
export {
  encodeModule,
  encodeModuleInto,
  encodeValType,
  encodeRefType,
  encodeHeapType,
  encodeBlockType,
  encodeSubType,
  encodeRecGroup,
  encodeLimits,
  encodeTableType,
  encodeGlobalType,
  encodeInstruction,
  encodeExpr,
  encodeFuncBody,
  encodeNameSection,
} from './encode.ts';
