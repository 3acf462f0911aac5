// Test helper: runs a Lua chunk in a fresh (or given) sandboxed state and returns its first result as text, or the failure.
import { LuaEngine } from '../../../runtime/lua/luaEngine';
import type { LuaFailure, LuaState } from '../../../runtime/lua/luaState';
import { newSandboxedState } from '../../../runtime/lua/sandbox';
import { EXTENSION_SANDBOX } from '../../../runtime/ns/extensionSandbox';

export async function sandbox(memoryLimitBytes = 16 * 1024 * 1024): Promise<LuaState> {
  return newSandboxedState(await LuaEngine.shared(), memoryLimitBytes, EXTENSION_SANDBOX);
}

export type EvalResult = { ok: true; value: string } | { ok: false; failure: LuaFailure };

export function evalIn(state: LuaState, code: string, chunkName = '@test.lua'): EvalResult {
  const top = state.top();
  const loaded = state.load(new TextEncoder().encode(code), chunkName);
  const ran = loaded.ok ? state.call(0, 1) : loaded;
  if (!ran.ok) return { ok: false, failure: ran.failure };
  const value = state.toDisplayString(-1);
  state.setTop(top);
  return { ok: true, value };
}

export function value(result: EvalResult): string {
  if (!result.ok) throw new Error(`Lua failed: ${result.failure.message}`);
  return result.value;
}

export function failure(result: EvalResult): LuaFailure {
  if (result.ok) throw new Error(`Lua succeeded with ${result.value}, expected a failure`);
  return result.failure;
}
