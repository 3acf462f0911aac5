// Turns proxy events into output lines: a human log by default, or one JSON object per line (--events jsonl).
import type { ScriptError } from '../ns/types';
import type { LbEventMap, LbEventName, LbEventRecord } from '../proxy/events';

/** Records the CLI adds around the proxy's own events (same jsonl stream). */
export type CliRecord =
  /** The embedded backends: `kind` mosquitto | aedes (MQTT), rsyslog | sink (syslog, raw); `outputs`: the files they write what they receive to. */
  | { event: 'brokers'; time: string; kind: string; reason: string; versions: string[]; services: { id: string; address: string }[]; outputs?: string[] }
  | { event: 'ready'; time: string; listen: string; services: string[]; connect: string[]; /** The debug hook socket (attach argument `hook`); absent with --workers. */ debugHook?: string }
  | { event: 'stopped'; time: string; reason: string }
  /** `scriptError`: the script did not load (where, and why), so a client can place it without parsing `message`. */
  | { event: 'error'; time: string; message: string; scriptError?: ScriptError };

export type OutputRecord = LbEventRecord | CliRecord;

function quote(text: string | null): string {
  return text === null ? '-' : JSON.stringify(text);
}

/** One human line for a proxy event. */
export function humanLine<K extends LbEventName>(name: K, e: LbEventMap[K]): string {
  const p = e as LbEventMap[LbEventName] & Record<string, unknown>;
  switch (name) {
    case 'listening': {
      const x = p as LbEventMap['listening'];
      return `listening on ${x.host}:${x.port} running ${x.script}`;
    }
    case 'connection': {
      const x = p as LbEventMap['connection'];
      return `#${x.conn} connection from ${x.clientIp}:${x.clientPort}`;
    }
    case 'hold': {
      const x = p as LbEventMap['hold'];
      return `#${x.conn} hold: ${x.heldBytes} bytes wait for more`;
    }
    case 'decision': {
      const x = p as LbEventMap['decision'];
      return `#${x.conn} decision -> ${x.service ?? 'none'}${x.address ? ` (${x.address})` : ''} token ${quote(x.token)} session ${quote(x.session)} persistence ${x.persistence}: ${x.reason}`;
    }
    case 'send': {
      const x = p as LbEventMap['send'];
      return `#${x.conn} send ${x.bytes} bytes -> ${x.service}${x.eom ? ' (EOM: next send decides again)' : ''}`;
    }
    case 'reply': {
      const x = p as LbEventMap['reply'];
      return `#${x.conn} reply ${x.bytes} bytes -> client (ns.send to ctxt.client)`;
    }
    case 'pipe': {
      const x = p as LbEventMap['pipe'];
      return `#${x.conn} pipe -> ${x.service ?? '(next data decides)'}`;
    }
    case 'reset': {
      const x = p as LbEventMap['reset'];
      return `#${x.conn} RESET ${x.reason}: ${x.message}`;
    }
    case 'close': {
      const x = p as LbEventMap['close'];
      return `#${x.conn} closed: ${x.reason} (${x.bytesFromClient} B in, ${x.bytesToClient} B out, ${x.durationMs} ms)`;
    }
    case 'service-up':
    case 'service-down': {
      const x = p as LbEventMap['service-up'];
      return `service ${x.service} (${x.address}) ${name === 'service-up' ? 'UP' : 'DOWN'}: ${x.reason}`;
    }
    case 'script-reloaded': {
      const x = p as LbEventMap['script-reloaded'];
      return `script reloaded: ${x.file} (new connections use it; open ones keep theirs)`;
    }
    case 'log': {
      const x = p as LbEventMap['log'];
      return `${x.conn === null ? '' : `#${x.conn} `}[${x.level}] ${x.file}${x.line === null ? '' : `:${x.line}`}: ${x.message}`;
    }
    case 'script-rejected': {
      const x = p as LbEventMap['script-rejected'];
      return `script REJECTED, the previous one stays: ${x.error.message}`;
    }
  }
  return `${name} ${JSON.stringify(e)}`;
}

export function humanCliLine(r: CliRecord): string {
  switch (r.event) {
    case 'brokers':
      return `embedded ${r.kind === 'mosquitto' || r.kind === 'aedes' ? 'brokers' : 'services'}: ${r.services.length} x ${r.kind} (${r.services.map((s) => `${s.id} ${s.address}`).join(', ')}): ${r.reason}`;
    case 'ready':
      return [
        `ready: clients connect to ${r.listen}; services ${r.services.join(', ')}`,
        ...r.connect.map((c) => `  try: ${c}`),
        ...(r.debugHook ? [`  debug: attach (request "attach") takes the next connection through ${r.debugHook}`] : []),
      ].join('\n');
    case 'stopped':
      return `stopped: ${r.reason}`;
    case 'error':
      return `error: ${r.message}`;
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

/** A sink that writes every record in the chosen format. */
export class EventLog {
  constructor(
    private readonly format: 'human' | 'jsonl' | 'none',
    private readonly write: (line: string) => void,
    /** Human-format errors go here (stderr), so a terminal user sees them even when stdout is piped. */
    private readonly writeError: (line: string) => void = write,
  ) {}

  proxyEvent<K extends LbEventName>(name: K, e: LbEventMap[K]): void {
    if (this.format === 'none') return;
    if (this.format === 'jsonl') this.write(JSON.stringify({ event: name, time: new Date().toISOString(), ...e }));
    else this.write(`${clock()} ${humanLine(name, e)}`);
  }

  cli(record: CliRecord): void {
    if (this.format === 'jsonl') this.write(JSON.stringify(record));
    else (record.event === 'error' ? this.writeError : this.write)(`${clock()} ${humanCliLine(record)}`);
  }
}
