// Real peers an integration test needs (declared in its source as a `// peers: mosquitto haproxy` line) and which are missing here.
import { existsSync, readFileSync } from 'node:fs';

/** The compiled test's source: out/test/x/y.test.js -> test/x/y.test.ts. */
function sourceOf(compiled) {
  return compiled.replace(/^out[\\/]/, '').replace(/\.js$/, '.ts');
}

export function declaredPeers(compiled) {
  const src = sourceOf(compiled);
  if (!existsSync(src)) return [];
  const m = /^\/\/ peers: (.+)$/m.exec(readFileSync(src, 'utf8').split('\n').slice(0, 5).join('\n'));
  return m ? m[1].trim().split(/\s+/) : [];
}

/** files -> { run, skipped: [{ file, missing }] }; `find(tool)` says whether a tool is installed. */
export function partitionByPeers(files, find) {
  const run = [];
  const skipped = [];
  for (const file of files) {
    const missing = declaredPeers(file).filter((tool) => !find(tool));
    if (missing.length === 0) run.push(file);
    else skipped.push({ file, missing });
  }
  return { run, skipped };
}
