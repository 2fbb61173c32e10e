/** BPF instructions: decoding, encoding, LLVM-syntax text, and llvm-objdump's listing. */
export * from './opcodes.ts';
export * from './decode.ts';
export * from './encode.ts';
export * from './text.ts';
export * from './core-text.ts';
export * from './objdump.ts';
