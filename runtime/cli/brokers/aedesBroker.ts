// One in-process aedes broker (MQTT 3.1/3.1.1 only) on a loopback ephemeral port: the embedded default when mosquitto is absent.
import * as net from 'node:net';

export class AedesBroker {
  private constructor(
    readonly port: number,
    private readonly server: net.Server,
    private readonly closeBroker: () => Promise<void>,
  ) {}

  static async start(): Promise<AedesBroker> {
    // aedes is ESM-only; a dynamic import keeps this CommonJS bundle loading it lazily.
    const { Aedes } = await import('aedes');
    const broker = await Aedes.createBroker();
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    const closeBroker = async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    };
    return new AedesBroker(port, server, closeBroker);
  }

  get listening(): boolean {
    return this.server.listening;
  }

  stop(): Promise<void> {
    return this.closeBroker();
  }
}
