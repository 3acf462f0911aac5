// A test double of the engine's ExtensionScript: a JS rendition of mqtt.lua (hold until the ClientID is in, send, pipe) plus knobs.
import type { ConnectionInfo, ConnectionScript, DeliveryResult, ExtensionScript, ScriptAction } from '../../../runtime/ns/types';

export interface FakeOptions {
  file?: string;
  /** Send every chunk with EOM and never pipe (message-based LB). */
  messageMode?: boolean;
  /** Upper-cases server bytes through server.on_data. */
  serverOnData?: boolean;
  /** Defines no client.on_data (native default). */
  noClientOnData?: boolean;
  /** The engine itself throws (a fault, not a Lua error). */
  throwOnData?: boolean;
}

function fail(message: string, file: string): DeliveryResult {
  return { actions: [], held: false, error: { kind: 'runtime', message: `${file}:1: ${message}`, file, line: 1, traceback: '' } };
}

/** The ClientID of a complete 3.1/3.1.1 CONNECT prefix, 'more' when bytes are missing, or an error text. */
function clientIdOf(data: Buffer): Buffer | 'more' | string {
  if (data.length < 2) return 'more';
  if (data[0] >> 4 !== 1) return 'Missing MQTT Connect packet.';
  let offset = 1;
  let mult = 1;
  let byte: number;
  do {
    if (offset >= data.length) return 'more';
    byte = data[offset++];
    mult *= 128;
    if (mult > 128 ** 4) return 'invalid Remaining Length';
  } while (byte & 0x80);
  if (data.length < offset + 2) return 'more';
  offset += data.readUInt16BE(offset) + 2 + 4;
  if (data.length < offset + 2) return 'more';
  const len = data.readUInt16BE(offset);
  offset += 2;
  if (data.length < offset + len) return 'more';
  return data.subarray(offset, offset + len);
}

export class FakeExtension implements ExtensionScript {
  readonly file: string;
  readonly hasClientOnData: boolean;
  readonly hasServerOnData: boolean;
  disposed = false;
  openConnections = 0;
  readonly infos: ConnectionInfo[] = [];

  constructor(private readonly options: FakeOptions = {}) {
    this.file = options.file ?? 'fake.lua';
    this.hasServerOnData = options.serverOnData ?? false;
    this.hasClientOnData = !options.noClientOnData;
  }

  openConnection(info: ConnectionInfo): ConnectionScript {
    this.infos.push(info);
    this.openConnections++;
    let held = Buffer.alloc(0);
    const file = this.file;
    const options = this.options;
    const self = this;
    return {
      get heldBytes() {
        return held.length;
      },
      onClientData(bytes: Uint8Array): DeliveryResult {
        if (options.throwOnData) throw new Error('wasm instance aborted');
        const data = Buffer.concat([held, bytes]);
        held = Buffer.alloc(0);
        if (options.messageMode) {
          const token = data.subarray(0, 1);
          return { actions: [{ kind: 'send', event: 'EOM', data, userToken: token, userSession: null }], held: false, error: null };
        }
        const id = clientIdOf(data);
        if (id === 'more') {
          held = data;
          return { actions: [], held: true, error: null };
        }
        if (typeof id === 'string') return fail(id, file);
        const actions: ScriptAction[] = [
          { kind: 'send', event: 'DATA', data, userToken: id, userSession: id },
          { kind: 'pipe' },
        ];
        return { actions, held: false, error: null };
      },
      onServerData(bytes: Uint8Array): DeliveryResult {
        const upper = Buffer.from(Buffer.from(bytes).toString('latin1').toUpperCase(), 'latin1');
        return { actions: [{ kind: 'send', event: 'DATA', data: upper, userToken: null, userSession: null }], held: false, error: null };
      },
      dispose() {
        self.openConnections--;
      },
    };
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A minimal MQTT 3.1.1 CONNECT with the given ClientID. */
export function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const rest = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10, rest.length]), rest]);
}
