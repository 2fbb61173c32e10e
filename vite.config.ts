// The playground (web/): Vite + React, Monaco bundled locally, the engine in a module worker.
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * No request may leave the page: the built page carries a CSP that allows only its own origin
 * (wasm is compiled from bytes in the worker, hence 'wasm-unsafe-eval'; Monaco sets inline styles).
 * Only on build: the dev server's React refresh needs an inline script.
 */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'";

function csp(): Plugin {
  return {
    name: 'corelab-csp',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
    },
  };
}

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  plugins: [react(), csp()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Monaco is one lazy chunk of ~3 MB; it is loaded after the table, never on the first paint
    chunkSizeWarningLimit: 4000,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
