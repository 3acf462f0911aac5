// Finds the bundled examples/mqtt.lua: beside dist/ in the repo and in the VSIX (which ships examples/**), or beside out/ when run from compiled tests.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CANDIDATES = [
  // dist/cli.js (repo or installed VSIX): <root>/examples
  join('..', 'examples', 'mqtt.lua'),
  // out/runtime/cli/*.js (tsc output used by tests): <root>/examples
  join('..', '..', '..', 'examples', 'mqtt.lua'),
];

export function bundledExtensionPath(fromDir: string = __dirname): string {
  for (const rel of CANDIDATES) {
    const p = resolve(fromDir, rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`the bundled examples/mqtt.lua was not found near ${fromDir}; pass --extension FILE`);
}
