// The binary format (spec §5): LEB128, the byte writer, the encoder and the decoder
// (whole modules, or lazily: sections on demand, function bodies one at a time).
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
export { Reader, decodeUtf8 } from './reader.ts';
export { CodeReader } from './decode-instr.ts';
export { decodeModule, type DecodeOptions } from './decode.ts';
export { ModuleReader, type FunctionBody, type BodyCursor } from './module-reader.ts';
export { readSections, SectionIterator, SECTION_NAMES, type SectionInfo } from './sections.ts';
export { decodeNames } from './decode-names.ts';
export {
  readBlockType,
  readHeapType,
  readLimits,
  readRecGroup,
  readRefType,
  readSubType,
  readValType,
} from './decode-types.ts';
