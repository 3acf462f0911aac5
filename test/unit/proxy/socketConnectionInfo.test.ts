// The lazily read ConnectionInfo of an LB connection: no address lookups until asked, and whole when sent as JSON (to an attached debugger).
import test from 'node:test';
import assert from 'node:assert/strict';
import { SocketConnectionInfo } from '../../../runtime/proxy/socketConnectionInfo';
import type { TcpConnection } from '../../../runtime/proxy/tcpConnection';

function socket(): { conn: TcpConnection; lookups: () => number } {
  let lookups = 0;
  const conn = {
    get remoteAddress() { lookups++; return '192.0.2.7'; },
    get remotePort() { return 40001; },
    get localAddress() { lookups++; return '127.0.0.1'; },
    get localPort() { return 1883; },
  } as unknown as TcpConnection;
  return { conn, lookups: () => lookups };
}

test('the addresses are looked up once, when first asked for', () => {
  const { conn, lookups } = socket();
  const info = new SocketConnectionInfo(conn, { name: 'vs', params: {} });
  assert.equal(lookups(), 0);
  assert.deepEqual(info.client, { ip: '192.0.2.7', port: 40001, localIp: '127.0.0.1', localPort: 1883 });
  assert.equal(info.client, info.client);
  assert.equal(lookups(), 2);
});

test('as JSON (the attach wire) it carries the client addresses and the vserver', () => {
  const info = new SocketConnectionInfo(socket().conn, { name: 'vs', params: { region: 'eu' } });
  assert.deepEqual(JSON.parse(JSON.stringify({ info })).info, {
    client: { ip: '192.0.2.7', port: 40001, localIp: '127.0.0.1', localPort: 1883 },
    vserver: { name: 'vs', params: { region: 'eu' } },
  });
});
