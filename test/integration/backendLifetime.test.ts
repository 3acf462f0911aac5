// Embedded backends never outlive the LB: a SIGKILLed `protoext-lb run` leaves no mosquitto or rsyslogd process and no temp folder behind.
// peers: mosquitto rsyslogd
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureCliBuilt, spawnCli } from './helpers/cliProcess';
import { alive, commandLineOf, commandOf, descendantsOf } from './helpers/processTree';

before(() => ensureCliBuilt());

/** Processes named `comm` below `root` in the process tree, with their arguments. */
function descendants(root: number, comm: string): { pid: number; cmdline: string[] }[] {
  return descendantsOf(root).filter((pid) => commandOf(pid) === comm).map((pid) => ({ pid, cmdline: commandLineOf(pid) }));
}

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
