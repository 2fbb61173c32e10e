/**
 * The text bpftool 7.1 wraps around the types in `format c`. The pragma gives every
 * struct/union CO-RE field access; a program defining BPF_NO_PRESERVE_ACCESS_INDEX
 * opts out.
 */
export const VMLINUX_PREAMBLE =
  '#ifndef __VMLINUX_H__\n' +
  '#define __VMLINUX_H__\n' +
  '\n' +
  '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
  '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n' +
  '#endif\n' +
  '\n';

export const VMLINUX_EPILOGUE =
  '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
  '#pragma clang attribute pop\n' +
  '#endif\n' +
  '\n' +
  '#endif /* __VMLINUX_H__ */\n';
