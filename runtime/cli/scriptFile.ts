// Loads the extension named on the command line for simulate/check, turning load failures into one `file:line: message` line.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { LuaEngineMissingError, ScriptLoadError, loadExtension } from '../ns/loadExtension';
import type { LoadedExtension } from '../ns/loadedExtension';
import type { LogSettings } from '../ns/types';
import { bundledExtensionPath } from './bundledExtension';

/** A failure the user must fix before the command can run (exit 2): bad flags, unreadable files, a script that does not load. */
export class CliUsageError extends Error {}

/** The path as the user would write it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

export interface LoadedScriptFile {
  script: LoadedExtension;
  /** The name used in script errors (`file:line: message`). */
  file: string;
}

/** `path` null means the bundled `sample` (examples/mqtt.lua unless a protocol names its own); `log` says where its ns.logger lines go. */
export async function loadScriptFile(path: string | null, cwd = process.cwd(), sample?: string, log?: LogSettings): Promise<LoadedScriptFile> {
  const abs = path === null ? bundledExtensionPath(undefined, sample) : resolve(cwd, path);
  const file = displayPath(abs, cwd);
  let source: string;
  try {
    source = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read the extension ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return { script: await loadExtension(source, file, { log }), file };
  } catch (err) {
    if (err instanceof ScriptLoadError) {
      const message = err.error.message.startsWith(`${file}:`) ? err.error.message : `${file}: ${err.error.message}`;
      throw new CliUsageError(`cannot load the extension: ${message}`);
    }
    if (err instanceof LuaEngineMissingError) throw new CliUsageError(`the Lua engine is missing: ${err.message}`);
    throw err;
  }
}
