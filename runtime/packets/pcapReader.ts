// Reads pcap and pcapng captures and returns each TCP connection's client-to-server payload as the segments that carried it.

export interface TcpEndpoint {
  ip: string;
  port: number;
}

export interface TcpConnection {
  /** 0-based, in order of first appearance: the same numbering as Wireshark's `tcp.stream`. */
  index: number;
  client: TcpEndpoint;
  server: TcpEndpoint;
  /** Client payload segments in sequence order, retransmitted bytes removed. */
  segments: Uint8Array[];
}

interface Packet {
  linkType: number;
  data: Uint8Array;
}

interface TcpSegment {
  src: TcpEndpoint;
  dst: TcpEndpoint;
  seq: number;
  flags: number;
  payload: Uint8Array;
}

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

export function readPcapConnections(file: Uint8Array): TcpConnection[] {
  const connections: (TcpConnection & { raw: { seq: number; payload: Uint8Array }[]; isn: number | null })[] = [];
  const byKey = new Map<string, number>();
  for (const packet of readPackets(file)) {
    const seg = decodeTcp(packet);
    if (!seg) continue;
    const a = `${seg.src.ip}:${seg.src.port}`;
    const b = `${seg.dst.ip}:${seg.dst.port}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let index = byKey.get(key);
    if (index === undefined) {
      index = connections.length;
      byKey.set(key, index);
      // The SYN's sender is the client; without a SYN (capture started late) the first sender is taken as the client.
      const synAck = (seg.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
      connections.push({ index, client: synAck ? seg.dst : seg.src, server: synAck ? seg.src : seg.dst, segments: [], raw: [], isn: null });
    }
    const conn = connections[index];
    const fromClient = seg.src.ip === conn.client.ip && seg.src.port === conn.client.port;
    if (!fromClient) continue;
    if (seg.flags & TCP_SYN) { conn.isn = (seg.seq + 1) >>> 0; continue; }
    if (seg.payload.length > 0) conn.raw.push({ seq: seg.seq, payload: seg.payload });
  }
  return connections.map(({ raw, isn, ...conn }) => ({ ...conn, segments: orderSegments(raw, isn) }));
}

/** Sorts by sequence number (32-bit wrap relative to the first byte) and trims bytes already delivered. */
function orderSegments(raw: { seq: number; payload: Uint8Array }[], isn: number | null): Uint8Array[] {
  if (raw.length === 0) return [];
  const base = isn ?? raw[0].seq;
  const rel = raw.map((r, i) => ({ at: (r.seq - base) >>> 0, payload: r.payload, i }));
  rel.sort((x, y) => x.at - y.at || x.i - y.i);
  const out: Uint8Array[] = [];
  let next = rel[0].at;
  for (const r of rel) {
    const end = r.at + r.payload.length;
    if (end <= next) continue;
    out.push(r.at < next ? r.payload.subarray(next - r.at) : r.payload);
    next = end;
  }
  return out;
}

function* readPackets(file: Uint8Array): Generator<Packet> {
  if (file.length < 12) throw new Error('not a capture file: too short');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magicLE = view.getUint32(0, true);
  if (magicLE === 0x0a0d0d0a) { yield* readPcapng(view); return; }
  const little = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const big = view.getUint32(0, false) === 0xa1b2c3d4 || view.getUint32(0, false) === 0xa1b23c4d;
  if (!little && !big) throw new Error('not a pcap or pcapng file (unknown magic number)');
  const le = little;
  const linkType = view.getUint32(20, le) & 0xffff;
  for (let at = 24; at + 16 <= file.length;) {
    const incl = view.getUint32(at + 8, le);
    const start = at + 16;
    if (start + incl > file.length) break;
    yield { linkType, data: file.subarray(start, start + incl) };
    at = start + incl;
  }
}

function* readPcapng(view: DataView): Generator<Packet> {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let le = true;
  let interfaces: number[] = [];
  for (let at = 0; at + 12 <= view.byteLength;) {
    let type = view.getUint32(at, le);
    if (type === 0x0a0d0d0a) {
      le = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      type = 0x0a0d0d0a;
      interfaces = [];
    }
    const length = view.getUint32(at + 4, le);
    if (length < 12 || at + length > view.byteLength) break;
    if (type === 1) interfaces.push(view.getUint16(at + 8, le));
    else if (type === 6) {
      const iface = view.getUint32(at + 8, le);
      const cap = view.getUint32(at + 20, le);
      yield { linkType: interfaces[iface] ?? 1, data: bytes.subarray(at + 28, at + 28 + cap) };
    } else if (type === 3) {
      const orig = view.getUint32(at + 8, le);
      yield { linkType: interfaces[0] ?? 1, data: bytes.subarray(at + 12, at + 12 + Math.min(orig, length - 16)) };
    }
    at += length;
  }
}

/** Strips the link layer (Ethernet with VLAN tags, Linux cooked v1/v2, BSD loopback, raw IP) and decodes IPv4/IPv6 + TCP. */
function decodeTcp(packet: Packet): TcpSegment | null {
  const d = packet.data;
  let ipStart: number;
  switch (packet.linkType) {
    case 1: { // Ethernet
      let at = 12;
      let etherType = (d[at] << 8) | d[at + 1];
      while (etherType === 0x8100 || etherType === 0x88a8) { at += 4; etherType = (d[at] << 8) | d[at + 1]; }
      if (etherType !== 0x0800 && etherType !== 0x86dd) return null;
      ipStart = at + 2;
      break;
    }
    case 113: ipStart = 16; break; // Linux cooked capture v1
    case 276: ipStart = 20; break; // Linux cooked capture v2
    case 0: case 108: ipStart = 4; break; // BSD loopback / OpenBSD loop
    case 101: case 12: case 14: case 228: case 229: ipStart = 0; break; // raw IP
    default: return null;
  }
  if (d.length < ipStart + 20) return null;
  const version = d[ipStart] >> 4;
  let tcpStart: number;
  let src: string;
  let dst: string;
  let ipEnd: number;
  if (version === 4) {
    const ihl = (d[ipStart] & 0x0f) * 4;
    if (d[ipStart + 9] !== 6) return null;
    // A later fragment carries no TCP header.
    if ((((d[ipStart + 6] << 8) | d[ipStart + 7]) & 0x1fff) !== 0) return null;
    ipEnd = Math.min(d.length, ipStart + ((d[ipStart + 2] << 8) | d[ipStart + 3]));
    src = Array.from(d.subarray(ipStart + 12, ipStart + 16)).join('.');
    dst = Array.from(d.subarray(ipStart + 16, ipStart + 20)).join('.');
    tcpStart = ipStart + ihl;
  } else if (version === 6) {
    if (d.length < ipStart + 40 || d[ipStart + 6] !== 6) return null;
    ipEnd = Math.min(d.length, ipStart + 40 + ((d[ipStart + 4] << 8) | d[ipStart + 5]));
    src = ipv6(d.subarray(ipStart + 8, ipStart + 24));
    dst = ipv6(d.subarray(ipStart + 24, ipStart + 40));
    tcpStart = ipStart + 40;
  } else return null;
  if (ipEnd < tcpStart + 20) return null;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const dataOffset = (d[tcpStart + 12] >> 4) * 4;
  return {
    src: { ip: src, port: dv.getUint16(tcpStart) },
    dst: { ip: dst, port: dv.getUint16(tcpStart + 2) },
    seq: dv.getUint32(tcpStart + 4),
    flags: d[tcpStart + 13],
    payload: d.subarray(tcpStart + dataOffset, ipEnd),
  };
}

function ipv6(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
