// The runtime configuration (protoext.json and the equivalent flags): its schema, validation with JSON-path messages, defaults.
import { DEFAULT_HEALTH, type HealthSettings } from '../lb/serviceHealth';
import { LB_METHODS, PERSISTENCE_TYPES, DEFAULT_PERSISTENCE_TIMEOUT_MINUTES, type LbMethod, type PersistenceType, type ServiceSpec } from '../lb/types';
import { LOG_LEVELS, type LogLevel } from '../ns/catalog';
import { DEFAULT_PROXY_LIMITS, type ProxyLimits } from '../proxy/limits';
import { DEFAULT_PROTOCOL, PROTOCOL_NAMES, PROTOCOLS, type ProtocolName } from '../protocols';
import { BACKEND_KINDS, type BackendKind } from './brokers/backendKinds';

/** `none`: no per-connection lines (the CLI's own records still print, human style): a production-like LB logs no connection. */
export type EventFormat = 'human' | 'jsonl' | 'none';

/** Everything `run` and `export` need, after defaults. */
export interface RunConfig {
  /** The protocol the LB serves: its defaults, embedded backends, corpus and exports follow it. */
  protocol: ProtocolName;
  /** Null: the protocol's bundled sample (examples/mqtt.lua, examples/syslog.lua). */
  extension: string | null;
  listen: { host: string; port: number };
  /** False when the listen address is the default (then a busy port falls back to an ephemeral one). */
  listenExplicit: boolean;
  services: ServiceSpec[];
  lbMethod: LbMethod;
  persistence: { type: PersistenceType; timeoutMinutes: number };
  healthCheck: HealthSettings;
  limits: ProxyLimits & { memoryLimitBytes: number };
  vserver: { name: string; params: Record<string, string> };
  lbVserverName: string;
  events: EventFormat;
  /** ns.logger lines from this level on (more severe ones too). */
  log: { level: LogLevel };
  /** `brokers`: how many embedded backends (brokers for MQTT, syslog servers for syslog); `kind` is checked against the protocol's. */
  embedded: { brokers: number; kind: BackendKind };
  /** Processes serving the listening socket (`--workers`); 1 runs the LB in this process. */
  workers: number;
}

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 1883 };
/** A development tool shows every ns.logger line unless told otherwise. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'debug';

export function defaultConfig(): RunConfig {
  return {
    protocol: DEFAULT_PROTOCOL,
    extension: null,
    listen: { ...DEFAULT_LISTEN },
    listenExplicit: false,
    services: [],
    lbMethod: 'USER_TOKEN',
    persistence: { type: 'USERSESSION', timeoutMinutes: DEFAULT_PERSISTENCE_TIMEOUT_MINUTES },
    healthCheck: { ...DEFAULT_HEALTH },
    limits: { ...DEFAULT_PROXY_LIMITS, memoryLimitBytes: 16 * 1024 * 1024 },
    vserver: { name: 'mqtt_vs', params: {} },
    lbVserverName: 'mqtt_lb',
    events: 'human',
    log: { level: DEFAULT_LOG_LEVEL },
    embedded: { brokers: 3, kind: 'auto' },
    workers: 1,
  };
}

export class ConfigError extends Error {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly expected: string,
    readonly got: unknown,
    /** Replaces the "expected X, got Y" sentence when that reads badly (unknown keys). */
    readonly problem?: string,
  ) {
    super(`${where}: ${path}: ${problem ?? `expected ${expected}, got ${JSON.stringify(got) ?? 'undefined'}`}`);
  }
}

