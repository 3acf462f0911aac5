// Embedded backends never outlive the LB: a SIGKILLed `protoext-lb run` leaves no mosquitto or rsyslogd process and no temp folder behind.
// peers: mosquitto rsyslogd
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureCliBuilt, spawnCli } from './helpers/cliProcess';

before(() => ensureCliBuilt());

interface Proc { pid: number; comm: string; cmdline: string[] }

function processes(): Map<number, Proc & { ppid: number }> {
  const all = new Map<number, Proc & { ppid: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      all.set(Number(name), { pid: Number(name), comm, ppid, cmdline });
    } catch {
      // gone while reading
    }
  }
  return all;
}

/** Processes named `comm` below `root` in the process tree. */
function descendants(root: number, comm: string): Proc[] {
  const all = processes();
  const below = (p: Proc & { ppid: number }): boolean => {
    for (let at = p.ppid, hops = 0; at > 1 && hops < 20; hops++) {
      if (at === root) return true;
      at = all.get(at)?.ppid ?? 0;
    }
    return false;
  };
  return [...all.values()].filter((p) => p.comm === comm && below(p));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const [protocol, comm, confFlag] of [['mqtt', 'mosquitto', '-c'], ['syslog', 'rsyslogd', '-f']] as const) {
  test(`SIGKILL of run --protocol ${protocol}: its three ${comm} and their temp folders are gone`, { timeout: 30_000 }, async () => {
    const cli = spawnCli(['run', '--protocol', protocol, '--listen', '127.0.0.1:0', '--events', 'jsonl']);
    try {
      const brokers = await cli.out.record('brokers');
      assert.equal(brokers.kind, protocol === 'mqtt' ? 'mosquitto' : 'rsyslog');
      await cli.out.record('ready');
      const backends = descendants(cli.child.pid!, comm);
      assert.equal(backends.length, 3, `three ${comm} under the LB`);
      const dirs = backends.map((p) => dirname(p.cmdline[p.cmdline.indexOf(confFlag) + 1]));
      assert.ok(dirs.every((d) => /protoext-(mosquitto|rsyslog)-/.test(d) && existsSync(d)), dirs.join(', '));
      cli.child.kill('SIGKILL');
      await cli.exit;
      await until(`every ${comm} ended`, () => backends.every((p) => !alive(p.pid)));
      await until('every temp folder removed', () => dirs.every((d) => !existsSync(d)));
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
}
