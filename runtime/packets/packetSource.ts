// Turns a packet description (PacketSpec) and chunk sizes into the deliveries a script receives: simulate, check and the debugger share it.
import { isAbsolute, resolve } from 'node:path';
import { encodeConnect } from '../mqtt';
import { DEFAULT_PACKET, type PacketSpec } from './packetSpec';

export { DEFAULT_PACKET };
import { readPcapConnections } from './pcapReader';

/** File access is passed in (the adapter reads the disk; tests may not). */
export type ReadFile = (path: string) => Uint8Array;

export interface ResolvedPacket {
  bytes: Uint8Array;
  deliveries: Uint8Array[];
  /** One line for the debug console: where the bytes came from. */
  description: string;
}


export function parseHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error('packet: not a hex string (expected pairs of hex digits)');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

function looksLikeHexText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  const text = Buffer.from(bytes).toString('latin1');
  return /^[\s0-9a-fA-Fx:,-]+$/.test(text) && /[0-9a-fA-F]{2}/.test(text);
}

export function resolvePacket(spec: PacketSpec | undefined, chunks: readonly number[] | undefined, readFile: ReadFile, cwd: string): ResolvedPacket {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const s = spec ?? DEFAULT_PACKET;
  let bytes: Uint8Array;
  let segments: Uint8Array[] | null = null;
  let description: string;
  if (typeof s === 'string') {
    bytes = parseHex(s);
    description = `hex packet, ${bytes.length} bytes`;
  } else if ('file' in s) {
    const raw = readFile(abs(s.file));
    bytes = looksLikeHexText(raw) ? parseHex(Buffer.from(raw).toString('latin1')) : raw;
    description = `${s.file}, ${bytes.length} bytes`;
  } else if ('pcap' in s) {
    const index = s.connection ?? 0;
    const connections = readPcapConnections(readFile(abs(s.pcap)));
    const conn = connections[index];
    if (!conn) throw new Error(`packet: ${s.pcap} has ${connections.length} TCP connection(s); connection ${index} does not exist (0-based, like Wireshark's tcp.stream)`);
    segments = conn.segments;
    bytes = concatAll(segments);
    description = `${s.pcap} connection ${index} (${conn.client.ip}:${conn.client.port} -> ${conn.server.ip}:${conn.server.port}), ${segments.length} client segment(s), ${bytes.length} bytes`;
  } else {
    bytes = encodeConnect(s.mqtt);
    description = `MQTT ${s.mqtt.version ?? '3.1.1'} CONNECT from the encoder, ${bytes.length} bytes`;
  }
  const deliveries = chunks && chunks.length > 0 ? splitChunks(bytes, chunks) : segments ?? [bytes];
  return { bytes, deliveries, description };
}

/** Cuts `bytes` at the given sizes; what is left after the last size is one more delivery. */
export function splitChunks(bytes: Uint8Array, chunks: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const size of chunks) {
    if (!Number.isInteger(size) || size <= 0) throw new Error(`chunks: sizes must be positive integers, got ${size}`);
    if (at + size > bytes.length) throw new Error(`chunks: sizes add up to more than the ${bytes.length} bytes of the packet`);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
