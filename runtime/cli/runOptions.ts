// Command-line flags of `run` and `export`, merged over protoext.json (flags win) into one validated RunConfig.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, applyConfigFile, defaultConfig, type RunConfig } from './config';

export const RUN_FLAGS = {
  config: { type: 'string' },
  protocol: { type: 'string' },
  extension: { type: 'string' },
  listen: { type: 'string' },
  service: { type: 'string', multiple: true },
  'lb-method': { type: 'string' },
  persistence: { type: 'string' },
  'persistence-timeout': { type: 'string' },
  events: { type: 'string' },
  'log-level': { type: 'string' },
  'first-flight-timeout': { type: 'string' },
  'max-held-bytes': { type: 'string' },
  'max-connections': { type: 'string' },
  'instruction-budget': { type: 'string' },
  'health-interval': { type: 'string' },
  brokers: { type: 'string' },
  'broker-kind': { type: 'string' },
  workers: { type: 'string' },
  netscaler: { type: 'boolean' },
  haproxy: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const RUN_USAGE = `protoext-lb run [--config protoext.json] [--protocol mqtt|syslog|raw] [--extension F] [--listen HOST:PORT]
    [--service [NAME=]HOST:PORT]... [--lb-method USER_TOKEN|ROUNDROBIN|LEASTCONNECTION]
    [--persistence USERSESSION|NONE] [--persistence-timeout MINUTES] [--events human|jsonl|none]
    [--log-level emergency|alert|critical|error|warning|notice|info|debug]
    [--first-flight-timeout MS] [--max-held-bytes N] [--max-connections N] [--instruction-budget N]
    [--health-interval MS] [--brokers N] [--broker-kind KIND] [--workers N]
  --protocol (or "protocol" in protoext.json; default mqtt): the sample, listen port, lb method, persistence, vserver
  names, embedded backends and exports follow it (mqtt: USER_TOKEN + USERSESSION on 127.0.0.1:1883; syslog:
  ROUNDROBIN per message on 127.0.0.1:1514; raw: ROUNDROBIN on 127.0.0.1:7000); what you set explicitly stays.
  With no service, starts embedded backends: MQTT brokers (mosquitto when installed, else aedes), syslog servers
  (rsyslog when installed, else in-process sinks), raw sinks; --broker-kind auto|mosquitto|aedes|rsyslog|sink.
  --workers N: N processes share the listening socket; every ClientID still maps to one service (hashing + replicated persistence).
protoext-lb export --netscaler|--haproxy [same flags or --config]`;

/** Which flag sets which config path, so a bad flag value is reported by its flag name. */
const FLAG_OF_PATH: Record<string, string> = {
  '$.protocol': '--protocol',
  '$.extension': '--extension',
  '$.listen': '--listen',
  '$.lbMethod': '--lb-method',
  '$.persistence.type': '--persistence',
  '$.persistence.timeoutMinutes': '--persistence-timeout',
  '$.events': '--events',
  '$.log.level': '--log-level',
  '$.limits.firstFlightTimeoutMs': '--first-flight-timeout',
  '$.limits.maxHeldBytes': '--max-held-bytes',
  '$.limits.maxConnections': '--max-connections',
  '$.limits.instructionBudget': '--instruction-budget',
  '$.healthCheck.intervalMs': '--health-interval',
  '$.embedded.brokers': '--brokers',
  '$.embedded.kind': '--broker-kind',
  '$.workers': '--workers',
};

export interface ParsedRun {
  config: RunConfig;
  exportTarget: 'netscaler' | 'haproxy' | null;
  help: boolean;
}

/** Numbers on the command line stay numbers for the validator; anything else stays text and fails there. */
function num(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

export function parseRunArgs(argv: readonly string[], cwd = process.cwd()): ParsedRun {
  const { values } = parseArgs({ args: [...argv], options: RUN_FLAGS, strict: true, allowPositionals: false });
  let config = defaultConfig();
  if (values.config) {
    const file = resolve(cwd, values.config);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    config = applyConfigFile(config, json, file, (p) => resolve(dirname(file), p));
  }
  const flagJson: Record<string, unknown> = {};
  const set = (path: string[], value: unknown) => {
    if (value === undefined) return;
    let node = flagJson;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
  };
  set(['protocol'], values.protocol);
  set(['extension'], values.extension);
  set(['listen'], values.listen);
  set(['lbMethod'], values['lb-method']);
  set(['persistence', 'type'], values.persistence);
  set(['persistence', 'timeoutMinutes'], num(values['persistence-timeout']));
  set(['events'], values.events);
  set(['log', 'level'], values['log-level']);
  set(['limits', 'firstFlightTimeoutMs'], num(values['first-flight-timeout']));
  set(['limits', 'maxHeldBytes'], num(values['max-held-bytes']));
  set(['limits', 'maxConnections'], num(values['max-connections']));
  set(['limits', 'instructionBudget'], num(values['instruction-budget']));
  set(['healthCheck', 'intervalMs'], num(values['health-interval']));
  set(['embedded', 'brokers'], num(values.brokers));
  set(['embedded', 'kind'], values['broker-kind']);
  set(['workers'], num(values.workers));
  if (values.service) {
    set(['services'], values.service.map((s, i) => {
      const eq = s.indexOf('=');
      return eq > 0 ? { name: s.slice(0, eq), address: s.slice(eq + 1) } : { name: `svc${i + 1}`, address: s };
    }));
  }
  try {
    config = applyConfigFile(config, flagJson, 'command line', (p) => resolve(cwd, p));
  } catch (err) {
    if (err instanceof ConfigError) {
      const flag = FLAG_OF_PATH[err.path] ?? (err.path.startsWith('$.services') ? '--service' : err.path);
      throw new Error(`command line: ${flag}: ${err.problem ?? `expected ${err.expected}, got ${JSON.stringify(err.got)}`}`);
    }
    throw err;
  }
  if (values.netscaler && values.haproxy) throw new Error('command line: choose one of --netscaler or --haproxy');
  return {
    config,
    exportTarget: values.netscaler ? 'netscaler' : values.haproxy ? 'haproxy' : null,
    help: values.help ?? false,
  };
}
