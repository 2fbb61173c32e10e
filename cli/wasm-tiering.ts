import { setFlagsFromString } from 'node:v8';

/**
 * A CLI process runs each WebAssembly function for one job and exits. By default V8 would also
 * recompile the hot ones with its optimising compiler on background threads (dynamic tier-up);
 * on a cold `corelab btf dump file vmlinux format c` that recompilation costs more CPU and fresh
 * memory than the faster code saves (6.18 kernel, same run: 0.30 s CPU with tier-up, 0.26 s
 * without; bpftool 7.1 0.31 s). So the CLI keeps the baseline compiler's code. Results do not
 * depend on it (tests run the engine both ways). Must run before the engine compiles its
 * module, which it does lazily, on first use; the playground's long-lived worker keeps tier-up.
 * CORELAB_WASM_TIERUP=1 leaves V8's default.
 */
export function keepBaselineWasm(): void {
  if (process.env.CORELAB_WASM_TIERUP === '1') return;
  setFlagsFromString('--liftoff-only');
}
