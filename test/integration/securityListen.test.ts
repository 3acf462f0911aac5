// The CLI run with IPC (as VS Code starts it) listens on loopback only, and opens no listening socket besides the LB's: no TCP control port.
// peers: mosquitto
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { connectForConnack } from '../fuzz/rawMqttClient';
import { ensureCliBuilt, forkCli } from './helpers/cliProcess';
import { startBrokers } from './helpers/lbHarness';

let broker: MosquittoBroker;

before(async () => {
  ensureCliBuilt();
  [broker] = await startBrokers(1);
});

after(async () => {
  await broker?.stop();
});

/** The socket inodes a process holds, from /proc/PID/fd. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // The fd closed while we listed it.
    }
  }
  return inodes;
}

/** `/proc/net/*` addresses are hex, IPv4 little-endian: 0100007F:075B is 127.0.0.1:1883. */
function decodeAddress(hex: string): string {
  const [ip, port] = hex.split(':');
  const p = parseInt(port, 16);
  if (ip.length === 8) return `${[3, 2, 1, 0].map((i) => parseInt(ip.slice(i * 2, i * 2 + 2), 16)).join('.')}:${p}`;
  return `[${ip}]:${p}`;
}

/** Listening TCP sockets and bound UDP sockets of the process (by inode), as "proto address". */
function listeners(pid: number): string[] {
  const mine = socketInodes(pid);
  const out: string[] = [];
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = readFileSync(`/proc/net/${proto}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      const listening = proto.startsWith('tcp') ? state === '0A' : true;
      if (listening && mine.has(inode)) out.push(`${proto} ${decodeAddress(local)}`);
    }
  }
  return out.sort();
}

async function readyAddress(cli: ReturnType<typeof forkCli>): Promise<{ host: string; port: number }> {
  const ready = await cli.next((m) => m.type === 'event' && m.record.event === 'ready', 20_000);
  assert.ok(ready.type === 'event' && ready.record.event === 'ready');
  const at = ready.record.listen.lastIndexOf(':');
  return { host: ready.record.listen.slice(0, at), port: Number(ready.record.listen.slice(at + 1)) };
}

test('run with IPC and a service: one listening socket, the LB on 127.0.0.1, before and after serving a client', { timeout: 30_000 }, async () => {
  // No --listen: the default address (127.0.0.1:1883, or an ephemeral loopback port when 1883 is taken).
  const cli = forkCli(['run', '--service', `m1=127.0.0.1:${broker.port}`]);
  try {
    const { host, port } = await readyAddress(cli);
    assert.equal(host, '127.0.0.1', 'loopback unless configured otherwise');
    const pid = cli.child.pid!;
    assert.deepEqual(listeners(pid), [`tcp 127.0.0.1:${port}`]);
    const client = await connectForConnack(port, 'security-probe');
    assert.equal(client.ok, true, client.failure ?? '');
    assert.deepEqual(listeners(pid), [`tcp 127.0.0.1:${port}`], 'serving opens no other listener (no debug or control port)');
    client.socket.destroy();
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});

test('run with IPC and embedded brokers: the CLI process itself still listens only on the LB port', { timeout: 30_000 }, async () => {
  const cli = forkCli(['run', '--listen', '127.0.0.1:0']);
  try {
    const { host, port } = await readyAddress(cli);
    assert.equal(host, '127.0.0.1');
    const own = listeners(cli.child.pid!);
    // With mosquitto installed the brokers are child processes; aedes would add in-process loopback listeners.
    assert.ok(own.includes(`tcp 127.0.0.1:${port}`), own.join(', '));
    for (const l of own) assert.match(l, /^tcp 127\.0\.0\.1:\d+$/, `every listener of the CLI is TCP on loopback: ${own.join(', ')}`);
    if (readyKind(cli) === 'mosquitto') assert.deepEqual(own, [`tcp 127.0.0.1:${port}`]);
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});

/** Which embedded broker kind the CLI announced (from its IPC events). */
function readyKind(cli: ReturnType<typeof forkCli>): string {
  const text = JSON.stringify(cli.messages);
  return /"kind":"aedes"/.test(text) ? 'aedes' : /mosquitto/.test(text) ? 'mosquitto' : 'unknown';
}
