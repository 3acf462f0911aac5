// The one place the CLI reaches the Lua engine: loads a script with the configured limits, as the proxy's ScriptLoader.
import { loadExtension } from '../ns/loadExtension';
import type { LogSettings } from '../ns/types';
import type { ScriptLoader } from '../proxy/lbProxy';

/** `log`: where ns.logger lines go (absent: nowhere, and nothing is formatted). */
export function scriptLoader(limits: { instructionBudget: number; memoryLimitBytes: number }, log?: LogSettings): ScriptLoader {
  return (source, file) => loadExtension(source, file, { limits: { instructionBudget: limits.instructionBudget, memoryLimitBytes: limits.memoryLimitBytes }, log });
}
