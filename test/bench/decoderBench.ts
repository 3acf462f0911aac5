// CONNECT decoder throughput: ops/s and µs/op per packet shape, with and without the field map, beside mqtt-packet for scale.
import * as mqttPacket from 'mqtt-packet';
import { decodeConnect } from '../../runtime/mqtt/connectDecoder';
import { encodeConnect } from '../../runtime/mqtt/connectEncoder';
import { CAPTURED } from '../../runtime/mqtt/corpus';

export interface BenchRow {
  name: string;
  opsPerSec: number;
  usPerOp: number;
}

/**
 * Runs `fn` for about `budgetMs` of this process's CPU time after a warm-up and reports its rate. CPU time, not wall
 * time, because on a shared 2-core machine wall-clock rates swing with whatever else runs.
 */
function measure(name: string, fn: () => unknown, budgetMs: number): BenchRow {
  for (let i = 0; i < 2000; i++) fn();
  let ops = 0;
  let batch = 256;
  const start = process.cpuUsage();
  const budgetUs = budgetMs * 1000;
  let usedUs = 0;
  while (usedUs < budgetUs) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    const used = process.cpuUsage(start);
    usedUs = used.user + used.system;
    if (batch < 65_536) batch *= 2;
  }
  return { name, opsPerSec: Math.round(ops / (usedUs / 1e6)), usPerOp: Number((usedUs / ops).toFixed(3)) };
}

function mustBeOk(bytes: Uint8Array, fieldMap: boolean): () => unknown {
  if (decodeConnect(bytes).status !== 'ok') throw new Error('bench packet does not decode');
  return () => {
    const r = decodeConnect(bytes, { fieldMap });
    if (r.status !== 'ok') throw new Error('decode failed');
    return r.packet.clientId;
  };
}

/** The measured work of each row, by name: shared with `npm run bench:engine` (test/bench/decoderBenchRows.ts). */
export interface DecoderWorkload {
  name: string;
  run: () => unknown;
}

export function decoderWorkloads(): DecoderWorkload[] {
  const allProperties = encodeConnect({
    version: '5.0', clientId: 'full-v5', username: 'user', password: 'pw',
    properties: { sessionExpiryInterval: 3600, receiveMaximum: 100, maximumPacketSize: 1 << 20, topicAliasMaximum: 10, userProperties: [['site', 'paris'], ['rack', '7']], authenticationMethod: 'SCRAM-SHA-1' },
    will: { topic: 'lwt/full', payload: 'bye', qos: 1, properties: { willDelayInterval: 5, contentType: 'text/plain' } },
  });
  const huge = encodeConnect({ clientId: 'h'.repeat(16_400) });
  const v5 = Buffer.from(CAPTURED.mosquittoV5);
  const half = v5.subarray(0, 15);
  return [
    { name: 'decode 3.1.1 mosquitto (28 B), field map', run: mustBeOk(CAPTURED.mosquittoV311, true) },
    { name: 'decode 3.1.1 mosquitto (28 B), no field map', run: mustBeOk(CAPTURED.mosquittoV311, false) },
    { name: 'decode 5.0 mosquitto Receive Maximum (30 B), field map', run: mustBeOk(CAPTURED.mosquittoV5, true) },
    { name: 'decode 5.0 mosquitto Receive Maximum (30 B), no field map', run: mustBeOk(CAPTURED.mosquittoV5, false) },
    { name: 'decode 5.0 will + auth (58 B), field map', run: mustBeOk(CAPTURED.mosquittoV5WillAuth, true) },
    { name: `decode 5.0 all properties + will (${allProperties.length} B), field map`, run: mustBeOk(allProperties, true) },
    { name: `decode 3.1.1 16,400-byte ClientID (${huge.length} B), no field map`, run: mustBeOk(huge, false) },
    { name: 'incomplete half (15 B) then whole 5.0 (30 B), no field map', run: () => {
      decodeConnect(half, { fieldMap: false });
      return decodeConnect(v5, { fieldMap: false });
    } },
    { name: 'encode 5.0 with Receive Maximum', run: () => encodeConnect({ version: '5.0', clientId: 'probe-mqttv5', properties: { receiveMaximum: 20 } }) },
    { name: 'mqtt-packet parser, 5.0 mosquitto (30 B), for scale', run: () => {
      let id = '';
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      parser.on('packet', (p: mqttPacket.Packet) => { if (p.cmd === 'connect') id = p.clientId; });
      parser.parse(v5);
      return id;
    } },
  ];
}

/** The decoder throughput table (each row about `budgetMs` of work; default 250 ms). */
export function benchDecoder(budgetMs = 250): BenchRow[] {
  return decoderWorkloads().map((w) => measure(w.name, w.run, budgetMs));
}

if (require.main === module) {
  const rows = benchDecoder();
  console.table(rows);
}
