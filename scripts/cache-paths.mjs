// Where the project keeps what it provisions outside the clone (Lua WASM build, code-server, Node 24), so fresh clones and CI reuse it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot() {
  return process.env.PROTOEXT_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'protoext-studio');
}

/** The Lua build from Debian's source (--from-source) works here; the engine the project uses is committed in runtime/lua/wasm. */
export function luaWasmDir() {
  return join(cacheRoot(), 'lua-wasm');
}
