// Message-based reliability: an rsyslog server killed mid-stream loses only its own link; later messages go to the others, none twice, the client is never reset.
// peers: rsyslogd
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { encodeSyslog } from '../../runtime/protocols/syslog/syslogEncoder';
import { spawnCli } from './helpers/cliProcess';
import { rsyslogServersForFile } from './helpers/syslogHarness';

const rsyslog = rsyslogServersForFile(3);

const TOTAL = 240;
const KILL_AFTER = 60;

test('SIGKILL of one rsyslog while a client streams: later messages reach the two others, none twice, the client is not reset', { timeout: 60_000 }, async () => {
  const { servers } = rsyslog;
  const cli = spawnCli([
    'run', '--protocol', 'syslog', '--extension', 'examples/syslog.lua', '--listen', '127.0.0.1:0', '--events', 'jsonl',
    ...servers.map((s, i) => `--service=rs${i + 1}=127.0.0.1:${s.port}`),
  ]);
  try {
    const ready = await cli.out.record('ready');
    const socket = net.connect({ host: '127.0.0.1', port: Number(ready.listen.split(':')[1]) });
    socket.setNoDelay(true);
    await once(socket, 'connect');
    let resetSeen = false;
    socket.on('error', () => (resetSeen = true));
    const closed = once(socket, 'close');
    const text = (i: number) => `stream message-${i}`;
    for (let i = 0; i < TOTAL; i++) {
      if (i === KILL_AFTER) await servers[1].stop('SIGKILL');
      socket.write(encodeSyslog({ msg: text(i) }));
      await new Promise((r) => setTimeout(r, 3));
    }
    socket.end();
    await closed;
    assert.equal(resetSeen, false, 'the client connection was not reset');

    const lost = await cli.out.record('link-lost');
    assert.equal(lost.service, 'rs2');
    assert.ok(lost.messages >= KILL_AFTER / 3 - 1, `${lost.messages} messages had gone to rs2`);
    const records = cli.out.lines.map((l) => JSON.parse(l) as { event: string; service?: string });
    const decisions = records.filter((r) => r.event === 'decision');
    assert.equal(decisions.length, TOTAL, 'one decision per message');
    const afterLoss = records.slice(records.findIndex((r) => r.event === 'link-lost')).filter((r) => r.event === 'decision').length;
    const firstAfter = TOTAL - afterLoss;

    const survivors = [servers[0], servers[2]];
    const deadline = Date.now() + 10_000;
    const lines = () => survivors.flatMap((s) => s.received());
    while (lines().length < TOTAL - lost.messages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const got = lines().map((l) => /stream message-(\d+)$/.exec(l)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    assert.equal(new Set(got).size, got.length, 'no message arrived twice');
    for (let i = firstAfter; i < TOTAL; i++) {
      assert.notEqual(decisions[i].service, 'rs2', `message ${i} was decided after the loss`);
      assert.ok(got.includes(i), `message ${i}, sent after the loss, reached ${decisions[i].service}`);
    }
    for (let i = 0; i < firstAfter; i++) {
      if (decisions[i].service !== 'rs2') assert.ok(got.includes(i), `message ${i} went to ${decisions[i].service} and arrived`);
    }
    assert.ok(firstAfter >= KILL_AFTER, `detected after message ${firstAfter}`);
    await cli.out.record('service-down', (r) => r.service === 'rs2');
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});
