// A 10-second syslog soak through the real LbProxy and examples/syslog.lua: churned connections in both framings and random chunks; every message once, nothing left behind.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { resolve } from 'node:path';
import { TcpSink } from '../../runtime/cli/brokers/tcpSink';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { PROTOCOLS } from '../../runtime/protocols';
import { encodeSyslog } from '../../runtime/protocols/syslog/syslogEncoder';
import { LbProxy } from '../../runtime/proxy/lbProxy';
import { Prng } from '../unit/mqtt/prng';

const SECONDS = 10;
const openFds = (): number => readdirSync('/proc/self/fd').length;

test(`syslog soak, ${SECONDS} s: every message reaches one sink once, whole; no context, connection or fd left`, { timeout: 60_000 }, async () => {
  const sinks = await Promise.all([1, 2, 3].map(() => TcpSink.start(PROTOCOLS.syslog.frame)));
  const loader = (source: string, name: string) => loadExtension(source, name);
  const script = await loader(readFileSync(resolve(__dirname, '..', '..', '..', 'examples', 'syslog.lua'), 'utf8'), 'examples/syslog.lua');
  const proxy = new LbProxy({
    services: sinks.map((s, i) => ({ id: `sink${i + 1}`, host: '127.0.0.1', port: s.port })),
    method: 'ROUNDROBIN', persistence: 'NONE', activeHealthChecks: false, script, loader,
  });
  const { port } = await proxy.start();
  const fdsIdle = openFds();
  const sent: string[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  const worker = async (seed: number): Promise<number> => {
    const rng = new Prng(seed);
    let connections = 0;
    while (Date.now() < deadline) {
      const framing = rng.chance(0.5) ? 'lf' : 'octet-counting';
      const messages = Array.from({ length: rng.int(1, 30) }, (_, i) => encodeSyslog({ framing, appName: `w${seed}`, msg: `w${seed}-c${connections}-m${i} ${'x'.repeat(rng.int(0, 300))}` }));
      const bytes = Buffer.concat(messages);
      const socket = net.connect({ host: '127.0.0.1', port });
      await once(socket, 'connect');
      for (let at = 0; at < bytes.length;) {
        const size = rng.int(1, 400);
        socket.write(bytes.subarray(at, at + size));
        at += size;
        if (rng.chance(0.2)) await new Promise((r) => setImmediate(r));
      }
      socket.end();
      socket.resume();
      await once(socket, 'close');
      for (const m of messages) sent.push(Buffer.from(m).toString('latin1'));
      connections++;
    }
    return connections;
  };
  const connections = (await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(worker))).reduce((a, b) => a + b, 0);
  const received = () => sinks.flatMap((s) => s.messages.map((m) => m.toString('latin1')));
  const settle = Date.now() + 5000;
  while (received().length < sent.length && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
  try {
    assert.ok(connections > 200, `${connections} connections`);
    assert.equal(received().length, sent.length, `${received().length} of ${sent.length} messages received`);
    assert.deepEqual([...received()].sort(), [...sent].sort(), 'the same messages, whole, once each');
    assert.ok(sinks.every((s) => s.messages.length > sent.length / 4), 'round robin spread the messages');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(proxy.stats().connections.active, 0);
    assert.equal(script.liveConnections, 0, 'every Lua connection context disposed');
    assert.ok(openFds() <= fdsIdle, `fds back to idle (${openFds()} now, ${fdsIdle} idle)`);
  } finally {
    await proxy.stop();
    await Promise.all(sinks.map((s) => s.stop()));
    script.dispose();
  }
});
