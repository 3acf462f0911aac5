// Builds genuine Lua 5.2.4 (Debian's source package) to WASM with Debian's emscripten, into the cache folder outside the clone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ENGINE_FILES } from './luaEngineFiles.mjs';
import { fileURLToPath } from 'node:url';
import { luaWasmDir } from '../cache-paths.mjs';

export const LUA_VERSION = '5.2.4';
export const DEB_SOURCE = 'lua5.2';
const DEB_SRC_FILE = '/etc/apt/sources.list.d/protoext-deb-src.sources';
const DEB_SRC_ENTRY = 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n';

/** Debian's `make linux` defines minus dlopen/readline: emscripten's dlopen aborts the instance. */
const DEFINES = ['-DLUA_COMPAT_ALL', '-DLUA_USE_POSIX', '-DLUA_USE_STRTODHEX', '-DLUA_USE_AFORMAT', '-DLUA_USE_LONGLONG'];
export const COMPILE_FLAGS = ['-O2', '-std=gnu99', ...DEFINES];
export const LINK_SETTINGS = [
  '-sMODULARIZE', '-sEXPORT_NAME=createLua52', '-sENVIRONMENT=node', '-sALLOW_MEMORY_GROWTH', '-sALLOW_TABLE_GROWTH',
  '-sNODEJS_CATCH_EXIT=0', '-sNODEJS_CATCH_REJECTION=0', '-sINITIAL_MEMORY=16777216',
  '-sEXPORTED_RUNTIME_METHODS=addFunction,removeFunction,HEAPU8,HEAP32,HEAPU32,HEAPF64,allocateUTF8,UTF8ToString',
];
/** Our C beside Lua's: the capped allocator (why it is C: see the file). Its functions are exported with Lua's. */
export const OWN_SOURCES = [resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runtime', 'lua', 'native', 'cappedAlloc.c')];
const OWN_EXPORTS = ['_protoext_newstate'];
/** The standalone interpreter and compiler are not part of the library. */
const NOT_LIBRARY = new Set(['lua.c', 'luac.c']);

const outDir = luaWasmDir();
const srcRoot = join(outDir, 'source');
const outputs = ENGINE_FILES.map((f) => join(outDir, f));
const stampFile = join(outDir, 'build.stamp');

export class BuildError extends Error {}

function log(msg) {
  console.log(`build-lua-wasm: ${msg}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.error) throw new BuildError(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new BuildError(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n')}`);
  return r.stdout;
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

function needRoot(what) {
  if (!isRoot()) {
    throw new BuildError(`${what} is missing and only root can install it. Run this script as root once, or by hand: add a deb-src line for bookworm main, sudo apt-get install -y emscripten dpkg-dev, then apt-get source ${DEB_SOURCE} inside ${srcRoot}.`);
  }
}

function aptUpdate() {
  log('apt-get update');
  try {
    sh('apt-get', ['update'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (e) {
    throw new BuildError(`apt-get update failed; is the Debian mirror reachable?\n${e.message}`);
  }
}

function hasDebSrc() {
  const files = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').map((f) => join('/etc/apt/sources.list.d', f)) : [])];
  return files.some((f) => existsSync(f) && /^\s*(deb-src\s|Types:.*deb-src)/m.test(readFileSync(f, 'utf8')));
}

function sourceDir() {
  if (!existsSync(srcRoot)) return null;
  const dir = readdirSync(srcRoot).find((d) => d.startsWith(`lua5.2-${LUA_VERSION}`));
  return dir && existsSync(join(srcRoot, dir, 'src', 'lapi.c')) ? join(srcRoot, dir, 'src') : null;
}

/** Debian's source package: upstream C sources, Debian patches touch only Makefiles and paths. */
function fetchSource() {
  let dir = sourceDir();
  if (dir) return dir;
  // apt-get source itself needs no root; adding the deb-src entry and dpkg-dev does.
  if (!which('dpkg-source')) {
    needRoot(`dpkg-dev (for apt-get source, to fetch the Lua ${LUA_VERSION} source into ${srcRoot})`);
    aptUpdate();
    sh('apt-get', ['install', '-y', 'dpkg-dev'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!hasDebSrc()) {
    needRoot(`A deb-src entry for bookworm main (to fetch the Lua ${LUA_VERSION} source into ${srcRoot})`);
    log(`adding a deb-src entry for bookworm main (${DEB_SRC_FILE})`);
    writeFileSync(DEB_SRC_FILE, DEB_SRC_ENTRY);
    aptUpdate();
  }
  mkdirSync(srcRoot, { recursive: true });
  log(`apt-get source ${DEB_SOURCE} into ${srcRoot}`);
  try {
    sh('apt-get', ['source', DEB_SOURCE], { cwd: srcRoot });
  } catch (e) {
    aptUpdate();
    try {
      sh('apt-get', ['source', DEB_SOURCE], { cwd: srcRoot });
    } catch {
      throw new BuildError(`apt-get source ${DEB_SOURCE} failed; is deb.debian.org reachable?\n${e.message}`);
    }
  }
  dir = sourceDir();
  if (!dir) throw new BuildError(`apt-get source ran but no lua5.2-${LUA_VERSION}/src/lapi.c appeared under ${srcRoot}`);
  return dir;
}

function ensureEmcc() {
  if (which('emcc')) return;
  needRoot('emscripten (emcc)');
  aptUpdate();
  log('apt-get install -y emscripten (2-5 minutes and ~1.5 GB on a fresh machine)');
  sh('apt-get', ['install', '-y', '--no-install-recommends', 'emscripten'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!which('emcc')) throw new BuildError('emscripten was installed but emcc is not on PATH');
}

/** emcc 3.1.6 needs Debian's acorn when the node running it is not Debian's. */
function emccEnv() {
  const nodePath = [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':');
  return { ...process.env, NODE_PATH: nodePath };
}

/** Every public C function of the library, read from its headers, so the JS side can bind any of them. */
function exportedFunctions(src) {
  const names = new Set(['_malloc', '_free', '_realloc', ...OWN_EXPORTS]);
  for (const h of ['lua.h', 'lauxlib.h', 'lualib.h']) {
    const text = readFileSync(join(src, h), 'utf8');
    for (const m of text.matchAll(/^(?:LUA_API|LUALIB_API|LUAMOD_API)[^;]*?\(\s*(lua_\w+|luaL_\w+|luaopen_\w+)\s*\)\s*\(/gm)) names.add(`_${m[1]}`);
  }
  return [...names].sort();
}

function inputsHash(src, files, exported, emccVersion) {
  const h = createHash('sha256');
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(JSON.stringify({ COMPILE_FLAGS, LINK_SETTINGS, exported, emccVersion }));
  for (const f of [...files, 'luaconf.h', 'lua.h', 'lauxlib.h', 'lualib.h']) h.update(f).update(readFileSync(join(src, f)));
  for (const f of OWN_SOURCES) h.update(basename(f)).update(readFileSync(f));
  return h.digest('hex');
}

/** Builds into the cache (a no-op when its inputs are unchanged); returns where the outputs are and what made them. */
export function buildFromSource() {
  const src = fetchSource();
  ensureEmcc();
  const env = emccEnv();
  const emccVersion = sh('emcc', ['--version'], { env }).split('\n')[0];
  const files = readdirSync(src).filter((f) => f.endsWith('.c') && !NOT_LIBRARY.has(f)).sort();
  const exported = exportedFunctions(src);
  const hash = inputsHash(src, files, exported, emccVersion);
  if (outputs.every(existsSync) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) {
    log(`up to date (${outDir})`);
    return { dir: outDir, emccVersion, inputsHash: hash, sourcePackage: sourcePackage() };
  }
  // Debian's luaconf.h includes its multiarch header; one for wasm32 keeps upstream paths.
  const shim = join(outDir, 'include');
  mkdirSync(shim, { recursive: true });
  writeFileSync(join(shim, 'lua5.2-deb-multiarch.h'), '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "wasm32-unknown-emscripten"\n#endif\n');
  const tmp = join(outDir, 'tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`compiling ${files.length} Lua ${LUA_VERSION} sources and ${OWN_SOURCES.map((f) => basename(f)).join(', ')} with ${emccVersion}`);
  const started = Date.now();
  sh('emcc', [
    ...COMPILE_FLAGS, `-I${shim}`, `-I${src}`, ...files.map((f) => join(src, f)), ...OWN_SOURCES,
    ...LINK_SETTINGS, `-sEXPORTED_FUNCTIONS=${exported.join(',')}`, '-o', join(tmp, 'lua52.js'),
  ], { env, cwd: tmp });
  for (const f of outputs) renameSync(join(tmp, f.slice(outDir.length + 1)), f);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(stampFile, `${hash}\n`);
  log(`built ${outputs.join(' + ')} in ${((Date.now() - started) / 1000).toFixed(1)} s (${exported.length} C functions exported)`);
  return { dir: outDir, emccVersion, inputsHash: hash, sourcePackage: sourcePackage() };
}

/** "lua5.2 5.2.4-3", from the .dsc apt-get source left beside the unpacked tree. */
function sourcePackage() {
  const dsc = readdirSync(srcRoot).find((f) => f.startsWith(`${DEB_SOURCE}_`) && f.endsWith('.dsc'));
  return dsc ? dsc.slice(0, -'.dsc'.length).replace('_', ' ') : `${DEB_SOURCE} (version unknown)`;
}
