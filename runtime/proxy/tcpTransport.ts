// Chooses how the LB's connections are carried: libuv handles (rawTcp.ts) where this Node has them, else net.Socket (netTcp.ts).
import * as net from 'node:net';
import { NetTcpConnection, connectNet } from './netTcp';
import { rawBindings, type TcpHandle } from './libuvBindings';
import { acceptedRaw, connectRaw } from './rawTcp';
import type { ConnectionHandler, TcpConnection } from './tcpConnection';

export type TransportName = 'raw' | 'net';

export interface TcpTransport {
  readonly name: TransportName;
  connect(host: string, port: number, handler: ConnectionHandler): TcpConnection;
  /** A server whose accepted connections arrive unread: reading starts when they are attached. */
  createServer(onConnection: (conn: TcpConnection) => void): net.Server;
}

const netTransport: TcpTransport = {
  name: 'net',
  connect: connectNet,
  createServer: (onConnection) => net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => onConnection(new NetTcpConnection(socket, true))),
};

/**
 * net.Server still does the listening (address, errors, the cluster's shared handle in --workers mode); once it
 * listens, its handle hands new connections to us instead of wrapping each in a net.Socket. 'listening' is emitted
 * before the event loop can accept anything, so no connection slips past.
 */
const rawTransport: TcpTransport = {
  name: 'raw',
  connect: connectRaw,
  createServer: (onConnection) => {
    // Built as the net transport's server, so that if this Node keeps the handle elsewhere, net.Socket still serves.
    const server = netTransport.createServer(onConnection);
    server.on('listening', () => {
      const handle = (server as unknown as { _handle?: { onconnection?: unknown } | null })._handle;
      if (typeof handle?.onconnection !== 'function') return;
      handle.onconnection = (err: number, client: TcpHandle | undefined) => {
        if (!err && client) onConnection(acceptedRaw(client));
      };
    });
    return server;
  },
};

/** `preferred`, else PROTOEXT_TCP (raw or net), else raw when this Node has the handles. */
export function tcpTransport(preferred?: TransportName): TcpTransport {
  const wanted = preferred ?? (process.env.PROTOEXT_TCP === 'net' ? 'net' : 'raw');
  return wanted === 'raw' && rawBindings() ? rawTransport : netTransport;
}
