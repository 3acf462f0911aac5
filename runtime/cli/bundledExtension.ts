// Finds a bundled sample (examples/mqtt.lua, examples/syslog.lua, ...): beside dist/ in the repo and in the VSIX (which ships examples/**), or beside out/ when run from compiled tests.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CANDIDATES = [
  // dist/cli.js (repo or installed VSIX): <root>/examples
  join('..', 'examples'),
  // out/runtime/cli/*.js (tsc output used by tests): <root>/examples
  join('..', '..', '..', 'examples'),
];

/** `sample`: the file under examples/ (a protocol's `defaults.extension`). */
export function bundledExtensionPath(fromDir: string = __dirname, sample = 'mqtt.lua'): string {
  for (const rel of CANDIDATES) {
    const p = resolve(fromDir, rel, sample);
    if (existsSync(p)) return p;
  }
  throw new Error(`the bundled examples/${sample} was not found near ${fromDir}; pass --extension FILE`);
}
