// Builds the extension: copies the snippets (single source: ../snippets), bundles
// src/extension.ts into dist/extension.js, and with --tests transpiles src/ and test/ to out/.
//   node scripts/build.mjs [--production] [--tests]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

/** The repository's snippets folder, the one source the extension ships a copy of. */
export const SNIPPETS_SOURCE = join(clientDir, '..', 'snippets');
export const SNIPPETS_COPY = join(clientDir, 'snippets');

function copySnippets() {
  rmSync(SNIPPETS_COPY, { recursive: true, force: true });
  mkdirSync(SNIPPETS_COPY, { recursive: true });
  const files = readdirSync(SNIPPETS_SOURCE).filter((name) => name.endsWith('.code-snippets'));
  if (files.length === 0) {
    throw new Error(`no *.code-snippets in ${SNIPPETS_SOURCE}`);
  }
  for (const name of files) {
    copyFileSync(join(SNIPPETS_SOURCE, name), join(SNIPPETS_COPY, name));
  }
  return files;
}

function typeScriptFiles(folder) {
  return readdirSync(join(clientDir, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(clientDir, join(entry.parentPath ?? entry.path, entry.name)));
}

const copied = copySnippets();

await build({
  absWorkingDir: clientDir,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // VS Code 1.85 runs extensions on Node 18.
  target: 'node18',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
});

if (tests) {
  rmSync(join(clientDir, 'out'), { recursive: true, force: true });
  await build({
    absWorkingDir: clientDir,
    entryPoints: [...typeScriptFiles('src'), ...typeScriptFiles('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

console.log(
  `built dist/extension.js${production ? ' (production)' : ''}` +
    `${tests ? ' and out/' : ''}; snippets: ${copied.join(', ')}`,
);