/** Parses `HOST:PORT` (`[v6]:PORT` too); a bare port means 127.0.0.1. */
export function parseHostPort(text: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

type Json = unknown;

class Checker {
  constructor(private readonly where: string) {}

  fail(path: string, expected: string, got: Json, problem?: string): never {
    throw new ConfigError(this.where, path, expected, got, problem);
  }

  object(v: Json, path: string, keys: readonly string[]): Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    for (const k of Object.keys(v)) {
      if (!keys.includes(k)) {
        const known = `one of ${keys.join(', ')}`;
        this.fail(`${path}.${k}`, known, (v as Record<string, Json>)[k], `unknown key; expected ${known}`);
      }
    }
    return v as Record<string, Json>;
  }

  string(v: Json, path: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'a non-empty string', v);
    return v;
  }

  oneOf<T extends string>(v: Json, path: string, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !allowed.includes(v as T)) this.fail(path, `one of ${allowed.join(' | ')}`, v);
    return v as T;
  }

  number(v: Json, path: string, opts: { integer?: boolean; min?: number; max?: number; positive?: boolean }): number {
    const ok = typeof v === 'number' && Number.isFinite(v)
      && (!opts.integer || Number.isInteger(v))
      && (opts.min === undefined || v >= opts.min)
      && (opts.max === undefined || v <= opts.max)
      && (!opts.positive || v > 0);
    if (!ok) {
      const range = [opts.positive ? '> 0' : '', opts.min !== undefined ? `>= ${opts.min}` : '', opts.max !== undefined ? `<= ${opts.max}` : ''].filter(Boolean).join(', ');
      this.fail(path, `${opts.integer ? 'an integer' : 'a number'}${range ? ` (${range})` : ''}`, v);
    }
    return v as number;
  }

  hostPort(v: Json, path: string): { host: string; port: number } {
    const parsed = typeof v === 'string' ? parseHostPort(v) : null;
    if (!parsed) this.fail(path, '"HOST:PORT" (e.g. "127.0.0.1:1884")', v);
    return parsed;
  }
}

/**
 * Switches the protocol: every setting that still holds the old protocol's default takes the new one's (listen,
 * lbMethod, persistence type, vserver names), so what protoext.json or a flag set explicitly stays.
 */
function switchProtocol(config: RunConfig, to: ProtocolName): void {
  const from = PROTOCOLS[config.protocol].defaults;
  const next = PROTOCOLS[to].defaults;
  config.protocol = to;
  if (!config.listenExplicit && config.listen.host === from.listen.host && config.listen.port === from.listen.port) config.listen = { ...next.listen };
  if (config.lbMethod === from.lbMethod) config.lbMethod = next.lbMethod;
  if (config.persistence.type === from.persistence) config.persistence.type = next.persistence;
  if (config.vserver.name === from.vserverName) config.vserver.name = next.vserverName;
  if (config.lbVserverName === from.lbVserverName) config.lbVserverName = next.lbVserverName;
}

const TOP_KEYS = ['$schema', 'protocol', 'extension', 'listen', 'services', 'lbMethod', 'persistence', 'healthCheck', 'limits', 'vserver', 'lbVserverName', 'events', 'log', 'embedded', 'workers'] as const;
const LIMIT_KEYS = ['firstFlightTimeoutMs', 'maxHeldBytes', 'maxConnections', 'instructionBudget', 'memoryLimitBytes', 'connectTimeoutMs'] as const;
const HEALTH_KEYS = ['intervalMs', 'timeoutMs', 'fall', 'rise'] as const;

/**
 * Applies a parsed protoext.json onto `base`. `where` names the file in messages; `resolvePath` makes `extension`
 * relative to the config file.
 */
