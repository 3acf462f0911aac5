// The one place the CLI reaches the Lua engine: loads a script with the configured limits, as the proxy's ScriptLoader.
import { loadExtension } from '../ns/loadExtension';
import type { ScriptLoader } from '../proxy/lbProxy';

export function scriptLoader(limits: { instructionBudget: number; memoryLimitBytes: number }): ScriptLoader {
  return (source, file) => loadExtension(source, file, { limits: { instructionBudget: limits.instructionBudget, memoryLimitBytes: limits.memoryLimitBytes } });
}
