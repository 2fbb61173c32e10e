/**
 * libbpf's print stream, as the CO-RE code emits it. Each message is kept exactly as libbpf
 * formats it ("libbpf: " prefix, trailing newline, and 1.1.2's stray "\n " in one warning), and
 * the lines are derived the way a print callback that splits on newlines and joins partial
 * messages sees them — so comparison with a captured libbpf log is byte for byte.
 */

export type LogLevel = 'warn' | 'info' | 'debug';

export interface LogMessage {
  readonly level: LogLevel;
  /** the full message text, prefix and newline included */
  readonly text: string;
}

export interface LogLine {
  readonly level: LogLevel;
  readonly text: string;
}

const PREFIX = 'libbpf: ';

export class CoreLog {
  readonly messages: LogMessage[] = [];

  warn(body: string): void {
    this.messages.push({ level: 'warn', text: PREFIX + body });
  }
  info(body: string): void {
    this.messages.push({ level: 'info', text: PREFIX + body });
  }
  debug(body: string): void {
    this.messages.push({ level: 'debug', text: PREFIX + body });
  }

  /** Lines as a newline-splitting callback sees them; a partial tail is joined to the next message. */
  lines(): LogLine[] {
    const out: LogLine[] = [];
    let pending = '';
    let pendingLevel: LogLevel | undefined;
    for (const m of this.messages) {
      const parts = (pending + m.text).split('\n');
      const level = pendingLevel ?? m.level;
      pending = parts.pop()!;
      parts.forEach((text, i) => out.push({ level: i === 0 ? level : m.level, text }));
      pendingLevel = pending ? (parts.length ? m.level : level) : undefined;
    }
    if (pending) out.push({ level: pendingLevel ?? 'debug', text: pending });
    return out;
  }

  /** Messages since index `from` (a relocation's own share of the log). */
  since(from: number): LogMessage[] {
    return this.messages.slice(from);
  }
}

/** A log that drops everything (for libbpf's silent re-parses, e.g. the verifier-log fix-up). */
export class NullLog extends CoreLog {
  override warn(): void {}
  override info(): void {}
  override debug(): void {}
}

/** C's `%u` of a value held in 32 bits. */
export function u32(n: number): string {
  return String(n >>> 0);
}

/** C's `%d` of a value held in 32 bits. */
export function s32(n: number): string {
  return String(n | 0);
}

/** C's `%llu` of a 64-bit value (bigint or a number taken as s64). */
export function u64(n: bigint | number): string {
  return BigInt.asUintN(64, BigInt(n)).toString();
}

/** C's `%lld`. */
export function s64(n: bigint | number): string {
  return BigInt.asIntN(64, BigInt(n)).toString();
}
