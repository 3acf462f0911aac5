// npm postinstall: checks the committed Lua 5.2 engine; never fails `npm install`, but says loudly when the engine is unusable.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const checker = join(here, 'build-lua-wasm.mjs');

// A published install (no scripts/ beside it, or an opt-out) has the engine in dist/ already.
if (!existsSync(checker) || process.env.PROTOEXT_SKIP_LUA_BUILD === '1') process.exit(0);

const r = spawnSync(process.execPath, [checker], { stdio: 'inherit' });
if (r.status !== 0) {
  const bar = '!'.repeat(78);
  console.error([
    '', bar,
    'protoext-studio: the Lua 5.2 engine (runtime/lua/wasm/lua52.js + lua52.wasm) is NOT usable.',
    'The load balancer, `protoext-lb simulate/check` and the debugger cannot run scripts',
    'until it is. Restore it with: git checkout -- runtime/lua/wasm',
    bar, '',
  ].join('\n'));
}
// npm install itself succeeded; the problem is reported above and again when a script is loaded.
process.exit(0);
