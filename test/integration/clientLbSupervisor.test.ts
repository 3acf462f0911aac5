// Integration: the client's LbSupervisor (no VS Code) runs the real dist/cli.js for syslog: ready, one decision per message from Send Test Traffic's bytes, a crash becomes a backoff and a restart request.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LbSupervisor, type CrashReport } from '../../client/lb/lbSupervisor';
import { sendTestTraffic } from '../../client/lb/testTraffic';
import type { LbStatus } from '../../client/lb/lbStatus';
import { PROTOCOLS } from '../../runtime/protocols';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

test('LbSupervisor: syslog with sink backends, 2.5 messages get two decisions round robin (the half is held), kill -9 is a crash with a 1 s backoff, halt stops', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-client-sup-'));
  copyFileSync(join(root, 'examples', 'syslog.lua'), join(dir, 'syslog.lua'));
  const configFile = join(dir, 'protoext.json');
  writeFileSync(configFile, JSON.stringify({ protocol: 'syslog', extension: 'syslog.lua', listen: '127.0.0.1:0', embedded: { kind: 'sink', brokers: 3 } }));
  const sup = new LbSupervisor();
  const statuses: LbStatus['kind'][] = [];
  sup.on('status', (s) => statuses.push(s.kind));
  try {
    const r = await sup.serialized(() => sup.launch({ cliPath: cli, configFile, cwd: dir, attempt: 1 }, (ready) => ready));
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(statuses.slice(0, 2), ['starting', 'running']);
    const port = Number(r.listen.split(':')[1]);
    const preset = PROTOCOLS.syslog.presets()[0];
    const sent = await sendTestTraffic('127.0.0.1', port, [preset.bytes]);
    assert.equal(sent.failure, null);
    const deadline = Date.now() + 5000;
    while (sup.decisions.all().length < 2 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(sup.decisions.all().map((d) => d.seq), [1, 2], 'one decision per whole message (the half one is held)');
    assert.deepEqual([...sup.decisions.perService().values()], [1, 1], 'round robin over the sinks');
    sent.close();

    const crash = new Promise<CrashReport>((resolve) => sup.on('crash', resolve));
    const due = new Promise<number>((resolve) => sup.on('restartDue', resolve));
    process.kill(r.pid, 'SIGKILL');
    const c = await crash;
    assert.equal(c.how, 'SIGKILL');
    assert.equal(c.delay, 1000);
    assert.equal(sup.status.kind, 'error');
    assert.equal(await due, 2, 'the restart is asked for as attempt 2');
  } finally {
    await sup.serialized(() => sup.halt('test over'));
    sup.dispose();
  }
  assert.equal(sup.status.kind, 'stopped');
});
