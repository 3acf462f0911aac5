// Turns a failed Lua load or call into the ScriptError of the engine contract, positioned in the user's file.
import type { ScriptError } from './types';
import { LUA_ERRMEM, LUA_ERRSYNTAX } from '../lua/luaConstants';
import type { LuaFailure } from '../lua/luaState';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Chunks of the runtime itself (sandbox, ns prelude): their frames are noise to the script's author. */
const RUNTIME_CHUNK = /^\s*protoext-[\w-]+:\d+:/;

/**
 * Lua positions errors with the chunk's short name (`mqtt.lua:12:`); the contract wants the file as
 * the host knows it, so the prefix is rewritten in the message and in every traceback line. An error
 * positioned inside the runtime (a script's tail call hid its own frame) is re-positioned at the
 * script's innermost frame in the traceback, if any.
 */
export function toScriptError(failure: LuaFailure, file: string, shortSrc: string): ScriptError {
  const prefix = new RegExp(`(^|\\n\\s*)${escape(shortSrc)}:`, 'g');
  const traceback = failure.traceback
    .replace(prefix, `$1${file}:`)
    .split('\n')
    .filter((line) => !RUNTIME_CHUNK.test(line))
    .join('\n');
  let message = failure.message.replace(prefix, `$1${file}:`);
  if (RUNTIME_CHUNK.test(message)) {
    const frame = new RegExp(`^\\s*${escape(file)}:(\\d+):`, 'm').exec(traceback);
    message = message.replace(/^\s*protoext-[\w-]+:\d+:\s*/, frame ? `${file}:${frame[1]}: ` : '');
  }
  const at = new RegExp(`^${escape(file)}:(\\d+):`).exec(message);
  return { kind: kindOf(failure), message, file, line: at ? Number(at[1]) : null, traceback };
}

function kindOf(f: LuaFailure): ScriptError['kind'] {
  if (f.status === LUA_ERRSYNTAX) return 'syntax';
  if (f.budgetExhausted) return 'budget';
  if (f.status === LUA_ERRMEM || (f.memoryRefused && f.message.includes('not enough memory'))) return 'memory';
  if (f.apiMisuse) return 'api';
  return 'runtime';
}
