/**
 * The errno values libbpf 1.1.2 returns from its CO-RE code. Its log lines print them as plain
 * negative numbers (`-22`), so the engine carries the same numbers to reproduce those lines.
 */
export const Errno = {
  E2BIG: 7,
  ENOMEM: 12,
  EINVAL: 22,
  ERANGE: 34,
  /** also ENOTSUP on Linux */
  EOPNOTSUPP: 95,
  /** libbpf's internal "poison this instruction" signal */
  EUCLEAN: 117,
} as const;

const NAMES: Record<number, string> = {
  7: 'E2BIG',
  12: 'ENOMEM',
  22: 'EINVAL',
  34: 'ERANGE',
  95: 'EOPNOTSUPP',
  117: 'EUCLEAN',
};

/** 'EINVAL' for 22 or -22; the number itself for anything else. */
export function errnoName(err: number): string {
  return NAMES[Math.abs(err)] ?? String(Math.abs(err));
}