export function applyConfigFile(base: RunConfig, json: Json, where: string, resolvePath: (p: string) => string): RunConfig {
  const c: Checker = new Checker(where);
  const top = c.object(json, '$', TOP_KEYS);
  const out: RunConfig = structuredClone(base);
  // First: the protocol's defaults, then whatever this same file or flag set says explicitly.
  if (top.protocol !== undefined) switchProtocol(out, c.oneOf(top.protocol, '$.protocol', PROTOCOL_NAMES));
  if (top.extension !== undefined) out.extension = resolvePath(c.string(top.extension, '$.extension'));
  if (top.listen !== undefined) {
    out.listen = c.hostPort(top.listen, '$.listen');
    out.listenExplicit = true;
  }
  if (top.services !== undefined) {
    if (!Array.isArray(top.services)) c.fail('$.services', 'an array of "HOST:PORT" or {"name", "address"}', top.services);
    out.services = top.services.map((s: Json, i: number) => {
      const path = `$.services[${i}]`;
      if (typeof s === 'string') return { id: `svc${i + 1}`, ...c.hostPort(s, path) };
      const o = c.object(s, path, ['name', 'address']);
      return { id: o.name === undefined ? `svc${i + 1}` : c.string(o.name, `${path}.name`), ...c.hostPort(o.address, `${path}.address`) };
    });
    const ids = new Set<string>();
    out.services.forEach((s, i) => {
      if (ids.has(s.id)) c.fail(`$.services[${i}].name`, 'a name not used by another service', s.id);
      ids.add(s.id);
    });
  }
  if (top.lbMethod !== undefined) out.lbMethod = c.oneOf(top.lbMethod, '$.lbMethod', LB_METHODS);
  if (top.persistence !== undefined) {
    const p = c.object(top.persistence, '$.persistence', ['type', 'timeoutMinutes']);
    if (p.type !== undefined) out.persistence.type = c.oneOf(p.type, '$.persistence.type', PERSISTENCE_TYPES);
    if (p.timeoutMinutes !== undefined) out.persistence.timeoutMinutes = c.number(p.timeoutMinutes, '$.persistence.timeoutMinutes', { positive: true, max: 1440 });
  }
  if (top.healthCheck !== undefined) {
    const h = c.object(top.healthCheck, '$.healthCheck', HEALTH_KEYS);
    for (const k of HEALTH_KEYS) if (h[k] !== undefined) out.healthCheck[k] = c.number(h[k], `$.healthCheck.${k}`, { integer: true, min: 1 });
  }
  if (top.limits !== undefined) {
    const l = c.object(top.limits, '$.limits', LIMIT_KEYS);
    for (const k of LIMIT_KEYS) if (l[k] !== undefined) out.limits[k] = c.number(l[k], `$.limits.${k}`, { integer: true, min: 1 });
  }
  if (top.vserver !== undefined) {
    const v = c.object(top.vserver, '$.vserver', ['name', 'params']);
    if (v.name !== undefined) out.vserver.name = c.string(v.name, '$.vserver.name');
    if (v.params !== undefined) {
      const params = c.object(v.params, '$.vserver.params', Object.keys(v.params as object));
      out.vserver.params = {};
      for (const [k, val] of Object.entries(params)) {
        if (typeof val !== 'string') c.fail(`$.vserver.params.${k}`, 'a string (ADC -params values are strings)', val);
        out.vserver.params[k] = val;
      }
    }
  }
  if (top.lbVserverName !== undefined) out.lbVserverName = c.string(top.lbVserverName, '$.lbVserverName');
  if (top.events !== undefined) out.events = c.oneOf(top.events, '$.events', ['human', 'jsonl', 'none'] as const);
  if (top.log !== undefined) {
    const l = c.object(top.log, '$.log', ['level']);
    if (l.level !== undefined) out.log.level = c.oneOf(l.level, '$.log.level', LOG_LEVELS);
  }
  if (top.embedded !== undefined) {
    const e = c.object(top.embedded, '$.embedded', ['brokers', 'kind']);
    if (e.brokers !== undefined) out.embedded.brokers = c.number(e.brokers, '$.embedded.brokers', { integer: true, min: 1, max: 16 });
    if (e.kind !== undefined) out.embedded.kind = c.oneOf(e.kind, '$.embedded.kind', BACKEND_KINDS);
  }
  if (top.workers !== undefined) out.workers = c.number(top.workers, '$.workers', { integer: true, min: 1, max: 64 });
  const kinds = PROTOCOLS[out.protocol].defaults.backendKinds;
  if (!kinds.includes(out.embedded.kind)) c.fail('$.embedded.kind', `one of ${kinds.join(' | ')} (the ${out.protocol} backends)`, out.embedded.kind);
  return out;
}
