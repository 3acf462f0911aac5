// MQTT constants for the CONNECT decoder/encoder: packet types, protocol names/levels, connect flag masks, MQTT 5 property table, error codes.

export const PACKET_TYPE = {
  CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, PUBREC: 5, PUBREL: 6, PUBCOMP: 7,
  SUBSCRIBE: 8, SUBACK: 9, UNSUBSCRIBE: 10, UNSUBACK: 11, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14, AUTH: 15,
} as const;

export const PACKET_TYPE_NAMES: readonly string[] = [
  'reserved(0)', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP',
  'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH',
];

/** First byte of every valid CONNECT: type 1 in the high nibble, flags 0000. */
export const CONNECT_HEADER_BYTE = 0x10;

export type MqttVersion = '3.1' | '3.1.1' | '5.0';
export type ProtocolName = 'MQIsdp' | 'MQTT';
export type ProtocolLevel = 3 | 4 | 5;

export interface ProtocolDescriptor {
  version: MqttVersion;
  name: ProtocolName;
  level: ProtocolLevel;
}

export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  { version: '3.1', name: 'MQIsdp', level: 3 },
  { version: '3.1.1', name: 'MQTT', level: 4 },
  { version: '5.0', name: 'MQTT', level: 5 },
];

export function protocolOf(version: MqttVersion): ProtocolDescriptor {
  const found = PROTOCOLS.find((p) => p.version === version);
  if (!found) throw new RangeError(`unknown MQTT version ${String(version)}`);
  return found;
}

/** Connect flag bits (MQTT 3.1.1 §3.1.2.3, 5.0 §3.1.2.3). */
export const CONNECT_FLAG = {
  RESERVED: 0x01,
  CLEAN_SESSION: 0x02,
  WILL: 0x04,
  WILL_QOS_MASK: 0x18,
  WILL_QOS_SHIFT: 3,
  WILL_RETAIN: 0x20,
  PASSWORD: 0x40,
  USERNAME: 0x80,
} as const;

/** A variable byte integer is at most 4 bytes: 0..268,435,455. */
export const VARINT_MAX_BYTES = 4;
export const VARINT_MAX_VALUE = 268_435_455;
/** The weight of each 7-bit digit of a variable byte integer, least significant first. */
export const VARINT_MULTIPLIERS: readonly number[] = [1, 128, 16_384, 2_097_152];

export type PropertyType = 'byte' | 'uint16' | 'uint32' | 'varint' | 'utf8' | 'binary' | 'utf8pair';
/** Where a property may appear; CONNECT decoding only accepts 'connect' (properties) and 'will' (will properties). */
export type PropertyContext = 'connect' | 'will' | 'connack' | 'publish' | 'subscribe' | 'disconnect' | 'auth' | 'other';

export interface PropertyDescriptor {
  id: number;
  name: PropertyName;
  type: PropertyType;
  repeatable: boolean;
  contexts: readonly PropertyContext[];
  label: string;
}

export type PropertyName =
  | 'payloadFormatIndicator' | 'messageExpiryInterval' | 'contentType' | 'responseTopic' | 'correlationData'
  | 'subscriptionIdentifier' | 'sessionExpiryInterval' | 'assignedClientIdentifier' | 'serverKeepAlive'
  | 'authenticationMethod' | 'authenticationData' | 'requestProblemInformation' | 'willDelayInterval'
  | 'requestResponseInformation' | 'responseInformation' | 'serverReference' | 'reasonString'
  | 'receiveMaximum' | 'topicAliasMaximum' | 'topicAlias' | 'maximumQoS' | 'retainAvailable' | 'userProperty'
  | 'maximumPacketSize' | 'wildcardSubscriptionAvailable' | 'subscriptionIdentifierAvailable'
  | 'sharedSubscriptionAvailable';

function prop(id: number, name: PropertyName, type: PropertyType, contexts: PropertyContext[], label: string, repeatable = false): PropertyDescriptor {
  return { id, name, type, repeatable, contexts, label };
}

