// Where the project keeps what it provisions outside the clone (Lua WASM build, code-server, Node 24), so fresh clones and CI reuse it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot() {
  return process.env.PROTOEXT_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'protoext-studio');
}

/** The built lua52.js + lua52.wasm live here; dist/ gets a copy at build time. */
export function luaWasmDir() {
  return join(cacheRoot(), 'lua-wasm');
}
