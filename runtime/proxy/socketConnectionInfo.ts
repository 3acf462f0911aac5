// A connection's ConnectionInfo whose addresses are read from the socket when first asked for.
import type { ConnectionInfo } from '../ns/types';
import type { TcpConnection } from './tcpConnection';

/**
 * Most scripts never read ctxt.client, and the addresses cost two system calls (getpeername, getsockname) and
 * four strings per connection: the LB's storm paid them for every connect, and 10,000 idle connections kept them.
 */
export class SocketConnectionInfo implements ConnectionInfo {
  private addresses: ConnectionInfo['client'] | null = null;

  constructor(private readonly socket: TcpConnection, readonly vserver: ConnectionInfo['vserver']) {}

  get client(): ConnectionInfo['client'] {
    this.addresses ??= { ip: this.socket.remoteAddress, port: this.socket.remotePort, localIp: this.socket.localAddress, localPort: this.socket.localPort };
    return this.addresses;
  }

  /** The getter is on the prototype, which JSON leaves out: an attached debugger gets this info over its socket. */
  toJSON(): ConnectionInfo {
    return { client: this.client, vserver: this.vserver };
  }
}
