// The local LB: a user vserver on loopback running the extension per connection, an lb vserver behind it, health checks, hot reload, stats.
import * as net from 'node:net';
import { Balancer, type ServiceSnapshot } from '../lb/balancer';
import { DEFAULT_HEALTH, type HealthSettings } from '../lb/serviceHealth';
import type { Clock, Decision, LbMethod, PersistenceEntry, PersistenceType, ServiceSpec } from '../lb/types';
import type { ConnectionInfo, ExtensionScript, ScriptError } from '../ns/types';
import { ClientSession } from './clientSession';
import type { SessionHost } from './sessionHost';
import { TypedEmitter, type LbEventMap } from './events';
import { HealthChecker } from './healthChecker';
import { DEFAULT_PROXY_LIMITS, type ProxyLimits } from './limits';
import { DeadlineQueue } from './deadlineQueue';
import type { DebuggerClaim } from '../ns/scriptTakeover';
import type { TcpConnection } from './tcpConnection';
import { tcpTransport, type TcpTransport, type TransportName } from './tcpTransport';
import { SocketConnectionInfo } from './socketConnectionInfo';

/** Compiles a script (the engine's loadExtension, with the proxy's limits); throws with `.error: ScriptError` on failure. */
export type ScriptLoader = (source: string, file: string) => Promise<ExtensionScript>;

export interface LbProxyOptions {
  listenHost?: string;
  listenPort?: number;
  services: readonly ServiceSpec[];
  method: LbMethod;
  persistence: PersistenceType;
  persistenceTimeoutMinutes?: number;
  health?: Partial<HealthSettings>;
  /** False: only passive failures mark services down (tests that want no background probes). */
  activeHealthChecks?: boolean;
  limits?: Partial<ProxyLimits>;
  script: ExtensionScript;
  loader: ScriptLoader;
  vserver?: { name: string; params: Readonly<Record<string, string>> };
  clock?: Clock;
  /**
   * Called when a decision creates or re-points a persistence entry (`session`: the exact bytes as latin1), so sibling
   * worker processes can apply it with `applyPersistence` and every process keeps one service per session.
   */
  onPersistenceBound?: (session: string, service: string) => void;
  /** How connections are carried (tcpTransport.ts): libuv handles where available, else net.Socket. */
  transport?: TransportName;
}

export interface LbStats {
  listening: { host: string; port: number } | null;
  script: { file: string; loadedAt: string; reloads: number };
  method: LbMethod;
  connections: { active: number; piped: number; total: number };
  services: ServiceSnapshot[];
  persistence: { type: PersistenceType; timeoutMinutes: number; entries: PersistenceEntry[] };
  recentDecisions: Decision[];
}

const RECENT_DECISIONS = 50;

