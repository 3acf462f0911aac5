// The few MQTT 3.1.1 packets the load generator writes and reads, as raw bytes (no library on the measured path).

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** CONNECT 3.1.1, clean session, keep alive 0 (idle connections must not be timed out by the broker). */
export function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const body = Buffer.concat([Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x00, id.length >> 8, id.length & 0xff]), id]);
  return Buffer.concat([Buffer.from([0x10, ...remainingLength(body.length)]), body]);
}

/** PUBLISH QoS 0 with a payload of `payloadBytes` (topic nobody subscribes to: the broker only parses it). */
export function publishPacket(topic: string, payloadBytes: number): Buffer {
  const t = Buffer.from(topic, 'utf8');
  const bodyLength = 2 + t.length + payloadBytes;
  const head = Buffer.from([0x30, ...remainingLength(bodyLength), t.length >> 8, t.length & 0xff]);
  return Buffer.concat([head, t, Buffer.alloc(payloadBytes, 0x61)]);
}

export const CONNACK_LENGTH = 4;
export const PINGREQ = Buffer.from([0xc0, 0x00]);
export const DISCONNECT = Buffer.from([0xe0, 0x00]);

/** A CONNACK accepting the connection: 0x20 0x02, session-present flags, return code 0. */
export function isConnackAccepted(bytes: Buffer): boolean {
  return bytes.length >= CONNACK_LENGTH && bytes[0] === 0x20 && bytes[1] === 0x02 && bytes[3] === 0x00;
}

/** True when `bytes` end with a PINGRESP (the only packet a QoS0 publisher gets back). */
export function endsWithPingresp(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[bytes.length - 2] === 0xd0 && bytes[bytes.length - 1] === 0x00;
}
