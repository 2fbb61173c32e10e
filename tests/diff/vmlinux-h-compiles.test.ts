/**
 * The vmlinux.h corelab generates must be usable: for several kernels (x86-64, arm64,
 * big-endian s390x, 32-bit armhf), a CO-RE program that includes it compiles with clang-19
 * for BPF, and its field accesses come out as CO-RE relocations (the
 * preserve_access_index pragma of the preamble at work).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { dumpC } from '../../core-ts/dump-c/index.ts';
import { requireTool } from '../support/tools.ts';
import { kernelInputs } from './btf-dump-c-support.ts';

const PROGRAM = `
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	pid_t ppid = BPF_CORE_READ(task, real_parent, tgid);
	unsigned long flags = BPF_CORE_READ(task, mm, def_flags);

	bpf_printk("exec: parent %d flags %lu", ppid, flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
`;

const KERNELS: [name: string, target: string][] = [
  ['host-6.18-amd64', 'bpf'],
  ['debian-6.12.117-amd64', 'bpf'],
  ['debian-6.1.0-50-arm64', 'bpf'],
  ['pahole-6.1.0-50-s390x', 'bpfeb'],
  ['pahole-6.1.0-50-armmp-lpae', 'bpf'],
];

describe('generated vmlinux.h compiles with clang-19 -target bpf', () => {
  const kernels = kernelInputs();
  it.each(KERNELS)('%s (%s)', (name, target) => {
    const k = kernels.find((x) => x.name === name);
    if (!k) throw new Error(`${name} is not in the corpus`);
    const { btf } = loadBtf(new Uint8Array(readFileSync(k.file)));
    const r = dumpC(btf);
    expect(r.error).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'corelab-vmlinux-'));
    writeFileSync(join(dir, 'vmlinux.h'), r.text);
    writeFileSync(join(dir, 'prog.bpf.c'), PROGRAM);
    const obj = join(dir, 'prog.bpf.o');
    try {
      execFileSync(
        requireTool('clang-19'),
        ['-g', '-O2', '-target', target, '-Wall', '-Werror', '-I', dir, '-c', join(dir, 'prog.bpf.c'), '-o', obj],
        { stdio: 'pipe' },
      );
      const dis = execFileSync(requireTool('llvm-objdump-19'), ['-dr', obj], { encoding: 'utf8' });
      expect(dis).toMatch(/CO-RE .*struct task_struct::real_parent/);
      expect(dis).toMatch(/CO-RE .*struct task_struct::mm /);
      expect(dis).toMatch(/CO-RE .*struct mm_struct::.*def_flags/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
