// The Lua 5.2.4 engine: checks the committed build (default), or rebuilds it from Debian's source and compares (--from-source).
import { spawnSync } from 'node:child_process';
import { commitBuild, differingFrom, ENGINE_DIR, verifyCommitted } from './lib/luaEngineFiles.mjs';

const args = new Set(process.argv.slice(2));
const FIX = 'git checkout -- runtime/lua/wasm (or, on Debian: node scripts/build-lua-wasm.mjs --from-source --update)';

function fail(message) {
  console.error(`\nbuild-lua-wasm: THE LUA ENGINE IS NOT USABLE.\n${message}\n`);
  process.exit(1);
}

/** Default: nothing to build; the committed engine must be the one PROVENANCE.json records. */
function checkCommitted() {
  const problems = verifyCommitted();
  if (problems.length > 0) fail(`${problems.join('\n')}\nRestore it with: ${FIX}`);
  console.log(`build-lua-wasm: engine ok (${ENGINE_DIR}, sha256 as recorded in PROVENANCE.json)`);
}

/** The reproducibility check: Debian's lua5.2 source + Debian's emscripten must give the committed bytes. */
async function fromSource() {
  // Loaded only here: a contributor without Debian never needs the source build.
  const build = await import('./lib/luaSourceBuild.mjs');
  let out;
  try {
    out = build.buildFromSource();
  } catch (e) {
    if (!(e instanceof build.BuildError)) throw e;
    fail(`the build from source failed.\n${e.message}`);
  }
  if (args.has('--update')) {
    commitBuild(out.dir, {
      lua: build.LUA_VERSION,
      source: `Debian source package ${out.sourcePackage} (apt-get source ${build.DEB_SOURCE}, bookworm main; C sources are upstream's), plus runtime/lua/native/cappedAlloc.c (ours: Lua's allocator with the per-state cap)`,
      toolchain: `${out.emccVersion.trim()}, Debian package emscripten ${installedVersion('emscripten')}`,
      compileFlags: build.COMPILE_FLAGS,
      linkSettings: build.LINK_SETTINGS,
      inputsHash: out.inputsHash,
      rebuild: 'node scripts/build-lua-wasm.mjs --from-source (Debian; root once, for apt)',
    });
    console.log(`build-lua-wasm: committed engine replaced by the build from source; review and commit ${ENGINE_DIR}`);
    return;
  }
  const differing = differingFrom(out.dir);
  if (differing.length > 0) fail(`the build from source differs from the committed engine in ${differing.join(', ')} (built in ${out.dir}).\nIf the toolchain or flags changed on purpose: node scripts/build-lua-wasm.mjs --from-source --update, and commit.`);
  checkCommitted();
  console.log('build-lua-wasm: the build from source is byte-identical to the committed engine');
}

function installedVersion(pkg) {
  return spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).stdout.trim() || 'unknown';
}

if (args.has('--from-source')) await fromSource();
else checkCommitted();
