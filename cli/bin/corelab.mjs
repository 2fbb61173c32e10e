#!/usr/bin/env node
// Launcher: run the bundled CLI, building it first if this checkout has not built it yet.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'corelab.mjs');
if (!existsSync(bundle)) await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href);
await import(pathToFileURL(bundle).href);
