// MQTT's Send Test Traffic: one CONNECT built by the protocol's encoder to the local LB, then wait for the CONNACK; no `vscode` import.
import * as net from 'node:net';
import { PROTOCOLS } from '../../runtime/protocols';

export type MqttVersion = '3.1' | '3.1.1' | '5.0';

export interface TestConnectResult {
  /** The client's local port: the runtime's `connection` event carries it, which ties the LB decision to this test. */
  localPort: number;
  /** CONNACK return/reason code, or null when none came. */
  returnCode: number | null;
  /** Why no CONNACK: reset, closed, timeout. */
  failure: string | null;
  bytesSent: number;
  elapsedMs: number;
}

export const CONNECT_VERSIONS: readonly MqttVersion[] = ['3.1', '3.1.1', '5.0'];

/** MQTT 5 CONNACK reason codes a test user may meet; 3.1/3.1.1 use 0-5. */
export function connackMeaning(code: number, version: MqttVersion): string {
  if (version !== '5.0') return ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'][code] ?? `code ${code}`;
  const v5: Record<number, string> = { 0: 'success', 0x80: 'unspecified error', 0x84: 'unsupported protocol version', 0x85: 'client identifier not valid', 0x87: 'not authorized', 0x88: 'server unavailable' };
  return v5[code] ?? `reason 0x${code.toString(16)}`;
}

/**
 * CONNACK: 0x20, remaining length, flags, code (3.1/3.1.1 remaining length 2; 5.0 adds properties). Reads only
 * the code, so any version's CONNACK works.
 */
function connackCode(bytes: Buffer): number | null | 'not-connack' {
  if (bytes.length === 0) return null;
  if (bytes[0] !== 0x20) return 'not-connack';
  return bytes.length >= 4 ? bytes[3] : null;
}

export function sendTestConnect(host: string, port: number, version: MqttVersion, clientId: string, timeoutMs = 5000): Promise<TestConnectResult> {
  const packet = PROTOCOLS.mqtt.encode!({ version, clientId, clean: true, keepAlive: 30, ...(version === '5.0' ? { properties: { receiveMaximum: 20 } } : {}) });
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = Buffer.alloc(0);
    let localPort = 0;
    let settled = false;
    const finish = (returnCode: number | null, failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Close politely after a CONNACK (DISCONNECT then FIN), so the broker does not publish a will or log an error.
      if (returnCode !== null && !socket.destroyed) socket.end(Buffer.from([0xe0, 0x00]));
      else socket.destroy();
      resolve({ localPort, returnCode, failure, bytesSent: packet.length, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(null, `no CONNACK within ${timeoutMs} ms (the script may be holding the CONNECT)`), timeoutMs);
    socket.on('connect', () => {
      localPort = socket.localPort ?? 0;
      socket.write(packet);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const code = connackCode(received);
      if (code === 'not-connack') finish(null, `the first reply was not a CONNACK (byte 0x${received[0].toString(16)})`);
      else if (code !== null) finish(code, null);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code === 'ECONNRESET' ? 'the LB reset the connection' : err.message));
    socket.on('close', () => finish(null, 'the connection closed without a CONNACK'));
  });
}
