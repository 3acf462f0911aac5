// The capture reader: a real mosquitto_pub capture (pcapng, loopback) and synthesized pcap files with odd link layers and retransmissions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPcapConnections } from '../../../runtime/packets/pcapReader';
import { resolvePacket } from '../../../runtime/packets/packetSource';
import { REPO } from './sessionHarness';

const CAPTURE = join(REPO, 'test', 'unit', 'debug', 'fixtures', 'mosquitto-pub-v311-v5.pcapng');

test('a dumpcap capture of mosquitto_pub gives each connection its client segments in order', () => {
  // Captured on lo with `dumpcap -f "tcp port 18977"`: mosquitto_pub -V mqttv311 -i dev-311, then -V mqttv5 -i dev-v5.
  const conns = readPcapConnections(readFileSync(CAPTURE));
  assert.equal(conns.length, 2);
  assert.equal(conns[0].client.ip, '127.0.0.1');
  assert.equal(conns[0].server.port, 18977);
  assert.deepEqual(conns[0].segments.map((s) => s.length), [21, 10, 2]);
  assert.equal(conns[0].segments[0][0], 0x10);
  assert.ok(Buffer.from(conns[0].segments[0]).includes(Buffer.from('dev-311')));
  assert.deepEqual(conns[1].segments.map((s) => s.length), [24, 11, 2]);
  // v5 with the Receive Maximum property mosquitto always sends.
  assert.ok(Buffer.from(conns[1].segments[0]).includes(Buffer.from('dev-v5')));
});

test('a pcap packet source defaults its chunks to the captured segments', () => {
  const r = resolvePacket({ pcap: CAPTURE, connection: 1 }, undefined, (p) => readFileSync(p), REPO);
  assert.deepEqual(r.deliveries.map((d) => d.length), [24, 11, 2]);
  assert.equal(r.bytes.length, 37);
  assert.match(r.description, /connection 1/);
  assert.throws(() => resolvePacket({ pcap: CAPTURE, connection: 5 }, undefined, (p) => readFileSync(p), REPO), /2 TCP connection/);
});

function tcp(srcPort: number, dstPort: number, seq: number, flags: number, payload: number[]): number[] {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h[12] = 5 << 4;
  h[13] = flags;
  return [...h, ...payload];
}

function ipv6(src: number, dst: number, tcpBytes: number[]): number[] {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(tcpBytes.length, 4);
  h[6] = 6;
  h[23] = src;
  h[39] = dst;
  return [...h, ...tcpBytes];
}

/** Classic big-endian pcap, Linux cooked capture (113). */
function pcapSll(frames: number[][]): Uint8Array {
  const parts: Buffer[] = [];
  const g = Buffer.alloc(24);
  g.writeUInt32BE(0xa1b2c3d4, 0);
  g.writeUInt16BE(2, 4);
  g.writeUInt16BE(4, 6);
  g.writeUInt32BE(65535, 16);
  g.writeUInt32BE(113, 20);
  parts.push(g);
  for (const f of frames) {
    const sll = Buffer.alloc(16);
    sll.writeUInt16BE(0x86dd, 14);
    const data = Buffer.concat([sll, Buffer.from(f)]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32BE(data.length, 8);
    rec.writeUInt32BE(data.length, 12);
    parts.push(rec, data);
  }
  return Uint8Array.from(Buffer.concat(parts));
}

test('IPv6 over Linux cooked capture: out-of-order and retransmitted segments are put back in order once', () => {
  const ISN = 0xfffffff0; // wraps past 2^32 inside the stream
  const frames = [
    ipv6(1, 2, tcp(40000, 1883, ISN, 0x02, [])),
    ipv6(2, 1, tcp(1883, 40000, 77, 0x12, [])),
    ipv6(1, 2, tcp(40000, 1883, ISN + 1 + 3, 0x18, [4, 5, 6])),
    ipv6(1, 2, tcp(40000, 1883, ISN + 1, 0x18, [1, 2, 3])),
    ipv6(1, 2, tcp(40000, 1883, ISN + 1, 0x18, [1, 2, 3])),
    ipv6(2, 1, tcp(1883, 40000, 78, 0x18, [0x20, 2, 0, 0])),
    ipv6(1, 2, tcp(40000, 1883, ISN + 1 + 5, 0x18, [6, 7])),
  ];
  const conns = readPcapConnections(pcapSll(frames));
  assert.equal(conns.length, 1);
  assert.equal(conns[0].client.port, 40000);
  assert.equal(conns[0].client.ip, '::1');
  assert.deepEqual(conns[0].segments.map((s) => Array.from(s)), [[1, 2, 3], [4, 5, 6], [7]]);
});

test('not a capture file is reported as such', () => {
  assert.throws(() => readPcapConnections(Uint8Array.from(Buffer.from('hello, world!'))), /not a pcap or pcapng/);
});
