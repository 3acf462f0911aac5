// The decoded CONNECT packet and its MQTT 5 property sets: what the decoder returns and the encoder accepts.
import type { MqttVersion, ProtocolLevel, ProtocolName } from './constants';

export type QoS = 0 | 1 | 2;
export type UserProperty = readonly [key: string, value: string];

/** CONNECT properties (MQTT 5.0 §3.1.2.11). */
export interface ConnectProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  requestResponseInformation?: number;
  requestProblemInformation?: number;
  /** In wire order; keys may repeat. */
  userProperties?: UserProperty[];
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
}

/** Will properties (MQTT 5.0 §3.1.3.2). */
export interface WillProperties {
  willDelayInterval?: number;
  payloadFormatIndicator?: number;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperty[];
}

export interface ConnectFlags {
  username: boolean;
  password: boolean;
  willRetain: boolean;
  willQos: number;
  will: boolean;
  cleanSession: boolean;
  reserved: boolean;
}

export interface ConnectWill {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** 5.0 only (present, possibly empty). */
  properties?: WillProperties;
}

export interface ConnectPacket {
  version: MqttVersion;
  protocolName: ProtocolName;
  protocolLevel: ProtocolLevel;
  flags: ConnectFlags;
  /** Clean session (3.1/3.1.1) or clean start (5.0). */
  clean: boolean;
  keepAlive: number;
  /** 5.0 only (present, possibly empty). */
  properties?: ConnectProperties;
  clientId: string;
  /** The ClientID exactly as on the wire (a view into the input). */
  clientIdBytes: Uint8Array;
  will?: ConnectWill;
  username?: string;
  password?: Uint8Array;
}
