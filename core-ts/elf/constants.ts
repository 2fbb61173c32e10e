/** ELF constants corelab needs (from the System V ABI / elf.h). */

export const EM_BPF = 247;

export const SHT = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7,
  NOBITS: 8, REL: 9, DYNSYM: 11,
} as const;

export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;

export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

/** e_machine names for the error message when someone drops a non-BPF ELF. */
export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  0: 'none', 2: 'SPARC', 3: 'x86 (i386)', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390',
  40: 'ARM', 42: 'SuperH', 43: 'SPARC v9', 50: 'IA-64', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V',
  247: 'BPF', 258: 'LoongArch',
};

export function machineName(m: number): string {
  return MACHINE_NAMES[m] ?? `unknown machine ${m}`;
}
