export type { Btf } from '../../../core-ts/btf/types.ts';
export type ErrorKindCheck = string;
