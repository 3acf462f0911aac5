// Turns a packet description (PacketSpec) and chunk sizes into the deliveries a script receives: simulate, check and the debugger share it.
import { isAbsolute, resolve } from 'node:path';
import { PROTOCOL_NAMES, protocolByName, type Protocol } from '../protocols';
import type { PacketSpec } from './packetSpec';
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

/** A preset's bytes and deliveries; with no spec, the protocol's first preset (its debugger default). */
function presetPacket(protocol: Protocol, name: string | null): { bytes: Uint8Array; chunks: number[] | undefined; description: string } {
  const presets = protocol.presets();
  const p = name === null ? presets[0] : presets.find((x) => x.name === name);
  if (!p) throw new Error(`packet: ${protocol.title} has no preset "${name}" (presets: ${presets.map((x) => x.name).join(', ')})`);
  return { bytes: p.bytes, chunks: p.chunks, description: `${protocol.title} preset "${p.label}" (${p.description}), ${p.bytes.length} bytes` };
}

/** `{ "<protocol>": {...} }`: the options for that protocol's encoder, or null when the spec is no such object. */
function encoderPacket(s: object): { bytes: Uint8Array; description: string } | null {
  const name = PROTOCOL_NAMES.find((n) => n in s);
  if (name === undefined) return null;
  const protocol = protocolByName(name);
  if (protocol.encode === null) throw new Error(`packet: ${protocol.title} has no encoder; give hex, a file or a pcap`);
  const options = (s as Record<string, unknown>)[name] as Record<string, unknown>;
  const bytes = protocol.encode(options);
  const version = protocol.versionOf(bytes);
  return { bytes, description: `${protocol.title}${version ? ` ${version}` : ''} ${protocol.unitName} from the encoder, ${bytes.length} bytes` };
}

export function resolvePacket(spec: PacketSpec | undefined, chunks: readonly number[] | undefined, readFile: ReadFile, cwd: string, protocol: Protocol): ResolvedPacket {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  let bytes: Uint8Array;
  let segments: Uint8Array[] | null = null;
  let description: string;
  let cuts = chunks;
  const s = spec;
  if (s === undefined || (typeof s === 'object' && 'preset' in s)) {
    const p = presetPacket(protocol, s === undefined ? null : s.preset);
    ({ bytes, description } = p);
    cuts ??= p.chunks;
  } else if (typeof s === 'string') {
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
    const encoded = encoderPacket(s);
    if (encoded === null) throw new Error('packet: expected hex, { file }, { pcap }, { preset } or { "<protocol>": { ...encoder options } }');
    ({ bytes, description } = encoded);
  }
  const deliveries = cuts && cuts.length > 0 ? splitChunks(bytes, cuts) : segments ?? [bytes];
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
