/** `.BTF.ext`: func_info, line_info and CO-RE relocation records. */
export * from './types.ts';
export * from './relo-kind.ts';
export * from './parse.ts';
export * from './lookup.ts';
