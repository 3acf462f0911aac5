// `protoext-lb run`: loads the extension, starts the protocol's embedded backends when no service is given, runs the LB, logs events, serves IPC.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { addressOf } from '../lb/balancer';
import type { ServiceSpec } from '../lb/types';
import { PROTOCOLS, type Protocol } from '../protocols';
import { LbProxy } from '../proxy/lbProxy';
import { startDebugHook, type DebugHook } from '../debug/attachHook';
import type { LogEntry, ScriptError } from '../ns/types';
import { startEmbeddedBackends, type EmbeddedBackends } from './brokers/embeddedBackends';
import { bundledExtensionPath } from './bundledExtension';
import type { RunConfig } from './config';
import { scriptLoader } from './engine';
import { EventLog, type OutputRecord } from './eventLog';
import { IpcChannel } from './ipcChannel';
import { isLbWorker, startWorkerPool, workerLink, workerServices, type WorkerLink } from './workerCluster';

function now(): string {
  return new Date().toISOString();
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** What `ready` prints to try the LB: the protocol's commands, then where the embedded backends write what they receive. */
function tryIt(protocol: Protocol, host: string, port: number, config: RunConfig, services: readonly ServiceSpec[], versions: string[], brokers: EmbeddedBackends | null): string[] {
  const hints = protocol.tryIt(host, port, { method: config.lbMethod, serviceIds: services.map((s) => s.id), versions });
  if (brokers && brokers.outputs.length > 0) hints.push(`tail -F ${brokers.outputs.join(' ')}   # what each service received`);
  return hints;
}

/**
 * V8 grows the young generation up to 3 x 16 MiB under a connection storm and keeps it: about 25 MB of
 * RSS with 9,000 idle piped connections (measured). Connection state lives long and is promoted anyway,
 * so a young generation that stays at its initial size costs little CPU. This flag is read at each
 * growth, so setting it at run time works (max-semi-space-size would be read only at startup).
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Runs until SIGINT/SIGTERM or an IPC stop; resolves with the exit code. */
export async function runCommand(config: RunConfig): Promise<number> {
  keepYoungGenerationSmall();
  const log = new EventLog(config.events, (line) => process.stdout.write(line + '\n'), (line) => process.stderr.write(line + '\n'));
  // Only a human log shares stdout with help text; with jsonl (events only) or none (a forked client ignores stdout) it goes to stderr.
  const say = (text: string) => (config.events === 'human' ? process.stdout : process.stderr).write(text + '\n');
  const worker = isLbWorker();
  // The proxy and its stop exist only once the script loaded and the brokers run; IPC commands before that see them unset.
  let proxyRef: LbProxy | null = null;
  let stopRef: ((reason: string) => Promise<void>) | null = null;
  let stopRequested: string | null = null;
  const protocol = PROTOCOLS[config.protocol];
  const file = config.extension ?? bundledExtensionPath(undefined, protocol.defaults.extension);
  // Opened first, so the parent gets every record (`brokers`, a start `error`) over IPC. A worker's IPC channel is its primary's.
  const ipc = worker ? null : IpcChannel.open({
    stats: () => proxyRef?.stats() ?? null,
    stop: (reason) => {
      if (stopRef) return stopRef(reason);
      stopRequested ??= reason;
      return Promise.resolve();
    },
    reload: async (newFile, source) => {
      if (!proxyRef) return { ok: false, error: 'the LB is still starting' };
      const target = newFile ?? config.extension ?? file;
      let text: string;
      try {
        text = source ?? readFileSync(target, 'utf8');
      } catch (err) {
        return { ok: false, error: `cannot read ${target}: ${err instanceof Error ? err.message : String(err)}` };
      }
      return proxyRef.reload(text, displayPath(target));
    },
  });
  const emitCli = (record: OutputRecord & { event: 'brokers' | 'ready' | 'stopped' | 'error' }) => {
    log.cli(record);
    ipc?.event(record);
  };
  /** Ends the run before the proxy exists; the IPC messages are flushed so the parent sees the last record. */
  const endEarly = async (code: number, brokers: EmbeddedBackends | null): Promise<number> => {
    await brokers?.stop();
    if (code === 0) emitCli({ event: 'stopped', time: now(), reason: stopRequested ?? 'stopped' });
    await ipc?.close();
    return code;
  };

  // ns.logger lines are events of their own (`log`); with no log and no IPC peer the script formats nothing.
  const scriptLog = config.events !== 'none' || ipc ? {
    level: config.log.level,
    sink: (entry: LogEntry) => {
      log.proxyEvent('log', entry);
      ipc?.event({ event: 'log', time: now(), ...entry });
    },
  } : undefined;
  const loader = scriptLoader(config.limits, scriptLog);
  let script;
  try {
    script = await loader(readFileSync(file, 'utf8'), displayPath(file));
  } catch (err) {
    const scriptError = (err as { error?: ScriptError }).error;
    emitCli({
      event: 'error',
      time: now(),
      message: `cannot load ${displayPath(file)}: ${scriptError?.message ?? (err instanceof Error ? err.message : String(err))}`,
      ...(scriptError ? { scriptError } : {}),
    });
    return endEarly(2, null);
  }
  if (stopRequested !== null) {
    script.dispose();
    return endEarly(0, null);
  }

  let brokers: EmbeddedBackends | null = null;
  let services = worker ? workerServices() : config.services;
  let versions = ['3.1', '3.1.1', '5.0'];
  if (services.length === 0) {
    brokers = await startEmbeddedBackends(protocol, config.embedded.brokers, config.embedded.kind);
    services = brokers.services;
    versions = brokers.versions;
    emitCli({
      event: 'brokers', time: now(), kind: brokers.kind, reason: brokers.reason, versions, services: services.map((s) => ({ id: s.id, address: addressOf(s) })),
      ...(brokers.outputs.length > 0 ? { outputs: brokers.outputs } : {}),
    });
  }
  if (stopRequested !== null) {
    script.dispose();
    return endEarly(0, brokers);
  }

  if (config.workers > 1 && !worker) {
    // The primary only checked that the script loads; each worker loads its own copy.
    script.dispose();
    return runPrimary(config, services, versions, brokers, emitCli, { setStop: (stop) => (stopRef = stop), close: async () => ipc?.close() });
  }
  let link: WorkerLink | null = null;

  const proxy = new LbProxy({
    listenHost: config.listen.host,
    listenPort: config.listen.port,
    services,
    method: config.lbMethod,
    persistence: config.persistence.type,
    persistenceTimeoutMinutes: config.persistence.timeoutMinutes,
    health: config.healthCheck,
    limits: config.limits,
    script,
    loader,
    vserver: config.vserver,
    onPersistenceBound: worker ? (session, service) => link?.bound(session, service) : undefined,
  });

  let stopping: Promise<void> | null = null;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  let debugHook: DebugHook | null = null;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      await debugHook?.close();
      await proxy.stop();
      await brokers?.stop();
      emitCli({ event: 'stopped', time: now(), reason });
      await ipc?.close();
      resolveDone(0);
    })();
    return stopping;
  };

  if (worker) {
    link = workerLink({
      bound: (session, service) => proxy.applyPersistence(session, service),
      down: (service, reason) => proxy.applyServiceDown(service, `${reason} (seen by another worker)`),
      stop: () => void stop('primary'),
    });
    proxy.on('service-down', (e) => link?.report({ kind: 'down', service: e.service, reason: e.reason }));
  }
  proxyRef = proxy;
  stopRef = stop;
  // With no log and no IPC peer nobody reads per-connection events: do not build them on the hot path.
  if (config.events !== 'none' || ipc) {
    proxy.onAny((name, payload) => {
      log.proxyEvent(name, payload);
      ipc?.event({ event: name, time: now(), ...payload } as OutputRecord);
    });
  }

  let address;
  try {
    address = await proxy.start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && !config.listenExplicit) {
      say(`${config.listen.host}:${config.listen.port} is in use (another broker?); listening on an ephemeral port instead. Use --listen to choose.`);
      address = await proxy.start(0);
    } else {
      const message = `cannot listen on ${config.listen.host}:${config.listen.port}: ${err instanceof Error ? err.message : String(err)}`;
      link?.report({ kind: 'failed', message });
      emitCli({ event: 'error', time: now(), message });
      await brokers?.stop();
      await ipc?.close();
      return 2;
    }
  }
  if (link) {
    link.report({ kind: 'ready', listen: `${address.host}:${address.port}` });
    return done;
  }
  // `attach` from the debugger: a Unix socket in a private 0700 folder (no TCP control port); without it only attach is lost.
  debugHook = await startDebugHook(proxy).catch((err: unknown) => {
    say(`debug hook unavailable, attach will not find this LB: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  });
  emitCli({
    event: 'ready',
    time: now(),
    listen: `${address.host}:${address.port}`,
    ...(debugHook ? { debugHook: debugHook.path } : {}),
    services: services.map((s) => `${s.id}=${addressOf(s)}`),
    connect: tryIt(protocol, address.host, address.port, config, services, versions, brokers),
  });

  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void proxy.reload(readFileSync(file, 'utf8'), displayPath(file)));
  return done;
}

/** `--workers N`: this process serves nothing itself; it owns the brokers, the workers and the one `ready` line. */
async function runPrimary(
  config: RunConfig,
  services: ServiceSpec[],
  versions: string[],
  brokers: EmbeddedBackends | null,
  emitCli: (record: OutputRecord & { event: 'ready' | 'stopped' | 'error' }) => void,
  ipc: { setStop(stop: (reason: string) => Promise<void>): void; close(): Promise<void> },
): Promise<number> {
  let pool;
  try {
    pool = await startWorkerPool(config.workers, services);
  } catch (err) {
    emitCli({ event: 'error', time: now(), message: `workers did not start: ${err instanceof Error ? err.message : String(err)}` });
    await brokers?.stop();
    await ipc.close();
    return 2;
  }
  const [host, port] = [pool.listen.slice(0, pool.listen.lastIndexOf(':')), Number(pool.listen.slice(pool.listen.lastIndexOf(':') + 1))];
  emitCli({
    event: 'ready',
    time: now(),
    listen: pool.listen,
    services: services.map((s) => `${s.id}=${addressOf(s)}`),
    connect: tryIt(PROTOCOLS[config.protocol], host, port, config, services, versions, brokers),
  });
  let stopping: Promise<number> | null = null;
  const stop = (reason: string, code: number): Promise<number> => {
    stopping ??= (async () => {
      await pool.stop();
      await brokers?.stop();
      emitCli({ event: 'stopped', time: now(), reason });
      await ipc.close();
      return code;
    })();
    return stopping;
  };
  return new Promise<number>((resolve) => {
    ipc.setStop((reason) => stop(reason, 0).then(resolve));
    process.once('SIGINT', () => void stop('SIGINT', 0).then(resolve));
    process.once('SIGTERM', () => void stop('SIGTERM', 0).then(resolve));
    void pool.died.then((why) => {
      emitCli({ event: 'error', time: now(), message: why });
      void stop(why, 1).then(resolve);
    });
  });
}
