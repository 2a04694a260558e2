// The module model: types, instructions, the instruction table, features and errors.
export * from './types.ts';
export * from './instruction.ts';
export * from './opcodes.ts';
export * from './features.ts';
export * from './errors.ts';
