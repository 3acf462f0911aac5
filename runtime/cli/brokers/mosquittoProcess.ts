// One local mosquitto broker on a loopback ephemeral port, tied to this process's life, with its log as a stream of lines (which client connected, with which protocol).
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied, stopTied, type TiedProcess } from './tiedProcess';
import { findExecutable, installHint } from '../../platform/executables';

/** mosquitto is often off PATH: Debian's /usr/sbin, Homebrew's sbin, Program Files\mosquitto on Windows. */
export function findMosquitto(): string | null {
  return findExecutable('mosquitto');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ClientSeen {
  clientId: string;
  /** MQTT version from mosquitto's log tag: `p1` = 3.1 (MQIsdp), `p2` = 3.1.1, `p5` = 5.0. */
  version: '3.1' | '3.1.1' | '5.0' | 'unknown';
}

const VERSION_OF_TAG: Record<string, ClientSeen['version']> = { p1: '3.1', p2: '3.1.1', p5: '5.0' };

const CONNECTED = /New client connected from \S+ as (\S*) \((p\d+),/;
/** Log lines and connected clients kept: recent ones only, as an embedded broker may serve an LB for days. */
const RECENT = 2000;

export class MosquittoBroker extends EventEmitter {
  readonly clients: ClientSeen[] = [];
  readonly log: string[] = [];
  private exited = false;

  private constructor(
    readonly port: number,
    private readonly tied: TiedProcess,
    private readonly dir: string,
  ) {
    super();
  }

  private get child() {
    return this.tied.watchdog;
  }

  /** Starts mosquitto and resolves once it logs "running" (its own readiness signal). */
  static async start(options: { binary?: string; port?: number; timeoutMs?: number; quiet?: boolean } = {}): Promise<MosquittoBroker> {
    const binary = options.binary ?? findMosquitto();
    if (!binary) throw new Error(`mosquitto is not installed (${installHint('mosquitto')})`);
    const port = options.port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'protoext-mosquitto-'));
    const conf = join(dir, 'mosquitto.conf');
    // quiet (benchmarks): `log_type all` logs every PUBLISH, which would measure our log parsing, not the broker.
    const logging = options.quiet
      ? ['log_type error', 'log_type warning', 'log_type notice', 'log_type information', 'connection_messages false']
      : ['log_type all'];
    writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'log_dest stderr', ...logging, 'persistence false', ''].join('\n'));
    const broker = new MosquittoBroker(port, spawnTied(binary, ['-c', conf], dir), dir);
    await broker.waitRunning(options.timeoutMs ?? 5000);
    return broker;
  }

  /** mosquitto's own pid (its watchdog's is another). */
  get pid(): Promise<number> {
    return this.tied.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Resolves when the broker logs a connected client matching the id. */
  waitForClient(clientId: string, timeoutMs = 5000): Promise<ClientSeen> {
    const seen = this.clients.find((c) => c.clientId === clientId);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('client', onClient);
        reject(new Error(`mosquitto :${this.port} saw no client "${clientId}" in ${timeoutMs} ms`));
      }, timeoutMs);
      const onClient = (c: ClientSeen) => {
        if (c.clientId !== clientId) return;
        clearTimeout(timer);
        this.off('client', onClient);
        resolve(c);
      };
      this.on('client', onClient);
    });
  }

  /** SIGTERM (or `signal`), then resolves when the process is gone and its folder removed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.exited) await stopTied(this.tied, signal);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private waitRunning(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`mosquitto did not start within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        void stopTied(this.tied, 'SIGKILL');
        rmSync(this.dir, { recursive: true, force: true });
        reject(new Error(`${why}\n${this.log.slice(-5).join('\n')}`));
      };
      let buffered = '';
      const onChunk = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          this.onLine(line);
          if (/ running$/.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      this.child.stderr?.on('data', onChunk);
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        this.emit('exit', code, signal);
        fail(`mosquitto exited (${code ?? signal})`);
      });
    });
  }

  private onLine(line: string): void {
    this.log.push(line);
    if (this.log.length > RECENT) this.log.shift();
    const m = CONNECTED.exec(line);
    if (m) {
      const seen: ClientSeen = { clientId: m[1], version: VERSION_OF_TAG[m[2]] ?? 'unknown' };
      this.clients.push(seen);
      if (this.clients.length > RECENT) this.clients.shift();
      this.emit('client', seen);
    }
  }
}
