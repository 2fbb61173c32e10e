// Bundle the CLI (cli/main.ts and the engine it imports) into ES modules for Node: the entry
// dist/corelab.mjs holds what `btf dump` needs; the other commands are chunks under
// dist/chunks/, imported when they run (cli/commands/index.ts).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// chunks of an earlier build would pile up (their names carry a content hash)
rmSync(join(dist, 'chunks'), { recursive: true, force: true });

/** One build; `banner` defines `require` for bundled code that calls it. */
function bundle(banner) {
  return build({
    entryPoints: { corelab: join(root, 'cli/main.ts') },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    charset: 'ascii',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    ...(banner ? { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } } : {}),
  });
}

const outputs = (r) => Object.keys(r.metafile.outputs).filter((f) => f.endsWith('.mjs')).map((f) => join(root, f));

// Importing node:module costs a cold start a millisecond or two: the banner goes in only when
// esbuild emitted its require() shim (nothing in the CLI calls require today).
let r = await bundle(false);
if (outputs(r).some((f) => readFileSync(f, 'utf8').includes('__require('))) r = await bundle(true);

// esbuild escapes non-ASCII in code (charset ascii) but keeps some comments as written; one
// non-ASCII character makes Node decode the file as UTF-8 and V8 hold and scan it as a two-byte
// string. Only lines that are comments are touched (each UTF-16 unit becomes '?', so source map
// columns stay right); anything else non-ASCII is left alone, correct and only slower.
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;
for (const f of outputs(r)) {
  const text = readFileSync(f, 'utf8');
  // eslint-disable-next-line no-control-regex
  const wide = /[^\x00-\x7f]/;
  if (!wide.test(text)) continue;
  const lines = text.split('\n').map((l) => (wide.test(l) && COMMENT_LINE.test(l) ? l.replace(/[^\x00-\x7f]/g, '?') : l));
  writeFileSync(f, lines.join('\n'));
}