/** Every MQTT 5.0 property (§2.2.2.2), so "not allowed in CONNECT" can be told apart from "no such property". */
export const PROPERTIES: readonly PropertyDescriptor[] = [
  prop(0x01, 'payloadFormatIndicator', 'byte', ['publish', 'will'], 'Payload Format Indicator'),
  prop(0x02, 'messageExpiryInterval', 'uint32', ['publish', 'will'], 'Message Expiry Interval'),
  prop(0x03, 'contentType', 'utf8', ['publish', 'will'], 'Content Type'),
  prop(0x08, 'responseTopic', 'utf8', ['publish', 'will'], 'Response Topic'),
  prop(0x09, 'correlationData', 'binary', ['publish', 'will'], 'Correlation Data'),
  prop(0x0b, 'subscriptionIdentifier', 'varint', ['publish', 'subscribe'], 'Subscription Identifier', true),
  prop(0x11, 'sessionExpiryInterval', 'uint32', ['connect', 'connack', 'disconnect'], 'Session Expiry Interval'),
  prop(0x12, 'assignedClientIdentifier', 'utf8', ['connack'], 'Assigned Client Identifier'),
  prop(0x13, 'serverKeepAlive', 'uint16', ['connack'], 'Server Keep Alive'),
  prop(0x15, 'authenticationMethod', 'utf8', ['connect', 'connack', 'auth'], 'Authentication Method'),
  prop(0x16, 'authenticationData', 'binary', ['connect', 'connack', 'auth'], 'Authentication Data'),
  prop(0x17, 'requestProblemInformation', 'byte', ['connect'], 'Request Problem Information'),
  prop(0x18, 'willDelayInterval', 'uint32', ['will'], 'Will Delay Interval'),
  prop(0x19, 'requestResponseInformation', 'byte', ['connect'], 'Request Response Information'),
  prop(0x1a, 'responseInformation', 'utf8', ['connack'], 'Response Information'),
  prop(0x1c, 'serverReference', 'utf8', ['connack', 'disconnect'], 'Server Reference'),
  prop(0x1f, 'reasonString', 'utf8', ['connack', 'disconnect', 'auth', 'other'], 'Reason String'),
  prop(0x21, 'receiveMaximum', 'uint16', ['connect', 'connack'], 'Receive Maximum'),
  prop(0x22, 'topicAliasMaximum', 'uint16', ['connect', 'connack'], 'Topic Alias Maximum'),
  prop(0x23, 'topicAlias', 'uint16', ['publish'], 'Topic Alias'),
  prop(0x24, 'maximumQoS', 'byte', ['connack'], 'Maximum QoS'),
  prop(0x25, 'retainAvailable', 'byte', ['connack'], 'Retain Available'),
  prop(0x26, 'userProperty', 'utf8pair', ['connect', 'will', 'connack', 'publish', 'subscribe', 'disconnect', 'auth', 'other'], 'User Property', true),
  prop(0x27, 'maximumPacketSize', 'uint32', ['connect', 'connack'], 'Maximum Packet Size'),
  prop(0x28, 'wildcardSubscriptionAvailable', 'byte', ['connack'], 'Wildcard Subscription Available'),
  prop(0x29, 'subscriptionIdentifierAvailable', 'byte', ['connack'], 'Subscription Identifier Available'),
  prop(0x2a, 'sharedSubscriptionAvailable', 'byte', ['connack'], 'Shared Subscription Available'),
];

export const PROPERTY_BY_ID: ReadonlyMap<number, PropertyDescriptor> = new Map(PROPERTIES.map((p) => [p.id, p]));
export const PROPERTY_BY_NAME: ReadonlyMap<PropertyName, PropertyDescriptor> = new Map(PROPERTIES.map((p) => [p.name, p]));

/** Every way a CONNECT can be rejected; each has its own message citing the spec clause. */
export const ERROR_CODES = [
  'not-connect',
  'bad-header-flags',
  'remaining-length-too-long',
  'packet-too-short',
  'bad-protocol-name',
  'bad-protocol-level',
  'protocol-name-level-mismatch',
  'reserved-flag-set',
  'will-qos-invalid',
  'will-qos-without-will',
  'will-retain-without-will',
  'password-without-username',
  'property-length-overrun',
  'unknown-property',
  'property-not-allowed',
  'duplicate-property',
  'bad-property-value',
  'string-overrun',
  'invalid-utf8',
  'empty-client-id',
  'trailing-bytes',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
