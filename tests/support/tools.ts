import { execFileSync, spawnSync } from 'node:child_process';

/**
 * The oracle tools. A missing tool is a test failure (thrown here), never a skip:
 * CI installs them all, and a developer machine must have them too (see .ci/run).
 */
export function requireTool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !path) {
    throw new Error(`required oracle tool '${name}' is not installed (see .ci/run for the apt packages)`);
  }
  return path;
}

/** Run a tool and return stdout; a non-zero exit is an error carrying stderr. */
export function runTool(tool: string, args: string[], opts: { input?: Uint8Array; maxBuffer?: number } = {}): string {
  return execFileSync(requireTool(tool), args, {
    encoding: 'utf8',
    maxBuffer: opts.maxBuffer ?? 256 << 20,
    input: opts.input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
