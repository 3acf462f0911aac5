// The typed launch/attach arguments of the `protoext` debug type; mirrors package.json's debuggers[0].configurationAttributes.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LbMethod, PersistenceType } from '../lb/types';
import type { PacketSpec } from '../packets/packetSpec';

export { DEFAULT_PACKET, type PacketSpec } from '../packets/packetSpec';

/** A backend: `HOST:PORT` or an ADC-style named service. */
export type ServiceArg = string | { id?: string; host: string; port: number };

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The protocol extension (.lua) to debug. */
  program: string;
  packet?: PacketSpec;
  /** Sizes of successive deliveries to client.on_data (exercises ctxt:hold); the rest of the bytes form a last delivery. */
  chunks?: number[];
  stopOnEntry?: boolean;
  services?: ServiceArg[];
  lbMethod?: LbMethod;
  persistence?: PersistenceType;
  /** Minutes a USERSESSION entry lives after its last connection closes. */
  persistenceTimeout?: number;
  /** Where `services` come from, said with each decision; without `services`: protoext-lb run's embedded brokers (broker1..3). */
  servicesFrom?: string;
  /** Working folder for relative paths in `program` and `packet` (VS Code passes ${workspaceFolder}). */
  cwd?: string;
}

export interface AttachArguments extends DebugProtocol.AttachRequestArguments {
  program: string;
  /** The local LB's debug hook socket (its `ready` event's `debugHook`); default: the newest running LB's (runtime/debug/attachWire.ts). */
  hook?: string;
  cwd?: string;
}
