// Where the project keeps what it provisions outside the clone (Lua source build, code-server, Node 24), per OS convention, so fresh clones and CI reuse it.
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

const current = () => ({ platform: process.platform, env: process.env, home: homedir() });

/** PROTOEXT_CACHE, else LOCALAPPDATA on Windows, ~/Library/Caches on macOS, XDG_CACHE_HOME or ~/.cache elsewhere. */
export function cacheRoot({ platform, env, home } = current()) {
  if (env.PROTOEXT_CACHE) return env.PROTOEXT_CACHE;
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'protoext-studio', 'Cache');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', 'protoext-studio');
  return posix.join(env.XDG_CACHE_HOME || posix.join(home, '.cache'), 'protoext-studio');
}

/** The Lua build from Debian's source (--from-source) works here; the engine the project uses is committed in runtime/lua/wasm. */
export function luaWasmDir() {
  return join(cacheRoot(), 'lua-wasm');
}
