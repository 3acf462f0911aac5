// The one build script: bundles every entry point into dist/ (vscode external) and copies the Lua WASM engine beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_DIR, ENGINE_FILES } from './scripts/lib/luaEngineFiles.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** dist name -> source entry. Names are a public interface (see docs/ARCHITECTURE.md). */
const entries = {
  extension: 'client/extension.ts',
  server: 'server/server.ts',
  debugAdapter: 'runtime/debug/debugAdapter.ts',
  debugWorker: 'runtime/debug/vmWorker.ts',
  cli: 'runtime/cli/main.ts',
};

const present = Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(src)));

mkdirSync('dist', { recursive: true });
for (const file of ENGINE_FILES) {
  const from = join(ENGINE_DIR, file);
  if (existsSync(from)) copyFileSync(from, join('dist', file));
  else console.warn(`esbuild: ${from} missing; restore the committed engine: git checkout -- runtime/lua/wasm`);
}

const options = {
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  banner: { js: '' },
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('esbuild: watching');
} else {
  await esbuild.build(options);
  console.log(`esbuild: built ${Object.keys(present).map((n) => `dist/${n}.js`).join(', ')}`);
}
