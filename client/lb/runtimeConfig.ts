// Turns the protoext.lb.* settings (or the workspace's protoext.json, which wins) into one validated runtime config; no `vscode` import.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { applyConfigFile, defaultConfig, type RunConfig } from '../../runtime/cli/config';

/** The settings as VS Code returns them (section `protoext.lb`). */
export interface LbSettings {
  listen: string;
  services: readonly (string | { name?: string; address: string })[];
  lbMethod: string;
  persistenceType: string;
  persistenceTimeoutMinutes: number;
  limits: Readonly<Record<string, number>>;
  /** The .lua the LB runs; empty: `mqtt.lua` at the workspace root when present, else the bundled sample. */
  script: string;
  embeddedBrokerKind: string;
  embeddedBrokers: number;
  /** protoext.log.level: the ns.logger threshold; empty or absent: the runtime's default. */
  logLevel?: string;
}

export const WORKSPACE_CONFIG_FILE = 'protoext.json';
export const DEFAULT_WORKSPACE_SCRIPT = 'mqtt.lua';

export interface ResolvedRuntimeConfig {
  /** Where the configuration came from, as the log says it. */
  source: 'protoext.json' | 'settings';
  /** protoext.json when it is the source. */
  configFile: string | null;
  /** The protoext.json-shaped object the CLI gets (through --config). */
  json: Record<string, unknown>;
  /** The validated result, defaults applied; `extension` null means the bundled sample. */
  config: RunConfig;
}

/** The protoext.json-shaped object for the settings; relative script paths are made absolute against the workspace. */
export function settingsToConfigJson(s: LbSettings, workspaceRoot: string | null): Record<string, unknown> {
  const json: Record<string, unknown> = {
    listen: s.listen,
    lbMethod: s.lbMethod,
    persistence: { type: s.persistenceType, timeoutMinutes: s.persistenceTimeoutMinutes },
    embedded: { kind: s.embeddedBrokerKind, brokers: s.embeddedBrokers },
  };
  if (s.services.length > 0) json.services = s.services;
  if (Object.keys(s.limits).length > 0) json.limits = { ...s.limits };
  if (s.logLevel) json.log = { level: s.logLevel };
  const script = s.script.trim();
  if (script) json.extension = isAbsolute(script) || !workspaceRoot ? script : join(workspaceRoot, script);
  else if (workspaceRoot && existsSync(join(workspaceRoot, DEFAULT_WORKSPACE_SCRIPT))) json.extension = join(workspaceRoot, DEFAULT_WORKSPACE_SCRIPT);
  return json;
}

/**
 * Validates with the CLI's own validator (runtime/cli/config.ts), so a bad setting reads exactly like a bad
 * protoext.json key: `where: $.path: expected X, got Y`. Throws ConfigError (or a JSON syntax error).
 */
export function resolveRuntimeConfig(settings: LbSettings, workspaceRoot: string | null): ResolvedRuntimeConfig {
  const file = workspaceRoot ? join(workspaceRoot, WORKSPACE_CONFIG_FILE) : null;
  if (file && existsSync(file)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const config = applyConfigFile(defaultConfig(), json, file, (p) => resolve(dirname(file), p));
    return { source: 'protoext.json', configFile: file, json: json as Record<string, unknown>, config };
  }
  const json = settingsToConfigJson(settings, workspaceRoot);
  const config = applyConfigFile(defaultConfig(), json, 'settings (protoext.lb.*)', (p) => resolve(workspaceRoot ?? process.cwd(), p));
  return { source: 'settings', configFile: null, json, config };
}

/** The script file the runtime runs (absolute), or null for the bundled sample. */
export function scriptOf(resolved: ResolvedRuntimeConfig): string | null {
  return resolved.config.extension;
}
