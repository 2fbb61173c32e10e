/**
 * Which btf_dump the output must match. The two differ in small, known ways
 * (notes §12.2): Debian's bpftool 7.1 embeds the Linux 6.1.y copy of btf_dump.c,
 * libbpf-dev 1.1.2 ships a slightly different one.
 */
export type DumpFlavor = 'bpftool-7.1' | 'libbpf-1.1';

export const DUMP_FLAVORS: readonly DumpFlavor[] = ['bpftool-7.1', 'libbpf-1.1'];

export interface FlavorRules {
  /** a prototype with no params (or one void param) prints `(void)`; otherwise `()` */
  readonly voidForNoArgs: boolean;
  /** 1-byte enums get `mode(byte)`, 8-byte ones (64-bit target) may get `mode(word)` */
  readonly enumModeAttributes: boolean;
}

export function flavorRules(f: DumpFlavor): FlavorRules {
  switch (f) {
    case 'bpftool-7.1':
      // 6.1.y got the no-args backport but not the enum size attributes.
      return { voidForNoArgs: true, enumModeAttributes: false };
    case 'libbpf-1.1':
      return { voidForNoArgs: false, enumModeAttributes: true };
  }
}

export function isDumpFlavor(s: string): s is DumpFlavor {
  return (DUMP_FLAVORS as readonly string[]).includes(s);
}