/** Expired persistence entries are dropped at least this often: unique ClientIDs must not grow the table forever. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

function asScriptError(err: unknown, file: string): ScriptError {
  const carried = (err as { error?: ScriptError } | null)?.error;
  if (carried && typeof carried.message === 'string') return carried;
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'syntax', message, file, line: null, traceback: '' };
}

export class LbProxy extends TypedEmitter<LbEventMap> {
  readonly balancer: Balancer;
  readonly limits: ProxyLimits;
  private readonly server: net.Server;
  readonly transport: TcpTransport;
  /** Each open session and the script it runs (a reload leaves open sessions on their script). */
  private readonly sessions = new Map<ClientSession, ExtensionScript>();
  /** One host for every session: no closures per connection. */
  private readonly host: SessionHost;
  private readonly scriptUsers = new Map<ExtensionScript, number>();
  private script: ExtensionScript;
  private scriptLoadedAt = new Date();
  private reloads = 0;
  private nextConnId = 1;
  private totalConnections = 0;
  private readonly decisions: Decision[] = [];
  /** What ctxt.vserver shows, the same object for every connection. */
  private readonly vserver: ConnectionInfo['vserver'];
  private readonly checker: HealthChecker | null;
  private address: { host: string; port: number } | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Set by the debug hook (runtime/debug/attachHook.ts): gives one new connection's script phase to an attached debugger. */
  claimForDebugger: DebuggerClaim | null = null;

  constructor(private readonly options: LbProxyOptions) {
    super();
    this.limits = { ...DEFAULT_PROXY_LIMITS, ...options.limits };
    const health = { ...DEFAULT_HEALTH, ...options.health };
    this.balancer = new Balancer({
      services: options.services,
      method: options.method,
      persistence: options.persistence,
      persistenceTimeoutMinutes: options.persistenceTimeoutMinutes,
      health,
      clock: options.clock,
    });
    this.script = options.script;
    this.vserver = options.vserver ?? { name: 'mqtt_vs', params: {} };
    this.scriptUsers.set(this.script, 0);
    this.transport = tcpTransport(options.transport);
    this.host = {
      balancer: this.balancer,
      limits: this.limits,
      transport: this.transport,
      firstFlightDeadlines: new DeadlineQueue(),
      connectDeadlines: new DeadlineQueue(),
      emit: (name, payload) => this.emit(name, payload),
      listens: (name) => this.listens(name),
      serviceFailed: (id, reason) => {
        const change = this.balancer.markDown(id, reason);
        if (change) this.emitServiceChange(id, change, reason);
      },
      decided: (d, key) => {
        if (key && (d.persistence === 'new' || d.persistence === 'rebound') && d.service !== null) this.options.onPersistenceBound?.(key, d.service);
        this.decisions.push(d);
        if (this.decisions.length > RECENT_DECISIONS) this.decisions.shift();
      },
      sessionClosed: (s) => {
        const script = this.sessions.get(s);
        this.sessions.delete(s);
        if (!script) return;
        this.scriptUsers.set(script, (this.scriptUsers.get(script) ?? 1) - 1);
        this.releaseIfUnused(script);
      },
    };
    this.server = this.transport.createServer((conn) => this.accept(conn));
    this.checker = options.activeHealthChecks === false ? null : new HealthChecker(options.services, health, (s, ok, reason) => {
      const change = this.balancer.recordCheck(s.id, ok, reason);
      if (change) this.emitServiceChange(s.id, change, reason);
    });
  }

  /** Listens (on `port` when given, else the configured port, else an ephemeral one); rejects on EADDRINUSE and the like. */
  async start(port?: number): Promise<{ host: string; port: number }> {
    const host = this.options.listenHost ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port ?? this.options.listenPort ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as net.AddressInfo;
    this.address = { host: addr.address, port: addr.port };
    this.checker?.start();
    const sweepEvery = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(1000, this.balancer.persistence.timeout / 2));
    this.sweepTimer = setInterval(() => this.balancer.persistence.sweep(), sweepEvery).unref();
    this.emit('listening', { ...this.address, script: this.script.file });
    return this.address;
  }

  /** Stops listening, closes every client and service connection, releases the scripts. */
  async stop(): Promise<void> {
    this.checker?.stop();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sessions.keys()) s.reset('stopping', 'load balancer stopping');
    await closed;
    for (const script of this.scriptUsers.keys()) script.dispose();
    this.scriptUsers.clear();
    this.host.firstFlightDeadlines.stop();
    this.host.connectDeadlines.stop();
  }

  /** New connections get the new script; open ones keep theirs. A script that fails to load is rejected and the old one stays. */
  async reload(source: string, file: string): Promise<{ ok: true } | { ok: false; error: ScriptError }> {
    let next: ExtensionScript;
    try {
      next = await this.options.loader(source, file);
    } catch (err) {
      const error = asScriptError(err, file);
      this.emit('script-rejected', { file, error });
      return { ok: false, error };
    }
    const previous = this.script;
    this.script = next;
    this.scriptUsers.set(next, 0);
    this.scriptLoadedAt = new Date();
    this.reloads++;
    this.releaseIfUnused(previous);
    this.emit('script-reloaded', { file });
    return { ok: true };
  }

  /** A binding made by a sibling process (see `onPersistenceBound`); unknown services are ignored. */
  applyPersistence(session: string, service: string): void {
    if (this.balancer.services().some((s) => s.id === service)) this.balancer.persistence.bind(session, service);
  }

  /** A sibling process saw the service fail: stop sending new decisions there until a health check brings it back. */
  applyServiceDown(service: string, reason: string): void {
    if (!this.balancer.services().some((s) => s.id === service)) return;
    const change = this.balancer.markDown(service, reason);
    if (change) this.emitServiceChange(service, change, reason);
  }

  get scriptFile(): string {
    return this.script.file;
  }

  stats(): LbStats {
    return {
      listening: this.address,
      script: { file: this.script.file, loadedAt: this.scriptLoadedAt.toISOString(), reloads: this.reloads },
      method: this.balancer.method,
      connections: {
        active: this.sessions.size,
        piped: [...this.sessions.keys()].filter((s) => s.piped).length,
        total: this.totalConnections,
      },
      services: this.balancer.services(),
      persistence: {
        type: this.balancer.persistenceType,
        timeoutMinutes: this.balancer.persistence.timeout / 60_000,
        entries: this.balancer.persistenceEntries(),
      },
      recentDecisions: [...this.decisions],
    };
  }

  private accept(socket: TcpConnection): void {
    const conn = this.nextConnId++;
    this.totalConnections++;
    if (this.listens('connection')) this.emit('connection', { conn, clientIp: socket.remoteAddress, clientPort: socket.remotePort, script: this.script.file });
    if (this.sessions.size >= this.limits.maxConnections) {
      const message = `maximum connections (${this.limits.maxConnections}) reached`;
      this.emit('reset', { conn, reason: 'max-connections', message, error: null });
      socket.reset();
      return;
    }
    const script = this.script;
    const info = new SocketConnectionInfo(socket, this.vserver);
    let connectionScript;
    try {
      connectionScript = script.openConnection(info, { logId: conn });
    } catch (err) {
      const error = asScriptError(err, script.file);
      this.emit('reset', { conn, reason: 'script-error', message: error.message, error });
      socket.reset();
      return;
    }
    this.scriptUsers.set(script, (this.scriptUsers.get(script) ?? 0) + 1);
    const session = new ClientSession(conn, socket, connectionScript, script.hasServerOnData, this.host, script.hasClientOnData);
    this.sessions.set(session, script);
    const takeover = this.claimForDebugger?.(conn, info);
    if (takeover) session.handOverToDebugger(takeover);
  }

  private releaseIfUnused(script: ExtensionScript): void {
    if (script !== this.script && (this.scriptUsers.get(script) ?? 0) <= 0) {
      this.scriptUsers.delete(script);
      script.dispose();
    }
  }

  private emitServiceChange(id: string, change: 'up' | 'down', reason: string): void {
    const spec = this.balancer.service(id);
    this.emit(change === 'up' ? 'service-up' : 'service-down', { service: id, address: `${spec.host}:${spec.port}`, reason });
  }
}
