// One local rsyslog server (imtcp on a loopback port, every message into its own out.log), tied to this process's life: a syslog service of the local LB.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mosquittoProcess';
import { findExecutable, installHint } from '../../platform/executables';
import { spawnTied, stopTied, type TiedProcess } from './tiedProcess';

export const findRsyslogd = (): string | null => findExecutable('rsyslogd');

/**
 * `%rawmsg%`: the message exactly as received (framing removed), so a test can compare it with what the client
 * sent; rsyslog escapes control characters, so a LF inside an octet-counted message shows as #012.
 * `stamped` puts rsyslog's receipt time first (`%timegenerated%`, microseconds): the LB bench's per-message latency.
 */
function config(dir: string, port: number, out: string, stamped: boolean): string {
  return [
    `global(workDirectory="${dir}")`,
    'module(load="imtcp")',
    `input(type="imtcp" port="${port}" address="127.0.0.1")`,
    `template(name="raw" type="string" string="${stamped ? '%timegenerated:::date-rfc3339% ' : ''}%rawmsg%\\n")`,
    `*.* action(type="omfile" file="${out}" template="raw")`,
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class RsyslogServer {
  private exited = false;
  private readonly errors: string[] = [];

  private constructor(
    readonly port: number,
    /** The file every received message is appended to, one line each. */
    readonly outFile: string,
    private readonly dir: string,
    private readonly tied: TiedProcess,
  ) {
    tied.watchdog.stderr?.on('data', (chunk: Buffer) => this.errors.push(chunk.toString('utf8')));
    tied.watchdog.once('exit', () => (this.exited = true));
  }

  /** Starts rsyslogd in the foreground (-n, own pid file) and resolves once its port accepts connections. */
  static async start(options: { binary?: string; timeoutMs?: number; stamped?: boolean } = {}): Promise<RsyslogServer> {
    const binary = options.binary ?? findRsyslogd();
    if (!binary) throw new Error(`rsyslogd is not installed (${installHint('rsyslogd')})`);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'protoext-rsyslog-'));
    const out = join(dir, 'out.log');
    const conf = join(dir, 'rsyslog.conf');
    writeFileSync(conf, config(dir, port, out, options.stamped ?? false));
    const server = new RsyslogServer(port, out, dir, spawnTied(binary, ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], dir));
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    while (!(await accepts(port))) {
      if (server.exited || Date.now() > deadline) {
        await server.stop('SIGKILL');
        throw new Error(`rsyslogd did not listen on 127.0.0.1:${port}${server.exited ? ' (it exited)' : ''}: ${server.errors.join('').trim().slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return server;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** rsyslogd's own pid (its watchdog's is another). */
  get pid(): Promise<number> {
    return this.tied.pid;
  }

  /** The messages written so far, one per line (rsyslog writes asynchronously: poll for the ones you expect). */
  received(): string[] {
    let text: string;
    try {
      text = readFileSync(this.outFile, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').slice(0, -1);
  }

  /** SIGTERM (or `signal`); resolves when rsyslogd is gone and its folder removed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.exited) await stopTied(this.tied, signal);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
