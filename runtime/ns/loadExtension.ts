// The entry point for everyone who runs a protocol extension (proxy, simulate, check, debugger): load a script into its own sandboxed Lua 5.2 state.
import { LuaEngine } from '../lua/luaEngine';

import { LoadedExtension } from './loadedExtension';
import { DEFAULT_LIMITS, type EngineLimits, type LogSettings } from './types';

export { ScriptLoadError } from './scriptLoadError';
export { LoadedExtension } from './loadedExtension';
export { LuaEngineMissingError } from '../lua/luaModule';

export interface LoadOptions {
  limits?: Partial<EngineLimits>;
  /**
   * Called once the sandbox and the ns prelude are in, before the script's main chunk runs: a debugger
   * installs its hook here (LoadedExtension.state.setDebugHook) to stop at top-level lines. Nobody else needs it.
   */
  beforeMainChunk?: (ext: LoadedExtension) => void;
  /** Where ns.logger lines go, from which level on; without it ns.logger calls do nothing (nothing is formatted). */
  log?: LogSettings;
}

/**
 * Compiles `source` (named `file` in errors) and runs its main chunk in a fresh state. Throws
 * ScriptLoadError (`.error.kind` 'syntax' with file:line, or what the main chunk raised), or
 * LuaEngineMissingError when lua52.wasm has not been built.
 */
export async function loadExtension(source: string, file: string, options: LoadOptions = {}): Promise<LoadedExtension> {
  const engine = await LuaEngine.shared();
  const limits: EngineLimits = {
    instructionBudget: options.limits?.instructionBudget ?? DEFAULT_LIMITS.instructionBudget,
    memoryLimitBytes: options.limits?.memoryLimitBytes ?? DEFAULT_LIMITS.memoryLimitBytes,
  };
  return LoadedExtension.create(engine, source, file, limits, options.beforeMainChunk, options.log);
}
