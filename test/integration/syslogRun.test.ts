// The vendor's syslog tutorial logic behind `protoext-lb run --lb-method ROUNDROBIN --persistence NONE` with three real rsyslog servers and logger clients: every message once, whole, spread per message.
// peers: rsyslogd logger
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { encodeSyslog } from '../../runtime/protocols/syslog/syslogEncoder';
import { spawnCli } from './helpers/cliProcess';
import { loggerTcp, rsyslogServersForFile } from './helpers/syslogHarness';

const TUTORIAL = 'test/fixtures/syslog/vendor-tutorial.lua';
const rsyslog = rsyslogServersForFile(3);

/** A client that writes its bytes 3 at a time (no Nagle), each write on a later turn. */
async function threeByteWriter(port: number, bytes: Uint8Array): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  for (let at = 0; at < bytes.length; at += 3) {
    socket.write(bytes.subarray(at, at + 3));
    await new Promise((r) => setTimeout(r, 1));
  }
  socket.end();
  await once(socket, 'close');
}

async function allReceived(expected: number, timeoutMs = 20_000): Promise<string[][]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = rsyslog.servers.map((s) => s.received());
    const total = got.reduce((n, lines) => n + lines.length, 0);
    if (total >= expected || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('20 logger clients x 10 lines and 3 clients writing 3 bytes at a time: each message lands once, whole; each connection spreads over the services', { timeout: 60_000 }, async () => {
  const cli = spawnCli([
    'run', '--protocol', 'syslog', '--extension', TUTORIAL, '--listen', '127.0.0.1:0', '--events', 'jsonl',
    '--lb-method', 'ROUNDROBIN', '--persistence', 'NONE',
    ...rsyslog.servers.map((s, i) => `--service=rs${i + 1}=127.0.0.1:${s.port}`),
  ]);
  try {
    const ready = await cli.out.record('ready');
    const port = Number(ready.listen.split(':')[1]);
    const loggers = Array.from({ length: 20 }, (_, c) => loggerTcp(port, `client${c}`, Array.from({ length: 10 }, (_, l) => `client-${c} line-${l}\n`).join('')));
    const slow = Array.from({ length: 3 }, (_, c) => Array.from({ length: 5 }, (_, l) => encodeSyslog({ appName: `slow${c}`, msg: `slow-${c} message-${l}` })));
    const writers = slow.map((messages) => threeByteWriter(port, Buffer.concat(messages)));
    await Promise.all([...loggers, ...writers]);

    const expected = 20 * 10 + 3 * 5;
    const received = await allReceived(expected);
    const all = received.flat();
    assert.equal(all.length, expected, `${all.length} of ${expected} messages reached a server`);
    for (let c = 0; c < 20; c++) {
      for (let l = 0; l < 10; l++) {
        const mine = all.filter((line) => line.endsWith(` client-${c} line-${l}`));
        assert.equal(mine.length, 1, `client-${c} line-${l} landed once`);
        assert.match(mine[0], new RegExp(`^<13>1 \\S+ \\S+ client${c} - - \\[timeQuality [^\\]]+\\] client-${c} line-${l}$`), 'whole RFC 5424 message');
      }
    }
    for (const messages of slow) {
      for (const m of messages) {
        const text = Buffer.from(m).toString('latin1').slice(0, -1);
        assert.equal(all.filter((line) => line === text).length, 1, `${text} landed once, byte for byte`);
      }
    }
    assert.ok(received.every((lines) => lines.length > 0), `every server got messages: ${received.map((l) => l.length).join(', ')}`);

    // One decision event per message, and each logger connection's 10 messages went to more than one service.
    // (The three slow writers may each stay on one service: three connections deciding in turn over three
    // services is what round robin does.)
    const decisions = cli.out.lines.map((l) => JSON.parse(l) as { event: string; conn?: number; service?: string }).filter((r) => r.event === 'decision');
    assert.equal(decisions.length, expected, 'one decision per message');
    const byConn = new Map<number, string[]>();
    for (const d of decisions) byConn.set(d.conn!, [...(byConn.get(d.conn!) ?? []), d.service!]);
    assert.equal(byConn.size, 23);
    const loggerConns = [...byConn].filter(([, services]) => services.length === 10);
    assert.equal(loggerConns.length, 20);
    for (const [conn, services] of loggerConns) assert.ok(new Set(services).size >= 2, `connection #${conn} spread over ${services.join(', ')}`);
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});
